/* ingest.c: see ingest.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "badness.h"
#include "classify.h"
#include "diagnosis.h"
#include "ingest.h"
#include "ingest-pool.h"
#include "journal.h"
#include "tmpfile.h"
#include "oom.h"
#include "report.h"
#include "scan.h"
#include "source.h"
#include "store.h"
#include "story.h"
#include "xalloc.h"

/* Block size for copying a journal out of an archive, and for feeding the
 * bytes of an archive member or stdin to a worker. */
#define COPY_SIZE (256 * 1024)

/* How long the engine sleeps at most while workers parse: the progress
 * line's redraw rate, and how soon a signal is seen. */
#define WAIT_MS 100

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

static void say(struct ingest *g, enum ingest_level level, const char *fmt,
		...) __attribute__((format(printf, 3, 4)));

static void say(struct ingest *g, enum ingest_level level, const char *fmt,
		...)
{
	va_list ap;
	char *msg;

	if (!g->ops->message)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	g->ops->message(g->ctx, level, msg ? msg : fmt);
	free(msg);
}

/* The same, kept for when the input's turn comes. */
static void note(struct input *in, enum ingest_level level, const char *fmt,
		 ...) __attribute__((format(printf, 3, 4)));

static void note(struct input *in, enum ingest_level level, const char *fmt,
		 ...)
{
	va_list ap;

	in->noted = 1;
	in->note_level = level;
	va_start(ap, fmt);
	if (vasprintf(&in->note, fmt, ap) < 0)
		in->note = NULL;
	va_end(ap);
}

/*
 * Kernel reports stored before the diagnosis (schema 8) get theirs now, as
 * the ingest would have given them: loaded, analysed, diagnosed.  In one
 * transaction; after it the partial index events_undiagnosed is empty, so
 * the next ingest finds nothing to do at no cost.
 */
static int diagnose_stored(struct store *st)
{
	int64_t *ids = NULL;
	size_t n = 0;
	int r;

	r = store_undiagnosed_ids(st, &ids, &n);
	if (r >= 0 && n)
		r = store_begin(st);
	for (size_t i = 0; i < n && r >= 0; i++) {
		struct oom_report *rep = NULL;
		struct diagnosis d;

		r = store_load_event(st, ids[i], &rep);
		if (r < 0)
			break;
		badness_analyse(rep);
		diagnose(rep, NULL, &d);
		r = store_set_diagnosis(st, ids[i], &d);
		oom_report_free(rep);
	}
	if (n && r >= 0)
		r = store_commit(st);
	else if (n)
		store_rollback(st);
	free(ids);
	return r;
}

int ingest_new(struct store *st, const struct ingest_opts *o,
	       const struct ingest_ops *ops, void *ctx, struct ingest **ret,
	       char **ret_err)
{
	struct ingest *g;
	unsigned workers = o->workers ? o->workers : pool_default_workers();

	*ret = NULL;
	if (diagnose_stored(st) < 0) {
		*ret_err = xasprintf("cannot diagnose the events stored before: "
				     "%s", store_errmsg(st));
		return -EIO;
	}
	g = xcalloc(1, sizeof(*g));
	g->st = st;
	g->o = *o;
	g->ops = ops;
	g->ctx = ctx;
	g->flight_tail = &g->flight;
	/* a worker per processor, and one input queued for each */
	g->max_jobs = 2 * workers;
	if (classify_new(&g->cls, ret_err) < 0 ||
	    pool_new(workers, &g->bytes, o->stop, &g->pool, ret_err) < 0) {
		classify_free(g->cls);
		free(g);
		return -EINVAL;
	}
	*ret = g;
	return 0;
}

static void progress(struct ingest *g)
{
	g->totals.bytes = atomic_load(&g->bytes);
	if (g->ops->progress)
		g->ops->progress(g->ctx, &g->totals);
}

static int stopped(const struct ingest *g)
{
	return g->o.stop && *g->o.stop;
}

/* ---- an input ---- */

static struct input *input_new(struct ingest *g, const char *path,
			       struct source *src)
{
	struct input *in = xcalloc(1, sizeof(*in));

	in->seq = ++g->next_seq;
	in->path = xstrdup(path);
	in->res.path = in->path;
	in->src = src;
	g->totals.inputs++;
	return in;
}

