/*
 * cmd-top.c: who dies most, who causes it, why, where.  Counts over the
 * stored events: by victim, by culprit (each event's diagnosis names
 * it), by cause (the diagnosis' kind), by host, or by the systemd unit
 * of the killed task's cgroup.
 */
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
#include "timefmt.h"
#include "workload.h"
#include "xalloc.h"

static int cmd_top_exec(struct cmd_ctx *ctx, const struct cmd_args *args);

static const struct option top_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "by", required_argument, NULL, 'y' },
	{ "output", required_argument, NULL, 'o' },
	CMD_BOOT_OPTION,
	CMD_FILTER_OPTIONS,
	CMD_UTC_OPTION,
	{ NULL, 0, NULL, 0 },
};

const struct cmd_entry cmd_top_entry = {
	.name = "top",
	.usage = "top [--json] [--by victim|culprit|cause|host|unit] "
		 "[--host NAME] [--since TIME] [--until TIME] [--boot [ID|-N]] "
		 "[-n N] [-o COLUMNS] [--utc]",
	.summary = "count OOM kills by victim, culprit, cause, host or unit",
	.options =
	"  --by KEY        victim (the default): the killed task's name;\n"
	"                  culprit: what each event's diagnosis blames (a task,\n"
	"                  a program's tasks, the kernel, tmpfs, hugetlb);\n"
	"                  cause: the diagnosis' kind (shared-memory, ...);\n"
	"                  host; unit: the systemd unit or scope of the killed\n"
	"                  task's cgroup\n"
	"  --host NAME, --since TIME, --until TIME   only matching events\n"
	CMD_BOOT_HELP
	"  -n N            at most N rows (default 20)\n"
	"  -o, --output COLUMNS\n"
	"                  the columns to show, comma-separated (--output help\n"
	"                  lists them): COUNT, LAST and the key's (VICTIM, ...);\n"
	"                  with --json, the keys\n"
	"  --utc           times in UTC on a terminal too (else local there)\n"
	"  --json          one JSON object per row\n",
	.flags = CMD_STORE_READ,
	.longopts = top_options,
	.shortopts = "b::n:o:",
	.exec = cmd_top_exec,
};

static const char *const by_names[] = {
	[TOP_BY_VICTIM] = "victim", [TOP_BY_CULPRIT] = "culprit",
	[TOP_BY_HOST] = "host", [TOP_BY_MEMCG] = "unit",
	[TOP_BY_CAUSE] = "cause",
};
_Static_assert(sizeof(by_names) / sizeof(by_names[0]) == TOP_BY_COUNT,
	       "a name for each --by");

/* The heading of the key column. */
static const char *const by_headings[] = {
	[TOP_BY_VICTIM] = "VICTIM", [TOP_BY_CULPRIT] = "CULPRIT",
	[TOP_BY_HOST] = "HOST", [TOP_BY_MEMCG] = "UNIT",
	[TOP_BY_CAUSE] = "CAUSE",
};

/* Fold cgroup paths into their units, adding counts; rows stay sorted. */
static void fold_units(struct store_top_row *rows, size_t *n)
{
	size_t m = 0;

	for (size_t i = 0; i < *n; i++) {
		size_t len;
		const char *u = workload_unit(rows[i].key, &len);
		char *unit = u ? xstrndup(u, len) : NULL;
		size_t j;

		free(rows[i].key);
		rows[i].key = unit;
		for (j = 0; j < m; j++)
			if ((!unit && !rows[j].key) ||
			    (unit && rows[j].key && !strcmp(unit, rows[j].key)))
				break;
		if (j < m) {
			rows[j].count += rows[i].count;
			if (rows[i].has_last && (!rows[j].has_last ||
						 rows[i].last_us > rows[j].last_us)) {
				rows[j].last_us = rows[i].last_us;
				rows[j].has_last = 1;
			}
			free(unit);
			rows[i].key = NULL;
		} else {
			rows[m++] = rows[i];
		}
	}
	*n = m;
	for (size_t i = 1; i < m; i++)	/* insertion sort by count */
		for (size_t j = i; j > 0 && rows[j].count > rows[j - 1].count; j--) {
			struct store_top_row t = rows[j];

			rows[j] = rows[j - 1];
			rows[j - 1] = t;
		}
}

/* COUNT, LAST and the key's column: a count and a time are never cut;
 * the key is, with "…". */
