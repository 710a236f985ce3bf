/*
 * store-events.c: reports in and out of the events, tasks, kills and
 * zones tables, and the queries that find them.
 *
 * The columns of each table are described once (the X-macro lists in
 * store-int.h) and one pair of loops binds and loads them all: NULL when
 * the owner's known bit is clear, the bit set again on load when the
 * column is non-NULL.  So the known masks survive a round trip exactly.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "oom.h"
#include "store-int.h"
#include "xalloc.h"

enum col_kind { COL_I64, COL_U64, COL_STR };

/* A column stored straight from a struct member. */
struct col {
	const char *param;	/* ":name"; the column name is param + 1 */
	size_t off;		/* of the member in its struct */
	enum col_kind kind;	/* from the member's type, so they agree */
	unsigned known;		/* bit in the owner's mask; 0: always */
};

/* An int64_t, uint64_t or char * member and nothing else: any other type
 * (an enum, a plain unsigned) fails to compile and is done by hand. */
#define COL_KIND(expr)							\
	_Generic((expr), int64_t: COL_I64, uint64_t: COL_U64, char *: COL_STR)
#define COL(type, col, member, bit)					\
	{ ":" #col, offsetof(type, member),				\
	  COL_KIND(((type *)0)->member), (bit) },

#define EVENT_COL(col, member, bit) COL(struct oom_report, col, member, bit)
#define TASK_COL(col, member, bit) COL(struct oom_task, col, member, bit)
#define KILL_COL(col, member, bit) COL(struct oom_kill, col, member, bit)
#define ZONE_COL(col, member, bit) COL(struct oom_zone, col, member, bit)

static const struct col event_cols[] = { EVENT_COLUMNS(EVENT_COL) };
static const struct col task_cols[] = { TASK_COLUMNS(TASK_COL) };
static const struct col kill_cols[] = { KILL_COLUMNS(KILL_COL) };
static const struct col zone_cols[] = { ZONE_COLUMNS(ZONE_COL) };

/* The memory columns are bound and loaded under the names in
 * mem_field_names[] and memcg_params[]; the lists in store-int.h only
 * give the SQL text, and must have one entry for each. */
#define COUNT_ONE(col) + 1
_Static_assert(0 MEM_COLUMNS(COUNT_ONE) == MEM_FIELD_COUNT,
	       "MEM_COLUMNS needs one column per enum mem_field");
_Static_assert(0 MEMCG_COLUMNS(COUNT_ONE) == 3 * MEMCG_COUNTER_COUNT,
	       "MEMCG_COLUMNS needs three columns per enum memcg_counter");

/* In enum memcg_counter order: usage, limit, failcnt of each. */
#define PARAM_STR(col) ":" #col,
static const char *const memcg_params[3 * MEMCG_COUNTER_COUNT] = {
	MEMCG_COLUMNS(PARAM_STR)
};

static const char *const reap_names[] = {
	[REAP_NONE] = NULL,
	[REAP_REAPED] = "reaped",
	[REAP_UNABLE] = "unable",
};

/* The hand-written columns of each statement, in SQL order (store.c). */
static const char *const event_insert_extra[] = {
	":id", ":source_id", ":flags", ":task_layout", ":killer",
	":provenance", ":facts_digest",
};
static const char *const event_select_extra[] = {
	":flags", ":task_layout", ":killer",
};
static const char *const task_insert_extra[] = { ":event_id", ":seq", ":rank" };
static const char *const kill_insert_extra[] = {
	":event_id", ":seq", ":reap_state", ":wall_us", ":host",
};
static const char *const zone_insert_extra[] = { ":event_id", ":seq", ":node" };
static const char *const task_select_extra[] = { ":rank" };
static const char *const kill_select_extra[] = { ":reap_state" };
static const char *const zone_select_extra[] = { ":node" };

#define N(a) ((int)ARRAY_SIZE(a))

/*
 * The statements list the hand-written columns first ("extras"), then a
 * column list, so every value has a fixed position and a row costs no name
 * lookups.  This checks those positions against the names, once per
 * statement: an INSERT's parameters, a SELECT's result columns.
 */
