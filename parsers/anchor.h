/*
 * anchor.h: find the first of several fixed strings in a buffer, in one
 * pass.  Each needle is found through one of its three-byte runs, chosen
 * to be rare in logs and shared between needles ("oom" finds five): with
 * AVX2, 32 positions at a time are looked up in Teddy's nibble tables (see
 * anchor.c) for every chosen run at once, and only where one may match
 * are the needles that hold it compared.  Without
 * AVX2, a Wu-Manber search (a table of how far each two-byte block lets
 * the window jump) does the same more slowly.  Used to skip lines that
 * cannot matter; glibc's memmem() would need one pass per string.
 */
#ifndef OOMLENS_ANCHOR_H
#define OOMLENS_ANCHOR_H

#include <stddef.h>
#include <stdint.h>

#define ANCHOR_MAX 16
#define ANCHOR_HASH_BITS 12

/* A three-byte run and the needles found through it. */
struct anchor_run {
	unsigned char b[3];
	unsigned n;
	unsigned char needle[ANCHOR_MAX];
	unsigned char offset[ANCHOR_MAX];	/* of the run in each */
};

struct anchor_set {
	size_t n;
	size_t m;			/* length of the shortest needle */
	const char *needle[ANCHOR_MAX];
	size_t len[ANCHOR_MAX];
	struct anchor_run run[ANCHOR_MAX];
	size_t n_runs;
	size_t max_offset;		/* of a chosen run in its needle */
	int vector;			/* the AVX2 search is used */
	/* per byte of a run, the runs (a bit each) with a low (high) nibble */
	uint8_t teddy_lo[3][16], teddy_hi[3][16];
	/* Wu-Manber */
	uint8_t shift[1 << ANCHOR_HASH_BITS];
	uint8_t prefix[1 << 13];	/* a bit per needle's first two bytes */
};

/* needles: n (<= ANCHOR_MAX) strings of 3 to 255 bytes, kept by
 * reference. */
void anchor_init(struct anchor_set *a, const char *const *needles, size_t n);

/* First position in [p, p + len) where any needle starts, or NULL.  When
 * newlines is not NULL it gets the number of '\n' bytes before that
 * position (before p + len when none), counted in the same pass. */
const char *anchor_find(const struct anchor_set *a, const char *p, size_t len,
			uint64_t *newlines);

/* The '\n' bytes in [p, p + len), with AVX2 where there is. */
uint64_t anchor_count_nl(const char *p, size_t len);

#endif
