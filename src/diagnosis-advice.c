/*
 * diagnosis-advice.c: the settings that would have changed the outcome,
 * decided from the diagnosis's kinds and computed with the era's own
 * arithmetic.  Each entry says why in one line.  This is the only place
 * where advice is decided; why, show, the HTML report and the store
 * render d->advice[] as it is.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "badness.h"
#include "diagnosis-int.h"
#include "output.h"
#include "workload.h"

/* floor(a / b) for b > 0, also for negative a. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* Round down to a tidy size: 256 MiB steps above 2 GiB, 64 MiB below. */
static uint64_t tidy_kb(uint64_t kb)
{
	uint64_t step = kb > 2 * 1024 * 1024 ? 256 * 1024 : 64 * 1024;

	return kb >= step ? kb / step * step : kb;
}

/* A size as systemd and docker read it: "9728M", "10G". */
static void systemd_size(char *buf, size_t n, uint64_t kb)
{
	if (kb >= 1024 * 1024 && kb % (1024 * 1024) == 0)
		snprintf(buf, n, "%" PRIu64 "G", kb / (1024 * 1024));
	else if (kb >= 1024 && kb % 1024 == 0)
		snprintf(buf, n, "%" PRIu64 "M", kb / 1024);
	else
		snprintf(buf, n, "%" PRIu64 "K", kb);
}

static struct diag_advice *add(struct diag_ctx *x, const char *setting,
			       const char *target)
{
	struct diagnosis *d = x->d;
	struct diag_advice *a;

	if (d->n_advice >= DIAG_MAX_ADVICE)
		return NULL;
	a = &d->advice[d->n_advice++];
	snprintf(a->setting, sizeof(a->setting), "%s", setting);
	snprintf(a->target, sizeof(a->target), "%s", target);
	return a;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void say(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, n, fmt, ap);
	va_end(ap);
}

int diag_unit(const char *path, char *buf, size_t n)
{
	size_t len;
	const char *u = workload_unit(path, &len);

	if (!u)
		return 0;
	snprintf(buf, n, "%.*s", (int)len, u);
	return 1;
}

static int64_t adj_of(const struct oom_task *t)
{
	return t->known & TASK_ADJ ? t->oom_score_adj : 0;
}

/* The task the kill moves to: the culprit when it is a candidate, else
 * the one with the most points after the victim. */
static const struct oom_task *next_in_line(const struct diag_ctx *x)
{
	const struct oom_task *best = NULL;

	if (x->c && (x->c->known & TASK_POINTS) &&
	    !(x->c->known & TASK_UNKILLABLE))
		return x->c;
	for (size_t i = 0; i < x->r->n_tasks; i++) {
		const struct oom_task *t = &x->r->tasks[i];

		if (t != x->v && (t->known & TASK_POINTS) &&
		    !(t->known & TASK_UNKILLABLE) &&
		    (!best || t->points > best->points))
			best = t;
	}
	return best;
}

/* "pod UID" when the victim's cgroup names a Kubernetes pod. */
static int victim_pod(const struct diag_ctx *x, char *buf, size_t n)
{
	struct workload w;

	if (!workload_from_cgroup(x->r->task_memcg, &w) || !w.pod_uid[0])
		return 0;
	snprintf(buf, n, "pod %s", w.pod_uid);
	return 1;
}

/*
 * A pod's processes get their oom_score_adj from the kubelet, by QoS:
 * Burstable 1000 - 1000 * request / capacity (2 to 999), Guaranteed -997,
 * BestEffort 1000.  So an adj at most thr is a memory request of at least
 * (1000 - thr) * capacity / 1000, capacity being the node's RAM.
 */
static void pod_request(struct diag_ctx *x, int64_t thr, const char *pod,
			const struct oom_task *t)
{
	uint64_t ram_kb = x->ram_pages * x->page_kb, den = 1000 * 1024;
	struct diag_advice *a;

	if (!ram_kb || thr < -997)
		return;
	a = add(x, "resources.requests.memory", pod);
	if (!a)
		return;
	if (thr < 2) {
		snprintf(a->value, sizeof(a->value), "= limits");
		say(a->why, sizeof(a->why), "only a Guaranteed pod (requests "
		    "equal to limits, adj -997) scores under %s (pid %" PRId64
		    ")", t->name, t->pid);
		return;
	}
	if (thr > 999)
		thr = 999;
	snprintf(a->value, sizeof(a->value), "%" PRIu64 "Mi",
		 ((uint64_t)(1000 - thr) * ram_kb + den - 1) / den);
	say(a->why, sizeof(a->why), "the kubelet then gives it oom_score_adj "
	    "%" PRId64 " or less, and it scores under %s (pid %" PRId64 ")",
	    thr, t->name, t->pid);
}

