/*
 * cmd-export.c: events for SIEM pipelines and spreadsheets, ordered by
 * time: ECS documents (NDJSON), the same in Splunk HEC envelopes, OTLP/JSON
 * log records, or CSV with one row per killed task.  The field names are
 * a contract (oomlens-export(1), EXPORT FORMAT): add fields, never rename
 * them.  --follow keeps reading the journal, ingesting as ingest --journal
 * does, and writes each new event as it is stored.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "diagnosis.h"
#include "ingest.h"
#include "journal.h"
#include "oom.h"
#include "oomlens.h"
#include "output-formats.h"
#include "output.h"
#include "store.h"

static int cmd_export_exec(struct cmd_ctx *ctx, const struct cmd_args *args);

static const struct option export_options[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "raw", no_argument, NULL, 'r' },
	{ "victim", required_argument, NULL, 'v' },
	{ "killer", required_argument, NULL, 'k' },
	{ "trusted", no_argument, NULL, 'T' },
	CMD_BOOT_OPTION,
	{ "follow", no_argument, NULL, 'F' },
	{ "journal-dir", required_argument, NULL, 'D' },
	CMD_FILTER_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "export [--format ecs|hec|otel|csv] [--raw] [--host NAME] "
		 "[--since TIME] [--until TIME] [--victim NAME] "
		 "[--killer KILLER] [--trusted] [--boot [ID|-N]] "
		 "[--follow [--journal-dir DIR]]",
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
	"  --killer KILLER only kills by this killer: 'kernel', 'systemd-oomd',\n"
	"                  'earlyoom' or 'nohang'\n"
	"  --trusted       only events whose kept copy the kernel wrote where\n"
	"                  no program can: the journal's kernel entries,\n"
	"                  /dev/kmsg or dmesg (not syslog text)\n"
	CMD_BOOT_HELP
	"                  (with --follow only a boot ID)\n"
	"  --follow        keep reading the local journal: store its new\n"
	"                  reports as ingest does, from the same cursor, and\n"
	"                  write each as it is stored, until SIGINT or SIGTERM\n"
	"  --journal-dir DIR\n"
	"                  follow this journal directory instead\n",
	.flags = CMD_STORE_READ,
	.longopts = export_options,
	.shortopts = "b::",
	.exec = cmd_export_exec,
};

enum export_format { EXPORT_ECS, EXPORT_HEC, EXPORT_OTEL, EXPORT_CSV };

static const char *const format_names[] = { "ecs", "hec", "otel", "csv",
					    NULL };

struct export_opts {
	enum export_format format;
	int raw;
	const char *victim;	/* NULL: every event */
	const char *killer;	/* NULL: every killer */
	size_t written;		/* documents or rows */
	struct buf line;	/* a document being written; reused */
};

static int killed(const struct oom_report *r, const char *name)
{
	for (size_t i = 0; i < r->n_kills; i++)
		if (!strcmp(r->kills[i].comm, name))
			return 1;
	return 0;
}

/* The events --victim and --killer let through. */
static int wanted(const struct oom_report *r, const struct export_opts *o)
{
	const char *killer = r->killer ? r->killer : KILLER_KERNEL;

	if (o->killer && strcmp(killer, o->killer) != 0)
		return 0;
	return !o->victim || killed(r, o->victim);
}

/* The document of an event to out, or -EXIT_RUNTIME when it failed. */
static int put_line(FILE *out, const char *s, size_t n)
{
	if (fwrite(s, 1, n, out) != n) {
		output_failed();	/* main() says what failed */
		return -EXIT_RUNTIME;
	}
	return 0;
}

/* One event in a JSON format, d its diagnosis (NULL: none): 0, or
 * -EXIT_RUNTIME when stdout failed.  ECS and HEC are written as they
 * go (out_ecs_write()); OTel is written from the ECS tree
 * (out_otel_write()). */
static int export_json(struct cmd_ctx *ctx, int64_t id,
		       const struct oom_report *r, const struct diagnosis *d,
		       const struct store_event_extra *x, struct export_opts *o)
{
	struct ecs_doc e = { .r = r, .id = id, .d = d, .source = x->source,
			     .ingested_us = x->ingested_us };
	const char *source = x->source;
	struct store_action *a = NULL;
	size_t n = 0;
	int status = 0;

	if (store_event_actions(ctx->st, id, &a, &n) == 0) {
		e.actions = a;
		e.n_actions = n;
	}
	buf_reset(&o->line);
	if (o->format == EXPORT_OTEL) {
		cJSON *ecs = out_ecs_event(r, id, source, e.ingested_us);

		out_ecs_add_diagnosis(ecs, d);
		out_ecs_add_story(ecs, a, e.n_actions);
		out_otel_write(&o->line, ecs, r, o->raw ? r->raw : NULL,
			       e.ingested_us);
		cJSON_Delete(ecs);
	} else {
		e.raw = o->raw ? r->raw : NULL;
		out_ecs_write(&o->line, &e, o->format == EXPORT_HEC);
	}
	status = put_line(ctx->out, o->line.data, o->line.len);
	o->written++;
	store_actions_free(a, n);
	return status;
}

