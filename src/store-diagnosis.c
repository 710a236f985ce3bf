/*
 * store-diagnosis.c: an event's diagnosis (diagnosis.h) in and out of the
 * events table's diag_* and culprit_* columns and the advice table (008).
 *
 * Kinds are stored by name (diag_kind_names[], culprit_kind_names[]): the
 * names are the interface, the enum's order is not.  What the struct
 * holds as fixed arrays is stored trimmed at its first NUL; an empty
 * string is NULL, and NULL loads as "".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "diagnosis.h"
#include "store-int.h"
#include "xalloc.h"

/* A fixed char array of the struct: up to its first NUL, "" as NULL. */
static void bind_chars(struct q *q, const char *param, const char *s,
		       size_t size)
{
	size_t n = strnlen(s, size);

	if (n)
		q_bind_textn(q, param, s, n);
	else
		q_bind_null(q, param);
}

/* The parameters store_bind_verdict() binds, in order. */
static const char *const verdict_params[] = {
	":kind", ":also", ":culprit_kind", ":culprit_name", ":culprit_pid",
	":culprit_tasks", ":culprit_private_kb", ":culprit_estimated",
};

/* The index of verdict parameter k: by name, or at first + k (checked
 * against the names once per statement: a lookup by name scans every
 * parameter of the insert, and it has a hundred). */
static int verdict_at(struct q *q, int first, int k)
{
	if (!first)
		return sqlite3_bind_parameter_index(q->s, verdict_params[k]);
	if (!q->st->verdict_checked[q->id]) {
		for (size_t i = 0; i < ARRAY_SIZE(verdict_params); i++) {
			const char *got = sqlite3_bind_parameter_name(
				q->s, first + (int)i);

			if (!got || strcmp(got, verdict_params[i])) {
				q_fail(q, -EINVAL, "%s: parameter %d is %s, "
				       "expected %s", q_name(q), first + (int)i,
				       got ? got : "missing", verdict_params[i]);
				return 0;
			}
		}
		q->st->verdict_checked[q->id] = 1;
	}
	return first + k;
}

/* A fixed char array of the struct at parameter i: up to its first NUL,
 * "" as NULL. */
static void bind_chars_at(struct q *q, int i, const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	if (n)
		q_bind_textn_at(q, i, s, n);
	else
		q_bind_null_at(q, i);
}

void store_bind_verdict(struct q *q, int first, const struct diagnosis *d)
{
	const struct diag_culprit *c;
	char also[DIAG_MAX_ALSO * 24];
	int at[ARRAY_SIZE(verdict_params)];

	for (size_t k = 0; k < ARRAY_SIZE(at); k++)
		if (!(at[k] = verdict_at(q, first, (int)k)) && q->rc >= 0)
			q_fail(q, -EINVAL, "%s: no parameter %s", q_name(q),
			       verdict_params[k]);
	if (!d) {
		/* not diagnosed (a userspace kill) */
		for (size_t k = 0; k < ARRAY_SIZE(at); k++)
			q_bind_null_at(q, at[k]);
		return;
	}
	c = &d->culprit;
	diag_also_string(d, also, sizeof(also));
	q_bind_text_at(q, at[0], diag_kind_name(d->kind));
	/* known to be empty: '', not NULL (which is "not diagnosed");
	 * copied, as also is gone before the step */
	q_bind_text_copy_at(q, at[1], also);
	q_bind_text_at(q, at[2], culprit_kind_name(c->kind));
	bind_chars_at(q, at[3], c->name, sizeof(c->name));
	if (c->kind == CULPRIT_TASK)
		q_bind_i64_at(q, at[4], c->pid);
	else
		q_bind_null_at(q, at[4]);
	if (c->kind == CULPRIT_TASKS)
		q_bind_i64_at(q, at[5], c->tasks);
	else
		q_bind_null_at(q, at[5]);
	if (c->has_private) {
		q_bind_i64_at(q, at[6], (int64_t)c->private_kb);
		q_bind_i64_at(q, at[7], c->private_estimated != 0);
	} else {
		q_bind_null_at(q, at[6]);
		q_bind_null_at(q, at[7]);
	}
}

static int save_columns(struct store *st, int64_t id,
			const struct diagnosis *d)
{
	struct q q;

	q_start(&q, st, STMT_SET_DIAGNOSIS);
	q_bind_i64(&q, ":id", id);
	store_bind_verdict(&q, 0, d);
	return q_exec(&q);
}

static int save_advice(struct store *st, int64_t id,
		       const struct diagnosis *d)
{
	int rc = 0;

	for (size_t i = 0; i < d->n_advice && i < DIAG_MAX_ADVICE && rc >= 0;
	     i++) {
		const struct diag_advice *a = &d->advice[i];
		struct q q;

		q_start(&q, st, STMT_INSERT_ADVICE);
		q_bind_i64(&q, ":event_id", id);
		q_bind_i64(&q, ":seq", (int64_t)i);
		/* NOT NULL: a setting without a name is still one */
		q_bind_textn(&q, ":setting", a->setting,
			     strnlen(a->setting, sizeof(a->setting)));
		bind_chars(&q, ":target", a->target, sizeof(a->target));
		bind_chars(&q, ":value", a->value, sizeof(a->value));
		bind_chars(&q, ":why", a->why, sizeof(a->why));
		rc = q_exec(&q);
	}
	return rc;
}