/* A: the victim's largest oom_score_adj that puts its points strictly
 * below those of the task that would die instead. */
static void protect_victim(struct diag_ctx *x)
{
	const struct oom_report *r = x->r;
	const struct oom_task *v = x->v, *t = next_in_line(x);
	int64_t unit = (int64_t)(r->totalpages / 1000), thr;
	struct diag_advice *a;
	char target[96], value[24];

	if (!v || !t || !(r->known & RK_TOTALPAGES))
		return;
	if (r->an.era >= ERA_E2 && unit > 0) {
		int64_t base = x->v_points - adj_of(v) * unit;

		thr = floor_div(t->points - 1 - base, unit);
	} else if (r->an.era == ERA_E1) {
		thr = t->points - 1 - (x->v_points - adj_of(v));
	} else {
		return;
	}
	if (thr > 1000)
		thr = 1000;
	if (thr < -999)
		return;		/* only -1000 (never kill) would do */
	snprintf(value, sizeof(value), "%" PRId64, thr);
	if (victim_pod(x, target, sizeof(target))) {
		pod_request(x, thr, target, t);
	} else {
		if (!diag_unit(r->task_memcg, target, sizeof(target)))
			snprintf(target, sizeof(target), "%s", v->name);
		a = add(x, "OOMScoreAdjust", target);
		if (a) {
			snprintf(a->value, sizeof(a->value), "%s", value);
			say(a->why, sizeof(a->why), "at or below %s the victim "
			    "scores under %s (pid %" PRId64 ", %" PRId64
			    " points), which dies instead", value, t->name,
			    t->pid, t->points);
		}
	}
	snprintf(target, sizeof(target), "pid %" PRId64, v->pid);
	a = add(x, "oom_score_adj", target);
	if (a) {
		snprintf(a->value, sizeof(a->value), "%s", value);
		say(a->why, sizeof(a->why), "the same for the running "
		    "process, in /proc/%" PRId64 "/oom_score_adj", v->pid);
	}
}

static uint64_t mem_free_kb(const struct diag_ctx *x)
{
	return mem_has(x->r, MEM_FREE) ? x->r->mem[MEM_FREE] * x->page_kb : 0;
}

/* What something holding held_kb may have, so that the rest of the
 * machine keeps what it had then, less a headroom of 5% of RAM. */
static uint64_t cap_kb(const struct diag_ctx *x, uint64_t held_kb)
{
	uint64_t ram_kb = x->ram_pages * x->page_kb, have;

	if (!x->ram_pages || !mem_has(x->r, MEM_FREE))
		return 0;
	have = held_kb + mem_free_kb(x);
	return have > ram_kb / 20 ? tidy_kb(have - ram_kb / 20) : 0;
}

/* B: MemoryMax and MemoryHigh for the culprit, never for one whose
 * memory is mostly shared (a database's shared buffers). */
static void cap_culprit(struct diag_ctx *x)
{
	const struct diag_culprit *c = &x->d->culprit;
	uint64_t cap, shared, rss;
	struct diag_advice *a;
	char target[96], held[32];
	int victim;

	if (x->memcg || !c->has_private ||
	    (c->kind != CULPRIT_TASK && c->kind != CULPRIT_TASKS))
		return;
	if (c->kind == CULPRIT_TASKS) {
		shared = x->group_shared;
		rss = x->group_rss;
	} else {
		const struct oom_task *t = oom_report_task(x->r, c->pid);

		if (!t)
			return;
		shared = diag_row(x, t)->shared;
		rss = t->rss;
	}
	if (shared * 2 >= rss && rss)
		return;
	cap = cap_kb(x, c->private_kb);
	if (!cap)
		return;
	out_size_kb(held, sizeof(held), c->private_kb);
	victim = c->kind == CULPRIT_TASK && x->v && c->pid == x->v->pid;
	if (victim && victim_pod(x, target, sizeof(target))) {
		/* where Kubernetes caps it; the kubelet owns the scope */
		a = add(x, "resources.limits.memory", target);
		if (a) {
			snprintf(a->value, sizeof(a->value), "%" PRIu64 "Mi",
				 cap / 1024);
			say(a->why, sizeof(a->why), "it held %s of its own; "
			    "the limit leaves the rest of the node what it had, "
			    "less 5%% of RAM", held);
		}
		return;
	}
	if (!(victim && diag_unit(x->r->task_memcg, target, sizeof(target))))
		snprintf(target, sizeof(target), "%s", c->name);
	a = add(x, "MemoryMax", target);
	if (a) {
		systemd_size(a->value, sizeof(a->value), cap);
		say(a->why, sizeof(a->why), "it held %s of its own; the cap "
		    "leaves the rest of the machine what it had, less 5%% "
		    "of RAM", held);
	}
	a = add(x, "MemoryHigh", target);
	if (a) {
		systemd_size(a->value, sizeof(a->value), tidy_kb(cap / 10 * 9));
		say(a->why, sizeof(a->why), "reclaim and throttle it before "
		    "the hard cap is reached");
	}
}

