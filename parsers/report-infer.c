/*
 * report-infer.c: what a closed report says of itself without printing it
 * as such: the scope of a memcg OOM that the summary calls
 * CONSTRAINT_NONE, decided when the assembler closes the report
 * (report_finish_flags), and the scope of one that printed none and a
 * page size other than 4 KiB, decided when it hands the report on (a
 * kill line pasted apart may join it late).
 */
#include <stdlib.h>
#include <string.h>

#include "oom.h"
#include "report-int.h"
#include "xalloc.h"

#define REASON_MEMCG "Memory cgroup out of memory"

/*
 * 5.0's oom-kill: summary prints oc->constraint, which out_of_memory()
 * did not set (it kept the constraint in a local variable) until the fix
 * of August 2019 (5.3, "fix uninitialized oc->constraint"): until then
 * every summary read constraint=CONSTRAINT_NONE, a memcg OOM's too.  The
 * same report says memcg in words the bug did not touch: the summary's
 * oom_memcg= (printed for memcg OOMs instead of global_oom), the "Memory
 * cgroup out of memory" reason, and the memcg block (memory: usage/limit
 * lines, "Task in ... limit of", "Memory cgroup stats for"), which 3.10+
 * prints instead of Mem-Info for a memcg OOM only.  Any of them settles
 * it; a Mem-Info block beside a memcg block (2.6.32, or another report's
 * lines) does not.
 */
void report_correct_constraint(struct slot *s)
{
	struct oom_report *r = s->r;
	const char *reason = s->reason ? s->reason
				       : r->n_kills ? r->kills[0].reason : NULL;
	int memcg_block = (s->seen & SEEN_MEMCG) && !(s->seen & SEEN_MEMINFO);

	/* only a constraint the summary printed */
	if (!r->constraint || strcmp(r->constraint, CONSTRAINT_NONE_NAME) ||
	    !(s->seen & SEEN_SUMMARY))
		return;
	if (!r->oom_memcg && !(reason && !strcmp(reason, REASON_MEMCG)) &&
	    !memcg_block)
		return;
	free(r->constraint);
	r->constraint = xstrdup(CONSTRAINT_MEMCG_NAME);
	r->flags |= REPORT_CONSTRAINT_CORRECTED;
}

void report_infer_scope(struct oom_report *r)
{
	if (r->constraint || !oom_report_is_memcg(r))
		return;
	r->constraint = xstrdup(CONSTRAINT_MEMCG_NAME);
	r->flags |= REPORT_CONSTRAINT_INFERRED;
}

/* Page sizes Linux runs with, in kB: x86 and most (4), sparc64, alpha
 * and ia64 (8), arm64, LoongArch and mips (16), arm64 and ppc64 (64),
 * hexagon and ppc 44x (256). */
static const uint64_t page_sizes[] = { 4, 8, 16, 64, 256 };
#define N_SIZES (sizeof(page_sizes) / sizeof(page_sizes[0]))

/* The size s for which pages * s == kb, or 0. */
static uint64_t size_exact(uint64_t kb, uint64_t pages)
{
	if (pages > UINT64_MAX / 256)
		return 0;	/* damage: no machine has that many */
	for (size_t i = 0; pages && i < N_SIZES; i++)
		if (pages * page_sizes[i] == kb)
			return page_sizes[i];
	return 0;
}

/* The size s for which pages * s is within 1/32 of kb, or 0: the kill
 * line is printed after the dump, and the victim's other threads may
 * fault pages in between (6.2+ counters are per-CPU approximations on
 * top), so its kB need not be exactly its row's pages (§3.3 notes).
 * Sizes are at least twice apart, so at most one fits. */
static uint64_t size_near(uint64_t kb, uint64_t pages)
{
	/* too small to tell drift from a size, or damage */
	if (pages < 64 || pages > UINT64_MAX / 256 || kb > UINT64_MAX / 32)
		return 0;
	for (size_t i = 0; i < N_SIZES; i++) {
		uint64_t want = pages * page_sizes[i];
		uint64_t diff = want > kb ? want - kb : kb - want;

		if (diff * 32 <= kb)
			return page_sizes[i];
	}
	return 0;
}

/* "N pages RAM" is the sum of every zone's present pages (3.19+, RHEL
 * 7), which the zone lines print in kB: exact when every zone is shown
 * (6.1+ hides the zones above the allocation's, NUMA filters nodes). */
static uint64_t size_from_zones(const struct oom_report *r)
{
	uint64_t kb = 0;

	if (!mem_has(r, MEM_RAM_PAGES) || !r->n_zones)
		return 0;
	for (size_t i = 0; i < r->n_zones; i++) {
		uint64_t v = r->zones[i].values[ZONE_PRESENT];

		if (!(r->zones[i].known & (1u << ZONE_PRESENT)) || kb + v < kb)
			return 0;
		kb += v;
	}
	return size_exact(kb, r->mem[MEM_RAM_PAGES]);
}

/* The kill line's kB (§2.10: anon + file + shmem = rss x page size;
 * total-vm = total_vm x page size) against the victim's dump row. */
static uint64_t size_from_kill(const struct oom_report *r)
{
	const struct oom_kill *k = oom_report_victim(r);
	const struct oom_task *t = k ? oom_report_task(r, k->pid) : NULL;
	unsigned need = KILL_ANON_RSS | KILL_FILE_RSS;
	uint64_t kb, by_rss, by_vm = 0;

	if (!t || (k->known & need) != need || !(t->known & TASK_RSS))
		return 0;
	kb = k->anon_rss_kb + k->file_rss_kb +
	     (k->known & KILL_SHMEM_RSS ? k->shmem_rss_kb : 0);
	by_rss = size_near(kb, t->rss);
	if (!by_rss && t->rss >= 64)
		return 0;	/* the rss fits no size: the figures are off */
	if ((k->known & KILL_TOTAL_VM) && (t->known & TASK_TOTAL_VM))
		by_vm = size_near(k->total_vm_kb, t->total_vm);
	/* two figures that disagree say nothing */
	if (by_rss && by_vm && by_rss != by_vm)
		return 0;
	return by_rss ? by_rss : by_vm;
}

/*
 * The page size, when the report does not print it (no buddy list: a
 * memcg OOM prints no Mem-Info) and its figures say it is not 4 KiB:
 * arm64 and ppc64 distro kernels often run 64 KiB pages, LoongArch 16
 * KiB (reference §0).  Every count in pages (the dump, T, swap and page
 * tables in the badness arithmetic) depends on it.  4 KiB stays as
 * before: not stored, assumed or checked by the badness code itself.
 */
void report_infer_page_size(struct oom_report *r)
{
	uint64_t pk;

	if (mem_has(r, MEM_PAGE_SIZE_KB))
		return;		/* the buddy lists print it */
	pk = size_from_zones(r);
	if (!pk)
		pk = size_from_kill(r);
	if (!pk || pk == 4)
		return;
	mem_set(r, MEM_PAGE_SIZE_KB, pk);
	r->flags |= REPORT_PAGE_SIZE_INFERRED;
}
