/*
 * prefilter.h: the anchor search of an idle scanner (scan.c), done ahead
 * of it over a mapped input by several threads at once.
 *
 * On a plain file nearly every byte is idle: the scanner's own work is the
 * anchor search (anchor_find) and counting the newlines it jumps over.
 * Both are the same wherever the search starts, so they can be done for
 * a stretch of the input in parts, one per thread, before the scanner
 * gets there: each part lists where an anchor starts and how many
 * newlines come before it, and how many newlines come before each 64 KiB
 * checkpoint.  The scanner then asks the list instead of searching, and
 * reads, classifies and joins lines exactly as before, one thread, in
 * order: its output cannot depend on how the input was cut.
 *
 * Memory stays flat: the list covers a stretch at a time (threads x 8
 * MiB), and a part that finds more anchors than it may keep (a file of
 * nothing but OOM reports) ends the list's reach there; the scanner
 * searches by itself past it.
 */
#ifndef OOMLENS_PREFILTER_H
#define OOMLENS_PREFILTER_H

#include <stddef.h>
#include <stdint.h>

#include "anchor.h"

#define PREFILTER_CHUNK (64 * 1024)
#define PREFILTER_PART (8u * 1024 * 1024)

struct prefilter_hit {
	uint64_t off;		/* of an anchor's start, from data */
	uint64_t nl;		/* newlines in data before it */
};

struct prefilter {
	const struct anchor_set *a;
	size_t longest;		/* of a's needles */
	const char *data;
	size_t len;
	unsigned threads;
	int gave_up;		/* too many anchors: no more stretches */
	uint64_t covered;	/* anchors are known in [0, covered) */
	uint64_t nl_covered;	/* newlines before covered */
	uint64_t from;		/* ... and kept from here on */
	struct prefilter_hit *hit;
	size_t n_hit, cap_hit;
	/* newlines before each checkpoint chunk_base + i, i < n_cp */
	uint64_t *cp;
	size_t n_cp, cap_cp;
	uint64_t cp_base;	/* chunk index of cp[0] */
};

void prefilter_init(struct prefilter *pf, const struct anchor_set *a,
		    const char *data, size_t len, unsigned threads);
void prefilter_free(struct prefilter *pf);

/* Make the list reach past offset upto (when it can: check covered),
 * forgetting what lies before offset keep. */
void prefilter_extend(struct prefilter *pf, uint64_t upto, uint64_t keep);

/*
 * What anchor_find(data + p, end - p, &nls) would say, where nl_p is the
 * number of newlines before p: 1 and *cand (NULL when none) and *nls when
 * the list covers [p, end), 0 when it does not (search by hand).
 */
int prefilter_find(const struct prefilter *pf, uint64_t p, uint64_t end,
		   uint64_t nl_p, uint64_t *cand, uint64_t *nls);

#endif
