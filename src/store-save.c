/*
 * store-save.c: saving a report, once (store.h): a new event, or another
 * copy of one stored before (the same OOM in dmesg and kern.log, or an
 * input read again), weighed by trust and completeness, what copies say
 * otherwise recorded (store-conflicts.c).  Rows are written by
 * store-events.c.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "oom.h"
#include "store-int.h"
#include "store.h"


/* How complete a copy is: its header, its memory summary, its dump and
 * kill lines; a cut or damaged copy counts less. */
static int64_t completeness(unsigned flags, int64_t n_tasks, int64_t n_kills)
{
	return (flags & REPORT_NO_HEADER ? 0 : 100000) +
	       (flags & REPORT_NO_MEMINFO ? 0 : 10000) +
	       (flags & (REPORT_CUT | REPORT_DUMP_PARTIAL) ? 0 : 5000) +
	       n_tasks * 10 + n_kills;
}

/* The stored copy of an OOM, as a new copy is weighed against it. */
struct stored_copy {
	int64_t id, score;
	unsigned flags;
	int has_digest;
	uint64_t digest;
	struct conflict_origin origin;	/* its trust, input and line */
};

/* The columns of COPY_COLUMNS (store-statements.c) into *c. */
static void read_stored_copy(sqlite3_stmt *s, struct stored_copy *c)
{
	c->id = sqlite3_column_int64(s, 0);
	c->flags = (unsigned)sqlite3_column_int64(s, 1);
	c->score = completeness(c->flags, sqlite3_column_int64(s, 2),
				sqlite3_column_int64(s, 3));
	c->origin.trust = sqlite3_column_int64(s, 4);
	c->has_digest = sqlite3_column_type(s, 5) != SQLITE_NULL;
	c->digest = (uint64_t)sqlite3_column_int64(s, 5);
	c->origin.source_id = sqlite3_column_int64(s, 6);
	c->origin.first_line = (uint64_t)sqlite3_column_int64(s, 7);
}

/* An event that is another copy of r: 0 and *ret, or -ENOENT.  By the
 * kernel's time (by_ktime), else by the wall clock's second. */
static int find_copy_by(struct store *st, const struct oom_report *r,
			int by_ktime, struct stored_copy *ret)
{
	const struct oom_kill *v = oom_report_victim(r);
	struct q q;
	int rc;

	if (by_ktime) {
		q_start(&q, st, STMT_FIND_COPY_KTIME);
		q_bind_i64(&q, ":ktime", r->ktime_us);
		q_bind_text(&q, ":host", r->host);
		q_bind_text(&q, ":boot", r->boot_id);
		if (r->known & RK_TRIGGER_PID)
			q_bind_i64(&q, ":trigger", r->trigger_pid);
		else
			q_bind_null(&q, ":trigger");
	} else if ((r->known & RK_WALL) && r->host && (v || r->killer)) {
		/* a wall second is coarse: only with a victim to compare (or
		 * the cgroup a userspace killer killed) */
		q_start(&q, st, STMT_FIND_COPY_WALL);
		q_bind_text(&q, ":host", r->host);
		q_bind_i64(&q, ":wall", r->wall_us);
		q_bind_text(&q, ":comm", r->trigger_comm);
		q_bind_text(&q, ":killer", r->killer ? r->killer : KILLER_KERNEL);
		q_bind_text(&q, ":cgroup", r->task_memcg);
	} else {
		return -ENOENT;	/* nothing to know it again by */
	}
	if (v)
		q_bind_i64(&q, ":victim", v->pid);
	else
		q_bind_null(&q, ":victim");
	rc = q_step(&q);
	if (rc > 0)
		read_stored_copy(q.s, ret);
	if (q_end(&q) < 0)
		return q.rc;
	return rc > 0 ? 0 : -ENOENT;
}

/* A copy with the kernel's time stamp and one without (a syslog line
 * that lost it, or never had it: logger -t kernel) are known again by
 * the wall clock. */
static int find_copy(struct store *st, const struct oom_report *r,
		     struct stored_copy *ret)
{
	int rc = -ENOENT;

	if (r->known & RK_KTIME)
		rc = find_copy_by(st, r, 1, ret);
	if (rc == -ENOENT)
		rc = find_copy_by(st, r, 0, ret);
	return rc;
}

