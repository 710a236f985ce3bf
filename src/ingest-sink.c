/*
 * ingest-sink.c: where the parsers' reports, userspace lines and warnings
 * of the input being stored go (ingest-int.h): its source row, its
 * events (with their diagnosis) and their ids, its wall clock span.
 */
#include <stdint.h>
#include <stdlib.h>

#include "badness.h"
#include "diagnosis.h"
#include "ingest-int.h"
#include "journal.h"
#include "oom.h"
#include "store.h"
#include "story.h"
#include "xalloc.h"

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
int input_writable(struct ingest *g, struct input *in)
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

/* The host of lines that carry none, into *host when it is unset.  On an
 * archive member, source_host() may read ahead: only on the engine's
 * thread, while the walk is at it. */
static void default_host(struct ingest *g, struct input *in, char **host)
{
	const char *h;

	if (*host)
		return;
	h = in->src ? source_host(in->src) : NULL;
	if (!h)
		h = g->o.host;
	if (h)
		*host = xstrdup(h);
}

/* ---- the sink: reports and lines of the input being stored ---- */

/* An event of the input (a kernel report with its diagnosis d, or a
 * userspace kill: d NULL): stored, counted and its id kept.  0 and *id,
 * or the store's error. */
static int save_event(struct ingest *g, struct input *in,
		      struct oom_report *r, const struct diagnosis *d,
		      int64_t *id)
{
	int copy = 0;

	if (!input_writable(g, in))
		return in->save_error;
	in->save_error = store_save_event(g->st, in->source_id, r, d, id,
					  &copy);
	if (in->save_error)
		return in->save_error;
	in->res.events++;
	g->totals.found++;
	keep_id(in, *id, copy);
	return 0;
}

void ingest_on_report(void *ctx, struct oom_report *r)
{
	struct ingest *g = ctx;
	struct input *in = g->cur;
	struct diagnosis d;
	int64_t id;

	default_host(g, in, &r->host);
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
void ingest_on_story(void *ctx, struct story_event *e)
{
	struct ingest *g = ctx;
	struct input *in = g->cur;
	struct oom_report *r;
	int64_t id = 0;
	int dup = 0;

	default_host(g, in, &e->host);
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

void input_line_warning(struct ingest *g, struct input *in, uint64_t lineno,
			 const char *msg)
{
	in->res.warnings++;
	if (g->ops->line_warning)
		g->ops->line_warning(g->ctx, in->path, lineno, msg);
}

/* A warning of the decoder of a journal text export: its own lines. */
void ingest_input_warning(void *ctx, uint64_t lineno, const char *msg)
{
	struct ingest *g = ctx;

	input_line_warning(g, g->cur, lineno, msg);
}

void ingest_on_warning(void *ctx, uint64_t lineno, const char *msg)
{
	struct ingest *g = ctx;
	struct input *in = g->cur;

	/* the parsers count the lines the decoder rendered */
	if (in->text)
		lineno = journal_text_input_line(in->text, lineno);
	input_line_warning(g, in, lineno, msg);
}
