/*
 * report.c: classified lines -> struct oom_report.  See report.h.
 *
 * The kernel prints a report in a known order (reference §2.0), but lines
 * of other CPUs land in between, the reaper speaks late, and rate limiting
 * or a reboot cuts reports short.  So placement is by line kind, not by
 * position: each kind fills its own part of the report, and the state only
 * says what a report is waiting for (memory.stat lines, its kill tail).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "classify.h"
#include "fmt.h"
#include "oom.h"
#include "oomlens.h"
#include "report.h"
#include "report-int.h"
#include "xalloc.h"

enum asm_state {
	ASM_BODY,		/* header seen; taking whatever comes */
	ASM_MEMCG_STATS,	/* after "Memory cgroup stats for X:" */
	ASM_KILLED,		/* kill line seen; only its tail may follow */
};

struct report_asm {
	struct report_sink sink;
	struct oom_report *cur;		/* open */
	struct oom_report *held;	/* closed, waiting for its reaper */
	enum asm_state state;
	struct buf raw;
	size_t raw_kept;		/* raw length up to the last own line */
	struct buf stats;		/* memory.stat lines */
	size_t foreign_run;
	unsigned seen;			/* enum seen_part */
};

enum seen_part {
	SEEN_MEMINFO = 1 << 0,
	SEEN_MEMCG = 1 << 1,
	SEEN_DUMP = 1 << 2,
	SEEN_CPU = 1 << 3,
};

struct report_asm *report_asm_new(const struct report_sink *sink)
{
	struct report_asm *a = xcalloc(1, sizeof(*a));

	a->sink = *sink;
	a->raw = (struct buf)BUF_INIT;
	a->stats = (struct buf)BUF_INIT;
	return a;
}

void report_asm_free(struct report_asm *a)
{
	if (!a)
		return;
	oom_report_free(a->cur);
	oom_report_free(a->held);
	buf_release(&a->raw);
	buf_release(&a->stats);
	free(a);
}

int report_asm_active(const struct report_asm *a)
{
	return a->cur != NULL;
}

static void warn(struct report_asm *a, uint64_t lineno, const char *msg)
{
	if (a->sink.warn)
		a->sink.warn(a->sink.ctx, lineno, msg);
}

/* ---- opening and closing ---------------------------------------------- */

static void emit_held(struct report_asm *a)
{
	if (a->held) {
		a->sink.emit(a->sink.ctx, a->held);
		a->held = NULL;
	}
}

static void close_report(struct report_asm *a)
{
	struct oom_report *r = a->cur;

	if (!r)
		return;
	if (!r->n_kills)
		r->flags |= REPORT_NO_KILL;
	if (!(a->seen & SEEN_DUMP))
		r->flags |= REPORT_NO_DUMP;
	if (!(a->seen & (SEEN_MEMINFO | SEEN_MEMCG)))
		r->flags |= REPORT_NO_MEMINFO;
	if (a->stats.len)
		r->memcg_stats = buf_detach(&a->stats, NULL);
	buf_truncate(&a->raw, a->raw_kept);
	r->raw = buf_detach(&a->raw, &r->raw_len);
	a->raw_kept = 0;
	a->cur = NULL;
	a->seen = 0;
	a->foreign_run = 0;
	emit_held(a);
	a->held = r;
}

static void add_raw(struct report_asm *a, const struct log_line *ll)
{
	if (a->raw.len + ll->raw_len + 1 > MAX_REPORT_RAW) {
		a->cur->flags |= REPORT_TOO_LONG;
		return;
	}
	if (a->raw.len)
		buf_addch(&a->raw, '\n');
	buf_add(&a->raw, ll->raw, ll->raw_len);
}