static int flag_event(struct store *st, int64_t id, unsigned flags)
{
	struct q q;

	q_start(&q, st, STMT_FLAG_EVENT);
	q_bind_i64(&q, ":id", id);
	q_bind_i64(&q, ":flags", flags);
	return q_exec(&q);
}

static int add_event_source(struct store *st, int64_t id, int64_t source_id,
			    uint64_t first_line)
{
	struct q q;

	q_start(&q, st, STMT_INSERT_EVENT_SOURCE);
	q_bind_i64(&q, ":event_id", id);
	q_bind_i64(&q, ":source_id", source_id);
	q_bind_i64(&q, ":first_line", (int64_t)first_line);
	return q_exec(&q);
}

/* What the kept copy id lacks (its boot, wall clock, kernel time, host,
 * release), another copy from may say: never overwrites. */
static int fill_copy(struct store *st, int64_t id,
		     const struct oom_report *from)
{
	struct q q;

	q_start(&q, st, STMT_FILL_COPY);
	q_bind_i64(&q, ":id", id);
	q_bind_text(&q, ":boot", from->boot_id);
	if (from->known & RK_WALL)
		q_bind_i64(&q, ":wall", from->wall_us);
	else
		q_bind_null(&q, ":wall");
	if (from->known & RK_KTIME)
		q_bind_i64(&q, ":ktime", from->ktime_us);
	else
		q_bind_null(&q, ":ktime");
	q_bind_text(&q, ":host", from->host);
	q_bind_text(&q, ":release", from->kernel_release);
	q_bind_i64(&q, ":trust", from->trust);
	q_bind_text(&q, ":provenance", oom_provenance_name(from->trust));
	return q_exec(&q);
}

/* r is the less trusted (or less complete) copy of c: c is kept, r's
 * inputs join it, r may fill what c lacks, and what r says otherwise is
 * recorded. */
static int merge_into(struct store *st, const struct stored_copy *c,
		      int64_t source_id, const struct oom_report *r,
		      const struct oom_report *old)
{
	struct conflict_origin o = { source_id, r->first_line, r->trust };
	int rc = add_event_source(st, c->id, source_id, r->first_line);

	if (rc >= 0)
		rc = fill_copy(st, c->id, r);
	if (rc >= 0 && old)
		rc = store_record_conflicts(st, c->id, old, r, &o);
	if (rc > 0)
		rc = flag_event(st, c->id, REPORT_CONFLICTING_COPIES);
	return rc;
}

/* Move what points at event from (its inputs, recorded conflicts,
 * linked story lines) to event id to. */
static int repoint(struct store *st, int64_t from, int64_t to)
{
	static const enum stmt_id moves[] = {
		STMT_PARK_SOURCES, STMT_PARK_CONFLICTS, STMT_PARK_ACTIONS,
	};
	int rc = 0;

	for (size_t i = 0; i < ARRAY_SIZE(moves) && rc >= 0; i++) {
		struct q q;

		q_start(&q, st, moves[i]);
		q_bind_i64(&q, ":to", to);
		q_bind_i64(&q, ":from", from);
		rc = q_exec(&q);
	}
	return rc;
}

/* Before the new copy replaces c: the row goes, what points at it waits
 * on -id (foreign keys are checked at commit, by then it points at the
 * new row of the same id: a replaced event keeps its id). */
static int clear_for_copy(struct store *st, const struct stored_copy *c)
{
	struct q q;
	int rc = stmt_exec(st, STMT_DEFER_FOREIGN_KEYS);

	if (rc >= 0)
		rc = repoint(st, c->id, -c->id);
	if (rc >= 0) {
		q_start(&q, st, STMT_DELETE_EVENT);
		q_bind_i64(&q, ":id", c->id);
		rc = q_exec(&q);
	}
	return rc;
}

/* The new copy is stored in c's place: what only c said (old: c as it
 * was) fills it, what pointed at c comes back, and what c said
 * otherwise is recorded. */
