/* cmd.c: the command table, lookup and help.  Exact names only, so that
 * scripts stay stable. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "oomlens.h"
#include "store.h"
#include "timefmt.h"

extern const struct cmd_entry cmd_export_entry;
extern const struct cmd_entry cmd_ingest_entry;
extern const struct cmd_entry cmd_list_entry;
extern const struct cmd_entry cmd_show_entry;

const struct cmd_entry *const cmd_table[] = {
	&cmd_ingest_entry, &cmd_list_entry, &cmd_show_entry, &cmd_export_entry,
	NULL,
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

int cmd_filter_time(const struct cmd_entry *e, const char *opt,
		    const char *arg, struct event_filter *f)
{
	int64_t us;

	if (time_parse(arg, (int64_t)time(NULL) * 1000000, &us) < 0)
		return cmd_usage_error(e, "%s '%s': not a time (try "
				       "2026-11-21, 2026-11-21T03:12:07Z or "
				       "7d)", opt, arg);
	if (!strcmp(opt, "--since")) {
		f->since_us = us;
		f->has_since = 1;
	} else {
		f->until_us = us;
		f->has_until = 1;
	}
	return -1;
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
