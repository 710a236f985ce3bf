/* cmd.c: the command table, lookup and help.  Exact names only, so that
 * scripts stay stable. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cleanup.h"
#include "cmd.h"
#include "number.h"
#include "oom.h"
#include "oomlens.h"
#include "output.h"
#include "store.h"
#include "table.h"
#include "timefmt.h"
#include "xalloc.h"

extern const struct cmd_entry cmd_export_entry;
extern const struct cmd_entry cmd_ingest_entry;
extern const struct cmd_entry cmd_list_entry;
extern const struct cmd_entry cmd_timeline_entry;
extern const struct cmd_entry cmd_report_entry;
extern const struct cmd_entry cmd_show_entry;
extern const struct cmd_entry cmd_sql_entry;
extern const struct cmd_entry cmd_risk_entry;
extern const struct cmd_entry cmd_top_entry;
extern const struct cmd_entry cmd_whatif_entry;
extern const struct cmd_entry cmd_why_entry;
extern const struct cmd_entry cmd_why_not_entry;

const struct cmd_entry *const cmd_table[] = {
	&cmd_ingest_entry, &cmd_list_entry, &cmd_timeline_entry, &cmd_show_entry,
	&cmd_why_entry,
	&cmd_why_not_entry, &cmd_whatif_entry, &cmd_top_entry, &cmd_risk_entry,
	&cmd_report_entry,
	&cmd_export_entry, &cmd_sql_entry, NULL,
};

const struct cmd_entry *cmd_find(const char *name)
{
	for (size_t i = 0; cmd_table[i]; i++)
		if (!strcmp(cmd_table[i]->name, name))
			return cmd_table[i];
	return NULL;
}

void cmd_help(const struct cmd_entry *e, FILE *fp)
{
	struct text_out wrap;	/* on a terminal, wrapped to its width */
	FILE *out = text_out_begin(&wrap, fp);

	fprintf(out, "usage: oomlens %s\n\n%s.\n", e->usage, e->summary);
	if (e->options && *e->options)
		fprintf(out, "\nOptions:\n%s", e->options);
	text_out_end(&wrap);
}

int cmd_check_help(const struct cmd_entry *e, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			cmd_help(e, stdout);
			return EXIT_OK;
		}
	}
	return -1;
}

size_t args_has(const struct cmd_args *a, int key)
{
	size_t n = 0;

	for (size_t i = 0; i < a->n_opts; i++)
		n += a->opts[i].key == key;
	return n;
}

const char *args_get(const struct cmd_args *a, int key)
{
	for (size_t i = a->n_opts; i-- > 0;)
		if (a->opts[i].key == key)
			return a->opts[i].value;
	return NULL;
}

void cmd_args_release(struct cmd_args *a)
{
	free(a->opts);
	free(a->argv);
	memset(a, 0, sizeof(*a));
}

/* Optimal string alignment distance: a swap of two letters ("wyh") is
 * one edit, as the typo it is. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *d, r;

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	d = xcalloc((la + 1) * (lb + 1), sizeof(*d));
#define D(i, j) d[(i) * (lb + 1) + (j)]
	for (size_t i = 0; i <= la; i++)
		D(i, 0) = i;
	for (size_t j = 0; j <= lb; j++)
		D(0, j) = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t v = D(i - 1, j - 1) + (a[i - 1] != b[j - 1]);

			if (D(i - 1, j) + 1 < v)
				v = D(i - 1, j) + 1;
			if (D(i, j - 1) + 1 < v)
				v = D(i, j - 1) + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && D(i - 2, j - 2) + 1 < v)
				v = D(i - 2, j - 2) + 1;
			D(i, j) = v;
		}
	r = D(la, lb);
#undef D
	free(d);
	return r;
}

const char *cmd_did_you_mean(const char *word, const char *const *names,
			     size_t n)
{
	/* one edit in a short word, two in a longer one: more is a guess */
	size_t best = strlen(word) < 5 ? 2 : 3, len = strlen(word);
	const char *pick = NULL, *prefix_of = NULL;
	size_t n_prefix = 0;

	for (size_t i = 0; i < n; i++) {
		size_t dist = edit_distance(word, names[i]);

		if (dist < best) {
			best = dist;
			pick = names[i];
		}
		if (len >= 2 && !strncmp(names[i], word, len)) {
			prefix_of = names[i];
			n_prefix++;
		}
	}
	return pick ? pick : n_prefix == 1 ? prefix_of : NULL;
}

