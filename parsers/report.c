/*
 * report.c: classified lines -> struct oom_report.  See report.h.
 *
 * The kernel prints a report in a known order (reference §2.0), but lines
 * of other CPUs land in between, the reaper speaks late, and rate limiting
 * or a reboot cuts reports short.  So placement is by line kind, not by
 * position: each kind fills its own part of a report (report-line.c), and
 * the state only says what a report is waiting for (memory.stat lines, its
 * kill tail).
 *
 * Several reports may be open at once.  Kernels before 4.6 could print a
 * global and a memcg OOM, or two memcg OOMs, at the same time, line by
 * line (§5.1); so a second header keeps an older report open when both
 * have the pre-4.6 shape and came close together.  Each line then goes to
 * the one open report that can take it: the printk caller id when the log
 * has one, the parts a report already has (a second Mem-Info or dump
 * title is not its own), the kernel's print order, the comm of the cpuset
 * and CPU lines, the pid of a kill line in a report's dump.  A line two
 * reports could both take is given to neither: the reports are flagged,
 * rows are dropped with a warning, and a kill line becomes a report of
 * its own, so that no row or victim ever lands in the wrong report.
 */
#include <stdint.h>
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

/* Foreign lines after which a report on trial is given up: a warning's
 * stack dump is over by then. */
#define MAX_TENTATIVE_RUN 64
/* Reports open at once; more means the log is beyond telling apart. */
#define MAX_OPEN 4
/* Closed reports kept back for a late oom_reaper line. */
#define MAX_HELD 4

struct report_asm {
	struct report_sink sink;
	struct slot *open[MAX_OPEN];	/* in the order they opened */
	size_t n_open;
	struct oom_report *held[MAX_HELD];	/* closed, oldest first */
	size_t n_held;
	struct slot *last;		/* took the last own line */
};

struct report_asm *report_asm_new(const struct report_sink *sink)
{
	struct report_asm *a = xcalloc(1, sizeof(*a));

	a->sink = *sink;
	return a;
}

static void slot_free(struct slot *s)
{
	if (!s)
		return;
	oom_report_free(s->r);
	buf_release(&s->raw);
	buf_release(&s->stats);
	free(s->reason);
	free(s->tails);
	report_pidset_release(&s->rows);
	free(s);
}

void report_asm_free(struct report_asm *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n_open; i++)
		slot_free(a->open[i]);
	for (size_t i = 0; i < a->n_held; i++)
		oom_report_free(a->held[i]);
	free(a);
}

int report_asm_active(const struct report_asm *a)
{
	return a->n_open > 0;
}

int report_asm_settled(const struct report_asm *a)
{
	for (size_t i = 0; i < a->n_open; i++)
		if (a->open[i]->state != ASM_KILLED)
			return 0;
	return 1;
}

static void sink_warn(void *ctx, uint64_t lineno, const char *msg)
{
	struct report_asm *a = ctx;

	if (a->sink.warn)
		a->sink.warn(a->sink.ctx, lineno, msg);
}

/* ---- opening and closing ---------------------------------------------- */

static void emit_held(struct report_asm *a, size_t keep)
{
	size_t n = a->n_held > keep ? a->n_held - keep : 0;

	for (size_t i = 0; i < n; i++) {
		/* no more reaper line can come for it: if it has no kill
		 * line, another of its lines may still name the victim */
		report_victim_from_lines(a->held[i]);
		/* and its kill line may have come late (reassembled) */
		report_infer_page_size(a->held[i]);
		report_infer_scope(a->held[i]);
		a->sink.emit(a->sink.ctx, a->held[i]);
	}
	memmove(a->held, a->held + n, (a->n_held - n) * sizeof(a->held[0]));
	a->n_held -= n;
}

static int slot_index(const struct report_asm *a, const struct slot *s)
{
	for (size_t i = 0; i < a->n_open; i++)
		if (a->open[i] == s)
			return (int)i;
	return -1;
}

/* r closes without its kill line: its kill lines may have been pasted
 * before it, as a report of their own, still held.  One report then. */
static void join_held_half(struct report_asm *a, struct oom_report *r)
{
	for (size_t i = a->n_held; i-- > 0;)
		if (report_join_halves(r, a->held[i])) {
			oom_report_free(a->held[i]);
			memmove(a->held + i, a->held + i + 1,
				(a->n_held - i - 1) * sizeof(a->held[0]));
			a->n_held--;
			return;
		}
}

