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

/* Whether a change's name or pid is a row of r's dump (whatif refuses
 * names the event does not have). */
int badness_names_task(const struct oom_report *r, const char *name,
		       int64_t pid);

/* What a memory.max of cap_kb on NAME (tasks by comm or pid, the OOM's
 * cgroup or the victim's) would have done, by the kernel's arithmetic:
 * a cgroup over its memory.max reclaims, else OOM-kills inside itself,
 * so it holds at most the cap and what it held above it stays free. */
enum limit_outcome {
	LIMIT_UNKNOWN_NAME,	/* no task or cgroup of the event */
	LIMIT_MEMCG_FITS,	/* the OOM cgroup's usage fits: no OOM */
	LIMIT_MEMCG_STILL,	/* the OOM cgroup's new limit still too small */
	LIMIT_NOT_REACHED,	/* the group held no more than the cap */
	LIMIT_PREVENTS,		/* it held more above the cap than was short */
	LIMIT_TOO_LITTLE,	/* ... less */
	LIMIT_SHORT_UNKNOWN,	/* how short memory was is not in the report */
};
struct limit_verdict {
	enum limit_outcome outcome;
	int is_cgroup;		/* NAME is a cgroup, else tasks */
	int only_victim;	/* the victim's cgroup: the dump does not say
				 * who else is in it, so a lower bound */
	int64_t victim_pid;	/* the cgroup's known member (only_victim) */
	size_t n_tasks;		/* dump rows in the group */
	uint64_t group_kb;	/* their memory as a cgroup is charged:
				 * anon, plus shared pages once, plus page
				 * tables (an estimate: page cache not in it) */
	uint64_t held_kb;	/* group_kb above the cap: kept free */
	uint64_t short_kb;	/* how short the OOM's scope was: zones below
				 * their min watermark, or the cgroup over
				 * its limit, plus the request */
	const char *why_unknown;	/* LIMIT_SHORT_UNKNOWN: the reason */
};
void badness_limit_verdict(const struct oom_report *r, const char *name,
			   uint64_t cap_kb, struct limit_verdict *v);

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
