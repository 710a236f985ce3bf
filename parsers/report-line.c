/*
 * report-line.c: what each kind of line does to the report it belongs to,
 * and whether a report can take a line at all.  The assembler (report.c)
 * decides which open report a line goes to; this file knows the parts.
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "classify.h"
#include "fmt.h"
#include "oom.h"
#include "oomlens.h"
#include "report-int.h"
#include "xalloc.h"

#define REASON_MEMCG "Memory cgroup out of memory"
#define REASON_MPOL "No available memory (MPOL_BIND)"

enum part report_part_of(enum line_kind kind)
{
	switch (kind) {
	case LINE_HEADER:
		return PART_HEADER;
	case LINE_CPUSET:
		return PART_CPUSET;
	case LINE_CPU:
		return PART_CPU;
	case LINE_HARDWARE:
	case LINE_STACK:
		return PART_STACK;
	case LINE_MEMCG_USAGE:
	case LINE_MEMCG_STATS:
	case LINE_STAT_KV:
	case LINE_TASK_IN:
		return PART_MEMCG;
	case LINE_MEMINFO:
	case LINE_MEM_COUNTERS:
	case LINE_NODE:
	case LINE_ZONE:
	case LINE_LOWMEM:
	case LINE_BUDDY:
	case LINE_HUGEPAGES:
	case LINE_PAGE_COUNT:
	case LINE_SWAP_LINE:
	case LINE_MEM_OTHER:
		return PART_MEMINFO;
	case LINE_TASKS_STATE:
	case LINE_TASK_HEADER:
	case LINE_TASK_ROW:
		return PART_DUMP;
	case LINE_SUMMARY:
		return PART_SUMMARY;
	case LINE_SELECT:
		return PART_SELECT;
	case LINE_KILLED:
	case LINE_GROUP:
	case LINE_NO_KILLABLE:
	case LINE_EXITING:
	case LINE_PANIC:
	case LINE_MM_PINNED:
		return PART_KILL;
	default:
		return PART_ANY;
	}
}

static int str_is(const char *s, size_t n, const char *lit)
{
	return strlen(lit) == n && !memcmp(s, lit, n);
}

int report_has_task(const struct oom_report *r, int64_t pid)
{
	for (size_t i = 0; i < r->n_tasks; i++)
		if (r->tasks[i].pid == pid ||
		    ((r->tasks[i].known & TASK_TGID) && r->tasks[i].tgid == pid))
			return 1;
	return 0;
}

static size_t pid_hash(int64_t pid, size_t cap)
{
	return (size_t)((uint64_t)pid * UINT64_C(0x9e3779b97f4a7c15) >> 32) &
	       (cap - 1);
}

int report_pidset_has(const struct pidset *ps, int64_t pid)
{
	if (!ps->cap)
		return 0;
	for (size_t i = pid_hash(pid, ps->cap);; i = (i + 1) & (ps->cap - 1)) {
		if (ps->slot[i] == pid)
			return 1;
		if (ps->slot[i] == PIDSET_EMPTY)
			return 0;
	}
}

void report_pidset_add(struct pidset *ps, int64_t pid)
{
	size_t i;

	if (pid == PIDSET_EMPTY || report_pidset_has(ps, pid))
		return;
	if (2 * (ps->n + 1) > ps->cap) {
		struct pidset big = { 0 };

		big.cap = ps->cap ? 2 * ps->cap : 64;
		big.slot = xmalloc(big.cap * sizeof(*big.slot));
		for (i = 0; i < big.cap; i++)
			big.slot[i] = PIDSET_EMPTY;
		for (i = 0; i < ps->cap; i++)
			if (ps->slot[i] != PIDSET_EMPTY)
				report_pidset_add(&big, ps->slot[i]);
		free(ps->slot);
		*ps = big;
	}
	for (i = pid_hash(pid, ps->cap); ps->slot[i] != PIDSET_EMPTY;
	     i = (i + 1) & (ps->cap - 1))
		;
	ps->slot[i] = pid;
	ps->n++;
}

void report_pidset_release(struct pidset *ps)
{
	free(ps->slot);
	*ps = (struct pidset){ 0 };
}

struct oom_kill *report_kill_by_pid(struct oom_report *r, int64_t pid)
{
	for (size_t i = 0; r && i < r->n_kills; i++)
		if (r->kills[i].pid == pid)
			return &r->kills[i];
	return NULL;
}

static int memcg_counter(const struct line_class *lc)
{
	const char *s;
	size_t n;

	if (!lc_get(lc, "which", &s, &n))
		return -1;
	for (int i = 0; i < MEMCG_COUNTER_COUNT; i++)
		if (str_is(s, n, memcg_counter_names[i]))
			return i;
	return -1;
}

/* The layout of a row of s that came without the dump's title. */
static enum task_layout untitled_layout(const struct slot *s,
					const struct line_class *lc)
{
	const char *cols;
	size_t n;

	if (!lc_get(lc, "cols", &cols, &n))
		return LAYOUT_UNKNOWN;
	return report_layout_from_row(cols, n, s->r->kernel_release);
}

