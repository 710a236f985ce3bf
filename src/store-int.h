/*
 * store-int.h: what src/store*.c share and nobody else sees: the store
 * itself, the statement table's enum, the sticky-error statement helpers
 * and the column lists of the report tables.
 *
 * The column lists are X-macros so that one list gives both the SQL text
 * (compile-time string literals in store.c) and the C descriptors that
 * bind and load them (store-events.c): a column cannot be in one and
 * missing from the other.
 */
#ifndef OOMLENS_STORE_INT_H
#define OOMLENS_STORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "store.h"

struct diagnosis;

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

enum stmt_id {
	STMT_BEGIN,
	STMT_BEGIN_READ,
	STMT_COMMIT,
	STMT_ROLLBACK,
	STMT_SAVEPOINT,
	STMT_RELEASE,
	STMT_ROLLBACK_TO,
	STMT_FOREIGN_KEYS,
	STMT_SYNC_NORMAL,
	STMT_TEMP_MEMORY,
	STMT_JOURNAL_WAL,
	STMT_GET_APP_ID,
	STMT_SET_APP_ID,
	STMT_GET_USER_VERSION,
	STMT_COUNT_SCHEMA,
	STMT_INSERT_SOURCE,
	STMT_INSERT_EVENT,
	STMT_INSERT_EVENT_TEXT,
	STMT_INSERT_TASK,
	STMT_INSERT_KILL,
	STMT_INSERT_ZONE,
	STMT_SELECT_EVENT,
	STMT_SELECT_EVENT_FULL,
	STMT_SELECT_TASKS,
	STMT_SELECT_KILLS,
	STMT_SELECT_ZONES,
	STMT_EVENT_IDS,
	STMT_EVENT_SOURCE,
	STMT_FIND_KILLS_NAME,
	STMT_FIND_KILLS_PID,
	STMT_COUNT_KILLS_NAME,
	STMT_COUNT_KILLS_PID,
	STMT_FIND_SURVIVORS_NAME,
	STMT_FIND_SURVIVORS_PID,
	STMT_PREV_EVENT,
	STMT_TOP_VICTIM,
	STMT_TOP_CULPRIT,
	STMT_TOP_HOST,
	STMT_TOP_MEMCG,
	STMT_TOP_CAUSE,
	STMT_SET_DIAGNOSIS,
	STMT_DELETE_ADVICE,
	STMT_INSERT_ADVICE,
	STMT_SELECT_DIAGNOSIS,
	STMT_SELECT_ADVICE,
	STMT_UNDIAGNOSED,
	STMT_GET_RESUME,
	STMT_FIND_COPY_KTIME,
	STMT_FIND_COPY_WALL,
	STMT_INSERT_CONFLICT,
	STMT_SELECT_CONFLICTS,
	STMT_INSERT_EVENT_SOURCE,
	STMT_DEFER_FOREIGN_KEYS,
	STMT_PARK_SOURCES,
	STMT_PARK_CONFLICTS,
	STMT_PARK_ACTIONS,
	STMT_DELETE_EVENT,
	STMT_FILL_COPY,
	STMT_SOURCE_SEEN,
	STMT_FLAG_EVENT,
	STMT_INSERT_SNAPSHOT,
	STMT_INSERT_SNAPSHOT_TASK,
	STMT_LAST_SNAPSHOT,
	STMT_SNAPSHOT_USAGE,
	STMT_SET_RESUME,
	STMT_FIND_ACTION_COPY,
	STMT_INSERT_ACTION,
	STMT_SET_ACTION_EVENT,
	STMT_UNLINKED_ACTIONS,
	STMT_ACTION_LINK,
	STMT_SELECT_ACTIONS,
	STMT_EVENT_ACTIONS,
	STMT_COUNT
};

/* One statement's SQL and its name in messages ("insert event: ..."). */
struct store_stmt_def {
	const char *name;
	const char *sql;
};
extern const struct store_stmt_def store_stmt_sql[STMT_COUNT];

