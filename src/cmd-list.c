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
	"  --json          one JSON object per event (NDJSON); with -o, the\n"
	"                  columns' keys only\n"
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
	"                  are cut, marked with an ellipsis; with --json, the\n"
	"                  keys\n",
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

/*
 * The columns, for the text table and for --json alike: a column's JSON
 * key is its name in lower case.  The text shows COL_ID to COL_NOTE by
 * default; COMPLETE, KILLER and PROVENANCE are in the default JSON
 * document (list_json_default) and on request in the table.
 */
enum list_col {
	COL_ID, COL_TIME, COL_HOST, COL_BOOT, COL_VICTIM, COL_TRIGGER,
	COL_CONSTRAINT, COL_MEMCG, COL_NOTE, COL_COMPLETE, COL_KILLER,
	COL_PROVENANCE, COL_COUNT
};
#define COL_TEXT_DEFAULT (COL_NOTE + 1)

/* The default JSON document, a contract (oomlens-list(1)): its keys in
 * this order, boot added last so that the others keep their place. */
static const size_t list_json_default[] = {
	COL_ID, COL_TIME, COL_HOST, COL_VICTIM, COL_TRIGGER, COL_CONSTRAINT,
	COL_MEMCG, COL_COMPLETE, COL_KILLER, COL_PROVENANCE, COL_BOOT,
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
	[COL_COMPLETE] = { .name = "COMPLETE",
			   .help = "yes when the report is whole" },
	[COL_KILLER] = { .name = "KILLER", .flags = TABLE_TRUNC,
			 .help = "kernel, or the userspace killer" },
	[COL_PROVENANCE] = { .name = "PROVENANCE",
			     .help = "journal-kernel, kmsg or text: where "
			     "the kept copy came from" },
};

/* What NOTE says, or NULL. */
static const char *list_note(const struct oom_report *r)
{
	if (r->killer)
		return "userspace kill";
	if (!oom_report_complete(r))
		return r->flags & REPORT_NO_HEADER ? "no header" : "incomplete";
	return NULL;
}

static void list_row(struct table *t, int64_t id, const struct oom_report *r)
{
	const struct oom_kill *v = oom_report_victim(r);
	char when[40], victim[64], trigger[64], idbuf[24], boot[9], note[32];

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
	if (list_note(r)) {
		snprintf(note, sizeof(note), "[%s]", list_note(r));
		table_set(t, COL_NOTE, note);
	}
	table_set(t, COL_COMPLETE, oom_report_complete(r) ? "yes" : "no");
	table_set(t, COL_KILLER, r->killer ? r->killer : KILLER_KERNEL);
	table_set(t, COL_PROVENANCE, oom_provenance_name(r->trust)
				     ? oom_provenance_name(r->trust) : "-");
}

/* A task as JSON: {pid, name}. */
static void json_task(cJSON *o, const char *key, const char *name,
		      int has_pid, int64_t pid)
{
	cJSON *x = cJSON_AddObjectToObject(o, key);

	if (has_pid)
		out_json_add_i64(x, "pid", pid);
	out_json_add_str(x, "name", name);
}

/* Column col of an event into o, under the column's key; nothing when
 * the event has no value for it. */
static void json_col(cJSON *o, size_t col, int64_t id,
		     const struct oom_report *r)
{
	const struct oom_kill *v = oom_report_victim(r);

	switch (col) {
	case COL_ID:
		out_json_add_i64(o, "id", id);
		break;
	case COL_TIME:
		out_json_add_event_time(o, r);
		break;
	case COL_HOST:
		out_json_add_str(o, "host", r->host);
		break;
	case COL_BOOT:
		out_json_add_str(o, "boot", r->boot_id);
		break;
	case COL_VICTIM:
		if (v)
			json_task(o, "victim", v->comm, 1, v->pid);
		break;
	case COL_TRIGGER:
		if (r->trigger_comm)
			json_task(o, "trigger", r->trigger_comm,
				  (r->known & RK_TRIGGER_PID) != 0,
				  r->trigger_pid);
		break;
	case COL_CONSTRAINT:
		out_json_add_str(o, "constraint", r->constraint);
		break;
	case COL_MEMCG:
		out_json_add_str(o, "memcg", out_memcg(r));
		break;
	case COL_NOTE:
		out_json_add_str(o, "note", list_note(r));
		break;
	case COL_COMPLETE:
		cJSON_AddBoolToObject(o, "complete", oom_report_complete(r));
		break;
	case COL_KILLER:
		out_json_add_str(o, "killer",
				 r->killer ? r->killer : KILLER_KERNEL);
		break;
	case COL_PROVENANCE:
		out_json_add_str(o, "provenance", oom_provenance_name(r->trust));
		break;
	}
}

static void list_json(FILE *out, const size_t *sel, size_t n_sel, int64_t id,
		      const struct oom_report *r)
{
	cJSON *o = cJSON_CreateObject();

	for (size_t i = 0; i < n_sel; i++) {
		size_t k;

		/* a column named twice is one key */
		for (k = 0; k < i && sel[k] != sel[i]; k++)
			;
		if (k == i)
			json_col(o, sel[i], id, r);
	}
	out_json_line(out, o);
	cJSON_Delete(o);
}

/* Rows printed at a time: a listing of 100,000 events stays in flat
 * memory (a table holds its rows until it prints). */
#define LIST_CHUNK 2048

struct list_opts {
	int json;
	const size_t *sel;	/* the columns (JSON keys) */
	size_t n_sel;
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
		list_json(ctx->out, o->sel, o->n_sel, id, r);
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
	size_t sel[COL_COUNT * 2], n_sel = COL_TEXT_DEFAULT;
	struct table_col list_cols[COL_COUNT];
	int64_t v;
	int status;

	status = cmd_filter_args(&cmd_list_entry, args, &f);
	if (status >= 0)
		return status;
	memcpy(list_cols, list_cols_proto, sizeof(list_cols));
	/* a time is never cut: it gets the columns it needs */
	list_cols[COL_TIME].whint = out_time_width();
	for (size_t i = 0; i < COL_TEXT_DEFAULT; i++)
		sel[i] = i;
	if (o.json) {
		n_sel = sizeof(list_json_default) / sizeof(list_json_default[0]);
		memcpy(sel, list_json_default, sizeof(list_json_default));
	}
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
	o.sel = sel;
	o.n_sel = n_sel;
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