static int check_layout(struct q *q, const char *const *extra, int n_extra,
			const struct col *cols, int n_cols)
{
	int is_select;

	if (q->rc < 0 || q->st->cols_checked[q->id])
		return q->rc;
	is_select = sqlite3_column_count(q->s) > 0;
	for (int i = 0; i < n_extra + n_cols; i++) {
		const char *want, *got;

		want = i < n_extra ? extra[i] : cols[i - n_extra].param;
		if (is_select) {
			want++;		/* columns go without the colon */
			got = sqlite3_column_name(q->s, i);
		} else {
			got = sqlite3_bind_parameter_name(q->s, i + 1);
		}
		if (!got || strcmp(got, want))
			return q_fail(q, -EINVAL,
				      "%s: %s %d is %s, expected %s", q_name(q),
				      is_select ? "column" : "parameter", i,
				      got ? got : "missing", want);
	}
	q->st->cols_checked[q->id] = 1;
	return 0;
}

/* cols into parameters first, first + 1, ... */
static void bind_cols(struct q *q, int first, const struct col *cols,
		      int n, const void *obj, unsigned known)
{
	for (int i = 0; i < n; i++) {
		const struct col *c = &cols[i];
		const char *p = (const char *)obj + c->off;
		const char *str;

		if (c->known && !(known & c->known)) {
			/* NULL: q_end() cleared every binding, and a
			 * statement starts with none (a call per column of a
			 * hundred, most of them unknown) */
			continue;
		} else if (c->kind == COL_I64) {
			q_bind_i64_at(q, first + i, *(const int64_t *)p);
		} else if (c->kind == COL_U64) {
			/* same 64 bits, signed: exact both ways */
			q_bind_i64_at(q, first + i,
				      (int64_t)*(const uint64_t *)p);
		} else {
			str = *(char *const *)p;
			q_bind_textn_at(q, first + i, str,
					str ? strlen(str) : 0);
		}
	}
}

/* Result columns first, first + 1, ... into obj; a non-NULL column sets
 * its known bit. */
static void load_cols(sqlite3_stmt *s, int first, const struct col *cols,
		      int n, void *obj, unsigned *known)
{
	for (int i = 0; i < n; i++) {
		const struct col *c = &cols[i];
		char *p = (char *)obj + c->off;
		int k = first + i;

		if (sqlite3_column_type(s, k) == SQLITE_NULL)
			continue;
		if (c->kind == COL_I64)
			*(int64_t *)p = sqlite3_column_int64(s, k);
		else if (c->kind == COL_U64)
			*(uint64_t *)p = (uint64_t)sqlite3_column_int64(s, k);
		else
			*(char **)p = q_column_dup(s, k);
		*known |= c->known;
	}
}

/* Index of the named result column, or -1 (and q->rc set). */
/*
 * The memory columns follow the column list, in MEM_COLUMNS then
 * MEMCG_COLUMNS order, which is enum mem_field order then memcg_params[]
 * order.  Their positions are checked by name once per statement (like
 * check_layout()), so a row binds and loads them by position.  first is
 * the 0-based column, or the 1-based parameter, of the first of them.
 */
static int check_mem_layout(struct q *q, int first)
{
	int is_select;

	if (q->rc < 0 || q->st->mem_checked[q->id])
		return q->rc;
	is_select = sqlite3_column_count(q->s) > 0;
	for (int i = 0; i < MEM_FIELD_COUNT + 3 * MEMCG_COUNTER_COUNT; i++) {
		const char *want = i < MEM_FIELD_COUNT
					   ? mem_field_names[i]
					   : memcg_params[i - MEM_FIELD_COUNT] + 1;
		const char *got = is_select
					  ? sqlite3_column_name(q->s, first + i)
					  : sqlite3_bind_parameter_name(q->s, first + i);

		if (got && !is_select)
			got++;	/* ":name" */
		if (!got || strcmp(got, want))
			return q_fail(q, -EINVAL, "%s: memory column %d is %s, "
				      "expected %s", q_name(q), i,
				      got ? got : "missing", want);
	}
	q->st->mem_checked[q->id] = 1;
	return 0;
}

