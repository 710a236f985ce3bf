/*
 * store-sql.c: `oomlens sql`, the only place that runs SQL a user wrote.
 *
 * Four walls keep it a reader, each enough alone for the usual mistake
 * and together for the unusual one:
 *  1. main() opened the store with SQLITE_OPEN_READONLY (STORE_READ);
 *  2. PRAGMA query_only = 1 on the connection;
 *  3. an authorizer, while the user's statements compile and run, refuses
 *     writes, ATTACH/DETACH (another file), transaction control (we hold
 *     one read transaction) and pragmas that set something: SQLite calls
 *     "PRAGMA query_only = 0" and "PRAGMA writable_schema = 1" read-only
 *     statements, so wall 4 alone would let them through; and functions
 *     not on a list of SQLite's own pure ones (fts3_tokenizer() returns a
 *     pointer into the process, load_extension() runs code);
 *  4. every statement must be read-only by sqlite3_stmt_readonly(), which
 *     also catches what the authorizer is not told of (VACUUM INTO writes
 *     a new file, even on a read-only connection).
 * All statements are compiled and checked before the first one runs, so
 * a refused query prints nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sqlite3.h>

#include "store-int.h"
#include "store-sql.h"
#include "xalloc.h"

/* Our one statement of our own: a setting of this connection, run once
 * per `oomlens sql`, so it is not kept in the statement table. */
static const char sql_query_only[] = "PRAGMA query_only = 1";

/* Pragmas that take an argument and only read: the schema questions. */
static const char *const reading_pragmas[] = {
	"foreign_key_check", "foreign_key_list", "index_info", "index_list",
	"index_xinfo", "integrity_check", "quick_check", "table_info",
	"table_list", "table_xinfo", NULL,
};

/* Pragmas without an argument that still write or change the file. */
static const char *const writing_pragmas[] = {
	"incremental_vacuum", "optimize", "wal_checkpoint", NULL,
};

/*
 * The functions a query may call: SQLite's built-in ones that compute a
 * value from their arguments (core, date and time, math, JSON, window),
 * including those of later SQLite versions.  Anything else is refused:
 * fts3_tokenizer() (a pointer into the process, and a way to install
 * one), load_extension(), sqlite_log(), and whatever an extension or a
 * later SQLite registers, until it is known to be harmless.
 */
static const char *const allowed_functions[] = {
	/* core scalar */
	"abs", "char", "coalesce", "concat", "concat_ws", "format", "glob",
	"hex", "ifnull", "iif", "instr", "length", "like", "likelihood",
	"likely", "lower", "ltrim", "max", "min", "nullif", "octet_length",
	"printf", "quote", "random", "randomblob", "replace", "round", "rtrim",
	"sign", "soundex", "sqlite_source_id", "sqlite_version", "substr",
	"substring", "trim", "typeof", "unhex", "unicode", "unlikely", "upper",
	"zeroblob", "changes", "total_changes", "last_insert_rowid",
	/* aggregate */
	"avg", "count", "group_concat", "string_agg", "sum", "total",
	"median", "percentile", "percentile_cont", "percentile_disc",
	/* date and time */
	"date", "time", "datetime", "julianday", "unixepoch", "strftime",
	"timediff", "current_date", "current_time", "current_timestamp",
	/* math */
	"acos", "acosh", "asin", "asinh", "atan", "atan2", "atanh", "ceil",
	"ceiling", "cos", "cosh", "degrees", "exp", "floor", "ln", "log",
	"log10", "log2", "mod", "pi", "pow", "power", "radians", "sin", "sinh",
	"sqrt", "tan", "tanh", "trunc",
	/* JSON, and its operators a -> b, a ->> b */
	"json", "jsonb", "json_array", "jsonb_array", "json_array_length",
	"json_error_position", "json_extract", "jsonb_extract", "json_insert",
	"jsonb_insert", "json_object", "jsonb_object", "json_patch",
	"jsonb_patch", "json_pretty", "json_quote", "json_remove",
	"jsonb_remove", "json_replace", "jsonb_replace", "json_set",
	"jsonb_set", "json_type", "json_valid", "json_group_array",
	"jsonb_group_array", "json_group_object", "jsonb_group_object",
	"->", "->>",
	/* window */
	"row_number", "rank", "dense_rank", "percent_rank", "cume_dist",
	"ntile", "lag", "lead", "first_value", "last_value", "nth_value",
	NULL,
};

