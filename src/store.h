/*
 * store.h: the only door to the database.  All SQL lives in src/store*.c;
 * statements are prepared once and always bound.
 *
 * Functions return 0 (or a positive count) on success and a negative errno-
 * style code on failure; store_errmsg() then says what went wrong, naming
 * the statement or the file.  Nothing here prints or exits.
 */
#ifndef OOMLENS_STORE_H
#define OOMLENS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "story-event.h"

struct store;
struct oom_report;
struct diagnosis;

enum store_mode {
	STORE_READ,	/* must exist; opened read-only */
	STORE_WRITE,	/* created with parent directories when missing */
};

/*
 * Open the database at path and bring its schema up to date (write mode)
 * or check it is one we understand (read mode).  A database written by a
 * newer oomlens (user_version above ours) or by another program (foreign
 * application_id) is refused.  On failure returns < 0, *ret is NULL and
 * *ret_err holds a message the caller frees.
 */
int store_open(const char *path, enum store_mode mode, struct store **ret,
	       char **ret_err);
void store_close(struct store *st);
/* Last error message; valid until the next call on st. */
const char *store_errmsg(const struct store *st);
/* Schema version of this build (the highest migration number). */
int store_schema_version(void);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK.  An ingest of one input is one
 * transaction: it commits whole or not at all. */
int store_begin(struct store *st);
/* BEGIN (deferred): many reads under one snapshot and one lock; end it
 * with store_commit(). */
int store_begin_read(struct store *st);
int store_commit(struct store *st);
int store_rollback(struct store *st);

/* Record an input (path as given, "-" for stdin; host may be NULL). */
int store_add_source(struct store *st, const char *path, const char *host,
		     int64_t *ret_id);

/* Save one report with its tasks, kills and zones.  The same OOM seen
 * before (in another log of the host, or an input ingested again: same
 * kernel time, or same wall second, victim and trigger) is stored once:
 * the more complete copy stays, and the event lists every input it was
 * seen in (table event_sources).  *ret_copy, when not NULL: was r a
 * copy of one stored before?  0 no, 1 yes and merged into it (nothing
 * new but its input), 2 yes and it replaced it (more trusted or more
 * complete). */
int store_save_report(struct store *st, int64_t source_id,
		      const struct oom_report *r, int64_t *ret_event_id,
		      int *ret_copy);
/* The same with r's diagnosis (diagnosis.h: kind, also, culprit, advice;
 * the evidence is not kept), saved with it.  d NULL: the event has none
 * (a userspace kill), its diagnosis columns stay NULL.  When r is a copy
 * of a stored event and the stored one is kept, so is its diagnosis.
 * Unlike store_save_report(), it is not all or nothing by itself: when
 * it fails, the caller rolls its transaction back (an ingest stores an
 * input whole or not at all).  A savepoint would copy every page the
 * report changes (a fifth of an ingest of many small reports). */
int store_save_event(struct store *st, int64_t source_id,
		     const struct oom_report *r, const struct diagnosis *d,
		     int64_t *ret_event_id, int *ret_copy);

/* Whether an input of this path was stored before (a source row other
 * than except_id): 1, 0, or < 0 on error. */
int store_source_seen(struct store *st, const char *path, int64_t except_id);

/* Which events a query wants; unset fields do not filter. */
struct event_filter {
	const char *host;	/* exact host name */
	int64_t since_us;	/* wall clock, UTC us, inclusive */
	int64_t until_us;	/* exclusive */
	unsigned has_since : 1, has_until : 1;
	/* only events whose kept copy the kernel wrote where no program can
	 * (the journal's kernel entries, /dev/kmsg, dmesg): store_event_ids */
	unsigned trusted : 1;
	/* store_event_ids: only one boot, as journalctl -b names it: by its
	 * id (lower-case hex, 8 or more digits of its start), or counted on
	 * each host among the boots of its stored events: 0 the latest, -1
	 * the one before, 1 the first, 2 the second */
	const char *boot_id;
	int64_t boot_offset;
	unsigned has_boot_offset : 1;
	/* store_event_ids: newest first; only the newest `last` (0: all) */
	unsigned reverse : 1;
	size_t last;
};