static void open_report(struct report_asm *a, const struct log_line *ll)
{
	struct oom_report *r;

	if (a->cur) {
		if (a->state != ASM_KILLED)
			a->cur->flags |= REPORT_CUT;
		close_report(a);
	}
	r = a->cur = oom_report_new();
	a->state = ASM_BODY;
	a->seen = 0;
	a->foreign_run = 0;
	buf_reset(&a->raw);
	buf_reset(&a->stats);
	if (ll->known & LL_WALL) {
		r->wall_us = ll->wall_us;
		r->known |= RK_WALL;
		if (ll->known & LL_YEAR_GUESSED)
			r->flags |= REPORT_YEAR_GUESSED;
		if (ll->known & LL_LOCAL_TIME)
			r->flags |= REPORT_LOCAL_TIME;
	}
	if (ll->known & LL_KTIME) {
		r->ktime_us = ll->ktime_us;
		r->known |= RK_KTIME;
	}
	if (ll->host)
		r->host = xstrndup(ll->host, ll->host_len);
	if (ll->boot_id)
		r->boot_id = xstrdup(ll->boot_id);
	r->first_line = r->last_line = ll->lineno;
}

/* ---- kills --------------------------------------------------------------- */

static struct oom_kill *kill_by_pid(struct oom_report *r, int64_t pid)
{
	for (size_t i = 0; r && i < r->n_kills; i++)
		if (r->kills[i].pid == pid)
			return &r->kills[i];
	return NULL;
}

static void killed_line(struct report_asm *a, const struct log_line *ll,
			const struct line_class *lc)
{
	struct oom_report *r = a->cur;
	struct oom_kill *k;
	uint64_t u;
	int64_t i;

	if (r->n_kills >= MAX_KILLS_PER_REPORT) {
		r->flags |= REPORT_TOO_LONG;
		return;
	}
	k = oom_report_add_kill(r);
	lc_i64(lc, "pid", &k->pid);
	k->comm = lc_dup(lc, "comm");
	k->reason = lc_dup(lc, "reason");
	k->line = ll->lineno;
	if (lc_u64(lc, "vm", &k->total_vm_kb))
		k->known |= KILL_TOTAL_VM;
	if (lc_u64(lc, "anon", &k->anon_rss_kb))
		k->known |= KILL_ANON_RSS;
	if (lc_u64(lc, "file", &k->file_rss_kb))
		k->known |= KILL_FILE_RSS;
	if (lc_u64(lc, "shmem", &k->shmem_rss_kb))
		k->known |= KILL_SHMEM_RSS;
	if (lc_u64(lc, "uid", &u)) {
		k->uid = (int64_t)u;
		k->known |= KILL_UID;
	}
	if (lc_u64(lc, "pgtables", &k->pgtables_kb))
		k->known |= KILL_PGTABLES;
	if (lc_i64(lc, "adj", &i)) {
		k->oom_score_adj = i;
		k->known |= KILL_ADJ;
	}
	if (k->reason && !strcmp(k->reason, "Memory cgroup out of memory") &&
	    !r->constraint)
		r->constraint = xstrdup(CONSTRAINT_MEMCG_NAME);
	a->state = ASM_KILLED;
}

/* Attach a reaper line to the kill it names: the open report first, then
 * the one held back.  Returns 0 when no kill has that pid. */
static int reaper_line(struct report_asm *a, const struct line_class *lc)
{
	int64_t pid;
	struct oom_kill *k;

	if (!lc_i64(lc, "pid", &pid))
		return 0;
	k = kill_by_pid(a->cur, pid);
	if (!k)
		k = kill_by_pid(a->held, pid);
	if (!k)
		return 0;
	if (lc->kind == LINE_REAPED) {
		k->reap = REAP_REAPED;
		if (lc_u64(lc, "anon", &k->reaped_anon_kb) &&
		    lc_u64(lc, "file", &k->reaped_file_kb) &&
		    lc_u64(lc, "shmem", &k->reaped_shmem_kb))
			k->known |= KILL_REAPED;
	} else {
		k->reap = REAP_UNABLE;
	}
	return 1;
}

/* ---- the body of a report ----------------------------------------------- */

