/*
 * cmd-why.c: "why did the kernel kill postgres?"  For each matching kill,
 * newest first: when and where, the kernel's arithmetic for the victim
 * against the runner-up, who really ate the memory, where it went, and
 * the setting that would have saved the victim.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "badness.h"
#include "cmd.h"
#include "diagnosis.h"
#include "explain.h"
#include "snapshot.h"
#include "oom.h"
#include "oomlens.h"
#include "output-formats.h"
#include "output.h"
#include "picture.h"
#include "chart.h"
#include "buf.h"
#include "store.h"
#include "table.h"
#include "story-event.h"
#include "timefmt.h"
#include "why-text.h"
#include "workload.h"

static int cmd_why_exec(struct cmd_ctx *ctx, const struct cmd_args *args);

static const struct option why_options[] = {
	CMD_TASK_OPTIONS,
	{ "all", no_argument, NULL, 'a' },
	{ NULL, 0, NULL, 0 },
};

const struct cmd_entry cmd_why_entry = {
	.name = "why",
	.usage = "why [--json] [--all] [--event ID] [--host NAME] [--utc] "
		 "NAME|PID",
	.summary = "explain why the kernel killed a task, and what would have "
		   "saved it",
	.options =
	"  --json        the findings as JSON, one document per kill\n"
	"  --all         explain every matching kill, not only the newest\n"
	"  --event ID    only this event\n"
	"  --host NAME   only kills on this host\n"
	"  --utc         times in UTC on a terminal too (else local there)\n"
	"  NAME|PID      the killed task's name (comm) or pid\n",
	.flags = CMD_STORE_READ,
	.longopts = why_options,
	.min_args = 1, .max_args = 1,
	.too_few = "which task? give its name or pid",
	.too_many = "one task at a time",
	.exec = cmd_why_exec,
};

static cJSON *task_json(const struct explain_why *w, const struct oom_task *t)
{
	cJSON *o = cJSON_CreateObject();

	out_json_add_i64(o, "pid", t->pid);
	out_json_add_str(o, "name", t->name);
	out_json_add_u64(o, "usage_kb", badness_usage(w->r, t) * w->page_kb);
	if (t->known & TASK_ADJ)
		out_json_add_i64(o, "oom_score_adj", t->oom_score_adj);
	if (t->known & TASK_POINTS) {
		out_json_add_i64(o, "points", t->points);
		out_json_add_i64(o, "rank", t->rank);
	}
	return o;
}

static cJSON *why_json(int64_t id, const struct explain_why *w)
{
	const struct oom_report *r = w->r;
	cJSON *doc = cJSON_CreateObject(), *o, *arr;
	out_json_add_i64(doc, "event_id", id);
	out_json_add_event_time(doc, r);
	out_json_add_str(doc, "host", r->host);
	out_json_add_str(doc, "killer", r->killer ? r->killer : KILLER_KERNEL);
	o = cJSON_AddObjectToObject(doc, "killed");
	out_json_add_i64(o, "pid", w->kill->pid);
	out_json_add_str(o, "name", w->kill->comm);
	out_json_add_str(o, "reason", w->kill->reason);
	out_json_add_str(doc, "constraint", oom_report_constraint(r));
	out_json_add_str(doc, "memcg", out_memcg(r));
	if (r->known & RK_TOTALPAGES)
		out_json_add_u64(doc, "totalpages", r->totalpages);
	if (w->victim)
		cJSON_AddItemToObject(doc, "victim", task_json(w, w->victim));
	if (w->runner_up)
		cJSON_AddItemToObject(doc, "runner_up", task_json(w, w->runner_up));
	if (w->culprit)
		cJSON_AddItemToObject(doc, "culprit", task_json(w, w->culprit));
	if (!r->killer)
		cJSON_AddItemToObject(doc, "diagnosis",
				      out_diagnosis_json(&w->diag));
	arr = cJSON_AddArrayToObject(doc, "top");
	for (size_t i = 0; i < w->n_top; i++)
		cJSON_AddItemToArray(arr, task_json(w, w->top[i]));
	if (r->known & RK_AGREES)
		cJSON_AddBoolToObject(doc, "agrees", r->an.agrees != 0);
	if (w->has_shmem)
		out_json_add_u64(doc, "victim_shmem_kb", w->victim_shmem_kb);
	if (w->has_growth) {
		o = cJSON_AddObjectToObject(doc, "growth");
		out_json_add_i64(o, "since_event_id", w->prev_event_id);
		out_json_add_str(o, "name", w->grew_name);
		out_json_add_i64(o, "kb", w->grew_kb);
	}
	return doc;
}

struct why_opts {
	int json;
	int all;
	size_t shown;
	unsigned chart;		/* chart_detect() of the real output */
	size_t width;		/* the text's (0: unlimited), for its tables */
};

