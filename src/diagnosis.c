/*
 * diagnosis.c: which cause explains an OOM (see diagnosis.h): the memory
 * model of the report, then each kind's rule, then the primary kind and
 * its culprit; and the names of the kinds.  The settings to change are
 * diagnosis-advice.c's; diagnose.c runs the two.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "badness.h"
#include "diagnosis-int.h"
#include "diagnosis.h"
#include "memcg-stat.h"
#include "xalloc.h"

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

/* A shared part worth a story: 64 MiB and a tenth of the task's usage. */
#define SHARED_MIN_KB 65536
/* The weights of kernel memory, tmpfs and free huge pages: 10% of RAM. */
#define SYSTEM_SHARE_PCT 10

const char *diag_kind_name(enum diag_kind k)
{
	return diag_kind_names[(unsigned)k < DIAG_KIND_COUNT ? k : DIAG_NONE];
}

const char *culprit_kind_name(enum diag_culprit_kind k)
{
	return culprit_kind_names[(unsigned)k < CULPRIT_KIND_COUNT ? k
								  : CULPRIT_NONE];
}

enum diag_culprit_kind culprit_kind_from_name(const char *name)
{
	for (int i = 0; name && i < CULPRIT_KIND_COUNT; i++)
		if (!strcmp(name, culprit_kind_names[i]))
			return (enum diag_culprit_kind)i;
	return CULPRIT_NONE;
}

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
					 diag_kind_name(d->also[i]));
}

/* ---------------------------------------------------------------- memory */

static int same_program(const struct oom_task *a, const struct oom_task *b)
{
	if (strcmp(a->name, b->name))
		return 0;
	if ((a->known & TASK_UID) != (b->known & TASK_UID))
		return 0;
	return !(a->known & TASK_UID) || a->uid == b->uid;
}

