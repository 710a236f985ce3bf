/*
 * diagnosis-int.h: what diagnosis.c (the kinds) hands diagnosis-advice.c
 * (the settings) when diagnose.c runs them: the memory model of one
 * report, worked out once.
 */
#ifndef OOMLENS_DIAGNOSIS_INT_H
#define OOMLENS_DIAGNOSIS_INT_H

#include <stdint.h>

#include "diagnosis.h"
#include "oom.h"

/* What the diagnosis reads of one dump row, worked out once. */
struct diag_row {
	uint64_t usage;		/* as the kernel counts it; the victim's
				 * raised by swap its score implies */
	uint64_t shared;	/* rss that is not private: file, shmem */
	uint64_t private;	/* usage - shared */
	int estimated;		/* shared guessed, or swap inferred */
	size_t group;		/* the first row of its program (comm, uid) */
	size_t group_n;		/* at that first row: the program's rows */
};

struct diag_ctx {
	const struct oom_report *r;
	const struct oom_kill *k;
	struct diagnosis *d;
	uint64_t page_kb;
	int memcg;			/* a memcg OOM */

	const struct oom_task *v;	/* the victim's row, or NULL */
	const struct oom_task *c;	/* the largest private row but v */
	int64_t v_points;		/* v's points (the printed score in E1) */
	uint64_t v_usage;		/* with swap inferred from the score */
	struct diag_row *rows;		/* one per r->tasks[] */

	/* the process group, when one qualifies (comm and uid of a row) */
	const struct oom_task *group;
	int64_t group_tasks;
	uint64_t group_private, group_shared, group_rss;
	int group_estimated;

	uint64_t ram_pages;		/* pages RAM - reserved; 0 unknown */
	int applies[DIAG_KIND_COUNT];
};

/* The figures of one of r's rows. */
const struct diag_row *diag_row(const struct diag_ctx *x,
				const struct oom_task *t);

/* Is t one of the process group's tasks? */
int diag_in_group(const struct diag_ctx *x, const struct oom_task *t);

/* The innermost unit of a cgroup path into buf; 0 when it names none. */
int diag_unit(const char *path, char *buf, size_t n);

/* The cause: x->d's kind, also and culprit, and the evidence (x->r, x->d
 * and x->k, NULL for the first kill, set; x->rows to be freed). */
void diag_cause(struct diag_ctx *x);

/* Fill x->d->advice[] from the kinds decided. */
void diag_advise(struct diag_ctx *x);

#endif
