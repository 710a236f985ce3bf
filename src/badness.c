/*
 * badness.c: the kernel's victim selection, recomputed from a report.
 *
 * The formulas are those of mm/oom_kill.c per era (reference §3.3), in
 * the kernel's integer arithmetic: adj * (T / 1000) truncates T / 1000
 * first, E1-E3 clamp at 1, E4 is signed.  The dump is walked in its own
 * order, which for global OOMs is the kernel's candidate order, so ties
 * resolve as the kernel resolved them (§3.5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "badness.h"
#include "number.h"
#include "oom.h"

const char *const era_names[] = {
	[ERA_UNKNOWN] = "unknown", [ERA_E0] = "E0", [ERA_E1] = "E1",
	[ERA_E2] = "E2", [ERA_E3] = "E3", [ERA_E4] = "E4",
};
const char *const total_source_names[] = {
	[TOTAL_UNKNOWN] = "unknown", [TOTAL_GLOBAL] = "global",
	[TOTAL_MEMCG] = "memcg", [TOTAL_NODES] = "nodes",
};
const char *const mismatch_names[] = {
	[MISMATCH_NONE] = "none",
	[MISMATCH_CHILD] = "child_sacrifice",
	[MISMATCH_ALLOCATING] = "oom_kill_allocating_task",
	[MISMATCH_EXITING] = "victim_exiting",
	[MISMATCH_OUTSIDE] = "outside_dump",
	[MISMATCH_DUMP] = "dump_partial",
	[MISMATCH_TIE] = "tie",
	[MISMATCH_UNKNOWN] = "unknown",
};
const char *const analysis_flag_names[] = {
	"t_estimated", "swap_assumed", "root_bonus", "era_guessed",
	"no_candidate", "usage_partial", "page_assumed", "tie_rule_guessed",
	"t_unknown", "score_settled", NULL,
};

/* "6.8.0-45-generic" -> 6, 8, 0; 0 when it does not start that way. */
static int version_ge(int maj, int min, int wmaj, int wmin)
{
	return maj > wmaj || (maj == wmaj && min >= wmin);
}

enum badness_era badness_era(const struct oom_report *r, int *ret_guessed)
{
	int maj, min, patch, have = oom_release_version(r->kernel_release, &maj,
						    &min, &patch);
	const struct oom_kill *k = oom_report_victim(r);

	*ret_guessed = 0;
	switch (r->layout) {
	case LAYOUT_RSS_SPLIT:
		return ERA_E4;		/* 6.8+ */
	case LAYOUT_OOM_ADJ:
		return ERA_E0;
	case LAYOUT_OOM_ADJ_SCORE:
		return ERA_E1;
	case LAYOUT_NR_PTES:
	case LAYOUT_NR_PMDS:
		return ERA_E2;
	case LAYOUT_PGTABLES:
	case LAYOUT_UNKNOWN:
		break;
	}
	if (have) {
		/* the 5.9 signed badness reached 5.4.286 (§0) */
		if (version_ge(maj, min, 5, 9) ||
		    (maj == 5 && min == 4 && patch >= 286))
			return ERA_E4;
		if (version_ge(maj, min, 4, 17))
			return ERA_E3;	/* RHEL 8's 4.18 too */
		if (version_ge(maj, min, 3, 6))
			return ERA_E2;
		if (r->layout == LAYOUT_PGTABLES)
			return ERA_E2;	/* 4.15/4.16 layouts on odd versions */
	}
	if (r->layout == LAYOUT_UNKNOWN)
		return ERA_UNKNOWN;
	/* pgtables_bytes without a release: 4.15 to 6.6 */
	*ret_guessed = 1;
	if (k && (k->known & KILL_PGTABLES))
		return ERA_E4;	/* 5.4+ kill line; 5.4-5.8 would be E3 */
	return ERA_E3;
}

