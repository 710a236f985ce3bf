/*
 * memcg-stat.h: a memory cgroup's memory.stat breakdown, as the kernel
 * prints it after "Memory cgroup stats for X:" in a memcg OOM report,
 * read once into kB.  A figure the report does not print stays unknown.
 */
#ifndef OOMLENS_MEMCG_STAT_H
#define OOMLENS_MEMCG_STAT_H

#include <stdint.h>

enum memcg_stat_item {
	MCS_ANON,		/* v2 anon; v1 rss */
	MCS_FILE,		/* v2 file; v1 cache (page cache, shmem in it) */
	MCS_SHMEM,
	MCS_FILE_MAPPED,	/* v2 file_mapped; v1 mapped_file */
	MCS_KERNEL,		/* v2 kernel (5.18+) */
	MCS_KERNEL_STACK,
	MCS_PAGETABLES,
	MCS_PERCPU,
	MCS_SOCK,
	MCS_SLAB,		/* v2 slab (5.9+) */
	MCS_SLAB_RECLAIMABLE,
	MCS_SLAB_UNRECLAIMABLE,
	MCS_SWAP,		/* v1 swap (swap accounting on) */
	MCS_COUNT
};

/* How the kernel printed the stats, which decides their unit. */
enum memcg_stat_format {
	MCS_FORMAT_NONE,
	MCS_FORMAT_V1_KB,	/* 3.10-5.2: one line, " key:NKB" pairs */
	MCS_FORMAT_BYTES,	/* 5.3+: memory.stat "key N" lines, bytes */
};

struct memcg_stat {
	enum memcg_stat_format format;
	/* the figures cover the cgroup's own pages only, not its
	 * children's (3.10-5.2 print each child on a line of its own) */
	int own_only;
	unsigned known;		/* 1 << enum memcg_stat_item */
	uint64_t kb[MCS_COUNT];
};

/* The item's name in exports and text: "anon", "kernel_stack", ... */
extern const char *const memcg_stat_names[MCS_COUNT];

/* Reads the stats text (struct oom_report's memcg_stats; NULL is fine).
 * Returns the number of items known. */
int memcg_stat_parse(const char *text, struct memcg_stat *st);

/* The items a reader is shown, known ones only, in order: the memory
 * side (anon, file, shmem, swap) or the kernel side (kernel,
 * kernel_stack, pagetables, percpu, slab or else its two halves, sock).
 * file_mapped is part of file: exports carry it, text leaves it out.
 * Returns how many went into out. */
int memcg_stat_pick(const struct memcg_stat *st, int kernel_side,
		    enum memcg_stat_item out[MCS_COUNT]);

static inline int memcg_stat_has(const struct memcg_stat *st,
				 enum memcg_stat_item i)
{
	return !!(st->known & (1u << i));
}

#endif
