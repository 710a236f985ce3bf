/* cmd.c: the command table, lookup and help.  Exact names only, so that
 * scripts stay stable. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "classify.h"
#include "oom.h"
#include "oomlens.h"
#include "output.h"
#include "store.h"
#include "timefmt.h"

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
	fprintf(fp, "usage: oomlens %s\n\n%s.\n", e->usage, e->summary);
	if (e->options && *e->options)
		fprintf(fp, "\nOptions:\n%s", e->options);
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

int cmd_filter_option(const struct cmd_entry *e, int c, const char *arg,
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

int cmd_range_options(const struct cmd_entry *e, int argc, char **argv,
		      struct event_filter *f, int *json)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "trusted", no_argument, NULL, 'T' },
		CMD_FILTER_OPTIONS,
		CMD_UTC_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	int c, status;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c == 'j') {
			*json = 1;
		} else if (c == 'T') {
			f->trusted = 1;
		} else if (c == 'Z') {
			out_set_local_time(0);
		} else if (c == 'H' || c == 's' || c == 'u') {
			status = cmd_filter_option(e, c, optarg, f);
			if (status >= 0)
				return status;
		} else {
			return cmd_usage_error(e, "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error(e, "unexpected '%s'", argv[optind]);
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

/* NAME|PID into m: digits only is a pid. */
void cmd_match_target(const char *arg, struct store_match *m)
{
	int64_t pid;

	if (parse_i64(arg, strlen(arg), &pid) == 0 && pid > 0) {
		m->pid = pid;
		m->has_pid = 1;
	} else {
		m->name = arg;
	}
}

int cmd_task_question(const struct cmd_entry *e, int argc, char **argv,
		      struct store_match *m, int *json, int *all)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "all", no_argument, NULL, 'a' },
		{ "event", required_argument, NULL, 'e' },
		{ "host", required_argument, NULL, 'H' },
		CMD_UTC_OPTION,
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (c == 'j') {
			*json = 1;
		} else if (c == 'a' && all) {
			*all = 1;
		} else if (c == 'H') {
			m->host = optarg;
		} else if (c == 'Z') {
			out_set_local_time(0);
		} else if (c == 'e') {
			if (parse_i64(optarg, strlen(optarg), &m->event_id) < 0)
				return cmd_usage_error(e, "'%s' is not an event id",
						       optarg);
			m->has_event = 1;
		} else {
			return cmd_usage_error(e, "unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(e, optind >= argc
				       ? "which task? give its name or pid"
				       : "one task at a time");
	cmd_match_target(argv[optind], m);
	return -1;
}