/* C: the workers of a process group that fit. */
static void fewer_workers(struct diag_ctx *x)
{
	const struct oom_report *r = x->r;
	const struct memcg_usage *m = &r->memcg[MEMCG_MEMORY];
	uint64_t group_kb = x->group_private * x->page_kb, per, cap = 0;
	struct diag_advice *a;

	if (!x->group || !x->group_tasks)
		return;
	per = group_kb / (uint64_t)x->group_tasks;
	if (x->memcg && m->known && m->limit_kb < MEMCG_UNLIMITED_KB) {
		uint64_t others = m->usage_kb > group_kb ? m->usage_kb - group_kb
							 : 0;

		if (m->limit_kb > others + m->limit_kb / 10)
			cap = m->limit_kb - others - m->limit_kb / 10;
	} else if (!x->memcg) {
		cap = cap_kb(x, group_kb);
	}
	if (!per || !cap)
		return;
	a = add(x, "workers", x->group->name);
	if (a) {
		char each[32];

		snprintf(a->value, sizeof(a->value), "%" PRIu64, cap / per);
		out_size_kb(each, sizeof(each), per);
		say(a->why, sizeof(a->why), "%" PRId64 " ran, %s each; %"
		    PRIu64 " fit in the memory they may have", x->group_tasks,
		    each, cap / per);
	}
}

/* D: the cgroup's limit, raised by a quarter, where people set it. */
static void raise_limit(struct diag_ctx *x)
{
	const struct oom_report *r = x->r;
	const struct memcg_usage *m = &r->memcg[MEMCG_MEMORY];
	const char *path = r->oom_memcg ? r->oom_memcg : r->task_memcg;
	struct workload w;
	struct diag_advice *a;
	char unit[96], target[96], limit[32];
	uint64_t kb;

	if (!m->known || m->limit_kb >= MEMCG_UNLIMITED_KB || !m->limit_kb)
		return;
	kb = tidy_kb(m->limit_kb / 4 * 5);
	out_size_kb(limit, sizeof(limit), m->limit_kb);
	if (workload_from_cgroup(path, &w) && w.pod_uid[0]) {
		snprintf(target, sizeof(target), "pod %s", w.pod_uid);
		a = add(x, "resources.limits.memory", target);
		if (a)
			snprintf(a->value, sizeof(a->value), "%" PRIu64 "Mi",
				 kb / 1024);
	} else if (diag_unit(path, unit, sizeof(unit))) {
		a = add(x, "MemoryMax", unit);
		if (a)
			systemd_size(a->value, sizeof(a->value), kb);
	} else {
		a = add(x, "memory.max", path ? path : "the cgroup");
		if (a)
			systemd_size(a->value, sizeof(a->value), kb);
	}
	if (a)
		say(a->why, sizeof(a->why), "the cgroup's own limit of %s was "
		    "hit; raise it if this usage is expected, else the growth "
		    "is the bug", limit);
}

static void hugepages(struct diag_ctx *x)
{
	const struct oom_report *r = x->r;
	struct diag_advice *a = add(x, "vm.nr_hugepages", "sysctl");
	char kb[32];

	if (!a)
		return;
	snprintf(a->value, sizeof(a->value), "%" PRIu64,
		 r->mem[MEM_HUGEPAGES_TOTAL] - r->mem[MEM_HUGEPAGES_FREE]);
	out_size_kb(kb, sizeof(kb), x->d->hugetlb_free_kb);
	say(a->why, sizeof(a->why), "the %" PRIu64 " free huge pages (%s) are "
	    "reserved: no task can use them", r->mem[MEM_HUGEPAGES_FREE], kb);
}

static void slab(struct diag_ctx *x)
{
	struct diag_advice *a = add(x, "slabtop", "/proc/slabinfo");
	char kb[32];

	if (!a)
		return;
	snprintf(a->value, sizeof(a->value), "slabtop -s c");
	out_size_kb(kb, sizeof(kb), x->d->kernel_pages * x->page_kb);
	say(a->why, sizeof(a->why), "the kernel held %s unreclaimable: find "
	    "the cache that grows (a driver or kernel leak); no process "
	    "limit frees it", kb);
}

