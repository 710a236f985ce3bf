/*
 * cmd-ingest.c: read OOM reports from logs into the database.
 *
 * Each input is one transaction: its events commit together or not at
 * all, so a read error or a full disk never leaves half an input behind.
 * A bad input is reported and skipped; the others are still ingested.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "badness.h"
#include "classify.h"
#include "journal.h"
#include "cmd.h"
#include "oom.h"
#include "oomlens.h"
#include "output.h"
#include "report.h"
#include "scan.h"
#include "source.h"
#include "store.h"
#include "xalloc.h"

/* Warnings per input before we only count them. */
#define MAX_WARNINGS_SHOWN 10

struct ingest {
	struct cmd_ctx *ctx;
	struct classifier *cls;
	const char *host;	/* --host: for lines that carry none */
	unsigned walk_flags;	/* --host-from-dir */
	int quiet;
	int json;
	cJSON *inputs;		/* --json: one object per input */
	/* totals */
	unsigned n_inputs, n_failed, n_skipped;
	uint64_t n_events;
	/* the input being read */
	const char *path;
	struct source *src;
	int64_t source_id;
	int source_added;	/* its row is in, source_id is valid */
	uint64_t events, warnings;
	int save_error;		/* first store error of this input */
};

/*
 * The input's row, added with its first report (or at its end), so that
 * a host found only then (source_host() reading an archive ahead) is the
 * row's host too.  The layout's host (--host-from-dir, sosreport) comes
 * before --host.
 */
static int add_source(struct ingest *in)
{
	const char *host = in->src && in->src->host ? in->src->host : in->host;

	if (in->source_added)
		return 0;
	in->source_added = 1;
	return store_add_source(in->ctx->st, in->path, host, &in->source_id);
}

static void on_report(void *ctx, struct oom_report *r)
{
	struct ingest *in = ctx;
	int64_t id;

	if (!r->host) {
		const char *host = in->src ? source_host(in->src) : NULL;

		if (host || (host = in->host))
			r->host = xstrdup(host);
	}
	badness_analyse(r);
	if (!in->save_error)
		in->save_error = add_source(in);
	if (!in->save_error) {
		in->save_error = store_save_report(in->ctx->st, in->source_id,
						   r, &id);
		if (!in->save_error)
			in->events++;
	}
	oom_report_free(r);
}

static void on_warning(void *ctx, uint64_t lineno, const char *msg)
{
	struct ingest *in = ctx;

	if (++in->warnings <= MAX_WARNINGS_SHOWN && !in->quiet)
		warning("%s:%" PRIu64 ": %s", in->path, lineno, msg);
}

static void input_json(struct ingest *in, const struct scan_stats *st,
		       const char *err)
{
	cJSON *o;

	if (!in->json)
		return;
	o = cJSON_CreateObject();
	json_add_str(o, "path", in->path);
	json_add_u64(o, "events", err ? 0 : in->events);
	json_add_u64(o, "lines", st->lines);
	json_add_u64(o, "bytes", st->bytes);
	json_add_u64(o, "warnings", in->warnings);
	json_add_str(o, "error", err);
	cJSON_AddItemToArray(in->inputs, o);
}

/* Binary and journal files are skipped, with a notice. */
static int ingest_skip(struct ingest *in, struct source *src)
{
	const char *why = src->kind == SOURCE_JOURNAL ? "journal" : "binary";
	struct scan_stats st = { 0 };

	in->n_skipped++;
	if (!in->quiet)
		warning(src->kind == SOURCE_JOURNAL ?
			"skipping '%s': a journal file inside an archive "
			"(extract it to read it)" :
			"skipping '%s': binary, not a text log", src->path);
	if (in->json) {
		input_json(in, &st, NULL);
		json_add_str(cJSON_GetArrayItem(in->inputs,
						cJSON_GetArraySize(in->inputs) - 1),
			     "skipped", why);
	}
	return 0;
}

/*
 * Scan one input into its own transaction.  The journal's resume point
 * (key and j) commits with the events read before it.
 */
static int ingest_stream(struct ingest *in, const struct scan_reader *rd,
			 int64_t ref_time, const char *resume_key,
			 struct journal_src *j)
{
	struct report_sink sink = { on_report, on_warning, in };
	struct scan_stats st = { 0 };
	const char *path = in->path;
	int r;