static void input_free(struct input *in)
{
	if (!in)
		return;
	if (in->own_src) {
		source_close(in->first_src);
		if (in->job.src != in->first_src)
			source_close(in->job.src);
	}
	free(in->path);
	free(in->ids);
	free(in->copies);
	free(in->file_key);
	free(in->note);
	free(in->error);
	free(in);
}

/* An input is stored, failed or skipped: counted and said, in order. */
static void input_done(struct ingest *g, struct input *in)
{
	if (in->res.error)
		g->totals.failed++;
	else if (in->res.skipped)
		g->totals.skipped++;
	g->stored_seq = in->seq;
	if (g->ops->input_done)
		g->ops->input_done(g->ctx, &in->res);
}

/*
 * The input's row, added with its first report (or at its end), so that
 * a host found only then (source_host() reading an archive ahead) is the
 * row's host too.  The layout's host (--host-from-dir, sosreport) comes
 * before --host.
 */
static int add_source(struct ingest *g, struct input *in)
{
	const char *host = in->src && in->src->host ? in->src->host : g->o.host;

	if (in->source_added)
		return 0;
	in->source_added = 1;
	return store_add_source(g->st, in->path, host, &in->source_id);
}

/* Whether the input can take a record now: its source row is in and no
 * store error came before.  Every sink callback starts with it. */
static int input_writable(struct ingest *g, struct input *in)
{
	if (!in->save_error)
		in->save_error = add_source(g, in);
	return !in->save_error;
}

static void keep_id(struct input *in, int64_t id, int copy)
{
	if (in->n_ids == in->cap_ids) {
		in->cap_ids = in->cap_ids ? 2 * in->cap_ids : 64;
		in->ids = xrealloc(in->ids, in->cap_ids * sizeof(*in->ids));
		in->copies = xrealloc(in->copies,
				      in->cap_ids * sizeof(*in->copies));
	}
	in->ids[in->n_ids] = id;
	in->copies[in->n_ids++] = copy;
}

/* A time of the input's events and lines, for the link pass. */
static void saw_wall(struct input *in, int64_t us)
{
	if (!in->have_wall || us < in->wall_min)
		in->wall_min = us;
	if (!in->have_wall || us > in->wall_max)
		in->wall_max = us;
	in->have_wall = 1;
}

/* The host of lines that carry none.  On an archive member, source_host()
 * may read ahead: only on the engine's thread, while the walk is at it. */
static const char *default_host(struct ingest *g, struct input *in)
{
	const char *host = in->src ? source_host(in->src) : NULL;

	return host ? host : g->o.host;
}

/* ---- the sink: reports and lines of the input being stored ---- */

/* An event of the input (a kernel report with its diagnosis d, or a
 * userspace kill: d NULL): stored, counted and its id kept.  0 and *id,
 * or the store's error. */
static int save_event(struct ingest *g, struct input *in,
		      struct oom_report *r, const struct diagnosis *d,
		      int64_t *id)
{
	if (!input_writable(g, in))
		return in->save_error;
	in->save_error = store_save_event(g->st, in->source_id, r, d, id);
	if (in->save_error)
		return in->save_error;
	in->res.events++;
	g->totals.found++;
	keep_id(in, *id, store_last_save_was_copy(g->st));
	return 0;
}

static void on_report(void *ctx, struct oom_report *r)
{
	struct ingest *g = ctx;
	struct input *in = g->cur;
	struct diagnosis d;
	int64_t id;

	if (!r->host) {
		const char *host = default_host(g, in);

		if (host)
			r->host = xstrdup(host);
	}
	/* only the kernel's entries become reports (journal-render.c): the
	 * journal vouches for where they came from */
	if (in->journal && !r->killer)
		r->trust = PROV_JOURNAL;
	badness_analyse(r);
	/* decided once, here, and stored: top --by cause, sql, export */
	diagnose(r, NULL, &d);
	if (save_event(g, in, r, r->killer ? NULL : &d, &id) == 0 &&
	    (r->known & RK_WALL))
		saw_wall(in, r->wall_us);
	oom_report_free(r);
}

/* A userspace line: stored; a userspace kill is an event as well. */
static void on_story(void *ctx, struct story_event *e)
{
	struct ingest *g = ctx;
	struct input *in = g->cur;
	struct oom_report *r;
	int64_t id = 0;
	int dup = 0;

	if (!e->host) {
		const char *host = default_host(g, in);

		if (host)
			e->host = xstrdup(host);
	}
	if (input_writable(g, in) && (r = story_kill_report(e)) != NULL) {
		/* a userspace kill has no report to diagnose */
		if (save_event(g, in, r, NULL, &id) < 0)
			id = 0;
		oom_report_free(r);
	}
	if (input_writable(g, in)) {
		in->save_error = store_save_story(g->st, in->source_id, e, id,
						  &dup);
		if (!in->save_error && !dup)
			in->res.stories++;
		if (e->known & SK_WALL)
			saw_wall(in, e->wall_us);
	}
	story_event_free(e);
}