static int why_one(struct cmd_ctx *ctx, int64_t id, struct oom_report *r,
		   const struct store_match *m, struct why_opts *o)
{
	struct oom_report *prev = NULL;
	int64_t prev_id = 0;
	struct snapshot_growth g = { 0 };
	struct store_action *acts = NULL;
	size_t n_acts = 0;
	int have_snap;

	if (store_event_actions(ctx->st, id, &acts, &n_acts) < 0)
		n_acts = 0;	/* the kill is still worth explaining */
	badness_analyse(r);
	have_snap = snapshot_growth(ctx->st, r, &g) == 0;
	if (r->host && (r->known & RK_WALL) &&
	    store_prev_event(ctx->st, r->host, r->wall_us, id, &prev_id) == 0 &&
	    store_load_event(ctx->st, prev_id, &prev) == 0)
		badness_analyse(prev);
	for (size_t i = 0; i < r->n_kills; i++) {
		const struct oom_kill *k = &r->kills[i];
		struct explain_why w;

		if ((m->name && strcmp(k->comm, m->name)) ||
		    (m->has_pid && k->pid != m->pid))
			continue;
		explain_why(r, k, prev, prev_id, &w);
		if (o->json) {
			cJSON *doc = why_json(id, &w);

			cJSON *wl = out_workload_json(r);

			if (wl)
				cJSON_AddItemToObject(doc, "workload", wl);
			out_add_story(doc, acts, n_acts);

			if (have_snap && g.name && g.kb > 0) {
				cJSON *s = cJSON_AddObjectToObject(doc,
								   "snapshot_growth");

				out_json_add_i64(s, "snapshot_id", g.snapshot_id);
				out_json_add_str(s, "name", g.name);
				out_json_add_i64(s, "kb", g.kb);
			}

			out_json_line(ctx->out, doc);
			cJSON_Delete(doc);
		} else {
			if (o->shown)
				fputs("\n----\n\n", ctx->out);
			why_text(ctx->out, id, &w, have_snap ? &g : NULL,
				 acts, n_acts, o->chart, o->width);
		}
		o->shown++;
	}
	oom_report_free(prev);
	snapshot_growth_release(&g);
	store_actions_free(acts, n_acts);
	return 0;
}

/* The other matching kills, newest first, so that one can be picked. */
static void earlier(struct cmd_ctx *ctx, const int64_t *ids, size_t n,
		    size_t total, const char *target)
{
	FILE *out = ctx->out;

	fprintf(out, "\n%zu earlier kill%s of ", total, total == 1 ? "" : "s");
	out_escaped(out, target);
	fputs(":", out);
	for (size_t i = 0; i < n && i < 5; i++) {
		struct oom_report *r;
		char when[40];

		if (store_load_event(ctx->st, ids[i], &r) < 0)
			break;
		out_event_time(r, when, sizeof(when));
		fprintf(out, "%s event %" PRId64 " (%s", i ? "," : "", ids[i],
			when);
		if (r->host) {
			fputs(", ", out);
			out_escaped(out, r->host);
		}
		fputc(')', out);
		oom_report_free(r);
	}
	fprintf(out, "%s\n'oomlens why --event ID ", total > n ? ", ..." : "");
	out_escaped(out, target);
	fputs("' explains one, --all every one.\n", out);
}

static int why_run(struct cmd_ctx *ctx, const struct cmd_args *args,
		   struct why_opts o)
{
	struct store_match m = { 0 };
	int64_t *ids = NULL;
	size_t n = 0, total = 0;
	int status;

	o.json = args_has(args, 'j') > 0;
	o.all = args_has(args, 'a') > 0;
	status = cmd_task_question(&cmd_why_entry, args, &m);
	if (status >= 0)
		return status;
	status = cmd_open_store(ctx);
	if (status >= 0)
		return status;
	/* the newest in full and five more by id, unless --all */
	if (store_find_kills(ctx->st, &m, o.all ? 0 : 6, &ids, &n, &total) < 0)
		return error("%s", store_errmsg(ctx->st));
	/* the newest kill in full; the others by id, unless --all */
	for (size_t i = 0; i < n && (o.all || !o.shown); i++) {
		struct oom_report *r;

		if (store_load_event(ctx->st, ids[i], &r) < 0) {
			free(ids);
			return error("%s", store_errmsg(ctx->st));
		}
		why_one(ctx, ids[i], r, &m, &o);
		oom_report_free(r);
		if (!o.all && o.shown && i + 1 < total && !o.json)
			earlier(ctx, ids + i + 1, n - i - 1, total - i - 1,
				args->argv[0]);
	}
	free(ids);
	if (!o.shown)
		return nothing("no kill of '%s' in the database", args->argv[0]);
	return EXIT_OK;
}

static int cmd_why_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	/* the pictures' look is the terminal's, not the wrapping buffer's */
	struct why_opts o = { .chart = chart_detect(fileno(ctx->out)) };
	struct text_out wrap;
	int status;

	if (args_has(args, 'j'))
		return why_run(ctx, args, o);
	ctx->out = text_out_begin(&wrap, ctx->out);
	picture_fit(wrap.width);
	o.width = wrap.width;
	status = why_run(ctx, args, o);
	ctx->out = text_out_end(&wrap);
	return status;
}
