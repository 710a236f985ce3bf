/* diagnosis.c: see diagnosis.h. */
#include <stdio.h>
#include <string.h>

#include "badness.h"
#include "diagnosis.h"

const char *const diag_kind_names[DIAG_KIND_COUNT] = {
	[DIAG_NONE] = "none",
	[DIAG_MANUAL] = "manual",
	[DIAG_CGROUP_LIMIT] = "cgroup-limit",
	[DIAG_FRAGMENTATION] = "fragmentation",
	[DIAG_LOWMEM] = "lowmem",
	[DIAG_CHILD_SACRIFICED] = "child-sacrificed",
	[DIAG_ADJ_SHIELDED] = "adj-shielded",
	[DIAG_ADJ_TARGETED] = "adj-targeted",
	[DIAG_SHARED_MEMORY] = "shared-memory",
	[DIAG_PROCESS_GROUP] = "process-group",
	[DIAG_KERNEL_MEMORY] = "kernel-memory",
	[DIAG_TMPFS] = "tmpfs",
	[DIAG_HUGETLB_RESERVED] = "hugetlb-reserved",
	[DIAG_LARGEST_CONSUMER] = "largest-consumer",
};

const char *const culprit_kind_names[CULPRIT_KIND_COUNT] = {
	[CULPRIT_NONE] = "none",
	[CULPRIT_TASK] = "task",
	[CULPRIT_TASKS] = "tasks",
	[CULPRIT_KERNEL] = "kernel",
	[CULPRIT_TMPFS] = "tmpfs",
	[CULPRIT_HUGETLB] = "hugetlb",
};

enum diag_kind diag_kind_from_name(const char *name)
{
	for (int i = 0; name && i < DIAG_KIND_COUNT; i++)
		if (!strcmp(name, diag_kind_names[i]))
			return (enum diag_kind)i;
	return DIAG_NONE;
}

void diag_also_string(const struct diagnosis *d, char *buf, size_t n)
{
	size_t used = 0;

	if (n)
		buf[0] = '\0';
	for (size_t i = 0; i < d->n_also && used < n; i++)
		used += (size_t)snprintf(buf + used, n - used, "%s%s",
					 i ? "," : "",
					 diag_kind_names[d->also[i]]);
}

uint64_t diag_private(const struct oom_report *r, const struct oom_task *t,
		      int *estimated)
{
	*estimated = 1;
	return badness_usage(r, t);
}

void diagnose(const struct oom_report *r, const struct oom_kill *k,
	      struct diagnosis *d)
{
	(void)r;
	(void)k;
	memset(d, 0, sizeof(*d));
}