int report_wants(const struct slot *s, const struct log_line *ll,
		 const struct line_class *lc)
{
	const struct oom_report *r = s->r;
	int64_t pid;
	int i;

	(void)ll;
	if (s->state == ASM_MEMCG_STATS && lc->kind == LINE_STAT_KV)
		return 1;
	/* a stack dump on trial: an OOM's shows its memory state before
	 * any dump or kill line (a warning's does not) */
	if (s->tentative == TRIAL_CPU &&
	    !(s->seen & (SEEN_MEMINFO | SEEN_MEMCG)) &&
	    report_part_of(lc->kind) > PART_MEMINFO)
		return 0;
	switch (lc->kind) {
	case LINE_CPUSET:
		return !r->cpuset;
	case LINE_CPU:
		/* the first dump_stack after the header is the trigger's */
		return !(s->seen & (SEEN_CPU | SEEN_MEMINFO | SEEN_MEMCG |
				    SEEN_DUMP)) &&
		       !(r->flags & REPORT_NO_HEADER);
	case LINE_HARDWARE:
		return !r->hardware;
	case LINE_STACK:
	case LINE_LOWMEM:
	case LINE_NODE:
	case LINE_SUPPRESSED:
	case LINE_MEM_OTHER:
	case LINE_HUGEPAGES:
		return 1;
	case LINE_MEMINFO:
		return !(s->seen & SEEN_MEMINFO_HDR);
	case LINE_MEM_COUNTERS:
	case LINE_ZONE:
	case LINE_BUDDY:
	case LINE_PAGE_COUNT:
	case LINE_SWAP_LINE:
		/* a second Mem-Info (another CPU's allocation failure, or
		 * another report) does not overwrite the first */
		return !report_meminfo_dup(r, lc);
	case LINE_MEMCG_USAGE:
		i = memcg_counter(lc);
		return i >= 0 && !r->memcg[i].known;
	case LINE_MEMCG_STATS:
		return !r->memcg_stats_path && !s->stats.len;
	case LINE_TASK_IN:
		return !(s->seen & SEEN_TASK_IN);
	case LINE_TASKS_STATE:
		return !(s->seen & (SEEN_TASKS_STATE | SEEN_DUMP_TITLE));
	case LINE_TASK_HEADER:
		return !(s->seen & SEEN_DUMP_TITLE);
	case LINE_TASK_ROW:
		/* "[N] ..." outside a dump is someone else's line, and a pid
		 * the dump already has is another dump's row.  After the
		 * memory part a row may come without its dump's title (a
		 * paste lost it) */
		return ((s->seen & SEEN_DUMP_TITLE) ||
			((s->seen & (SEEN_DUMP | SEEN_MEMINFO | SEEN_MEMCG) ||
			  !(r->flags & REPORT_NO_HEADER)) &&
			 (r->layout != LAYOUT_UNKNOWN ||
			  untitled_layout(s, lc) != LAYOUT_UNKNOWN))) &&
		       !(lc_i64(lc, "pid", &pid) && report_pidset_has(&s->rows, pid));
	case LINE_SUMMARY:
		return !(s->seen & SEEN_SUMMARY);
	case LINE_SELECT:
		return !(r->known & RK_SCORE);
	case LINE_KILLED:
	case LINE_GROUP:
	case LINE_NO_KILLABLE:
	case LINE_EXITING:
	case LINE_PANIC:
	case LINE_ELISION:
		return 1;
	case LINE_MM_PINNED:
		/* after the kill of the task it names */
		return lc_i64(lc, "pid", &pid) &&
		       report_kill_by_pid((struct oom_report *)r, pid) != NULL;
	default:
		return 0;
	}
}

static void set_str(char **dst, const struct line_class *lc, const char *name)
{
	char *v = lc_dup(lc, name);

	if (v) {
		free(*dst);
		*dst = v;
	}
}

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
		if (str_is(s, n, map[i].kernel))
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

static void set_constraint(struct oom_report *r, const char *name)
{
	if (!r->constraint)
		r->constraint = xstrdup(name);
}

