/* store-query.c: the questions asked of stored events (why, why-not, top). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "oom.h"
#include "store-int.h"
#include "xalloc.h"

/* A match names a task by comm or by pid (the statement's key). */
static void bind_match(struct q *q, const struct store_match *m)
{
	if (m->has_pid)
		q_bind_i64(q, ":pid", m->pid);
	else
		q_bind_text(q, ":name", m->name);
	q_bind_text(q, ":host", m->host);
	if (m->has_event)
		q_bind_i64(q, ":event", m->event_id);
	else
		q_bind_null(q, ":event");
}

/* The first column of every row as ids. */
static int collect_ids(struct q *q, int64_t **ret_ids, size_t *ret_n)
{
	int64_t *ids = NULL;
	size_t n = 0, alloc = 0;

	while (q_step(q) > 0) {
		ids = xgrow(ids, &alloc, n + 1, sizeof(*ids));
		ids[n++] = sqlite3_column_int64(q->s, 0);
	}
	if (q_end(q) < 0) {
		free(ids);
		return q->rc;
	}
	*ret_ids = ids;
	*ret_n = n;
	return 0;
}

void q_bind_filter(struct q *q, const struct event_filter *f)
{
	q_bind_text(q, ":host", f ? f->host : NULL);
	if (f && f->has_since)
		q_bind_i64(q, ":since", f->since_us);
	else
		q_bind_null(q, ":since");
	if (f && f->has_until)
		q_bind_i64(q, ":until", f->until_us);
	else
		q_bind_null(q, ":until");
	q_bind_text(q, ":boot", f ? f->boot_id : NULL);
	if (f && f->has_boot_offset)
		q_bind_i64(q, ":boot_n", f->boot_offset);
	else
		q_bind_null(q, ":boot_n");
}

int store_event_ids(struct store *st, const struct event_filter *f,
		    int64_t **ret_ids, size_t *ret_n)
{
	struct q q;
	int rc;

	*ret_ids = NULL;
	*ret_n = 0;
	q_start(&q, st, STMT_EVENT_IDS);
	q_bind_filter(&q, f);
	q_bind_i64(&q, ":min_trust", f && f->trusted ? PROV_KMSG : 0);
	rc = collect_ids(&q, ret_ids, ret_n);
	if (rc < 0)
		return rc;
	if (f && f->last && *ret_n > f->last) {	/* the newest: the last */
		memmove(*ret_ids, *ret_ids + (*ret_n - f->last),
			f->last * sizeof(**ret_ids));
		*ret_n = f->last;
	}
	for (size_t i = 0; f && f->reverse && i < *ret_n / 2; i++) {
		int64_t t = (*ret_ids)[i];

		(*ret_ids)[i] = (*ret_ids)[*ret_n - 1 - i];
		(*ret_ids)[*ret_n - 1 - i] = t;
	}
	return 0;
}

static int find(struct store *st, enum stmt_id id, const struct store_match *m,
		int64_t **ret_ids, size_t *ret_n)
{
	struct q q;

	*ret_ids = NULL;
	*ret_n = 0;
	q_start(&q, st, id);
	bind_match(&q, m);
	return collect_ids(&q, ret_ids, ret_n);
}

int store_find_kills(struct store *st, const struct store_match *m,
		     size_t limit, int64_t **ret_ids, size_t *ret_n,
		     size_t *ret_total)
{
	struct q q;
	int64_t *ids;
	size_t n, k = 0;
	int rc;

	*ret_ids = NULL;
	*ret_n = *ret_total = 0;
	q_start(&q, st, m->has_pid ? STMT_FIND_KILLS_PID : STMT_FIND_KILLS_NAME);
	bind_match(&q, m);
	/* a group kill may name the task twice: ask for room to drop them */
	q_bind_i64(&q, ":limit", limit ? (int64_t)limit * 2 + 8 : -1);
	rc = collect_ids(&q, &ids, &n);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n && (!limit || k < limit); i++) {
		size_t j;

		for (j = 0; j < k && ids[j] != ids[i]; j++)
			;
		if (j == k)
			ids[k++] = ids[i];
	}
	*ret_ids = ids;
	*ret_n = k;

	q_start(&q, st, m->has_pid ? STMT_COUNT_KILLS_PID : STMT_COUNT_KILLS_NAME);
	bind_match(&q, m);
	if (q_step(&q) > 0)
		*ret_total = (size_t)sqlite3_column_int64(q.s, 0);
	return q_end(&q);
}