/* The long options of e (or none), for getopt_long. */
static const struct option *long_options(const struct cmd_entry *e)
{
	static const struct option none[] = { { NULL, 0, NULL, 0 } };

	return e->longopts ? e->longopts : none;
}

/* The message for an unknown or ambiguous long option arg ("--name" or
 * "--name=value"). */
static int bad_long_option(const struct cmd_entry *e, const char *arg)
{
	const struct option *lo = long_options(e);
	size_t len = strcspn(arg + 2, "="), n = 0, n_names = 0;
	const char *names[64], *match[2] = { NULL, NULL }, *guess;
	char name[64];

	if (len > 60)
		len = 60;
	snprintf(name, sizeof(name), "%.*s", (int)len, arg + 2);
	for (size_t i = 0; lo[i].name && i < 64; i++) {
		names[n_names++] = lo[i].name;
		if (!strncmp(lo[i].name, name, len) && n++ < 2)
			match[n - 1] = lo[i].name;
	}
	if (n > 1)	/* an abbreviation of more than one */
		return cmd_usage_error(e, "option '--%s' is ambiguous: "
				       "--%s, --%s%s", name, match[0], match[1],
				       n > 2 ? ", ..." : "");
	if (!strcmp(name, "db"))
		return cmd_usage_error(e, "unknown option '--db': it is a "
				       "global option, give it before the "
				       "command: oomlens --db PATH %s ...",
				       e->name);
	if (!strcmp(name, "version"))
		return cmd_usage_error(e, "unknown option '--version': it is "
				       "a global option: oomlens --version");
	guess = cmd_did_you_mean(name, names, n_names);
	if (guess)
		return cmd_usage_error(e, "unknown option '--%s'; did you "
				       "mean '--%s'?", name, guess);
	return cmd_usage_error(e, "unknown option '--%s'", name);
}

/* getopt_long said '?' or ':' (opterr is 0): say what was wrong, naming
 * the option as given. */
static int option_error(const struct cmd_entry *e, int c, char **argv)
{
	const struct option *lo = long_options(e);
	const char *prev = optind > 1 ? argv[optind - 1] : "";
	int is_long = !strncmp(prev, "--", 2);

	if (c == ':') {
		if (is_long)
			return cmd_usage_error(e, "option '%.*s' needs a value",
					       (int)strcspn(prev, "="), prev);
		return cmd_usage_error(e, "option '-%c' needs a value",
				       optopt);
	}
	if (!optopt && is_long)
		return bad_long_option(e, prev);
	/* "--json=1": the option is known but takes no value */
	for (size_t i = 0; is_long && strchr(prev, '=') && lo[i].name; i++)
		if (lo[i].val == optopt && lo[i].has_arg == no_argument &&
		    !strncmp(prev + 2, lo[i].name, strcspn(prev + 2, "=")))
			return cmd_usage_error(e, "option '--%s' takes no "
					       "value", lo[i].name);
	if (optopt == 'V')
		return cmd_usage_error(e, "unknown option '-V': it is a global "
				       "option, give it before the command");
	if (optopt > ' ' && optopt < 127)
		return cmd_usage_error(e, "unknown option '-%c'", optopt);
	return cmd_usage_error(e, "unknown option '%s'", prev);
}

/* An optional value given as the next word ("--boot -1"), as journalctl
 * takes -b's: a number, signed or not, or an id of 8 or more hex digits.
 * Anything else stays an operand. */
static int looks_like_value(const char *s)
{
	size_t n;

	if (*s == '-' || *s == '+')
		s++;
	n = strspn(s, "0123456789");
	if (n && !s[n])
		return 1;
	n = strspn(s, "0123456789abcdefABCDEF-");
	return n >= 8 && !s[n];
}

/* Whether the option getopt_long just gave (long: lo[idx], short: c)
 * takes an optional value. */
static int optional_value(const struct cmd_entry *e, int idx, int c)
{
	const char *p;

	if (idx >= 0)
		return long_options(e)[idx].has_arg == optional_argument;
	p = e->shortopts ? strchr(e->shortopts, c) : NULL;
	return p && c != ':' && p[1] == ':' && p[2] == ':';
}

int cmd_parse_args(const struct cmd_entry *e, int argc, char **argv,
		   struct cmd_args *a)
{
	const struct option *lo = long_options(e);
	char optstring[64];
	int c, idx;

