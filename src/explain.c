/* explain.c: see explain.h. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "badness.h"
#include "buf.h"
#include "diagnosis.h"
#include "explain.h"

/* The candidate ranked right after the victim, or the top one when the
 * victim is not ranked first. */
static const struct oom_task *runner_up(const struct oom_report *r,
					const struct oom_task *victim)
{
	const struct oom_task *best = NULL;

	for (size_t i = 0; i < r->n_tasks; i++) {
		const struct oom_task *t = &r->tasks[i];

		if (t == victim || !(t->known & TASK_POINTS))
			continue;
		if (!best || t->rank < best->rank)
			best = t;
	}
	return best;
}

static void top_consumers(const struct oom_report *r, struct explain_why *w)
{
	for (size_t i = 0; i < r->n_tasks; i++) {
		const struct oom_task *t = &r->tasks[i];
		uint64_t u = badness_usage(r, t);
		size_t j;

		w->used_pages += u;
		/* insertion into the short sorted list */
		for (j = w->n_top; j > 0 && badness_usage(r, w->top[j - 1]) < u;
		     j--)
			if (j < EXPLAIN_TOP)
				w->top[j] = w->top[j - 1];
		if (j < EXPLAIN_TOP) {
			w->top[j] = t;
			if (w->n_top < EXPLAIN_TOP)
				w->n_top++;
		}
	}
}

/* Per comm, usage now minus usage in prev: the largest growth. */
static void growth(const struct oom_report *r, const struct oom_report *prev,
		   struct explain_why *w)
{
	for (size_t i = 0; i < r->n_tasks; i++) {
		const char *name = r->tasks[i].name;
		int64_t now = 0, then = 0;
		int seen = 0;

		for (size_t j = 0; j < i; j++)
			if (!strcmp(r->tasks[j].name, name))
				seen = 1;
		if (seen)
			continue;
		for (size_t j = i; j < r->n_tasks; j++)
			if (!strcmp(r->tasks[j].name, name))
				now += (int64_t)badness_usage(r, &r->tasks[j]);
		for (size_t j = 0; j < prev->n_tasks; j++)
			if (!strcmp(prev->tasks[j].name, name))
				then += (int64_t)badness_usage(prev, &prev->tasks[j]);
		if (!w->grew_name || (now - then) * (int64_t)w->page_kb > w->grew_kb) {
			w->grew_name = name;
			w->grew_kb = (now - then) * (int64_t)w->page_kb;
		}
	}
	w->has_growth = w->grew_name != NULL && w->grew_kb > 0;
}

void explain_why(const struct oom_report *r, const struct oom_kill *k,
		 const struct oom_report *prev, int64_t prev_id,
		 struct explain_why *w)
{
	memset(w, 0, sizeof(*w));
	w->r = r;
	w->kill = k;
	w->page_kb = badness_page_kb(r);
	if (!w->page_kb) {
		w->page_kb = 4;
		w->page_assumed = 1;
	}
	w->victim = k ? oom_report_task(r, k->pid) : NULL;
	w->runner_up = runner_up(r, w->victim);
	top_consumers(r, w);
	if (w->victim && (w->victim->known & TASK_RSS_SPLIT)) {
		w->victim_shmem_kb = w->victim->rss_shmem * w->page_kb;
		w->has_shmem = 1;
	} else if (k && (k->known & KILL_SHMEM_RSS)) {
		w->victim_shmem_kb = k->shmem_rss_kb;
		w->has_shmem = 1;
	}
	diagnose(r, k, &w->diag);
	if (w->diag.culprit.kind == CULPRIT_TASK)
		w->culprit = oom_report_task(r, w->diag.culprit.pid);
	if (prev) {
		w->prev_event_id = prev_id;
		w->prev_has_wall = (prev->known & RK_WALL) != 0;
		w->prev_wall_us = prev->wall_us;
		growth(r, prev, w);
	}
}

void explain_why_not(const struct oom_report *r, const struct oom_task *t,
		     struct explain_why_not *w)
{
	int64_t adj = t->known & TASK_ADJ ? t->oom_score_adj : 0;

	memset(w, 0, sizeof(*w));
	w->task = t;
	w->chosen = badness_predicted(r);
	w->kill = oom_report_victim(r);
	w->usage_pages = badness_usage(r, t);
	w->adj_term = badness_adj_term(r, adj);
	if (t->known & TASK_UNKILLABLE) {
		w->reason = WHYNOT_UNKILLABLE;
		return;
	}
	if (!(t->known & TASK_POINTS) || !w->chosen) {
		w->reason = WHYNOT_NOT_RANKED;
		return;
	}
	w->margin = w->chosen->points - t->points;
	/* without its adj term, would it have scored above the chosen? */
	w->reason = adj < 0 && t->points - w->adj_term > w->chosen->points
			    ? WHYNOT_ADJ : WHYNOT_FEWER_POINTS;
}