/* Does the last of equal candidates win (5.3+), or the first? */
static int tie_goes_last(const struct oom_report *r, enum badness_era era,
			 int *ret_guessed)
{
	int maj, min, patch;

	*ret_guessed = 0;
	if (era == ERA_E4)
		return 1;
	if (era != ERA_E3)
		return 0;
	if (oom_release_version(r->kernel_release, &maj, &min, &patch))
		return version_ge(maj, min, 5, 3);
	*ret_guessed = 1;
	/* the "Kill process" line went away in 5.2, the rule changed in 5.3 */
	return !(r->known & RK_SCORE);
}

uint64_t badness_page_kb(const struct oom_report *r)
{
	const struct oom_kill *k = oom_report_victim(r);
	unsigned need = KILL_ANON_RSS | KILL_FILE_RSS;

	if (mem_has(r, MEM_PAGE_SIZE_KB) && r->mem[MEM_PAGE_SIZE_KB])
		return r->mem[MEM_PAGE_SIZE_KB];
	/* the kill line's kB against the victim's row in pages (§3.8) */
	if (!k || (k->known & need) != need)
		return 0;
	for (size_t i = 0; i < r->n_tasks; i++) {
		const struct oom_task *t = &r->tasks[i];
		uint64_t kb = k->anon_rss_kb + k->file_rss_kb +
			      (k->known & KILL_SHMEM_RSS ? k->shmem_rss_kb : 0);

		if (t->pid != k->pid || !(t->known & TASK_RSS) || !t->rss)
			continue;
		for (uint64_t pk = 4; pk <= 64; pk *= 2)
			if (kb == t->rss * pk)
				return pk;
	}
	return 0;
}

/* BADNESS_MAX_PAGES (badness.h) bounds what is scored. */

/* n, or BADNESS_MAX_PAGES when past it: terms that add up without
 * wrapping around to a small count */
static uint64_t capped(uint64_t n)
{
	return n < BADNESS_MAX_PAGES ? n : BADNESS_MAX_PAGES;
}

/* Page-table pages of a row, per layout. */
static uint64_t pt_pages(const struct oom_task *t, uint64_t page_kb)
{
	if (t->known & TASK_PGTABLES)
		return (uint64_t)t->pgtables_bytes / (page_kb * 1024);
	if (t->known & TASK_NR_PMDS)
		return capped(t->nr_ptes) + capped(t->nr_pmds);
	if (t->known & TASK_NR_PTES)
		return t->nr_ptes;
	return 0;
}

static uint64_t page_kb_or_assumed(const struct oom_report *r)
{
	uint64_t pk = badness_page_kb(r);

	return pk ? pk : 4;
}

/* rss + swap + page tables, in pages; BADNESS_MAX_PAGES or more when
 * the row is damaged */
static uint64_t usage_of(const struct oom_task *t, uint64_t page_kb)
{
	return capped(t->rss) +
	       capped(t->known & TASK_SWAPENTS ? t->swapents : 0) +
	       capped(pt_pages(t, page_kb));
}

uint64_t badness_usage(const struct oom_report *r, const struct oom_task *t)
{
	return usage_of(t, page_kb_or_assumed(r));
}

int64_t badness_adj_term(const struct oom_report *r, int64_t adj)
{
	return adj * (int64_t)(r->totalpages / 1000);
}

