/* ingest-pool.c: see ingest-pool.h. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "classify.h"
#include "ingest-pool.h"
#include "number.h"
#include "oom.h"
#include "report.h"
#include "source.h"
#include "story-event.h"
#include "xalloc.h"

#define MAX_WORKERS 8

struct pool_block {
	struct pool_block *next;
	size_t len, pos;
	unsigned char data[];
};

struct worker {
	struct pool *p;
	pthread_t thread;
	struct classifier *cls;
	struct pool_job *job;	/* the one it runs */
	struct source_map *map;	/* its file, when mapped */
	struct pool_item *held, **held_tail;	/* not queued yet */
	unsigned n_held;
	uint64_t map_reach;	/* bytes of it counted */
	struct scan_reader own;	/* its job's source or reader, unless a pipe */
};

struct pool {
	pthread_mutex_t lock;
	pthread_cond_t changed;	/* broadcast on every change */
	unsigned long gen, seen_gen;	/* changes made, and seen by the engine */
	struct pool_job *queue, **queue_tail;	/* not started yet */
	int quit;
	_Atomic uint64_t *bytes;
	const volatile sig_atomic_t *stop;
	struct worker w[MAX_WORKERS];
	unsigned n;
	uint64_t map_min;	/* plain files this long are mapped */
};

/* Under p->lock. */
static void changed(struct pool *p)
{
	p->gen++;
	pthread_cond_broadcast(&p->changed);
}

static int stopped(const struct pool *p)
{
	return p->stop && *p->stop;
}

/* ---- the worker's side ---- */

/* Hand the items held back to the job's queue, waiting while it is full,
 * with one wake-up for all of them.  Dropped (and freed) when the job is
 * cancelled. */
static void flush_items(struct worker *w)
{
	struct pool *p = w->p;
	struct pool_job *j = w->job;

	if (!w->held)
		return;
	pthread_mutex_lock(&p->lock);
	while (j->n_items && j->n_items + w->n_held > POOL_MAX_ITEMS &&
	       !j->cancelled)
		pthread_cond_wait(&p->changed, &p->lock);
	if (j->cancelled) {
		pthread_mutex_unlock(&p->lock);
		pool_items_free(w->held);
	} else {
		*j->items_tail = w->held;
		j->items_tail = w->held_tail;
		j->n_items += w->n_held;
		changed(p);
		pthread_mutex_unlock(&p->lock);
	}
	w->held = NULL;
	w->held_tail = &w->held;
	w->n_held = 0;
}

/* Queue an item.  Items go in batches: a wake-up of the engine (and of
 * the idle workers, on the one condition) for each report of a log of
 * many small ones cost more than parsing them. */
static void put_item(struct worker *w, struct pool_item *it)
{
	it->next = NULL;
	*w->held_tail = it;
	w->held_tail = &it->next;
	if (++w->n_held >= POOL_BATCH)
		flush_items(w);
}

static void on_report(void *ctx, struct oom_report *r)
{
	struct pool_item *it = xcalloc(1, sizeof(*it));

	it->kind = POOL_REPORT;
	it->report = r;
	put_item(ctx, it);
}

static void on_story(void *ctx, struct story_event *e)
{
	struct pool_item *it = xcalloc(1, sizeof(*it));

	it->kind = POOL_STORY;
	it->story = e;
	put_item(ctx, it);
}

static void on_warning(void *ctx, uint64_t lineno, const char *msg)
{
	struct pool_item *it = xcalloc(1, sizeof(*it));

	it->kind = POOL_WARNING;
	it->lineno = lineno;
	it->msg = xstrdup(msg);
	put_item(ctx, it);
}

static int job_cancelled(struct pool *p, struct pool_job *j)
{
	int c;

	pthread_mutex_lock(&p->lock);
	c = j->cancelled;
	pthread_mutex_unlock(&p->lock);
	return c;
}

/* A job's own reader (its source's, or a journal file's), its bytes
 * counted. */