/* Whether a report opened on trial went on as an OOM report. */
static int confirmed(const struct slot *s)
{
	const struct oom_report *r = s->r;

	int ends = (s->seen & SEEN_SUMMARY) || r->n_kills ||
		   (r->known & RK_SELECTED) ||
		   (r->flags & REPORT_NOT_KILLED);

	switch (s->tentative) {
	case TRIAL_CPU:
		return (s->seen & (SEEN_MEMINFO | SEEN_MEMCG)) &&
		       ((s->seen & SEEN_DUMP) || ends);
	case TRIAL_ROWS:
		return ends;
	default:
		return 1;
	}
}

/* Close open[i]; cut: it ended before its kill line. */
static void close_slot(struct report_asm *a, size_t i, int cut)
{
	struct slot *s = a->open[i];
	struct oom_report *r = s->r;

	if (!confirmed(s)) {
		/* a warning's stack dump, not an OOM's: nothing to keep */
		memmove(a->open + i, a->open + i + 1,
			(a->n_open - i - 1) * sizeof(a->open[0]));
		a->n_open--;
		if (a->last == s)
			a->last = NULL;
		slot_free(s);
		return;
	}

	if (cut && s->state != ASM_KILLED)
		r->flags |= REPORT_CUT;
	report_late_cut(s);
	report_finish_flags(s);
	if (s->nul_at < s->raw_kept)
		r->flags |= REPORT_NUL_BYTES;
	if (s->stats.len)
		r->memcg_stats = buf_detach(&s->stats, NULL);
	buf_truncate(&s->raw, s->raw_kept);
	r->raw = buf_detach(&s->raw, &r->raw_len);
	memmove(a->open + i, a->open + i + 1,
		(a->n_open - i - 1) * sizeof(a->open[0]));
	a->n_open--;
	if (a->last == s)
		a->last = NULL;
	s->r = NULL;
	slot_free(s);
	join_held_half(a, r);
	emit_held(a, MAX_HELD - 1);
	a->held[a->n_held++] = r;
}

static void close_all(struct report_asm *a)
{
	while (a->n_open)
		close_slot(a, 0, 1);
}

static void add_raw(struct slot *s, const struct log_line *ll)
{
	/* the lines split off a physical line share its raw text */
	if (ll->part && s->raw.len)
		return;
	if (s->raw.len + ll->raw_len + 1 > MAX_REPORT_RAW) {
		s->r->flags |= REPORT_TOO_LONG;
		return;
	}
	if (s->raw.len)
		buf_addch(&s->raw, '\n');
	report_raw_add(s, ll->raw, ll->raw_len);
}

/* Where a report's first line says it came from (the journal's reader
 * marks its own reports, src/ingest.c). */
static int64_t provenance_of(const struct log_line *ll)
{
	switch (ll->fmt) {
	case FMT_KMSG:
	case FMT_DMESG:
	case FMT_DMESG_T:
	case FMT_DMESG_ISO:
		return PROV_KMSG;
	default:
		return ll->known & LL_KTIME ? PROV_TEXT_STAMPED : PROV_TEXT;
	}
}

static struct slot *open_slot(struct report_asm *a, const struct log_line *ll)
{
	struct slot *s = xcalloc(1, sizeof(*s));
	struct oom_report *r;

	if (a->n_open == MAX_OPEN)
		close_slot(a, 0, 1);
	r = s->r = oom_report_new();
	s->raw = (struct buf)BUF_INIT;
	s->stats = (struct buf)BUF_INIT;
	s->state = ASM_BODY;
	s->ktime_us = s->wall_us = -1;
	s->nul_at = SIZE_MAX;
	if (ll->caller && ll->caller_len < sizeof(s->caller)) {
		memcpy(s->caller, ll->caller, ll->caller_len);
		s->caller[ll->caller_len] = '\0';
	}
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
	r->trust = provenance_of(ll);
	a->open[a->n_open++] = s;
	return s;
}