static void top_columns(struct table_col cols[3], enum store_top_by by)
{
	cols[0] = (struct table_col){ .name = "COUNT", .whint = 6,
		.flags = TABLE_RIGHT | TABLE_STRICT,
		.help = "events of the key" };
	cols[1] = (struct table_col){ .name = "LAST",
		.whint = out_time_width(), .flags = TABLE_STRICT,
		.help = "the last of them" };
	cols[2] = (struct table_col){ .name = by_headings[by],
		.flags = TABLE_TRUNC, .share = 1,
		.help = "what they are counted by (--by)" };
}

/*
 * Column sel[c] of a row into o (the columns of the text, as --output
 * chose them): COUNT as "count", LAST as "last" (absent when unknown),
 * the key's column as "by" and "key" (null for the row of events the log
 * names none for: never a row without its key).  A column named twice is
 * one key.
 */
static void top_json(cJSON *o, const size_t *sel, size_t c,
		     enum store_top_by by, const char *key, int64_t count,
		     const char *last)
{
	for (size_t k = 0; k < c; k++)
		if (sel[k] == sel[c])
			return;
	switch (sel[c]) {
	case 0:
		out_json_add_i64(o, "count", count);
		break;
	case 1:
		out_json_add_str(o, "last", last);
		break;
	default:
		out_json_add_str(o, "by", by_names[by]);
		if (key)
			out_json_add_str(o, "key", key);
		else
			cJSON_AddNullToObject(o, "key");
		break;
	}
}

static int cmd_top_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct event_filter f = { 0 };
	enum store_top_by by = TOP_BY_VICTIM;
	struct store_top_row *rows;
	size_t n, limit = 20, all;
	int status, use_json = args_has(args, 'j') > 0;
	const char *by_arg = args_get(args, 'y'), *n_arg = args_get(args, 'n');
	int64_t v;
	struct table_col cols[3];
	size_t sel[6] = { 0, 1, 2 }, n_sel = 3;
	struct table *table = NULL;

	if (by_arg) {
		size_t k;

		for (k = 0; k < TOP_BY_COUNT && strcmp(by_arg, by_names[k]); k++)
			;
		if (k == TOP_BY_COUNT)
			return cmd_usage_error(&cmd_top_entry,
					       "--by '%s': expected victim, "
					       "culprit, cause, host or unit",
					       by_arg);
		by = (enum store_top_by)k;
	}
	if (n_arg) {
		if (num_parse_i64(n_arg, strlen(n_arg), &v) < 0 || v <= 0)
			return cmd_usage_error(&cmd_top_entry,
					       "-n '%s': not a count", n_arg);
		limit = (size_t)v;
	}
	status = cmd_filter_args(&cmd_top_entry, args, &f);
	if (status >= 0)
		return status;
	top_columns(cols, by);
	if (use_json) {	/* the document's keys: by, key, count, last */
		sel[0] = 2;
		sel[1] = 0;
		sel[2] = 1;
	}
	if (args_get(args, 'o')) {
		status = cmd_output_columns(ctx, cols, 3, args_get(args, 'o'),
					    sel, &n_sel, 6);
		if (status >= 0)
			return status;
	}
	status = cmd_open_store(ctx);
	if (status >= 0)
		return status;
	if (store_top(ctx->st, by, &f, &rows, &n) < 0)
		return error("%s", store_errmsg(ctx->st));
	all = n;
	if (by == TOP_BY_MEMCG)
		fold_units(rows, &n);
	if (!use_json)
		table = table_new(cols, sel, n_sel, "  ");
	for (size_t i = 0; i < n && i < limit; i++) {
		char when[40] = "-";
		const char *key = rows[i].key ? rows[i].key : NULL;

		if (rows[i].has_last && use_json)
			time_rfc3339(rows[i].last_us / 1000000 * 1000000, when,
				     sizeof(when));
		else if (rows[i].has_last)
			out_time(rows[i].last_us / 1000000 * 1000000, when,
				 sizeof(when));
		if (use_json) {
			cJSON *o = cJSON_CreateObject();

			for (size_t c = 0; c < n_sel; c++)
				top_json(o, sel, c, by, key, rows[i].count,
					 rows[i].has_last ? when : NULL);
			out_json_line(ctx->out, o);
			cJSON_Delete(o);
		} else {
			char count[24];

			snprintf(count, sizeof(count), "%" PRId64, rows[i].count);
			table_add_row(table);
			table_set(table, 0, count);
			table_set(table, 1, when);
			table_set(table, 2, key ? key : "(not in the log)");
		}
	}
	if (table && table_n_rows(table) &&
	    table_print(table, ctx->out, term_width(fileno(ctx->out))) < 0)
		output_failed();
	table_free(table);
	store_top_free(rows, by == TOP_BY_MEMCG ? n : all);
	return n ? EXIT_OK : EXIT_NOTHING;
}