/* §3.6: totalpages and where it came from. */
static void derive_totalpages(struct oom_report *r, uint64_t page_kb)
{
	const struct memcg_usage *mem = &r->memcg[MEMCG_MEMORY];
	const struct memcg_usage *swap = &r->memcg[MEMCG_SWAP];
	const struct memcg_usage *memsw = &r->memcg[MEMCG_MEMSW];
	enum oom_scope scope = oom_report_scope(r);

	r->known &= ~RK_TOTALPAGES;
	r->totalpages = 0;
	if (scope == SCOPE_MEMCG) {
		if (!mem->known || mem->limit_kb >= MEMCG_UNLIMITED_KB)
			return;
		r->totalpages = mem->limit_kb / page_kb;
		r->an.total_source = TOTAL_MEMCG;
		/* + swap the cgroup may use, up to the host's swap, which
		 * a memcg report does not print: counted as none unless
		 * the cgroup could not swap anyway, or the host's swap is
		 * known (a live sample) */
		if (swap->known && swap->limit_kb == 0)
			;
		else if (memsw->known && memsw->limit_kb <= mem->limit_kb)
			;
		else if (mem_has(r, MEM_TOTAL_SWAP_KB)) {
			uint64_t host = r->mem[MEM_TOTAL_SWAP_KB], may;

			may = swap->known ? swap->limit_kb
			      : memsw->limit_kb - mem->limit_kb;
			r->totalpages += (may < host ? may : host) / page_kb;
		} else if (swap->known || memsw->known)
			r->an.flags |= AN_SWAP_ASSUMED | AN_T_ESTIMATED;
		r->known |= RK_TOTALPAGES;
		return;
	}
	if (scope == SCOPE_CPUSET || scope == SCOPE_MEMPOLICY) {
		uint64_t kb = 0;

		for (size_t i = 0; i < r->n_zones; i++)
			if (r->zones[i].known & (1u << ZONE_PRESENT))
				kb += r->zones[i].values[ZONE_PRESENT];
		if (!kb || !mem_has(r, MEM_TOTAL_SWAP_KB))
			return;
		r->totalpages = (kb + r->mem[MEM_TOTAL_SWAP_KB]) / page_kb;
		r->an.total_source = TOTAL_NODES;
		r->an.flags |= AN_T_ESTIMATED;	/* spanned vs present, filters */
		r->known |= RK_TOTALPAGES;
		return;
	}
	if (!mem_has(r, MEM_RAM_PAGES) || !mem_has(r, MEM_RESERVED_PAGES) ||
	    !mem_has(r, MEM_TOTAL_SWAP_KB) ||
	    r->mem[MEM_RESERVED_PAGES] > r->mem[MEM_RAM_PAGES])
		return;
	/* totalram_pages = Σ managed = RAM − reserved (3.19+, RHEL 7; an
	 * approximation before) + total_swap_pages */
	r->totalpages = r->mem[MEM_RAM_PAGES] - r->mem[MEM_RESERVED_PAGES] +
			r->mem[MEM_TOTAL_SWAP_KB] / page_kb;
	r->an.total_source = TOTAL_GLOBAL;
	if (r->an.era <= ERA_E1 || (r->an.era == ERA_E2 &&
				    r->layout == LAYOUT_NR_PTES))
		r->an.flags |= AN_T_ESTIMATED;	/* counted over pfns then */
	r->known |= RK_TOTALPAGES;
}

static int unkillable(enum badness_era era, const struct oom_task *t)
{
	if (era == ERA_E0)
		return (t->known & TASK_OOM_ADJ) && t->oom_adj == -17;
	return (t->known & TASK_ADJ) && t->oom_score_adj == -1000;
}

/* §3.3, one row; usage and adj may carry whatif changes.  Pure: the
 * caller flags AN_ROOT_BONUS. */
