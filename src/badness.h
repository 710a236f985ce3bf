/*
 * badness.h: what the kernel computed when it chose its victim, rebuilt
 * from the report (reference §3): the era of the badness formula, the
 * denominator totalpages, each dump row's points, rank and /proc
 * oom_score, the task the kernel should have chosen, and whether that is
 * the one it killed.  Only what the report supports is filled; estimates
 * are flagged (enum analysis_flag), the rest stays unknown.
 */
#ifndef OOMLENS_BADNESS_H
#define OOMLENS_BADNESS_H

#include <stdint.h>

#include "oom.h"

/*
 * Page counts from here on are damage, not memory: 2^48 pages of 4 KiB
 * are an exbibyte, past any address space or RAM Linux runs on.  A usage
 * or totalpages this big is not scored (unknown), so the era formulas
 * (usage * 1000, adj * (T / 1000), total_vm << 15) stay well inside
 * int64_t whatever a damaged dump says: overflow is undefined in C.
 * Readers of numbers (proc.c) refuse counts this big before they get here.
 */
#define BADNESS_MAX_PAGES ((uint64_t)1 << 48)

/* The kernel keeps oom_score_adj in [OOM_SCORE_ADJ_MIN, OOM_SCORE_ADJ_MAX]
 * (include/uapi/linux/oom.h); past it a value is damage. */
#define BADNESS_ADJ_MIN (-1000)
#define BADNESS_ADJ_MAX 1000

/* Changes to apply before the selection is rerun (whatif). */
struct badness_change {
	const char *name;	/* a task's comm, or NULL */
	int64_t pid;		/* or its pid (0: by name) */
	int set_adj;
	int64_t adj;		/* new oom_score_adj when set_adj */
	int set_cap;
	uint64_t cap_pages;	/* usage capped at this (a memory limit) */
};

/*
 * Analyse r in place: fills r->an, r->totalpages (RK_TOTALPAGES),
 * task points/rank/oom_score (TASK_POINTS, TASK_UNKILLABLE) and the
 * prediction (RK_PREDICTED).  Safe to call again; earlier results are
 * replaced.  Returns 1 when a victim was predicted, 0 otherwise.
 */
int badness_analyse(struct oom_report *r);

/* The same with changes (whatif); total_override > 0 replaces totalpages
 * (a new memcg limit, in pages). */
int badness_analyse_with(struct oom_report *r,
			 const struct badness_change *changes, size_t n,
			 uint64_t total_override);

/* Era from the shape of the report (layout, kill line, release). */
enum badness_era badness_era(const struct oom_report *r, int *ret_guessed);

/* Page size in kB: the buddy lists, else the victim's kill line against
 * its dump row; 0 when the report does not say. */
uint64_t badness_page_kb(const struct oom_report *r);

/* A task's usage as the badness counts it (rss + swap + page tables, in
 * pages), without the oom_score_adj term. */
uint64_t badness_usage(const struct oom_report *r, const struct oom_task *t);

/* The oom_score_adj term of the era: adj * (T / 1000) for E2-E4. */
int64_t badness_adj_term(const struct oom_report *r, int64_t adj);

/* A row's points in the report's era for the given usage (pages) and
 * oom_score_adj: what the kernel compared (needs totalpages from E1 on). */
int64_t badness_points(const struct oom_report *r, const struct oom_task *t,
		       uint64_t usage, int64_t adj);

/* The task the analysis chose, or NULL. */
const struct oom_task *badness_predicted(const struct oom_report *r);

extern const char *const era_names[];
extern const char *const total_source_names[];
extern const char *const mismatch_names[];
extern const char *const analysis_flag_names[];

#endif
