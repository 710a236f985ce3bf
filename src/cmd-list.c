/* cmd-list.c: one line per OOM event, oldest first. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "number.h"
#include "oom.h"
#include "oomlens.h"
#include "output.h"
#include "store.h"

static int cmd_list_exec(struct cmd_ctx *ctx, const struct cmd_args *args);

static const struct option list_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "trusted", no_argument, NULL, 'T' },
	{ "reverse", no_argument, NULL, 'r' },
	CMD_BOOT_OPTION,
	{ "lines", required_argument, NULL, 'n' },
	CMD_FILTER_OPTIONS,
	CMD_UTC_OPTION,
	{ NULL, 0, NULL, 0 },
};

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.usage = "list [--json] [--trusted] [--host NAME] [--since TIME] "
		 "[--until TIME] [--utc] [--boot [ID|-N]] [-n N] [--reverse]",
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
	"  --utc           times in UTC on a terminal too (else local there)\n"
	"  -b, --boot ID, --boot -N\n"
	"                  only events of one boot, as journalctl -b: ID a boot\n"
	"                  id (or its first 8 or more digits, as the BOOT\n"
	"                  column shows it); 0 (or --boot alone) each host's\n"
	"                  latest boot, -1 the one before, 1 its first; boots\n"
	"                  are counted among those of the stored events\n"
	"  -n, --lines N   only the newest N events\n"
	"  -r, --reverse   newest first\n",
	.flags = CMD_STORE_READ,
	.longopts = list_options,
	.shortopts = "rb::n:",
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
	char when[40], victim[64], trigger[64], idbuf[24], boot[9];

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
	/* its start names a boot enough; escaped: an export file's
	 * _BOOT_ID is any text */
	snprintf(boot, sizeof(boot), "%.8s", r->boot_id ? r->boot_id : "-");
	fputc(' ', out);
	out_escaped_pad(out, boot, 8);
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
	out_json_add_i64(o, "id", id);
	out_json_add_event_time(o, r);
	out_json_add_str(o, "host", r->host);
	if (v) {
		x = cJSON_AddObjectToObject(o, "victim");
		out_json_add_i64(x, "pid", v->pid);
		out_json_add_str(x, "name", v->comm);
	}
	if (r->trigger_comm) {
		x = cJSON_AddObjectToObject(o, "trigger");
		if (r->known & RK_TRIGGER_PID)
			out_json_add_i64(x, "pid", r->trigger_pid);
		out_json_add_str(x, "name", r->trigger_comm);
	}
	out_json_add_str(o, "constraint", r->constraint);
	out_json_add_str(o, "memcg", out_memcg(r));
	cJSON_AddBoolToObject(o, "complete", oom_report_complete(r));
	out_json_add_str(o, "killer", r->killer ? r->killer : KILLER_KERNEL);
	out_json_add_str(o, "provenance", oom_provenance_name(r->trust));
	out_json_add_str(o, "boot", r->boot_id);	/* added last: keys keep their place */
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
		fprintf(ctx->out, "%-5s %-*s %-12s %-8s %-24s %-24s %-10s %s\n",
			"ID", out_time_width(), "TIME", "HOST", "BOOT", "VICTIM",
			"TRIGGER", "CONSTRAINT", "MEMCG");
	list_text(ctx->out, id, r);
	return 0;
}

static int cmd_list_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct event_filter f = { 0 };
	struct list_opts o = { .json = args_has(args, 'j') > 0 };
	const char *lines = args_get(args, 'n');
	int64_t v;
	int status;

	status = cmd_filter_args(&cmd_list_entry, args, &f);
	if (status >= 0)
		return status;
	if (lines) {
		if (num_parse_i64(lines, strlen(lines), &v) < 0 || v <= 0)
			return cmd_usage_error(&cmd_list_entry,
					       "-n '%s': not a count", lines);
		f.last = (size_t)v;
	}
	f.reverse = args_has(args, 'r') > 0;
	return cmd_each_event(ctx, &f, 0, list_one, &o);
}