int64_t badness_points(const struct oom_report *r, const struct oom_task *t,
		       uint64_t usage, int64_t adj)
{
	int64_t T = (int64_t)r->totalpages, p;
	int root = (t->known & TASK_UID) && t->uid == 0;

	switch (r->an.era) {
	case ERA_E0: {
		int64_t oom_adj = t->known & TASK_OOM_ADJ ? t->oom_adj : 0;

		/* total_vm, shifted by oom_adj; children, cpu and run
		 * time are not in the dump.  oom_adj is in [OOM_DISABLE,
		 * OOM_ADJUST_MAX] = [-17, 15] (the parser skips rows past
		 * it) and total_vm below BADNESS_MAX_PAGES (the caller), so
		 * the shift stays inside int64_t. */
		p = (int64_t)t->total_vm;
		if (oom_adj > 0)
			p = (p ? p : 1) << (oom_adj > 15 ? 15 : oom_adj);
		else if (oom_adj < 0)
			p >>= -oom_adj > 17 ? 17 : -oom_adj;
		return p;
	}
	case ERA_E1:
		p = T ? (int64_t)usage * 1000 / T : 0;
		if (root)
			p -= 30;
		p += adj;
		return p <= 0 ? 1 : p > 1000 ? 1000 : p;
	case ERA_E2:
		p = (int64_t)usage;
		/* CAP_SYS_ADMIN is not in the dump; uid 0 is the proxy
		 * (3.10.105+ form) */
		if (root)
			p -= p * 3 / 100;
		p += adj * (T / 1000);
		return p > 0 ? p : 1;
	case ERA_E3:
		p = (int64_t)usage + adj * (T / 1000);
		return p > 0 ? p : 1;
	case ERA_E4:
	case ERA_UNKNOWN:
		break;
	}
	return (int64_t)usage + adj * (T / 1000);
}

/*
 * The score the kernel printed for its choice ("Kill process N (x) score
 * S", up to 5.0) settles what the dump cannot show of that row (§3.8 step
 * 6): in E1 its swap and page tables (the table has neither), so S is its
 * points; in E2 whether a uid 0 task had the 3% bonus, which needs
 * CAP_SYS_ADMIN (a container's root often lacks it): S = points*1000/T
 * tells.
 */
static void settle_by_score(struct oom_report *r, struct oom_task *t,
			    uint64_t usage, int64_t adj)
{
	int64_t T = (int64_t)r->totalpages, plain;

	if (!(r->known & RK_SCORE) || !(r->known & RK_SELECTED) ||
	    r->selected_pid != t->pid || !(r->known & RK_TOTALPAGES) || !T)
		return;
	if (r->an.era == ERA_E1 && r->selected_score > t->points) {
		t->points = r->selected_score;
		r->an.flags |= AN_SCORE_SETTLED;
	} else if (r->an.era == ERA_E2 && (t->known & TASK_UID) && t->uid == 0) {
		plain = (int64_t)usage + adj * (T / 1000);
		plain = plain > 0 ? plain : 1;
		if (t->points * 1000 / T != r->selected_score &&
		    plain * 1000 / T == r->selected_score) {
			t->points = plain;	/* no CAP_SYS_ADMIN */
			r->an.flags |= AN_SCORE_SETTLED;
		}
	}
}

/* /proc/PID/oom_score as it read then (§3.7). */
static int64_t proc_score(const struct oom_report *r, int64_t p)
{
	int64_t T = (int64_t)r->totalpages;

	switch (r->an.era) {
	case ERA_E0:
	case ERA_E1:
		return p;
	case ERA_E4:
		return T ? (1000 + p * 1000 / T) * 2 / 3 : 0;
	default:
		return T ? p * 1000 / T : 0;
	}
}

/* Do all killable rows share one oom_score_adj? */
static int same_adj(const struct oom_report *r)
{
	int have = 0;
	int64_t adj = 0;

	for (size_t i = 0; i < r->n_tasks; i++) {
		const struct oom_task *t = &r->tasks[i];
		int64_t a = t->known & TASK_ADJ ? t->oom_score_adj : 0;

		if (a == -1000)
			continue;
		if (have && a != adj)
			return 0;
		adj = a;
		have = 1;
	}
	return have;
}

/* E3/E4 without totalpages: every candidate's adj term is adj * (T /
 * 1000) with one unknown T >= 0.  A candidate with the most usage and an
 * adj no other candidate exceeds wins for any T (a paste that lost the
 * memory summary); the ranking below it stays a guess. */
