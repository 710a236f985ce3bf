/*
 * cmd-sql.c: read-only SQL on the database, for the questions the other
 * commands do not ask.  A table for people (table.c, fitted to the
 * terminal), CSV or NDJSON for programs.  The guard against writes is
 * in store-sql.c.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "oomlens.h"
#include "output-formats.h"
#include "output.h"
#include "store-sql.h"
#include "store.h"
#include "table.h"
#include "xalloc.h"

static int cmd_sql_exec(struct cmd_ctx *ctx, const struct cmd_args *args);

static const struct option sql_options[] = {
	{ "csv", no_argument, NULL, 'c' },
	{ "json", no_argument, NULL, 'j' },
	{ NULL, 0, NULL, 0 },
};

const struct cmd_entry cmd_sql_entry = {
	.name = "sql",
	.usage = "sql [--csv|--json] QUERY",
	.summary = "run read-only SQL on the database",
	.options =
	"  --csv     CSV (RFC 4180) with a header line\n"
	"  --json    one JSON object per row (NDJSON)\n"
	"  QUERY     one or more SELECT statements, ';'-separated; tables\n"
	"            sources, events, event_text, tasks, kills, zones and\n"
	"            the view victims (see oomlens-sql(1))\n",
	.flags = CMD_STORE_READ,
	.longopts = sql_options,
	.min_args = 1, .max_args = 1,
	.too_few = "which query?",
	.too_many = "the query is one argument: quote it",
	.exec = cmd_sql_exec,
};

enum sql_format { SQL_TABLE, SQL_CSV, SQL_JSON };

struct sql_out {
	FILE *fp;
	enum sql_format format;
	size_t n_cols;
	char **names;		/* of the current statement (JSON keys) */
	int header_due;		/* CSV: before the statement's first row */
	/* the text table (table.c) of the current statement */
	struct table *table;
	struct table_col *cols;	/* n_cols: the headings, escaped */
	unsigned char *text_seen;	/* a value not a number: left-aligned */
	size_t width;		/* of the output (0: unlimited) */
	size_t pending;		/* rows in table, not printed yet */
	size_t pending_bytes;	/* the bytes of their values */
	int table_printed;	/* its heading is out */
	int printed;		/* a table was printed: blank line first */
};

static void free_names(struct sql_out *o)
{
	for (size_t i = 0; i < o->n_cols; i++)
		free(o->names[i]);
	free(o->names);
	o->names = NULL;
	o->n_cols = 0;
}

/*
 * A table goes out a chunk at a time (table_flush()): this many rows, or
 * fewer when their values reach SQL_TABLE_BYTES (a few huge values must
 * not wait for thousands of rows in memory), so memory stays flat however
 * many rows a query returns.  The first chunk sets the widths and which
 * columns are numbers (right-aligned); later rows align under it, wider
 * only where a value must be.
 */
#define SQL_TABLE_ROWS 10000
#define SQL_TABLE_BYTES ((size_t)1 << 20)

/* Print the rows kept so far (after the heading the first time): 0, or
 * -ECANCELED when stdout failed. */
static int print_table(struct sql_out *o)
{
	if (!o->table || !o->pending)
		return 0;
	if (!o->table_printed++) {
		if (o->printed++)
			fputc('\n', o->fp);	/* between two statements' tables */
		/* numbers right-aligned, as their heading: a column of
		 * numbers (or NULLs) only, in the first chunk */
		for (size_t i = 0; i < o->n_cols; i++)
			table_set_right(o->table, i, !o->text_seen[i]);
	}
	o->pending = 0;
	o->pending_bytes = 0;
	return table_flush(o->table, o->fp, o->width) < 0 ? -ECANCELED : 0;
}

static void free_table(struct sql_out *o)
{
	table_free(o->table);
	o->table = NULL;
	for (size_t i = 0; o->cols && i < o->n_cols; i++)
		free((char *)o->cols[i].name);
	free(o->cols);
	o->cols = NULL;
	free(o->text_seen);
	o->text_seen = NULL;
}

/* The end of a statement's table. */
static int end_table(struct sql_out *o)
{
	int rc = print_table(o);

	free_table(o);
	o->table_printed = 0;
	return rc;
}

/* The table of a statement's n columns, named o->names: any may be cut
 * to fit the width (the widest first), never a heading. */
