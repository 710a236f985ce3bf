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

/* Bounds on what the input controls: past one we flag and skip. */
#define MAX_LINE_LEN (64 * 1024)	/* longer lines are cut here */
#define MAX_TASKS_PER_REPORT 100000
#define MAX_KILLS_PER_REPORT 10000
#define MAX_REPORT_RAW (16 * 1024 * 1024)
/* Unclassified lines in a row before an open report is given up. */
#define MAX_FOREIGN_RUN 2000

#endif