static int top_dominates(const struct oom_report *r, uint64_t page_kb)
{
	const struct oom_task *top = NULL;
	int64_t max_adj = INT64_MIN;

	if (r->an.era != ERA_E3 && r->an.era != ERA_E4)
		return 0;
	for (size_t i = 0; i < r->n_tasks; i++) {
		const struct oom_task *t = &r->tasks[i];
		int64_t a = t->known & TASK_ADJ ? t->oom_score_adj : 0;

		if (a == -1000 || !(t->known & TASK_RSS))
			continue;
		if (!(t->known & TASK_ADJ))
			return 0;
		if (a > max_adj)
			max_adj = a;
		if (!top || usage_of(t, page_kb) > usage_of(top, page_kb))
			top = t;
		else if (usage_of(t, page_kb) == usage_of(top, page_kb))
			return 0;	/* a tie at the top: T may decide it */
	}
	return top && top->oom_score_adj == max_adj;
}

/* A row whatif's NAME means: by pid when it is one, else by comm. */
static int task_named(const struct oom_task *t, const char *name,
		      int64_t pid)
{
	return pid ? t->pid == pid
		   : name && t->name && !strcmp(t->name, name);
}

static const struct badness_change *
change_for(const struct oom_task *t, const struct badness_change *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (task_named(t, c[i].name, c[i].pid))
			return &c[i];
	return NULL;
}

/* How candidates are ranked: by the report's points, equals as the
 * kernel keeps them (qsort_r's context). */
struct rank_ctx {
	const struct oom_report *r;
	int last;		/* equals: the last in dump order wins */
};

/* Higher points first; among equals, the one the kernel would keep. */
static int by_points(const void *pa, const void *pb, void *ctx)
{
	const struct rank_ctx *c = ctx;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int64_t x = c->r->tasks[a].points, y = c->r->tasks[b].points;

	if (x != y)
		return x > y ? -1 : 1;
	return (a < b) == !c->last ? -1 : 1;
}

/* Why the prediction is not the task killed (§3.8 step 6). */
static int64_t explain(const struct oom_report *r,
				    const struct oom_task *pred,
				    const struct oom_kill *k)
{
	const struct oom_task *row = oom_report_task(r, k->pid);
	int64_t tol = (int64_t)(r->totalpages / 1000);

	if (k->reason && strstr(k->reason, "oom_kill_allocating_task"))
		return MISMATCH_ALLOCATING;
	if ((r->known & RK_SELECTED) && (r->selected_pid == pred->pid ||
					 r->selected_pid == pred->tgid))
		return MISMATCH_CHILD;	/* selected as predicted, child killed */
	if (!row)
		return r->flags & (REPORT_DUMP_PARTIAL | REPORT_CUT |
				   REPORT_TOO_LONG)
			       ? MISMATCH_DUMP : MISMATCH_OUTSIDE;
	if ((row->known & TASK_POINTS) &&
	    llabs(row->points - pred->points) <= (tol ? tol : 1))
		return MISMATCH_TIE;	/* equal, or within counter drift */
	if (r->flags & (REPORT_DUMP_PARTIAL | REPORT_TOO_LONG))
		return MISMATCH_DUMP;
	return MISMATCH_UNKNOWN;
}

/* The era, page size and totalpages the points are computed with, set in
 * r->an; *ret_no_total: ranked without totalpages (the adj term cannot
 * change the order); returns whether equals go to the last in the dump. */