/* Row indexes by program (comm, uid), then by index. */
static int by_program(const void *pa, const void *pb, void *ctx)
{
	const struct oom_task *tasks = ctx;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	const struct oom_task *ta = &tasks[a], *tb = &tasks[b];
	int c = strcmp(ta->name, tb->name);

	if (c)
		return c;
	if ((ta->known & TASK_UID) != (tb->known & TASK_UID))
		return (ta->known & TASK_UID) ? 1 : -1;
	if ((ta->known & TASK_UID) && ta->uid != tb->uid)
		return ta->uid < tb->uid ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* Each row's program: the index of its first row; and the rows of it. */
static void programs(struct diag_ctx *x)
{
	const struct oom_report *r = x->r;
	size_t n = r->n_tasks, *order = xcalloc(n ? n : 1, sizeof(*order));

	for (size_t i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof(*order), by_program, r->tasks);
	for (size_t i = 0, first = 0; i < n; i++) {
		if (i && !same_program(&r->tasks[order[i]],
				       &r->tasks[order[first]]))
			first = i;
		x->rows[order[i]].group = order[first];
		x->rows[order[first]].group_n++;
	}
	free(order);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* What is not private of row t's rss, as diagnosis.h describes it. */
static uint64_t shared_of(const struct diag_ctx *x, const struct oom_task *t,
			  int *estimated)
{
	const struct oom_report *r = x->r;
	size_t i = (size_t)(t - r->tasks);

	*estimated = 0;
	if (!(t->known & TASK_RSS))
		return 0;
	if (t->known & TASK_RSS_SPLIT)
		return min_u64(t->rss, t->rss_file + t->rss_shmem);
	if (t == x->v && x->k && (x->k->known & KILL_ANON_RSS))
		return t->rss - min_u64(t->rss, x->k->anon_rss_kb / x->page_kb);
	/* rss alone: siblings of one program and uid map one segment, of
	 * at most the summary's Shmem; a lone task's rss is its own */
	*estimated = 1;
	if (mem_has(r, MEM_SHMEM) && x->rows[x->rows[i].group].group_n > 1)
		return min_u64(t->rss, r->mem[MEM_SHMEM]);
	return 0;
}

/* Every row's usage, shared and private memory, once (after the
 * victim's usage, which the printed score may raise). */
static void rows(struct diag_ctx *x)
{
	const struct oom_report *r = x->r;

	x->rows = xcalloc(r->n_tasks ? r->n_tasks : 1, sizeof(*x->rows));
	programs(x);
	for (size_t i = 0; i < r->n_tasks; i++) {
		const struct oom_task *t = &r->tasks[i];
		struct diag_row *w = &x->rows[i];

		w->usage = t == x->v ? x->v_usage : badness_usage(r, t);
		w->shared = shared_of(x, t, &w->estimated);
		w->private = w->usage > w->shared ? w->usage - w->shared : 0;
		if (t == x->v && x->d->victim_swap_inferred)
			w->estimated = 1;
	}
}

const struct diag_row *diag_row(const struct diag_ctx *x,
				const struct oom_task *t)
{
	return &x->rows[t - x->r->tasks];
}

static int64_t adj_of(const struct oom_task *t)
{
	return t->known & TASK_ADJ ? t->oom_score_adj : 0;
}

/*
 * The victim's usage and points.  In E1 the table has no swap and no page
 * tables; the score the kernel printed for its choice (its points, which
 * badness_analyse() took) says what they held:
 * usage >= (S - adj + 30 root) * T / 1000.
 */
static void victim_usage(struct diag_ctx *x)
{
	const struct oom_report *r = x->r;
	const struct oom_task *v = x->v;
	int64_t s = r->selected_score, need;

	x->v_usage = badness_usage(r, v);
	x->v_points = v->known & TASK_POINTS ? v->points : 0;
	if (r->an.era != ERA_E1 || !(r->known & RK_SCORE) ||
	    !(r->known & RK_TOTALPAGES) || !(r->known & RK_SELECTED) ||
	    r->selected_pid != v->pid || s <= 1 || s >= 1000)
		return;		/* clamped at 1 or 1000: a bound, not a value */
	need = (s - adj_of(v) + ((v->known & TASK_UID) && v->uid == 0 ? 30 : 0)) *
	       (int64_t)r->totalpages / 1000;
	if (need > 0 && (uint64_t)need > x->v_usage) {
		x->d->victim_swap_inferred = (uint64_t)need - x->v_usage;
		x->v_usage = (uint64_t)need;
	}
}

/* The row with the most private memory, v excepted. */
static const struct oom_task *largest_other(const struct diag_ctx *x)
{
	const struct oom_task *best = NULL;

	for (size_t i = 0; i < x->r->n_tasks; i++) {
		const struct oom_task *t = &x->r->tasks[i];

		if (t == x->v || !(t->known & TASK_RSS))
			continue;
		if (!best || x->rows[i].private > diag_row(x, best)->private)
			best = t;
	}
	return best;
}

/* ---------------------------------------------------------------- groups */

/* One program's rows summed, kept at its first row's index. */
struct program_sum {
	uint64_t private, top, shared, rss;
	int estimated;
};

/*
 * Tasks of one program and uid: the group of 300 php-fpm workers.  The
 * rows are summed per program in one pass; "outside" a program is the
 * largest row of any other, which is the largest row of all unless that
 * one is the program's own.
 */
static void process_group(struct diag_ctx *x)
{
	const struct oom_report *r = x->r;
	struct program_sum *sum = xcalloc(r->n_tasks ? r->n_tasks : 1,
					  sizeof(*sum));
	uint64_t all = 0;
	size_t best = SIZE_MAX, other = SIZE_MAX;

	for (size_t i = 0; i < r->n_tasks; i++) {
		const struct diag_row *w = &x->rows[i];
		struct program_sum *g = &sum[w->group];

		all += w->private;
		g->private += w->private;
		g->shared += w->shared;
		g->rss += r->tasks[i].known & TASK_RSS ? r->tasks[i].rss : 0;
		g->estimated |= w->estimated;
		if (w->private > g->top)
			g->top = w->private;
		if (best == SIZE_MAX || w->private > x->rows[best].private)
			best = i;
	}
	for (size_t i = 0; i < r->n_tasks; i++)
		if (x->rows[i].group != x->rows[best].group &&
		    (other == SIZE_MAX ||
		     x->rows[i].private > x->rows[other].private))
			other = i;
	for (size_t i = 0; i < r->n_tasks; i++) {
		const struct program_sum *g = &sum[i];
		size_t out = x->rows[best].group != i ? best : other;
		uint64_t outside = out == SIZE_MAX ? 0 : x->rows[out].private;

		if (x->rows[i].group != i || x->rows[i].group_n < 4 ||
		    g->top * 2 >= g->private || g->private * 4 < all ||
		    g->private <= outside)
			continue;
		if (!x->group || g->private > x->group_private) {
			x->group = &r->tasks[i];
			x->group_tasks = (int64_t)x->rows[i].group_n;
			x->group_private = g->private;
			x->group_shared = g->shared;
			x->group_rss = g->rss;
			x->group_estimated = g->estimated;
		}
	}
	free(sum);
}

int diag_in_group(const struct diag_ctx *x, const struct oom_task *t)
{
	return x->group && t &&
	       x->rows[t - x->r->tasks].group ==
		       (size_t)(x->group - x->r->tasks);
}

/* ---------------------------------------------------------------- zones */

enum zone_class { ZC_DMA, ZC_DMA32, ZC_NORMAL, ZC_HIGHMEM, ZC_MOVABLE,
		  ZC_OTHER };

static enum zone_class zone_class(const char *name)
{
	static const char *const names[] = { "DMA", "DMA32", "Normal",
					     "HighMem", "Movable" };

	for (int i = 0; i < 5; i++)
		if (!strcmp(name, names[i]))
			return (enum zone_class)i;
	return ZC_OTHER;
}

/* The zones a request may use, from the gfp mask's zone bits, which have
 * kept their values in every era.  DMA is left out unless asked for:
 * lowmem_reserve keeps it from every other request. */
static unsigned usable_zones(const struct oom_report *r)
{
	unsigned long mask;
	char *end;

	if (!r->gfp_mask)
		return 0;
	mask = strtoul(r->gfp_mask, &end, 16);
	if (end == r->gfp_mask)
		return 0;
	if (mask & 0x01)
		return 1u << ZC_DMA;
	if (mask & 0x04)
		return 1u << ZC_DMA32;
	if (mask & 0x02)
		return (1u << ZC_DMA32) | (1u << ZC_NORMAL) |
		       (1u << ZC_HIGHMEM) | (mask & 0x08 ? 1u << ZC_MOVABLE : 0);
	return (1u << ZC_DMA32) | (1u << ZC_NORMAL);
}

/* kB free in blocks of at least order o, from "N0 N1 N2 ...". */
static uint64_t free_from_order(const char *buddy, int64_t o, uint64_t pk)
{
	uint64_t kb = 0;
	const char *p = buddy;

	for (int64_t i = 0; *p && i < 20; i++) {
		char *end;
		uint64_t n = strtoull(p, &end, 10);

		if (end == p)
			break;
		if (i >= o)
			kb += n * pk << i;
		p = end;
	}
	return kb;
}

#define ZONE_HAS(z, f) (((z)->known >> (f)) & 1)

static void zones(struct diag_ctx *x)
{
	const struct oom_report *r = x->r;
	unsigned use = usable_zones(r);
	uint64_t free_u = 0, min_u = 0, high_order = 0, free_other = 0;
	int n_use = 0, all_buddy = 1, all_low = 1;

	if (x->memcg || !use || !r->n_zones)
		return;
	for (size_t i = 0; i < r->n_zones; i++) {
		const struct oom_zone *z = &r->zones[i];
		enum zone_class c = zone_class(z->name);

		if (!ZONE_HAS(z, ZONE_FREE))
			continue;
		if (c == ZC_OTHER || !((use >> c) & 1)) {
			if (c != ZC_DMA)
				free_other += z->values[ZONE_FREE];
			continue;
		}
		n_use++;
		free_u += z->values[ZONE_FREE];
		min_u += ZONE_HAS(z, ZONE_MIN) ? z->values[ZONE_MIN] : 0;
		if (!ZONE_HAS(z, ZONE_LOW) ||
		    z->values[ZONE_FREE] > z->values[ZONE_LOW])
			all_low = 0;
		if (z->buddy && (r->known & RK_ORDER))
			high_order += free_from_order(z->buddy, r->order,
						      x->page_kb);
		else
			all_buddy = 0;
	}
	if (!n_use)
		return;
	x->d->free_kb = free_u;
	x->d->free_high_order_kb = high_order;
	if ((r->known & RK_ORDER) && r->order >= 1 && all_buddy &&
	    free_u >= 2 * min_u && high_order < min_u)
		x->applies[DIAG_FRAGMENTATION] = 1;
	if (all_low && free_other >= 262144 && free_other >= 4 * free_u)
		x->applies[DIAG_LOWMEM] = 1;
}

/* ---------------------------------------------------------------- system */

static uint64_t task_shmem(const struct diag_ctx *x, const struct oom_task *t)
{
	if (t->known & TASK_RSS_SPLIT)
		return t->rss_shmem;
	if (t == x->v && x->k && (x->k->known & KILL_SHMEM_RSS))
		return x->k->shmem_rss_kb / x->page_kb;
	return diag_row(x, t)->shared;
}

/* Shmem held by tasks: each program's segment counted once, at the
 * most any one of its tasks maps. */
static uint64_t shmem_held(const struct diag_ctx *x)
{
	const struct oom_report *r = x->r;
	uint64_t *most = xcalloc(r->n_tasks ? r->n_tasks : 1, sizeof(*most));
	uint64_t held = 0;

	for (size_t i = 0; i < r->n_tasks; i++) {
		uint64_t m = task_shmem(x, &r->tasks[i]);
		size_t g = x->rows[i].group;

		if (m > most[g])
			most[g] = m;
	}
	for (size_t i = 0; i < r->n_tasks; i++)
		held += most[i];
	free(most);
	return held;
}

static int weighs(const struct diag_ctx *x, uint64_t pages)
{
	return x->ram_pages && pages * 100 >= x->ram_pages * SYSTEM_SHARE_PCT;
}

/* The kernel's own memory inside a memcg, kB: v1's kmem counter, else
 * memory.stat's kernel (5.18+) or its parts (slab_unreclaimable,
 * kernel_stack, pagetables, percpu); 0 when the report shows none. */
static uint64_t memcg_kernel_kb(const struct oom_report *r)
{
	static const enum memcg_stat_item parts[] = {
		MCS_SLAB_UNRECLAIMABLE, MCS_KERNEL_STACK, MCS_PAGETABLES,
		MCS_PERCPU
	};
	struct memcg_stat st;
	uint64_t kb = 0;

	if (r->memcg[MEMCG_KMEM].known && r->memcg[MEMCG_KMEM].usage_kb)
		return r->memcg[MEMCG_KMEM].usage_kb;
	memcg_stat_parse(r->memcg_stats, &st);
	if (memcg_stat_has(&st, MCS_KERNEL))
		return st.kb[MCS_KERNEL];
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (memcg_stat_has(&st, parts[i]))
			kb += st.kb[parts[i]];
	return kb;
}

static void system_memory(struct diag_ctx *x)
{
	const struct oom_report *r = x->r;
	const struct memcg_usage *m = &r->memcg[MEMCG_MEMORY];
	struct diagnosis *d = x->d;
	uint64_t kernel_kb = x->memcg ? memcg_kernel_kb(r) : 0;

	if (mem_has(r, MEM_RAM_PAGES) && mem_has(r, MEM_RESERVED_PAGES) &&
	    r->mem[MEM_RESERVED_PAGES] < r->mem[MEM_RAM_PAGES])
		x->ram_pages = r->mem[MEM_RAM_PAGES] - r->mem[MEM_RESERVED_PAGES];
	if (kernel_kb && m->known && m->limit_kb < MEMCG_UNLIMITED_KB) {
		/* inside the cgroup, weighed against its own limit */
		d->kernel_pages = kernel_kb / x->page_kb;
		x->applies[DIAG_KERNEL_MEMORY] =
			kernel_kb * 100 >= m->limit_kb * SYSTEM_SHARE_PCT;
	} else {
		if (mem_has(r, MEM_SLAB_UNRECLAIMABLE))
			d->kernel_pages = r->mem[MEM_SLAB_UNRECLAIMABLE] +
					  (mem_has(r, MEM_PAGETABLES)
						   ? r->mem[MEM_PAGETABLES] : 0);
		x->applies[DIAG_KERNEL_MEMORY] = weighs(x, d->kernel_pages);
	}
	if (mem_has(r, MEM_SHMEM)) {
		uint64_t held = shmem_held(x);

		d->tmpfs_pages = r->mem[MEM_SHMEM] > held
					 ? r->mem[MEM_SHMEM] - held : 0;
	}
	x->applies[DIAG_TMPFS] = weighs(x, d->tmpfs_pages);
	if (mem_has(r, MEM_HUGEPAGES_KB) && mem_has(r, MEM_HUGEPAGES_FREE) &&
	    r->mem[MEM_HUGEPAGES_TOTAL])
		d->hugetlb_free_kb = r->mem[MEM_HUGEPAGES_FREE] *
				     (r->mem[MEM_HUGEPAGES_KB] /
				      r->mem[MEM_HUGEPAGES_TOTAL]);
	x->applies[DIAG_HUGETLB_RESERVED] =
		weighs(x, d->hugetlb_free_kb / x->page_kb);
}

/* ---------------------------------------------------------------- tasks */

static int64_t max_other_points(const struct diag_ctx *x)
{
	int64_t best = INT64_MIN;

	for (size_t i = 0; i < x->r->n_tasks; i++) {
		const struct oom_task *t = &x->r->tasks[i];

		if (t != x->v && (t->known & TASK_POINTS) &&
		    !(t->known & TASK_UNKILLABLE) && t->points > best)
			best = t->points;
	}
	return best;
}

static void victim_choice(struct diag_ctx *x)
{
	const struct oom_report *r = x->r;
	const struct oom_task *v = x->v, *c = x->c;
	struct diagnosis *d = x->d;
	uint64_t pv, pc = 0, shared;
	int scored = (r->known & RK_TOTALPAGES) && r->an.era >= ERA_E1;

	if (!v)
		return;
	pv = d->victim_private;
	if (c)
		pc = diag_row(x, c)->private;
	shared = d->victim_shared;
	if (c && pc > pv && adj_of(c) < 0 && scored &&
	    badness_points(r, c, badness_usage(r, c), 0) > x->v_points)
		x->applies[DIAG_ADJ_SHIELDED] = 1;
	if (c && adj_of(v) > 0 && pv < pc && scored &&
	    badness_points(r, v, x->v_usage, 0) < max_other_points(x))
		x->applies[DIAG_ADJ_TARGETED] = 1;
	if (c && pc > pv && shared * x->page_kb >= SHARED_MIN_KB &&
	    shared * 10 >= x->v_usage)
		x->applies[DIAG_SHARED_MEMORY] = 1;
	if (!c || pv >= pc)
		x->applies[DIAG_LARGEST_CONSUMER] = 1;
}

/* ---------------------------------------------------------------- verdict */

static void culprit_task(struct diag_ctx *x, const struct oom_task *t)
{
	struct diag_culprit *c = &x->d->culprit;

	c->kind = CULPRIT_TASK;
	snprintf(c->name, sizeof(c->name), "%s", t->name);
	c->pid = t->pid;
	if (t->known & TASK_RSS) {
		c->private_kb = diag_row(x, t)->private * x->page_kb;
		c->private_estimated = diag_row(x, t)->estimated;
		c->has_private = 1;
	}
}

static void culprit_other(struct diag_ctx *x, enum diag_culprit_kind kind,
			  const char *name, uint64_t kb)
{
	struct diag_culprit *c = &x->d->culprit;

	c->kind = kind;
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->private_kb = kb;
	c->has_private = 1;
}

static void culprit_group(struct diag_ctx *x)
{
	struct diag_culprit *c = &x->d->culprit;

	c->kind = CULPRIT_TASKS;
	snprintf(c->name, sizeof(c->name), "%s", x->group->name);
	c->tasks = x->group_tasks;
	c->private_kb = x->group_private * x->page_kb;
	c->private_estimated = x->group_estimated;
	c->has_private = 1;
}

static uint64_t system_weight_kb(const struct diag_ctx *x, enum diag_kind k)
{
	switch (k) {
	case DIAG_KERNEL_MEMORY:
		return x->d->kernel_pages * x->page_kb;
	case DIAG_TMPFS:
		return x->d->tmpfs_pages * x->page_kb;
	case DIAG_HUGETLB_RESERVED:
		return x->r->mem[MEM_HUGEPAGES_KB];
	default:
		return 0;
	}
}

/*
 * The primary kind: the first of the rules before the system kinds that
 * applies; else a system kind that weighs at least what the victim held
 * (or the only story there is); else the plain largest consumer, with
 * the system kinds in also.
 */
static enum diag_kind primary(const struct diag_ctx *x)
{
	for (int k = DIAG_MANUAL; k < DIAG_KERNEL_MEMORY; k++)
		if (x->applies[k])
			return (enum diag_kind)k;
	for (int k = DIAG_KERNEL_MEMORY; k <= DIAG_HUGETLB_RESERVED; k++)
		if (x->applies[k] &&
		    (!x->applies[DIAG_LARGEST_CONSUMER] ||
		     system_weight_kb(x, (enum diag_kind)k) >=
			     x->d->victim_private * x->page_kb))
			return (enum diag_kind)k;
	return x->applies[DIAG_LARGEST_CONSUMER] ? DIAG_LARGEST_CONSUMER
						 : DIAG_NONE;
}

static void set_culprit(struct diag_ctx *x)
{
	const struct oom_report *r = x->r;
	struct diagnosis *d = x->d;
	const struct oom_task *t;

	switch (d->kind) {
	case DIAG_CGROUP_LIMIT:
		if (x->applies[DIAG_PROCESS_GROUP]) {
			culprit_group(x);
			break;
		}
		t = x->v;
		if (x->c && (!t || d->victim_private <
				       diag_row(x, x->c)->private))
			t = x->c;
		if (t)
			culprit_task(x, t);
		break;
	case DIAG_CHILD_SACRIFICED:
		t = oom_report_task(r, r->selected_pid);
		if (t) {
			culprit_task(x, t);
		} else {
			d->culprit.kind = CULPRIT_TASK;
			snprintf(d->culprit.name, sizeof(d->culprit.name), "%s",
				 r->selected_comm ? r->selected_comm : "");
			d->culprit.pid = r->selected_pid;
		}
		break;
	case DIAG_ADJ_SHIELDED:
	case DIAG_ADJ_TARGETED:
	case DIAG_SHARED_MEMORY:
		culprit_task(x, x->c);
		break;
	case DIAG_PROCESS_GROUP:
		culprit_group(x);
		break;
	case DIAG_KERNEL_MEMORY:
		culprit_other(x, CULPRIT_KERNEL, "slab",
			      system_weight_kb(x, d->kind));
		break;
	case DIAG_TMPFS:
		culprit_other(x, CULPRIT_TMPFS, "tmpfs",
			      system_weight_kb(x, d->kind));
		break;
	case DIAG_HUGETLB_RESERVED:
		culprit_other(x, CULPRIT_HUGETLB, "hugetlb",
			      system_weight_kb(x, d->kind));
		break;
	case DIAG_LARGEST_CONSUMER:
		culprit_task(x, x->v);
		break;
	default:
		break;		/* manual, fragmentation, lowmem: nobody */
	}
}

/* The victim's figures, and the row that held more (rows() done). */
static void victim(struct diag_ctx *x)
{
	struct diagnosis *d = x->d;
	const struct diag_row *w;

	if (!x->v || !(x->v->known & TASK_RSS))
		return;
	w = diag_row(x, x->v);
	d->victim_shared = w->shared;
	d->victim_private = w->private;
	x->c = largest_other(x);
}

static void kinds(struct diag_ctx *x)
{
	const struct oom_report *r = x->r;

	x->applies[DIAG_MANUAL] = (r->known & RK_ORDER) && r->order == -1;
	x->applies[DIAG_CGROUP_LIMIT] = x->memcg;
	zones(x);
	x->applies[DIAG_CHILD_SACRIFICED] =
		x->k && (r->known & RK_SELECTED) && r->an.era <= ERA_E3 &&
		r->selected_pid != x->k->pid &&
		!(x->v && x->v->pid == r->selected_pid);
	victim_choice(x);
	process_group(x);
	x->applies[DIAG_PROCESS_GROUP] = x->group != NULL;
	system_memory(x);
}

void diag_cause(struct diag_ctx *x)
{
	const struct oom_report *r = x->r;
	struct diagnosis *d = x->d;

	x->k = x->k ? x->k : oom_report_victim(r);
	x->page_kb = badness_page_kb(r);
	if (!x->page_kb)
		x->page_kb = 4;
	d->page_kb = x->page_kb;
	x->memcg = oom_report_is_memcg(r);
	if (x->k)
		x->v = oom_report_task(r, x->k->pid);
	if (x->v && (x->v->known & TASK_RSS))
		victim_usage(x);
	rows(x);
	victim(x);
	kinds(x);
	d->kind = primary(x);
	for (int k = DIAG_MANUAL; k < DIAG_LARGEST_CONSUMER; k++)
		if (x->applies[k] && k != (int)d->kind &&
		    d->n_also < DIAG_MAX_ALSO)
			d->also[d->n_also++] = (enum diag_kind)k;
	if (d->kind != DIAG_NONE)
		set_culprit(x);
}
