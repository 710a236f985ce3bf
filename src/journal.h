/*
 * journal.h: the systemd journal, read natively with sd-journal, and its
 * two text exports (`journalctl -o export` and `-o json`).
 *
 * Entries are rendered into the text the parsers already read (RFC 3339
 * syslog lines, one per line of MESSAGE, continuation lines indented,
 * "-- Boot ID --" markers), so the one report assembler serves the journal
 * too.  One renderer serves all three inputs through a field getter, so a
 * journal file, its export stream and its JSON lines give the same text,
 * byte for byte:
 *
 *	2026-11-21T03:12:07.123456+00:00 db1 kernel: [ 8123.456789] TEXT
 *	2026-11-21T03:12:08.000001+00:00 db1 systemd[1]: TEXT
 *
 * Kernel entries (_TRANSPORT=kernel) carry the tag "kernel:" and their
 * kernel time stamp; a userspace entry never does, whatever its
 * SYSLOG_IDENTIFIER says, so `logger -t kernel` cannot fake a report (it
 * becomes "kernel-userspace[PID]:").
 */
#ifndef OOMLENS_JOURNAL_H
#define OOMLENS_JOURNAL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "scan.h"

struct buf;

/*
 * The userspace programs whose entries are read besides the kernel's
 * (matched on SYSLOG_IDENTIFIER): they tell the story around a kill.
 *   systemd                 PID 1: "<unit>: A process of this unit has
 *                           been killed by the OOM killer.", "Failed with
 *                           result 'oom-kill'." (the unit is in the text,
 *                           so UNIT= and USER_UNIT= are not needed)
 *   systemd-oomd            its kills and candidate lists
 *   earlyoom, nohang        userspace OOM killers
 *   containerd, kubelet,    TaskOOM, OOMKilled, OOMKilling
 *   node-problem-detector
 *   kernel                  a userspace "kernel" is a forgery: read so it
 *                           can be recorded as one, never as a kernel line
 * A NULL-terminated list.
 */
extern const char *const journal_story_identifiers[];
/* Is v (n bytes, not terminated) one of them? */
int journal_story_identifier(const char *v, size_t n);

/* ---- one renderer for every journal input ---- */

/* The fields the renderer reads, by their index in
 * journal_render_fields[]. */
enum journal_field {
	JF_MESSAGE,
	JF_REALTIME,		/* __REALTIME_TIMESTAMP */
	JF_SOURCE_MONOTONIC,	/* _SOURCE_MONOTONIC_TIMESTAMP */
	JF_BOOT_ID,
	JF_HOSTNAME,
	JF_MACHINE_ID,
	JF_TRANSPORT,
	JF_SYSLOG_IDENTIFIER,
	JF_COMM,
	JF_EXE,
	JF_UID,
	JF_SYSTEMD_UNIT,
	JF_SYSTEMD_USER_UNIT,
	JF_PID,
	JF_SYSLOG_PID,
	JOURNAL_RENDER_FIELDS	/* their count */
};

/* Where an entry's fields come from.  get() sets the value of field k
 * (without "NAME=") and returns 1, or returns 0 when the entry has none;
 * the value stays valid until the next entry.  By index: the renderer
 * asks some twenty times an entry. */
struct journal_fields {
	int (*get)(void *ctx, enum journal_field k, const char **ret,
		   size_t *ret_len);
	void *ctx;
};

/* Their names (a NULL-terminated list, in the enum's order); decoders of
 * text exports keep these and drop the rest. */
extern const char *const journal_render_fields[];
/* The index of name (len bytes) in journal_render_fields[], or -1. */
int journal_render_field_index(const char *name, size_t len);

/* Is this a kernel entry or one of journal_story_identifiers[]?  The
 * native reader selects these with sd-journal matches, the text decoders
 * with this, so the three read the same entries. */
int journal_entry_selected(const struct journal_fields *f);

/* Rendering state across the entries of one input. */
struct journal_render {
	char boot[33];		/* boot id of the last entry rendered */
	size_t entries;		/* entries rendered */
	size_t kernel_entries;	/* of which _TRANSPORT=kernel */
	uint64_t lines;		/* text lines written */
	/* the last second's "YYYY-MM-DDTHH:MM:SS": entries come many a
	 * second, and formatting it is most of the cost of a short one */
	uint64_t ts_sec;
	int ts_valid;
	char ts[32];
};

