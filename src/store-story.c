/*
 * store-story.c: userspace lines around a kill (table actions) and their
 * links to events.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "oom.h"
#include "store-int.h"
#include "story-event.h"
#include "xalloc.h"

#define SEC INT64_C(1000000)

/* Stored action flags (schema/007-story.sql). */
#define ACTION_LOCAL_TIME 1
#define ACTION_YEAR_GUESSED 2

static void bind_opt_i64(struct q *q, const char *param, int known,
			 int64_t v)
{
	if (known)
		q_bind_i64(q, param, v);
	else
		q_bind_null(q, param);
}

int store_save_story(struct store *st, int64_t source_id,
		     const struct story_event *e, int64_t event_id,
		     int *ret_dup)
{
	unsigned k = e->known;
	struct q q;
	int rc;

	*ret_dup = 0;
	q_start(&q, st, STMT_FIND_ACTION_COPY);
	q_bind_text(&q, ":host", e->host);
	q_bind_text(&q, ":kind", story_kind_name(e->kind));
	q_bind_text(&q, ":message", e->message);
	bind_opt_i64(&q, ":wall", k & SK_WALL, e->wall_us);
	rc = q_step(&q);
	if (q_end(&q) < 0)
		return q.rc;
	if (rc > 0) {
		*ret_dup = 1;
		return 0;
	}
	q_start(&q, st, STMT_INSERT_ACTION);
	q_bind_i64(&q, ":source_id", source_id);
	q_bind_i64(&q, ":line", (int64_t)e->line);
	q_bind_text(&q, ":host", e->host);
	q_bind_text(&q, ":boot_id", e->boot_id);
	bind_opt_i64(&q, ":wall_us", k & SK_WALL, e->wall_us);
	q_bind_i64(&q, ":flags",
		   (k & SK_LOCAL_TIME ? ACTION_LOCAL_TIME : 0) |
		   (k & SK_YEAR_GUESSED ? ACTION_YEAR_GUESSED : 0));
	q_bind_text(&q, ":actor", e->actor);
	q_bind_text(&q, ":kind", story_kind_name(e->kind));
	q_bind_text(&q, ":unit", e->unit);
	q_bind_text(&q, ":cgroup", e->cgroup);
	q_bind_text(&q, ":container_id", e->container_id);
	bind_opt_i64(&q, ":pid", k & SK_PID, e->pid);
	q_bind_text(&q, ":comm", e->comm);
	bind_opt_i64(&q, ":uid", k & SK_UID, e->uid);
	bind_opt_i64(&q, ":score", k & SK_SCORE, e->score);
	bind_opt_i64(&q, ":adj", k & SK_ADJ, e->adj);
	bind_opt_i64(&q, ":rss_kb", k & SK_RSS, (int64_t)e->rss_kb);
	bind_opt_i64(&q, ":count", k & SK_COUNT, e->count);
	q_bind_text(&q, ":signal", e->signal);
	q_bind_text(&q, ":reason", e->reason);
	q_bind_text(&q, ":message", e->message);
	bind_opt_i64(&q, ":event_id", event_id > 0, event_id);
	q_bind_text(&q, ":link", event_id > 0 ? "self" : NULL);
	return q_exec(&q);
}

/* An unlinked line, as the link pass needs it. */
struct pending {
	int64_t id, wall_us, pid;
	int has_pid;
	enum story_kind kind;
	char *actor, *host, *boot, *unit, *cgroup, *cid;
};

static void pending_free(struct pending *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].actor);
		free(p[i].host);
		free(p[i].boot);
		free(p[i].unit);
		free(p[i].cgroup);
		free(p[i].cid);
	}
	free(p);
}

/* The widest windows of the link rules (rule_of()): a line looks this far
 * back and ahead for its event. */
#define LINK_BEFORE (120 * SEC)
#define LINK_AFTER (10 * SEC)
/* systemd-oomd's candidate dump and its kill: the same moment */
#define OOMD_NEAR (10 * SEC)

/* Read them all first: the link pass updates the rows it would walk.
 * A line can link to an event of [from, to] only from [from - AFTER,
 * to + BEFORE]; a new line lies in [from, to] itself. */
static int load_pending(struct store *st, int64_t from, int64_t to,
			struct pending **ret, size_t *ret_n)
{
	struct pending *p = NULL;
	size_t n = 0, cap = 0;
	struct q q;

