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

static int cmd_export_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "raw", no_argument, NULL, 'r' },
		{ "host", required_argument, NULL, 'H' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	struct event_filter f = { 0 };
	int raw = 0, c, status;
	int64_t *ids = NULL;
	size_t n = 0;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "ecs") != 0)
				return cmd_usage_error(&cmd_export_entry,
						       "unknown format '%s' "
						       "(known: ecs)", optarg);
			break;
		case 'r': raw = 1; break;
		case 'H': f.host = optarg; break;
		case 's':
		case 'u':
			status = cmd_filter_time(&cmd_export_entry,
						 c == 's' ? "--since" : "--until",
						 optarg, &f);
			if (status >= 0)
				return status;
			break;
		default:
			return cmd_usage_error(&cmd_export_entry,
					       "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_export_entry, "unexpected '%s'",
				       argv[optind]);
	status = cmd_open_store(ctx);
	if (status >= 0)
		return status;
	if (store_event_ids(ctx->st, &f, &ids, &n) < 0)
		return error("%s", store_errmsg(ctx->st));
	status = n ? EXIT_OK : EXIT_NOTHING;
	for (size_t i = 0; i < n; i++) {
		struct oom_report *r;
		char *source = NULL;
		cJSON *doc;

		if (store_load_event(ctx->st, ids[i], &r) < 0) {
			status = error("%s", store_errmsg(ctx->st));
			break;
		}
		store_event_source(ctx->st, ids[i], &source);
		doc = out_ecs_event(r, ids[i], source);
		if (raw && r->raw)
			cJSON_AddStringToObject(cJSON_GetObjectItem(doc, "event"),
						"original", r->raw);
		if (out_json_line(ctx->out, doc) < 0)
			status = EXIT_RUNTIME;
		cJSON_Delete(doc);
		free(source);
		oom_report_free(r);
		if (status == EXIT_RUNTIME)
			break;
	}
	free(ids);
	return status;
}
