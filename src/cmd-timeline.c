/*
 * cmd-timeline.c: kills and what userspace said about them, in time
 * order: the kernel's kill, systemd's unit lines, containerd and the
 * kubelet, the kills of systemd-oomd, earlyoom and nohang, and forged
 * kernel lines, each with the event it was linked to.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "oom.h"
#include "oomlens.h"
#include "output.h"
#include "store.h"
#include "table.h"
#include "story-event.h"
#include "timefmt.h"
#include "workload.h"
#include "xalloc.h"

static int cmd_timeline_exec(struct cmd_ctx *ctx, const struct cmd_args *args);

static const struct option timeline_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "trusted", no_argument, NULL, 'T' },
	CMD_BOOT_OPTION,
	CMD_FILTER_OPTIONS,
	CMD_UTC_OPTION,
	{ NULL, 0, NULL, 0 },
};

const struct cmd_entry cmd_timeline_entry = {
	.name = "timeline",
	.usage = "timeline [--json] [--trusted] [--host NAME] [--since TIME] "
		 "[--until TIME] [--utc] [--boot [ID|-N]]",
	.summary = "kills and userspace reactions (systemd, oomd, earlyoom, "
		   "containerd, kubelet) in time order",
	.options =
	"  --json          one JSON object per entry (NDJSON)\n"
	"  --trusted       only kernel reports from the journal's kernel\n"
	"                  entries, /dev/kmsg or dmesg (not syslog text)\n"
	"  --host NAME     only this host\n"
	"  --since TIME    only at or after TIME ('2026-11-21 03:00',\n"
	"                  yesterday, '2 hours ago', 7d; local time unless a\n"
	"                  zone follows: 03:12:07Z, '03:00 UTC')\n"
	"  --until TIME    only before TIME\n"
	"  --utc           times in UTC on a terminal too (else local there)\n"
	CMD_BOOT_HELP
	"A kill is shown with its killer, victim and workload (unit,\n"
	"container, pod); a userspace line with who said it and the event it\n"
	"was linked to (#ID), or '(no event)'.  Forged lines (userspace text\n"
	"posing as a kernel OOM line) are shown as such, never as kills.\n",
	.flags = CMD_STORE_READ,
	.longopts = timeline_options,
	.shortopts = "b::",
	.exec = cmd_timeline_exec,
};

struct entry {
	int has_time;
	int64_t wall_us;
	int64_t event_id;		/* a kill: its event */
	struct oom_report *r;		/* a kill, or NULL */
	const struct store_action *a;	/* a userspace line, or NULL */
	size_t seq;			/* read order: qsort is not stable */
};

/* Time order, entries without a time last; a kill before what was said
 * about it in the same microsecond. */