static void line_warning(struct ingest *g, struct input *in, uint64_t lineno,
			 const char *msg)
{
	in->res.warnings++;
	if (g->ops->line_warning)
		g->ops->line_warning(g->ctx, in->path, lineno, msg);
}

/* A warning of the decoder of a journal text export: its own lines. */
static void on_input_warning(void *ctx, uint64_t lineno, const char *msg)
{
	struct ingest *g = ctx;

	line_warning(g, g->cur, lineno, msg);
}

static void on_warning(void *ctx, uint64_t lineno, const char *msg)
{
	struct ingest *g = ctx;
	struct input *in = g->cur;

	/* the parsers count the lines the decoder rendered */
	if (in->text)
		lineno = journal_text_input_line(in->text, lineno);
	line_warning(g, in, lineno, msg);
}

/* The reader of an input read on this thread, counting its bytes for the
 * progress display. */
struct counting_reader {
	const struct scan_reader *rd;
	struct ingest *g;
};

static ssize_t counting_read(void *ctx, void *buf, size_t n)
{
	struct counting_reader *cr = ctx;
	ssize_t r;

	if (stopped(cr->g))
		return -EINTR;
	r = cr->rd->read(cr->rd->ctx, buf, n);
	if (r > 0) {
		atomic_fetch_add(&cr->g->bytes, (uint64_t)r);
		progress(cr->g);
	}
	return r;
}

/*
 * Files read before: the resume row's key is what the file holds (the
 * hash of its head, and the host its lines are stored under), so the same
 * content is found again under a rotated name and a replaced file is
 * not.  The row keeps the offset of the last line read where no report
 * was open and, in its fingerprint column, the lines before that offset
 * and the raw file's size and mtime (a compressed file that did not
 * change is not decoded again).
 */
#define FILE_HINTS "lines=%" SCNu64 " size=%" SCNd64 " mtime=%" SCNd64 \
		   " tail=%32s"

static int save_file_resume(struct ingest *g, struct input *in,
			    const struct scan_stats *st)
{
	struct resume_point rp = { .has_offset = 1 };
	char tail[33] = "-";
	int r;

	rp.offset = (int64_t)(in->res.resumed_at + st->safe_bytes);
	if (source_tail_hash(in->src, (uint64_t)rp.offset, tail) < 0)
		strcpy(tail, "-");
	rp.fingerprint = xasprintf("lines=%" PRIu64 " size=%" PRId64
				   " mtime=%" PRId64 " tail=%s",
				   in->start_lines + st->safe_lines,
				   in->file_id.raw_size, in->file_id.raw_mtime_ns,
				   tail);
	r = store_set_resume(g->st, in->file_key, &rp);
	free(rp.fingerprint);
	return r;
}

/* The resume row's key of a file on disk, in in->file_key; 0, or < 0 for
 * what has none (stdin, a pipe, an archive member). */
static int file_key(struct ingest *g, struct input *in, struct source *src)
{
	const char *host = src->host ? src->host : g->o.host;

	if (source_identity(src, &in->file_id) < 0)
		return -ENOTSUP;
	in->file_key = xasprintf("file:%s:%s:%zu", host ? host : "",
				 in->file_id.head_hash, in->file_id.head_len);
	return 0;
}

/*
 * Where to start reading src (its resume row read by file_key()): 1 when
 * nothing changed since the last read, else 0, and a start after the
 * start of the file in in->job (the worker skips to it).
 */