/*
 * Event ids matching f, ordered by time (events without a wall clock last,
 * then by source and line).  *ret_ids is malloc'd; the caller frees it.
 */
int store_event_ids(struct store *st, const struct event_filter *f,
		    int64_t **ret_ids, size_t *ret_n);

/* Load the whole event (tasks in dump order, kills in print order, zones).
 * Returns 0 and *ret, or -ENOENT when there is no such event. */
int store_load_event(struct store *st, int64_t id, struct oom_report **ret);

/* The same without the parts a caller does not need (the event row and
 * its kills are always loaded): list needs no task dump. */
enum store_load_part {
	STORE_LOAD_TASKS = 1 << 0,
	STORE_LOAD_ZONES = 1 << 1,
	STORE_LOAD_TEXT = 1 << 2,	/* raw, memcg_stats */
	STORE_LOAD_ALL = STORE_LOAD_TASKS | STORE_LOAD_ZONES | STORE_LOAD_TEXT,
};
int store_load_event_parts(struct store *st, int64_t id, unsigned parts,
			   struct oom_report **ret);
/* What an export prints beside the report: its verdict, and its origin
 * as store_event_origin() tells it. */
struct store_event_extra {
	int has_diagnosis;	/* *d was filled (store_load_verdict()) */
	char *source;		/* the input's path; NULL unknown */
	int64_t ingested_us;	/* when first ingested; 0 unknown */
};
/* The event whole (STORE_LOAD_ALL), with *x and (when x->has_diagnosis)
 * *d, its row read once; x is released with
 * store_event_extra_release(). */
int store_load_event_extra(struct store *st, int64_t id,
			   struct oom_report **ret, struct diagnosis *d,
			   struct store_event_extra *x);
void store_event_extra_release(struct store_event_extra *x);

/* The stored diagnosis of event id into *d: kind, also, culprit and
 * advice (the evidence fields stay zero).  0, or -ENOENT when the event
 * has none (a userspace kill, or stored before schema 8 and not
 * diagnosed yet). */
int store_load_diagnosis(struct store *st, int64_t id, struct diagnosis *d);
/* The same without the advice (n_advice 0): what an export prints, one
 * query less per event. */
int store_load_verdict(struct store *st, int64_t id, struct diagnosis *d);
/* Kernel reports stored without a diagnosis (before schema 8), oldest
 * first.  *ret_ids is malloc'd; the caller frees it. */
int store_undiagnosed_ids(struct store *st, int64_t **ret_ids, size_t *ret_n);
/* Set (or replace) the diagnosis of stored event id; atomic like
 * store_save_report(). */
int store_set_diagnosis(struct store *st, int64_t id,
			const struct diagnosis *d);

/* What another copy of an OOM said that the kept copy does not: the
 * facts of oom_copies_diff(), with where that copy came from. */
struct copy_conflict {
	char *path;		/* its input; NULL when gone */
	int64_t first_line;	/* its first line there */
	char *provenance;	/* oom_provenance_name(); NULL unknown */
	char *fact, *kept, *other;	/* struct copy_difference's */
};
/* Event id's, in the order recorded: 0, or -errno. */
int store_event_conflicts(struct store *st, int64_t id,
			  struct copy_conflict **ret, size_t *ret_n);
void copy_conflicts_free(struct copy_conflict *c, size_t n);

/* Source path of an event, for messages and export (caller frees). */
int store_event_source(struct store *st, int64_t id, char **ret_path);
/* The same, and when oomlens first read the event (the earliest input it
 * was seen in; UTC microseconds, 0 unknown): ECS's event.created. */
int store_event_origin(struct store *st, int64_t id, char **ret_path,
		       int64_t *ret_ingested_us);

/* Which kills or tasks a question names; unset fields do not filter. */
struct store_match {
	const char *name;	/* comm */
	int64_t pid;
	int64_t event_id;
	const char *host;
	unsigned has_pid : 1, has_event : 1;
};

/* Events that killed a task matching m, newest first (events without a
 * wall clock last), at most limit of them (0: all); *ret_total counts
 * them all.  *ret_ids is malloc'd. */
int store_find_kills(struct store *st, const struct store_match *m,
		     size_t limit, int64_t **ret_ids, size_t *ret_n,
		     size_t *ret_total);