enum deny {
	DENY_NONE, DENY_WRITE, DENY_ATTACH, DENY_TRANSACTION, DENY_FUNCTION,
};

struct guard {
	int active;		/* the user's statements are compiling */
	enum deny why;		/* the first refusal */
	char *function;		/* the first refused function's name */
};

/* SQLite's names are case-insensitive, and the authorizer is handed a
 * pragma's name as the user spelled it: PRAGMA OPTIMIZE is optimize. */
static int in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; s && list[i]; i++)
		if (!strcasecmp(list[i], s))
			return 1;
	return 0;
}

static enum deny judge(int action, const char *a1, const char *a2)
{
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_READ:
	case SQLITE_RECURSIVE:
		return DENY_NONE;
	case SQLITE_FUNCTION:
		/* a1 is NULL, a2 the function's name */
		return in_list(allowed_functions, a2) ? DENY_NONE
						      : DENY_FUNCTION;
	case SQLITE_PRAGMA:
		if (a2 ? in_list(reading_pragmas, a1)
		       : !in_list(writing_pragmas, a1))
			return DENY_NONE;
		return DENY_WRITE;
	case SQLITE_ATTACH:
	case SQLITE_DETACH:
		return DENY_ATTACH;
	case SQLITE_TRANSACTION:
	case SQLITE_SAVEPOINT:
		return DENY_TRANSACTION;
	default:
		/* INSERT, UPDATE, DELETE, CREATE_*, DROP_*, ALTER_TABLE,
		 * REINDEX, ANALYZE, *_VTABLE, COPY: and whatever a later
		 * SQLite adds, until it is known to be a read */
		return DENY_WRITE;
	}
}

static int authorize(void *data, int action, const char *a1, const char *a2,
		     const char *db, const char *trigger)
{
	struct guard *g = data;
	enum deny why;

	(void)db;
	(void)trigger;
	if (!g->active)
		return SQLITE_OK;
	why = judge(action, a1, a2);
	if (why == DENY_NONE)
		return SQLITE_OK;
	if (g->why == DENY_NONE) {
		g->why = why;
		if (why == DENY_FUNCTION) {
			free(g->function);
			g->function = xstrdup(a2 ? a2 : "?");
		}
	}
	return SQLITE_DENY;
}

/* Record msg (ours to free) for store_errmsg(); returns code. */
static int fail(struct store *st, int code, char *msg)
{
	free(st->err);
	st->err = msg;
	return code;
}

static int refused(struct store *st, const struct guard *g)
{
	switch (g->why) {
	case DENY_FUNCTION:
		return fail(st, -EPERM, xasprintf(
			"function %s() is not allowed (only SQLite's built-in "
			"functions that compute a value, see oomlens-sql(1))",
			g->function));
	case DENY_ATTACH:
		return fail(st, -EPERM, xstrdup(
			"ATTACH and DETACH are not allowed (only the oomlens "
			"database is read)"));
	case DENY_TRANSACTION:
		return fail(st, -EPERM, xstrdup(
			"BEGIN, COMMIT, ROLLBACK and SAVEPOINT are not allowed "
			"(the statements run in one read transaction)"));
	default:
		return fail(st, -EPERM, xstrdup(STORE_SQL_READ_ONLY_MSG));
	}
}

