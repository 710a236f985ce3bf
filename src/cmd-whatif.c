/*
 * cmd-whatif.c: rerun the kernel's selection of one event with other
 * oom_score_adj values or memory limits, and show who would have died.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "badness.h"
#include "cleanup.h"
#include "cmd.h"
#include "number.h"
#include "oom.h"
#include "oomlens.h"
#include "output.h"
#include "store.h"
#include "table.h"
#include "xalloc.h"

static int cmd_whatif_exec(struct cmd_ctx *ctx, const struct cmd_args *args);

static const struct option whatif_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "adj", required_argument, NULL, 'a' },
	{ "limit", required_argument, NULL, 'l' },
	{ NULL, 0, NULL, 0 },
};

const struct cmd_entry cmd_whatif_entry = {
	.name = "whatif",
	.usage = "whatif [--json] EVENT [--adj NAME=N]... [--limit NAME=SIZE]...",
	.summary = "rerun an event's victim selection with other settings",
	.options =
	"  --adj NAME=N      give the tasks named NAME (or pid NAME) "
	"oom_score_adj N\n"
	"  --limit NAME=SIZE a memory.max of SIZE (8G, 512M) on the tasks NAME,\n"
	"                    the OOM's cgroup (its new limit) or the victim's;\n"
	"                    says whether this OOM would still have happened\n"
	"  --json            the outcome as JSON\n"
	"  EVENT             an event id, as printed by 'oomlens list'\n",
	.flags = CMD_STORE_READ,
	.longopts = whatif_options,
	.min_args = 1, .max_args = 1,
	.too_few = "which event?", .too_many = "one event at a time",
	.exec = cmd_whatif_exec,
};

/* "8G", "512M", "1048576K", "4096" (bytes) -> kB; 0 on error. */
static uint64_t parse_size_kb(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	double mult = 1.0 / 1024;

	if (end == s || v < 0)
		return 0;
	switch (*end) {
	case 'k': case 'K': mult = 1; end++; break;
	case 'm': case 'M': mult = 1024; end++; break;
	case 'g': case 'G': mult = 1024.0 * 1024; end++; break;
	case 't': case 'T': mult = 1024.0 * 1024 * 1024; end++; break;
	case '\0': break;
	default: return 0;
	}
	if (*end == 'i')
		end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end)
		return 0;
	return (uint64_t)(v * mult);
}

struct whatif {
	struct badness_change ch[64];
	size_t n;
	uint64_t limit_kb[64];		/* --limit's SIZE, kB */
	struct limit_verdict lv[64];	/* and what it would have done */
};

static int add_change(struct whatif *wi, const char *arg, int is_adj)
{
	const char *eq = strrchr(arg, '=');
	struct badness_change *c;
	char *name;

	if (!eq || eq == arg || wi->n >= sizeof(wi->ch) / sizeof(wi->ch[0]))
		return -1;
	name = xstrndup(arg, (size_t)(eq - arg));
	c = &wi->ch[wi->n];
	memset(c, 0, sizeof(*c));
	if (num_parse_i64(name, strlen(name), &c->pid) < 0 || c->pid <= 0)
		c->pid = 0;
	c->name = name;
	if (is_adj) {
		if (num_parse_i64(eq + 1, strlen(eq + 1), &c->adj) < 0 ||
		    c->adj < -1000 || c->adj > 1000) {
			free(name);
			return -1;
		}
		c->set_adj = 1;
	} else {
		wi->limit_kb[wi->n] = parse_size_kb(eq + 1);
		if (!wi->limit_kb[wi->n]) {
			free(name);
			return -1;
		}
		c->set_cap = 1;
	}
	wi->n++;
	return 0;
}

static const struct oom_task *chosen(const struct oom_report *r)
{
	return badness_predicted(r);
}

/* Names the event does not have are refused: an answer about a task
 * that was not there would look like a real one.  The limits' verdicts
 * come from badness_limit_verdict(); a limit on the OOM's own cgroup
 * becomes the new totalpages, one on the victim's cgroup a cap on the
 * victim (the one member the dump shows).  Returns -1, or the status. */