/* A line of s's own: s's raw keeps it, s is not idle. */
static void own_line(struct report_asm *a, struct slot *s,
		     const struct log_line *ll)
{
	int i = slot_index(a, s), last = a->last ? slot_index(a, a->last) : -1;

	s->raw_kept = s->raw.len;
	s->r->last_line = ll->lineno_last;
	s->foreign_run = 0;
	if (ll->known & LL_KTIME)
		s->ktime_us = ll->ktime_us;
	if (ll->known & LL_WALL)
		s->wall_us = ll->wall_us;
	if (ll->known & LL_JOINED)
		s->r->flags |= REPORT_LINES_JOINED;
	if (ll->known & LL_PASTE)
		s->r->flags |= REPORT_PASTE_PREFIX;
	/* an older report speaking after a newer one: they interleave */
	if (last > i && i >= 0) {
		s->r->flags |= REPORT_INTERLEAVED;
		a->last->r->flags |= REPORT_INTERLEAVED;
	}
	a->last = s;
}

/* Not s's line.  Too many of those in a row and s is given up. */
static void foreign_line(struct report_asm *a, struct slot *s,
			 const struct log_line *ll)
{
	add_raw(s, ll);
	s->since_kill++;
	if (++s->foreign_run > (s->tentative && !confirmed(s)
				? MAX_TENTATIVE_RUN : MAX_FOREIGN_RUN))
		close_slot(a, (size_t)slot_index(a, s), 1);
}

static void foreign_except(struct report_asm *a, const struct slot *keep,
			   const struct log_line *ll)
{
	for (size_t i = a->n_open; i-- > 0;)
		if (a->open[i] != keep)
			foreign_line(a, a->open[i], ll);
}

/* Apply a line to s, which wants it; the others see a foreign line. */
static void take(struct report_asm *a, struct slot *s,
		 const struct log_line *ll, const struct line_class *lc)
{
	add_raw(s, ll);
	foreign_except(a, s, ll);
	if (!report_apply(s, ll, lc, sink_warn, a)) {
		foreign_line(a, s, ll);
		return;
	}
	if (lc->kind == LINE_KILLED || lc->kind == LINE_GROUP)
		s->since_kill = 0;
	else
		s->since_kill++;
	own_line(a, s, ll);
	if (lc->kind == LINE_PANIC)
		close_slot(a, (size_t)slot_index(a, s), 0);
}

/* A report that starts without its header: a kill line (the header was
 * rate limited, §2.13.6) or the task dump (the ring buffer lost the
 * start).  Nothing it did not print is filled in. */
static void open_headless(struct report_asm *a, const struct log_line *ll,
			  const struct line_class *lc, unsigned flags)
{
	struct slot *s;

	foreign_except(a, NULL, ll);
	s = open_slot(a, ll);
	s->r->flags |= REPORT_NO_HEADER | flags;
	add_raw(s, ll);
	report_apply(s, ll, lc, sink_warn, a);
	own_line(a, s, ll);
}

/*
 * A CPU line ("CPU: 3 PID: 2210 Comm: postgres ...") while no report is
 * open: the dump_stack() of a report whose invocation line a filter or a
 * paste lost, or of any warning.  It is opened on trial: the trigger is
 * the CPU line's task, the kernel its release, and it is kept only when
 * the memory state and a dump or kill of an OOM follow (confirmed()).
 * Task rows with no report open (a paste that starts inside the dump)
 * are taken on trial the same way, kept when a kill or summary follows.
 */
static void open_tentative(struct report_asm *a, const struct log_line *ll,
			   const struct line_class *lc)
{
	struct slot *s;

	foreign_except(a, NULL, ll);
	for (size_t i = a->n_open; i-- > 0;)
		if (a->open[i]->tentative)
			close_slot(a, i, 1);
	s = open_slot(a, ll);
	s->tentative = lc->kind == LINE_CPU ? TRIAL_CPU : TRIAL_ROWS;
	if (lc->kind == LINE_CPU) {
		s->r->flags |= REPORT_NO_HEADER | REPORT_HEADER_LOST;
		s->r->trigger_comm = lc_dup(lc, "comm");
	} else {
		/* a paste that starts inside the dump, or a grep that kept
		 * the rows and the kill lines: read by the rows' shape */
		s->r->flags |= REPORT_NO_HEADER;
		s->seen |= SEEN_DUMP;
	}
	add_raw(s, ll);
	report_apply(s, ll, lc, sink_warn, a);
	own_line(a, s, ll);
}

/* ---- routing -------------------------------------------------------------- */