	in->n_inputs++;
	r = store_begin(in->ctx->st);
	if (r < 0) {
		error("'%s': %s", path, store_errmsg(in->ctx->st));
		store_rollback(in->ctx->st);
		in->n_failed++;
		return r;	/* the database is unusable: stop */
	}
	r = scan_stream(in->cls, rd, ref_time, &sink, &st);
	if (r < 0) {
		const char *why = in->src ? source_strerror(in->src, r)
					  : strerror(-r);

		store_rollback(in->ctx->st);
		error("cannot read '%s': %s, nothing of it stored", path, why);
		input_json(in, &st, why);
		in->n_failed++;
		return 0;
	}
	if (!in->save_error)
		in->save_error = add_source(in);
	if (!in->save_error && j && journal_cursor(j)) {
		struct resume_point rp = { .cursor = (char *)journal_cursor(j) };

		in->save_error = store_set_resume(in->ctx->st, resume_key, &rp);
	}
	if (in->save_error || (r = store_commit(in->ctx->st)) < 0) {
		error("cannot store events of '%s': %s", path,
		      store_errmsg(in->ctx->st));
		store_rollback(in->ctx->st);
		in->n_failed++;
		return in->save_error ? in->save_error : r;
	}
	if (in->warnings > MAX_WARNINGS_SHOWN && !in->quiet)
		warning("%s: %" PRIu64 " more warnings not shown", path,
			in->warnings - MAX_WARNINGS_SHOWN);
	input_json(in, &st, NULL);
	if (!in->quiet && !in->json) {
		if (j)
			fprintf(in->ctx->out, "%s: %" PRIu64 " event%s (%zu new "
				"kernel entries)\n", path, in->events,
				in->events == 1 ? "" : "s", journal_entries(j));
		else
			fprintf(in->ctx->out, "%s: %" PRIu64 " event%s (%" PRIu64
				" lines)\n", path, in->events,
				in->events == 1 ? "" : "s", st.lines);
	}
	in->n_events += in->events;
	return 0;
}

static void start_input(struct ingest *in, const char *path,
			struct source *src)
{
	in->path = path;
	in->src = src;
	in->events = in->warnings = 0;
	in->save_error = 0;
	in->source_added = 0;
}

/*
 * A journal: the local one, a directory, or one file, read natively from
 * where the last ingest of the same journal stopped (its cursor).
 */
static int ingest_journal(struct ingest *in, const struct journal_opts *base,
			  const char *name, const char *key)
{
	struct journal_opts o = *base;
	struct resume_point rp = { 0 };
	struct journal_src *j = NULL;
	struct scan_reader rd;
	char *err = NULL;
	int r;

	start_input(in, name, NULL);
	o.kernel_only = 1;
	if (store_get_resume(in->ctx->st, key, &rp) == 0)
		o.after_cursor = rp.cursor;
	r = journal_open(&o, &j, &err);
	if (r < 0) {
		struct scan_stats st = { 0 };

		error("%s, skipping", err);
		input_json(in, &st, err);
		free(err);
		resume_point_release(&rp);
		in->n_inputs++;
		in->n_failed++;
		return 0;
	}
	rd = journal_reader(j);
	r = ingest_stream(in, &rd, 0, key, j);
	journal_close(j);
	resume_point_release(&rp);
	return r;
}

static int ingest_one(void *ctx, struct source *src)
{
	struct ingest *in = ctx;
	struct scan_reader rd;

	start_input(in, src->path, src);
	if (src->kind == SOURCE_JOURNAL && journal_file_magic(src->path)) {
		/* a journal file on disk: sd-journal reads it by path */
		const char *files[] = { src->path };
		struct journal_opts o = { .files = files, .n_files = 1 };
		char *key = xasprintf("journal:file:%s", src->path);
		int r = ingest_journal(in, &o, src->path, key);

		free(key);
		return r;
	}
	if (src->kind == SOURCE_BINARY || src->kind == SOURCE_JOURNAL)
		return ingest_skip(in, src);	/* or a journal in an archive */
	rd = source_reader(src);
	return ingest_stream(in, &rd, src->mtime, NULL, NULL);
}

static void on_walk_error(void *ctx, enum source_error_where where,
			  const char *path, const char *msg)
{
	struct ingest *in = ctx;
	struct scan_stats st = { 0 };

	switch (where) {
	case SOURCE_ERR_DIR:
		error("cannot read directory '%s': %s, skipping", path, msg);
		break;
	case SOURCE_ERR_ARCHIVE:
		error("cannot read '%s': %s, skipping the rest of it", path,
		      msg);
		break;
	case SOURCE_ERR_SKIPPED:
		error("cannot read part of '%s': %s, skipping to the next member",
		      path, msg);
		break;
	case SOURCE_ERR_OPEN:
		error("cannot read '%s': %s, skipping", path, msg);
		break;
	}
	in->path = path;
	in->warnings = 0;
	input_json(in, &st, msg);
	in->n_inputs++;
	in->n_failed++;
}

static int cmd_ingest_exec(struct cmd_ctx *ctx, int argc, char **argv);