static int apply_names(struct whatif *wi, const struct oom_report *r,
		       int64_t id, uint64_t page_kb, uint64_t *total_override)
{
	for (size_t i = 0; i < wi->n; i++) {
		struct badness_change *ch = &wi->ch[i];
		struct limit_verdict *v = &wi->lv[i];

		if (ch->set_adj && !badness_names_task(r, ch->name, ch->pid))
			return nothing("event %" PRId64 " has no task %s (its "
				       "tasks: oomlens show %" PRId64 ")", id,
				       ch->name, id);
		if (!ch->set_cap)
			continue;
		badness_limit_verdict(r, ch->name, wi->limit_kb[i], v);
		switch (v->outcome) {
		case LIMIT_UNKNOWN_NAME:
			return nothing("event %" PRId64 " has no task or "
				       "cgroup %s (see oomlens show %" PRId64
				       ")", id, ch->name, id);
		case LIMIT_MEMCG_FITS:
		case LIMIT_MEMCG_STILL:
			*total_override = wi->limit_kb[i] / page_kb;
			ch->set_cap = 0;
			break;
		case LIMIT_NOT_REACHED:
			ch->set_cap = 0;	/* nothing would change */
			break;
		default:
			if (v->only_victim)
				ch->pid = v->victim_pid;
			ch->cap_pages = wi->limit_kb[i] / page_kb;
		}
	}
	return -1;
}

static const char *const outcome_names[] = {
	[LIMIT_UNKNOWN_NAME] = "unknown", [LIMIT_MEMCG_FITS] = "fits",
	[LIMIT_MEMCG_STILL] = "still_over", [LIMIT_NOT_REACHED] = "not_reached",
	[LIMIT_PREVENTS] = "prevents", [LIMIT_TOO_LITTLE] = "too_little",
	[LIMIT_SHORT_UNKNOWN] = "cannot_tell",
};

static int prevents(const struct limit_verdict *v)
{
	return v->outcome == LIMIT_MEMCG_FITS || v->outcome == LIMIT_PREVENTS;
}

static cJSON *limit_json(const char *name, uint64_t limit_kb,
			 const struct limit_verdict *v)
{
	cJSON *o = cJSON_CreateObject();

	out_json_add_str(o, "name", name);
	out_json_add_u64(o, "limit_kb", limit_kb);
	out_json_add_str(o, "scope", v->is_cgroup ? "cgroup" : "tasks");
	out_json_add_str(o, "outcome", outcome_names[v->outcome]);
	if (v->outcome == LIMIT_MEMCG_FITS || v->outcome == LIMIT_MEMCG_STILL) {
		out_json_add_u64(o, "usage_kb", v->group_kb);
		return o;
	}
	out_json_add_u64(o, "tasks", v->n_tasks);
	out_json_add_u64(o, "group_kb", v->group_kb);
	if (v->only_victim)
		cJSON_AddBoolToObject(o, "only_victim_known", 1);
	out_json_add_u64(o, "held_kb", v->held_kb);
	if (v->short_kb)
		out_json_add_u64(o, "short_kb", v->short_kb);
	cJSON_AddBoolToObject(o, "estimated", 1);
	return o;
}