/* Insert r's row as id *ret_id, or (0) as a new id set in *ret_id. */
int store_insert_event(struct store *st, int64_t source_id,
			const struct oom_report *r, const struct diagnosis *d,
			uint64_t digest, int64_t *ret_id)
{
	struct q q;
	int first;

	q_start(&q, st, STMT_INSERT_EVENT);
	check_layout(&q, event_insert_extra, N(event_insert_extra), event_cols,
		     N(event_cols));
	if (*ret_id)
		q_bind_i64_at(&q, 1, *ret_id);
	else
		q_bind_null_at(&q, 1);
	q_bind_i64_at(&q, 2, source_id);
	q_bind_i64_at(&q, 3, r->flags);
	q_bind_i64_at(&q, 4, r->layout);
	q_bind_text_at(&q, 5, r->killer ? r->killer : KILLER_KERNEL);
	q_bind_text_at(&q, 6, oom_provenance_name(r->trust));
	q_bind_i64_at(&q, 7, (int64_t)digest);
	bind_cols(&q, N(event_insert_extra) + 1, event_cols, N(event_cols), r,
		  r->known);
	first = N(event_insert_extra) + N(event_cols) + 1;
	check_mem_layout(&q, first);
	for (int f = 0; f < MEM_FIELD_COUNT; f++) {
		if (mem_has(r, f))	/* else NULL, as in bind_cols() */
			q_bind_i64_at(&q, first + f, (int64_t)r->mem[f]);
	}
	first += MEM_FIELD_COUNT;
	for (int c = 0; c < MEMCG_COUNTER_COUNT; c++) {
		const struct memcg_usage *u = &r->memcg[c];
		uint64_t v[3] = { u->usage_kb, u->limit_kb, u->failcnt };

		for (int k = 0; k < 3 && u->known; k++)
			q_bind_i64_at(&q, first + 3 * c + k, (int64_t)v[k]);
	}
	store_bind_verdict(&q, first + 3 * MEMCG_COUNTER_COUNT, d);
	if (q_exec(&q) < 0)
		return q.rc;
	*ret_id = sqlite3_last_insert_rowid(st->db);
	if (!r->raw && !r->memcg_stats)
		return 0;
	q_start(&q, st, STMT_INSERT_EVENT_TEXT);
	q_bind_i64(&q, ":event_id", *ret_id);
	/* raw is NUL-free text; trust strlen() over a forgotten raw_len */
	if (r->raw)
		q_bind_textn_at(&q, 2, r->raw, r->raw_len ? r->raw_len
							  : strlen(r->raw));
	else
		q_bind_null(&q, ":raw");
	q_bind_text(&q, ":memcg_stats", r->memcg_stats);
	return q_exec(&q);
}

int store_insert_children(struct store *st, int64_t id,
			   const struct oom_report *r)
{
	struct q q;
	int rc = 0;

	for (size_t i = 0; i < r->n_tasks && rc >= 0; i++) {
		const struct oom_task *t = &r->tasks[i];

		q_start(&q, st, STMT_INSERT_TASK);
		check_layout(&q, task_insert_extra, N(task_insert_extra),
			     task_cols, N(task_cols));
		q_bind_i64_at(&q, 1, id);
		q_bind_i64_at(&q, 2, (int64_t)i);
		/* rank 0 is "not ranked": NULL, like the other unknowns */
		if (t->rank)
			q_bind_i64_at(&q, 3, t->rank);
		else
			q_bind_null_at(&q, 3);
		bind_cols(&q, N(task_insert_extra) + 1, task_cols,
			  N(task_cols), t, t->known);
		rc = q_exec(&q);
	}
	for (size_t i = 0; i < r->n_kills && rc >= 0; i++) {
		const struct oom_kill *k = &r->kills[i];
		const char *reap = NULL;

		if ((size_t)k->reap < ARRAY_SIZE(reap_names))
			reap = reap_names[k->reap];
		q_start(&q, st, STMT_INSERT_KILL);
		check_layout(&q, kill_insert_extra, N(kill_insert_extra),
			     kill_cols, N(kill_cols));
		q_bind_i64_at(&q, 1, id);
		q_bind_i64_at(&q, 2, (int64_t)i);
		q_bind_text_at(&q, 3, reap);
		/* copies of the event's, for the kill lookups (003) */
		if (r->known & RK_WALL)
			q_bind_i64_at(&q, 4, r->wall_us);
		else
			q_bind_null_at(&q, 4);
		q_bind_text_at(&q, 5, r->host);
		bind_cols(&q, N(kill_insert_extra) + 1, kill_cols,
			  N(kill_cols), k, k->known);
		rc = q_exec(&q);
	}
	for (size_t i = 0; i < r->n_zones && rc >= 0; i++) {
		const struct oom_zone *z = &r->zones[i];

		q_start(&q, st, STMT_INSERT_ZONE);
		check_layout(&q, zone_insert_extra, N(zone_insert_extra),
			     zone_cols, N(zone_cols));
		q_bind_i64_at(&q, 1, id);
		q_bind_i64_at(&q, 2, (int64_t)i);
		/* -1: the kernel printed no node */
		if (z->node >= 0)
			q_bind_i64_at(&q, 3, z->node);
		else
			q_bind_null_at(&q, 3);
		bind_cols(&q, N(zone_insert_extra) + 1, zone_cols,
			  N(zone_cols), z, z->known);
		rc = q_exec(&q);
	}
	return rc;
}

