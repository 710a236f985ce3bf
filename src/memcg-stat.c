/*
 * memcg-stat.c: the memcg OOM's "Memory cgroup stats for X:" figures
 * into kB.  Analysis only: nothing here prints.
 *
 * The units, by the kernel function that prints them:
 *  - 3.10-5.2, mem_cgroup_print_oom_info() / mem_cgroup_print_oom_meminfo():
 *    pr_cont(" %s:%luKB", name, K(page count)) for the memcg and each of
 *    its descendants, one line each: kB, the suffix says so.  The counts
 *    are the cgroup's own (mem_cgroup_read_stat(), from 5.2
 *    memcg_page_state_local()), its children's are on their own lines,
 *    which the report keeps out of the stats text.  Keys are cgroup v1's:
 *    cache, rss, rss_huge, shmem (4.19+), mapped_file, ..., swap.
 *  - 5.3+, mem_cgroup_print_oom_meminfo() -> memory_stat_format(): the
 *    cgroup v2 memory.stat text, "key N" one a line, memory items in
 *    bytes (5.3-5.13 multiply the page counts by PAGE_SIZE by hand,
 *    5.14+ memcg_page_state_output() by the item's unit; slab items are
 *    byte counters from the start), hierarchical.  Event counters
 *    (pgfault ...) are counts: not read here.
 *  - 6.5+ with cgroup v1, memory_stat_format() -> memcg1_stat_format():
 *    v1 memory.stat, "cache N", "rss N", ... own bytes, then
 *    "total_cache N", ... the hierarchy's bytes; total_* win.
 * Bytes become kB rounding down (page-sized items are whole kB).
 */
#include <string.h>

#include "memcg-stat.h"
#include "number.h"

const char *const memcg_stat_names[MCS_COUNT] = {
	[MCS_ANON] = "anon",
	[MCS_FILE] = "file",
	[MCS_SHMEM] = "shmem",
	[MCS_FILE_MAPPED] = "file_mapped",
	[MCS_KERNEL] = "kernel",
	[MCS_KERNEL_STACK] = "kernel_stack",
	[MCS_PAGETABLES] = "pagetables",
	[MCS_PERCPU] = "percpu",
	[MCS_SOCK] = "sock",
	[MCS_SLAB] = "slab",
	[MCS_SLAB_RECLAIMABLE] = "slab_reclaimable",
	[MCS_SLAB_UNRECLAIMABLE] = "slab_unreclaimable",
	[MCS_SWAP] = "swap",
};

enum key_kind {
	KEY_V2,		/* v2 name (or shared): hierarchical in byte format */
	KEY_V1_OWN,	/* v1 name: the cgroup's own pages */
	KEY_V1_TOTAL,	/* 6.5+ v1 total_*: the hierarchy's */
};

static const struct {
	const char *key;
	enum memcg_stat_item item;
	enum key_kind kind;
} keys[] = {
	{ "anon", MCS_ANON, KEY_V2 },
	{ "rss", MCS_ANON, KEY_V1_OWN },
	{ "total_rss", MCS_ANON, KEY_V1_TOTAL },
	{ "file", MCS_FILE, KEY_V2 },
	{ "cache", MCS_FILE, KEY_V1_OWN },
	{ "total_cache", MCS_FILE, KEY_V1_TOTAL },
	{ "shmem", MCS_SHMEM, KEY_V2 },
	{ "total_shmem", MCS_SHMEM, KEY_V1_TOTAL },
	{ "file_mapped", MCS_FILE_MAPPED, KEY_V2 },
	{ "mapped_file", MCS_FILE_MAPPED, KEY_V1_OWN },
	{ "total_mapped_file", MCS_FILE_MAPPED, KEY_V1_TOTAL },
	{ "kernel", MCS_KERNEL, KEY_V2 },
	{ "kernel_stack", MCS_KERNEL_STACK, KEY_V2 },
	{ "pagetables", MCS_PAGETABLES, KEY_V2 },
	{ "percpu", MCS_PERCPU, KEY_V2 },
	{ "sock", MCS_SOCK, KEY_V2 },
	{ "slab", MCS_SLAB, KEY_V2 },
	{ "slab_reclaimable", MCS_SLAB_RECLAIMABLE, KEY_V2 },
	{ "slab_unreclaimable", MCS_SLAB_UNRECLAIMABLE, KEY_V2 },
	{ "swap", MCS_SWAP, KEY_V1_OWN },
	{ "total_swap", MCS_SWAP, KEY_V1_TOTAL },
};

