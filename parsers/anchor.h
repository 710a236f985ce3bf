/*
 * anchor.h: find the first of several fixed strings in a buffer, in one
 * pass (Wu-Manber: a table of how far each two-byte block lets the search
 * window jump, and a bitmap of the needles' first two bytes so that a
 * window where no needle can start is not compared).  Used to skip lines
 * that cannot matter; glibc's memmem() would need one pass per string.
 */
#ifndef OOMLENS_ANCHOR_H
#define OOMLENS_ANCHOR_H

#include <stddef.h>
#include <stdint.h>

#define ANCHOR_MAX 16
#define ANCHOR_HASH_BITS 12

struct anchor_set {
	size_t n;
	size_t m;			/* length of the shortest needle */
	const char *needle[ANCHOR_MAX];
	size_t len[ANCHOR_MAX];
	uint8_t shift[1 << ANCHOR_HASH_BITS];
	uint8_t prefix[1 << 13];	/* a bit per needle's first two bytes */
};

/* needles: n (<= ANCHOR_MAX) strings of at least 2 bytes, kept by
 * reference. */
void anchor_init(struct anchor_set *a, const char *const *needles, size_t n);

/* First position in [p, p + len) where any needle starts, or NULL. */
const char *anchor_find(const struct anchor_set *a, const char *p, size_t len);

#endif