/* The verdict and origin columns of STMT_SELECT_EVENT_FULL from first
 * on: as store_load_verdict() and store_event_origin() read them. */
static void load_extra(sqlite3_stmt *s, int first, struct diagnosis *d,
		       struct store_event_extra *x)
{
	int path = first + 8;

	x->has_diagnosis = store_read_verdict(s, first, d) == 0;
	/* an event always has its input (a foreign key) */
	if (sqlite3_column_type(s, path) != SQLITE_NULL) {
		x->source = q_column_dup(s, path);
		x->ingested_us = sqlite3_column_int64(s, path + 1);
	}
}

/* Its events row, and with_text its event_text row too (raw,
 * memcg_stats), and when x is given its verdict into d and its origin:
 * the columns after the lists of STMT_SELECT_EVENT_FULL. */
static int load_event_row(struct store *st, int64_t id, int with_text,
			  struct oom_report *r, struct diagnosis *d,
			  struct store_event_extra *x)
{
	struct q q;
	int rc, i;

	q_start(&q, st, with_text ? STMT_SELECT_EVENT_FULL : STMT_SELECT_EVENT);
	q_bind_i64(&q, ":id", id);
	rc = q_step(&q);
	if (rc == 0)
		rc = q_fail(&q, -ENOENT, "no event %" PRId64, id);
	if (rc < 0)
		return q_end(&q);

	if (check_layout(&q, event_select_extra, N(event_select_extra),
			 event_cols, N(event_cols)) < 0)
		return q_end(&q);
	r->flags = (unsigned)sqlite3_column_int64(q.s, 0);
	r->layout = (enum task_layout)sqlite3_column_int(q.s, 1);
	{
		const char *k = (const char *)sqlite3_column_text(q.s, 2);

		r->killer = k && strcmp(k, KILLER_KERNEL) ? xstrdup(k) : NULL;
	}
	load_cols(q.s, N(event_select_extra), event_cols, N(event_cols), r,
		  &r->known);
	i = N(event_select_extra) + N(event_cols);
	if (check_mem_layout(&q, i) < 0)
		return q_end(&q);
	for (int f = 0; f < MEM_FIELD_COUNT; f++, i++)
		if (sqlite3_column_type(q.s, i) != SQLITE_NULL)
			mem_set(r, f, (uint64_t)sqlite3_column_int64(q.s, i));
	for (int c = 0; c < MEMCG_COUNTER_COUNT; c++) {
		struct memcg_usage *u = &r->memcg[c];
		uint64_t *v[3] = { &u->usage_kb, &u->limit_kb, &u->failcnt };

		for (int k = 0; k < 3; k++, i++) {
			if (sqlite3_column_type(q.s, i) == SQLITE_NULL)
				continue;
			*v[k] = (uint64_t)sqlite3_column_int64(q.s, i);
			u->known = 1;
		}
	}
	if (with_text) {
		/* q_column_dup(): NULL for SQL NULL */
		if ((r->raw = q_column_dup(q.s, i)))
			r->raw_len = strlen(r->raw);
		r->memcg_stats = q_column_dup(q.s, i + 1);
		if (x)
			load_extra(q.s, i + 2, d, x);
	}
	return q_end(&q);
}

static int load_children(struct store *st, int64_t id, unsigned parts,
			 struct oom_report *r)
{
	struct q q;

