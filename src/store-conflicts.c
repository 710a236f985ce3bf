/* store-conflicts.c: what another copy of an OOM said that the kept copy
 * does not (schema/010-copy-conflicts.sql). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oom.h"
#include "store-int.h"
#include "store.h"
#include "xalloc.h"

/* Differences recorded one by one; past them, one 'more' row counts. */
#define CONFLICTS_RECORDED 16

static int insert_conflict(struct store *st, int64_t event_id,
			   const struct conflict_origin *o, const char *fact,
			   const char *kept, const char *other)
{
	struct q q;

	q_start(&q, st, STMT_INSERT_CONFLICT);
	q_bind_i64(&q, ":event_id", event_id);
	if (o->source_id)
		q_bind_i64(&q, ":source_id", o->source_id);
	else
		q_bind_null(&q, ":source_id");
	q_bind_i64(&q, ":first_line", (int64_t)o->first_line);
	q_bind_text(&q, ":provenance", oom_provenance_name(o->trust));
	q_bind_text(&q, ":fact", fact);
	q_bind_text(&q, ":kept", kept);
	q_bind_text(&q, ":other", other);
	return q_exec(&q);
}

int store_record_conflicts(struct store *st, int64_t event_id,
			   const struct oom_report *kept,
			   const struct oom_report *other,
			   const struct conflict_origin *o)
{
	struct copy_difference d[CONFLICTS_RECORDED];
	size_t n = oom_copies_diff(kept, other, d, CONFLICTS_RECORDED);
	int rc = 0;

	for (size_t i = 0; i < n && i < CONFLICTS_RECORDED && rc >= 0; i++)
		rc = insert_conflict(st, event_id, o, d[i].fact, d[i].kept,
				     d[i].other);
	if (rc >= 0 && n > CONFLICTS_RECORDED) {
		char more[64];

		snprintf(more, sizeof(more), "%zu more differences",
			 n - CONFLICTS_RECORDED);
		rc = insert_conflict(st, event_id, o, "more", "", more);
	}
	return rc < 0 ? rc : n > 0;
}

int store_event_conflicts(struct store *st, int64_t id,
			  struct copy_conflict **ret, size_t *ret_n)
{
	struct copy_conflict *c = NULL;
	size_t n = 0, cap = 0;
	struct q q;

	q_start(&q, st, STMT_SELECT_CONFLICTS);
	q_bind_i64(&q, ":id", id);
	while (q_step(&q) > 0) {
		struct copy_conflict *x;

		c = xgrow(c, &cap, n + 1, sizeof(*c));
		x = &c[n++];
		x->path = q_column_dup(q.s, 0);
		x->first_line = sqlite3_column_int64(q.s, 1);
		x->provenance = q_column_dup(q.s, 2);
		x->fact = q_column_dup(q.s, 3);
		x->kept = q_column_dup(q.s, 4);
		x->other = q_column_dup(q.s, 5);
	}
	if (q_end(&q) < 0) {
		copy_conflicts_free(c, n);
		return q.rc;
	}
	*ret = c;
	*ret_n = n;
	return 0;
}

void copy_conflicts_free(struct copy_conflict *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].path);
		free(c[i].provenance);
		free(c[i].fact);
		free(c[i].kept);
		free(c[i].other);
	}
	free(c);
}