static int is_header(const struct line_class *lc)
{
	/* a 4.14 header whose nodemask piece never came is still one */
	return lc->kind == LINE_HEADER ||
	       (lc->kind == LINE_HEAD && lc_pattern_is(lc, "head-header"));
}

static int64_t abs64(int64_t v)
{
	return v < 0 ? -v : v;
}

static int same_caller(const struct slot *s, const struct log_line *ll)
{
	return strlen(s->caller) == ll->caller_len &&
	       !memcmp(s->caller, ll->caller, ll->caller_len);
}

/* A new header while s is open: could both be printing at once? */
static int concurrent(const struct slot *s, const struct log_line *ll,
		      const struct line_class *lc)
{
	const char *g;
	size_t n;

	if (!s->old_format || !lc_get(lc, "gfp", &g, &n) || memchr(g, '(', n))
		return 0;
	if (ll->caller && s->caller[0])
		return !same_caller(s, ll);
	if ((ll->known & LL_KTIME) && s->ktime_us >= 0)
		return abs64(ll->ktime_us - s->ktime_us) <= 1000000;
	if ((ll->known & LL_WALL) && s->wall_us >= 0)
		return abs64(ll->wall_us - s->wall_us) <= 2000000;
	return 1;	/* no time to tell by */
}

static void header_arrives(struct report_asm *a, const struct log_line *ll,
			   const struct line_class *lc)
{
	struct slot *s;

	for (size_t i = a->n_open; i-- > 0;) {
		s = a->open[i];
		if (s->state == ASM_KILLED)
			close_slot(a, i, 0);
		else if (!concurrent(s, ll, lc))
			close_slot(a, i, 1);	/* cut short */
	}
	foreign_except(a, NULL, ll);
	s = open_slot(a, ll);
	add_raw(s, ll);
	{
		struct line_class spare;

		report_header_line(s, report_line_damage(s, ll, lc, &spare));
	}
	own_line(a, s, ll);
}

/* A kill line no open report takes: the kill of a held report that
 * closed without one (its kill lines pasted after it)?  1 when taken. */
static int late_kill(struct report_asm *a, const struct log_line *ll,
		     const struct line_class *lc)
{
	if (lc->kind != LINE_KILLED)
		return 0;
	for (size_t i = a->n_held; i-- > 0;)
		if (report_late_kill(a->held[i], ll, lc)) {
			foreign_except(a, NULL, ll);
			return 1;
		}
	return 0;
}

/* A reaper line goes to the kill it names, open or recently closed. */
static void reaper_arrives(struct report_asm *a, const struct log_line *ll,
			   const struct line_class *lc)
{
	for (size_t i = a->n_open; i-- > 0;)
		if (report_reaper_line(a->open[i]->r, lc)) {
			struct slot *s = a->open[i];

			add_raw(s, ll);
			foreign_except(a, s, ll);
			s->since_kill++;
			own_line(a, s, ll);
			return;
		}
	for (size_t i = a->n_held; i-- > 0;)
		if (report_reaper_line(a->held[i], lc)) {
			foreign_except(a, NULL, ll);
			return;
		}
	/* no kill of that pid: a report whose kill line was lost */
	for (size_t i = a->n_open; i-- > 0;)
		if (report_kill_from_reaper(a->open[i]->r, lc)) {
			struct slot *s = a->open[i];

			add_raw(s, ll);
			foreign_except(a, s, ll);
			s->state = ASM_KILLED;
			s->since_kill = 0;
			own_line(a, s, ll);
			return;
		}
	for (size_t i = a->n_held; i-- > 0;)
		if (report_kill_from_reaper(a->held[i], lc)) {
			foreign_except(a, NULL, ll);
			return;
		}
	if (!a->n_open)
		sink_warn(a, ll->lineno, "oom_reaper line for a kill not seen, "
					 "skipping");
	foreign_except(a, NULL, ll);
}

/* After its kill line, only the kill's tail may follow. */
static int report_over(const struct slot *s, const struct line_class *lc)
{
	switch (lc->kind) {
	case LINE_KILLED:
		/* a report kills one victim, and with it the processes
		 * sharing its mm (<= 3.19) or, with memory.oom.group, the
		 * rest of the group.  Any other kill line is a report of its
		 * own whose header and dump were rate limited away, even
		 * right after this one's */
		return !s->r->group_kill_memcg &&
		       !lc_pattern_is(lc, "killed-sharing");
	case LINE_GROUP:
	case LINE_PANIC:
	case LINE_NO_KILLABLE:
	case LINE_MM_PINNED:
	case LINE_ELISION:	/* a reader's "[...]" may come anywhere */
		return 0;
	default:
		return 1;
	}
}

