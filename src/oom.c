/* oom.c: life cycle of struct oom_report and the names of its fields. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oom.h"
#include "xalloc.h"

const char *const mem_field_names[MEM_FIELD_COUNT] = {
	[MEM_ACTIVE_ANON] = "active_anon",
	[MEM_INACTIVE_ANON] = "inactive_anon",
	[MEM_ISOLATED_ANON] = "isolated_anon",
	[MEM_ACTIVE_FILE] = "active_file",
	[MEM_INACTIVE_FILE] = "inactive_file",
	[MEM_ISOLATED_FILE] = "isolated_file",
	[MEM_UNEVICTABLE] = "unevictable",
	[MEM_DIRTY] = "dirty",
	[MEM_WRITEBACK] = "writeback",
	[MEM_SLAB_RECLAIMABLE] = "slab_reclaimable",
	[MEM_SLAB_UNRECLAIMABLE] = "slab_unreclaimable",
	[MEM_MAPPED] = "mapped",
	[MEM_SHMEM] = "shmem",
	[MEM_PAGETABLES] = "pagetables",
	[MEM_FREE] = "free",
	[MEM_FREE_PCP] = "free_pcp",
	[MEM_FREE_CMA] = "free_cma",
	[MEM_PAGECACHE_PAGES] = "pagecache_pages",
	[MEM_SWAPCACHE_PAGES] = "swapcache_pages",
	[MEM_FREE_SWAP_KB] = "free_swap_kb",
	[MEM_TOTAL_SWAP_KB] = "total_swap_kb",
	[MEM_RAM_PAGES] = "ram_pages",
	[MEM_RESERVED_PAGES] = "reserved_pages",
	[MEM_HIGHMEM_PAGES] = "highmem_pages",
	[MEM_CMA_RESERVED_PAGES] = "cma_reserved_pages",
	[MEM_HWPOISONED_PAGES] = "hwpoisoned_pages",
	[MEM_PAGE_SIZE_KB] = "page_size_kb",
	[MEM_HUGEPAGES_TOTAL] = "hugepages_total",
	[MEM_HUGEPAGES_FREE] = "hugepages_free",
	[MEM_HUGEPAGES_KB] = "hugepages_kb",
};

const char *const zone_field_names[ZONE_FIELD_COUNT] = {
	"free", "min", "low", "high", "present", "managed",
};

const char *const memcg_counter_names[MEMCG_COUNTER_COUNT] = {
	[MEMCG_MEMORY] = "memory",
	[MEMCG_SWAP] = "swap",
	[MEMCG_MEMSW] = "memory+swap",
	[MEMCG_KMEM] = "kmem",
};

const char *const report_flag_names[] = {
	"no_header", "no_kill", "no_dump", "no_meminfo", "dump_partial",
	"cut", "no_killable", "panic", "victim_exiting", "year_guessed",
	"local_time", "summary_cut", "too_long", "constraint_inferred",
	"interleaved", "lines_lost", "lines_joined", "truncated", "annotated",
	"paste_prefix", "victim_from_selection", "victim_from_summary",
	"victim_from_reaper", "dump_untitled", "reassembled",
	"constraint_corrected", "page_size_inferred", "nul_bytes",
	"header_lost", "would_have_killed", "conflicting_copies", NULL,
};

struct oom_report *oom_report_new(void)
{
	struct oom_report *r = xcalloc(1, sizeof(*r));

	r->layout = LAYOUT_UNKNOWN;
	return r;
}

void oom_report_free(struct oom_report *r)
{
	if (!r)
		return;
	free(r->killer);
	free(r->host);
	free(r->boot_id);
	free(r->trigger_comm);
	free(r->gfp_mask);
	free(r->kernel_release);
	free(r->hardware);
	free(r->constraint);
	free(r->nodemask);
	free(r->cpuset);
	free(r->mems_allowed);
	free(r->oom_memcg);
	free(r->task_memcg);
	free(r->selected_comm);
	free(r->memcg_stats_path);
	free(r->memcg_stats);
	for (size_t i = 0; i < r->n_zones; i++) {
		free(r->zones[i].name);
		free(r->zones[i].buddy);
	}
	free(r->zones);
	for (size_t i = 0; i < r->n_tasks; i++)
		free(r->tasks[i].name);
	free(r->tasks);
	for (size_t i = 0; i < r->n_kills; i++) {
		free(r->kills[i].comm);
		free(r->kills[i].reason);
	}
	free(r->kills);
	free(r->group_kill_memcg);
	free(r->raw);
	free(r);
}

int oom_report_complete(const struct oom_report *r)
{
	return !(r->flags & (REPORT_NO_HEADER | REPORT_NO_KILL | REPORT_NO_DUMP |
			     REPORT_CUT | REPORT_DUMP_PARTIAL |
			     REPORT_INTERLEAVED | REPORT_LINES_LOST));
}

int oom_swap_exhausted(const struct oom_report *r)
{
	return mem_has(r, MEM_TOTAL_SWAP_KB) && mem_has(r, MEM_FREE_SWAP_KB) &&
	       r->mem[MEM_TOTAL_SWAP_KB] &&
	       r->mem[MEM_FREE_SWAP_KB] * 10 < r->mem[MEM_TOTAL_SWAP_KB];
}

const struct oom_task *oom_report_task(const struct oom_report *r,
				       int64_t pid)
{
	for (size_t i = 0; i < r->n_tasks; i++)
		if (r->tasks[i].pid == pid ||
		    ((r->tasks[i].known & TASK_TGID) && r->tasks[i].tgid == pid))
			return &r->tasks[i];
	return NULL;
}

/* Lines of Mem-Info, which a memcg OOM does not print (3.10+). */
static int has_meminfo(const struct oom_report *r)
{
	return r->n_zones ||
	       (r->mem_known & ~(UINT64_C(1) << MEM_PAGE_SIZE_KB));
}