static int replace_copy(struct store *st, const struct stored_copy *c,
			const struct oom_report *r, const struct oom_report *old,
			int same_facts)
{
	int rc = fill_copy(st, c->id, old), differ = 0;

	if (rc >= 0)
		rc = repoint(st, -c->id, c->id);
	if (rc >= 0 && !same_facts)
		rc = differ = store_record_conflicts(st, c->id, r, old,
						     &c->origin);
	if (rc >= 0 && (differ || (c->flags & REPORT_CONFLICTING_COPIES)))
		rc = flag_event(st, c->id, REPORT_CONFLICTING_COPIES);
	return rc;
}

/*
 * Store r once: when another copy is stored already (the same OOM seen in
 * dmesg and kern.log, or an input ingested again), keep the more trusted
 * one (enum oom_provenance: anyone can write a syslog line, only the
 * kernel the journal's kernel entries), of equal trust the more complete
 * one, and remember both inputs.  A less trusted copy may fill what the
 * kept one lacks, never overwrite it; what copies say differently is
 * recorded (store-conflicts.c) and flags the kept one.  Sets *ret_dup
 * when r was a copy.
 */
static int save_or_merge(struct store *st, int64_t source_id,
			 const struct oom_report *r, const struct diagnosis *d,
			 int64_t *ret_id, int *ret_dup)
{
	uint64_t digest = oom_facts_digest(r);
	struct oom_report *old = NULL;
	struct stored_copy c = { 0 };
	int64_t id = 0;
	int rc, same_facts = 0;

	*ret_dup = 0;
	rc = find_copy(st, r, &c);
	if (rc < 0 && rc != -ENOENT)
		return rc;
	if (rc == -ENOENT) {
		rc = 0;
	} else {
		int64_t score = completeness(r->flags, (int64_t)r->n_tasks,
					     (int64_t)r->n_kills);
		int64_t ct = c.origin.trust;
		/* of different trust the more trusted is kept; else (or an
		 * event stored before provenance was: trust 0) the more
		 * complete */
		int ranked = ct && r->trust && r->trust != ct;

		*ret_dup = 1;
		same_facts = c.has_digest && c.digest == digest;
		if (!same_facts && store_load_event_parts(st, c.id,
							  STORE_LOAD_TASKS,
							  &old) < 0)
			old = NULL;	/* disagrees on nothing that can be told */
		if (ranked ? r->trust < ct : score <= c.score) {
			*ret_id = c.id;
			rc = merge_into(st, &c, source_id, r, old);
			oom_report_free(old);
			return rc;
		}
		*ret_dup = 2;	/* the new copy replaces the old one */
		id = c.id;	/* under the same id */
		/* what it lacks, the old copy may say (a syslog line's
		 * wall clock for dmesg's copy): its row, before it goes */
		if (!old && (rc = store_load_event_parts(st, c.id, 0,
							 &old)) < 0)
			return rc;
		rc = clear_for_copy(st, &c);
	}
	if (rc >= 0)
		rc = store_insert_event(st, source_id, r, d, digest, &id);
	if (rc >= 0)
		rc = store_insert_children(st, id, r);
	if (rc >= 0)
		rc = store_insert_advice(st, id, d);
	if (rc >= 0 && *ret_dup == 2)
		rc = replace_copy(st, &c, r, old, same_facts);
	if (rc >= 0)
		rc = add_event_source(st, id, source_id, r->first_line);
	oom_report_free(old);
	*ret_id = id;
	return rc;
}

/*
 * A savepoint makes each report all or nothing, inside the caller's
 * transaction or without one: a caller that skips a bad report and goes
 * on never commits half of it.
 */
int store_save_report(struct store *st, int64_t source_id,
		      const struct oom_report *r, int64_t *ret_event_id,
		      int *ret_copy)
{
	int rc = stmt_exec(st, STMT_SAVEPOINT);

	if (rc < 0)
		return rc;
	return savepoint_end(st, store_save_event(st, source_id, r, NULL,
						  ret_event_id, ret_copy));
}

int store_save_event(struct store *st, int64_t source_id,
		     const struct oom_report *r, const struct diagnosis *d,
		     int64_t *ret_event_id, int *ret_copy)
{
	int64_t id = 0;
	int rc, dup = 0;

	rc = save_or_merge(st, source_id, r, d, &id, &dup);
	if (rc < 0)
		return rc;
	if (ret_event_id)
		*ret_event_id = id;
	if (ret_copy)
		*ret_copy = dup;
	return 0;
}