const struct cmd_entry cmd_ingest_entry = {
	.name = "ingest",
	.usage = "ingest [--host NAME] [--host-from-dir] [--json] [-q] "
		 "[--journal] [--journal-dir DIR] [PATH...]",
	.summary = "read OOM reports from log files into the database",
	.options =
	"  --host NAME  host name for reports whose lines carry none (dmesg)\n"
	"  --host-from-dir\n"
	"               the first directory below a PATH that is a directory\n"
	"               or an archive names the host of the files under it\n"
	"               (PATH/web1/var/log/dmesg: web1)\n"
	"  --json       print per-input counts as JSON\n"
	"  -q, --quiet  print nothing but errors\n"
	"  --journal    read the local systemd journal's kernel entries, from\n"
	"               where the last --journal ingest stopped\n"
	"  --journal-dir DIR\n"
	"               the same for a journal directory (a copied\n"
	"               /var/log/journal/MACHINE-ID); journal files given as\n"
	"               PATH (*.journal, *.journal~) are found by their magic\n"
	"  PATH         a log file, a directory (read recursively, rotated\n"
	"               logs oldest first), a tar archive (each member an\n"
	"               input, shown as ARCHIVE:member), or - for standard\n"
	"               input; gzip, xz, zstd and bzip2 are read by their\n"
	"               magic, whatever the name; binary files are skipped\n"
	"Hosts for reports whose lines carry none: --host-from-dir, else a\n"
	"sosreport's (a hostname or sos_commands/host/hostname file at the top\n"
	"of a directory or archive, or one directory below it), else --host.\n",
	.flags = CMD_STORE_WRITE,
	.exec = cmd_ingest_exec,
};

static int cmd_ingest_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "host", required_argument, NULL, 'H' },
		{ "host-from-dir", no_argument, NULL, 'F' },
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "journal", no_argument, NULL, 'J' },
		{ "journal-dir", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct source_walk_ops walk_ops = {
		ingest_one, on_walk_error,
	};
	struct ingest in = { .ctx = ctx };
	const char *journal_dirs[16];
	size_t n_journal_dirs = 0;
	int local_journal = 0;
	char *err = NULL;
	int c, r = 0, status;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+q", opts, NULL)) != -1) {
		switch (c) {
		case 'H': in.host = optarg; break;
		case 'F': in.walk_flags |= SOURCE_HOST_FROM_DIR; break;
		case 'j': in.json = 1; break;
		case 'q': in.quiet = 1; break;
		case 'J': local_journal = 1; break;
		case 'D':
			if (n_journal_dirs == 16)
				return cmd_usage_error(&cmd_ingest_entry,
						       "at most 16 --journal-dir");
			journal_dirs[n_journal_dirs++] = optarg;
			break;
		default:
			return cmd_usage_error(&cmd_ingest_entry,
					       "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind >= argc && !local_journal && !n_journal_dirs)
		return cmd_usage_error(&cmd_ingest_entry, "no input: give a "
				       "file, a directory, -, or --journal");
	status = cmd_open_store(ctx);
	if (status >= 0)
		return status;
	if (classify_new(&in.cls, &err) < 0) {
		status = error("internal error: %s", err);
		free(err);
		return status;
	}
	if (in.json)
		in.inputs = cJSON_CreateArray();
	if (local_journal) {
		struct journal_opts o = { 0 };

		r = ingest_journal(&in, &o, "journal", "journal:local");
	}
	for (size_t i = 0; i < n_journal_dirs && r >= 0; i++) {
		struct journal_opts o = { .dir = journal_dirs[i] };
		char *key = xasprintf("journal:dir:%s", journal_dirs[i]);

		r = ingest_journal(&in, &o, journal_dirs[i], key);
		free(key);
	}
	for (int i = optind; i < argc && r >= 0; i++)
		r = source_walk(argv[i], in.walk_flags, &walk_ops, &in);
	classify_free(in.cls);

	if (in.json) {
		cJSON *doc = cJSON_CreateObject();

		cJSON_AddItemToObject(doc, "inputs", in.inputs);
		json_add_u64(doc, "events", in.n_events);
		json_add_u64(doc, "failed_inputs", in.n_failed);
		json_add_u64(doc, "skipped_inputs", in.n_skipped);
		out_json_line(ctx->out, doc);
		cJSON_Delete(doc);
	} else if (!in.quiet) {
		fprintf(ctx->out, "stored %" PRIu64 " event%s from %u input%s",
			in.n_events, in.n_events == 1 ? "" : "s",
			in.n_inputs - in.n_failed,
			in.n_inputs - in.n_failed == 1 ? "" : "s");
		if (in.n_skipped)
			fprintf(ctx->out, ", %u skipped (binary or journal)",
				in.n_skipped);
		fputc('\n', ctx->out);
	}
	if (r < 0 || in.n_failed)
		return EXIT_RUNTIME;
	return in.n_events ? EXIT_OK : EXIT_NOTHING;
}