static char *constraint_name(const char *s, size_t n)
{
	static const struct {
		const char *kernel, *ours;
	} map[] = {
		{ "CONSTRAINT_NONE", CONSTRAINT_NONE_NAME },
		{ "CONSTRAINT_CPUSET", CONSTRAINT_CPUSET_NAME },
		{ "CONSTRAINT_MEMORY_POLICY", CONSTRAINT_MEMPOLICY_NAME },
		{ "CONSTRAINT_MEMCG", CONSTRAINT_MEMCG_NAME },
	};
	char *out;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strlen(map[i].kernel) == n && !memcmp(s, map[i].kernel, n))
			return xstrdup(map[i].ours);
	/* out-of-tree CONSTRAINT_* values: keep the word, lower-cased */
	if (n > 11 && !memcmp(s, "CONSTRAINT_", 11)) {
		s += 11;
		n -= 11;
	}
	out = xstrndup(s, n);
	for (char *p = out; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p += 'a' - 'A';
	return out;
}

static void set_str(char **dst, const struct line_class *lc, const char *name)
{
	char *v = lc_dup(lc, name);

	if (v) {
		free(*dst);
		*dst = v;
	}
}

static void header_line(struct report_asm *a, const struct line_class *lc)
{
	struct oom_report *r = a->cur;
	int64_t v;

	r->trigger_comm = lc_dup(lc, "comm");
	r->gfp_mask = lc_dup(lc, "gfp");
	set_str(&r->nodemask, lc, "nodemask");
	if (lc_i64(lc, "order", &r->order))
		r->known |= RK_ORDER;
	if (lc_i64(lc, "adj", &v)) {
		r->trigger_adj = v;
		r->known |= RK_TRIGGER_ADJ;
	}
}

static void summary_line(struct report_asm *a, const struct line_class *lc)
{
	struct oom_report *r = a->cur;
	const char *s;
	size_t n;
	uint64_t u;

	if (lc_get(lc, "constraint", &s, &n)) {
		free(r->constraint);
		r->constraint = constraint_name(s, n);
	}
	set_str(&r->nodemask, lc, "nodemask");
	set_str(&r->cpuset, lc, "cpuset");
	set_str(&r->mems_allowed, lc, "mems");
	set_str(&r->oom_memcg, lc, "oom_memcg");
	set_str(&r->task_memcg, lc, "task_memcg");
	if (lc_i64(lc, "pid", &r->selected_pid)) {
		set_str(&r->selected_comm, lc, "task");
		if (lc_u64(lc, "uid", &u))
			r->selected_uid = (int64_t)u;
		r->known |= RK_SELECTED;
	} else {
		r->flags |= REPORT_SUMMARY_CUT;
	}
}

static void memcg_usage_line(struct report_asm *a, const struct line_class *lc)
{
	struct oom_report *r = a->cur;
	const char *s;
	size_t n;

	if (!lc_get(lc, "which", &s, &n))
		return;
	for (int i = 0; i < MEMCG_COUNTER_COUNT; i++) {
		struct memcg_usage *m = &r->memcg[i];

		if (strlen(memcg_counter_names[i]) != n ||
		    memcmp(s, memcg_counter_names[i], n))
			continue;
		if (lc_u64(lc, "usage", &m->usage_kb) &&
		    lc_u64(lc, "limit", &m->limit_kb) &&
		    lc_u64(lc, "failcnt", &m->failcnt))
			m->known = 1;
	}
	a->seen |= SEEN_MEMCG;
}