	if (!(parts & STORE_LOAD_TASKS))
		goto kills;
	q_start(&q, st, STMT_SELECT_TASKS);
	q_bind_i64(&q, ":event_id", id);
	check_layout(&q, task_select_extra, N(task_select_extra), task_cols,
		     N(task_cols));
	while (q_step(&q) > 0) {
		struct oom_task *t = oom_report_add_task(r);

		/* NULL (not ranked) reads as 0 */
		t->rank = sqlite3_column_int64(q.s, 0);
		load_cols(q.s, 1, task_cols, N(task_cols), t, &t->known);
	}
	if (q_end(&q) < 0)
		return q.rc;
kills:
	q_start(&q, st, STMT_SELECT_KILLS);
	q_bind_i64(&q, ":event_id", id);
	check_layout(&q, kill_select_extra, N(kill_select_extra), kill_cols,
		     N(kill_cols));
	while (q_step(&q) > 0) {
		struct oom_kill *k = oom_report_add_kill(r);
		const char *reap = (const char *)sqlite3_column_text(q.s, 0);

		k->reap = REAP_NONE;
		for (size_t j = 1; reap && j < ARRAY_SIZE(reap_names); j++)
			if (!strcmp(reap, reap_names[j]))
				k->reap = (enum reap_state)j;
		load_cols(q.s, 1, kill_cols, N(kill_cols), k, &k->known);
	}
	if (q_end(&q) < 0 || !(parts & STORE_LOAD_ZONES))
		return q.rc;

	q_start(&q, st, STMT_SELECT_ZONES);
	q_bind_i64(&q, ":event_id", id);
	check_layout(&q, zone_select_extra, N(zone_select_extra), zone_cols,
		     N(zone_cols));
	while (q_step(&q) > 0) {
		struct oom_zone *z = oom_report_add_zone(r);

		if (sqlite3_column_type(q.s, 0) != SQLITE_NULL)
			z->node = sqlite3_column_int64(q.s, 0);
		load_cols(q.s, 1, zone_cols, N(zone_cols), z, &z->known);
	}
	return q_end(&q);
}

int store_load_event(struct store *st, int64_t id, struct oom_report **ret)
{
	return store_load_event_parts(st, id, STORE_LOAD_ALL, ret);
}

int store_load_event_parts(struct store *st, int64_t id, unsigned parts,
			   struct oom_report **ret)
{
	struct oom_report *r = oom_report_new();
	int rc;

	*ret = NULL;
	rc = load_event_row(st, id, (parts & STORE_LOAD_TEXT) != 0, r, NULL,
			    NULL);
	if (rc >= 0)
		rc = load_children(st, id, parts, r);
	if (rc < 0) {
		oom_report_free(r);
		return rc;
	}
	*ret = r;
	return 0;
}

int store_load_event_extra(struct store *st, int64_t id,
			   struct oom_report **ret, struct diagnosis *d,
			   struct store_event_extra *x)
{
	struct oom_report *r = oom_report_new();
	int rc;

	*ret = NULL;
	memset(x, 0, sizeof(*x));
	rc = load_event_row(st, id, 1, r, d, x);
	if (rc >= 0)
		rc = load_children(st, id, STORE_LOAD_ALL, r);
	if (rc < 0) {
		oom_report_free(r);
		store_event_extra_release(x);
		return rc;
	}
	*ret = r;
	return 0;
}

void store_event_extra_release(struct store_event_extra *x)
{
	free(x->source);
	x->source = NULL;
}

int store_event_origin(struct store *st, int64_t id, char **ret_path,
		       int64_t *ret_ingested_us)
{
	struct q q;
	int rc;

	*ret_path = NULL;
	if (ret_ingested_us)
		*ret_ingested_us = 0;
	q_start(&q, st, STMT_EVENT_SOURCE);
	q_bind_i64(&q, ":id", id);
	rc = q_step(&q);
	if (rc == 0) {
		q_fail(&q, -ENOENT, "no event %" PRId64, id);
	} else if (rc > 0) {
		*ret_path = q_column_dup(q.s, 0);
		if (ret_ingested_us)
			*ret_ingested_us = sqlite3_column_int64(q.s, 1);
	}
	return q_end(&q);
}

int store_event_source(struct store *st, int64_t id, char **ret_path)
{
	return store_event_origin(st, id, ret_path, NULL);
}
