/* anchor.c: see anchor.h. */
#include <string.h>

#include "anchor.h"

static inline unsigned block_hash(const unsigned char *t)
{
	return ((unsigned)t[0] << 4 ^ t[1]) & ((1u << ANCHOR_HASH_BITS) - 1);
}

/* The first two bytes of a window, as a bit index into prefix[]. */
static inline unsigned prefix_bit(const unsigned char *t)
{
	return (unsigned)t[0] << 8 | t[1];
}

void anchor_init(struct anchor_set *a, const char *const *needles, size_t n)
{
	memset(a, 0, sizeof(*a));
	a->n = n;
	a->m = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		a->needle[i] = needles[i];
		a->len[i] = strlen(needles[i]);
		if (a->len[i] < a->m)
			a->m = a->len[i];
	}
	/* a window of m bytes may jump by m - 1 past a block that ends no
	 * needle's first m bytes, and only as far as the block allows */
	memset(a->shift, (int)(a->m - 1 > 255 ? 255 : a->m - 1), sizeof(a->shift));
	for (size_t i = 0; i < n; i++) {
		const unsigned char *nd = (const unsigned char *)needles[i];
		unsigned b = prefix_bit(nd);

		for (size_t j = 1; j < a->m; j++) {
			unsigned h = block_hash(nd + j - 1);
			size_t s = a->m - 1 - j;

			if (s < a->shift[h])
				a->shift[h] = (uint8_t)s;
		}
		a->prefix[b >> 3] |= (uint8_t)(1u << (b & 7));
	}
}

const char *anchor_find(const struct anchor_set *a, const char *p, size_t len)
{
	const unsigned char *t = (const unsigned char *)p;
	size_t m = a->m, pos;

	if (len < m)
		return NULL;
	for (pos = m - 1; pos < len;) {
		size_t s = a->shift[block_hash(t + pos - 1)];
		const unsigned char *start;
		unsigned b;

		if (s) {
			pos += s;
			continue;
		}
		/* the window [pos - m + 1, pos] may start a needle: compare
		 * only when some needle starts with its first two bytes */
		start = t + pos - (m - 1);
		b = prefix_bit(start);
		if (a->prefix[b >> 3] & (1u << (b & 7))) {
			size_t left = len - (pos - (m - 1));

			for (size_t i = 0; i < a->n; i++)
				if (a->len[i] <= left &&
				    !memcmp(start, a->needle[i], a->len[i]))
					return (const char *)start;
		}
		pos++;
	}
	return NULL;
}
