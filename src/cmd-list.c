/* cmd-list.c: one line per OOM event, oldest first. */
#include <getopt.h>
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
	.usage = "list [--json] [--host NAME] [--since TIME] [--until TIME]",
	.summary = "list OOM events, one line each, oldest first",
	.options =
	"  --json          one JSON object per event (NDJSON)\n"
	"  --host NAME     only events of this host\n"
	"  --since TIME    only events at or after TIME (2026-11-21,\n"
	"                  2026-11-21T03:12:07Z, @EPOCH, or an age: 2h, 7d)\n"
	"  --until TIME    only events before TIME\n",
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
	who(trigger, sizeof(trigger), r->trigger_comm,
	    (r->known & RK_TRIGGER_PID) != 0, r->trigger_pid);
	snprintf(idbuf, sizeof(idbuf), "%" PRId64, id);
	fprintf(out, "%-5s %-20s ", idbuf, when);
	out_escaped_pad(out, r->host ? r->host : "-", 12);
	fputc(' ', out);
	out_escaped_pad(out, victim, 24);
	fputc(' ', out);
	out_escaped_pad(out, trigger, 24);
	fputc(' ', out);
	out_escaped_pad(out, r->constraint ? r->constraint : "-", 10);
	fputc(' ', out);
	out_escaped(out, out_memcg(r) ? out_memcg(r) : "-");
	if (r->flags & (REPORT_NO_KILL | REPORT_CUT | REPORT_NO_HEADER))
		fputs(r->flags & REPORT_NO_HEADER ? "  [no header]"
						  : "  [incomplete]", out);
	fputc('\n', out);
}

static void list_json(FILE *out, int64_t id, const struct oom_report *r)
{
	const struct oom_kill *v = oom_report_victim(r);
	cJSON *o = cJSON_CreateObject(), *x;
	char ts[40];

	json_add_i64(o, "id", id);
	if (r->known & RK_WALL) {
		out_event_time(r, ts, sizeof(ts));
		cJSON_AddStringToObject(o, "time", ts);
	}
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
	cJSON_AddBoolToObject(o, "complete",
			      !(r->flags & (REPORT_NO_KILL | REPORT_CUT |
					    REPORT_NO_HEADER)));
	out_json_line(out, o);
	cJSON_Delete(o);
}

static int cmd_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "host", required_argument, NULL, 'H' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	struct event_filter f = { 0 };
	int json = 0, c, status;
	int64_t *ids = NULL;
	size_t n = 0;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'H': f.host = optarg; break;
		case 's':
		case 'u':
			status = cmd_filter_time(&cmd_list_entry,
						 c == 's' ? "--since" : "--until",
						 optarg, &f);
			if (status >= 0)
				return status;
			break;
		default:
			return cmd_usage_error(&cmd_list_entry,
					       "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_list_entry, "unexpected '%s'",
				       argv[optind]);
	status = cmd_open_store(ctx);
	if (status >= 0)
		return status;
	if (store_event_ids(ctx->st, &f, &ids, &n) < 0)
		return error("%s", store_errmsg(ctx->st));
	if (!json && n)
		fprintf(ctx->out, "%-5s %-20s %-12s %-24s %-24s %-10s %s\n",
			"ID", "TIME", "HOST", "VICTIM", "TRIGGER", "CONSTRAINT",
			"MEMCG");
	status = n ? EXIT_OK : EXIT_NOTHING;
	for (size_t i = 0; i < n; i++) {
		struct oom_report *r;

		if (store_load_event(ctx->st, ids[i], &r) < 0) {
			status = error("%s", store_errmsg(ctx->st));
			break;
		}
		if (json)
			list_json(ctx->out, ids[i], r);
		else
			list_text(ctx->out, ids[i], r);
		oom_report_free(r);
	}
	free(ids);
	return status;
}