static ssize_t read_own(void *ctx, void *buf, size_t n)
{
	struct worker *w = ctx;
	ssize_t r;

	if (stopped(w->p) || job_cancelled(w->p, w->job))
		return -EINTR;
	r = w->own.read(w->own.ctx, buf, n);
	if (r > 0)
		atomic_fetch_add(w->p->bytes, (uint64_t)r);
	return r;
}

/* The pipe: what the engine put, then its end (the engine counted the
 * bytes when it read them). */
static ssize_t read_pipe(void *ctx, void *buf, size_t n)
{
	struct worker *w = ctx;
	struct pool *p = w->p;
	struct pool_job *j = w->job;
	struct pool_block *b;
	ssize_t r;

	pthread_mutex_lock(&p->lock);
	if (!j->blocks && !j->pipe_closed && w->held) {
		/* a stream may pause for long: the engine takes what it
		 * gave meanwhile */
		pthread_mutex_unlock(&p->lock);
		flush_items(w);
		pthread_mutex_lock(&p->lock);
	}
	while (!j->blocks && !j->pipe_closed && !j->cancelled && !stopped(p))
		pthread_cond_wait(&p->changed, &p->lock);
	if (j->cancelled || stopped(p)) {
		r = -EINTR;
	} else if ((b = j->blocks) != NULL) {
		r = (ssize_t)(n < b->len - b->pos ? n : b->len - b->pos);
		memcpy(buf, b->data + b->pos, (size_t)r);
		b->pos += (size_t)r;
		if (b->pos == b->len) {
			j->blocks = b->next;
			if (!j->blocks)
				j->blocks_tail = &j->blocks;
			j->n_blocks--;
			free(b);
			changed(p);
		}
	} else {
		r = j->pipe_rc;
	}
	pthread_mutex_unlock(&p->lock);
	return r;
}

/* A job's file from its start, opened again: j->src is the new source
 * (the old one stays open: the engine may be reading its host). */
static int restart(struct pool_job *j)
{
	struct source *fresh;
	int r = source_open(j->src->path, &fresh);

	if (r < 0)
		return r;
	if (j->src->host)
		fresh->host = xstrdup(j->src->host);
	j->src = fresh;
	return 0;
}

/* scan_map's step: the reads' checks, for a mapped file. */
static int map_step(void *ctx, uint64_t reach, uint64_t done)
{
	struct worker *w = ctx;

	if (stopped(w->p) || job_cancelled(w->p, w->job))
		return -EINTR;
	atomic_fetch_add(w->p->bytes, reach - w->map_reach);
	w->map_reach = reach;
	return source_map_step(w->map, reach, done);
}

/* The threads a file's anchor search may take: the workers not busy
 * with a file of their own, and this one (a directory of large files is
 * already a file a processor). */
static unsigned idle_threads(struct pool *p)
{
	unsigned busy = 0;

	pthread_mutex_lock(&p->lock);
	for (unsigned i = 0; i < p->n; i++)
		busy += p->w[i].job != NULL;
	pthread_mutex_unlock(&p->lock);
	return busy < p->n ? p->n - busy + 1 : 1;
}

/* A plain file on disk long enough to be worth it is scanned where it
 * lies, its anchor search split among the threads idle_threads() gives
 * (prefilter.h); 0 when it is not such a file. */
static int scan_mapped(struct worker *w, struct pool_job *j,
		       const struct report_sink *sink)
{
	struct scan_map m = { .threads = idle_threads(w->p),
			      .step = map_step, .ctx = w };

	if (source_map(j->src, w->p->map_min, &w->map, &m.data, &m.len) <= 0)
		return 0;
	w->map_reach = 0;
	j->rc = scan_map_at(w->cls, &m, j->ref_time, j->start_lines, sink,
			    &j->stats);
	source_unmap(w->map);
	w->map = NULL;
	return 1;
}