/* A reason printed before "Kill process" / "Killed process" / "OOM
 * victim" says what kind of OOM it was, when it is one of these. */
static void reason_constraint(struct oom_report *r, const char *reason)
{
	if (!reason)
		return;
	if (!strcmp(reason, REASON_MEMCG))
		set_constraint(r, CONSTRAINT_MEMCG_NAME);
	else if (!strcmp(reason, REASON_MPOL))	/* 2.6.32 */
		set_constraint(r, CONSTRAINT_MEMPOLICY_NAME);
}

void report_header_line(struct slot *s, const struct line_class *lc)
{
	struct oom_report *r = s->r;
	const char *g;
	size_t n;
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
	/* GFP flag names in the header came with 4.6, and with 4.x all
	 * reports are serialised by oom_lock: only older ones interleave */
	s->old_format = lc_get(lc, "gfp", &g, &n) && !memchr(g, '(', n);
	s->part = PART_HEADER;
}

static void summary_line(struct slot *s, const struct line_class *lc)
{
	struct oom_report *r = s->r;
	const char *str;
	size_t n;
	uint64_t u;

	if (lc_get(lc, "constraint", &str, &n)) {
		free(r->constraint);
		r->constraint = constraint_name(str, n);
	}
	set_str(&r->nodemask, lc, "nodemask");
	set_str(&r->cpuset, lc, "cpuset");
	set_str(&r->mems_allowed, lc, "mems");
	set_str(&r->oom_memcg, lc, "oom_memcg");
	set_str(&r->task_memcg, lc, "task_memcg");
	if (lc_i64(lc, "pid", &r->selected_pid)) {
		set_str(&r->selected_comm, lc, "task");
		if (lc_u64(lc, "uid", &u)) {
			r->selected_uid = (int64_t)u;
			r->known |= RK_SELECTED_UID;
		}
		r->known |= RK_SELECTED;
	} else {
		r->flags |= REPORT_SUMMARY_CUT;
	}
	s->seen |= SEEN_SUMMARY;
}

static void memcg_usage_line(struct slot *s, const struct line_class *lc)
{
	struct memcg_usage *m;
	int i = memcg_counter(lc);

	if (i < 0)
		return;
	m = &s->r->memcg[i];
	if (lc_u64(lc, "usage", &m->usage_kb) &&
	    lc_u64(lc, "limit", &m->limit_kb) &&
	    lc_u64(lc, "failcnt", &m->failcnt))
		m->known = 1;
	s->seen |= SEEN_MEMCG;
}

struct oom_kill *report_add_kill(struct oom_report *r,
				 const struct log_line *ll,
				 const struct line_class *lc)
{
	struct oom_kill *k;
	uint64_t u;
	int64_t i;

	if (r->n_kills >= MAX_KILLS_PER_REPORT) {
		r->flags |= REPORT_TOO_LONG;
		return NULL;
	}
	k = oom_report_add_kill(r);
	/* a kill line joining a report closed before it brings its damage
	 * along (report_line_damage() saw it otherwise) */
	report_damage_flags(r, lc);
	lc_i64(lc, "pid", &k->pid);
	k->comm = lc_dup(lc, "comm");
	if (!k->comm)
		k->comm = xstrdup("");
	k->reason = lc_dup(lc, "reason");
	k->line = ll->lineno;
	if (lc_pattern_is(lc, "killed-sharing"))
		k->known |= KILL_SHARES_MM;
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
	reason_constraint(r, k->reason);
	return k;
}

static void killed_line(struct slot *s, const struct log_line *ll,
			const struct line_class *lc)
{
	s->state = ASM_KILLED;
	report_add_kill(s->r, ll, lc);
}

