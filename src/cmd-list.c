/* cmd-list.c: one line per OOM event, oldest first. */
#include <inttypes.h>
#include <stdlib.h>

#include "cmd.h"
#include "oom.h"
#include "oomlens.h"
#include "output.h"
#include "store.h"

static int cmd_list_exec(struct cmd_ctx *ctx, int argc, char **argv);

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.usage = "list [--json] [--trusted] [--host NAME] [--since TIME] "
		 "[--until TIME] [--utc]",
	.summary = "list OOM events, one line each, oldest first",
	.options =
	"  --json          one JSON object per event (NDJSON)\n"
	"  --trusted       only events whose kept copy the kernel wrote where\n"
	"                  no program can: the journal's kernel entries,\n"
	"                  /dev/kmsg or dmesg (not syslog text)\n"
	"  --host NAME     only events of this host\n"
	"  --since TIME    only events at or after TIME ('2026-11-21 03:00',\n"
	"                  yesterday, '2 hours ago', 7d; local time unless a\n"
	"                  zone follows: 03:12:07Z, '03:00 UTC')\n"
	"  --until TIME    only events before TIME\n"
	"  --utc           times in UTC on a terminal too (else local there)\n",
	.flags = CMD_STORE_READ,
	.exec = cmd_list_exec,
};

static void who(char *buf, size_t n, const char *name, int has_pid,
		int64_t pid)
{
	if (!name && !has_pid)
		snprintf(buf, n, "-");
	else if (has_pid)
		snprintf(buf, n, "%s (%" PRId64 ")", name ? name : "?", pid);
	else
		snprintf(buf, n, "%s", name);
}

static void list_text(FILE *out, int64_t id, const struct oom_report *r)
{
	const struct oom_kill *v = oom_report_victim(r);
	char when[40], victim[64], trigger[64], idbuf[24];

	out_event_time(r, when, sizeof(when));
	who(victim, sizeof(victim), v ? v->comm : NULL, v != NULL,
	    v ? v->pid : 0);
	if (r->killer)	/* a userspace kill has no trigger: say who */
		snprintf(trigger, sizeof(trigger), "by %s", r->killer);
	else
		who(trigger, sizeof(trigger), r->trigger_comm,
		    (r->known & RK_TRIGGER_PID) != 0, r->trigger_pid);
	snprintf(idbuf, sizeof(idbuf), "%" PRId64, id);
	fprintf(out, "%-5s %-*s ", idbuf, out_time_width(), when);
	out_escaped_pad(out, r->host ? r->host : "-", 12);
	fputc(' ', out);
	out_escaped_pad(out, victim, 24);
	fputc(' ', out);
	out_escaped_pad(out, trigger, 24);
	fputc(' ', out);
	out_escaped_pad(out, r->constraint ? r->constraint : "-", 10);
	fputc(' ', out);
	out_escaped(out, out_memcg(r) ? out_memcg(r) : "-");
	if (r->killer)
		fputs("  [userspace kill]", out);
	else if (!oom_report_complete(r))
		fputs(r->flags & REPORT_NO_HEADER ? "  [no header]"
						  : "  [incomplete]", out);
	fputc('\n', out);
}

static void list_json(FILE *out, int64_t id, const struct oom_report *r)
{
	const struct oom_kill *v = oom_report_victim(r);
	cJSON *o = cJSON_CreateObject(), *x;
	json_add_i64(o, "id", id);
	json_add_event_time(o, r);
	json_add_str(o, "host", r->host);
	if (v) {
		x = cJSON_AddObjectToObject(o, "victim");
		json_add_i64(x, "pid", v->pid);
		json_add_str(x, "name", v->comm);
	}
	if (r->trigger_comm) {
		x = cJSON_AddObjectToObject(o, "trigger");
		if (r->known & RK_TRIGGER_PID)
			json_add_i64(x, "pid", r->trigger_pid);
		json_add_str(x, "name", r->trigger_comm);
	}
	json_add_str(o, "constraint", r->constraint);
	json_add_str(o, "memcg", out_memcg(r));
	cJSON_AddBoolToObject(o, "complete", oom_report_complete(r));
	json_add_str(o, "killer", r->killer ? r->killer : KILLER_KERNEL);
	json_add_str(o, "provenance", oom_provenance_name(r->trust));
	out_json_line(out, o);
	cJSON_Delete(o);
}

struct list_opts {
	int json;
	int header_done;
};

static int list_one(struct cmd_ctx *ctx, int64_t id,
		    const struct oom_report *r, void *data)
{
	struct list_opts *o = data;

	if (o->json) {
		list_json(ctx->out, id, r);
		return 0;
	}
	if (!o->header_done++)
		fprintf(ctx->out, "%-5s %-*s %-12s %-24s %-24s %-10s %s\n",
			"ID", out_time_width(), "TIME", "HOST", "VICTIM", "TRIGGER", "CONSTRAINT",
			"MEMCG");
	list_text(ctx->out, id, r);
	return 0;
}

static int cmd_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct event_filter f = { 0 };
	struct list_opts o = { 0 };
	int status;

	status = cmd_range_options(&cmd_list_entry, argc, argv, &f, &o.json);
	if (status >= 0)
		return status;
	return cmd_each_event(ctx, &f, 0, list_one, &o);
}
