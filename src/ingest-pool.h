/*
 * ingest-pool.h: the parse workers of the ingest engine (src/ingest.c).
 *
 * Parsing is the costly part of an ingest, storing is not, and SQLite
 * wants one writer.  So the engine's thread walks the inputs and writes,
 * and the pool's threads parse: each job is one input, scanned by a worker
 * with its own classifier into a queue of finished reports, userspace
 * lines and warnings that the engine takes in input order and stores as
 * the serial engine would.  A job reads its bytes either itself (a file
 * on disk, decompressed in the worker; a journal file, through the reader
 * the engine opened) or from a pipe the engine fills (a member of an
 * archive, stdin: their bytes come from the walk).
 *
 * Memory stays bounded: a job queues at most POOL_MAX_ITEMS items and a
 * pipe holds at most POOL_PIPE_BLOCKS blocks; a worker past either limit
 * waits for the engine.  One mutex and one condition variable guard it
 * all; they are taken a few times per block of input, never per line.
 */
#ifndef OOMLENS_INGEST_POOL_H
#define OOMLENS_INGEST_POOL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "scan.h"

#define POOL_MAX_ITEMS 64
/* A worker hands its items on this many at a time (and when it must wait
 * for input, and at the end of a job). */
#define POOL_BATCH 16
#define POOL_PIPE_BLOCKS 8
#define POOL_BLOCK_SIZE (256 * 1024)

struct source;
struct oom_report;
struct story_event;
struct pool;

enum pool_item_kind {
	POOL_REPORT,		/* report */
	POOL_STORY,		/* story */
	POOL_WARNING,		/* lineno, msg */
};

struct pool_item {
	enum pool_item_kind kind;
	struct oom_report *report;
	struct story_event *story;
	uint64_t lineno;
	char *msg;
	struct pool_item *next;
};

/* One input for a worker.  The engine fills the first part, then submits
 * it; the worker fills the second before it says the job is done. */
struct pool_job {
	struct source *src;	/* read by the worker; NULL: the pipe */
	struct scan_reader reader;	/* or, when its read is set, this
					 * (a journal file): read by the
					 * worker, its bytes counted */
	int64_t ref_time;	/* scan_stream_at()'s */
	int skip;		/* resume: first skip skip_to bytes ... */
	uint64_t skip_to, skip_lines;	/* ... which held skip_lines lines */
	char skip_tail[33];	/* ... and ended in bytes of this hash: when
				 * they do not, src is read from its start
				 * (through a new source: src then changes) */

	int rc;			/* scan_stream_at()'s return */
	struct scan_stats stats;
	uint64_t resumed_at;	/* bytes skipped */
	uint64_t start_lines;	/* lines before the first one read */

	/* the pool's */
	struct pool_job *next;	/* in the queue of jobs to start */
	int started, done, cancelled;
	struct pool_item *items, **items_tail;
	size_t n_items;
	struct pool_block *blocks, **blocks_tail;
	size_t n_blocks;
	int pipe_closed, pipe_rc;
};

/*
 * A pool of n worker threads (n >= 1).  Bytes the workers read are added
 * to *bytes; a worker's reads return -EINTR once *stop is nonzero (stop
 * may be NULL).  0, or < 0 with *ret_err set.
 */
int pool_new(unsigned n, _Atomic uint64_t *bytes,
	     const volatile sig_atomic_t *stop, struct pool **ret,
	     char **ret_err);
/* Every job must be done (pool_job_done()) or cancelled before. */
void pool_free(struct pool *p);

/* Queue a job for the next free worker (jobs start in submit order). */
void pool_submit(struct pool *p, struct pool_job *j);

/*
 * The items j has queued so far, in order (the caller owns the list and
 * frees it with pool_items_free()), and whether j is done: then the list
 * holds its last items and j's results are valid.
 */
struct pool_item *pool_take(struct pool *p, struct pool_job *j, int *done);
void pool_items_free(struct pool_item *it);

/*
 * Give a pipe job its next n bytes (copied).  Returns 1 when they were
 * taken, 0 when the pipe is full (try again after pool_wait()).
 */
int pool_pipe_put(struct pool *p, struct pool_job *j, const void *buf,
		  size_t n);
/* The end of a pipe job's bytes: rc 0, or the -errno its reader returns
 * after the bytes put before. */
void pool_pipe_close(struct pool *p, struct pool_job *j, int rc);

/*
 * Stop a job: its reads return -EINTR and its items are dropped.  Its
 * worker may still be running; pool_job_done() says when it has let go.
 */
void pool_cancel(struct pool *p, struct pool_job *j);
int pool_job_done(struct pool *p, struct pool_job *j);

/* Wait until something changed since the engine last looked (by any of
 * the calls above: items, a job done, room in a pipe) or ms milliseconds
 * have passed. */
void pool_wait(struct pool *p, unsigned ms);

/* The worker count for --jobs 0: the processors online, at most 8. */
unsigned pool_default_workers(void);

#endif