static void new_table(struct sql_out *o, size_t n)
{
	size_t *sel = xcalloc(n, sizeof(*sel));
	struct buf b = BUF_INIT;

	o->cols = xcalloc(n, sizeof(*o->cols));
	o->text_seen = xcalloc(n, 1);
	for (size_t i = 0; i < n; i++) {
		buf_reset(&b);
		out_escape(&b, o->names[i], strlen(o->names[i]),
			   OUT_ESC_BACKSLASH);
		buf_addch(&b, '\0');
		o->cols[i] = (struct table_col){ .name = xstrdup(b.data),
						 .flags = TABLE_TRUNC };
		sel[i] = i;
	}
	o->table = table_new(o->cols, sel, n, "  ");
	buf_release(&b);
	free(sel);
}

/*
 * JSON keys must differ, and "SELECT e.id, k.id" gives two "id": the
 * second becomes "id_2" (or "id_3", ... when that is taken too).
 */
static char *unique_name(char **names, size_t n, const char *name)
{
	char *s = xstrdup(name);

	for (int k = 2;; k++) {
		size_t i;

		for (i = 0; i < n && strcmp(names[i], s) != 0; i++)
			;
		if (i == n)
			return s;
		free(s);
		s = xasprintf("%s_%d", name, k);
	}
}

static int on_columns(void *data, size_t n, const char *const *names)
{
	struct sql_out *o = data;
	int rc = end_table(o);

	free_names(o);
	o->names = xcalloc(n, sizeof(*o->names));
	for (size_t i = 0; i < n; i++) {
		const char *name = names[i] ? names[i] : "";

		o->names[i] = o->format == SQL_JSON
				      ? unique_name(o->names, i, name)
				      : xstrdup(name);
	}
	o->n_cols = n;
	o->header_due = 1;
	if (o->format == SQL_TABLE && n)
		new_table(o, n);
	return rc;
}

/* n bytes of p as 2n hex digits at q. */
static void hex_digits(char *q, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		*q++ = digits[p[i] >> 4];
		*q++ = digits[p[i] & 15];
	}
}

/* A BLOB as x'00ff', in one allocation: a blob may be hundreds of MB,
 * and a printf per byte took seconds for each. */
static void blob_hex(struct buf *b, const struct store_sql_value *v)
{
	buf_grow(b, 2 * v->len + 3);
	buf_adds(b, "x'");
	hex_digits(b->data + b->len, (const unsigned char *)v->text, v->len);
	b->len += 2 * v->len;
	buf_addch(b, '\'');
}

/* The same straight to the stream, between open and close (x' and ',
 * or " and "): hex needs no escaping, so no copy of the blob is made.
 * 0 or -ECANCELED. */
static int blob_hex_stream(FILE *fp, const struct store_sql_value *v,
			   const char *open, const char *close)
{
	const unsigned char *p = (const unsigned char *)v->text;
	char chunk[4096];
	int r = 0;

	if (fputs(open, fp) == EOF)
		r = -ECANCELED;
	for (size_t i = 0; i < v->len && r == 0; i += sizeof(chunk) / 2) {
		size_t n = v->len - i < sizeof(chunk) / 2 ? v->len - i
							  : sizeof(chunk) / 2;

		hex_digits(chunk, p + i, n);
		if (fwrite(chunk, 1, 2 * n, fp) != 2 * n)
			r = -ECANCELED;
	}
	if (r == 0 && fputs(close, fp) == EOF)
		r = -ECANCELED;
	return r;
}

/* One value as JSON, streamed: a value of hundreds of MB is written as
 * it is read, never built in memory again (cJSON took 8 times its size).
 * A text keeps what follows a NUL (\u0000). */
static int json_value(FILE *fp, const struct store_sql_value *v)
{
	switch (v->type) {
	case STORE_SQL_INTEGER:
		return fprintf(fp, "%" PRId64, v->i) < 0 ? -EIO : 0;
	case STORE_SQL_REAL:
		/* SQLite writes reals as JSON may ("1.0", "2.5e-07"),
		 * except infinities, which JSON lacks */
		return fputs(isfinite(v->d) && v->text ? v->text : "null",
			     fp) == EOF ? -EIO : 0;
	case STORE_SQL_TEXT:
		return out_json_string(fp, v->text ? v->text : "",
				       v->text ? v->len : 0);
	case STORE_SQL_BLOB:
		return blob_hex_stream(fp, v, "\"x'", "'\"");
	default:
		return fputs("null", fp) == EOF ? -EIO : 0;
	}
}

