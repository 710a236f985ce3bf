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
#include "ingest-int.h"
#include "journal.h"
#include "oom.h"
#include "report.h"
#include "scan.h"
#include "source.h"
#include "store.h"
#include "story-event.h"
#include "xalloc.h"

/* How long the engine sleeps at most while workers parse: the progress
 * line's redraw rate, and how soon a signal is seen. */
#define WAIT_MS 100

void ingest_say(struct ingest *g, enum ingest_level level, const char *fmt,
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

void input_note(struct input *in, enum ingest_level level, const char *fmt,
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

void ingest_progress(struct ingest *g)
{
	g->totals.bytes = atomic_load(&g->bytes);
	if (g->ops->progress)
		g->ops->progress(g->ctx, &g->totals);
}

int ingest_stopped(const struct ingest *g)
{
	return g->o.stop && *g->o.stop;
}

/* ---- an input ---- */

struct input *input_new(struct ingest *g, const char *path,
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

void input_free(struct input *in)
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
	journal_close(in->jsrc);
	free(in->jkey);
	free(in->note);
	free(in->error);
	free(in);
}

/* An input is stored, failed or skipped: counted and said, in order. */
void input_done(struct ingest *g, struct input *in)
{
	if (in->res.error)
		g->totals.failed++;
	else if (in->res.skipped)
		g->totals.skipped++;
	g->stored_seq = in->seq;
	if (g->ops->input_done)
		g->ops->input_done(g->ctx, &in->res);
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

	if (ingest_stopped(cr->g))
		return -EINTR;
	r = cr->rd->read(cr->rd->ctx, buf, n);
	if (r > 0) {
		atomic_fetch_add(&cr->g->bytes, (uint64_t)r);
		ingest_progress(cr->g);
	}
	return r;
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
	if (r < 0 && ingest_stopped(g)) {
		store_rollback(g->st);
		ingest_say(g, INGEST_ERROR, "interrupted while reading '%s': nothing "
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
		ingest_say(g, INGEST_ERROR, "cannot read '%s': %s, nothing of it "
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
		in->res.known = !in->blank;	/* nothing in it to know */
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
		in->save_error = input_save_resume(g, in, stats);
	if (in->save_error || (r = store_commit(g->st)) < 0) {
		ingest_say(g, INGEST_ERROR, "cannot store events of '%s': %s",
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
		ingest_say(g, INGEST_ERROR, "'%s': %s", in->path, journal_damage(j));
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
		ingest_say(g, INGEST_ERROR, "'%s': %s", in->path, store_errmsg(g->st));
		store_rollback(g->st);
		in->res.error = "database error";
		input_done(g, in);
	}
	return r;
}

/* Scan an input on this thread (journals, journal exports), into its own
 * transaction. */
int ingest_stream(struct ingest *g, struct input *in,
			 const struct scan_reader *rd, int64_t ref_time,
			 const char *resume_key, struct journal_src *j)
{
	struct report_sink sink = { ingest_on_report, ingest_on_warning, g, ingest_on_story };
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

void ingest_fly(struct ingest *g, struct input *in)
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
int ingest_store_ready(struct ingest *g)
{
	struct input *in = g->flight;
	struct pool_item *items, *it;
	int done, r;

	if (!in)
		return 0;
	if (!in->parallel) {
		if (in->noted)
			ingest_say(g, in->note_level, "%s", in->note);
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
			ingest_on_report(g, it->report);
			it->report = NULL;
			break;
		case POOL_STORY:
			ingest_on_story(g, it->story);
			it->story = NULL;
			break;
		case POOL_WARNING:
			input_line_warning(g, in, it->lineno, it->msg);
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
	r = finish_input(g, in, in->job.rc, &in->job.stats, in->jkey, in->jsrc);
	input_free(land(g));
	g->cur = NULL;
	if (r < 0) {
		drop_flight(g);
		return g->fatal = r;
	}
	return 1;
}

/* Store what is ready, or else wait a little for the workers.  < 0 as
 * ingest_store_ready(). */
int ingest_tend(struct ingest *g)
{
	int r = g->fatal ? g->fatal : ingest_store_ready(g);

	if (r == 0 && g->flight)
		pool_wait(g->pool, WAIT_MS);
	ingest_progress(g);
	return r < 0 ? r : 0;
}

/* Everything in flight stored.  0, or < 0 as ingest_store_ready(). */
int ingest_land_all(struct ingest *g)
{
	int r = g->fatal;

	while (g->flight && r >= 0)
		r = ingest_tend(g);
	return r;
}

int ingest_finish(struct ingest *g)
{
	return ingest_land_all(g);
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

/* An input done without being read, said when its turn comes. */
int input_done_unread(struct ingest *g, struct input *in)
{
	int r;

	in->src = NULL;		/* the walk's, and not needed */
	ingest_fly(g, in);
	/* said now if its turn has come, else later: the walk goes on
	 * without waiting for the workers */
	while ((r = ingest_store_ready(g)) > 0)
		;
	return r;
}

/* res.error, copied: the walk's strings do not outlive its callback. */
void input_set_error(struct input *in, const char *why)
{
	free(in->error);
	in->error = xstrdup(why);
	in->res.error = in->error;
}