	q_start(&q, st, STMT_UNLINKED_ACTIONS);
	q_bind_i64(&q, ":from", from - LINK_AFTER);
	q_bind_i64(&q, ":to", to + LINK_BEFORE);
	while (q_step(&q) > 0) {
		sqlite3_stmt *s = q.s;
		struct pending *x;

		p = xgrow(p, &cap, n + 1, sizeof(*p));
		x = &p[n++];
		memset(x, 0, sizeof(*x));
		x->id = sqlite3_column_int64(s, 0);
		x->kind = story_kind_from_name((const char *)sqlite3_column_text(s, 1));
		x->actor = q_column_dup(s, 2);
		x->host = q_column_dup(s, 3);
		x->boot = q_column_dup(s, 4);
		x->wall_us = sqlite3_column_int64(s, 5);
		x->unit = q_column_dup(s, 6);
		x->cgroup = q_column_dup(s, 7);
		x->cid = q_column_dup(s, 8);
		x->has_pid = sqlite3_column_type(s, 9) != SQLITE_NULL;
		x->pid = sqlite3_column_int64(s, 9);
	}
	if (q_end(&q) < 0) {
		pending_free(p, n);
		return q.rc;
	}
	*ret = p;
	*ret_n = n;
	return 0;
}

/* How one kind of line finds its event. */
struct link_rule {
	const char *killer;	/* NULL: the line's own actor */
	int64_t before, after;	/* window around the line, us */
	const char *by;		/* "unit", "cgroup", "container", "pid" */
	int any;		/* when what the line names matches nothing:
				 * the kernel's kill naming no cgroup, or any
				 * kill of a userspace killer, by time */
};

static int rule_of(enum story_kind k, struct link_rule *r)
{
	/* systemd and the runtimes log after the kernel's report, ms to s
	 * later; a few seconds the other way allow for clock skew */
	switch (k) {
	case STORY_UNIT_OOM:
	case STORY_UNIT_FAILED:
		*r = (struct link_rule){ KILLER_KERNEL, LINK_BEFORE, 5 * SEC,
					 "unit", 1 };
		return 1;
	case STORY_UNIT_OOMD:
		*r = (struct link_rule){ "systemd-oomd", 60 * SEC, 5 * SEC,
					 "unit", 0 };
		return 1;
	case STORY_TASK_OOM:
		*r = (struct link_rule){ KILLER_KERNEL, 60 * SEC, 5 * SEC,
					 "container", 0 };
		return 1;
	case STORY_SYSTEM_OOM:
	case STORY_NPD_OOM:
		*r = (struct link_rule){ KILLER_KERNEL, LINK_BEFORE, 5 * SEC,
					 "pid", 0 };
		return 1;
	case STORY_OOMD_CANDIDATES:
	case STORY_OOMD_CANDIDATE:
		/* logged with the kill they led to: the killed cgroup's own
		 * entry by its path, the rest to the nearest oomd kill */
		*r = (struct link_rule){ "systemd-oomd", OOMD_NEAR, OOMD_NEAR,
					 "cgroup", 1 };
		return 1;
	case STORY_OOMD_KILL:
		/* its own event, which a better copy may have replaced */
		*r = (struct link_rule){ NULL, 2 * SEC, 2 * SEC, "cgroup", 0 };
		return 1;
	case STORY_EARLYOOM_KILL:
	case STORY_NOHANG_KILL:
		*r = (struct link_rule){ NULL, 2 * SEC, 2 * SEC, "pid", 0 };
		return 1;
	default:
		return 0;
	}
}

/* The event p tells of by rule r: 0 and *ret_id, 1 when none. */
static int find_event(struct store *st, const struct pending *p,
		      const struct link_rule *r, int any, int64_t *ret_id)
{
	const char *by = any ? "" : r->by;
	struct q q;
	int rc;

	q_start(&q, st, STMT_ACTION_LINK);
	q_bind_text(&q, ":host", p->host);
	q_bind_text(&q, ":killer", r->killer ? r->killer : p->actor);
	q_bind_i64(&q, ":from", p->wall_us - r->before);
	q_bind_i64(&q, ":to", p->wall_us + r->after);
	q_bind_i64(&q, ":wall", p->wall_us);
	q_bind_text(&q, ":boot", p->boot);
	q_bind_text(&q, ":unit", !strcmp(by, "unit") ? p->unit : NULL);
	q_bind_text(&q, ":cgroup", !strcmp(by, "cgroup") ? p->cgroup : NULL);
	q_bind_text(&q, ":cid", !strcmp(by, "container") ? p->cid : NULL);
	bind_opt_i64(&q, ":pid", !strcmp(by, "pid") && p->has_pid, p->pid);
	q_bind_i64(&q, ":any", any);
	rc = q_step(&q);
	if (rc > 0)
		*ret_id = sqlite3_column_int64(q.s, 0);
	if (q_end(&q) < 0)
		return q.rc;
	return rc > 0 ? 0 : 1;
}