struct store {
	sqlite3 *db;
	char *path;
	enum store_mode mode;
	/* prepared on first use, finalized by store_close() */
	sqlite3_stmt *stmt[STMT_COUNT];
	/* its column list was checked against the names (store-events.c) */
	unsigned char cols_checked[STMT_COUNT];
	/* its memory columns were checked (store-events.c) */
	unsigned char mem_checked[STMT_COUNT];
	/* its diagnosis' columns were checked (store-diagnosis.c) */
	unsigned char verdict_checked[STMT_COUNT];
	char *err;		/* last message; NULL when none */
};

/*
 * One statement in use, with a sticky error code (after the sqlite3
 * shell): once a call fails, the later ones do nothing, so a run of binds
 * and a step need one check at the end.  The first failure's message is
 * kept, naming the statement.
 *
 *	struct q q;
 *	q_start(&q, st, STMT_INSERT_SOURCE);
 *	q_bind_text(&q, ":path", path);
 *	return q_exec(&q);	(step, reset, clear bindings)
 *
 * Parameters are bound by name: a name the statement lacks is an error,
 * not a silent NULL.  The column lists below are the exception: they go
 * by position, checked against the names once per statement.
 */
struct q {
	struct store *st;
	enum stmt_id id;
	sqlite3_stmt *s;
	int rc;			/* 0, or the first error (< 0) */
};

/* Column i of s's row as a string of its own (all its bytes), or NULL
 * for SQL NULL. */
char *q_column_dup(sqlite3_stmt *s, int i);

/* Prepare id on first use; returns q->rc. */
int q_start(struct q *q, struct store *st, enum stmt_id id);
void q_bind_null(struct q *q, const char *param);
void q_bind_i64(struct q *q, const char *param, int64_t v);
/* Stored as the same 64 bits, signed: exact both ways, and every real
 * counter is far below 2^63. */
void q_bind_u64(struct q *q, const char *param, uint64_t v);
/* NULL binds SQL NULL. */
void q_bind_text(struct q *q, const char *param, const char *s);
/* A copy of s at parameter i, for a string that does not outlive the
 * step. */
void q_bind_text_copy_at(struct q *q, int i, const char *s);
/* The first n bytes of s (which need no NUL). */
void q_bind_textn(struct q *q, const char *param, const char *s, size_t n);
/* By 1-based position, for the column lists only (see store-events.c). */
void q_bind_null_at(struct q *q, int i);
void q_bind_i64_at(struct q *q, int i, int64_t v);
void q_bind_textn_at(struct q *q, int i, const char *s, size_t n);
/* NULL binds NULL. */
void q_bind_text_at(struct q *q, int i, const char *s);
/* 1: a row is ready; 0: done; < 0: error (q->rc). */
int q_step(struct q *q);
/* Reset and clear the bindings, so the statement holds no lock and no
 * stale value; returns q->rc. */