static int set_query_only(struct store *st)
{
	sqlite3_stmt *s = NULL;
	int rc;

	rc = sqlite3_prepare_v2(st->db, sql_query_only, -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return fail(st, -EIO, xasprintf("set query_only: %s",
						sqlite3_errmsg(st->db)));
	return 0;
}

struct stmts {
	sqlite3_stmt **v;
	size_t n, alloc;
};

static void stmts_free(struct stmts *ss)
{
	for (size_t i = 0; i < ss->n; i++)
		sqlite3_finalize(ss->v[i]);
	free(ss->v);
}

/* Compile every statement of sql under the guard, checking each. */
static int compile(struct store *st, const char *sql, struct guard *g,
		   struct stmts *ss)
{
	const char *tail = sql;

	while (*tail) {
		sqlite3_stmt *s = NULL;
		const char *next = NULL;
		int rc;

		g->why = DENY_NONE;
		rc = sqlite3_prepare_v2(st->db, tail, -1, &s, &next);
		if (rc != SQLITE_OK) {
			if (g->why != DENY_NONE)
				return refused(st, g);
			return fail(st, -EINVAL,
				    xstrdup(sqlite3_errmsg(st->db)));
		}
		if (!s)		/* blanks or a comment after the last ';' */
			break;
		ss->v = xgrow(ss->v, &ss->alloc, ss->n + 1, sizeof(*ss->v));
		ss->v[ss->n++] = s;
		if (!sqlite3_stmt_readonly(s)) {
			g->why = DENY_WRITE;
			return refused(st, g);
		}
		tail = next;
	}
	if (!ss->n)
		return fail(st, -EINVAL, xstrdup("no SQL statement"));
	return 0;
}

static void column_value(sqlite3_stmt *s, int i, struct store_sql_value *v)
{
	v->type = STORE_SQL_NULL;
	v->text = NULL;
	v->len = 0;
	switch (sqlite3_column_type(s, i)) {
	case SQLITE_INTEGER:
		v->type = STORE_SQL_INTEGER;
		v->i = sqlite3_column_int64(s, i);
		break;
	case SQLITE_FLOAT:
		v->type = STORE_SQL_REAL;
		v->d = sqlite3_column_double(s, i);
		break;
	case SQLITE_TEXT:
		v->type = STORE_SQL_TEXT;
		break;
	case SQLITE_BLOB:
		v->type = STORE_SQL_BLOB;
		v->text = sqlite3_column_blob(s, i);
		v->len = (size_t)sqlite3_column_bytes(s, i);
		return;
	default:
		return;
	}
	/* numbers as SQLite writes them, for text and CSV */
	v->text = (const char *)sqlite3_column_text(s, i);
	v->len = (size_t)sqlite3_column_bytes(s, i);
}

/* Run one compiled statement into the sink. */
static int run_one(struct store *st, sqlite3_stmt *s,
		   const struct store_sql_sink *sink, uint64_t *rows)
{
	int n = sqlite3_column_count(s), rc = 0;
	const char **names = xcalloc(n ? (size_t)n : 1, sizeof(*names));
	struct store_sql_value *v = xcalloc(n ? (size_t)n : 1, sizeof(*v));

	for (int i = 0; i < n; i++)
		names[i] = sqlite3_column_name(s, i);
	if (n && sink->columns)
		rc = sink->columns(sink->data, (size_t)n, names);
	while (rc >= 0) {
		int step = sqlite3_step(s);

		if (step == SQLITE_DONE)
			break;
		if (step != SQLITE_ROW) {
			rc = fail(st, -EIO, xstrdup(sqlite3_errmsg(st->db)));
			break;
		}
		(*rows)++;
		for (int i = 0; i < n; i++)
			column_value(s, i, &v[i]);
		if (n && sink->row)
			rc = sink->row(sink->data, (size_t)n, v);
	}
	sqlite3_reset(s);
	free(names);
	free(v);
	return rc;
}

int store_sql_run(struct store *st, const char *sql,
		  const struct store_sql_sink *sink, uint64_t *ret_rows)
{
	struct guard g = { 0, DENY_NONE, NULL };
	struct stmts ss = { NULL, 0, 0 };
	int rc;

	*ret_rows = 0;
	if (st->mode != STORE_READ)	/* wall 1 is the caller's */
		return fail(st, -EPERM, xstrdup(STORE_SQL_READ_ONLY_MSG));
	rc = set_query_only(st);
	if (rc < 0)
		return rc;
	/* our own BEGIN and COMMIT are compiled before the guard is up */
	rc = store_begin_read(st);
	if (rc < 0)
		return rc;
	sqlite3_set_authorizer(st->db, authorize, &g);
	g.active = 1;
	rc = compile(st, sql, &g, &ss);
	for (size_t i = 0; i < ss.n && rc >= 0; i++)
		rc = run_one(st, ss.v[i], sink, ret_rows);
	g.active = 0;
	free(g.function);
	stmts_free(&ss);
	sqlite3_set_authorizer(st->db, NULL, NULL);
	if (rc < 0) {
		char *keep = st->err;

		/* keep the cause, not an echo of the rollback */
		st->err = NULL;
		store_rollback(st);
		free(st->err);
		st->err = keep;
		return rc;
	}
	return store_commit(st);
}