/* E0 is 2.6.32's badness() (RHEL 6.0-6.1), E1 2.6.36-3.0's oom_badness()
 * (RHEL 6.2+): mm/oom_kill.c of those kernels.  E2-E4 share one wording:
 * E2's root bonus (3% of the points) is a detail of "why", not of the
 * formula. */
const char *explain_formula(enum badness_era era)
{
	switch (era) {
	case ERA_E0:
		return "The kernel kills the task with the most points: its "
		       "virtual size (total_vm, in pages)\nplus half of each "
		       "child's, divided by roots of its cpu and run time, "
		       "doubled when niced,\nquartered for CAP_SYS_ADMIN or "
		       "CAP_SYS_RESOURCE and again for CAP_SYS_RAWIO,\n"
		       "divided by 8 when its nodes miss the allocating task's, "
		       "then "
		       "shifted by oom_adj";
	case ERA_E1:
		return "The kernel kills the task with the most points, 1 to "
		       "1000: rss + swap + page tables\nin thousandths of "
		       "totalpages, minus 30 for CAP_SYS_ADMIN, plus "
		       "oom_score_adj";
	default:
		return "The kernel kills the task with the most points: rss + "
		       "swap + page tables, in pages,\nplus oom_score_adj x "
		       "totalpages/1000";
	}
}

const char *explain_formula_short(enum badness_era era)
{
	switch (era) {
	case ERA_E0:
		return "its virtual size plus half of its children's, divided "
		       "by roots of its cpu and run time, shifted by oom_adj";
	case ERA_E1:
		return "rss + swap + page tables in thousandths of totalpages, "
		       "minus 30 for CAP_SYS_ADMIN, plus oom_score_adj, 1 to "
		       "1000";
	default:
		return "rss + swap + page tables, in pages, plus oom_score_adj "
		       "x totalpages/1000";
	}
}

const char *explain_formula_note(enum badness_era era)
{
	if (era != ERA_E0)
		return NULL;
	return "The dump shows no children, cpu or run time, nor capabilities "
	       "and nice:\nthe points below are total_vm shifted by oom_adj.";
}

static uint64_t pt_pages(const struct explain_why *w, const struct oom_task *t)
{
	uint64_t rss = t->rss, swap = t->known & TASK_SWAPENTS ? t->swapents : 0;

	return badness_usage(w->r, t) - rss - swap;
}

/* E0, as far as the dump shows it: "1234 total_vm << 3 (oom_adj 3)" */
static void decomposition_e0(struct buf *b, const struct oom_task *t)
{
	int64_t oom_adj = t->known & TASK_OOM_ADJ ? t->oom_adj : 0;

	buf_addf(b, "%" PRIu64 " total_vm", t->total_vm);
	if (oom_adj)
		buf_addf(b, " %s %" PRId64 " (oom_adj %" PRId64 ")",
			 oom_adj > 0 ? "<<" : ">>", (int64_t)llabs(oom_adj),
			 oom_adj);
	else
		buf_adds(b, ", oom_adj 0");
}

/* E1's tail after "(rss + swap + page tables": " x 1000 / T - 30
 * (root) + 100 (oom_score_adj)", clamped to 1..1000 by the kernel */
static void decomposition_e1(struct buf *b, const struct explain_why *w,
			     const struct oom_task *t, int64_t adj)
{
	buf_addf(b, ") x 1000 / %" PRIu64, w->r->totalpages);
	if ((t->known & TASK_UID) && t->uid == 0)
		buf_adds(b, " - 30 (root)");
	if (adj)
		buf_addf(b, " %s %" PRId64 " (oom_score_adj)",
			 adj < 0 ? "-" : "+", (int64_t)llabs(adj));
	else
		buf_adds(b, ", oom_score_adj 0");
}

void explain_decomposition(struct buf *b, const struct explain_why *w,
			   const struct oom_task *t)
{
	int64_t adj = t->known & TASK_ADJ ? t->oom_score_adj : 0;
	uint64_t pt;

	if (w->r->an.era == ERA_E0) {
		decomposition_e0(b, t);
		return;
	}
	pt = pt_pages(w, t);
	if (w->r->an.era == ERA_E1)
		buf_addch(b, '(');
	buf_addf(b, "%" PRIu64 " rss", t->rss);
	if (t->known & TASK_SWAPENTS)
		buf_addf(b, " + %" PRIu64 " swap", t->swapents);
	if (pt)
		buf_addf(b, " + %" PRIu64 " page tables", pt);
	if (w->r->an.era == ERA_E1) {
		decomposition_e1(b, w, t, adj);
		return;
	}
	if (adj && w->r->an.era >= ERA_E2)
		buf_addf(b, " %s %" PRId64 " (oom_score_adj %" PRId64 ")",
			 adj < 0 ? "-" : "+",
			 (int64_t)llabs(badness_adj_term(w->r, adj)), adj);
	else
		buf_addf(b, ", oom_score_adj %" PRId64, adj);
}