static int file_resume(struct ingest *g, struct input *in, struct source *src)
{
	struct resume_point rp;
	uint64_t lines = 0;
	int64_t size = -1, mtime = -1, offset;
	char tail[33] = "-", now[33];

	if (!in->file_key || store_get_resume(g->st, in->file_key, &rp) < 0 ||
	    !rp.has_offset)
		return 0;
	if (rp.fingerprint)
		sscanf(rp.fingerprint, FILE_HINTS, &lines, &size, &mtime, tail);
	offset = rp.offset;
	resume_point_release(&rp);
	if (src->codec == SOURCE_PLAIN && in->file_id.raw_size < offset)
		return 0;	/* truncated: read it again */
	/* the same head is not enough: another file may start the same
	 * (cloned machines' dmesg) and go on otherwise */
	if (strcmp(tail, "-") &&
	    source_tail_hash(src, (uint64_t)offset, now) == 0 &&
	    strcmp(tail, now))
		return 0;
	if (size == in->file_id.raw_size && mtime == in->file_id.raw_mtime_ns &&
	    (src->codec != SOURCE_PLAIN || offset == size))
		return 1;
	/* a compressed file is skipped into only when a plain one's tail
	 * says what its bytes there must be (kern.log.1 -> kern.log.2.gz):
	 * the worker decodes them and compares */
	if (!strcmp(tail, "-") && offset > 0)
		return 0;
	in->job.skip = 1;
	in->job.skip_to = (uint64_t)offset;
	in->job.skip_lines = lines;
	memcpy(in->job.skip_tail, tail, sizeof(tail));
	return 0;
}

/* An input's events into the run's totals: the copies of stored ones
 * counted as known. */
static void tally(struct ingest *g, const struct input *in)
{
	g->totals.events += in->res.events;
	for (size_t i = 0; i < in->n_ids; i++)
		g->totals.known += in->copies[i] != 0;
}

/* Whether the input only repeated what an input of its path stored
 * before: every event a copy merged into its stored one, no new
 * userspace line. */
static int added_nothing(struct ingest *g, struct input *in)
{
	for (size_t i = 0; i < in->n_ids; i++)
		if (in->copies[i] != 1)
			return 0;
	return in->res.stories == 0 && in->source_added &&
	       store_source_seen(g->st, in->path, in->source_id) == 1;
}

/*
 * The end of an input's read (r and stats: scan_stream_at()'s), in its
 * transaction: link, resume points, commit; then said.  0, -EINTR when
 * the read was interrupted (stop), or < 0 when the database became
 * unusable.  The journal's resume point (key and j) commits with the
 * events read before it.
 */
static int finish_input(struct ingest *g, struct input *in, int r,
			const struct scan_stats *stats, const char *resume_key,
			struct journal_src *j)
{
	size_t linked;

	in->res.lines = stats->lines;
	in->res.bytes = stats->bytes;
	if (r < 0 && stopped(g)) {
		store_rollback(g->st);
		say(g, INGEST_ERROR, "interrupted while reading '%s': nothing "
		    "of it stored", in->path);
		in->res.error = "interrupted";
		g->totals.found -= in->res.events;
		in->res.events = 0;
		input_done(g, in);
		return -EINTR;	/* stop */
	}
	if (r < 0) {
		const char *why = in->src ? source_strerror(in->src, r)
					  : strerror(-r);

		store_rollback(g->st);
		say(g, INGEST_ERROR, "cannot read '%s': %s, nothing of it "
		    "stored", in->path, why);
		in->res.error = why;
		g->totals.found -= in->res.events;
		in->res.events = 0;
		input_done(g, in);
		return 0;
	}
	/* the same stdin or archive member read again: nothing new, no
	 * second source row (nor its links) */
	if (input_writable(g, in) && !in->file_key && !j &&
	    added_nothing(g, in)) {
		store_rollback(g->st);
		in->res.known = 1;
		tally(g, in);
		input_done(g, in);
		return 0;
	}
	/* a line and the kernel report it tells of may come in two inputs */
	if (input_writable(g, in) && in->have_wall)
		in->save_error = store_link_story(g->st, in->wall_min,
						  in->wall_max, &linked);
	if (input_writable(g, in) && j && journal_cursor(j)) {
		struct resume_point rp = { .cursor = (char *)journal_cursor(j) };

		in->save_error = store_set_resume(g->st, resume_key, &rp);
	}
	if (!in->save_error && in->file_key)
		in->save_error = save_file_resume(g, in, stats);
	if (in->save_error || (r = store_commit(g->st)) < 0) {
		say(g, INGEST_ERROR, "cannot store events of '%s': %s",
		    in->path, store_errmsg(g->st));
		store_rollback(g->st);
		in->res.error = "database error";
		g->totals.found -= in->res.events;
		in->res.events = 0;
		input_done(g, in);
		return in->save_error ? in->save_error : r;
	}
	if (j) {
		in->res.journal = 1;
		in->res.journal_entries = journal_entries(j);
		in->res.journal_kernel = journal_kernel_entries(j);
	} else if (in->text) {
		in->res.journal_text = 1;
		in->res.journal_entries = journal_text_entries(in->text);
		in->res.journal_kernel = journal_text_kernel_entries(in->text);
	}
	if (j && journal_damage(j)) {
		/* stored what could be read, but the input failed */
		say(g, INGEST_ERROR, "'%s': %s", in->path, journal_damage(j));
		in->res.error = journal_damage(j);
		g->totals.partial++;
	}
	tally(g, in);
	for (size_t i = 0; i < in->n_ids && g->ops->event; i++)
		g->ops->event(g->ctx, in->ids[i], in->copies[i]);
	input_done(g, in);
	return 0;
}