static int analysis_setup(struct oom_report *r, uint64_t total_override,
			  uint64_t *ret_page_kb, int *ret_no_total)
{
	int guessed = 0, last, tie_guessed;
	uint64_t page_kb = badness_page_kb(r);

	memset(&r->an, 0, sizeof(r->an));
	r->known &= ~(RK_PREDICTED | RK_AGREES);
	r->an.era = badness_era(r, &guessed);
	if (guessed)
		r->an.flags |= AN_ERA_GUESSED;
	if (!page_kb) {
		page_kb = 4;
		r->an.flags |= AN_PAGE_ASSUMED;
	}
	derive_totalpages(r, page_kb);
	if (total_override) {
		r->totalpages = total_override;
		r->known |= RK_TOTALPAGES;
	}
	if ((r->known & RK_TOTALPAGES) && r->totalpages >= BADNESS_MAX_PAGES) {
		/* damage, not memory: unknown, as if not printed */
		r->totalpages = 0;
		r->known &= ~RK_TOTALPAGES;
		r->an.total_source = TOTAL_UNKNOWN;
		r->an.flags &= ~(AN_T_ESTIMATED | AN_SWAP_ASSUMED);
	}
	if (r->an.era == ERA_E0 || (r->an.era == ERA_E1))
		r->an.flags |= AN_USAGE_PARTIAL;
	/* Without totalpages the adj term is unknown, but when every
	 * candidate has the same adj it shifts all points alike: the
	 * ranking by usage is still the kernel's (E2-E4). */
	*ret_no_total = 0;
	if (!(r->known & RK_TOTALPAGES) && r->an.era >= ERA_E2 &&
	    (same_adj(r) || top_dominates(r, page_kb))) {
		*ret_no_total = 1;
		r->an.flags |= AN_T_UNKNOWN;
	}
	last = tie_goes_last(r, r->an.era, &tie_guessed);
	if (tie_guessed)
		r->an.flags |= AN_TIE_RULE_GUESSED;
	*ret_page_kb = page_kb;
	return last;
}

/* Score one task as the kernel would (with change c of a what-if):
 * 1 when it is a candidate with points, 0 when not scored. */
static int score_task(struct oom_report *r, struct oom_task *t,
		      const struct badness_change *c, uint64_t page_kb,
		      int no_total)
{
	int64_t adj = t->known & TASK_ADJ ? t->oom_score_adj : 0;
	uint64_t usage;

	t->known &= ~(TASK_POINTS | TASK_UNKILLABLE | TASK_OOM_SCORE);
	t->points = t->rank = t->oom_score = 0;
	if (c && c->set_adj) {
		adj = c->adj;
		t->oom_score_adj = adj;
		t->known |= TASK_ADJ;
	}
	if (unkillable(r->an.era, t)) {
		t->known |= TASK_UNKILLABLE;
		return 0;
	}
	if (!(t->known & TASK_RSS) || r->an.era == ERA_UNKNOWN ||
	    (r->an.era != ERA_E0 && !(r->known & RK_TOTALPAGES) && !no_total))
		return 0;
	usage = usage_of(t, page_kb);
	if (usage >= BADNESS_MAX_PAGES ||
	    (r->an.era == ERA_E0 && t->total_vm >= BADNESS_MAX_PAGES))
		return 0;	/* damage: not scored, as if unknown */
	if (c && c->set_cap && usage > c->cap_pages)
		usage = c->cap_pages;
	t->points = badness_points(r, t, usage, adj);
	if (!c)
		settle_by_score(r, t, usage, adj);
	if ((r->an.era == ERA_E1 || r->an.era == ERA_E2) &&
	    (t->known & TASK_UID) && t->uid == 0)
		r->an.flags |= AN_ROOT_BONUS;
	t->known |= TASK_POINTS;
	if (r->known & RK_TOTALPAGES || r->an.era == ERA_E0) {
		t->oom_score = proc_score(r, t->points);
		t->known |= TASK_OOM_SCORE;
	}
	return 1;
}

/* Rank the n_cand tasks with points, 1 = the kernel's choice. */
static void rank_candidates(struct oom_report *r, size_t n_cand, int last)
{
	struct rank_ctx ctx = { r, last };
	size_t *order = malloc(n_cand * sizeof(*order)), m = 0;

	if (!order)
		return;		/* ranks stay 0: not ranked */
	for (size_t i = 0; i < r->n_tasks; i++)
		if (r->tasks[i].known & TASK_POINTS)
			order[m++] = i;
	qsort_r(order, m, sizeof(*order), by_points, &ctx);
	for (size_t i = 0; i < m; i++)
		r->tasks[order[i]].rank = (int64_t)i + 1;
	free(order);
}