static int in_order(const struct slot *s, const struct line_class *lc)
{
	enum part p = report_part_of(lc->kind);

	if (p == PART_ANY ||
	    (s->state == ASM_MEMCG_STATS && lc->kind == LINE_STAT_KV))
		return 1;
	if (p < s->part)
		return 0;
	/* dump_stack() comes before any memory or dump line */
	return p < PART_MEMCG || (s->seen & SEEN_CPU) ||
	       (s->r->flags & REPORT_NO_HEADER);
}

static int kill_fits(const struct slot *s, const struct line_class *lc)
{
	const struct oom_report *r = s->r;
	int64_t pid;

	return lc_i64(lc, "pid", &pid) &&
	       (report_has_task(r, pid) || report_kill_by_pid((void *)r, pid) ||
		((r->known & RK_SELECTED) && r->selected_pid == pid));
}

static int reason_fits(const struct slot *s, const struct line_class *lc)
{
	const char *str;
	size_t n;

	if (!lc_get(lc, "reason", &str, &n))
		return 0;
	if (n == 27 && !memcmp(str, "Memory cgroup out of memory", 27))
		return (s->seen & SEEN_MEMCG) != 0;
	return (s->seen & SEEN_MEMINFO) && !(s->seen & SEEN_MEMCG);
}

static int comm_fits(const struct slot *s, const struct line_class *lc)
{
	const char *str;
	size_t n;

	return s->r->trigger_comm && lc_get(lc, "comm", &str, &n) &&
	       strlen(s->r->trigger_comm) == n &&
	       !memcmp(s->r->trigger_comm, str, n);
}

/* Keep the candidates fit() accepts, if any does. */
static size_t narrow(struct slot **cand, size_t n,
		     int (*fit)(const struct slot *, const struct line_class *),
		     const struct line_class *lc)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (fit(cand[i], lc))
			m++;
	if (m == 0)
		return n;
	m = 0;
	for (size_t i = 0; i < n; i++)
		if (fit(cand[i], lc))
			cand[m++] = cand[i];
	return m;
}

static size_t tiebreak(struct slot **cand, size_t n, const struct log_line *ll,
		       const struct line_class *lc)
{
	size_t m = 0;

	if (ll->caller) {
		for (size_t i = 0; i < n; i++)
			if (same_caller(cand[i], ll))
				cand[m++] = cand[i];
		if (m)
			n = m;
	}
	switch (lc->kind) {
	case LINE_CPUSET:
	case LINE_CPU:
		return narrow(cand, n, comm_fits, lc);
	case LINE_KILLED:
	case LINE_SELECT:
	case LINE_EXITING:
		n = narrow(cand, n, kill_fits, lc);
		return n > 1 ? narrow(cand, n, reason_fits, lc) : n;
	default:
		return n;
	}
}

/* Two open reports could take the line: give it to neither. */
static void ambiguous(struct report_asm *a, struct slot **cand, size_t n,
		      const struct log_line *ll, const struct line_class *lc)
{
	for (size_t i = 0; i < n; i++)
		cand[i]->r->flags |= REPORT_INTERLEAVED;
	switch (lc->kind) {
	case LINE_KILLED:
	case LINE_SELECT:
	case LINE_EXITING:
		/* a victim stands alone rather than join the wrong report */
		open_headless(a, ll, lc, REPORT_INTERLEAVED);
		return;
	case LINE_STACK:
	case LINE_HARDWARE:
	case LINE_LOWMEM:
	case LINE_NODE:
	case LINE_MEM_OTHER:
	case LINE_SUPPRESSED:
		/* nothing is read from these: they keep both alive */
		for (size_t i = 0; i < a->n_open; i++)
			add_raw(a->open[i], ll);
		for (size_t i = 0; i < n; i++)
			cand[i]->foreign_run = 0;
		return;
	case LINE_TASK_ROW:
		for (size_t i = 0; i < n; i++)
			cand[i]->r->flags |= REPORT_DUMP_PARTIAL;
		break;
	default:
		break;
	}
	sink_warn(a, ll->lineno, "line of two interleaved reports, cannot "
				 "tell whose, skipping");
	foreign_except(a, NULL, ll);
}