/* A line of an open report.  Returns 1 when the line belongs to it. */
static int body_line(struct report_asm *a, const struct log_line *ll,
		     const struct line_class *lc)
{
	struct oom_report *r = a->cur;
	const char *s;
	size_t n;

	switch (lc->kind) {
	case LINE_CPUSET:
		set_str(&r->cpuset, lc, "cpuset");
		set_str(&r->mems_allowed, lc, "mems");
		return 1;
	case LINE_CPU:
		/* the first dump_stack after the header is the trigger's */
		if (a->seen & (SEEN_CPU | SEEN_MEMINFO | SEEN_MEMCG | SEEN_DUMP))
			return 0;
		a->seen |= SEEN_CPU;
		if (lc_i64(lc, "pid", &r->trigger_pid))
			r->known |= RK_TRIGGER_PID;
		if (lc_i64(lc, "uid", &r->trigger_uid))
			r->known |= RK_TRIGGER_UID;
		set_str(&r->kernel_release, lc, "release");
		return 1;
	case LINE_HARDWARE:
		if (!r->hardware)
			r->hardware = lc_dup(lc, "hw");
		return 1;
	case LINE_STACK:
	case LINE_LOWMEM:
	case LINE_NODE:
	case LINE_SUPPRESSED:
		return 1;
	case LINE_MEMINFO:
		a->seen |= SEEN_MEMINFO;
		return 1;
	case LINE_MEM_COUNTERS:
	case LINE_ZONE:
	case LINE_BUDDY:
	case LINE_HUGEPAGES:
	case LINE_PAGE_COUNT:
	case LINE_SWAP_LINE:
		report_meminfo_line(r, lc);
		a->seen |= SEEN_MEMINFO;
		return 1;
	case LINE_MEMCG_USAGE:
		memcg_usage_line(a, lc);
		return 1;
	case LINE_MEMCG_STATS:
		set_str(&r->memcg_stats_path, lc, "path");
		if (lc_get(lc, "rest", &s, &n) && n) {
			/* <= 5.2: " key:NKB" pairs on the same line */
			buf_add(&a->stats, s + 1, n - 1);
			buf_addch(&a->stats, '\n');
		} else {
			a->state = ASM_MEMCG_STATS;
		}
		a->seen |= SEEN_MEMCG;
		return 1;
	case LINE_TASK_IN:
		set_str(&r->task_memcg, lc, "task");
		set_str(&r->oom_memcg, lc, "limit");
		if (!r->constraint)
			r->constraint = xstrdup(CONSTRAINT_MEMCG_NAME);
		a->seen |= SEEN_MEMCG;
		return 1;
	case LINE_TASKS_STATE:
		a->seen |= SEEN_DUMP;
		return 1;
	case LINE_TASK_HEADER:
		a->seen |= SEEN_DUMP;
		if (lc_get(lc, "cols", &s, &n))
			r->layout = report_layout_from_header(s, n);
		if (r->layout == LAYOUT_UNKNOWN)
			warn(a, ll->lineno, "task dump header with unknown "
					    "columns, rows skipped");
		return 1;
	case LINE_TASK_ROW:
		/* "[N] ..." outside a dump is someone else's line */
		if (!(a->seen & SEEN_DUMP))
			return 0;
		if (report_task_row(r, ll, lc) < 0) {
			r->flags |= REPORT_DUMP_PARTIAL;
			warn(a, ll->lineno, "task dump row not understood, "
					    "skipping");
		}
		return 1;
	case LINE_SUMMARY:
		summary_line(a, lc);
		return 1;
	case LINE_SELECT:
		if (lc_i64(lc, "pid", &r->selected_pid)) {
			set_str(&r->selected_comm, lc, "comm");
			r->known |= RK_SELECTED;
		}
		if (lc_i64(lc, "score", &r->selected_score))
			r->known |= RK_SCORE;
		return 1;
	case LINE_KILLED:
		killed_line(a, ll, lc);
		return 1;
	case LINE_GROUP:
		set_str(&r->group_kill_memcg, lc, "path");
		return 1;
	case LINE_REAPED:
	case LINE_REAP_FAILED:
		return reaper_line(a, lc);
	case LINE_NO_KILLABLE:
		r->flags |= REPORT_NO_KILLABLE;
		a->state = ASM_KILLED;	/* nothing more will be killed */
		return 1;
	case LINE_EXITING:
		r->flags |= REPORT_VICTIM_EXITING;
		a->state = ASM_KILLED;
		return 1;
	case LINE_PANIC:
		r->flags |= REPORT_PANIC;
		return 1;
	case LINE_STAT_KV:
	case LINE_HEADER:
	case LINE_NONE:
	case LINE_KIND_COUNT:
		break;
	}
	return 0;
}

