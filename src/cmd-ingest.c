/*
 * cmd-ingest.c: read OOM reports from logs into the database.
 *
 * The work is the ingest engine's (src/ingest.c); this command parses the
 * options, words what the engine says and picks the exit status.
 */
#include <errno.h>
#include <glob.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cmd.h"
#include "ingest.h"
#include "journal.h"
#include "number.h"
#include "oomlens.h"
#include "output.h"
#include "source.h"
#include "table.h"
#include "xalloc.h"

/*
 * SIGINT and SIGTERM: the input being read is rolled back and ingest stops
 * at its next block (ingest_opts.stop), says so and exits with 130; a
 * second signal ends it at once (a read blocked on a quiet pipe).  Either
 * way nothing half-written is committed.
 */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	if (interrupted) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
	interrupted = 1;
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Warnings per input before we only count them. */
#define MAX_WARNINGS_SHOWN 10

struct ingest_cmd {
	struct cmd_ctx *ctx;
	int quiet;
	int json;
	cJSON *inputs;		/* --json: one object per input */
	uint64_t shown;		/* line warnings shown of this input */
	int bar;		/* stderr is a terminal and not --quiet */
	int bar_shown;		/* a progress line is on the screen */
	double started, drawn;	/* monotonic seconds */
	uint64_t total;		/* bytes of the inputs when known, else 0 */
	uint64_t read_before;	/* of the inputs done: what earlier ingests
				 * read (not read again) */
};

/* Redraws of the progress line, at most this many a second. */
#define BAR_HZ 10

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Take the progress line off the screen before anything else is written
 * there (it is redrawn with the next block read). */