/* Whether every open report is on trial (or none is open). */
static int only_tentative(const struct report_asm *a)
{
	for (size_t i = 0; i < a->n_open; i++)
		if (!a->open[i]->tentative)
			return 0;
	return 1;
}

static void route(struct report_asm *a, const struct log_line *ll,
		  const struct line_class *lc)
{
	struct slot *cand[MAX_OPEN];
	size_t n = 0;
	int multi;

	for (size_t i = a->n_open; i-- > 0;)
		if (a->open[i]->state == ASM_KILLED &&
		    report_over(a->open[i], lc))
			close_slot(a, i, 0);
	multi = a->n_open > 1;
	for (size_t i = 0; i < a->n_open; i++) {
		struct slot *s = a->open[i];

		/* with caller ids, another task's line is never ours */
		if (ll->caller && s->caller[0] && !same_caller(s, ll))
			continue;
		if (!report_wants(s, ll, lc) || (multi && !in_order(s, lc)))
			continue;
		cand[n++] = s;
	}
	if (n > 1)
		n = tiebreak(cand, n, ll, lc);
	if (n == 1) {
		take(a, cand[0], ll, lc);
		return;
	}
	if (n > 1) {
		ambiguous(a, cand, n, ll, lc);
		return;
	}
	switch (lc->kind) {
	case LINE_TASKS_STATE:
	case LINE_TASK_HEADER:
		/* a second dump: a report whose start was lost; the open
		 * ones that already have a dump are over */
		for (size_t i = a->n_open; i-- > 0;)
			if (a->open[i]->seen & SEEN_DUMP)
				close_slot(a, i, 1);
		open_headless(a, ll, lc, 0);
		return;
	case LINE_KILLED:
	case LINE_SELECT:
		if (!late_kill(a, ll, lc))
			open_headless(a, ll, lc, 0);
		return;
	case LINE_CPU:
		if (only_tentative(a)) {
			open_tentative(a, ll, lc);
			return;
		}
		foreign_except(a, NULL, ll);
		return;
	default:
		foreign_except(a, NULL, ll);
		return;
	}
}

/* A line while no report is open. */
static void idle_line(struct report_asm *a, const struct log_line *ll,
		      const struct line_class *lc)
{
	const char *cols;
	size_t n;

	switch (lc->kind) {
	case LINE_KILLED:
		if (!late_kill(a, ll, lc))
			open_headless(a, ll, lc, 0);
		return;
	case LINE_CPU:
		open_tentative(a, ll, lc);
		return;
	case LINE_TASK_ROW:
		if (lc_get(lc, "cols", &cols, &n) &&
		    report_layout_from_row(cols, n, NULL) != LAYOUT_UNKNOWN)
			open_tentative(a, ll, lc);
		return;
	case LINE_SELECT:
	case LINE_TASKS_STATE:
	case LINE_TASK_HEADER:
		open_headless(a, ll, lc, 0);
		return;
	default:
		return;
	}
}

void report_feed(struct report_asm *a, const struct log_line *ll,
		 const struct line_class *lc)
{
	if ((ll->known & LL_BOOT) ||
	    (ll->kernel && lc->kind == LINE_BOOT)) {
		/* a new boot: nothing continues across it */
		close_all(a);
		emit_held(a, 0);
		if (ll->fmt == FMT_MARKER || lc->kind == LINE_BOOT)
			return;
	}
	if (ll->fmt == FMT_MARKER || ll->fmt == FMT_META)
		return;
	if (a->n_open && ((ll->known & LL_GAP) || lc->kind == LINE_LOST))
		for (size_t i = 0; i < a->n_open; i++)
			a->open[i]->r->flags |= REPORT_LINES_LOST;
	if (!ll->kernel || lc->kind == LINE_LOST) {
		foreign_except(a, NULL, ll);
		return;
	}
	if (is_header(lc)) {
		header_arrives(a, ll, lc);
		return;
	}
	if (lc->kind == LINE_REAPED || lc->kind == LINE_REAP_FAILED) {
		reaper_arrives(a, ll, lc);
		return;
	}
	if (!a->n_open)
		idle_line(a, ll, lc);
	else
		route(a, ll, lc);
}

void report_finish(struct report_asm *a)
{
	close_all(a);
	emit_held(a, 0);
}