int q_end(struct q *q);
/* Step to completion (no row expected), then q_end(). */
int q_exec(struct q *q);
/* A note of a caller-detected failure on this statement. */
int q_fail(struct q *q, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The statement's name for messages: "insert event". */
const char *q_name(const struct q *q);
/* The diagnosis' columns (:kind, :also, :culprit_*) of q, NULL when d
 * is NULL: by name (first 0), or at parameters first, first + 1, ...
 * (checked against the names once per statement).  Its advice rows
 * under the new event id, inside the caller's transaction
 * (store-diagnosis.c). */
void store_bind_verdict(struct q *q, int first, const struct diagnosis *d);
int store_insert_advice(struct store *st, int64_t id,
			const struct diagnosis *d);
/* The verdict columns of STMT_SELECT_DIAGNOSIS's order (diag_kind ...
 * culprit_estimated) from column first of s's row into *d: 0, or -ENOENT
 * when the event has none (store-diagnosis.c). */
int store_read_verdict(sqlite3_stmt *s, int first, struct diagnosis *d);
/* :host, :since, :until, :boot, :boot_n of an event filter; unset ones bind NULL, which
 * the statements read as "no filter" (store-query.c). */
void q_bind_filter(struct q *q, const struct event_filter *f);
/* A statement without parameters or rows: BEGIN, SAVEPOINT, ... */
int stmt_exec(struct store *st, enum stmt_id id);
/* End the savepoint a writer opened (STMT_SAVEPOINT) by the outcome rc of
 * its work: released when rc >= 0, else rolled back to, keeping the
 * error of the work.  Returns rc, or the release's error. */
int savepoint_end(struct store *st, int rc);

/*
 * Column lists: X(column, C member, known bit).  A column whose known bit
 * is clear is stored as NULL; bit 0 means always stored (strings: NULL
 * when the pointer is NULL).  Several columns may share one bit (the
 * bit is restored when any of them is non-NULL).  The columns not listed
 * here (enums, arrays, ids) are handled by hand in store-events.c.
 */
#define EVENT_COLUMNS(X)						\
	X(first_line, first_line, 0)					\
	X(last_line, last_line, 0)					\
	X(host, host, 0)						\
	X(boot_id, boot_id, 0)						\
	X(wall_us, wall_us, RK_WALL)					\
	X(ktime_us, ktime_us, RK_KTIME)					\
	X(trigger_comm, trigger_comm, 0)				\
	X(trigger_pid, trigger_pid, RK_TRIGGER_PID)			\
	X(trigger_uid, trigger_uid, RK_TRIGGER_UID)			\
	X(gfp_mask, gfp_mask, 0)					\
	X(alloc_order, order, RK_ORDER)					\
	X(trigger_adj, trigger_adj, RK_TRIGGER_ADJ)			\
	X(kernel_release, kernel_release, 0)				\
	X(hardware, hardware, 0)					\
	X(constraint_name, constraint, 0)				\
	X(nodemask, nodemask, 0)					\
	X(cpuset, cpuset, 0)						\
	X(mems_allowed, mems_allowed, 0)				\
	X(oom_memcg, oom_memcg, 0)					\
	X(task_memcg, task_memcg, 0)					\
	X(selected_comm, selected_comm, 0)				\
	X(selected_pid, selected_pid, RK_SELECTED)			\
	X(selected_uid, selected_uid, RK_SELECTED)			\
	X(selected_score, selected_score, RK_SCORE)			\
	X(memcg_stats_path, memcg_stats_path, 0)			\
	X(group_kill_memcg, group_kill_memcg, 0)			\
	X(totalpages, totalpages, RK_TOTALPAGES)			\
	X(era, an.era, 0)						\
	X(total_source, an.total_source, 0)				\
	X(analysis_flags, an.flags, 0)					\
	X(predicted_pid, an.predicted_pid, RK_PREDICTED)		\
	X(agrees, an.agrees, RK_AGREES)					\
	X(mismatch, an.mismatch, RK_AGREES)					\
	X(trust, trust, 0)

/* One column per enum mem_field, named as mem_field_names[] (which is
 * what binds and loads them: a mismatch is an error at the first save). */
#define MEM_COLUMNS(X)							\
	X(active_anon) X(inactive_anon) X(isolated_anon)		\
	X(active_file) X(inactive_file) X(isolated_file)		\
	X(unevictable) X(dirty) X(writeback)				\
	X(slab_reclaimable) X(slab_unreclaimable) X(mapped)		\
	X(shmem) X(pagetables) X(free) X(free_pcp) X(free_cma)		\
	X(pagecache_pages) X(swapcache_pages)				\
	X(free_swap_kb) X(total_swap_kb) X(ram_pages)			\
	X(reserved_pages) X(highmem_pages) X(cma_reserved_pages)	\
	X(hwpoisoned_pages) X(page_size_kb)				\
	X(hugepages_total) X(hugepages_free) X(hugepages_kb)

/* Per enum memcg_counter: usage, limit, failcnt. */
#define MEMCG_COLUMNS(X)						\
	X(memcg_usage_kb) X(memcg_limit_kb) X(memcg_failcnt)		\
	X(memcg_swap_usage_kb) X(memcg_swap_limit_kb)			\
	X(memcg_swap_failcnt)						\
	X(memcg_memsw_usage_kb) X(memcg_memsw_limit_kb)			\
	X(memcg_memsw_failcnt)						\
	X(memcg_kmem_usage_kb) X(memcg_kmem_limit_kb)			\
	X(memcg_kmem_failcnt)

#define TASK_COLUMNS(X)							\
	X(line, line, 0)						\
	X(pid, pid, 0)							\
	X(uid, uid, TASK_UID)						\
	X(tgid, tgid, TASK_TGID)					\
	X(total_vm, total_vm, TASK_TOTAL_VM)				\
	X(rss, rss, TASK_RSS)						\
	X(rss_anon, rss_anon, TASK_RSS_SPLIT)				\
	X(rss_file, rss_file, TASK_RSS_SPLIT)				\
	X(rss_shmem, rss_shmem, TASK_RSS_SPLIT)				\
	X(pgtables_bytes, pgtables_bytes, TASK_PGTABLES)		\
	X(nr_ptes, nr_ptes, TASK_NR_PTES)				\
	X(nr_pmds, nr_pmds, TASK_NR_PMDS)				\
	X(swapents, swapents, TASK_SWAPENTS)				\
	X(oom_score_adj, oom_score_adj, TASK_ADJ)			\
	X(cpu, cpu, TASK_CPU)						\
	X(oom_adj, oom_adj, TASK_OOM_ADJ)				\
	X(points, points, TASK_POINTS)					\
	X(oom_score, oom_score, TASK_OOM_SCORE)				\
	X(name, name, 0)

#define KILL_COLUMNS(X)							\
	X(line, line, 0)						\
	X(pid, pid, 0)							\
	X(comm, comm, 0)						\
	X(reason, reason, 0)						\
	X(uid, uid, KILL_UID)						\
	X(total_vm_kb, total_vm_kb, KILL_TOTAL_VM)			\
	X(anon_rss_kb, anon_rss_kb, KILL_ANON_RSS)			\
	X(file_rss_kb, file_rss_kb, KILL_FILE_RSS)			\
	X(shmem_rss_kb, shmem_rss_kb, KILL_SHMEM_RSS)			\
	X(pgtables_kb, pgtables_kb, KILL_PGTABLES)			\
	X(oom_score_adj, oom_score_adj, KILL_ADJ)			\
	X(reaped_anon_kb, reaped_anon_kb, KILL_REAPED)			\
	X(reaped_file_kb, reaped_file_kb, KILL_REAPED)			\
	X(reaped_shmem_kb, reaped_shmem_kb, KILL_REAPED)

#define ZONE_COLUMNS(X)							\
	X(name, name, 0)						\
	X(free_kb, values[ZONE_FREE], 1 << ZONE_FREE)			\
	X(min_kb, values[ZONE_MIN], 1 << ZONE_MIN)			\
	X(low_kb, values[ZONE_LOW], 1 << ZONE_LOW)			\
	X(high_kb, values[ZONE_HIGH], 1 << ZONE_HIGH)			\
	X(present_kb, values[ZONE_PRESENT], 1 << ZONE_PRESENT)		\
	X(managed_kb, values[ZONE_MANAGED], 1 << ZONE_MANAGED)		\
	X(buddy, buddy, 0)

/* ---- rows of a report (store-events.c) ---- */

/* r's events row as id *ret_id, or (0) as a new id set in *ret_id, with
 * its facts' digest (oom_facts_digest()). */
int store_insert_event(struct store *st, int64_t source_id,
		       const struct oom_report *r, const struct diagnosis *d,
		       uint64_t digest, int64_t *ret_id);
/* Its tasks, kills and zones under event id. */
int store_insert_children(struct store *st, int64_t id,
			  const struct oom_report *r);

/* ---- copy conflicts (store-conflicts.c) ---- */

/* Where the other copy came from. */
struct conflict_origin {
	int64_t source_id;	/* 0: unknown */
	uint64_t first_line;
	int64_t trust;		/* enum oom_provenance */
};
/* Record under event_id what other says that kept does not: 1 when they
 * differ, 0 when not, or -errno. */
int store_record_conflicts(struct store *st, int64_t event_id,
			   const struct oom_report *kept,
			   const struct oom_report *other,
			   const struct conflict_origin *o);

#endif