/* Events whose task dump lists a task matching m that was not killed. */
int store_find_survivors(struct store *st, const struct store_match *m,
			 int64_t **ret_ids, size_t *ret_n);

/* The last report of host before wall_us that has a task dump (not id
 * itself): 0 and *ret_id, or -ENOENT. */
int store_prev_event(struct store *st, const char *host, int64_t wall_us,
		     int64_t id, int64_t *ret_id);

/* TOP_BY_CULPRIT: the diagnosis' culprit (its name; a kernel, tmpfs or
 * hugetlb culprit by its kind when it has none), events without one not
 * counted; TOP_BY_CAUSE: the diagnosis' kind, events without a
 * diagnosis not counted. */
enum store_top_by {
	TOP_BY_VICTIM, TOP_BY_CULPRIT, TOP_BY_HOST, TOP_BY_MEMCG, TOP_BY_CAUSE,
	TOP_BY_COUNT
};

struct store_top_row {
	char *key;		/* NULL: not in the log (no host, no cgroup) */
	int64_t count;
	int64_t last_us;	/* newest wall clock; has_last when known */
	int has_last;
};

/* Counts per key, most first.  *ret_rows is malloc'd; free with
 * store_top_free(). */
int store_top(struct store *st, enum store_top_by by,
	      const struct event_filter *f, struct store_top_row **ret_rows,
	      size_t *ret_n);
void store_top_free(struct store_top_row *rows, size_t n);

/*
 * Where the next ingest of an input starts (a journal cursor, or a byte
 * offset into a growing file).  Save it inside the input's transaction:
 * it commits with the events read before it, or not at all.
 */
struct resume_point {
	char *cursor;		/* NULL when none */
	int64_t offset;		/* valid when has_offset */
	int has_offset;
	char *fingerprint;	/* NULL when none */
};
/* 0 and *rp (release with store_resume_release()), or -ENOENT. */
int store_get_resume(struct store *st, const char *key,
		     struct resume_point *rp);
int store_set_resume(struct store *st, const char *key,
		     const struct resume_point *rp);
void store_resume_release(struct resume_point *rp);

/* Live snapshots (oomlens risk --record).  r is analysed; cgroups, when
 * not NULL, has one path (or NULL) per task of r, kernel_scores and
 * has_kernel_score likewise. */
int store_save_snapshot(struct store *st, const struct oom_report *r,
			char *const *cgroups, const int64_t *kernel_scores,
			const unsigned char *has_kernel_score, int64_t *ret_id);

/* The host's last snapshot before before_us: 0 and its id, time and page
 * size, or -ENOENT. */
int store_last_snapshot(struct store *st, const char *host, int64_t before_us,
			int64_t *ret_id, int64_t *ret_wall_us,
			uint64_t *ret_page_kb);

/* Calls fn(name, usage_kb) for each comm of the snapshot. */
int store_snapshot_usage(struct store *st, int64_t id,
			 void (*fn)(void *ctx, const char *name, int64_t kb),
			 void *ctx);

/*
 * Userspace story (parsers/story.h, table actions).  Save one line's
 * event; event_id (> 0) is the event it is known to belong to (a
 * userspace kill's own event), else 0.  The same line read before (same
 * host, kind and text within 2 s) is not stored again: *ret_dup says so.
 */
struct story_event;
int store_save_story(struct store *st, int64_t source_id,
		     const struct story_event *e, int64_t event_id,
		     int *ret_dup);
/*
 * Link the lines not linked yet to the event each tells of (same host and
 * boot, close in time, same unit, cgroup, container or victim pid).  Run
 * after each input, in its transaction, over the wall-clock span
 * [from_us, to_us] of what the input stored: a line may come in one input
 * and its kernel report in another, and only lines near the new events
 * and lines can link now.  *ret_linked counts the new links.
 */
int store_link_story(struct store *st, int64_t from_us, int64_t to_us,
		     size_t *ret_linked);

/* Lines matching f in time order, or those linked to one event. */
int store_actions(struct store *st, const struct event_filter *f,
		  struct store_action **ret, size_t *ret_n);
int store_event_actions(struct store *st, int64_t event_id,
			struct store_action **ret, size_t *ret_n);
void store_actions_free(struct store_action *a, size_t n);

#endif