static int by_time(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;

	if (a->has_time != b->has_time)
		return a->has_time ? -1 : 1;
	if (a->has_time && a->wall_us != b->wall_us)
		return a->wall_us < b->wall_us ? -1 : 1;
	if (!a->r != !b->r)
		return a->r ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void when(const struct entry *e, char *buf, size_t n)
{
	if (e->r)
		out_event_time(e->r, buf, n);
	else if (e->has_time)
		out_time(e->wall_us, buf, n);
	else
		snprintf(buf, n, "-");
}

/* " in postgresql.service", " in container 0a09e1d7aadf (containerd),
 * pod 6f1c...": the workload the victim's cgroup names. */
static void workload_text(FILE *out, const struct oom_report *r)
{
	struct workload w;

	if (!workload_from_cgroup(out_victim_cgroup(r), &w))
		return;
	if (w.unit[0]) {
		fputs(" in ", out);
		out_escaped(out, w.unit);
	}
	if (w.container_id[0]) {
		fprintf(out, "%s container %.12s", w.unit[0] ? "," : " in",
			w.container_id);
		if (w.runtime)
			fprintf(out, " (%s)", w.runtime);
	}
	if (w.pod_uid[0])
		fprintf(out, ", pod %s (%s)", w.pod_uid, w.qos);
}

static void kill_text(FILE *out, const struct entry *e)
{
	const struct oom_report *r = e->r;
	const struct oom_kill *v = oom_report_victim(r);

	fputs("killed ", out);
	if (v) {
		out_escaped(out, v->comm);
		fprintf(out, " (%" PRId64 ")", v->pid);
	} else if (r->task_memcg) {
		/* systemd-oomd kills a cgroup; its path says it all */
		fputs("cgroup ", out);
		out_escaped(out, r->task_memcg);
	} else {
		fputs("(victim not in the log)", out);
	}
	if (v)
		workload_text(out, r);
	fprintf(out, "  #%" PRId64, e->event_id);
}

/* What a userspace line says, in a few words. */
static void action_text(FILE *out, const struct store_action *sa)
{
	const struct story_event *a = sa->e;

	switch (a->kind) {
	case STORY_UNIT_OOM:
		out_escaped(out, a->unit);
		fputs(": a process was killed by the OOM killer", out);
		break;
	case STORY_UNIT_FAILED:
		out_escaped(out, a->unit);
		fputs(" failed with result 'oom-kill'", out);
		break;
	case STORY_UNIT_OOMD:
		out_escaped(out, a->unit);
		if (a->known & SK_COUNT)
			fprintf(out, ": systemd-oomd killed %" PRId64
				" process(es)", a->count);
		else
			fputs(": systemd-oomd killed process(es)", out);
		break;
	case STORY_OOMD_CANDIDATES:
		if (a->known & SK_COUNT)
			fprintf(out, "considered %" PRId64 " cgroups for killing",
				a->count);
		else
			fputs("considered cgroups for killing", out);
		break;
	case STORY_OOMD_CANDIDATE:
		fputs("candidate ", out);
		out_escaped(out, a->cgroup ? a->cgroup : "?");
		break;
	case STORY_TASK_OOM:
		fprintf(out, "container %.12s hit its memory limit (TaskOOM)",
			a->container_id ? a->container_id : "?");
		break;
	case STORY_SYSTEM_OOM:
	case STORY_NPD_OOM:
		fputs(a->kind == STORY_SYSTEM_OOM ? "SystemOOM event: "
						  : "OOMKilling event: ", out);
		out_escaped(out, a->comm ? a->comm : "?");
		if (a->known & SK_PID)
			fprintf(out, " (%" PRId64 ")", a->pid);
		break;
	case STORY_FORGED:
		fputs("FORGED kernel line, not an event: ", out);
		out_escaped(out, a->message);
		break;
	default:
		out_escaped(out, a->message);
		break;
	}
	if (a->kind == STORY_FORGED)
		return;		/* never an event of its own */
	if (sa->event_id)
		fprintf(out, "  -> #%" PRId64 " (%s)", sa->event_id,
			sa->link ? sa->link : "?");
	else
		fputs("  (no event)", out);
}

/* The columns of the text: at least as wide as they were when they were
 * padded by hand, a longer host or actor whole in a pipe, cut with "…"
 * on a terminal too narrow. */
enum { TL_TIME, TL_HOST, TL_ACTOR, TL_WHAT, TL_COUNT };

static void timeline_row(struct table *t, const struct entry *e,
			 const char *ts)
{
	const char *host = e->r ? e->r->host : e->a->e->host;
	char *what = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&what, &len);

	if (!m)
		abort();	/* out of memory, as xmalloc() */
	if (e->r)
		kill_text(m, e);
	else
		action_text(m, e->a);
	fclose(m);
	table_add_row(t);
	table_set(t, TL_TIME, ts);
	table_set(t, TL_HOST, host ? host : "-");
	table_set(t, TL_ACTOR, e->r ? (e->r->killer ? e->r->killer : "kernel")
				    : e->a->e->actor);
	table_set_escaped(t, TL_WHAT, what);	/* escaped as written */
	free(what);
}