	memset(a, 0, sizeof(*a));
	a->opts = xcalloc((size_t)argc + 1, sizeof(*a->opts));
	a->argv = xcalloc((size_t)argc + 1, sizeof(*a->argv));
	/* '-': operands come back in order, where they stand, whatever
	 * POSIXLY_CORRECT says; ':': a missing value is told apart */
	snprintf(optstring, sizeof(optstring), "-:%s",
		 e->shortopts ? e->shortopts : "");
	optind = 0;	/* glibc: start afresh, argv[0] is the command */
	opterr = 0;
	for (;;) {
		idx = -1;
		c = getopt_long(argc, argv, optstring, lo, &idx);
		if (c == -1)
			break;
		if (c == 1) {
			a->argv[a->argc++] = optarg;
			continue;
		}
		if (c == '?' || c == ':')
			return option_error(e, c, argv);
		if (!optarg && optind < argc && optional_value(e, idx, c) &&
		    looks_like_value(argv[optind]))
			optarg = argv[optind++];
		a->opts[a->n_opts].key = c;
		a->opts[a->n_opts++].value = optarg;
	}
	while (optind < argc)	/* after "--" */
		a->argv[a->argc++] = argv[optind++];
	if (a->argc < e->min_args)
		return cmd_usage_error(e, "%s", e->too_few ? e->too_few
						       : "missing operand");
	if (e->max_args >= 0 && a->argc > e->max_args)
		return e->too_many
		       ? cmd_usage_error(e, "%s", e->too_many)
		       : cmd_usage_error(e, "unexpected '%s'",
					 a->argv[e->max_args]);
	return -1;
}

/* Apply an option of key c ('H', 's' or 'u') to f.  Returns -1 when done
 * (also for other c: not a filter option), EXIT_USAGE after a message for
 * a bad time. */
static int filter_option(const struct cmd_entry *e, int c, const char *arg,
			 struct event_filter *f)
{
	const char *opt = c == 's' ? "--since" : "--until";
	int64_t us;

	if (c == 'H') {
		f->host = arg;
		return -1;
	}
	if (c != 's' && c != 'u')
		return -1;
	if (time_parse(arg, (int64_t)time(NULL) * 1000000, &us) < 0)
		return cmd_usage_error(e, "%s '%s': not a time (try "
				       "2026-11-21, '2026-11-21 03:00', "
				       "yesterday, '2 hours ago' or 7d; see "
				       "oomlens(1) TIMES)", opt, arg);
	if (c == 's') {
		f->since_us = us;
		f->has_since = 1;
	} else {
		f->until_us = us;
		f->has_until = 1;
	}
	return -1;
}

/* --boot's value into f: 8 or more hex digits (a UUID's dashes dropped)
 * are a boot id, a number is a boot counted per host, nothing is 0. */
static int boot_option(const char *arg, struct event_filter *f)
{
	static char id[40];	/* f->boot_id: one command per process */
	size_t n = 0;

	if (arg && isxdigit((unsigned char)*arg) &&
	    strspn(arg, "0123456789abcdefABCDEF-") == strlen(arg)) {
		for (const char *p = arg; *p && n + 1 < sizeof(id); p++)
			if (*p != '-')
				id[n++] = (char)tolower((unsigned char)*p);
		id[n] = '\0';
		if (n >= 8 && n <= 32) {
			f->boot_id = id;
			return 0;
		}
	}
	f->has_boot_offset = 1;
	if (!arg)
		return 0;	/* -b alone: the latest */
	if (*arg == '+')
		arg++;
	return num_parse_i64(arg, strlen(arg), &f->boot_offset);
}

/* Whether the command has --boot (CMD_BOOT_OPTION): top's 'b' is --by. */
static int has_boot_option(const struct cmd_entry *e)
{
	for (const struct option *o = e->longopts; o && o->name; o++)
		if (o->val == CMD_BOOT_KEY && !strcmp(o->name, "boot"))
			return 1;
	return 0;
}

int cmd_filter_args(const struct cmd_entry *e, const struct cmd_args *a,
		    struct event_filter *f)
{
	for (size_t i = 0; i < a->n_opts; i++) {
		int status = filter_option(e, a->opts[i].key,
					   a->opts[i].value, f);

		if (status >= 0)
			return status;
	}
	if (args_has(a, 'T'))
		f->trusted = 1;
	if (has_boot_option(e) && args_has(a, CMD_BOOT_KEY) &&
	    boot_option(args_get(a, CMD_BOOT_KEY), f) < 0)
		return cmd_usage_error(e, "--boot '%s': not a boot id or a "
				       "number of boots back",
				       args_get(a, CMD_BOOT_KEY));
	return -1;
}

