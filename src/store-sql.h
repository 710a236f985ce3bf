/*
 * store-sql.h: the runner behind `oomlens sql`, the only place that runs
 * SQL a user wrote.  It reads and nothing else: the store is opened
 * read-only (SQLITE_OPEN_READONLY), the connection is set query_only, and
 * every statement must be one SQLite calls read-only before any runs.
 * Nothing here prints or exits.
 */
#ifndef OOMLENS_STORE_SQL_H
#define OOMLENS_STORE_SQL_H

#include <stddef.h>
#include <stdint.h>

struct store;

enum store_sql_type {
	STORE_SQL_NULL,
	STORE_SQL_INTEGER,
	STORE_SQL_REAL,
	STORE_SQL_TEXT,
	STORE_SQL_BLOB,
};

/* One value of a result row; valid until the sink's row() returns. */
struct store_sql_value {
	enum store_sql_type type;
	int64_t i;		/* INTEGER */
	double d;		/* REAL */
	/* TEXT and BLOB bytes; INTEGER and REAL as SQLite writes them;
	 * NULL for NULL.  Text is NUL-terminated, but may hold NULs. */
	const char *text;
	size_t len;
};

/*
 * What the runner feeds, statement by statement: columns() once per
 * statement that has result columns (names valid until its last row),
 * then row() per row.  A callback returning < 0 stops the run with that
 * code.
 */
struct store_sql_sink {
	int (*columns)(void *data, size_t n, const char *const *names);
	int (*row)(void *data, size_t n, const struct store_sql_value *v);
	void *data;
};

/*
 * Run the statements of sql (one or several, ';'-separated) in one read
 * transaction, so they all see one snapshot even while an ingest writes.
 * All are compiled and checked before the first runs.  *ret_rows counts
 * the rows of all of them.
 *
 * Returns 0, or with store_errmsg() set:
 *	-EINVAL	a statement does not compile, or there is none
 *	-EPERM	a statement would write, attach a database, change a
 *		setting or end the transaction
 *	-EIO	SQLite failed while running one
 *	or what a callback returned.
 */
int store_sql_run(struct store *st, const char *sql,
		  const struct store_sql_sink *sink, uint64_t *ret_rows);

/* The message of -EPERM for a write, the same for every write. */
#define STORE_SQL_READ_ONLY_MSG \
	"only reading statements are allowed (the database is opened read-only)"

#endif