static void entry_json(FILE *out, const struct entry *e)
{
	cJSON *o;

	if (e->a) {
		o = out_story_json(e->a->e, e->a->link);
		cJSON_AddStringToObject(o, "type", "userspace");
		if (e->a->event_id)
			out_json_add_i64(o, "event_id", e->a->event_id);
	} else {
		const struct oom_kill *v = oom_report_victim(e->r);
		cJSON *x;

		o = cJSON_CreateObject();
		out_json_add_event_time(o, e->r);
		cJSON_AddStringToObject(o, "type", "kill");
		out_json_add_i64(o, "event_id", e->event_id);
		out_json_add_str(o, "host", e->r->host);
		out_json_add_str(o, "killer",
			     e->r->killer ? e->r->killer : KILLER_KERNEL);
		if (v) {
			x = cJSON_AddObjectToObject(o, "victim");
			out_json_add_i64(x, "pid", v->pid);
			out_json_add_str(x, "name", v->comm);
		}
		out_json_add_str(o, "cgroup", out_victim_cgroup(e->r));
		if ((x = out_workload_json(e->r)))
			cJSON_AddItemToObject(o, "workload", x);
	}
	out_json_line(out, o);
	cJSON_Delete(o);
}

static int cmd_timeline_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct event_filter f = { 0 };
	struct store_action *acts = NULL;
	struct entry *ents = NULL;
	int64_t *ids = NULL;
	size_t n_ids = 0, n_acts = 0, n = 0;
	int json = args_has(args, 'j') > 0, status, rc;
	struct table_col cols[TL_COUNT] = {
		[TL_TIME] = { .name = "TIME", .flags = TABLE_STRICT },
		[TL_HOST] = { .name = "HOST", .whint = 12, .share = 0.3,
			      .flags = TABLE_STRICT | TABLE_TRUNC },
		[TL_ACTOR] = { .name = "ACTOR", .whint = 21, .share = 0.15,
			       .flags = TABLE_STRICT | TABLE_TRUNC },
		[TL_WHAT] = { .name = "WHAT", .share = 0.55,
			      .flags = TABLE_TRUNC },
	};
	static const size_t sel[TL_COUNT] = { 0, 1, 2, 3 };
	struct table *table = NULL;

	status = cmd_filter_args(&cmd_timeline_entry, args, &f);
	if (status >= 0)
		return status;
	status = cmd_open_store(ctx);
	if (status >= 0)
		return status;
	rc = store_begin_read(ctx->st);
	if (rc >= 0)
		rc = store_event_ids(ctx->st, &f, &ids, &n_ids);
	if (rc >= 0)
		rc = store_actions(ctx->st, &f, &acts, &n_acts);
	ents = xcalloc(n_ids + n_acts + 1, sizeof(*ents));
	for (size_t i = 0; rc >= 0 && i < n_ids; i++) {
		struct entry *e = &ents[n];

		rc = store_load_event_parts(ctx->st, ids[i], 0, &e->r);
		if (rc < 0)
			break;
		e->event_id = ids[i];
		e->has_time = (e->r->known & RK_WALL) != 0;
		e->wall_us = e->r->wall_us;
		n++;
	}
	for (size_t i = 0; rc >= 0 && i < n_acts; i++) {
		/* a userspace kill is shown as its event */
		if (acts[i].link && !strcmp(acts[i].link, "self"))
			continue;
		ents[n].a = &acts[i];
		ents[n].has_time = (acts[i].e->known & SK_WALL) != 0;
		ents[n].wall_us = acts[i].e->wall_us;
		n++;
	}
	if (rc < 0) {
		status = error("%s", store_errmsg(ctx->st));
	} else {
		for (size_t i = 0; i < n; i++)
			ents[i].seq = i;
		qsort(ents, n, sizeof(*ents), by_time);
		if (!json) {
			cols[TL_TIME].whint = out_time_width();
			table = table_new(cols, sel, TL_COUNT, NULL);
			table_no_headings(table);
		}
		for (size_t i = 0; i < n; i++) {
			char ts[40];

			if (json) {
				entry_json(ctx->out, &ents[i]);
				continue;
			}
			when(&ents[i], ts, sizeof(ts));
			timeline_row(table, &ents[i], ts);
		}
		if (table && table_print(table, ctx->out,
					 term_width(fileno(ctx->out))) < 0)
			output_failed();
		status = n ? EXIT_OK : EXIT_NOTHING;
	}
	table_free(table);
	store_commit(ctx->st);
	for (size_t i = 0; i < n; i++)
		oom_report_free(ents[i].r);
	free(ents);
	free(ids);
	store_actions_free(acts, n_acts);
	return status;
}