static int export_csv(struct cmd_ctx *ctx, int64_t id,
		      const struct oom_report *r, const struct diagnosis *d,
		      struct export_opts *o)
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
	if (out_csv_export_rows(ctx->out, r, id, o->victim, d) < 0)
		rc = -EIO;
	if (rc < 0)
		output_failed();	/* main() says what failed */
	o->written += rows;
	return rc < 0 ? -EXIT_RUNTIME : 0;
}

/*
 * One event.  CSV needs the event row and its kills only; the JSON
 * formats need it all, which is loaded after the kills said that the
 * event passes --victim, in one read of its row with its verdict and
 * origin (store_load_event_extra()).
 */
static int export_one(struct cmd_ctx *ctx, int64_t id, struct export_opts *o)
{
	int csv = o->format == EXPORT_CSV;
	struct store_event_extra x = { 0 };
	struct oom_report *r = NULL;
	struct diagnosis diag;
	const struct diagnosis *d = NULL;
	int rc;

	if ((o->victim || o->killer) && !csv) {
		rc = store_load_event_parts(ctx->st, id, 0, &r);
		if (rc >= 0 && !wanted(r, o)) {
			oom_report_free(r);
			return 0;
		}
		oom_report_free(r);
		r = NULL;
	}
	if (csv)
		rc = store_load_event_parts(ctx->st, id, 0, &r);
	else
		rc = store_load_event_extra(ctx->st, id, &r, &diag, &x);
	if (rc < 0)
		return -error("%s", store_errmsg(ctx->st));
	if (!wanted(r, o)) {
		oom_report_free(r);
		store_event_extra_release(&x);
		return 0;
	}
	if (!csv) {
		rc = export_json(ctx, id, r, x.has_diagnosis ? &diag : NULL, &x,
				 o);
		oom_report_free(r);
		store_event_extra_release(&x);
		return rc;
	}
	/* stored at ingest; -ENOENT: the event has none */
	rc = store_load_verdict(ctx->st, id, &diag);
	if (rc == 0)
		d = &diag;
	if (rc < 0 && rc != -ENOENT)
		rc = -error("%s", store_errmsg(ctx->st));
	else
		rc = export_csv(ctx, id, r, d, o);
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

/* ---- --follow ---- */

/* Set by SIGINT and SIGTERM: finish the entry being read, then stop. */
static volatile sig_atomic_t follow_stop;

static void on_stop_signal(int sig)
{
	(void)sig;
	follow_stop = 1;
}

/* How long the journal must be quiet before the entries read are parsed
 * and stored: the kernel writes a report in a burst, so a report is not
 * cut in two. */
#define FOLLOW_SETTLE_USEC (1000 * 1000)
/* Waits last this long, and the journal is read again after this many
 * of them even when no change was signalled (a journal file replaced
 * behind sd-journal's back). */
#define FOLLOW_STEP_USEC (500 * 1000)
#define FOLLOW_POLL_STEPS 60

struct follow {
	struct cmd_ctx *ctx;
	const struct event_filter *f;
	struct export_opts *o;
	int status;		/* of the first failure, or 0 */
	int epipe;		/* the reader went away */
};

static int filter_passes(const struct event_filter *f,
			 const struct oom_report *r)
{
	if (f->host && (!r->host || strcmp(f->host, r->host)))
		return 0;
	if ((f->has_since || f->has_until) && !(r->known & RK_WALL))
		return 0;
	if (f->has_since && r->wall_us < f->since_us)
		return 0;
	if (f->has_until && r->wall_us >= f->until_us)
		return 0;
	if (f->trusted && r->trust < PROV_KMSG)
		return 0;
	if (f->boot_id && (!r->boot_id || strncmp(r->boot_id, f->boot_id,
						   strlen(f->boot_id))))
		return 0;
	return 1;
}

/* A stored event: printed and flushed, unless it is a copy of one stored
 * before (then it was new to the journal, not to the database). */
static void follow_event(void *data, int64_t id, int was_copy)
{
	struct follow *fw = data;
	struct oom_report *r = NULL;
	int rc;

	if (was_copy || fw->epipe || fw->status)
		return;
	if (store_load_event_parts(fw->ctx->st, id, 0, &r) < 0) {
		fw->status = error("%s", store_errmsg(fw->ctx->st));
		return;
	}
	rc = filter_passes(fw->f, r);
	oom_report_free(r);
	if (rc && export_one(fw->ctx, id, fw->o) < 0 &&
	    output_errno() != EPIPE)
		fw->status = EXIT_RUNTIME;
	if (fflush(fw->ctx->out) != 0)
		output_failed();
	if (ferror(fw->ctx->out)) {
		if (output_errno() == EPIPE) {
			fw->epipe = 1;
			follow_stop = 1;
		} else {
			fw->status = error("cannot write output: %s",
					   strerror(output_errno()));
		}
	}
}

static void follow_message(void *data, enum ingest_level level,
			   const char *msg)
{
	(void)data;
	if (level == INGEST_ERROR)
		error("%s", msg);
	else
		warning("%s", msg);
}

static void follow_line_warning(void *data, const char *path, uint64_t lineno,
				const char *msg)
{
	(void)data;
	warning("%s:%" PRIu64 ": %s", path, lineno, msg);
}

/*
 * export --follow: ingest the journal's new reports as ingest --journal
 * does (the same cursor: nothing is printed twice across restarts, and
 * nothing ingest --journal stored already), print each as it is stored,
 * wait for more.
 */
static int follow(struct cmd_ctx *ctx, const struct event_filter *f,
		  struct export_opts *o, const char *dir)
{
	static const struct ingest_ops ops = {
		.message = follow_message,
		.line_warning = follow_line_warning,
		.event = follow_event,
	};
	/* the store is written: a copy of the entry that says so */
	struct cmd_entry writer = cmd_export_entry;
	struct follow fw = { ctx, f, o, 0, 0 };
	struct journal_opts jo = { .dir = dir, .settle_usec =
				   FOLLOW_SETTLE_USEC, .stop = &follow_stop };
	struct ingest_opts io = { 0 };
	struct journal_src *watch = NULL;
	struct ingest *g = NULL;
	struct sigaction sa;
	char *key = journal_resume_key(dir);
	char *err = NULL;
	int status;

	writer.flags = CMD_STORE_WRITE;
	ctx->entry = &writer;
	status = cmd_open_store(ctx);
	ctx->entry = &cmd_export_entry;
	if (status >= 0)
		goto out;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;	/* no SA_RESTART: waits end */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);	/* a closed pipe is EPIPE: stop */
	/* the watch is opened first, so no change after it is missed */
	if (journal_open(&jo, &watch, &err) < 0 ||
	    ingest_new(ctx->st, &io, &ops, &fw, &g, &err) < 0) {
		status = error("%s", err);
		goto out;
	}
	while (!follow_stop && !fw.status) {
		int r = ingest_journal(g, &jo, dir ? dir : "journal", key);

		if (r < 0) {
			status = EXIT_RUNTIME;	/* the database: said */
			goto out;
		}
		/* until a change, a signal, or time to look again; in
		 * short steps, so a signal between the test of follow_stop
		 * and the wait costs a step at most */
		for (unsigned i = 0; !follow_stop && i < FOLLOW_POLL_STEPS; i++) {
			r = journal_wait(watch, FOLLOW_STEP_USEC);
			if (r < 0 && r != -EINTR) {
				status = error("cannot wait for the journal: "
					       "%s", strerror(-r));
				goto out;
			}
			if (r > 0)
				break;
		}
	}
	status = fw.status ? fw.status : EXIT_OK;
	if (fw.epipe) {
		/* the reader is gone: what is buffered cannot be written,
		 * and that is no failure of ours */
		__fpurge(ctx->out);
		clearerr(ctx->out);
	}
out:
	ingest_free(g);
	journal_close(watch);
	free(err);
	free(key);
	return status;
}

