/*
 * cmd-export.c: events for SIEM pipelines and spreadsheets, ordered by
 * time: ECS documents (NDJSON), the same in Splunk HEC envelopes, OTLP/JSON
 * log records, or CSV with one row per killed task.  The field names are
 * a contract (oomlens(1), EXPORT FORMAT): add fields, never rename them.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "oom.h"
#include "oomlens.h"
#include "output-formats.h"
#include "output.h"
#include "store.h"

static int cmd_export_exec(struct cmd_ctx *ctx, int argc, char **argv);

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "export [--format ecs|hec|otel|csv] [--raw] [--host NAME] "
		 "[--since TIME] [--until TIME] [--victim NAME] "
		 "[--killer KILLER]",
	.summary = "write events for Elastic, OpenSearch, Splunk, "
		   "OpenTelemetry or a spreadsheet",
	.options =
	"  --format ecs    Elastic Common Schema documents, NDJSON (the default)\n"
	"  --format hec    the ECS documents in Splunk HEC envelopes\n"
	"  --format otel   OpenTelemetry log records (OTLP/JSON), one per line\n"
	"  --format csv    CSV, one row per killed task\n"
	"  --raw           add the report as logged (event.original)\n"
	"  --host NAME     only events of this host\n"
	"  --since TIME    only events at or after TIME\n"
	"  --until TIME    only events before TIME\n"
	"  --victim NAME   only events that killed a task of this name\n"
	"  --killer KILLER only kills by this killer: 'kernel' (all, for now)\n",
	.flags = CMD_STORE_READ,
	.exec = cmd_export_exec,
};

enum export_format { FMT_ECS, FMT_HEC, FMT_OTEL, FMT_CSV };

static const char *const format_names[] = { "ecs", "hec", "otel", "csv",
					    NULL };

struct export_opts {
	enum export_format format;
	int raw;
	const char *victim;	/* NULL: every event */
	size_t written;		/* documents or rows */
};

static int killed(const struct oom_report *r, const char *name)
{
	for (size_t i = 0; i < r->n_kills; i++)
		if (!strcmp(r->kills[i].comm, name))
			return 1;
	return 0;
}

/* One event in a JSON format: 0, or -EXIT_RUNTIME when stdout failed. */
static int export_json(struct cmd_ctx *ctx, int64_t id,
		       const struct oom_report *r, struct export_opts *o)
{
	char *source = NULL;
	cJSON *doc;
	int status = 0;

	store_event_source(ctx->st, id, &source);
	doc = out_ecs_event(r, id, source);
	if (o->format == FMT_OTEL) {
		cJSON *ecs = doc;

		doc = out_otel_event(ecs, r, o->raw ? r->raw : NULL);
		cJSON_Delete(ecs);
	} else {
		if (o->raw && r->raw)
			cJSON_AddStringToObject(cJSON_GetObjectItem(doc,
								    "event"),
						"original", r->raw);
		if (o->format == FMT_HEC)
			doc = out_hec_event(doc, r, source);
	}
	/* a task name is any bytes; a SIEM wants UTF-8 */
	if (out_json_line_safe(ctx->out, doc) < 0)
		status = -EXIT_RUNTIME;	/* main() says what failed */
	o->written++;
	cJSON_Delete(doc);
	free(source);
	return status;
}

static int export_csv(struct cmd_ctx *ctx, int64_t id,
		      const struct oom_report *r, struct export_opts *o)
{
	size_t rows = 0;
	int rc = 0;

	for (size_t i = 0; i < r->n_kills; i++)
		if (!o->victim || !strcmp(r->kills[i].comm, o->victim))
			rows++;
	if (!rows)
		return 0;
	/* no header for no rows: an empty output is "nothing found" */
	if (!o->written)
		rc = out_csv_export_header(ctx->out);
	if (out_csv_export_rows(ctx->out, r, id, o->victim) < 0)
		rc = -EIO;
	o->written += rows;
	return rc < 0 ? -EXIT_RUNTIME : 0;
}

/*
 * One event.  CSV needs the event row and its kills only; the JSON
 * formats need it all, which is loaded after the kills said that the
 * event passes --victim.
 */
static int export_one(struct cmd_ctx *ctx, int64_t id, struct export_opts *o)
{
	unsigned parts = o->format == FMT_CSV ? 0 : STORE_LOAD_ALL;
	struct oom_report *r = NULL;
	int rc;

	if (o->victim && parts) {
		rc = store_load_event_parts(ctx->st, id, 0, &r);
		if (rc >= 0 && !killed(r, o->victim)) {
			oom_report_free(r);
			return 0;
		}
		oom_report_free(r);
		r = NULL;
	}
	rc = store_load_event_parts(ctx->st, id, parts, &r);
	if (rc < 0)
		return -error("%s", store_errmsg(ctx->st));
	if (o->victim && !killed(r, o->victim))
		rc = 0;
	else if (o->format == FMT_CSV)
		rc = export_csv(ctx, id, r, o);
	else
		rc = export_json(ctx, id, r, o);
	oom_report_free(r);
	return rc;
}

static int export_id(struct cmd_ctx *ctx, int64_t id, void *data)
{
	return export_one(ctx, id, data);
}

/* As cmd_each_event(), with the --victim test before the full load. */
static int export_events(struct cmd_ctx *ctx, const struct event_filter *f,
			 struct export_opts *o)
{
	int status = cmd_each_event_id(ctx, f, export_id, o);

	if (status == EXIT_OK && !o->written)
		status = EXIT_NOTHING;
	return status;
}

static int cmd_export_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "raw", no_argument, NULL, 'r' },
		{ "victim", required_argument, NULL, 'v' },
		{ "killer", required_argument, NULL, 'k' },
		CMD_FILTER_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct event_filter f = { 0 };
	struct export_opts o = { 0 };
	const char *killer = NULL;
	int c, status;
	size_t i;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c == 'f') {
			for (i = 0; format_names[i]; i++)
				if (!strcmp(optarg, format_names[i]))
					break;
			if (!format_names[i])
				return cmd_usage_error(&cmd_export_entry,
						       "unknown format '%s' "
						       "(known: ecs, hec, "
						       "otel, csv)", optarg);
			o.format = (enum export_format)i;
		} else if (c == 'r') {
			o.raw = 1;
		} else if (c == 'v') {
			o.victim = optarg;
		} else if (c == 'k') {
			killer = optarg;
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
	/* Every stored kill is the kernel's; userspace killers (systemd-
	 * oomd, earlyoom) are not read yet, so they match nothing. */
	if (killer && strcmp(killer, "kernel") != 0) {
		status = cmd_open_store(ctx);
		return status >= 0 ? status : EXIT_NOTHING;
	}
	return export_events(ctx, &f, &o);
}