/* Compare the prediction with what the kernel did: 1 when compared. */
static int compare_with_kill(struct oom_report *r,
			     const struct oom_task *pred)
{
	const struct oom_kill *k = oom_report_victim(r);

	if (r->flags & REPORT_VICTIM_EXITING) {
		r->an.agrees = 0;
		r->an.mismatch = MISMATCH_EXITING;
	} else if (k) {
		r->an.agrees = k->pid == pred->pid ||
			       ((pred->known & TASK_TGID) && k->pid == pred->tgid);
		if (!r->an.agrees)
			r->an.mismatch = explain(r, pred, k);
	} else if (r->known & RK_SELECTED) {
		r->an.agrees = r->selected_pid == pred->pid;
		if (!r->an.agrees)
			r->an.mismatch = MISMATCH_UNKNOWN;
	} else {
		return 0;	/* nothing to compare with */
	}
	r->known |= RK_AGREES;
	return 1;
}

int badness_analyse_with(struct oom_report *r,
			 const struct badness_change *changes, size_t n,
			 uint64_t total_override)
{
	uint64_t page_kb;
	int no_total, last = analysis_setup(r, total_override, &page_kb,
					    &no_total);
	struct oom_task *pred = NULL;
	size_t n_cand = 0;

	for (size_t i = 0; i < r->n_tasks; i++) {
		struct oom_task *t = &r->tasks[i];

		if (!score_task(r, t, change_for(t, changes, n), page_kb,
				no_total))
			continue;
		n_cand++;
		/* walk in dump order: > keeps the first of equals, >= the last */
		if (!pred || t->points > pred->points ||
		    (last && t->points == pred->points))
			pred = t;
	}
	if (!pred) {
		if (r->n_tasks)
			r->an.flags |= AN_NO_CANDIDATE;
		return 0;
	}
	rank_candidates(r, n_cand, last);
	r->an.predicted_pid = pred->pid;
	r->known |= RK_PREDICTED;
	compare_with_kill(r, pred);
	return 1;
}

int badness_analyse(struct oom_report *r)
{
	return badness_analyse_with(r, NULL, 0, 0);
}

const struct oom_task *badness_predicted(const struct oom_report *r)
{
	if (!(r->known & RK_PREDICTED))
		return NULL;
	for (size_t i = 0; i < r->n_tasks; i++)
		if (r->tasks[i].rank == 1)
			return &r->tasks[i];
	return NULL;
}

/* --- whatif: names and limits --- */


int badness_names_task(const struct oom_report *r, const char *name,
		       int64_t pid)
{
	for (size_t i = 0; i < r->n_tasks; i++)
		if (task_named(&r->tasks[i], name, pid))
			return 1;
	return 0;
}

/* A cgroup by its path or its last component. */
static int names_cgroup(const char *path, const char *name)
{
	size_t pl = path ? strlen(path) : 0, nl = strlen(name);

	if (!path || !nl)
		return 0;
	return !strcmp(path, name) ||
	       (pl > nl && path[pl - nl - 1] == '/' &&
		!strcmp(path + pl - nl, name));
}

/* The group's memory as its cgroup is charged for it, in kB: each task's
 * anon pages and page tables, and the shared pages (file, shmem) once, as
 * the largest any one task maps: postgres workers all map the same shared
 * buffers, charged once.  Without the split, rss. */
static uint64_t group_charge(const struct oom_report *r, const char *name,
			     int64_t pid, size_t *ret_n)
{
	uint64_t page_kb = page_kb_or_assumed(r), own = 0, shared = 0;

	*ret_n = 0;
	for (size_t i = 0; i < r->n_tasks; i++) {
		const struct oom_task *t = &r->tasks[i];
		uint64_t sh = 0;

		if (!task_named(t, name, pid) || !(t->known & TASK_RSS) ||
		    t->rss >= BADNESS_MAX_PAGES)
			continue;
		(*ret_n)++;
		if (t->known & TASK_RSS_SPLIT) {
			own += capped(t->rss_anon);
			sh = capped(t->rss_file) + capped(t->rss_shmem);
		} else {
			own += t->rss;
		}
		own += pt_pages(t, page_kb);
		if (sh > shared)
			shared = sh;
	}
	return (own + shared) * page_kb;
}