static void run_job(struct worker *w, struct pool_job *j)
{
	struct report_sink sink = { on_report, on_warning, w, on_story };
	struct scan_reader rd = { j->reader.read || j->src ? read_own
				  : read_pipe, w };

	j->start_lines = 0;
	j->resumed_at = 0;
	memset(&j->stats, 0, sizeof(j->stats));
	if (j->skip && j->src) {
		char tail[33];
		int64_t skipped = source_skip(j->src, j->skip_to, tail);

		if (skipped >= 0 && strcmp(tail, j->skip_tail)) {
			/* not the bytes read before (another file with the
			 * same head): all of it, from a new source */
			j->rc = restart(j);
			if (j->rc < 0)
				return;
		} else if (skipped >= 0) {
			/* a failed skip fails the reads after it too */
			j->resumed_at = (uint64_t)skipped;
			if ((uint64_t)skipped == j->skip_to)
				j->start_lines = j->skip_lines;
		}
	}
	if (j->src && scan_mapped(w, j, &sink))
		return;
	/* after restart(): j->src may be a new source */
	w->own = j->reader.read ? j->reader
		 : j->src ? source_reader(j->src) : (struct scan_reader){ 0 };
	j->rc = scan_stream_at(w->cls, &rd, j->ref_time, j->start_lines, &sink,
			       &j->stats);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->p;
	struct pool_job *j;
	char *err = NULL;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->quit && !p->queue)
			pthread_cond_wait(&p->changed, &p->lock);
		if (p->quit)
			break;
		j = p->queue;
		p->queue = j->next;
		if (!p->queue)
			p->queue_tail = &p->queue;
		j->started = 1;
		w->job = j;
		pthread_mutex_unlock(&p->lock);

		/* compiled here, on the first job: a small ingest does not
		 * pay for every worker's, and they compile at once.  The
		 * engine compiled the same patterns before: this fails only
		 * without memory. */
		if (!w->cls && classify_new(&w->cls, &err) < 0) {
			free(err);
			err = NULL;
			j->rc = -ENOMEM;
		} else {
			run_job(w, j);
			flush_items(w);
		}

		pthread_mutex_lock(&p->lock);
		w->job = NULL;
		j->done = 1;
		changed(p);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* ---- the engine's side ---- */

unsigned pool_default_workers(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAX_WORKERS ? MAX_WORKERS : (unsigned)n;
}

/* Mapping a file and starting threads pays from a few MiB on.
 * OOMLENS_MAP_MIN (bytes) sets the size: the tests map every file. */
#define MAP_MIN (UINT64_C(4) << 20)

static uint64_t map_min(void)
{
	const char *v = getenv("OOMLENS_MAP_MIN");
	uint64_t n;

	if (v && num_parse_u64(v, strlen(v), &n) == 0)
		return n ? n : 1;
	return MAP_MIN;
}

int pool_new(unsigned n, _Atomic uint64_t *bytes,
	     const volatile sig_atomic_t *stop, struct pool **ret,
	     char **ret_err)
{
	struct pool *p = xcalloc(1, sizeof(*p));
	sigset_t all, old;
	int r = 0;

	*ret = NULL;
	if (n < 1)
		n = 1;
	if (n > MAX_WORKERS)
		n = MAX_WORKERS;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->changed, NULL);
	p->queue_tail = &p->queue;
	p->bytes = bytes;
	p->stop = stop;
	p->map_min = map_min();
	/* signals go to the engine's thread, whose handler sets *stop; but
	 * a fault's SIGBUS must reach the thread that faulted (source-map.c
	 * repairs a mapped file that shrank), and a blocked one kills */
	sigfillset(&all);
	sigdelset(&all, SIGBUS);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (; p->n < n; p->n++) {
		struct worker *w = &p->w[p->n];

		w->p = p;
		w->held_tail = &w->held;
		r = -pthread_create(&w->thread, NULL, work, w);
		if (r < 0) {
			*ret_err = xasprintf("cannot start a parse thread: %s",
					     strerror(-r));
			break;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r < 0) {
		pool_free(p);
		return r;
	}
	*ret = p;
	return 0;
}