int cmd_each_event_id(struct cmd_ctx *ctx, const struct event_filter *f,
		      int (*fn)(struct cmd_ctx *ctx, int64_t id, void *data),
		      void *data)
{
	int64_t *ids = NULL;
	size_t n = 0;
	int status;

	status = cmd_open_store(ctx);
	if (status >= 0)
		return status;
	if (store_begin_read(ctx->st) < 0 ||
	    store_event_ids(ctx->st, f, &ids, &n) < 0) {
		status = error("%s", store_errmsg(ctx->st));
		store_rollback(ctx->st);
		return status;
	}
	status = n ? EXIT_OK : EXIT_NOTHING;
	for (size_t i = 0; i < n; i++) {
		int rc = fn(ctx, ids[i], data);

		if (rc < 0) {
			status = -rc;
			break;
		}
	}
	free(ids);
	store_commit(ctx->st);	/* ends the read; nothing to write */
	return status;
}

struct each_event {
	unsigned parts;
	int (*fn)(struct cmd_ctx *ctx, int64_t id, const struct oom_report *r,
		  void *data);
	void *data;
};

static int load_and_call(struct cmd_ctx *ctx, int64_t id, void *data)
{
	struct each_event *e = data;
	struct oom_report *r;
	int rc;

	if (store_load_event_parts(ctx->st, id, e->parts, &r) < 0)
		return -error("%s", store_errmsg(ctx->st));
	rc = e->fn(ctx, id, r, e->data);
	oom_report_free(r);
	return rc;
}

int cmd_each_event(struct cmd_ctx *ctx, const struct event_filter *f,
		   unsigned parts, int (*fn)(struct cmd_ctx *ctx, int64_t id,
					     const struct oom_report *r,
					     void *data),
		   void *data)
{
	struct each_event e = { parts, fn, data };

	return cmd_each_event_id(ctx, f, load_and_call, &e);
}

int cmd_open_store(struct cmd_ctx *ctx)
{
	unsigned flags = ctx->entry->flags;
	char *err = NULL;
	int r, status;

	if (ctx->st || !(flags & (CMD_STORE_READ | CMD_STORE_WRITE)))
		return -1;
	if (!ctx->db_path)
		return error("no database: use --db PATH or set OOMLENS_DB "
			     "(HOME is not set)");
	r = store_open(ctx->db_path,
		       flags & CMD_STORE_WRITE ? STORE_WRITE : STORE_READ,
		       &ctx->st, &err);
	if (r >= 0)
		return -1;
	status = error("%s", err ? err : strerror(-r));
	free(err);
	/* reading a database that is not there yet: nothing found */
	return r == -ENOENT && !(flags & CMD_STORE_WRITE) ? EXIT_NOTHING
							   : status;
}

/* NAME|PID into m: digits only is a pid, anything else a comm. */
static void match_target(const char *arg, struct store_match *m)
{
	int64_t pid;

	if (num_parse_i64(arg, strlen(arg), &pid) == 0 && pid > 0) {
		m->pid = pid;
		m->has_pid = 1;
	} else {
		m->name = arg;
	}
}

int cmd_task_question(const struct cmd_entry *e, const struct cmd_args *a,
		      struct store_match *m)
{
	const char *event = args_get(a, 'e');

	m->host = args_get(a, 'H');
	if (event) {
		if (num_parse_i64(event, strlen(event), &m->event_id) < 0)
			return cmd_usage_error(e, "'%s' is not an event id",
					       event);
		m->has_event = 1;
	}
	match_target(a->argv[0], m);
	return -1;
}

int cmd_output_columns(struct cmd_ctx *ctx, const struct table_col *cols,
		       size_t n, const char *spec, size_t *sel, size_t *n_sel,
		       size_t max)
{
	_cleanup_(freep) char *bad = NULL;
	int r = table_parse_output(cols, n, spec, sel, n_sel, max, &bad);

	if (r == 1) {
		table_list_columns(ctx->out, cols, n);
		return EXIT_OK;
	}
	if (r < 0) {
		cmd_usage_error(ctx->entry, "--output: unknown column '%s'", bad);
		table_list_columns(stderr, cols, n);
		return EXIT_USAGE;
	}
	return -1;
}
