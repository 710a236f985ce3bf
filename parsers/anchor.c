/* anchor.c: see anchor.h. */
#include <string.h>

#include "anchor.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define ANCHOR_X86 1
#endif

/* ---- choosing the runs ------------------------------------------------ */

/* How common a byte is in logs, in percent: English letter frequencies
 * for lower case, little for upper case and most punctuation. */
static double byte_weight(unsigned char c)
{
	static const double lower[26] = {
		8.2, 1.5, 2.8, 4.3, 12.7, 2.2, 2.0, 6.1, 7.0, 0.2, 0.8, 4.0,
		2.4, 6.7, 7.5, 1.9, 0.1, 6.0, 6.3, 9.1, 2.8, 1.0, 2.4, 0.2,
		2.0, 0.1,
	};

	if (c >= 'a' && c <= 'z')
		return lower[c - 'a'] * 0.7;
	if (c >= 'A' && c <= 'Z')
		return 0.4;
	if (c >= '0' && c <= '9')
		return 2.0;
	switch (c) {
	case ' ': return 15.0;
	case '.': case ':': case '=': case ',': return 1.5;
	case '-': case '/': return 1.0;
	default: return 0.3;
	}
}

/* Expected matches of the run at p per byte searched. */
static double run_rate(const unsigned char *p)
{
	return byte_weight(p[0]) * byte_weight(p[1]) * byte_weight(p[2]) / 1e6;
}

/* A run costs a few vector operations per 32 bytes, whatever it is, and
 * each position where it matches costs about 100 operations more. */
static double run_cost(const unsigned char *p)
{
	return 0.16 + 100 * run_rate(p);
}

static const unsigned char *find_run(const char *needle, size_t len,
				     const unsigned char *run)
{
	for (size_t j = 0; j + 3 <= len; j++)
		if (!memcmp(needle + j, run, 3))
			return (const unsigned char *)needle + j;
	return NULL;
}

/* Greedy set cover: the run with the least cost per needle it finds
 * that no run found yet. */
static void choose_runs(struct anchor_set *a)
{
	unsigned covered = 0, all = (1u << a->n) - 1;

	while (covered != all && a->n_runs < ANCHOR_MAX) {
		const unsigned char *best = NULL;
		double best_cost = 0;
		struct anchor_run *r;

		for (size_t i = 0; i < a->n; i++) {
			if (covered & (1u << i))
				continue;
			for (size_t j = 0; j + 3 <= a->len[i]; j++) {
				const unsigned char *run =
					(const unsigned char *)a->needle[i] + j;
				unsigned k = 0;
				double cost;

				for (size_t o = 0; o < a->n; o++)
					if (!(covered & (1u << o)) &&
					    find_run(a->needle[o], a->len[o], run))
						k++;
				cost = run_cost(run) / k;
				if (!best || cost < best_cost) {
					best = run;
					best_cost = cost;
				}
			}
		}
		r = &a->run[a->n_runs++];
		memcpy(r->b, best, 3);
		for (size_t o = 0; o < a->n; o++) {
			const unsigned char *at;

			if (covered & (1u << o))
				continue;
			at = find_run(a->needle[o], a->len[o], r->b);
			if (!at)
				continue;
			r->needle[r->n] = (unsigned char)o;
			r->offset[r->n] = (unsigned char)(at - (const unsigned char *)a->needle[o]);
			if (r->offset[r->n] > a->max_offset)
				a->max_offset = r->offset[r->n];
			r->n++;
			covered |= 1u << o;
		}
	}
}

/* ---- Wu-Manber -------------------------------------------------------- */

static inline unsigned block_hash(const unsigned char *t)
{
	return ((unsigned)t[0] << 4 ^ t[1]) & ((1u << ANCHOR_HASH_BITS) - 1);
}

/* The first two bytes of a window, as a bit index into prefix[]. */
static inline unsigned prefix_bit(const unsigned char *t)
{
	return (unsigned)t[0] << 8 | t[1];
}