/* A report that names its memcg in lines only a memcg OOM prints: the
 * memcg over its limit ("oom_memcg=", "limit of") or the memcg reason
 * settle it; the memcg block does when no Mem-Info block is beside it. */
static int memcg_printed(const struct oom_report *r)
{
	const struct oom_kill *k = oom_report_victim(r);
	const char *reason = k ? k->reason : NULL;

	if (r->oom_memcg ||
	    (reason && !strcmp(reason, "Memory cgroup out of memory")))
		return 1;
	return (r->memcg[MEMCG_MEMORY].known || r->memcg_stats_path) &&
	       !has_meminfo(r);
}

enum oom_scope oom_report_scope(const struct oom_report *r)
{
	static const struct {
		const char *name;
		enum oom_scope scope;
	} names[] = {
		{ CONSTRAINT_NONE_NAME, SCOPE_GLOBAL },
		{ CONSTRAINT_CPUSET_NAME, SCOPE_CPUSET },
		{ CONSTRAINT_MEMPOLICY_NAME, SCOPE_MEMPOLICY },
		{ CONSTRAINT_MEMCG_NAME, SCOPE_MEMCG },
	};

	if (!r->constraint)
		return memcg_printed(r) ? SCOPE_MEMCG : SCOPE_UNKNOWN;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(r->constraint, names[i].name))
			return names[i].scope;
	return SCOPE_OTHER;
}

const char *oom_report_constraint(const struct oom_report *r)
{
	if (r->constraint)
		return r->constraint;
	return memcg_printed(r) ? CONSTRAINT_MEMCG_NAME : NULL;
}

int oom_report_scope_inferred(const struct oom_report *r)
{
	return (r->flags & REPORT_CONSTRAINT_INFERRED) ||
	       (!r->constraint && memcg_printed(r));
}

int oom_release_version(const char *rel, int *maj, int *min, int *patch)
{
	*maj = *min = *patch = 0;
	return rel && sscanf(rel, "%d.%d.%d", maj, min, patch) >= 2;
}