/* An input's transaction.  < 0 when the database is unusable: said, and
 * the input failed. */
static int begin_input(struct ingest *g, struct input *in)
{
	int r = store_begin(g->st);

	g->cur = in;
	if (r < 0) {
		say(g, INGEST_ERROR, "'%s': %s", in->path, store_errmsg(g->st));
		store_rollback(g->st);
		in->res.error = "database error";
		input_done(g, in);
	}
	return r;
}

/* Scan an input on this thread (journals, journal exports), into its own
 * transaction. */
static int ingest_stream(struct ingest *g, struct input *in,
			 const struct scan_reader *rd, int64_t ref_time,
			 const char *resume_key, struct journal_src *j)
{
	struct report_sink sink = { on_report, on_warning, g, on_story };
	struct counting_reader cr = { rd, g };
	struct scan_reader counted = { counting_read, &cr };
	struct scan_stats stats = { 0 };
	int r = begin_input(g, in);

	if (r < 0)
		return g->fatal = r;	/* the database is unusable: stop */
	in->journal = 1;
	r = scan_stream_at(g->cls, &counted, ref_time, in->start_lines, &sink,
			   &stats);
	r = finish_input(g, in, r, &stats, resume_key, j);
	g->cur = NULL;
	if (r < 0)
		g->fatal = r;
	return r;
}

/* ---- inputs in flight ---- */

static void fly(struct ingest *g, struct input *in)
{
	in->next = NULL;
	*g->flight_tail = in;
	g->flight_tail = &in->next;
	g->n_flight++;
	if (in->parallel)
		g->n_jobs++;
}

static struct input *land(struct ingest *g)
{
	struct input *in = g->flight;

	g->flight = in->next;
	if (!g->flight)
		g->flight_tail = &g->flight;
	g->n_flight--;
	if (in->parallel)
		g->n_jobs--;
	return in;
}

/* After a fatal error or a stop: every input in flight dropped, unsaid
 * (their workers told to stop, and waited for). */
static void drop_flight(struct ingest *g)
{
	struct input *in;

	for (in = g->flight; in; in = in->next)
		if (in->parallel)
			pool_cancel(g->pool, &in->job);
	while (g->flight) {
		in = g->flight;
		while (in->parallel && !pool_job_done(g->pool, &in->job))
			pool_wait(g->pool, WAIT_MS);
		if (in->begun)
			store_rollback(g->st);
		input_free(land(g));
	}
	g->cur = NULL;
}

/*
 * Store what the first input in flight has ready, and finish it when it
 * is done.  1 when something was done, 0 when it must be waited for, < 0
 * when ingest must stop (the database is unusable, or a stop): then
 * nothing is in flight any more.
 */
static int store_ready(struct ingest *g)
{
	struct input *in = g->flight;
	struct pool_item *items, *it;
	int done, r;

	if (!in)
		return 0;
	if (!in->parallel) {
		if (in->noted)
			say(g, in->note_level, "%s", in->note);
		input_done(g, in);
		input_free(land(g));
		return 1;
	}
	if (!in->begun) {
		r = begin_input(g, in);
		if (r < 0) {
			input_free(land(g));
			drop_flight(g);
			return g->fatal = r;
		}
		in->begun = 1;
	}
	g->cur = in;
	items = pool_take(g->pool, &in->job, &done);
	for (it = items; it; it = it->next) {
		switch (it->kind) {
		case POOL_REPORT:
			on_report(g, it->report);
			it->report = NULL;
			break;
		case POOL_STORY:
			on_story(g, it->story);
			it->story = NULL;
			break;
		case POOL_WARNING:
			line_warning(g, in, it->lineno, it->msg);
			break;
		}
	}
	pool_items_free(items);
	if (!done)
		return items != NULL;
	in->res.resumed_at = in->job.resumed_at;
	in->start_lines = in->job.start_lines;
	if (in->job.src)
		in->src = in->job.src;	/* opened again (pool_job.skip_tail) */
	in->begun = 0;
	r = finish_input(g, in, in->job.rc, &in->job.stats, NULL, NULL);
	input_free(land(g));
	g->cur = NULL;
	if (r < 0) {
		drop_flight(g);
		return g->fatal = r;
	}
	return 1;
}

