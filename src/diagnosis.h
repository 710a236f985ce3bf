/*
 * diagnosis.h: the real cause of an OOM, decided once for every event.
 *
 * The kernel kills the task with the most points; people ask why there
 * was no memory, and whether the right task died.  The diagnosis answers
 * from private memory (what killing a task gives back), the memory
 * summary and the scope, after badness_analyse().  It decides and does
 * not print: why, show, the HTML report, the store and the exports render
 * struct diagnosis as it is.  Every advice rule lives here.
 *
 * The memory model (all in pages of the report unless the name says kB):
 *   private(t) = anon resident + swap + page tables.  Exact from the
 *     rss_anon column (6.8+) or, for the victim, the kill line's anon-rss
 *     (every era prints it).  Otherwise rss is all that is known: a task
 *     with siblings (same comm and uid, two or more rows) is taken to map
 *     one shared segment of at most the summary's Shmem, so its private
 *     part is rss - min(rss, Shmem); a lone task's rss counts as private.
 *     Either way the figure is flagged estimated.
 *   The kernel's printed score ("score N", <= 5.0) pins the victim's
 *     usage where the dump lacks columns (E1 tables have no swap and no
 *     page tables): usage >= (score - adj [+ 30 root]) * T / 1000 (E1),
 *     score * T / 1000 (E2/E3); the excess over the dump is swap
 *     (inferred).  The same score settles the 3% root bonus (E2).
 *   Groups: tasks summed by comm and uid.
 *
 * Thresholds ("weight"), fixed so that answers are comparable:
 *   a shared part matters when it is >= 64 MiB and >= 10% of the task's
 *   usage; kernel memory (unreclaimable slab + page tables), tmpfs
 *   (Shmem not held by any task) and free huge pages matter when they are
 *   >= 10% of RAM; a process group needs >= 4 tasks, its largest member
 *   < 50% of the group's private memory, and the group >= 25% of all
 *   tasks' private memory and more than the largest single task outside it.
 */
#ifndef OOMLENS_DIAGNOSIS_H
#define OOMLENS_DIAGNOSIS_H

#include <stddef.h>
#include <stdint.h>

#include "oom.h"

/* Causes, in the order of precedence for the primary kind.  The names
 * (diag_kind_names[]) are an interface: JSON, ECS, the database. */
enum diag_kind {
	DIAG_NONE = 0,		/* not diagnosed: a userspace kill, no data */
	DIAG_MANUAL,		/* sysrq-f / order=-1: no shortage */
	DIAG_CGROUP_LIMIT,	/* memcg OOM: its own limit */
	DIAG_FRAGMENTATION,	/* order > 0 failed, free memory in pieces */
	DIAG_LOWMEM,		/* the usable zones ran out, others had room */
	DIAG_CHILD_SACRIFICED,	/* <= 5.0: a parent chosen, its child killed */
	DIAG_ADJ_SHIELDED,	/* the consumer's negative adj moved the kill */
	DIAG_ADJ_TARGETED,	/* the victim's positive adj chose it */
	DIAG_SHARED_MEMORY,	/* shared pages inflated the victim's points */
	DIAG_PROCESS_GROUP,	/* many tasks of one program together */
	DIAG_KERNEL_MEMORY,	/* unreclaimable slab, page tables */
	DIAG_TMPFS,		/* Shmem no task holds */
	DIAG_HUGETLB_RESERVED,	/* huge pages reserved and free */
	DIAG_LARGEST_CONSUMER,	/* the victim held the most: right choice */
	DIAG_KIND_COUNT
};
extern const char *const diag_kind_names[DIAG_KIND_COUNT];

enum diag_culprit_kind {
	CULPRIT_NONE = 0,
	CULPRIT_TASK,
	CULPRIT_TASKS,		/* a group: name, tasks */
	CULPRIT_KERNEL,
	CULPRIT_TMPFS,
	CULPRIT_HUGETLB,
	CULPRIT_KIND_COUNT
};
extern const char *const culprit_kind_names[CULPRIT_KIND_COUNT];

struct diag_culprit {
	enum diag_culprit_kind kind;
	char name[64];		/* comm, group name, "slab", "tmpfs" ... */
	int64_t pid;		/* CULPRIT_TASK; 0 otherwise */
	int64_t tasks;		/* CULPRIT_TASKS: rows in the group */
	int has_private;
	uint64_t private_kb;	/* what it held that a kill/cap gives back */
	int private_estimated;	/* rss-only dump, or inferred swap */
};

#define DIAG_MAX_ADVICE 6
#define DIAG_MAX_ALSO 6

/* One setting: "OOMScoreAdjust" for "postgresql.service" is "-112",
 * because ... .  Strings, escaped by whoever prints them. */
struct diag_advice {
	char setting[40];
	char target[96];
	char value[48];
	char why[192];
};

struct diagnosis {
	enum diag_kind kind;
	enum diag_kind also[DIAG_MAX_ALSO];
	size_t n_also;
	struct diag_culprit culprit;
	struct diag_advice advice[DIAG_MAX_ADVICE];
	size_t n_advice;

	/* evidence the renderers show (pages unless _kb) */
	uint64_t page_kb;
	uint64_t victim_private;	/* pages */
	uint64_t victim_shared;		/* rss - anon: shmem + file */
	uint64_t victim_swap_inferred;	/* from the printed score */
	uint64_t kernel_pages;		/* unreclaimable slab + page tables */
	uint64_t tmpfs_pages;		/* Shmem held by no task */
	uint64_t hugetlb_free_kb;	/* reserved huge pages still free */
	uint64_t free_high_order_kb;	/* free in blocks >= the order */
	uint64_t free_kb;		/* free in the zones the request could use */
};

/*
 * Diagnose r (badness_analyse() done) for its kill k (NULL: the first).
 * Never fails: what the report does not allow stays DIAG_NONE.
 */
void diagnose(const struct oom_report *r, const struct oom_kill *k,
	      struct diagnosis *d);

/* The names of kinds, "none" for a value out of range; and back, "none"
 * for a name this build does not know. */
const char *diag_kind_name(enum diag_kind k);
const char *culprit_kind_name(enum diag_culprit_kind k);
enum diag_kind diag_kind_from_name(const char *name);
enum diag_culprit_kind culprit_kind_from_name(const char *name);

/* "shared-memory,hugetlb-reserved" into buf ("" when none). */
void diag_also_string(const struct diagnosis *d, char *buf, size_t n);

#endif
