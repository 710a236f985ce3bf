/*
 * ingest-int.h: the ingest engine's own pieces, shared by its files:
 * ingest.c (inputs in order), ingest-sink.c (the parsers' output),
 * ingest-walk.c (the walk's inputs), ingest-journal.c (journals and their
 * exports) and ingest-resume.c (files read before).
 */
#ifndef OOMLENS_INGEST_INT_H
#define OOMLENS_INGEST_INT_H

#include <stdatomic.h>
#include <stdint.h>

#include "ingest-pool.h"
#include "ingest.h"
#include "scan.h"
#include "source.h"

struct journal_opts;
struct journal_src;

/* Block size for copying a journal out of an archive, and for feeding the
 * bytes of an archive member or stdin to a worker. */
#define COPY_SIZE (256 * 1024)

/*
 * One input, from when the walk hands it over until it is stored (or
 * failed).  Inputs are stored in the order the walk found them; those a
 * worker parses wait in g's list of inputs in flight until it is their
 * turn.
 */
struct input {
	struct input *next;	/* in flight: the next one found */
	uint64_t seq;		/* its place in the walk's order */
	char *path;		/* res.path */
	struct ingest_result res;
	struct source *src;
	int own_src;		/* kept from the walk: closed with the input */
	struct source *first_src;	/* src before a worker opened it again */
	struct journal_text *text;	/* a journal text export's decoder */
	int journal;		/* a journal or its export: its kernel
				 * entries have _TRANSPORT=kernel */
	int64_t source_id;
	int source_added;	/* its row is in, source_id is valid */
	int blank;		/* empty or white space only (source_is_blank) */
	int save_error;		/* first store error of this input */
	int64_t *ids;		/* events stored, handed out after commit */
	int *copies;
	size_t n_ids, cap_ids;
	/* wall clock span of the input's events and userspace lines: only
	 * unlinked lines near it can have found their event in it */
	int64_t wall_min, wall_max;
	int have_wall;
	/* a file resumed: where this read starts, and its resume row */
	char *file_key;
	struct source_identity file_id;
	uint64_t start_lines;
	/* done without being read (skipped, unchanged, unreadable): what to
	 * say when its turn comes */
	int noted;
	enum ingest_level note_level;
	char *note;
	char *error;		/* res.error, when it is a copy */
	/* a journal file a worker reads: its reader, and the key its
	 * cursor is stored under */
	struct journal_src *jsrc;
	char *jkey;
	/* parsed by a worker */
	int parallel;
	int begun;		/* its transaction is open */
	struct pool_job job;
};

struct ingest {
	struct store *st;
	struct classifier *cls;	/* for the inputs read on this thread */
	struct pool *pool;	/* the workers */
	unsigned max_jobs;	/* inputs with a worker, at most */
	struct ingest_opts o;
	const struct ingest_ops *ops;
	void *ctx;
	struct ingest_totals totals;
	_Atomic uint64_t bytes;	/* read, by any thread */

	struct input *cur;	/* the input being stored */
	struct input *flight, **flight_tail;	/* found, not yet stored */
	unsigned n_flight, n_jobs;
	uint64_t next_seq, stored_seq;	/* inputs found; stored (or failed) */
	int fatal;		/* < 0: the database became unusable, or a
				 * stop: nothing more is read */
};

/* A message of the run, said now (ops->message). */
void ingest_say(struct ingest *g, enum ingest_level level, const char *fmt,
		...) __attribute__((format(printf, 3, 4)));
/* The same, kept for when the input's turn comes. */
void input_note(struct input *in, enum ingest_level level, const char *fmt,
		...) __attribute__((format(printf, 3, 4)));
/* Whether a signal asked the ingest to stop. */
int ingest_stopped(const struct ingest *g);
void ingest_progress(struct ingest *g);

struct input *input_new(struct ingest *g, const char *path,
			struct source *src);
void input_free(struct input *in);
/* An input is stored, failed or skipped: counted and said, in order. */
void input_done(struct ingest *g, struct input *in);
/* An input done without being read, said when its turn comes. */
int input_done_unread(struct ingest *g, struct input *in);
/* res.error, copied: the walk's strings do not outlive its callback. */
void input_set_error(struct input *in, const char *why);
/* Every input in flight stored: before one read on this thread. */
int ingest_land_all(struct ingest *g);
/* Read and store an input on this thread (journals, journal exports), in
 * its own transaction; resume_key and j: the journal's resume point. */
int ingest_stream(struct ingest *g, struct input *in,
		  const struct scan_reader *rd, int64_t ref_time,
		  const char *resume_key, struct journal_src *j);
/* Inputs in flight (ingest.c): an input joins the list in the walk's
 * order; ingest_tend() waits a little for the workers and stores what
 * is ready; ingest_store_ready() stores the first if it is ready: 1 when
 * it did, 0 when not, < 0 on a fatal error. */
void ingest_fly(struct ingest *g, struct input *in);
int ingest_tend(struct ingest *g);
int ingest_store_ready(struct ingest *g);
/* A warning of a journal export's decoder, about its own lines. */
void ingest_input_warning(void *ctx, uint64_t lineno, const char *msg);

/* ---- ingest-sink.c: the parsers' output for the input being stored ---- */

struct oom_report;
struct story_event;
/* Whether the input can take a record now: its source row is in and no
 * store error came before. */
int input_writable(struct ingest *g, struct input *in);
void ingest_on_report(void *ctx, struct oom_report *r);
void ingest_on_story(void *ctx, struct story_event *e);
void ingest_on_warning(void *ctx, uint64_t lineno, const char *msg);
void input_line_warning(struct ingest *g, struct input *in, uint64_t lineno,
			const char *msg);

/* ---- ingest-journal.c ---- */

/* A journal file (on disk or in an archive) or a journal export. */
int ingest_journal_source(struct ingest *g, struct source *src);

/* ---- ingest-resume.c ---- */

/* The resume row's key of a file on disk, in in->file_key; 0, or < 0 for
 * what has none (stdin, a pipe, an archive member). */
int input_file_key(struct ingest *g, struct input *in, struct source *src);
/* Where to start reading src: 1 when nothing changed since the last read,
 * else 0, and a start after the file's start in in->job. */
int input_file_resume(struct ingest *g, struct input *in, struct source *src);
/* What was read of the input, for the next run. */
int input_save_resume(struct ingest *g, struct input *in,
		      const struct scan_stats *st);

#endif
