/*
 * explain.h: findings for the questions people ask after an OOM kill.
 * Built on the analysis (badness.c); rendering is the commands' job.
 * Every figure comes from the report; what it does not say is left out.
 */
#ifndef OOMLENS_EXPLAIN_H
#define OOMLENS_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "diagnosis.h"
#include "oom.h"

#define EXPLAIN_TOP 5

/* Why the kernel killed one task. */
struct explain_why {
	const struct oom_report *r;
	const struct oom_kill *kill;	/* the kill asked about */
	const struct oom_task *victim;	/* its dump row, or NULL */
	const struct oom_task *runner_up;	/* next by points, or NULL */
	const struct oom_task *culprit;	/* the diagnosis's culprit row */
	const struct oom_task *top[EXPLAIN_TOP];	/* by usage */
	size_t n_top;
	uint64_t page_kb;		/* 4 when assumed */
	int page_assumed;
	uint64_t used_pages;		/* Σ usage of the dump's tasks */

	/* shared memory counted in the victim's rss (points) */
	uint64_t victim_shmem_kb;
	int has_shmem;

	/* the cause, the culprit and the advice (diagnosis.c) */
	struct diagnosis diag;

	/* who grew since the host's previous report with a dump */
	int has_growth;
	int64_t prev_event_id;
	int64_t prev_wall_us;
	int prev_has_wall;
	const char *grew_name;		/* points into the report */
	int64_t grew_kb;		/* usage now minus then, all its tasks */
};

/*
 * Fill *w for kill k of analysed report r (badness_analyse() done).
 * prev, when not NULL, is the host's previous analysed report; it must
 * outlive *w.
 */
void explain_why(const struct oom_report *r, const struct oom_kill *k,
		 const struct oom_report *prev, int64_t prev_id,
		 struct explain_why *w);

/*
 * The points formula of the report's era in words (reference §3.3), for
 * "Why this task": lines joined by '\n', no indent, no final stop.
 * Short: the same as one parenthesis (the HTML report's).  note: what
 * the recomputation leaves out in that era, a sentence, or NULL.
 */
const char *explain_formula(enum badness_era era);
const char *explain_formula_short(enum badness_era era);
const char *explain_formula_note(enum badness_era era);

/* A row's points in the era's terms, appended to b: "1182946 rss +
 * 28850 swap + 2412 page tables, oom_score_adj 0" (E2-E4), "(261090 rss)
 * x 1000 / 786431, oom_score_adj 0" (E1), "1930112 total_vm, oom_adj 0"
 * (E0). */
struct buf;
void explain_decomposition(struct buf *b, const struct explain_why *w,
			   const struct oom_task *t);

/* Why a task listed in the dump was not chosen. */
enum why_not_reason {
	WHYNOT_UNKILLABLE,	/* oom_score_adj -1000 (or oom_adj -17) */
	WHYNOT_FEWER_POINTS,	/* it simply scored lower */
	WHYNOT_ADJ,		/* it would have been chosen at adj 0 */
	WHYNOT_NOT_RANKED,	/* the report does not allow the computation */
};

struct explain_why_not {
	const struct oom_task *task;
	const struct oom_task *chosen;	/* the predicted victim, or NULL */
	const struct oom_kill *kill;	/* what was killed, or NULL */
	enum why_not_reason reason;
	uint64_t usage_pages;
	int64_t adj_term;		/* adj x T/1000 */
	int64_t margin;			/* chosen's points - task's points */
};

void explain_why_not(const struct oom_report *r, const struct oom_task *t,
		     struct explain_why_not *w);

#endif