/* A row's name; a row loaded from an old database may have none. */
static const char *row_name(const struct oom_task *t)
{
	return t->name ? t->name : "";
}

static int same_row(const struct oom_task *a, const struct oom_task *b)
{
	if (strcmp(row_name(a), row_name(b)))
		return 0;
	if ((a->known & b->known & TASK_RSS) && a->rss != b->rss)
		return 0;
	return !((a->known & b->known & TASK_ADJ) &&
		 a->oom_score_adj != b->oom_score_adj);
}

static int by_pid(const void *x, const void *y)
{
	const struct oom_task *a = *(const struct oom_task *const *)x;
	const struct oom_task *b = *(const struct oom_task *const *)y;

	return (a->pid > b->pid) - (a->pid < b->pid);
}

/* r's rows sorted by pid (a dump holds thousands): free() it. */
static const struct oom_task **rows_by_pid(const struct oom_report *r)
{
	const struct oom_task **sorted = xmalloc((r->n_tasks + 1) *
						 sizeof(*sorted));

	for (size_t k = 0; k < r->n_tasks; k++)
		sorted[k] = &r->tasks[k];
	qsort(sorted, r->n_tasks, sizeof(*sorted), by_pid);
	return sorted;
}

static void describe_row(char *buf, size_t size, const struct oom_task *t)
{
	int n = snprintf(buf, size, "%s", t ? row_name(t) : "");

	if (t && (t->known & TASK_RSS) && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, ", rss %" PRIu64
			      " pages", t->rss);
	if (t && (t->known & TASK_ADJ) && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, ", adj %" PRId64,
			 t->oom_score_adj);
}

static void describe_kill(char *buf, size_t size, const struct oom_kill *k)
{
	snprintf(buf, size, "%" PRId64 " (%s)", k->pid, k->comm);
}

/* Count one difference, and describe it when there is room. */
struct diff_list {
	struct copy_difference *out;
	size_t max, n;
};

static struct copy_difference *add_diff(struct diff_list *l,
					const char *fact_fmt, int64_t pid)
{
	struct copy_difference *d = l->n < l->max ? &l->out[l->n] : NULL;

	l->n++;
	if (d)
		snprintf(d->fact, sizeof(d->fact), fact_fmt, pid);
	return d;
}

/* The rows of a and b, both sorted by pid, walked side by side: a row
 * only one holds counts when all_rows. */
static void diff_rows(struct diff_list *l, const struct oom_task **a,
		      size_t na, const struct oom_task **b, size_t nb,
		      int all_rows)
{
	size_t i = 0, j = 0;

	while (i < na || j < nb) {
		const struct oom_task *x = i < na ? a[i] : NULL;
		const struct oom_task *y = j < nb ? b[j] : NULL;
		struct copy_difference *d;

		if (x && y && x->pid == y->pid) {
			i++, j++;
			if (same_row(x, y))
				continue;
		} else if (x && (!y || x->pid < y->pid)) {
			i++, y = NULL;
		} else {
			j++, x = NULL;
		}
		if ((!x || !y) && !all_rows)
			continue;
		if ((d = add_diff(l, "task %" PRId64, x ? x->pid : y->pid))) {
			describe_row(d->kept, sizeof(d->kept), x);
			describe_row(d->other, sizeof(d->other), y);
		}
	}
}

size_t oom_copies_diff(const struct oom_report *kept,
		       const struct oom_report *other,
		       struct copy_difference *out, size_t max)
{
	const unsigned cut = REPORT_CUT | REPORT_DUMP_PARTIAL | REPORT_TOO_LONG;
	int whole = !(kept->flags & cut) && !(other->flags & cut);
	struct diff_list l = { out, max, 0 };
	struct copy_difference *d;