/* Store what is ready, or else wait a little for the workers.  < 0 as
 * store_ready(). */
static int tend(struct ingest *g)
{
	int r = g->fatal ? g->fatal : store_ready(g);

	if (r == 0 && g->flight)
		pool_wait(g->pool, WAIT_MS);
	progress(g);
	return r < 0 ? r : 0;
}

/* Everything in flight stored.  0, or < 0 as store_ready(). */
static int land_all(struct ingest *g)
{
	int r = g->fatal;

	while (g->flight && r >= 0)
		r = tend(g);
	return r;
}

int ingest_finish(struct ingest *g)
{
	return land_all(g);
}

void ingest_free(struct ingest *g)
{
	if (!g)
		return;
	drop_flight(g);
	pool_free(g->pool);
	classify_free(g->cls);
	free(g);
}

const struct ingest_totals *ingest_totals(const struct ingest *g)
{
	return &g->totals;
}

/* ---- the walk ---- */

/* An input done without being read, said when its turn comes. */
static int done_unread(struct ingest *g, struct input *in)
{
	int r;

	in->src = NULL;		/* the walk's, and not needed */
	fly(g, in);
	/* said now if its turn has come, else later: the walk goes on
	 * without waiting for the workers */
	while ((r = store_ready(g)) > 0)
		;
	return r;
}

/* res.error, copied: the walk's strings do not outlive its callback. */
static void set_error(struct input *in, const char *why)
{
	free(in->error);
	in->error = xstrdup(why);
	in->res.error = in->error;
}

/* Journals are read on this thread, after everything before them. */
static int journal_input(struct ingest *g, const struct journal_opts *base,
			 const char *name, const char *key)
{
	struct journal_opts o = *base;
	struct resume_point rp = { 0 };
	struct journal_src *j = NULL;
	struct scan_reader rd;
	struct input *in;
	char *err = NULL;
	int r = land_all(g);

	if (r < 0)
		return r;
	in = input_new(g, name, NULL);
	o.kernel_only = 1;
	if (store_get_resume(g->st, key, &rp) == 0)
		o.after_cursor = rp.cursor;
	r = journal_open(&o, &j, &err);
	if (r < 0) {
		say(g, INGEST_ERROR, "%s, skipping", err);
		in->res.error = err;
		input_done(g, in);
		input_free(in);
		free(err);
		resume_point_release(&rp);
		return 0;
	}
	rd = journal_reader(j);
	r = ingest_stream(g, in, &rd, 0, key, j);
	journal_close(j);
	resume_point_release(&rp);
	input_free(in);
	return r;
}

int ingest_journal(struct ingest *g, const struct journal_opts *o,
		   const char *name, const char *resume_key)
{
	return journal_input(g, o, name, resume_key);
}

/* A journal in an archive is copied at most this many bytes (real journal
 * files are at most a few hundred MiB: journald's SystemMaxFileSize);
 * OOMLENS_JOURNAL_COPY_MAX (bytes, or with K, M, G) sets it. */
#define JOURNAL_COPY_MAX (UINT64_C(4) << 30)

static uint64_t journal_copy_max(void)
{
	const char *v = getenv("OOMLENS_JOURNAL_COPY_MAX");
	char *end;
	unsigned long long n;

	if (!v || !*v)
		return JOURNAL_COPY_MAX;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (errno || end == v)
		return JOURNAL_COPY_MAX;
	switch (*end) {
	case 'K': case 'k': n <<= 10; break;
	case 'M': case 'm': n <<= 20; break;
	case 'G': case 'g': n <<= 30; break;
	default: break;
	}
	return (uint64_t)n;
}

/* Copy the member into fd: NULL, or why not (the cap, a read or write
 * error, a stop). */