static void bar_clear(struct ingest_cmd *ic)
{
	if (!ic->bar_shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	ic->bar_shown = 0;
}

/* "3s", "4m05s", "2h10m" */
static void duration(char *buf, size_t n, double secs)
{
	uint64_t s = (uint64_t)(secs + 0.5);

	if (s < 60)
		snprintf(buf, n, "%" PRIu64 "s", s);
	else if (s < 3600)
		snprintf(buf, n, "%" PRIu64 "m%02" PRIu64 "s", s / 60, s % 60);
	else
		snprintf(buf, n, "%" PRIu64 "h%02" PRIu64 "m", s / 3600,
			 s / 60 % 60);
}

static void on_progress(void *ctx, const struct ingest_totals *t)
{
	struct ingest_cmd *ic = ctx;
	double now = now_s(), secs;
	char bytes[32], rate[32], left[32];
	struct buf b = BUF_INIT;
	size_t width;

	if (!ic->bar || now - ic->drawn < 1.0 / BAR_HZ)
		return;
	ic->drawn = now;
	secs = now - ic->started;
	out_size_kb(bytes, sizeof(bytes), t->bytes / 1024);
	out_size_kb(rate, sizeof(rate),
		    secs > 0 ? (uint64_t)((double)t->bytes / 1024 / secs) : 0);
	buf_addf(&b, "ingest: %s read, %u file%s, %" PRIu64 " event%s found, "
		 "%s/s", bytes, t->inputs, t->inputs == 1 ? "" : "s",
		 t->found, t->found == 1 ? "" : "s", rate);
	if (ic->total) {
		uint64_t done = t->bytes + ic->read_before;

		if (done > ic->total)
			done = ic->total;
		buf_addf(&b, ", %u%%", (unsigned)(done * 100 / ic->total));
		/* the rate so far, once there is one to go by */
		if (secs >= 1 && t->bytes) {
			duration(left, sizeof(left), (double)(ic->total - done) *
				 secs / (double)t->bytes);
			buf_addf(&b, ", %s left", left);
		}
	}
	/* one row, whatever the width: a line that wrapped would leave its
	 * first row behind at each redraw.  The last column stays free
	 * (a terminal may wrap the cursor there). */
	width = term_width(STDERR_FILENO);
	if (width > 1 && text_width(b.data, b.len) > width - 1)
		buf_truncate(&b, text_fit(b.data, b.len, width - 1));
	fputs("\r\033[K", stderr);
	fwrite(b.data, 1, b.len, stderr);
	fflush(stderr);
	buf_release(&b);
	ic->bar_shown = 1;
}

static void on_message(void *ctx, enum ingest_level level, const char *msg)
{
	struct ingest_cmd *ic = ctx;

	bar_clear(ic);
	if (level == INGEST_ERROR)
		error("%s", msg);
	else if (!ic->quiet)
		warning("%s", msg);
}

static void on_line_warning(void *ctx, const char *path, uint64_t lineno,
			    const char *msg)
{
	struct ingest_cmd *ic = ctx;

	if (!ic->quiet && ++ic->shown <= MAX_WARNINGS_SHOWN) {
		bar_clear(ic);
		warning("%s:%" PRIu64 ": %s", path, lineno, msg);
	}
}

static void input_json(struct ingest_cmd *ic, const struct ingest_result *res)
{
	cJSON *o = cJSON_CreateObject();

	out_json_add_str(o, "path", res->path);
	out_json_add_u64(o, "events", res->events);
	out_json_add_u64(o, "lines", res->lines);
	out_json_add_u64(o, "bytes", res->bytes);
	out_json_add_u64(o, "warnings", res->warnings);
	out_json_add_u64(o, "userspace_messages", res->stories);
	out_json_add_str(o, "error", res->error);
	out_json_add_str(o, "skipped", res->skipped);
	if (res->resumed_at)
		out_json_add_u64(o, "resumed_at", res->resumed_at);
	if (res->unchanged)
		cJSON_AddTrueToObject(o, "unchanged");
	if (res->known)
		cJSON_AddTrueToObject(o, "known");
	cJSON_AddItemToArray(ic->inputs, o);
}

static void on_input_done(void *ctx, const struct ingest_result *res)
{
	struct ingest_cmd *ic = ctx;
	FILE *out = ic->ctx->out;

	bar_clear(ic);
	ic->read_before += res->resumed_at;
	if (!ic->quiet && res->warnings > MAX_WARNINGS_SHOWN)
		warning("%s: %" PRIu64 " more warnings not shown", res->path,
			res->warnings - MAX_WARNINGS_SHOWN);
	ic->shown = 0;
	if (ic->json)
		input_json(ic, res);
	if (ic->quiet || ic->json || res->error || res->skipped)
		return;
	/* a path is what a file or an archive member was named: escaped */
	out_escaped(out, res->path);
	if (res->unchanged)
		fputs(": unchanged since the last ingest\n", out);
	else if (res->resumed_at)
		fprintf(out, ": %" PRIu64 " event%s (%" PRIu64 " new line%s "
			"after %" PRIu64 " byte%s read before)", res->events,
			res->events == 1 ? "" : "s", res->lines,
			res->lines == 1 ? "" : "s", res->resumed_at,
			res->resumed_at == 1 ? "" : "s");
	else if (res->journal || res->journal_text)
		fprintf(out, ": %" PRIu64 " event%s (%zu %s entr%s, %zu "
			"kernel)", res->events, res->events == 1 ? "" : "s",
			res->journal_entries, res->journal ? "new" : "journal",
			res->journal_entries == 1 ? "y" : "ies",
			res->journal_kernel);
	else
		fprintf(out, ": %" PRIu64 " event%s (%" PRIu64 " line%s)",
			res->events, res->events == 1 ? "" : "s", res->lines,
			res->lines == 1 ? "" : "s");
	if (res->unchanged)
		return;
	if (res->stories)
		fprintf(out, ", %" PRIu64 " userspace message%s", res->stories,
			res->stories == 1 ? "" : "s");
	if (res->known)
		fputs(", read before: nothing new stored", out);
	fputc('\n', out);
}

static int cmd_ingest_exec(struct cmd_ctx *ctx, const struct cmd_args *args);

/*
 * A PATH that names nothing but holds a wildcard ('sos-db?.tar.xz',
 * quoted so that a shell does not hit its argument limit, or from a unit
 * file) is expanded here, in glob(3)'s sorted order; one that matches
 * nothing is ingested as given, and so reported as missing.
 */
/*
 * The bytes the inputs hold, when the progress line can tell how far it
 * is: every operand a regular file (no directory, stdin, pattern or
 * journal) read as it is, not decompressed (its bytes read are its size).
 * Else 0.
 */
static uint64_t inputs_size(const struct cmd_args *args)
{
	static const struct {
		const char *magic;
		size_t len, at;
	} packed[] = {
		{ "\x1f\x8b", 2, 0 }, { "\xfd" "7zXZ", 5, 0 },
		{ "\x28\xb5\x2f\xfd", 4, 0 }, { "BZh", 3, 0 },
		{ "ustar", 5, 257 }, { "PK\x03\x04", 4, 0 },
		{ "LPKSHHRH", 8, 0 },	/* a journal file */
	};
	uint64_t total = 0;

	if (args_has(args, 'J') || args_has(args, 'D'))
		return 0;
	for (int i = 0; i < args->argc; i++) {
		unsigned char head[262] = { 0 };
		struct stat st;
		FILE *f;
		size_t n;

		if (stat(args->argv[i], &st) < 0 || !S_ISREG(st.st_mode))
			return 0;
		f = fopen(args->argv[i], "rb");
		if (!f)
			return 0;
		n = fread(head, 1, sizeof(head), f);
		fclose(f);
		for (size_t k = 0; k < sizeof(packed) / sizeof(packed[0]); k++)
			if (n >= packed[k].at + packed[k].len &&
			    !memcmp(head + packed[k].at, packed[k].magic,
				    packed[k].len))
				return 0;
		total += (uint64_t)st.st_size;
	}
	return total;
}

static int ingest_glob(struct ingest *g, const char *path)
{
	struct stat st;
	glob_t gl;
	int r = 0;

	if (!strpbrk(path, "*?[") || lstat(path, &st) == 0 ||
	    glob(path, 0, NULL, &gl) != 0)
		return ingest_path(g, path);
	for (size_t i = 0; i < gl.gl_pathc && r >= 0; i++)
		r = ingest_path(g, gl.gl_pathv[i]);
	globfree(&gl);
	return r;
}

static int parse_jobs(const char *arg, unsigned *ret)
{
	uint64_t n;

	if (num_parse_u64(arg, strlen(arg), &n) < 0 || n < 1 || n > 8)
		return -EINVAL;
	*ret = (unsigned)n;
	return 0;
}

static const struct option ingest_options[] = {
	{ "host", required_argument, NULL, 'H' },
	{ "host-from-dir", no_argument, NULL, 'F' },
	{ "json", no_argument, NULL, 'S' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "journal", no_argument, NULL, 'J' },
	{ "journal-dir", required_argument, NULL, 'D' },
	{ "jobs", required_argument, NULL, 'j' },
	{ NULL, 0, NULL, 0 },
};

const struct cmd_entry cmd_ingest_entry = {
	.name = "ingest",
	.usage = "ingest [--host NAME] [--host-from-dir] [--json] [-q] "
		 "[-j N] [--journal] [--journal-dir DIR] [PATH...]",
	.summary = "read OOM reports from log files into the database",
	.options =
	"  --host NAME  host name for reports whose lines carry none (dmesg)\n"
	"  --host-from-dir\n"
	"               the first directory below a PATH that is a directory\n"
	"               or an archive names the host of the files under it\n"
	"               (PATH/web1/var/log/dmesg: web1)\n"
	"  --json       print per-input counts as JSON\n"
	"  -q, --quiet  print nothing but errors (no progress line either;\n"
	"               it is drawn on stderr only when that is a terminal)\n"
	"  -j, --jobs N parse with N threads (default: one per processor);\n"
	"               one thread writes, and inputs are stored in the order\n"
	"               found, whatever N\n"
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
	"               magic, whatever the name; binary files are skipped;\n"
	"               a quoted wildcard pattern is expanded (glob(3))\n"
	"Hosts for reports whose lines carry none: --host-from-dir, else a\n"
	"sosreport's (a hostname or sos_commands/host/hostname file at the top\n"
	"of a directory or archive, or one directory below it), else a\n"
	"must-gather's (nodes/NODE/ below a must-gather* directory), else --host.\n",
	.flags = CMD_STORE_WRITE,
	.longopts = ingest_options,
	.shortopts = "qj:",
	.max_args = -1,
	.exec = cmd_ingest_exec,
};

/* The journals asked for, then the paths in order, then what is still in
 * flight: 0, or < 0 (-EINTR: stopped; else the database failed). */
static int read_inputs(struct ingest *g, const struct cmd_args *args,
		       int local_journal, const char *const *journal_dirs,
		       size_t n_journal_dirs)
{
	int r = 0;

	if (local_journal) {
		struct journal_opts jo = { 0 };
		char *key = journal_resume_key(NULL);

		r = ingest_journal(g, &jo, "journal", key);
		free(key);
	}
	for (size_t i = 0; i < n_journal_dirs && r >= 0; i++) {
		struct journal_opts jo = { .dir = journal_dirs[i] };
		char *key = journal_resume_key(journal_dirs[i]);

		r = ingest_journal(g, &jo, journal_dirs[i], key);
		free(key);
	}
	for (int i = 0; i < args->argc && r >= 0; i++)
		r = ingest_glob(g, args->argv[i]);
	return r >= 0 ? ingest_finish(g) : r;
}

static void summary_json(FILE *out, struct ingest_cmd *ic,
			 const struct ingest_totals *t)
{
	cJSON *doc = cJSON_CreateObject();

	cJSON_AddItemToObject(doc, "inputs", ic->inputs);
	ic->inputs = NULL;	/* doc's now */
	out_json_add_u64(doc, "events", t->events);
	out_json_add_u64(doc, "known_events", t->known);
	out_json_add_u64(doc, "failed_inputs", t->failed);
	out_json_add_u64(doc, "skipped_inputs", t->skipped);
	out_json_line(out, doc);
	cJSON_Delete(doc);
}

/* "stored 6 new events, 2 already known, from 8 inputs": a copy of an
 * event stored before adds nothing, and is said apart. */
static void summary_text(FILE *out, const struct ingest_totals *t)
{
	unsigned stored = t->inputs - t->failed - t->skipped + t->partial;
	uint64_t fresh = t->events - t->known;

	if (t->known)
		fprintf(out, "stored %" PRIu64 " new event%s, %" PRIu64
			" already known, from %u input%s", fresh,
			fresh == 1 ? "" : "s", t->known, stored,
			stored == 1 ? "" : "s");
	else
		fprintf(out, "stored %" PRIu64 " event%s from %u input%s",
			t->events, t->events == 1 ? "" : "s", stored,
			stored == 1 ? "" : "s");
	if (t->skipped)
		fprintf(out, ", %u skipped (binary)", t->skipped);
	fputc('\n', out);
}

static int cmd_ingest_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	static const struct ingest_ops ops = {
		.message = on_message,
		.line_warning = on_line_warning,
		.input_done = on_input_done,
		.progress = on_progress,
	};
	struct ingest_cmd ic = { .ctx = ctx };
	struct ingest_opts o = { .stop = &interrupted };
	const struct ingest_totals *t;
	struct ingest *g;
	const char *journal_dirs[16];
	size_t n_journal_dirs = 0;
	int local_journal = args_has(args, 'J') > 0;
	char *err = NULL;
	int r = 0, status;

	o.host = args_get(args, 'H');
	if (args_has(args, 'F'))
		o.walk_flags |= SOURCE_HOST_FROM_DIR;
	ic.json = args_has(args, 'S') > 0;
	ic.quiet = args_has(args, 'q') > 0;
	for (size_t i = 0; i < args->n_opts; i++) {
		const struct cmd_arg *a = &args->opts[i];

		if (a->key == 'j' && parse_jobs(a->value, &o.workers) < 0)
			return cmd_usage_error(&cmd_ingest_entry,
					       "--jobs wants a number from 1 "
					       "to 8, not '%s'", a->value);
		if (a->key == 'D' && n_journal_dirs == 16)
			return cmd_usage_error(&cmd_ingest_entry,
					       "at most 16 --journal-dir");
		if (a->key == 'D')
			journal_dirs[n_journal_dirs++] = a->value;
	}
	if (!args->argc && !local_journal && !n_journal_dirs)
		return cmd_usage_error(&cmd_ingest_entry, "no input: give a "
				       "file, a directory, -, or --journal");
	status = cmd_open_store(ctx);
	if (status >= 0)
		return status;
	catch_signals();
	if (ingest_new(ctx->st, &o, &ops, &ic, &g, &err) < 0) {
		status = error("internal error: %s", err);
		free(err);
		return status;
	}
	if (ic.json)
		ic.inputs = cJSON_CreateArray();
	/* a progress line on a terminal, never in a pipe or a file */
	ic.bar = !ic.quiet && isatty(STDERR_FILENO);
	if (ic.bar)
		ic.total = inputs_size(args);
	ic.started = now_s();
	ic.drawn = ic.started - 1;	/* the first block draws it */
	r = read_inputs(g, args, local_journal, journal_dirs, n_journal_dirs);
	t = ingest_totals(g);
	bar_clear(&ic);
	if (ic.json)
		summary_json(ctx->out, &ic, t);
	else if (!ic.quiet)
		summary_text(ctx->out, t);
	status = r < 0 || t->failed ? EXIT_RUNTIME
	       : t->events ? EXIT_OK : EXIT_NOTHING;
	if (interrupted && r == -EINTR) {	/* not when all was read */
		error("interrupted: the inputs read before are stored, the "
		      "one being read is not; the same ingest again completes "
		      "it");
		status = EXIT_INTERRUPTED;
	}
	ingest_free(g);
	return status;
}