/* How short the OOM's scope was, kB: a memcg's usage over its limit, or
 * the zones' free memory below their min watermark (what the allocator
 * must keep), plus the pages asked for.  0 with *why set when unknown. */
static uint64_t shortfall(const struct oom_report *r, const char **why)
{
	uint64_t page_kb = page_kb_or_assumed(r), want = page_kb, sum = 0;
	const struct memcg_usage *m = &r->memcg[MEMCG_MEMORY];
	int below = 0;

	if ((r->known & RK_ORDER) && r->order > 0 && r->order < 20)
		want = page_kb << r->order;
	if (oom_report_is_memcg(r)) {
		if (!m->known || m->limit_kb >= MEMCG_UNLIMITED_KB) {
			*why = "the report does not print the cgroup's usage "
			       "and limit";
			return 0;
		}
		return m->usage_kb + want > m->limit_kb
		       ? m->usage_kb + want - m->limit_kb : want;
	}
	for (size_t i = 0; i < r->n_zones; i++) {
		const struct oom_zone *z = &r->zones[i];
		unsigned both = 1u << ZONE_FREE | 1u << ZONE_MIN;

		if ((z->known & both) != both)
			continue;
		if (z->values[ZONE_FREE] < z->values[ZONE_MIN]) {
			sum += z->values[ZONE_MIN] - z->values[ZONE_FREE];
			below = 1;
		}
	}
	if (!below) {
		*why = r->n_zones ? "no zone was below its min watermark "
				    "(fragmentation or a zone the request "
				    "could not use)"
				  : "the report has no zone lines";
		return 0;
	}
	return sum + want;
}

void badness_limit_verdict(const struct oom_report *r, const char *name,
			   uint64_t cap_kb, struct limit_verdict *v)
{
	const struct oom_kill *victim = oom_report_victim(r);
	int memcg = oom_report_is_memcg(r);
	int64_t pid = 0;

	memset(v, 0, sizeof(*v));
	if (memcg && names_cgroup(r->oom_memcg, name)) {
		/* the OOM's own cgroup: its new limit is the question */
		const struct memcg_usage *m = &r->memcg[MEMCG_MEMORY];

		v->is_cgroup = 1;
		v->group_kb = m->known ? m->usage_kb : 0;
		v->outcome = m->known && m->usage_kb <= cap_kb
			     ? LIMIT_MEMCG_FITS : LIMIT_MEMCG_STILL;
		return;
	}
	if (names_cgroup(r->task_memcg, name) && victim) {
		/* the victim's cgroup; the dump does not say who else is in
		 * it, so what it held is at least the victim's */
		v->is_cgroup = v->only_victim = 1;
		v->victim_pid = victim->pid;
		pid = victim->pid;
	} else {
		if (num_parse_i64(name, strlen(name), &pid) < 0 || pid <= 0)
			pid = 0;	/* a comm, as --adj takes it */
		if (!badness_names_task(r, name, pid)) {
			v->outcome = LIMIT_UNKNOWN_NAME;
			return;
		}
	}
	v->group_kb = group_charge(r, name, pid, &v->n_tasks);
	if (v->group_kb <= cap_kb) {
		v->outcome = LIMIT_NOT_REACHED;
		return;
	}
	v->held_kb = v->group_kb - cap_kb;
	v->short_kb = shortfall(r, &v->why_unknown);
	if (!v->short_kb)
		v->outcome = LIMIT_SHORT_UNKNOWN;
	else
		v->outcome = v->held_kb >= v->short_kb ? LIMIT_PREVENTS
						       : LIMIT_TOO_LITTLE;
}
