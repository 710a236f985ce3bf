/* cmd-list.c: one line per OOM event, oldest first. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "cmd.h"
#include "number.h"
#include "oom.h"
#include "oomlens.h"
#include "output.h"
#include "store.h"
#include "table.h"

static int cmd_list_exec(struct cmd_ctx *ctx, const struct cmd_args *args);

static const struct option list_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "trusted", no_argument, NULL, 'T' },
	{ "reverse", no_argument, NULL, 'r' },
	CMD_BOOT_OPTION,
	{ "lines", required_argument, NULL, 'n' },
	{ "output", required_argument, NULL, 'o' },
	CMD_FILTER_OPTIONS,
	CMD_UTC_OPTION,
	{ NULL, 0, NULL, 0 },
};

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.usage = "list [--json] [--trusted] [--host NAME] [--since TIME] "
		 "[--until TIME] [--utc] [--boot [ID|-N]] [-n N] [--reverse] "
		 "[-o COLUMNS]",
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
	"  -r, --reverse   newest first\n"
	"  -o, --output COLUMNS\n"
	"                  the columns to show, comma-separated (--output help\n"
	"                  lists them); on a terminal values too wide for it\n"
	"                  are cut, marked with an ellipsis\n",
	.flags = CMD_STORE_READ,
	.longopts = list_options,
	.shortopts = "rb::n:o:",
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

enum list_col {
	COL_ID, COL_TIME, COL_HOST, COL_BOOT, COL_VICTIM, COL_TRIGGER,
	COL_CONSTRAINT, COL_MEMCG, COL_NOTE, COL_COUNT
};

/* A host name is cut last (another one's start is another valid host);
 * on a narrow terminal CONSTRAINT goes first, then BOOT, ... */
static const struct table_col list_cols_proto[COL_COUNT] = {
	[COL_ID] = { .name = "ID", .help = "the event's id (show, why --event)" },
	[COL_TIME] = { .name = "TIME", .flags = TABLE_STRICT,
		       /* .whint: out_time_width() */
		       .help = "when the kernel wrote the report" },
	[COL_HOST] = { .name = "HOST", .flags = TABLE_TRUNC, .share = 0.5,
		       .help = "the host of the log" },
	[COL_BOOT] = { .name = "BOOT", .flags = TABLE_TRUNC, .drop = 4,
		       .help = "the boot id's first 8 digits (--boot)" },
	[COL_VICTIM] = { .name = "VICTIM", .flags = TABLE_TRUNC, .share = 0.15,
			 .help = "the killed task: name (pid)" },
	[COL_TRIGGER] = { .name = "TRIGGER", .flags = TABLE_TRUNC, .share = 0.15,
			  .drop = 3, .help = "the task whose allocation "
			  "failed, or the userspace killer" },
	[COL_CONSTRAINT] = { .name = "CONSTRAINT", .flags = TABLE_TRUNC,
			     .drop = 5, .help = "none, memcg, cpuset or "
			     "memory_policy" },
	[COL_MEMCG] = { .name = "MEMCG", .flags = TABLE_TRUNC, .share = 0.1,
			.drop = 2, .help = "the memory cgroup that ran out, "
			"else the victim's" },
	[COL_NOTE] = { .name = "NOTE", .flags = TABLE_TRUNC, .share = 0.1,
		       .drop = 1, .help = "[userspace kill], [incomplete] or "
		       "[no header]" },
};

static void list_row(struct table *t, int64_t id, const struct oom_report *r)
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
	/* its start names a boot enough; escaped (by table_set()): an
	 * export file's _BOOT_ID is any text */
	snprintf(boot, sizeof(boot), "%.8s", r->boot_id ? r->boot_id : "-");
	table_add_row(t);
	table_set(t, COL_ID, idbuf);
	table_set(t, COL_TIME, when);
	table_set(t, COL_HOST, r->host ? r->host : "-");
	table_set(t, COL_BOOT, boot);
	table_set(t, COL_VICTIM, victim);
	table_set(t, COL_TRIGGER, trigger);
	table_set(t, COL_CONSTRAINT, r->constraint ? r->constraint : "-");
	table_set(t, COL_MEMCG, out_memcg(r) ? out_memcg(r) : "-");
	if (r->killer)
		table_set(t, COL_NOTE, "[userspace kill]");
	else if (!oom_report_complete(r))
		table_set(t, COL_NOTE, r->flags & REPORT_NO_HEADER
				       ? "[no header]" : "[incomplete]");
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

/* Rows printed at a time: a listing of 100,000 events stays in flat
 * memory (a table holds its rows until it prints). */
#define LIST_CHUNK 2048

struct list_opts {
	int json;
	struct table *table;
	FILE *out;
	size_t width;
	int flushed;		/* a chunk went out: the columns are fixed */
};

static int list_one(struct cmd_ctx *ctx, int64_t id,
		    const struct oom_report *r, void *data)
{
	struct list_opts *o = data;

	if (o->json) {
		list_json(ctx->out, id, r);
		return 0;
	}
	list_row(o->table, id, r);
	if (table_n_rows(o->table) >= LIST_CHUNK) {
		/* NOTE stays: a later chunk may need it */
		if (table_flush(o->table, o->out, o->width) < 0)
			output_failed();
		o->flushed = 1;
	}
	return 0;
}

static int cmd_list_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct event_filter f = { 0 };
	struct list_opts o = { .json = args_has(args, 'j') > 0 };
	const char *lines = args_get(args, 'n'), *output = args_get(args, 'o');
	size_t sel[COL_COUNT * 2], n_sel = COL_COUNT;
	struct table_col list_cols[COL_COUNT];
	int64_t v;
	int status;

	status = cmd_filter_args(&cmd_list_entry, args, &f);
	if (status >= 0)
		return status;
	memcpy(list_cols, list_cols_proto, sizeof(list_cols));
	/* a time is never cut: it gets the columns it needs */
	list_cols[COL_TIME].whint = out_time_width();
	for (size_t i = 0; i < COL_COUNT; i++)
		sel[i] = i;
	if (output) {
		status = cmd_output_columns(ctx, list_cols, COL_COUNT, output,
					    sel, &n_sel, COL_COUNT * 2);
		if (status >= 0)
			return status;
	}
	if (lines) {
		if (num_parse_i64(lines, strlen(lines), &v) < 0 || v <= 0)
			return cmd_usage_error(&cmd_list_entry,
					       "-n '%s': not a count", lines);
		f.last = (size_t)v;
	}
	f.reverse = args_has(args, 'r') > 0;
	if (!o.json) {
		o.table = table_new(list_cols, sel, n_sel, NULL);
		o.out = ctx->out;
		o.width = term_width(fileno(ctx->out));
		if (!output)
			table_allow_drop(o.table);
	}
	status = cmd_each_event(ctx, &f, 0, list_one, &o);
	if (o.table && table_n_rows(o.table)) {
		if (!output && !o.flushed)
			table_hide_if_empty(o.table, COL_NOTE);
		if (table_print(o.table, ctx->out, o.width) < 0)
			output_failed();
	}
	table_free(o.table);
	return status;
}