static const char *copy_member(struct ingest *g, struct source *src, int fd,
			       uint64_t max)
{
	struct scan_reader rd = source_reader(src);
	char *buf = xmalloc(COPY_SIZE);
	const char *why = NULL;
	uint64_t copied = 0;

	while (!why) {
		ssize_t n = rd.read(rd.ctx, buf, COPY_SIZE);

		if (stopped(g)) {
			why = "interrupted";
			break;
		}
		if (n < 0)
			why = source_strerror(src, (int)n);
		if (n <= 0)
			break;
		if ((copied += (uint64_t)n) > max) {
			why = "larger than OOMLENS_JOURNAL_COPY_MAX allows "
			      "(see oomlens(1), ENVIRONMENT)";
			break;
		}
		atomic_fetch_add(&g->bytes, (uint64_t)n);
		for (ssize_t off = 0; off < n && !why;) {
			ssize_t w = write(fd, buf + off, (size_t)(n - off));

			if (w < 0 && errno != EINTR)
				why = strerror(errno);
			else if (w > 0)
				off += w;
		}
	}
	free(buf);
	return why;
}

/*
 * A journal file inside an archive: sd-journal reads only files, so its
 * bytes go to a private temporary file ($TMPDIR), at most
 * journal_copy_max() bytes, removed when read, when the copy stops (a
 * signal, the cap) or when the process is killed (tmpfile.h).  Its cursor
 * is kept under the member's name, so the archive ingested again adds
 * nothing.
 */
static int archived_journal(struct ingest *g, struct source *src)
{
	const char *dir = getenv("TMPDIR");
	struct guarded_tmp tmp;
	const char *why = NULL;
	int r = guarded_tmp_open(&tmp, dir && *dir ? dir : "/tmp", ".journal");

	if (r < 0)
		why = strerror(-r);
	else
		why = copy_member(g, src, tmp.fd, journal_copy_max());
	r = 0;
	if (!why) {
		struct journal_opts o = { .fd = tmp.fd, .fd_name = src->path };
		char *key = xasprintf("journal:member:%s", src->path);

		r = journal_input(g, &o, src->path, key);
		free(key);
	}
	guarded_tmp_close(&tmp);
	if (why && stopped(g))
		return -EINTR;
	if (why) {
		struct input *in = input_new(g, src->path, src);

		note(in, INGEST_ERROR, "cannot extract the journal '%s': %s, "
		     "skipping", src->path, why);
		set_error(in, why);
		r = done_unread(g, in);
	}
	return r;
}

/* journalctl -o export / json: decoded into the native reader's text (its
 * own warnings name input lines), on this thread. */
static int journal_text_input(struct ingest *g, struct source *src)
{
	struct scan_reader rd = source_reader(src);
	struct input *in;
	int r = land_all(g);

	if (r < 0)
		return r;
	in = input_new(g, src->path, src);
	g->cur = in;
	in->text = journal_text_new(src->kind == SOURCE_JOURNAL_JSON ?
				    JOURNAL_TEXT_JSON : JOURNAL_TEXT_EXPORT,
				    &rd, on_input_warning, g);
	rd = journal_text_reader(in->text);
	r = ingest_stream(g, in, &rd, src->mtime, NULL, NULL);
	journal_text_free(in->text);
	input_free(in);
	return r;
}

/* Whether an input in flight has this resume key: then its row may still
 * change, and a file with the key waits for it. */
static int key_in_flight(const struct ingest *g, const char *key)
{
	for (const struct input *in = g->flight; in; in = in->next)
		if (in->file_key && !strcmp(in->file_key, key))
			return 1;
	return 0;
}

/*
 * A file on disk: a worker reads (and decompresses) it on its own, while
 * the walk goes on; it is stored when its turn comes.  Returns
 * SOURCE_INPUT_KEPT: the input closes src.
 */
static int file_job(struct ingest *g, struct input *in, struct source *src)
{
	int r = 0;

	in->own_src = 1;
	in->first_src = src;
	in->parallel = 1;
	in->job.src = src;
	in->job.ref_time = src->mtime;
	pool_submit(g->pool, &in->job);
	fly(g, in);
	while (g->n_jobs >= g->max_jobs && r >= 0)
		r = tend(g);
	/* src is the input's even when it was dropped (g->fatal): the walk
	 * must not close it, and stops at the next input */
	return SOURCE_INPUT_KEPT;
}

/*
 * An archive member or stdin: its bytes come from the walk, so this
 * thread reads (and decompresses) them and a worker parses them as they
 * come; the walk goes on once it is stored (source_host() may need to
 * read the archive ahead for its reports, and its source is the walk's).
 */