/*
 * Append the entry's text to out: 1 when rendered, 0 when it has no
 * MESSAGE (nothing to read), -EINVAL with *why set when it cannot be
 * rendered without inventing (no or a bad __REALTIME_TIMESTAMP).
 */
int journal_render_entry(struct journal_render *jr,
			 const struct journal_fields *f, struct buf *out,
			 const char **why);

/* ---- the native journal ---- */

struct journal_src;

struct journal_opts {
	const char *dir;		/* a journal directory, or NULL */
	const char *const *files;	/* journal files, or NULL */
	size_t n_files;
	/* or one journal file already open (an unlinked copy), read through
	 * sd_journal_open_files_fd(); fd_name names it in messages.  The
	 * caller closes it after journal_close(). */
	int fd;				/* used when fd_name is set */
	const char *fd_name;
	const char *after_cursor;	/* resume after this entry, or NULL */
	int kernel_only;		/* only kernel entries and those of
					 * journal_story_identifiers[] */
	/* Follow mode: at the journal's end, wait this long for more
	 * entries (a report still being written) before the stream ends;
	 * 0 ends it at once. */
	uint64_t settle_usec;
	/* When set and nonzero, the stream ends after the entry being read
	 * (a signal asked to stop). */
	const volatile sig_atomic_t *stop;
};

/* Open the local journal (no dir, no files), a directory, or files.
 * Returns 0, or -errno with *ret_err set (the caller frees it). */
int journal_open(const struct journal_opts *o, struct journal_src **ret,
		 char **ret_err);
void journal_close(struct journal_src *j);
/* journal_closep() for _cleanup_ (cleanup.h). */
static inline void journal_closep(struct journal_src **j)
{
	if (*j)
		journal_close(*j);
}

/* The entries as text, for scan_stream(). */
struct scan_reader journal_reader(struct journal_src *j);

/* Cursor of the last entry read, to resume after it; NULL before any.
 * Valid until the next read or journal_close(). */
const char *journal_cursor(struct journal_src *j);

/* Entries read so far, and how many of them were kernel entries. */
size_t journal_entries(const struct journal_src *j);
size_t journal_kernel_entries(const struct journal_src *j);

/* Why the read ended before the journal's end (sd-journal dropped a
 * damaged file), or NULL.  What came before was read: store it, and call
 * the input failed. */
const char *journal_damage(const struct journal_src *j);

/* Wait up to usec (UINT64_MAX: for ever) for the journal to change.
 * 1 when it did (new entries or files), 0 on timeout, -errno (-EINTR
 * when a signal came). */
int journal_wait(struct journal_src *j, uint64_t usec);

/* The key its resume point is stored under (store_set_resume()) for the
 * local journal (dir NULL) or a directory: ingest --journal and export
 * --follow share it.  The caller frees it. */
char *journal_resume_key(const char *dir);

/* Is the file at path a journal file (by its magic "LPKSHHRH")? */
int journal_file_magic(const char *path);

/* ---- text exports: journalctl -o export, -o json ---- */

enum journal_text_format {
	JOURNAL_TEXT_NONE,
	JOURNAL_TEXT_EXPORT,	/* Journal Export Format, binary-safe */
	JOURNAL_TEXT_JSON,	/* -o json (one object a line), -o json-seq */
};

/* What the head (the first bytes of the decoded stream) holds. */
enum journal_text_format journal_text_sniff(const void *head, size_t n);

/* A stream decoder.  Malformed entries are skipped and reported to warn
 * with the line of the input they start on (or the bad field's). */
typedef void journal_warn_fn(void *ctx, uint64_t lineno, const char *msg);
struct journal_text;

struct journal_text *journal_text_new(enum journal_text_format fmt,
				      const struct scan_reader *in,
				      journal_warn_fn *warn, void *warn_ctx);
void journal_text_free(struct journal_text *t);

/* The selected entries as text, for scan_stream(); errors of the input
 * reader are passed on. */
struct scan_reader journal_text_reader(struct journal_text *t);

/* The input line that rendered text line lineno (1-based) came from, for
 * messages of the parsers; 0 when it is no longer known (the last 4096
 * entries are). */
uint64_t journal_text_input_line(const struct journal_text *t,
				 uint64_t lineno);

/* Entries rendered so far, and how many were kernel entries. */
size_t journal_text_entries(const struct journal_text *t);
size_t journal_text_kernel_entries(const struct journal_text *t);

#endif
