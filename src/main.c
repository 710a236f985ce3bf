/*
 * main.c: global options, find the command, open the store as its entry
 * asks, run it, check that stdout was written, pick the exit status.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "oomlens.h"
#include "output.h"
#include "store.h"
#include "table.h"
#include "xalloc.h"

static void main_help(FILE *fp)
{
	struct text_out wrap;	/* on a terminal, wrapped to its width */

	fp = text_out_begin(&wrap, fp);
	fputs("usage: oomlens [--db PATH] <command> [<args>]\n\n"
	      "Linux OOM-killer forensics: read the kernel's OOM reports from "
	      "logs into a\ndatabase, then ask who died and why.\n\n"
	      "Commands:\n", fp);
	for (size_t i = 0; cmd_table[i]; i++) {
		fputs("  ", fp);
		text_pad(fp, cmd_table[i]->name, 8);
		fprintf(fp, " %s\n", cmd_table[i]->summary);
	}
	fputs("\nGlobal options:\n"
	      "  --db PATH    the database (default: $OOMLENS_DB, else\n"
	      "               $STATE_DIRECTORY/oomlens.db as a systemd service,\n"
	      "               else $XDG_DATA_HOME/oomlens/oomlens.db)\n"
	      "  -h, --help   this help; 'oomlens <command> -h' or\n"
	      "               'oomlens help <command>' for a command\n"
	      "  -V, --version\n"
	      "               print the version\n"
	      "Options and operands of a command may come in any order; '--'\n"
	      "ends the options.\n", fp);
	text_out_end(&wrap);
}

/* --db, else $OOMLENS_DB, else the service's state directory, else the
 * XDG data directory.  systemd sets STATE_DIRECTORY for a unit with
 * StateDirectory= (oomlens-ingest.service: /var/lib/oomlens), so the
 * service writes the system's database and a user keeps their own.  It is
 * a colon-separated list when the unit names several: the first is ours. */
static char *default_db_path(void)
{
	const char *env = getenv("OOMLENS_DB");
	const char *state = getenv("STATE_DIRECTORY");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (env && *env)
		return xstrdup(env);
	if (state && *state == '/')
		return xasprintf("%.*s/oomlens.db", (int)strcspn(state, ":"),
				 state);
	if (xdg && *xdg == '/')
		return xasprintf("%s/oomlens/oomlens.db", xdg);
	if (home && *home)
		return xasprintf("%s/.local/share/oomlens/oomlens.db", home);
	return NULL;
}

static int run(const struct cmd_entry *e, const char *db_opt, int argc,
	       char **argv)
{
	char *db_path = db_opt ? xstrdup(db_opt) : default_db_path();
	struct cmd_ctx ctx = { .entry = e, .out = stdout, .db_path = db_path };
	struct cmd_args args = { 0 };
	int status = cmd_check_help(e, argc, argv);

	/* local time for a person, as journalctl; --utc undoes it */
	out_set_local_time(isatty(STDOUT_FILENO));
	if (status < 0)
		status = cmd_parse_args(e, argc, argv, &args);
	if (status < 0 && args_has(&args, CMD_UTC_KEY))
		out_set_local_time(0);
	if (status < 0)
		status = e->exec(&ctx, &args);
	cmd_args_release(&args);
	store_close(ctx.st);
	free(db_path);
	return status;
}

/* "'wyh' is not an oomlens command; did you mean 'why'?" */
static int unknown_command(const char *name)
{
	const char *names[32], *guess;
	size_t n = 0;

	while (cmd_table[n] && n < 32) {
		names[n] = cmd_table[n]->name;
		n++;
	}
	guess = cmd_did_you_mean(name, names, n);
	if (guess)
		return cmd_usage_error(NULL, "'%s' is not an oomlens command; "
				       "did you mean '%s'?", name, guess);
	return cmd_usage_error(NULL, "'%s' is not an oomlens command; "
			       "see 'oomlens -h'", name);
}

/* oomlens help [COMMAND]: the same help as -h gives. */
static int help(int argc, char **argv)
{
	const struct cmd_entry *e;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		main_help(stdout);
		return EXIT_OK;
	}
	if (argc > 2)
		return cmd_usage_error(NULL, "help: one command at a time");
	e = cmd_find(argv[1]);
	if (!e)
		return unknown_command(argv[1]);
	cmd_help(e, stdout);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const char *db_opt = NULL;
	const struct cmd_entry *e;
	int i = 1, status;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			main_help(stdout);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--version") ||
			   !strcmp(argv[i], "-V")) {
			printf("oomlens %s\n", OOMLENS_VERSION);
			return EXIT_OK;
		} else if (!strcmp(argv[i], "--db")) {
			if (++i >= argc)
				return cmd_usage_error(NULL, "option '--db' needs "
						       "a value (a path)");
			db_opt = argv[i];
		} else if (!strncmp(argv[i], "--db=", 5)) {
			db_opt = argv[i] + 5;
		} else {
			return cmd_usage_error(NULL, "unknown option '%s'",
					       argv[i]);
		}
	}
	if (i >= argc) {
		main_help(stderr);
		return EXIT_USAGE;
	}
	e = cmd_find(argv[i]);
	if (!e && !strcmp(argv[i], "help"))
		return help(argc - i, argv + i);
	if (!e)
		return unknown_command(argv[i]);
	status = run(e, db_opt, argc - i, argv + i);
	/* like git: a failed write to stdout is a failure */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		int e = output_errno();

		if (e != EPIPE)
			error("cannot write output: %s", strerror(e));
		return EXIT_RUNTIME;
	}
	return status;
}
