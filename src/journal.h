/*
 * journal.h: the systemd journal, read natively with sd-journal.
 *
 * Entries are rendered into the text the parsers already read (RFC 3339
 * syslog lines, one per line of MESSAGE, continuation lines indented,
 * "-- Boot ID --" markers), so the one report assembler serves the journal
 * too.  Kernel entries (_TRANSPORT=kernel) carry the tag "kernel:" and
 * their kernel time stamp; a userspace entry never does, whatever its
 * SYSLOG_IDENTIFIER says, so `logger -t kernel` cannot fake a report.
 */
#ifndef OOMLENS_JOURNAL_H
#define OOMLENS_JOURNAL_H

#include <stddef.h>

#include "scan.h"

struct journal_src;

struct journal_opts {
	const char *dir;		/* a journal directory, or NULL */
	const char *const *files;	/* journal files, or NULL */
	size_t n_files;
	const char *after_cursor;	/* resume after this entry, or NULL */
	int kernel_only;		/* only _TRANSPORT=kernel entries */
};

/* Open the local journal (no dir, no files), a directory, or files.
 * Returns 0, or -errno with *ret_err set (the caller frees it). */
int journal_open(const struct journal_opts *o, struct journal_src **ret,
		 char **ret_err);
void journal_close(struct journal_src *j);

/* The entries as text, for scan_stream(). */
struct scan_reader journal_reader(struct journal_src *j);

/* Cursor of the last entry read, to resume after it; NULL before any.
 * Valid until the next read or journal_close(). */
const char *journal_cursor(const struct journal_src *j);

/* Entries read so far. */
size_t journal_entries(const struct journal_src *j);

/* Is the file at path a journal file (by its magic "LPKSHHRH")? */
int journal_file_magic(const char *path);

#endif
