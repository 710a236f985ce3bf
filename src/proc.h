/*
 * proc.h: a live view of what the OOM killer would see now, read from
 * /proc and the cgroup tree (or copies of them, for tests), shaped as an
 * oom_report so that the one badness engine (badness.c) ranks it.
 */
#ifndef OOMLENS_PROC_H
#define OOMLENS_PROC_H

#include <stddef.h>
#include <stdint.h>

#include "oom.h"

struct proc_cgroup {
	char *path;			/* "/system.slice/postgresql.service" */
	unsigned known;			/* enum proc_cgroup_known */
	uint64_t current_kb, max_kb, high_kb, swap_max_kb, swap_current_kb;
	uint64_t oom, oom_kill;		/* memory.events */
	int oom_group;			/* memory.oom.group */
};

enum proc_cgroup_known {
	CG_CURRENT = 1 << 0,
	CG_MAX = 1 << 1,		/* a limit, not "max" */
	CG_HIGH = 1 << 2,
	CG_SWAP_MAX = 1 << 3,
	CG_SWAP_CURRENT = 1 << 4,
	CG_EVENTS = 1 << 5,
	CG_OOM_GROUP = 1 << 6,
};

struct proc_sample {
	/* every process with an mm, as a global task dump (constraint none,
	 * RAM and swap from meminfo); badness_analyse() ranks it */
	struct oom_report *r;
	/* per task of r, by index */
	char **cgroup;			/* v2 path or v1 memory path; NULL */
	int64_t *kernel_score;		/* /proc/PID/oom_score */
	unsigned char *has_kernel_score;

	struct proc_cgroup *cgroups;	/* v2 groups with memory files */
	size_t n_cgroups;
	int cgroup_version;		/* 2, 1, or 0 when none was found */

	int has_psi;			/* /proc/pressure/memory */
	double psi_some[3], psi_full[3];	/* avg10, avg60, avg300 */
	int has_vm_oom_kill;
	uint64_t vm_oom_kill;		/* /proc/vmstat oom_kill */
	uint64_t mem_available_kb;	/* MemAvailable */
	int has_mem_available;

	/* processes left out of r: their status or oom_score_adj held what
	 * no kernel writes (out of range, past any memory, not a number) */
	size_t n_left_out;
	int64_t left_out_pid;		/* the first of them; 0 unknown */
};

struct proc_opts {
	const char *proc;	/* "/proc" */
	const char *cgroup;	/* "/sys/fs/cgroup" */
	uint64_t page_kb;	/* 0: this machine's page size */
};

/* Read a sample.  Returns 0, or -errno with *ret_err (caller frees) when
 * the tree cannot be read at all; missing files leave fields unknown. */
int proc_sample(const struct proc_opts *o, struct proc_sample **ret,
		char **ret_err);
void proc_sample_free(struct proc_sample *s);

/* A report of the tasks in cgroup path (and below) with that group's
 * limit, for badness_analyse(); NULL when the group has no limit. */
struct oom_report *proc_memcg_report(const struct proc_sample *s,
				     const struct proc_cgroup *cg);

#endif
