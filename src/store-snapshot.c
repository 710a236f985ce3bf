/* store-snapshot.c: the SQL of live snapshots (see snapshot.h). */
#include <errno.h>
#include <string.h>

#include "badness.h"
#include "oom.h"
#include "store-int.h"

static void bind_opt_i64(struct q *q, const char *param, int known, int64_t v)
{
	if (known)
		q_bind_i64(q, param, v);
	else
		q_bind_null(q, param);
}

int store_save_snapshot(struct store *st, const struct oom_report *r,
			char *const *cgroups, const int64_t *kernel_scores,
			const unsigned char *has_kernel_score, int64_t *ret_id)
{
	struct q q;
	int64_t id;
	int rc;

	rc = store_begin(st);
	if (rc < 0)
		return rc;
	q_start(&q, st, STMT_INSERT_SNAPSHOT);
	q_bind_text(&q, ":host", r->host);
	q_bind_i64(&q, ":wall", r->wall_us);
	q_bind_text(&q, ":release", r->kernel_release);
	bind_opt_i64(&q, ":total", r->known & RK_TOTALPAGES,
		     (int64_t)r->totalpages);
	bind_opt_i64(&q, ":page_kb", mem_has(r, MEM_PAGE_SIZE_KB),
		     (int64_t)r->mem[MEM_PAGE_SIZE_KB]);
	bind_opt_i64(&q, ":ram", mem_has(r, MEM_RAM_PAGES),
		     (int64_t)r->mem[MEM_RAM_PAGES]);
	bind_opt_i64(&q, ":swap", mem_has(r, MEM_TOTAL_SWAP_KB),
		     (int64_t)r->mem[MEM_TOTAL_SWAP_KB]);
	bind_opt_i64(&q, ":swap_free", mem_has(r, MEM_FREE_SWAP_KB),
		     (int64_t)r->mem[MEM_FREE_SWAP_KB]);
	rc = q_exec(&q);
	id = sqlite3_last_insert_rowid(st->db);
	for (size_t i = 0; i < r->n_tasks && rc >= 0; i++) {
		const struct oom_task *t = &r->tasks[i];
		int pts = (t->known & TASK_POINTS) != 0;

		q_start(&q, st, STMT_INSERT_SNAPSHOT_TASK);
		q_bind_i64(&q, ":id", id);
		q_bind_i64(&q, ":pid", t->pid);
		q_bind_text(&q, ":name", t->name);
		q_bind_i64(&q, ":usage", (int64_t)badness_usage(r, t));
		q_bind_i64(&q, ":rss", (int64_t)t->rss);
		bind_opt_i64(&q, ":swap", t->known & TASK_SWAPENTS,
			     (int64_t)t->swapents);
		bind_opt_i64(&q, ":pgtables", t->known & TASK_PGTABLES,
			     (int64_t)t->pgtables_bytes);
		bind_opt_i64(&q, ":adj", t->known & TASK_ADJ, t->oom_score_adj);
		bind_opt_i64(&q, ":points", pts, t->points);
		bind_opt_i64(&q, ":rank", pts, t->rank);
		bind_opt_i64(&q, ":score", t->known & TASK_OOM_SCORE,
			     t->oom_score);
		bind_opt_i64(&q, ":kscore", has_kernel_score && has_kernel_score[i],
			     kernel_scores ? kernel_scores[i] : 0);
		q_bind_text(&q, ":cgroup", cgroups ? cgroups[i] : NULL);
		rc = q_exec(&q);
	}
	if (rc < 0) {
		store_rollback(st);
		return rc;
	}
	rc = store_commit(st);
	if (rc >= 0 && ret_id)
		*ret_id = id;
	return rc;
}

int store_last_snapshot(struct store *st, const char *host, int64_t before_us,
			int64_t *ret_id, int64_t *ret_wall_us,
			uint64_t *ret_page_kb)
{
	struct q q;
	int rc;

	q_start(&q, st, STMT_LAST_SNAPSHOT);
	q_bind_text(&q, ":host", host);
	q_bind_i64(&q, ":before", before_us);
	rc = q_step(&q);
	if (rc > 0) {
		*ret_id = sqlite3_column_int64(q.s, 0);
		*ret_wall_us = sqlite3_column_int64(q.s, 1);
		*ret_page_kb = (uint64_t)sqlite3_column_int64(q.s, 2);
	}
	if (q_end(&q) < 0)
		return q.rc;
	return rc > 0 ? 0 : -ENOENT;
}

int store_snapshot_usage(struct store *st, int64_t id,
			 void (*fn)(void *ctx, const char *name, int64_t kb),
			 void *ctx)
{
	struct q q;

	q_start(&q, st, STMT_SNAPSHOT_USAGE);
	q_bind_i64(&q, ":id", id);
	while (q_step(&q) > 0)
		fn(ctx, (const char *)sqlite3_column_text(q.s, 0),
		   sqlite3_column_int64(q.s, 1));
	return q_end(&q);
}