/* The reasoning behind one limit's verdict, in sentences. */
static void limit_text(FILE *out, const char *name, uint64_t limit_kb,
		       const struct limit_verdict *v, int memcg_oom)
{
	char cap[32], held[32], group[32], sh[32];

	if (v->outcome == LIMIT_MEMCG_FITS) {
		fputs("With that limit the cgroup's usage fits: this OOM "
		      "would not have happened.\n", out);
		return;
	}
	if (v->outcome == LIMIT_MEMCG_STILL)
		return;
	out_size_kb(cap, sizeof(cap), limit_kb);
	out_size_kb(held, sizeof(held), v->held_kb);
	out_size_kb(group, sizeof(group), v->group_kb);
	out_size_kb(sh, sizeof(sh), v->short_kb);
	fputs("A memory.max of ", out);
	fprintf(out, "%s on ", cap);
	out_escaped(out, name);
	if (v->only_victim)
		fprintf(out, ": the victim, its one task the dump shows, held "
			"%s", group);
	else
		fprintf(out, ": its %zu task%s held %s", v->n_tasks,
			v->n_tasks == 1 ? "" : "s", group);
	fprintf(out, " (anon, shared pages once, page tables%s)",
		v->only_victim ? "; who else was in the cgroup the dump does "
				 "not say" : "");
	if (v->outcome == LIMIT_NOT_REACHED) {
		fputs(", under the limit: it would not have been reached, and "
		      "this OOM would still have happened (estimated: page "
		      "cache charged to the cgroup is not in the report).\n",
		      out);
		return;
	}
	fprintf(out, ".  Over its limit the cgroup reclaims, else the kernel "
		"OOM-kills inside it, so it would have held %s at most and "
		"left %s free", cap, held);
	if (v->outcome == LIMIT_SHORT_UNKNOWN) {
		fprintf(out, "; whether that was enough cannot be told: %s.\n",
			v->why_unknown);
		return;
	}
	if (memcg_oom)
		fprintf(out, "; the OOM's cgroup needed %s more than its limit "
			"(with the request)", sh);
	else
		fprintf(out, "; the machine was %s short (the zones below "
			"their min watermark, plus the request)", sh);
	if (v->outcome == LIMIT_PREVENTS)
		fputs(": this OOM would not have happened (estimated).\n", out);
	else
		fputs(": not enough, this OOM would still have happened "
		      "(estimated).\n", out);
}

static void describe(FILE *out, const char *label, const struct oom_task *t)
{
	fprintf(out, "%s ", label);
	out_escaped(out, t->name);
	fprintf(out, " (pid %" PRId64 "), %" PRId64 " points", t->pid, t->points);
}

/* The event before and after the changes (analysis); names borrowed from
 * the report, which outlives it. */
struct whatif_outcome {
	int64_t id, before_pid, before_points;
	char *before_name;
	const struct oom_task *after, *second;
	int no_oom, memcg_oom;
};

static void whatif_release(struct whatif *wi)
{
	for (size_t i = 0; i < wi->n; i++)
		free((char *)wi->ch[i].name);
	wi->n = 0;
}

/* --adj and --limit into wi, the event's id into *id: -1, or the status
 * after the message. */
static int whatif_parse(const struct cmd_args *args, struct whatif *wi,
			int64_t *id)
{
	const char *event_arg = args->argv[0];

	for (size_t i = 0; i < args->n_opts; i++) {
		const struct cmd_arg *a = &args->opts[i];

		if ((a->key != 'a' && a->key != 'l') ||
		    add_change(wi, a->value, a->key == 'a') == 0)
			continue;
		return cmd_usage_error(&cmd_whatif_entry,
				       "%s '%s': expected %s",
				       a->key == 'a' ? "--adj" : "--limit",
				       a->value,
				       a->key == 'a' ? "NAME=N, N from -1000 "
						       "to 1000"
						     : "NAME=SIZE such as 8G");
	}
	if (num_parse_i64(event_arg, strlen(event_arg), id) < 0 || *id <= 0)
		return cmd_usage_error(&cmd_whatif_entry,
				       "'%s' is not an event id", event_arg);
	if (!wi->n)
		return cmd_usage_error(&cmd_whatif_entry,
				       "nothing to change: give --adj or "
				       "--limit");
	return -1;
}

/* The kernel's choice, then the limits' verdicts and the choice again
 * with the changes: -1, or the status after the message. */
static int whatif_run(struct whatif *wi, struct oom_report *r,
		      struct whatif_outcome *o)
{
	const struct oom_task *before;
	uint64_t page_kb, total_override = 0;
	int status;

	badness_analyse(r);
	before = chosen(r);
	if (!before)
		return error("event %" PRId64 ": the report does not allow "
			     "the kernel's arithmetic (see 'oomlens show %"
			     PRId64 "')", o->id, o->id);
	o->before_pid = before->pid;
	o->before_points = before->points;
	o->before_name = xstrdup(before->name);
	page_kb = badness_page_kb(r);
	if (!page_kb)
		page_kb = 4;
	o->memcg_oom = oom_report_is_memcg(r);
	status = apply_names(wi, r, o->id, page_kb, &total_override);
	if (status >= 0)
		return status;
	for (size_t i = 0; i < wi->n; i++)
		if (wi->limit_kb[i] && prevents(&wi->lv[i]))
			o->no_oom = 1;
	badness_analyse_with(r, wi->ch, wi->n, total_override);
	o->after = chosen(r);
	for (size_t i = 0; i < r->n_tasks; i++)
		if (r->tasks[i].rank == 2)
			o->second = &r->tasks[i];
	return -1;
}

