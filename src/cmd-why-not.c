/*
 * cmd-why-not.c: "postgres survived, why not it?"  For each OOM whose task
 * dump lists the task and did not kill it: its points against the
 * victim's, and what kept it alive (-1000, its oom_score_adj, or simply
 * less memory).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "badness.h"
#include "cmd.h"
#include "explain.h"
#include "oom.h"
#include "oomlens.h"
#include "output.h"
#include "store.h"
#include "table.h"

static int cmd_why_not_exec(struct cmd_ctx *ctx,
			    const struct cmd_args *args);

static const struct option why_not_options[] = {
	CMD_TASK_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

const struct cmd_entry cmd_why_not_entry = {
	.name = "why-not",
	.usage = "why-not [--json] [--event ID] [--host NAME] [--utc] "
		 "NAME|PID",
	.summary = "explain why a task survived an OOM kill",
	.options =
	"  --json        one JSON document per OOM the task survived\n"
	"  --event ID    only this event\n"
	"  --host NAME   only this host\n"
	"  --utc         times in UTC on a terminal too (else local there)\n"
	"  NAME|PID      the task's name (comm) or pid\n",
	.flags = CMD_STORE_READ,
	.longopts = why_not_options,
	.min_args = 1, .max_args = 1,
	.too_few = "which task? give its name or pid",
	.too_many = "one task at a time",
	.exec = cmd_why_not_exec,
};

static const char *const reason_names[] = {
	[WHYNOT_UNKILLABLE] = "unkillable",
	[WHYNOT_FEWER_POINTS] = "fewer_points",
	[WHYNOT_ADJ] = "oom_score_adj",
	[WHYNOT_NOT_RANKED] = "not_ranked",
};

static void text(FILE *out, int64_t id, const struct oom_report *r,
		 const struct explain_why_not *w)
{
	const struct oom_task *t = w->task;
	int64_t adj = t->known & TASK_ADJ ? t->oom_score_adj : 0;
	char when[40];

	out_escaped(out, t->name);
	out_event_time(r, when, sizeof(when));
	fprintf(out, " (pid %" PRId64 ") survived the OOM at %s on ", t->pid,
		when);
	out_escaped(out, r->host ? r->host : "an unnamed host");
	fprintf(out, " (event %" PRId64 ")", id);
	if (w->kill) {
		fputs(";\n  the kernel killed ", out);
		out_escaped(out, w->kill->comm);
		fprintf(out, " (pid %" PRId64 ") instead", w->kill->pid);
	}
	fputs(".\n", out);
	switch (w->reason) {
	case WHYNOT_UNKILLABLE:
		fprintf(out, "  Its %s is %s: the kernel never chooses it.\n",
			r->an.era == ERA_E0 ? "oom_adj" : "oom_score_adj",
			r->an.era == ERA_E0 ? "-17" : "-1000");
		return;
	case WHYNOT_NOT_RANKED:
		fputs("  The report does not allow the kernel's arithmetic here "
		      "(no totalpages or no\n  usable task dump), so its "
		      "points are unknown.\n", out);
		return;
	case WHYNOT_FEWER_POINTS:
	case WHYNOT_ADJ:
		break;
	}
	fprintf(out, "  It had %" PRId64 " points (rank %" PRId64 "): %" PRIu64
		" pages of rss + swap + page tables", t->points, t->rank,
		w->usage_pages);
	if (adj && r->an.era >= ERA_E2)
		fprintf(out, " %s %" PRId64 " for oom_score_adj %" PRId64,
			w->adj_term < 0 ? "-" : "+", (int64_t)llabs(w->adj_term),
			adj);
	fputs(".\n", out);
	if (w->chosen) {
		fputs("  ", out);
		out_escaped(out, w->chosen->name);
		fprintf(out, " (pid %" PRId64 ") had %" PRId64 ", %" PRId64
			" more", w->chosen->pid, w->chosen->points, w->margin);
		if (r->totalpages)
			fprintf(out, " (%.1f%% of memory)",
				100.0 * (double)w->margin / (double)r->totalpages);
		fputs(".\n", out);
	}
	if (w->reason == WHYNOT_ADJ)
		fprintf(out, "  Its oom_score_adj of %" PRId64 " saved it: at 0 it "
			"would have scored %" PRId64 " and been chosen.\n", adj,
			t->points - w->adj_term);
	else
		fputs("  It used less memory than the victim, as the kernel "
		      "counts it.\n", out);
}

static cJSON *json(int64_t id, const struct oom_report *r,
		   const struct explain_why_not *w)
{
	cJSON *doc = cJSON_CreateObject(), *o;
	const struct oom_task *t = w->task;
	out_json_add_i64(doc, "event_id", id);
	out_json_add_event_time(doc, r);
	out_json_add_str(doc, "host", r->host);
	o = cJSON_AddObjectToObject(doc, "task");
	out_json_add_i64(o, "pid", t->pid);
	out_json_add_str(o, "name", t->name);
	out_json_add_u64(o, "usage_pages", w->usage_pages);
	if (t->known & TASK_ADJ)
		out_json_add_i64(o, "oom_score_adj", t->oom_score_adj);
	if (t->known & TASK_POINTS) {
		out_json_add_i64(o, "points", t->points);
		out_json_add_i64(o, "rank", t->rank);
	}
	out_json_add_str(doc, "reason", reason_names[w->reason]);
	if (w->kill) {
		o = cJSON_AddObjectToObject(doc, "killed");
		out_json_add_i64(o, "pid", w->kill->pid);
		out_json_add_str(o, "name", w->kill->comm);
	}
	if (w->chosen && (t->known & TASK_POINTS)) {
		out_json_add_i64(doc, "chosen_points", w->chosen->points);
		out_json_add_i64(doc, "margin", w->margin);
	}
	return doc;
}

static int why_not_run(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct store_match m = { 0 };
	int64_t *ids = NULL;
	size_t n = 0, shown = 0;
	int status, use_json = args_has(args, 'j') > 0;

	status = cmd_task_question(&cmd_why_not_entry, args, &m);
	if (status >= 0)
		return status;
	status = cmd_open_store(ctx);
	if (status >= 0)
		return status;
	if (store_find_survivors(ctx->st, &m, &ids, &n) < 0)
		return error("%s", store_errmsg(ctx->st));
	for (size_t i = 0; i < n; i++) {
		struct oom_report *r;

		if (store_load_event(ctx->st, ids[i], &r) < 0) {
			free(ids);
			return error("%s", store_errmsg(ctx->st));
		}
		badness_analyse(r);
		for (size_t k = 0; k < r->n_tasks; k++) {
			const struct oom_task *t = &r->tasks[k];
			struct explain_why_not w;

			if ((m.name && strcmp(t->name, m.name)) ||
			    (m.has_pid && t->pid != m.pid))
				continue;
			explain_why_not(r, t, &w);
			if (w.kill && w.kill->pid == t->pid)
				continue;
			if (use_json) {
				cJSON *doc = json(ids[i], r, &w);

				out_json_line(ctx->out, doc);
				cJSON_Delete(doc);
			} else {
				if (shown)
					fputc('\n', ctx->out);
				text(ctx->out, ids[i], r, &w);
			}
			shown++;
		}
		oom_report_free(r);
	}
	free(ids);
	if (!shown)
		return nothing("'%s' is in no task dump as a survivor; a memcg "
			       "OOM lists only the tasks of its cgroup, so a "
			       "task outside it never appears", args->argv[0]);
	return EXIT_OK;
}

static int cmd_why_not_exec(struct cmd_ctx *ctx,
			    const struct cmd_args *args)
{
	struct text_out wrap;
	int status;

	if (args_has(args, 'j'))
		return why_not_run(ctx, args);
	ctx->out = text_out_begin(&wrap, ctx->out);
	status = why_not_run(ctx, args);
	ctx->out = text_out_end(&wrap);
	return status;
}