int report_reaper_line(struct oom_report *r, const struct line_class *lc)
{
	int64_t pid;
	struct oom_kill *k;

	if (!r || !lc_i64(lc, "pid", &pid))
		return 0;
	k = report_kill_by_pid(r, pid);
	if (!k)
		return 0;
	report_damage_flags(r, lc);
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

static void panic_line(struct slot *s, const struct line_class *lc)
{
	struct oom_report *r = s->r;
	char *msg = lc_dup(lc, "msg");

	r->flags |= REPORT_PANIC;
	if (!msg)
		return;
	/* <= 4.17 panicked with the no-victim message itself */
	if (!strncmp(msg, "Out of memory and no killable processes", 39))
		r->flags |= REPORT_NO_KILLABLE;
	/* 2.6.37+ check_panic_on_oom(): vm.panic_on_oom=1 panics only for
	 * CONSTRAINT_NONE ("system-wide"); =2 for any ("compulsory") */
	if (strstr(msg, "system-wide panic_on_oom is enabled"))
		set_constraint(r, CONSTRAINT_NONE_NAME);
	free(msg);
}

static int body_line(struct slot *s, const struct log_line *ll,
		     const struct line_class *lc,
		     void (*warn)(void *, uint64_t, const char *), void *wctx)
{
	struct oom_report *r = s->r;
	const char *str;
	size_t n;
	int64_t pid;

	switch (lc->kind) {
	case LINE_CPUSET:
		set_str(&r->cpuset, lc, "cpuset");
		set_str(&r->mems_allowed, lc, "mems");
		return 1;
	case LINE_CPU:
		s->seen |= SEEN_CPU;
		if (lc_i64(lc, "pid", &r->trigger_pid))
			r->known |= RK_TRIGGER_PID;
		if (lc_i64(lc, "uid", &r->trigger_uid))
			r->known |= RK_TRIGGER_UID;
		set_str(&r->kernel_release, lc, "release");
		return 1;
	case LINE_HARDWARE:
		r->hardware = lc_dup(lc, "hw");
		return 1;
	case LINE_STACK:
	case LINE_LOWMEM:
	case LINE_NODE:
	case LINE_SUPPRESSED:
	case LINE_MEM_OTHER:
	case LINE_MM_PINNED:	/* kept in the text: no reaper follows */
		return 1;
	case LINE_MEMINFO:
		s->seen |= SEEN_MEMINFO | SEEN_MEMINFO_HDR;
		return 1;
	case LINE_MEM_COUNTERS:
	case LINE_ZONE:
	case LINE_BUDDY:
	case LINE_HUGEPAGES:
	case LINE_PAGE_COUNT:
	case LINE_SWAP_LINE:
		report_meminfo_line(r, lc);
		s->seen |= SEEN_MEMINFO;
		return 1;
	case LINE_MEMCG_USAGE:
		memcg_usage_line(s, lc);
		return 1;
	case LINE_MEMCG_STATS:
		set_str(&r->memcg_stats_path, lc, "path");
		if (lc_get(lc, "rest", &str, &n) && n) {
			/* <= 5.2: " key:NKB" pairs on the same line */
			buf_add(&s->stats, str + 1, n - 1);
			buf_addch(&s->stats, '\n');
		} else {
			s->state = ASM_MEMCG_STATS;
		}
		s->seen |= SEEN_MEMCG;
		return 1;
	case LINE_STAT_KV:
		buf_add(&s->stats, lc->text, lc->len);
		buf_addch(&s->stats, '\n');
		return 1;
	case LINE_TASK_IN:
		set_str(&r->task_memcg, lc, "task");
		set_str(&r->oom_memcg, lc, "limit");
		set_constraint(r, CONSTRAINT_MEMCG_NAME);
		s->seen |= SEEN_MEMCG | SEEN_TASK_IN;
		return 1;
	case LINE_TASKS_STATE:
		s->seen |= SEEN_DUMP | SEEN_TASKS_STATE;
		return 1;
	case LINE_TASK_HEADER:
		s->seen |= SEEN_DUMP | SEEN_DUMP_TITLE;
		if (lc_get(lc, "cols", &str, &n))
			r->layout = report_layout_from_header(
				str, n, (lc->damage & LC_CUT) != 0);
		if (r->layout == LAYOUT_UNKNOWN && warn)
			warn(wctx, ll->lineno, "task dump header with unknown "
					       "columns, rows skipped");
		return 1;
	case LINE_TASK_ROW:
		if (!(s->seen & SEEN_DUMP_TITLE) &&
		    r->layout == LAYOUT_UNKNOWN) {
			/* the first row of a dump whose title is lost */
			r->layout = untitled_layout(s, lc);
			r->flags |= REPORT_DUMP_UNTITLED;
			s->seen |= SEEN_DUMP;
		}
		if (lc_i64(lc, "pid", &pid))
			report_pidset_add(&s->rows, pid);
		if (report_task_row(r, ll, lc) < 0) {
			r->flags |= REPORT_DUMP_PARTIAL;
			if (warn)
				warn(wctx, ll->lineno, "task dump row not "
						       "understood, skipping");
		}
		return 1;
	case LINE_SUMMARY:
		summary_line(s, lc);
		return 1;
	case LINE_SELECT:
		if (lc_i64(lc, "pid", &r->selected_pid)) {
			set_str(&r->selected_comm, lc, "comm");
			r->known |= RK_SELECTED;
		}
		if (lc_i64(lc, "score", &r->selected_score))
			r->known |= RK_SCORE;
		set_str(&s->reason, lc, "reason");
		reason_constraint(r, s->reason);
		return 1;
	case LINE_KILLED:
		killed_line(s, ll, lc);
		return 1;
	case LINE_GROUP:
		set_str(&r->group_kill_memcg, lc, "path");
		return 1;
	case LINE_NO_KILLABLE:
		r->flags |= REPORT_NO_KILLABLE;
		s->state = ASM_KILLED;	/* nothing more will be killed */
		return 1;
	case LINE_EXITING:
		/* the victim was not killed: it was exiting (5.9+), or a
		 * RHEL 6 dry run only said whom it would have killed */
		r->flags |= lc_pattern_is(lc, "would-have-killed")
			    ? REPORT_WOULD_HAVE_KILLED : REPORT_VICTIM_EXITING;
		set_str(&s->reason, lc, "reason");
		reason_constraint(r, s->reason);
		s->state = ASM_KILLED;
		return 1;
	case LINE_PANIC:
		panic_line(s, lc);
		return 1;
	case LINE_ELISION:
		/* a reader left lines out here: of the dump, rows */
		r->flags |= REPORT_ANNOTATED;
		if (s->part == PART_DUMP)
			r->flags |= REPORT_DUMP_PARTIAL;
		return 1;
	default:
		return 0;
	}
}

int report_apply(struct slot *s, const struct log_line *ll,
		 const struct line_class *lc,
		 void (*warn)(void *ctx, uint64_t lineno, const char *msg),
		 void *warn_ctx)
{
	enum part p = report_part_of(lc->kind);
	struct line_class spare;
	int own;

	/* an elision among memory.stat lines does not end them */
	if (s->state == ASM_MEMCG_STATS && lc->kind != LINE_STAT_KV &&
	    lc->kind != LINE_ELISION)
		s->state = ASM_BODY;
	lc = report_line_damage(s, ll, lc, &spare);
	own = body_line(s, ll, lc, warn, warn_ctx);
	if (own && p != PART_ANY && p > s->part)
		s->part = p;
	return own;
}

/* The reason that named the victim: the "Kill process" line's, else the
 * first kill's. */
static const char *victim_reason(const struct slot *s)
{
	if (s->reason)
		return s->reason;
	return s->r->n_kills ? s->r->kills[0].reason : NULL;
}

/*
 * Kernels before 5.0 (and RHEL 8.1) print no constraint.  A memcg OOM
 * says so (the memcg block, its reason); what remains is global, cpuset
 * or mempolicy.  The report's shape settles it when the trigger sits in
 * the root cpuset (no cpuset constraint possible) and no nodemask
 * narrows the allocation: a global OOM.  On kernels that print no
 * nodemask at all an mbind() policy cannot be ruled out, so the result
 * is flagged as inferred.
 */
static void infer_constraint(struct slot *s)
{
	struct oom_report *r = s->r;
	const char *reason = victim_reason(s);
	int global_reason;

	if (r->constraint || (s->seen & SEEN_MEMCG) ||
	    !(s->seen & SEEN_MEMINFO))
		return;
	/* in a paste cut at a width, a nodemask or cpuset not read may be
	 * one cut off, not one never printed */
	if ((r->flags & REPORT_TRUNCATED) && (!r->nodemask || !r->cpuset))
		return;
	global_reason = reason && (!strcmp(reason, "Out of memory") ||
				   !strcmp(reason, "Out of memory "
						   "(oom_kill_allocating_task)"));
	/* SysRq-f (order=-1) names no reason if nothing was killed */
	if (!global_reason && !((r->known & RK_ORDER) && r->order == -1))
		return;
	if (r->cpuset ? strcmp(r->cpuset, "/") != 0
		      : (r->flags & REPORT_NO_HEADER) != 0)
		return;
	if (r->nodemask && strcmp(r->nodemask, "(null)") != 0)
		return;
	r->constraint = xstrdup(CONSTRAINT_NONE_NAME);
	r->flags |= REPORT_CONSTRAINT_INFERRED;
}

void report_finish_flags(struct slot *s)
{
	struct oom_report *r = s->r;

	if (!r->n_kills)
		r->flags |= REPORT_NO_KILL;
	if (!(s->seen & SEEN_DUMP))
		r->flags |= REPORT_NO_DUMP;
	if (!(s->seen & (SEEN_MEMINFO | SEEN_MEMCG)))
		r->flags |= REPORT_NO_MEMINFO;
	report_correct_constraint(s);
	infer_constraint(s);
}