static int set_link(struct store *st, int64_t id, int64_t event_id,
		    const char *how)
{
	struct q q;

	q_start(&q, st, STMT_SET_ACTION_EVENT);
	q_bind_i64(&q, ":id", id);
	q_bind_i64(&q, ":event_id", event_id);
	q_bind_text(&q, ":link", how);
	return q_exec(&q);
}

int store_link_story(struct store *st, int64_t from_us, int64_t to_us,
		     size_t *ret_linked)
{
	struct pending *p = NULL;
	size_t n = 0, linked = 0;
	int rc;

	*ret_linked = 0;
	if ((rc = load_pending(st, from_us, to_us, &p, &n)) < 0)
		return rc;
	for (size_t i = 0; i < n && rc >= 0; i++) {
		struct link_rule r;
		int64_t id = 0;
		const char *how;

		if (!rule_of(p[i].kind, &r))
			continue;
		how = story_kind_is_kill(p[i].kind) ? "self" : r.by;
		rc = find_event(st, &p[i], &r, 0, &id);
		if (rc == 1 && r.any) {
			how = "time";
			rc = find_event(st, &p[i], &r, 1, &id);
		}
		if (rc == 0 && (rc = set_link(st, p[i].id, id, how)) >= 0)
			linked++;
		if (rc == 1)
			rc = 0;
	}
	pending_free(p, n);
	*ret_linked = linked;
	return rc < 0 ? rc : 0;
}

static void load_action(sqlite3_stmt *s, struct store_action *a)
{
	struct story_event *e = xcalloc(1, sizeof(*e));
	struct { int col; int64_t *v; unsigned bit; } nums[] = {
		{ 13, &e->pid, SK_PID }, { 15, &e->uid, SK_UID },
		{ 16, &e->score, SK_SCORE }, { 17, &e->adj, SK_ADJ },
		{ 19, &e->count, SK_COUNT },
	};
	int64_t flags;

	a->id = sqlite3_column_int64(s, 0);
	a->event_id = sqlite3_column_int64(s, 1);
	a->link = q_column_dup(s, 2);
	a->e = e;
	e->line = (uint64_t)sqlite3_column_int64(s, 3);
	e->host = q_column_dup(s, 4);
	e->boot_id = q_column_dup(s, 5);
	if (sqlite3_column_type(s, 6) != SQLITE_NULL) {
		e->wall_us = sqlite3_column_int64(s, 6);
		e->known |= SK_WALL;
	}
	flags = sqlite3_column_int64(s, 7);
	if (flags & ACTION_LOCAL_TIME)
		e->known |= SK_LOCAL_TIME;
	if (flags & ACTION_YEAR_GUESSED)
		e->known |= SK_YEAR_GUESSED;
	e->actor = q_column_dup(s, 8);
	e->kind = story_kind_from_name((const char *)sqlite3_column_text(s, 9));
	e->unit = q_column_dup(s, 10);
	e->cgroup = q_column_dup(s, 11);
	e->container_id = q_column_dup(s, 12);
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		if (sqlite3_column_type(s, nums[i].col) != SQLITE_NULL) {
			*nums[i].v = sqlite3_column_int64(s, nums[i].col);
			e->known |= nums[i].bit;
		}
	e->comm = q_column_dup(s, 14);
	if (sqlite3_column_type(s, 18) != SQLITE_NULL) {
		e->rss_kb = (uint64_t)sqlite3_column_int64(s, 18);
		e->known |= SK_RSS;
	}
	e->signal = q_column_dup(s, 20);
	e->reason = q_column_dup(s, 21);
	e->message = q_column_dup(s, 22);
}

static int load_actions(struct q *q, struct store_action **ret,
			size_t *ret_n)
{
	struct store_action *a = NULL;
	size_t n = 0, cap = 0;

	while (q_step(q) > 0) {
		a = xgrow(a, &cap, n + 1, sizeof(*a));
		load_action(q->s, &a[n++]);
	}
	if (q_end(q) < 0) {
		store_actions_free(a, n);
		return q->rc;
	}
	*ret = a;
	*ret_n = n;
	return 0;
}

int store_actions(struct store *st, const struct event_filter *f,
		  struct store_action **ret, size_t *ret_n)
{
	struct q q;

	*ret = NULL;
	*ret_n = 0;
	q_start(&q, st, STMT_SELECT_ACTIONS);
	q_bind_filter(&q, f);
	return load_actions(&q, ret, ret_n);
}

int store_event_actions(struct store *st, int64_t event_id,
			struct store_action **ret, size_t *ret_n)
{
	struct q q;

	*ret = NULL;
	*ret_n = 0;
	q_start(&q, st, STMT_EVENT_ACTIONS);
	q_bind_i64(&q, ":id", event_id);
	return load_actions(&q, ret, ret_n);
}

void store_actions_free(struct store_action *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(a[i].link);
		story_event_free(a[i].e);
	}
	free(a);
}