/* One "key" + value; len counts the key only. */
static void take(struct memcg_stat *st, unsigned *from_total,
		 unsigned *from_own, const char *key, size_t len, uint64_t kb)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		unsigned bit = 1u << keys[i].item;

		if (strlen(keys[i].key) != len ||
		    memcmp(keys[i].key, key, len))
			continue;
		if (keys[i].kind != KEY_V1_TOTAL && (*from_total & bit))
			return;		/* the hierarchy's figure is in */
		st->kb[keys[i].item] = kb;
		st->known |= bit;
		if (keys[i].kind == KEY_V1_TOTAL)
			*from_total |= bit;
		if (keys[i].kind == KEY_V1_OWN)
			*from_own |= bit;
		else
			*from_own &= ~bit;
		return;
	}
}

/* A decimal number of digits only, up to end; 0 when it is not one. */
static int number(const char *p, const char *end, uint64_t *v)
{
	return p < end && num_parse_u64(p, (size_t)(end - p), v) == 0;
}

/* 3.10-5.2: "cache:0KB rss:520080KB ..." */
static void parse_v1_kb(struct memcg_stat *st, const char *p)
{
	unsigned tot = 0, own = 0;

	while (*p) {
		const char *t = p, *colon, *end;
		uint64_t v;

		while (*t == ' ' || *t == '\n')
			t++;
		end = t + strcspn(t, " \n");
		p = end;
		if (end == t)
			break;
		colon = memchr(t, ':', (size_t)(end - t));
		if (!colon || end - colon < 4 || memcmp(end - 2, "KB", 2) ||
		    !number(colon + 1, end - 2, &v))
			continue;
		take(st, &tot, &own, t, (size_t)(colon - t), v);
	}
}

/* 5.3+: "anon 522215424\nfile 9482240\n..." */
static void parse_bytes(struct memcg_stat *st, const char *p, unsigned *own)
{
	unsigned tot = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		const char *end = nl ? nl : p + strlen(p);
		const char *sp = memchr(p, ' ', (size_t)(end - p));
		uint64_t v;

		if (sp && number(sp + 1, end, &v))
			take(st, &tot, own, p, (size_t)(sp - p), v / 1024);
		p = nl ? nl + 1 : end;
	}
}

int memcg_stat_parse(const char *text, struct memcg_stat *st)
{
	unsigned own = 0;
	int n = 0;

	memset(st, 0, sizeof(*st));
	if (!text || !*text)
		return 0;
	/* the v1 line's first pair has its colon before any space */
	if (text[strcspn(text, ": \n")] == ':') {
		st->format = MCS_FORMAT_V1_KB;
		parse_v1_kb(st, text);
		st->own_only = 1;
	} else {
		st->format = MCS_FORMAT_BYTES;
		parse_bytes(st, text, &own);
		st->own_only = own != 0;
	}
	for (int i = 0; i < MCS_COUNT; i++)
		n += memcg_stat_has(st, i);
	if (!n)
		st->format = MCS_FORMAT_NONE;
	return n;
}

int memcg_stat_pick(const struct memcg_stat *st, int kernel_side,
		    enum memcg_stat_item out[MCS_COUNT])
{
	static const enum memcg_stat_item memory[] = { MCS_ANON, MCS_FILE,
						       MCS_SHMEM, MCS_SWAP };
	static const enum memcg_stat_item kernel[] = {
		MCS_KERNEL, MCS_KERNEL_STACK, MCS_PAGETABLES, MCS_PERCPU,
		MCS_SLAB, MCS_SLAB_RECLAIMABLE, MCS_SLAB_UNRECLAIMABLE,
		MCS_SOCK
	};
	const enum memcg_stat_item *from = kernel_side ? kernel : memory;
	size_t n = kernel_side ? sizeof(kernel) / sizeof(kernel[0])
			       : sizeof(memory) / sizeof(memory[0]);
	int k = 0;

	for (size_t i = 0; i < n; i++) {
		if (!memcg_stat_has(st, from[i]))
			continue;
		/* slab's halves only stand in for a slab line not printed */
		if ((from[i] == MCS_SLAB_RECLAIMABLE ||
		     from[i] == MCS_SLAB_UNRECLAIMABLE) &&
		    memcg_stat_has(st, MCS_SLAB))
			continue;
		out[k++] = from[i];
	}
	return k;
}