int store_insert_advice(struct store *st, int64_t id,
			const struct diagnosis *d)
{
	return d ? save_advice(st, id, d) : 0;
}

int store_set_diagnosis(struct store *st, int64_t id,
			const struct diagnosis *d)
{
	struct q q;
	int rc;

	rc = stmt_exec(st, STMT_SAVEPOINT);
	if (rc < 0)
		return rc;
	q_start(&q, st, STMT_DELETE_ADVICE);
	q_bind_i64(&q, ":event_id", id);
	rc = q_exec(&q);
	if (rc >= 0)
		rc = save_columns(st, id, d);
	if (rc >= 0)
		rc = store_insert_advice(st, id, d);
	return savepoint_end(st, rc);
}

/* Column i into a fixed char array, "" for NULL, cut to fit. */
static void column_chars(sqlite3_stmt *s, int i, char *dst, size_t size)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	size_t n = t ? (size_t)sqlite3_column_bytes(s, i) : 0;

	if (n >= size)
		n = size - 1;
	memcpy(dst, t ? (const char *)t : "", n);
	dst[n] = '\0';
}

/* "a,b,c" into d->also, names this build does not know skipped. */
static void parse_also(const char *list, struct diagnosis *d)
{
	char name[64];

	while (list && *list && d->n_also < DIAG_MAX_ALSO) {
		size_t n = strcspn(list, ",");
		enum diag_kind k;

		if (n < sizeof(name)) {
			memcpy(name, list, n);
			name[n] = '\0';
			k = diag_kind_from_name(name);
			if (k != DIAG_NONE)
				d->also[d->n_also++] = k;
		}
		list += n + (list[n] == ',');
	}
}

int store_read_verdict(sqlite3_stmt *s, int first, struct diagnosis *d)
{
	struct diag_culprit *c = &d->culprit;
	int i = first;

	memset(d, 0, sizeof(*d));
	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return -ENOENT;	/* not diagnosed: no message, not an error */
	d->kind = diag_kind_from_name((const char *)sqlite3_column_text(s, i));
	parse_also((const char *)sqlite3_column_text(s, i + 1), d);
	c->kind = culprit_kind_from_name((const char *)sqlite3_column_text(s, i + 2));
	column_chars(s, i + 3, c->name, sizeof(c->name));
	c->pid = sqlite3_column_int64(s, i + 4);	/* NULL reads 0 */
	c->tasks = sqlite3_column_int64(s, i + 5);
	c->has_private = sqlite3_column_type(s, i + 6) != SQLITE_NULL;
	c->private_kb = (uint64_t)sqlite3_column_int64(s, i + 6);
	c->private_estimated = sqlite3_column_int(s, i + 7) != 0;
	return 0;
}

int store_load_verdict(struct store *st, int64_t id, struct diagnosis *d)
{
	struct q q;
	int rc;

	memset(d, 0, sizeof(*d));
	q_start(&q, st, STMT_SELECT_DIAGNOSIS);
	q_bind_i64(&q, ":id", id);
	rc = q_step(&q);
	if (rc == 0)
		q_fail(&q, -ENOENT, "no event %" PRId64, id);
	if (rc <= 0)
		return q_end(&q);
	rc = store_read_verdict(q.s, 0, d);
	if (q_end(&q) < 0)
		return q.rc;
	return rc;
}

int store_load_diagnosis(struct store *st, int64_t id, struct diagnosis *d)
{
	struct q q;
	int rc = store_load_verdict(st, id, d);

	if (rc < 0)
		return rc;
	q_start(&q, st, STMT_SELECT_ADVICE);
	q_bind_i64(&q, ":event_id", id);
	while (q_step(&q) > 0 && d->n_advice < DIAG_MAX_ADVICE) {
		struct diag_advice *a = &d->advice[d->n_advice++];

		column_chars(q.s, 0, a->setting, sizeof(a->setting));
		column_chars(q.s, 1, a->target, sizeof(a->target));
		column_chars(q.s, 2, a->value, sizeof(a->value));
		column_chars(q.s, 3, a->why, sizeof(a->why));
	}
	return q_end(&q);
}

int store_undiagnosed_ids(struct store *st, int64_t **ret_ids, size_t *ret_n)
{
	int64_t *ids = NULL;
	size_t n = 0, alloc = 0;
	struct q q;

	*ret_ids = NULL;
	*ret_n = 0;
	q_start(&q, st, STMT_UNDIAGNOSED);
	while (q_step(&q) > 0) {
		ids = xgrow(ids, &alloc, n + 1, sizeof(*ids));
		ids[n++] = sqlite3_column_int64(q.s, 0);
	}
	if (q_end(&q) < 0) {
		free(ids);
		return q.rc;
	}
	*ret_ids = ids;
	*ret_n = n;
	return 0;
}