static int pipe_job(struct ingest *g, struct input *in, struct source *src)
{
	struct scan_reader rd = source_reader(src);
	uint64_t seq = in->seq;
	char *buf = xmalloc(COPY_SIZE);
	int r = 0;

	in->parallel = 1;
	in->job.src = NULL;
	in->job.ref_time = src->mtime;
	pool_submit(g->pool, &in->job);
	fly(g, in);
	for (;;) {
		ssize_t n = stopped(g) ? -EINTR : rd.read(rd.ctx, buf, COPY_SIZE);

		if (n <= 0) {
			pool_pipe_close(g->pool, &in->job, (int)n);
			break;
		}
		atomic_fetch_add(&g->bytes, (uint64_t)n);
		while (!pool_pipe_put(g->pool, &in->job, buf, (size_t)n) &&
		       (r = tend(g)) >= 0)
			;
		if (r < 0)
			break;	/* in was dropped */
	}
	free(buf);
	while (r >= 0 && g->stored_seq < seq)
		r = tend(g);
	return r;
}

static int walk_input(void *ctx, struct source *src)
{
	struct ingest *g = ctx;
	struct input *in;
	int r;

	if (g->fatal)
		return g->fatal;
	if (stopped(g))
		return -EINTR;
	if (src->kind == SOURCE_JOURNAL && journal_file_magic(src->path)) {
		/* a journal file on disk: sd-journal reads it by path */
		const char *files[] = { src->path };
		struct journal_opts o = { .files = files, .n_files = 1 };
		char *key = xasprintf("journal:file:%s", src->path);
		int jr = journal_input(g, &o, src->path, key);

		free(key);
		return jr;
	}
	if (src->kind == SOURCE_JOURNAL) {
		r = land_all(g);
		return r < 0 ? r : archived_journal(g, src);
	}
	if (src->kind == SOURCE_JOURNAL_EXPORT ||
	    src->kind == SOURCE_JOURNAL_JSON)
		return journal_text_input(g, src);
	in = input_new(g, src->path, src);
	if (src->kind == SOURCE_BINARY) {
		in->res.skipped = "binary";
		note(in, INGEST_NOTICE, "skipping '%s': binary, not a text log",
		     src->path);
		return done_unread(g, in);
	}
	/* journal exports are decoded into other text: offsets into that
	 * are not offsets into the file, so only text is resumed (the store
	 * keeps each report once) */
	if (src->kind == SOURCE_TEXT && file_key(g, in, src) == 0) {
		r = 0;
		while (r >= 0 && key_in_flight(g, in->file_key))
			r = tend(g);
		if (r < 0) {
			input_free(in);
			return r;
		}
		if (file_resume(g, in, src) == 1) {
			in->res.unchanged = 1;
			return done_unread(g, in);
		}
	}
	if (src->on_disk && !src->arch)
		return file_job(g, in, src);
	return pipe_job(g, in, src);
}

static void walk_error(void *ctx, enum source_error_where where,
		       const char *path, const char *msg)
{
	struct ingest *g = ctx;
	struct input *in;

	if (where == SOURCE_NOTE_DIR_LINK) {
		/* what a loop of links would walk forever: said, not failed;
		 * in order, after what was found before it */
		if (land_all(g) >= 0)
			say(g, INGEST_NOTICE, "skipping '%s': %s", path, msg);
		return;
	}
	in = input_new(g, path, NULL);
	switch (where) {
	case SOURCE_NOTE_DIR_LINK:	/* said above */
		break;
	case SOURCE_ERR_DIR:
		note(in, INGEST_ERROR, "cannot read directory '%s': %s, "
		     "skipping", path, msg);
		break;
	case SOURCE_ERR_ARCHIVE:
		note(in, INGEST_ERROR, "cannot read '%s': %s, skipping the "
		     "rest of it", path, msg);
		break;
	case SOURCE_ERR_SKIPPED:
		note(in, INGEST_ERROR, "cannot read part of '%s': %s, "
		     "skipping to the next member", path, msg);
		break;
	case SOURCE_ERR_OPEN:
		note(in, INGEST_ERROR, "cannot read '%s': %s, skipping", path,
		     msg);
		break;
	}
	set_error(in, msg);
	done_unread(g, in);
}

int ingest_path(struct ingest *g, const char *path)
{
	static const struct source_walk_ops walk_ops = {
		walk_input, walk_error,
	};

	int r = g->fatal ? g->fatal
			 : source_walk(path, g->o.walk_flags, &walk_ops, g);

	return g->fatal ? g->fatal : r;
}