static void whatif_json(FILE *out, const struct whatif *wi,
			const struct whatif_outcome *w)
{
	cJSON *doc = cJSON_CreateObject(), *o;

	out_json_add_i64(doc, "event_id", w->id);
	out_json_add_i64(doc, "before_pid", w->before_pid);
	out_json_add_i64(doc, "before_points", w->before_points);
	cJSON_AddBoolToObject(doc, "oom_avoided", w->no_oom);
	o = cJSON_AddArrayToObject(doc, "limits");
	for (size_t i = 0; i < wi->n; i++)
		if (wi->limit_kb[i])
			cJSON_AddItemToArray(o, limit_json(wi->ch[i].name,
							   wi->limit_kb[i],
							   &wi->lv[i]));
	if (w->after && !w->no_oom) {
		o = cJSON_AddObjectToObject(doc, "victim");
		out_json_add_i64(o, "pid", w->after->pid);
		out_json_add_str(o, "name", w->after->name);
		out_json_add_i64(o, "points", w->after->points);
		if (w->second)
			out_json_add_i64(o, "margin",
				     w->after->points - w->second->points);
	}
	cJSON_AddBoolToObject(doc, "changed", !w->no_oom && w->after &&
					      w->after->pid != w->before_pid);
	out_json_line(out, doc);
	cJSON_Delete(doc);
}

static void whatif_text(FILE *out, const struct whatif *wi,
			const struct whatif_outcome *w,
			const struct oom_report *r)
{
	fprintf(out, "Event %" PRId64 ": the kernel chose ", w->id);
	out_escaped(out, w->before_name);
	fprintf(out, " (pid %" PRId64 "), %" PRId64 " points.\n",
		w->before_pid, w->before_points);
	for (size_t i = 0; i < wi->n; i++)
		if (wi->limit_kb[i])
			limit_text(out, wi->ch[i].name, wi->limit_kb[i],
				   &wi->lv[i], w->memcg_oom);
	if (w->no_oom)
		return;		/* said by the limit that prevents it */
	if (!w->after) {
		fputs("With these changes no task is a candidate: the kernel "
		      "would find nothing to kill.\n", out);
		return;
	}
	describe(out, w->after->pid == w->before_pid
			      ? "With these changes it still picks"
			      : "With these changes it picks",
		 w->after);
	if (w->second) {
		int64_t margin = w->after->points - w->second->points;

		fputs(",\n  ahead of ", out);
		out_escaped(out, w->second->name);
		fprintf(out, " (pid %" PRId64 ") by %" PRId64 " points",
			w->second->pid, margin);
		if (r->totalpages)
			fprintf(out, " (%.1f%% of memory)",
				100.0 * (double)margin / (double)r->totalpages);
	}
	fputs(".\n", out);
}

DEFINE_POINTER_CLEANUP(struct oom_report, oom_report_free)

static int cmd_whatif_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	_cleanup_(whatif_release) struct whatif wi = { .n = 0 };
	_cleanup_(oom_report_freep) struct oom_report *r = NULL;
	struct whatif_outcome o = { 0 };
	int status = whatif_parse(args, &wi, &o.id);

	if (status >= 0)
		return status;
	status = cmd_open_store(ctx);
	if (status >= 0)
		return status;
	if (store_load_event(ctx->st, o.id, &r) < 0)
		return nothing("%s", store_errmsg(ctx->st));
	status = whatif_run(&wi, r, &o);
	if (status < 0) {
		if (args_has(args, 'j') > 0)
			whatif_json(ctx->out, &wi, &o);
		else {
			struct text_out wrap;	/* wrapped to a terminal */

			whatif_text(text_out_begin(&wrap, ctx->out), &wi, &o,
				    r);
			text_out_end(&wrap);
		}
		status = EXIT_OK;
	}
	free(o.before_name);
	return status;
}