static void tmpfs(struct diag_ctx *x)
{
	uint64_t kb = x->d->tmpfs_pages * x->page_kb, cap = cap_kb(x, kb);
	struct diag_advice *a;
	char held[32], size[32];

	if (!cap)
		return;
	a = add(x, "size", "tmpfs mounts (findmnt -t tmpfs)");
	if (!a)
		return;
	systemd_size(size, sizeof(size), cap);
	snprintf(a->value, sizeof(a->value), "size=%s", size);
	out_size_kb(held, sizeof(held), kb);
	say(a->why, sizeof(a->why), "files in tmpfs held %s that no task "
	    "maps; a size= makes writers fail with ENOSPC, not the kernel "
	    "kill", held);
}

static void fragmentation(struct diag_ctx *x)
{
	const struct oom_report *r = x->r;
	uint64_t min = 0;
	struct diag_advice *a;

	for (size_t i = 0; i < r->n_zones; i++)
		if ((r->zones[i].known >> ZONE_MIN) & 1)
			min += r->zones[i].values[ZONE_MIN];
	a = add(x, "vm.min_free_kbytes", "sysctl");
	if (a) {
		snprintf(a->value, sizeof(a->value), "%" PRIu64, 2 * min);
		say(a->why, sizeof(a->why), "an order-%" PRId64 " request "
		    "failed with memory free in smaller blocks: a larger "
		    "reserve keeps blocks whole; more RAM would not", r->order);
	}
	a = add(x, "vm.compact_memory", "sysctl");
	if (a) {
		snprintf(a->value, sizeof(a->value), "1");
		say(a->why, sizeof(a->why), "compaction joins free pages into "
		    "the blocks the request needed");
	}
}

static void lowmem(struct diag_ctx *x)
{
	struct diag_advice *a;
	int highmem = 0;

	for (size_t i = 0; i < x->r->n_zones; i++)
		if (!strcmp(x->r->zones[i].name, "HighMem"))
			highmem = 1;
	if (!highmem || !(a = add(x, "kernel", "64-bit")))
		return;
	snprintf(a->value, sizeof(a->value), "x86_64");
	say(a->why, sizeof(a->why), "a 32-bit kernel keeps its own memory in "
	    "Normal (lowmem), which ran out while HighMem had room");
}

static void pressure_alert(struct diag_ctx *x)
{
	struct diag_advice *a;

	if (!oom_swap_exhausted(x->r))
		return;
	a = add(x, "alert", "/proc/pressure/memory");
	if (a) {
		snprintf(a->value, sizeof(a->value), "some avg60 > 10");
		say(a->why, sizeof(a->why), "swap filled up first, so the "
		    "pressure built slowly: page before the kill");
	}
}

static int primary_is(const struct diag_ctx *x, enum diag_kind k)
{
	return x->d->kind == k;
}

static int listed(const struct diag_ctx *x, enum diag_kind k)
{
	if (x->d->kind == k)
		return 1;
	for (size_t i = 0; i < x->d->n_also; i++)
		if (x->d->also[i] == k)
			return 1;
	return 0;
}

void diag_advise(struct diag_ctx *x)
{
	enum diag_kind k = x->d->kind;

	if (primary_is(x, DIAG_ADJ_SHIELDED) ||
	    primary_is(x, DIAG_ADJ_TARGETED) ||
	    primary_is(x, DIAG_SHARED_MEMORY) ||
	    (primary_is(x, DIAG_PROCESS_GROUP) && x->v &&
	     !diag_in_group(x, x->v)))
		protect_victim(x);
	if (k == DIAG_ADJ_SHIELDED || k == DIAG_ADJ_TARGETED ||
	    k == DIAG_SHARED_MEMORY || k == DIAG_PROCESS_GROUP ||
	    k == DIAG_CHILD_SACRIFICED || k == DIAG_LARGEST_CONSUMER)
		cap_culprit(x);
	if (listed(x, DIAG_PROCESS_GROUP))
		fewer_workers(x);
	if (k == DIAG_CGROUP_LIMIT)
		raise_limit(x);
	if (listed(x, DIAG_HUGETLB_RESERVED))
		hugepages(x);
	if (listed(x, DIAG_KERNEL_MEMORY))
		slab(x);
	if (listed(x, DIAG_TMPFS))
		tmpfs(x);
	if (k == DIAG_FRAGMENTATION)
		fragmentation(x);
	if (k == DIAG_LOWMEM)
		lowmem(x);
	if (k != DIAG_MANUAL)
		pressure_alert(x);
}
