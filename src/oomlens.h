/*
 * oomlens.h: what every command shares: exit statuses, global options,
 * input bounds.
 */
#ifndef OOMLENS_OOMLENS_H
#define OOMLENS_OOMLENS_H

#include <stdint.h>

#define OOMLENS_VERSION "0.1.0"

enum exit_status {
	EXIT_OK = 0,		/* did what was asked */
	EXIT_NOTHING = 1,	/* ran fine, found nothing (like grep) */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_RUNTIME = 3,	/* I/O, SQLite, bad database */
	EXIT_INTERRUPTED = 130,	/* ingest stopped by SIGINT or SIGTERM (128 + 2) */
};

/*
 * Errors in library code (everything but src/cmd*.c, main.c and error.c):
 * a function returns 0 (or a count) or -errno and prints nothing.  The
 * words for the user come from one of two places, by whether a handle
 * exists yet:
 *  - a constructor that fails before its handle exists (store_open(),
 *    journal_open(), classify_new(), ingest_new(), pool_new()) sets
 *    *ret_err, a message the caller frees;
 *  - a handle keeps the message of its last failure (store_errmsg(),
 *    source_strerror(), journal_damage()).
 * A walk over many inputs (source_walk(), the ingest's ops) hands each
 * input's trouble to its callbacks, because it goes on after it.  Only
 * commands print, through error(), warning() and nothing() (cmd.h).
 */

/* Bounds on what the input controls: past one we flag and skip. */
#define MAX_LINE_LEN (64 * 1024)	/* longer lines are cut here */
#define MAX_TASKS_PER_REPORT 100000
#define MAX_KILLS_PER_REPORT 10000
#define MAX_REPORT_RAW (16 * 1024 * 1024)
/* Unclassified lines in a row before an open report is given up. */
#define MAX_FOREIGN_RUN 2000

#endif