/* After the kill line only the kill's tail may follow. */
static int kill_tail(const struct line_class *lc)
{
	switch (lc->kind) {
	case LINE_KILLED:
	case LINE_GROUP:
	case LINE_REAPED:
	case LINE_REAP_FAILED:
	case LINE_PANIC:
		return 1;
	default:
		return 0;
	}
}

/* A line while no report is open. */
static void idle_line(struct report_asm *a, const struct log_line *ll,
		      const struct line_class *lc)
{
	switch (lc->kind) {
	case LINE_HEADER:
		open_report(a, ll);
		add_raw(a, ll);
		a->raw_kept = a->raw.len;
		header_line(a, lc);
		return;
	case LINE_KILLED:
	case LINE_SELECT:
		/* the header and dump are rate limited, these lines are not */
		open_report(a, ll);
		a->cur->flags |= REPORT_NO_HEADER;
		add_raw(a, ll);
		a->raw_kept = a->raw.len;
		body_line(a, ll, lc);
		return;
	case LINE_REAPED:
	case LINE_REAP_FAILED:
		if (!reaper_line(a, lc))
			warn(a, ll->lineno, "oom_reaper line for a kill not "
					    "seen, skipping");
		return;
	default:
		return;
	}
}

void report_feed(struct report_asm *a, const struct log_line *ll,
		 const struct line_class *lc)
{
	int own;

	if (ll->fmt == FMT_MARKER && ll->raw_len > 8 &&
	    !memcmp(ll->raw, "-- Boot ", 8)) {
		/* a new boot (journalctl): nothing continues across it */
		if (a->cur) {
			if (a->state != ASM_KILLED)
				a->cur->flags |= REPORT_CUT;
			close_report(a);
		}
		emit_held(a);
		return;
	}

	if (!a->cur) {
		if (ll->kernel)
			idle_line(a, ll, lc);
		return;
	}
	if (ll->kernel && lc->kind == LINE_HEADER) {
		/* a new report: the open one ends here, cut short unless it
		 * already reached its kill line */
		if (a->state != ASM_KILLED)
			a->cur->flags |= REPORT_CUT;
		close_report(a);
		idle_line(a, ll, lc);
		return;
	}
	add_raw(a, ll);
	if (!ll->kernel) {
		own = 0;
	} else if (a->state == ASM_MEMCG_STATS && lc->kind == LINE_STAT_KV) {
		buf_add(&a->stats, lc->text, lc->len);
		buf_addch(&a->stats, '\n');
		own = 1;
	} else if (a->state == ASM_KILLED &&
		   (!kill_tail(lc) ||
		    (lc->kind == LINE_KILLED && a->foreign_run &&
		     !a->cur->group_kill_memcg))) {
		/* Kill lines of one report follow each other; one after other
		 * lines (and no memory.oom.group) is a new, headless report. */
		/* the report is over; this line may start the next one */
		close_report(a);
		idle_line(a, ll, lc);
		return;
	} else {
		if (a->state == ASM_MEMCG_STATS)
			a->state = ASM_BODY;
		own = body_line(a, ll, lc);
	}
	if (own) {
		a->raw_kept = a->raw.len;
		a->cur->last_line = ll->lineno;
		a->foreign_run = 0;
		if (lc->kind == LINE_PANIC) {
			close_report(a);
			return;
		}
	} else if (++a->foreign_run > MAX_FOREIGN_RUN) {
		a->cur->flags |= REPORT_CUT;
		close_report(a);
	}
}

void report_finish(struct report_asm *a)
{
	if (a->cur) {
		if (a->state != ASM_KILLED)
			a->cur->flags |= REPORT_CUT;
		close_report(a);
	}
	emit_held(a);
}