static int cmd_export_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct event_filter f = { 0 };
	struct export_opts o = { .line = BUF_INIT };
	const char *journal_dir = args_get(args, 'D');
	const char *format = args_get(args, 'f');
	int status, follow_journal = args_has(args, 'F') > 0;
	size_t i;

	if (format) {
		for (i = 0; format_names[i]; i++)
			if (!strcmp(format, format_names[i]))
				break;
		if (!format_names[i])
			return cmd_usage_error(&cmd_export_entry,
					       "unknown format '%s' (known: "
					       "ecs, hec, otel, csv)", format);
		o.format = (enum export_format)i;
	}
	o.raw = args_has(args, 'r') > 0;
	o.victim = args_get(args, 'v');
	o.killer = args_get(args, 'k');
	status = cmd_filter_args(&cmd_export_entry, args, &f);
	if (status >= 0)
		return status;
	if (follow_journal && f.has_boot_offset)
		return cmd_usage_error(&cmd_export_entry,
				       "--follow takes a boot ID, not a number "
				       "of boots back");
	if (journal_dir && !follow_journal)
		return cmd_usage_error(&cmd_export_entry,
				       "--journal-dir goes with --follow");
	if (follow_journal)
		status = follow(ctx, &f, &o, journal_dir);
	else
		status = export_events(ctx, &f, &o);
	buf_release(&o.line);
	return status;
}