static int row_json(struct sql_out *o, const struct store_sql_value *v)
{
	int rc = fputc('{', o->fp) == EOF ? -EIO : 0;

	for (size_t i = 0; i < o->n_cols && rc == 0; i++) {
		if (i && fputc(',', o->fp) == EOF)
			rc = -EIO;
		if (rc == 0)
			rc = out_json_string(o->fp, o->names[i],
					     strlen(o->names[i]));
		if (rc == 0 && fputc(':', o->fp) == EOF)
			rc = -EIO;
		if (rc == 0)
			rc = json_value(o->fp, &v[i]);
	}
	if (rc == 0 && fputs("}\n", o->fp) == EOF)
		rc = -EIO;
	return rc < 0 ? -ECANCELED : 0;
}

static int row_csv(struct sql_out *o, const struct store_sql_value *v)
{
	int rc = 0;

	if (o->header_due) {
		o->header_due = 0;
		for (size_t i = 0; i < o->n_cols; i++)
			if (out_csv_field(o->fp, o->names[i],
					  strlen(o->names[i]), i == 0) < 0)
				rc = -ECANCELED;
		if (out_csv_end(o->fp) < 0)
			rc = -ECANCELED;
	}
	for (size_t i = 0; i < o->n_cols; i++) {
		if (v[i].type == STORE_SQL_BLOB) {
			if ((i && fputc(',', o->fp) == EOF) ||
			    blob_hex_stream(o->fp, &v[i], "x'", "'") < 0)
				rc = -ECANCELED;
		} else if (out_csv_field(o->fp, v[i].text, v[i].len, i == 0) < 0) {
			rc = -ECANCELED;
		}
	}
	if (out_csv_end(o->fp) < 0)
		rc = -ECANCELED;
	return rc;
}

static int on_row(void *data, size_t n, const struct store_sql_value *v)
{
	struct sql_out *o = data;
	struct buf b = BUF_INIT;

	(void)n;
	if (o->format == SQL_JSON)
		return row_json(o, v);
	if (o->format == SQL_CSV)
		return row_csv(o, v);
	if (!o->table)
		return 0;
	table_add_row(o->table);
	for (size_t i = 0; i < o->n_cols; i++) {
		if (v[i].type == STORE_SQL_NULL)
			continue;	/* NULL: empty */
		buf_reset(&b);
		if (v[i].type == STORE_SQL_BLOB)
			blob_hex(&b, &v[i]);
		else	/* a text may hold a NUL: escaped (\x00) */
			out_escape(&b, v[i].text, v[i].len, OUT_ESC_BACKSLASH);
		buf_addch(&b, '\0');
		table_set_escaped(o->table, i, b.data);
		if (v[i].type != STORE_SQL_INTEGER &&
		    v[i].type != STORE_SQL_REAL && !o->table_printed)
			o->text_seen[i] = 1;
		o->pending_bytes += b.len;
	}
	buf_release(&b);
	if (++o->pending == SQL_TABLE_ROWS ||
	    o->pending_bytes >= SQL_TABLE_BYTES)
		return print_table(o);
	return 0;
}

static int cmd_sql_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct sql_out o = { .fp = ctx->out, .format = SQL_TABLE,
			     .width = term_width(fileno(ctx->out)) };
	struct store_sql_sink sink = { on_columns, on_row, &o };
	uint64_t rows = 0;
	int r, status;

	if (args_has(args, 'c') + args_has(args, 'j') > 1)
		return cmd_usage_error(&cmd_sql_entry,
				       "--csv or --json, not both");
	if (args_has(args, 'c'))
		o.format = SQL_CSV;
	else if (args_has(args, 'j'))
		o.format = SQL_JSON;
	status = cmd_open_store(ctx);
	if (status >= 0)
		return status;

	/* a sink returns -ECANCELED when stdout fails */
	r = store_sql_run(ctx->st, args->argv[0], &sink, &rows);
	if (r != -ECANCELED && print_table(&o) < 0)
		r = -ECANCELED;
	free_table(&o);
	free_names(&o);
	if (r == -ECANCELED)
		return EXIT_RUNTIME;	/* main() says what failed */
	if (r == -EPERM || r == -EINVAL) {
		error("sql: %s", store_errmsg(ctx->st));
		return EXIT_USAGE;
	}
	if (r < 0)
		return error("sql: %s", store_errmsg(ctx->st));
	return rows ? EXIT_OK : EXIT_NOTHING;
}