	if (kept->n_kills && other->n_kills &&
	    (kept->kills[0].pid != other->kills[0].pid ||
	     strcmp(kept->kills[0].comm, other->kills[0].comm)) &&
	    (d = add_diff(&l, "victim", 0))) {
		describe_kill(d->kept, sizeof(d->kept), &kept->kills[0]);
		describe_kill(d->other, sizeof(d->other), &other->kills[0]);
	}
	if (!kept->n_tasks || !other->n_tasks)
		return l.n;
	if (whole && kept->n_tasks != other->n_tasks &&
	    (d = add_diff(&l, "rows", 0))) {
		snprintf(d->kept, sizeof(d->kept), "%zu", kept->n_tasks);
		snprintf(d->other, sizeof(d->other), "%zu", other->n_tasks);
	}
	{
		const struct oom_task **a = rows_by_pid(kept);
		const struct oom_task **b = rows_by_pid(other);

		diff_rows(&l, a, kept->n_tasks, b, other->n_tasks, whole);
		free(a);
		free(b);
	}
	return l.n;
}

/* FNV-1a, 64 bits: a digest to compare, not a defence. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ ((const unsigned char *)p)[i]) * UINT64_C(0x100000001b3);
	return h;
}

static uint64_t fnv_i64(uint64_t h, int64_t v)
{
	return fnv(h, &v, sizeof(v));
}

uint64_t oom_facts_digest(const struct oom_report *r)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	const struct oom_task **rows = rows_by_pid(r);

	if (r->n_kills) {
		h = fnv_i64(h, r->kills[0].pid);
		h = fnv(h, r->kills[0].comm, strlen(r->kills[0].comm) + 1);
	}
	h = fnv_i64(h, (int64_t)r->n_tasks);
	for (size_t i = 0; i < r->n_tasks; i++) {
		const struct oom_task *t = rows[i];

		h = fnv_i64(h, t->pid);
		h = fnv(h, row_name(t), strlen(row_name(t)) + 1);
		h = fnv_i64(h, t->known & TASK_RSS ? (int64_t)t->rss : -1);
		h = fnv_i64(h, t->known & TASK_ADJ ? t->oom_score_adj : INT64_MIN);
	}
	free(rows);
	return h;
}

const char *oom_provenance_name(int64_t trust)
{
	switch (trust) {
	case PROV_JOURNAL:
		return "journal-kernel";
	case PROV_KMSG:
		return "kmsg";
	case PROV_TEXT:
	case PROV_TEXT_STAMPED:
		return "text";
	default:
		return NULL;
	}
}

const char *oom_victim_source(const struct oom_report *r)
{
	if (r->flags & REPORT_VICTIM_FROM_SELECTION)
		return "the selection line (\"Kill process N (x) score S\")";
	if (r->flags & REPORT_VICTIM_FROM_SUMMARY)
		return "the oom-kill: summary line";
	if (r->flags & REPORT_VICTIM_FROM_REAPER)
		return "the oom_reaper line";
	return NULL;
}

const struct oom_kill *oom_report_victim(const struct oom_report *r)
{
	return r->n_kills ? &r->kills[0] : NULL;
}

/* Arrays grow by doubling; the capacity is kept implicit as the next power
 * of two >= n, so the struct needs no extra fields. */
static void *grow_pow2(void *p, size_t n, size_t size)
{
	if (n == 0 || (n & (n - 1)) == 0)
		p = xrealloc(p, (n ? 2 * n : 1) * size);
	memset((char *)p + n * size, 0, size);
	return p;
}

struct oom_task *oom_report_add_task(struct oom_report *r)
{
	r->tasks = grow_pow2(r->tasks, r->n_tasks, sizeof(*r->tasks));
	return &r->tasks[r->n_tasks++];
}

struct oom_kill *oom_report_add_kill(struct oom_report *r)
{
	r->kills = grow_pow2(r->kills, r->n_kills, sizeof(*r->kills));
	return &r->kills[r->n_kills++];
}

struct oom_zone *oom_report_add_zone(struct oom_report *r)
{
	r->zones = grow_pow2(r->zones, r->n_zones, sizeof(*r->zones));
	r->zones[r->n_zones].node = -1;
	return &r->zones[r->n_zones++];
}
