/*
 * cmd-export.c: events as NDJSON for SIEM pipelines, one ECS-shaped
 * document per OOM event, ordered by time.  The field names are a
 * contract (oomlens(1), EXPORT FORMAT): add fields, never rename them.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "oom.h"
#include "oomlens.h"
#include "output.h"
#include "store.h"

static int cmd_export_exec(struct cmd_ctx *ctx, int argc, char **argv);

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "export [--format ecs] [--raw] [--host NAME] [--since TIME] "
		 "[--until TIME]",
	.summary = "write events as NDJSON for Elastic, OpenSearch or Splunk",
	.options =
	"  --format ecs    Elastic Common Schema documents (the default)\n"
	"  --raw           add event.original, the report as logged\n"
	"  --host NAME     only events of this host\n"
	"  --since TIME    only events at or after TIME\n"
	"  --until TIME    only events before TIME\n",
	.flags = CMD_STORE_READ,
	.exec = cmd_export_exec,
};

static int export_one(struct cmd_ctx *ctx, int64_t id,
		      const struct oom_report *r, void *data)
{
	int raw = *(int *)data, status = 0;
	char *source = NULL;
	cJSON *doc;

	store_event_source(ctx->st, id, &source);
	doc = out_ecs_event(r, id, source);
	if (raw && r->raw)
		cJSON_AddStringToObject(cJSON_GetObjectItem(doc, "event"),
					"original", r->raw);
	if (out_json_line(ctx->out, doc) < 0)
		status = -EXIT_RUNTIME;	/* main() says what failed */
	cJSON_Delete(doc);
	free(source);
	return status;
}

static int cmd_export_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "raw", no_argument, NULL, 'r' },
		CMD_FILTER_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct event_filter f = { 0 };
	int raw = 0, c, status;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c == 'f') {
			if (strcmp(optarg, "ecs") != 0)
				return cmd_usage_error(&cmd_export_entry,
						       "unknown format '%s' "
						       "(known: ecs)", optarg);
		} else if (c == 'r') {
			raw = 1;
		} else if (c == 'H' || c == 's' || c == 'u') {
			status = cmd_filter_option(&cmd_export_entry, c, optarg,
						   &f);
			if (status >= 0)
				return status;
		} else {
			return cmd_usage_error(&cmd_export_entry,
					       "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_export_entry, "unexpected '%s'",
				       argv[optind]);
	return cmd_each_event(ctx, &f, STORE_LOAD_ALL, export_one, &raw);
}
