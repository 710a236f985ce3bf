/*
 * cmd.h: the command table.  Each subcommand is a src/cmd-<name>.c whose
 * only exported symbol is its struct cmd_entry; cmd.c lists them.
 */
#ifndef OOMLENS_CMD_H
#define OOMLENS_CMD_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

struct store;

enum cmd_flags {
	CMD_STORE_READ = 1 << 0,	/* main() opens the store read-only */
	CMD_STORE_WRITE = 1 << 1,	/* ... or for writing, creating it */
};

struct cmd_ctx {
	const struct cmd_entry *entry;
	struct store *st;		/* NULL until cmd_open_store() */
	const char *db_path;
	FILE *out;			/* stdout */
};

struct cmd_entry {
	const char *name;
	const char *usage;		/* after "oomlens ", the SYNOPSIS */
	const char *summary;		/* one line for "oomlens -h" */
	const char *options;		/* option help, one per line */
	unsigned flags;			/* enum cmd_flags */
	/* argv[0] is the command name; returns an enum exit_status. */
	int (*exec)(struct cmd_ctx *ctx, int argc, char **argv);
};

extern const struct cmd_entry *const cmd_table[];

const struct cmd_entry *cmd_find(const char *name);
/* Full help of one command (usage, summary, options) on fp. */
void cmd_help(const struct cmd_entry *e, FILE *fp);
/* Print "oomlens: <msg>" and the usage line to stderr; returns EXIT_USAGE. */
int cmd_usage_error(const struct cmd_entry *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Messages from commands (never from library code): "oomlens: ..." on
 * stderr.  error() returns EXIT_RUNTIME, so `return error(...)` works. */
int error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * A write to the output failed: keep errno now, for the message main()
 * prints at exit.  By then errno may be another call's (SQLite's lock
 * probe leaves EBADF), and the stream's error flag does not say which.
 */
void output_failed(void);
/* The errno of the first output_failed(), or errno when none. */
int output_errno(void);

/* Open the store as the entry's flags ask, once the command's arguments
 * are known to be good.  Returns -1 when open, else the exit status to
 * return (after the message is printed). */
int cmd_open_store(struct cmd_ctx *ctx);

/* Common option handling: returns -1 to go on, else an exit status.
 * Handles -h/--help for every command. */
int cmd_check_help(const struct cmd_entry *e, int argc, char **argv);



struct event_filter;
struct oom_report;

/* The options of every event query, for a getopt_long table. */
#define CMD_FILTER_OPTIONS                                   \
	{ "host", required_argument, NULL, 'H' },           \
	{ "since", required_argument, NULL, 's' },          \
	{ "until", required_argument, NULL, 'u' }

/* Apply getopt's result c ('H', 's' or 'u') to f.  Returns -1 when done
 * (also for other c: not a filter option), EXIT_USAGE after a message for
 * a bad time. */
int cmd_filter_option(const struct cmd_entry *e, int c, const char *arg,
		      struct event_filter *f);

/* The options of a command over a range of events (list, timeline):
 * --json and the filter options, no operand.  Returns -1 when fine, else
 * EXIT_USAGE after the message. */
int cmd_range_options(const struct cmd_entry *e, int argc, char **argv,
		      struct event_filter *f, int *json);

/* Call fn on each event matching f, oldest first; the report is freed
 * after fn returns; parts as for store_load_event_parts().  fn returns
 * < 0 to stop with that status negated.
 * Returns EXIT_OK, EXIT_NOTHING when no event matched, or the error. */
/* The same by id only, for a caller that loads what it needs itself. */
int cmd_each_event_id(struct cmd_ctx *ctx, const struct event_filter *f,
		      int (*fn)(struct cmd_ctx *ctx, int64_t id, void *data),
		      void *data);
int cmd_each_event(struct cmd_ctx *ctx, const struct event_filter *f,
		   unsigned parts,
		   int (*fn)(struct cmd_ctx *ctx, int64_t id,
			     const struct oom_report *r, void *data),
		   void *data);

struct store_match;
/* NAME|PID into m: all digits is a pid, anything else a comm. */
void cmd_match_target(const char *arg, struct store_match *m);

/* The options of a question about one task (why, why-not): --json,
 * --event ID, --host NAME, and --all when all is not NULL; then exactly
 * one NAME|PID into m.  Returns -1 when fine, else EXIT_USAGE after the
 * message. */
int cmd_task_question(const struct cmd_entry *e, int argc, char **argv,
		      struct store_match *m, int *json, int *all);

#endif