int store_find_survivors(struct store *st, const struct store_match *m,
			 int64_t **ret_ids, size_t *ret_n)
{
	return find(st, m->has_pid ? STMT_FIND_SURVIVORS_PID
				   : STMT_FIND_SURVIVORS_NAME, m, ret_ids, ret_n);
}

int store_prev_event(struct store *st, const char *host, int64_t wall_us,
		     int64_t id, int64_t *ret_id)
{
	struct q q;
	int rc;

	q_start(&q, st, STMT_PREV_EVENT);
	q_bind_text(&q, ":host", host);
	q_bind_i64(&q, ":wall", wall_us);
	q_bind_i64(&q, ":id", id);
	rc = q_step(&q);
	if (rc > 0)
		*ret_id = sqlite3_column_int64(q.s, 0);
	if (q_end(&q) < 0)
		return q.rc;
	return rc > 0 ? 0 : -ENOENT;
}

int store_top(struct store *st, enum store_top_by by,
	      const struct event_filter *f, struct store_top_row **ret_rows,
	      size_t *ret_n)
{
	static const enum stmt_id stmt[] = {
		[TOP_BY_VICTIM] = STMT_TOP_VICTIM,
		[TOP_BY_CULPRIT] = STMT_TOP_CULPRIT,
		[TOP_BY_HOST] = STMT_TOP_HOST,
		[TOP_BY_MEMCG] = STMT_TOP_MEMCG,
		[TOP_BY_CAUSE] = STMT_TOP_CAUSE,
	};
	struct store_top_row *rows = NULL;
	size_t n = 0, alloc = 0;
	struct q q;

	*ret_rows = NULL;
	*ret_n = 0;
	q_start(&q, st, stmt[by]);
	q_bind_filter(&q, f);
	while (q_step(&q) > 0) {
		struct store_top_row *row;

		rows = xgrow(rows, &alloc, n + 1, sizeof(*rows));
		row = &rows[n++];
		row->key = q_column_dup(q.s, 0);
		row->count = sqlite3_column_int64(q.s, 1);
		row->has_last = sqlite3_column_type(q.s, 2) != SQLITE_NULL;
		row->last_us = sqlite3_column_int64(q.s, 2);
	}
	if (q_end(&q) < 0) {
		store_top_free(rows, n);
		return q.rc;
	}
	*ret_rows = rows;
	*ret_n = n;
	return 0;
}

void store_top_free(struct store_top_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(rows[i].key);
	free(rows);
}

int store_get_resume(struct store *st, const char *key,
		     struct resume_point *rp)
{
	struct q q;
	int rc;

	memset(rp, 0, sizeof(*rp));
	q_start(&q, st, STMT_GET_RESUME);
	q_bind_text(&q, ":key", key);
	rc = q_step(&q);
	if (rc > 0) {
		rp->cursor = q_column_dup(q.s, 0);
		rp->has_offset = sqlite3_column_type(q.s, 1) != SQLITE_NULL;
		rp->offset = sqlite3_column_int64(q.s, 1);
		rp->fingerprint = q_column_dup(q.s, 2);
	}
	if (q_end(&q) < 0) {
		store_resume_release(rp);
		return q.rc;
	}
	return rc > 0 ? 0 : -ENOENT;
}

int store_set_resume(struct store *st, const char *key,
		     const struct resume_point *rp)
{
	struct timespec ts;
	struct q q;

	clock_gettime(CLOCK_REALTIME, &ts);
	q_start(&q, st, STMT_SET_RESUME);
	q_bind_text(&q, ":key", key);
	q_bind_text(&q, ":cursor", rp->cursor);
	if (rp->has_offset)
		q_bind_i64(&q, ":offset", rp->offset);
	else
		q_bind_null(&q, ":offset");
	q_bind_text(&q, ":fingerprint", rp->fingerprint);
	q_bind_i64(&q, ":now", (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
	return q_exec(&q);
}

void store_resume_release(struct resume_point *rp)
{
	free(rp->cursor);
	free(rp->fingerprint);
	memset(rp, 0, sizeof(*rp));
}
