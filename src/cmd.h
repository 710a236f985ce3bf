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

/*
 * A command's arguments as the dispatcher parsed them (cmd_parse_args),
 * tmux's struct args: the options in the order given, each under its key
 * (the val of its struct option), and the operands.  Options and operands
 * may come in any order, as GNU tools take them; "--" ends the options.
 */
struct cmd_arg {
	int key;
	const char *value;		/* NULL for an option without one */
};

struct cmd_args {
	struct cmd_arg *opts;
	size_t n_opts;
	int argc;			/* operands only */
	char **argv;
};

/* How many times the option of key was given. */
size_t args_has(const struct cmd_args *a, int key);
/* Its last value (a later one wins), or NULL. */
const char *args_get(const struct cmd_args *a, int key);

struct cmd_entry {
	const char *name;
	const char *usage;		/* after "oomlens ", the SYNOPSIS */
	const char *summary;		/* one line for "oomlens -h" */
	const char *options;		/* option help, one per line */
	unsigned flags;			/* enum cmd_flags */
	/* The option template: long options (flag NULL, val the key the
	 * exec asks args_has/args_get for), NULL-terminated, and the keys
	 * that are short options too, getopt style ("qj:"). */
	const struct option *longopts;
	const char *shortopts;
	/* Operand bounds (max -1: any), and what to say when there are
	 * fewer (NULL: "missing operand") or more (NULL: "unexpected 'X'"). */
	int min_args, max_args;
	const char *too_few, *too_many;
	/* Returns an enum exit_status; args are good as far as the template
	 * can tell (the values are for the exec to check). */
	int (*exec)(struct cmd_ctx *ctx, const struct cmd_args *args);
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
/* The same for a question with no answer (no such event, no such kill):
 * returns EXIT_NOTHING, so `return nothing(...)` works. */
int nothing(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

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

/* Parse argv (argv[0] the command's name) by e's template into a (free
 * with cmd_args_release()).  Returns -1 when good, else EXIT_USAGE after
 * the one message for every command: the unknown option, the one that
 * needs a value, the one that takes none, too few or many operands. */
int cmd_parse_args(const struct cmd_entry *e, int argc, char **argv,
		   struct cmd_args *a);
void cmd_args_release(struct cmd_args *a);

/* --output SPEC over cols (table.h) into sel and *n_sel (at most max):
 * -1 to go on, else the exit status after "help" listed the columns or
 * an unknown one was said (with the list). */
struct table_col;
int cmd_output_columns(struct cmd_ctx *ctx, const struct table_col *cols,
		       size_t n, const char *spec, size_t *sel, size_t *n_sel,
		       size_t max);

/* The known name closest to word (a typo of it), or NULL. */
const char *cmd_did_you_mean(const char *word, const char *const *names,
			     size_t n);


struct event_filter;
struct oom_report;

/* The options of every event query, for a getopt_long table. */
#define CMD_FILTER_OPTIONS                                   \
	{ "host", required_argument, NULL, 'H' },           \
	{ "since", required_argument, NULL, 's' },          \
	{ "until", required_argument, NULL, 'u' }

/* --utc: show times in UTC on a terminal too, in the option table of the
 * commands that print times; the dispatcher applies it (main.c). */
#define CMD_UTC_KEY 'Z'
#define CMD_UTC_OPTION { "utc", no_argument, NULL, CMD_UTC_KEY }

/* --boot [ID|-N], as journalctl -b, for the commands that select events
 * (cmd_filter_args() reads it into the filter); -b in their shortopts as
 * "b::", CMD_BOOT_HELP in their help. */
#define CMD_BOOT_KEY 'b'
#define CMD_BOOT_OPTION { "boot", optional_argument, NULL, CMD_BOOT_KEY }
#define CMD_BOOT_HELP							\
	"  -b, --boot ID, --boot -N\n"					\
	"                  only events of one boot, as journalctl -b: ID a boot\n" \
	"                  id (or its first 8 or more digits, as the BOOT\n"	\
	"                  column of list shows it); 0 (or --boot alone) each\n" \
	"                  host's latest boot, -1 the one before, 1 its first;\n" \
	"                  boots are counted among those of the stored events\n"

/* Apply every filter option of a (in the order given) to f: --host,
 * --since, --until, --trusted (key 'T') and --boot (CMD_BOOT_OPTION)
 * when the command has them.
 * Returns -1 when fine, else EXIT_USAGE after the message. */
int cmd_filter_args(const struct cmd_entry *e, const struct cmd_args *a,
		    struct event_filter *f);

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

/* The options of a question about one task (why, why-not): --json,
 * --event ID, --host NAME, --all; the one NAME|PID into m. */
#define CMD_TASK_OPTIONS                                     \
	{ "json", no_argument, NULL, 'j' },                 \
	{ "event", required_argument, NULL, 'e' },          \
	{ "host", required_argument, NULL, 'H' },           \
	CMD_UTC_OPTION
int cmd_task_question(const struct cmd_entry *e, const struct cmd_args *a,
		      struct store_match *m);

#endif