void pool_free(struct pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->quit = 1;
	changed(p);
	pthread_mutex_unlock(&p->lock);
	for (unsigned i = 0; i < p->n; i++) {
		pthread_join(p->w[i].thread, NULL);
		classify_free(p->w[i].cls);
	}
	pthread_cond_destroy(&p->changed);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

void pool_submit(struct pool *p, struct pool_job *j)
{
	j->next = NULL;
	j->started = j->done = j->cancelled = 0;
	j->items = NULL;
	j->items_tail = &j->items;
	j->n_items = 0;
	j->blocks = NULL;
	j->blocks_tail = &j->blocks;
	j->n_blocks = 0;
	j->pipe_closed = 0;
	j->pipe_rc = 0;
	pthread_mutex_lock(&p->lock);
	*p->queue_tail = j;
	p->queue_tail = &j->next;
	changed(p);
	pthread_mutex_unlock(&p->lock);
}

struct pool_item *pool_take(struct pool *p, struct pool_job *j, int *done)
{
	struct pool_item *it;

	pthread_mutex_lock(&p->lock);
	it = j->items;
	*done = j->done;
	if (it) {
		j->items = NULL;
		j->items_tail = &j->items;
		j->n_items = 0;
		changed(p);
	}
	p->seen_gen = p->gen;
	pthread_mutex_unlock(&p->lock);
	return it;
}

void pool_items_free(struct pool_item *it)
{
	while (it) {
		struct pool_item *next = it->next;

		oom_report_free(it->report);
		story_event_free(it->story);
		free(it->msg);
		free(it);
		it = next;
	}
}

int pool_pipe_put(struct pool *p, struct pool_job *j, const void *buf,
		  size_t n)
{
	struct pool_block *b;

	pthread_mutex_lock(&p->lock);
	p->seen_gen = p->gen;
	if (j->n_blocks >= POOL_PIPE_BLOCKS) {
		pthread_mutex_unlock(&p->lock);
		return 0;
	}
	pthread_mutex_unlock(&p->lock);
	/* copied outside the lock: the engine is the only one adding */
	b = xmalloc(sizeof(*b) + n);
	b->next = NULL;
	b->len = n;
	b->pos = 0;
	memcpy(b->data, buf, n);
	pthread_mutex_lock(&p->lock);
	*j->blocks_tail = b;
	j->blocks_tail = &b->next;
	j->n_blocks++;
	changed(p);
	p->seen_gen = p->gen;
	pthread_mutex_unlock(&p->lock);
	return 1;
}

void pool_pipe_close(struct pool *p, struct pool_job *j, int rc)
{
	pthread_mutex_lock(&p->lock);
	j->pipe_closed = 1;
	j->pipe_rc = rc;
	changed(p);
	pthread_mutex_unlock(&p->lock);
}

void pool_cancel(struct pool *p, struct pool_job *j)
{
	struct pool_item *items;
	struct pool_block *b;

	pthread_mutex_lock(&p->lock);
	j->cancelled = 1;
	items = j->items;
	j->items = NULL;
	j->items_tail = &j->items;
	j->n_items = 0;
	while ((b = j->blocks) != NULL) {
		j->blocks = b->next;
		free(b);
	}
	j->blocks_tail = &j->blocks;
	j->n_blocks = 0;
	if (!j->started) {
		/* never to start: out of the queue, done */
		struct pool_job **pp = &p->queue;

		while (*pp && *pp != j)
			pp = &(*pp)->next;
		if (*pp) {
			*pp = j->next;
			if (!*pp)
				p->queue_tail = pp;
		}
		j->done = 1;
		j->rc = -EINTR;
	}
	changed(p);
	pthread_mutex_unlock(&p->lock);
	pool_items_free(items);
}

int pool_job_done(struct pool *p, struct pool_job *j)
{
	int done;

	pthread_mutex_lock(&p->lock);
	done = j->done;
	p->seen_gen = p->gen;
	pthread_mutex_unlock(&p->lock);
	return done;
}

void pool_wait(struct pool *p, unsigned ms)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&p->lock);
	while (p->gen == p->seen_gen) {
		if (pthread_cond_timedwait(&p->changed, &p->lock, &until) ==
		    ETIMEDOUT)
			break;
	}
	p->seen_gen = p->gen;
	pthread_mutex_unlock(&p->lock);
}
