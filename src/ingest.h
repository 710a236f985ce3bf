/*
 * ingest.h: the ingest engine: inputs (files, directories, archives,
 * stdin, journals) -> reports -> the store.
 *
 * Each input is one transaction: its events (and its resume point) commit
 * together or not at all, so a read error or a full disk never leaves half
 * an input behind.  A bad input is reported and skipped; the others are
 * still ingested.  Nothing here prints: what happens reaches the caller
 * through struct ingest_ops, and the caller words it and picks the exit
 * status (src/cmd-ingest.c, export --follow).
 */
#ifndef OOMLENS_INGEST_H
#define OOMLENS_INGEST_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct journal_opts;

enum ingest_level {
	INGEST_NOTICE,		/* an input skipped on purpose */
	INGEST_ERROR,		/* an input (or part of one) lost */
};

/* One input, when it is done. */
struct ingest_result {
	const char *path;	/* as shown: "ARCHIVE:member", "-", ... */
	int known;		/* read before under its path: nothing new, not
				 * stored again (stdin, an archive member) */
	uint64_t events;	/* reports stored (copies of stored ones too),
				 * userspace kills included */
	uint64_t stories;	/* userspace lines about OOMs stored (story.h);
				 * lines stored before are not counted */
	uint64_t lines, bytes;	/* read this time */
	uint64_t warnings;	/* lines that could not be used */
	const char *error;	/* why nothing of it was stored (a damaged
				 * journal: why it was read only in part),
				 * or NULL */
	const char *skipped;	/* "binary", or NULL */
	int journal;		/* read through sd-journal */
	int journal_text;	/* a journalctl -o export or json stream */
	size_t journal_entries;	/* entries read (journal, journal_text) */
	size_t journal_kernel;	/* of which the kernel's */
	uint64_t resumed_at;	/* bytes of it read by an earlier ingest */
	int unchanged;		/* nothing new since then: not read */
};

/* Totals so far, for a progress display and the final summary. */
struct ingest_totals {
	unsigned inputs;	/* done, failed and skipped ones included */
	unsigned failed, skipped;
	unsigned partial;	/* failed, but what could be read is stored
				 * (a damaged journal) */
	uint64_t events;	/* stored: of committed inputs */
	uint64_t known;		/* of those, copies of events stored before
				 * (merged into them: nothing new) */
	uint64_t found;		/* the current input's too */
	uint64_t bytes;		/* read (decompressed), the current input's too */
};

struct ingest_ops {
	/* A sentence about an input ("cannot read 'x.gz': corrupt gzip
	 * data, nothing of it stored"); may be NULL. */
	void (*message)(void *ctx, enum ingest_level level, const char *msg);
	/* A line of path that looked like part of a report but could not
	 * be used; every one of them (the caller chooses how many to show). */
	void (*line_warning)(void *ctx, const char *path, uint64_t lineno,
			     const char *msg);
	/* A stored event, once its input has committed (event ids of one
	 * input in the order read); may be NULL. */
	void (*event)(void *ctx, int64_t event_id, int was_copy);
	/* An input is done (stored, failed or skipped); may be NULL. */
	void (*input_done)(void *ctx, const struct ingest_result *res);
	/* Called after every block read; the caller rate-limits any
	 * display.  May be NULL. */
	void (*progress)(void *ctx, const struct ingest_totals *t);
};

struct ingest_opts {
	const char *host;	/* host of lines that carry none (--host) */
	unsigned walk_flags;	/* enum source_walk_flag */
	/* When *stop turns nonzero (a signal handler sets it), the input
	 * being read is rolled back at its next block and ingest_path() and
	 * ingest_journal() return -EINTR; what committed before stays.
	 * NULL: never. */
	const volatile sig_atomic_t *stop;
	/* threads that parse files (ingest-pool.h); 0: one per processor */
	unsigned workers;
};

struct ingest;

/* 0 and *ret, or < 0 with *ret_err set (the caller frees it).  Kernel
 * reports the store holds without a diagnosis (stored before schema 8)
 * are diagnosed first, in one transaction: once. */
int ingest_new(struct store *st, const struct ingest_opts *o,
	       const struct ingest_ops *ops, void *ctx, struct ingest **ret,
	       char **ret_err);
void ingest_free(struct ingest *g);

/*
 * A file, a directory (recursively, rotated logs oldest first), an archive
 * (each member an input) or "-" for stdin.  A file read before resumes
 * where that ingest stopped (a fingerprint of its head recognises it, also
 * under its rotated name); see README "Resume".  Returns 0 (failed inputs
 * are counted and reported), or < 0 when the database became unusable:
 * then stop.  Inputs may still be in flight when it returns: see
 * ingest_finish().
 */
int ingest_path(struct ingest *g, const char *path);

/*
 * Store every input ingest_path() found that is still being parsed (files
 * are parsed by worker threads while the walk goes on, and stored in the
 * order found).  ingest_totals() and what ops were told are complete only
 * after it.  Returns as ingest_path().
 */
int ingest_finish(struct ingest *g);

/*
 * A journal (the local one, a directory, or files, as o says), read from
 * after the cursor saved under resume_key by the last ingest of it, which
 * is then moved forward with the events.  name is the input's path in
 * messages.  Returns as ingest_path().
 */
int ingest_journal(struct ingest *g, const struct journal_opts *o,
		   const char *name, const char *resume_key);

const struct ingest_totals *ingest_totals(const struct ingest *g);

#endif