static void wm_init(struct anchor_set *a)
{
	/* a window of m bytes may jump by m - 1 past a block that ends no
	 * needle's first m bytes, and only as far as the block allows */
	memset(a->shift, (int)(a->m - 1 > 255 ? 255 : a->m - 1), sizeof(a->shift));
	for (size_t i = 0; i < a->n; i++) {
		const unsigned char *nd = (const unsigned char *)a->needle[i];
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

static const char *wm_find(const struct anchor_set *a, const char *p,
			   size_t len)
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

/* ---- runs ------------------------------------------------------------- */

#ifdef ANCHOR_X86
/* 64 bytes a turn: two compares, two masks, one popcount. */
__attribute__((target("avx2,popcnt")))
static uint64_t vector_count_nl(const char *p, size_t len)
{
	const __m256i nl = _mm256_set1_epi8('\n');
	uint64_t n = 0;
	size_t i = 0;

	for (; i + 64 <= len; i += 64) {
		uint64_t m = (uint64_t)(unsigned)_mm256_movemask_epi8(
				     _mm256_cmpeq_epi8(_mm256_loadu_si256(
					     (const __m256i *)(p + i)), nl)) |
			     (uint64_t)(unsigned)_mm256_movemask_epi8(
				     _mm256_cmpeq_epi8(_mm256_loadu_si256(
					     (const __m256i *)(p + i + 32)), nl))
				     << 32;

		n += (uint64_t)__builtin_popcountll(m);
	}
	for (; i < len; i++)
		n += p[i] == '\n';
	return n;
}
#endif

uint64_t anchor_count_nl(const char *p, size_t len)
{
	uint64_t n = 0;

#ifdef ANCHOR_X86
	if (__builtin_cpu_supports("avx2"))
		return vector_count_nl(p, len);
#endif
	for (const char *q = p, *e = p + len;
	     q < e && (q = memchr(q, '\n', (size_t)(e - q))) != NULL; q++)
		n++;
	return n;
}

static uint64_t count_nl(const char *p, size_t from, size_t to)
{
	return from < to ? anchor_count_nl(p + from, to - from) : 0;
}

/* A needle that starts at p + start, within [p, p + len)?  Its first and
 * last bytes first: most places a run finds ("ill" in "will", "still")
 * fail there, without a call to memcmp(). */
static inline int needle_at(const struct anchor_set *a, size_t i,
			    const char *p, size_t len, size_t start)
{
	const char *n = a->needle[i];
	size_t l = a->len[i];

	return start + l <= len && p[start] == n[0] &&
	       p[start + l - 1] == n[l - 1] &&
	       !memcmp(p + start + 1, n + 1, l - 2);
}

/*
 * A run matches at pos: the start of a needle found through it, or
 * (size_t)-1.  A needle found through a run further into it may start
 * earlier and not be seen yet: the few bytes before are tried too.
 */
static size_t check_run_at(const struct anchor_set *a, const char *p,
			   size_t len, size_t pos)
{
	size_t found = (size_t)-1, from;

	for (size_t r = 0; r < a->n_runs; r++) {
		const struct anchor_run *run = &a->run[r];

		if ((unsigned char)p[pos] != run->b[0] ||
		    (unsigned char)p[pos + 1] != run->b[1] ||
		    (unsigned char)p[pos + 2] != run->b[2])
			continue;
		for (unsigned k = 0; k < run->n; k++) {
			size_t off = run->offset[k];

			if (pos >= off && pos - off < found &&
			    needle_at(a, run->needle[k], p, len, pos - off))
				found = pos - off;
		}
	}
	if (found == (size_t)-1)
		return found;
	from = found > a->max_offset ? found - a->max_offset : 0;
	for (size_t s = from; s < found; s++)
		for (size_t i = 0; i < a->n; i++)
			if (needle_at(a, i, p, len, s))
				return s;
	return found;
}

#ifdef ANCHOR_X86
/* The first needle start among the positions i + (a set bit of mask), with
 * n_nl newlines before p + i; NULL when none is one. */
static const char *first_of(const struct anchor_set *a, const char *p,
			    size_t len, size_t i, uint64_t mask, uint64_t n_nl,
			    uint64_t *newlines)
{
	for (; mask; mask &= mask - 1) {
		size_t s = check_run_at(a, p, len,
					i + (size_t)__builtin_ctzll(mask));

		if (s == (size_t)-1)
			continue;
		/* s may lie before position i (a run late in its needle) */
		if (newlines)
			*newlines = s >= i ? n_nl + count_nl(p, i, s)
					   : n_nl - count_nl(p, s, i);
		return p + s;
	}
	return NULL;
}

/*
 * Teddy (from Hyperscan): each run is a bucket, a bit of a byte.  For each
 * of a run's three bytes, two tables give the buckets whose byte there has
 * a given low and high nibble; a position where some bucket survives all
 * six lookups may hold its run (nibbles of different runs can combine: a
 * rare false match, checked like the others).  Two shuffles per byte
 * position, whatever the number of runs (up to 8 buckets; more runs share
 * them).
 */
__attribute__((target("avx2,popcnt")))
static const char *vector_find(const struct anchor_set *a, const char *p,
			       size_t len, uint64_t *newlines)
{
	const __m256i nib = _mm256_set1_epi8(0x0f);
	const __m256i nl = _mm256_set1_epi8('\n');
	uint64_t n_nl = 0;	/* before p + i */
	__m256i lo[3], hi[3];
	const char *r;
	size_t i = 0;

	for (int k = 0; k < 3; k++) {
		lo[k] = _mm256_broadcastsi128_si256(
			_mm_loadu_si128((const __m128i *)a->teddy_lo[k]));
		hi[k] = _mm256_broadcastsi128_si256(
			_mm_loadu_si128((const __m128i *)a->teddy_hi[k]));
	}
	/* two vectors a turn: the six lookups of one do not wait on the
	 * other's (about 1.3x the bytes a second of one a turn) */
	for (; i + 66 <= len; i += 64) {
		__m256i m0 = _mm256_set1_epi8(-1), m1 = m0;
		uint64_t mask, nl_mask = 0;

		for (int k = 0; k < 3; k++) {
			const __m256i v0 = _mm256_loadu_si256(
				(const __m256i *)(p + i + k));
			const __m256i v1 = _mm256_loadu_si256(
				(const __m256i *)(p + i + 32 + k));

			if (k == 0)
				nl_mask = (uint64_t)(unsigned)_mm256_movemask_epi8(
						  _mm256_cmpeq_epi8(v0, nl)) |
					  (uint64_t)(unsigned)_mm256_movemask_epi8(
						  _mm256_cmpeq_epi8(v1, nl)) << 32;
			m0 = _mm256_and_si256(m0, _mm256_and_si256(
				_mm256_shuffle_epi8(lo[k], _mm256_and_si256(v0, nib)),
				_mm256_shuffle_epi8(hi[k], _mm256_and_si256(
					_mm256_srli_epi16(v0, 4), nib))));
			m1 = _mm256_and_si256(m1, _mm256_and_si256(
				_mm256_shuffle_epi8(lo[k], _mm256_and_si256(v1, nib)),
				_mm256_shuffle_epi8(hi[k], _mm256_and_si256(
					_mm256_srli_epi16(v1, 4), nib))));
		}
		mask = ~((uint64_t)(unsigned)_mm256_movemask_epi8(
				 _mm256_cmpeq_epi8(m0, _mm256_setzero_si256())) |
			 (uint64_t)(unsigned)_mm256_movemask_epi8(
				 _mm256_cmpeq_epi8(m1, _mm256_setzero_si256())) << 32);
		if (mask && (r = first_of(a, p, len, i, mask, n_nl, newlines)))
			return r;
		n_nl += (uint64_t)__builtin_popcountll(nl_mask);
	}
	for (; i + 34 <= len; i += 32) {
		__m256i m = _mm256_set1_epi8(-1);
		unsigned mask, nl_mask = 0;

		for (int k = 0; k < 3; k++) {
			const __m256i v = _mm256_loadu_si256(
				(const __m256i *)(p + i + k));

			if (k == 0)
				nl_mask = (unsigned)_mm256_movemask_epi8(
					_mm256_cmpeq_epi8(v, nl));
			m = _mm256_and_si256(m, _mm256_and_si256(
				_mm256_shuffle_epi8(lo[k], _mm256_and_si256(v, nib)),
				_mm256_shuffle_epi8(hi[k], _mm256_and_si256(
					_mm256_srli_epi16(v, 4), nib))));
		}
		mask = ~(unsigned)_mm256_movemask_epi8(
			_mm256_cmpeq_epi8(m, _mm256_setzero_si256()));
		if (mask && (r = first_of(a, p, len, i, mask, n_nl, newlines)))
			return r;
		n_nl += (uint64_t)__builtin_popcount(nl_mask);
	}
	for (; i + 3 <= len; i++) {
		if ((r = first_of(a, p, len, i, 1, n_nl, newlines)))
			return r;
		n_nl += p[i] == '\n';
	}
	if (newlines)
		*newlines = n_nl + count_nl(p, i, len);
	return NULL;
}
#endif

/* ---- both ------------------------------------------------------------- */

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
	choose_runs(a);
	for (size_t r = 0; r < a->n_runs; r++)
		for (int k = 0; k < 3; k++) {
			a->teddy_lo[k][a->run[r].b[k] & 15] |= (uint8_t)(1u << (r & 7));
			a->teddy_hi[k][a->run[r].b[k] >> 4] |= (uint8_t)(1u << (r & 7));
		}
	wm_init(a);
#ifdef ANCHOR_X86
	a->vector = __builtin_cpu_supports("avx2");
#endif
}

const char *anchor_find(const struct anchor_set *a, const char *p, size_t len,
			uint64_t *newlines)
{
	const char *r;

#ifdef ANCHOR_X86
	if (a->vector)
		return vector_find(a, p, len, newlines);
#endif
	r = wm_find(a, p, len);
	if (newlines)
		*newlines = count_nl(p, 0, r ? (size_t)(r - p) : len);
	return r;
}
