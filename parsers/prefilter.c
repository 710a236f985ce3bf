/* prefilter.c: see prefilter.h. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "prefilter.h"
#include "xalloc.h"

/* A part may keep this many anchors (a log has a few per OOM report and
 * some per userspace kill: thousands in 8 MiB is a flood, not a log). */
#define PART_HITS_MAX 8192

struct part {
	const struct prefilter *pf;
	uint64_t start, end;		/* chunk-aligned, but end may be len */
	struct prefilter_hit *hit;	/* nl counted from start */
	size_t n_hit, cap_hit;
	uint64_t *cp;			/* one per chunk */
	size_t n_cp;
	uint64_t nl;			/* newlines in [start, end) */
	uint64_t full_at;		/* the chunk where it gave up, or end */
};

static uint64_t count_nl(const char *p, const char *e)
{
	return p < e ? anchor_count_nl(p, (size_t)(e - p)) : 0;
}

static size_t longest(const struct anchor_set *a)
{
	size_t m = 0;

	for (size_t i = 0; i < a->n; i++)
		if (a->len[i] > m)
			m = a->len[i];
	return m;
}

static int add_hit(struct part *t, uint64_t off, uint64_t nl)
{
	if (t->n_hit == PART_HITS_MAX)
		return -1;
	t->hit = xgrow(t->hit, &t->cap_hit, t->n_hit + 1, sizeof(*t->hit));
	t->hit[t->n_hit++] = (struct prefilter_hit){ off, nl };
	return 0;
}

/* The anchors starting in the chunk [c0, c1): those inside it, then those
 * that run on past its end.  t->nl is the newlines before c0 on entry,
 * before c1 on return.  -1 when the part may keep no more. */
static int search_chunk(struct part *t, uint64_t c0, uint64_t c1)
{
	const struct prefilter *pf = t->pf;
	const char *d = pf->data;
	uint64_t x = c0, y, w_end, m = pf->longest;
	const char *h;

	for (;;) {
		uint64_t k;

		h = anchor_find(pf->a, d + x, (size_t)(c1 - x), &k);
		t->nl += k;
		if (!h)
			break;
		if (add_hit(t, (uint64_t)(h - d), t->nl) < 0)
			return -1;
		x = (uint64_t)(h - d) + 1;
		t->nl += *h == '\n';
	}
	if (c1 >= pf->len)
		return 0;
	y = c1 - x < m ? x : c1 - (m - 1);
	w_end = pf->len - c1 < m ? pf->len : c1 + m - 1;
	while ((h = anchor_find(pf->a, d + y, (size_t)(w_end - y), NULL)) &&
	       (uint64_t)(h - d) < c1) {
		if (add_hit(t, (uint64_t)(h - d),
			    t->nl - count_nl(h, d + c1)) < 0)
			return -1;
		y = (uint64_t)(h - d) + 1;
	}
	return 0;
}

static void *search_part(void *arg)
{
	struct part *t = arg;
	size_t n = (size_t)((t->end - t->start + PREFILTER_CHUNK - 1) /
			    PREFILTER_CHUNK);

	t->cp = xmalloc((n ? n : 1) * sizeof(*t->cp));
	t->full_at = t->end;
	for (uint64_t c = t->start; c < t->end; c += PREFILTER_CHUNK) {
		uint64_t c1 = t->end - c < PREFILTER_CHUNK ? t->end
							   : c + PREFILTER_CHUNK;
		uint64_t nl = t->nl;

		t->cp[t->n_cp++] = nl;
		if (search_chunk(t, c, c1) < 0) {
			/* the chunk's anchors are not all known: forget it */
			while (t->n_hit && t->hit[t->n_hit - 1].off >= c)
				t->n_hit--;
			t->n_cp--;
			t->nl = nl;
			t->full_at = c;
			break;
		}
	}
	return NULL;
}

void prefilter_init(struct prefilter *pf, const struct anchor_set *a,
		    const char *data, size_t len, unsigned threads)
{
	memset(pf, 0, sizeof(*pf));
	pf->a = a;
	pf->longest = longest(a);
	pf->data = data;
	pf->len = len;
	pf->threads = threads ? threads : 1;
}

void prefilter_free(struct prefilter *pf)
{
	free(pf->hit);
	free(pf->cp);
	memset(pf, 0, sizeof(*pf));
}

/* Forget the anchors and checkpoints before offset keep. */
static void forget(struct prefilter *pf, uint64_t keep)
{
	size_t h = 0, c;

	while (h < pf->n_hit && pf->hit[h].off < keep)
		h++;
	if (h) {
		memmove(pf->hit, pf->hit + h,
			(pf->n_hit - h) * sizeof(*pf->hit));
		pf->n_hit -= h;
	}
	if (keep / PREFILTER_CHUNK > pf->cp_base) {
		c = (size_t)(keep / PREFILTER_CHUNK - pf->cp_base);
		if (c > pf->n_cp)
			c = pf->n_cp;
		if (c) {
			memmove(pf->cp, pf->cp + c,
				(pf->n_cp - c) * sizeof(*pf->cp));
			pf->n_cp -= c;
			pf->cp_base += c;
		}
	}
	/* the next checkpoint appended is covered's chunk */
	if (!pf->n_cp)
		pf->cp_base = pf->covered / PREFILTER_CHUNK;
	if (keep > pf->from)
		pf->from = keep;
}

/* Append a part's findings; 0 when the list must end in it. */
static int take(struct prefilter *pf, struct part *t, uint64_t *nl_base)
{
	pf->hit = xgrow(pf->hit, &pf->cap_hit, pf->n_hit + t->n_hit,
			sizeof(*pf->hit));
	for (size_t i = 0; i < t->n_hit; i++)
		pf->hit[pf->n_hit++] = (struct prefilter_hit){
			t->hit[i].off, *nl_base + t->hit[i].nl };
	pf->cp = xgrow(pf->cp, &pf->cap_cp, pf->n_cp + t->n_cp,
		       sizeof(*pf->cp));
	for (size_t i = 0; i < t->n_cp; i++)
		pf->cp[pf->n_cp++] = *nl_base + t->cp[i];
	*nl_base += t->nl;
	pf->covered = t->full_at;
	return t->full_at == t->end;
}

/* One stretch of threads x PREFILTER_PART bytes after covered. */
static void stretch(struct prefilter *pf)
{
	struct part parts[16] = { 0 };
	pthread_t tid[16];
	int started[16] = { 0 };
	unsigned n = pf->threads > 16 ? 16 : pf->threads;
	uint64_t at = pf->covered, left = pf->len - pf->covered, nl_base;
	unsigned k = 0;

	for (; k < n && left; k++) {
		uint64_t size = left < PREFILTER_PART ? left : PREFILTER_PART;

		parts[k] = (struct part){ .pf = pf, .start = at,
					  .end = at + size };
		at += size;
		left -= size;
	}
	for (unsigned i = 1; i < k; i++)
		started[i] = !pthread_create(&tid[i], NULL, search_part,
					     &parts[i]);
	/* a thread that cannot start has its part searched here */
	for (unsigned i = 0; i < k; i++)
		if (!started[i])
			search_part(&parts[i]);
	for (unsigned i = 1; i < k; i++)
		if (started[i])
			pthread_join(tid[i], NULL);
	nl_base = pf->nl_covered;
	for (unsigned i = 0; i < k; i++) {
		if (!pf->gave_up && !take(pf, &parts[i], &nl_base))
			pf->gave_up = 1;
		free(parts[i].hit);
		free(parts[i].cp);
	}
	pf->nl_covered = nl_base;
}

void prefilter_extend(struct prefilter *pf, uint64_t upto, uint64_t keep)
{
	forget(pf, keep);
	while (!pf->gave_up && pf->covered < pf->len && pf->covered <= upto)
		stretch(pf);
}

/* Newlines before offset at (< covered, or = covered). */
static int nl_at(const struct prefilter *pf, uint64_t at, uint64_t *nl)
{
	uint64_t k = at / PREFILTER_CHUNK;

	if (at == pf->covered) {
		*nl = pf->nl_covered;
		return 1;
	}
	if (k < pf->cp_base || k - pf->cp_base >= pf->n_cp)
		return 0;
	*nl = pf->cp[k - pf->cp_base] +
	      count_nl(pf->data + k * PREFILTER_CHUNK, pf->data + at);
	return 1;
}

int prefilter_find(const struct prefilter *pf, uint64_t p, uint64_t end,
		   uint64_t nl_p, uint64_t *cand, uint64_t *nls)
{
	size_t lo = 0, hi = pf->n_hit;
	uint64_t nl_end;

	if (end > pf->covered || p < pf->from)
		return 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pf->hit[mid].off < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < pf->n_hit && pf->hit[lo].off < end) {
		*cand = pf->hit[lo].off;
		*nls = pf->hit[lo].nl - nl_p;
		return 1;
	}
	if (!nl_at(pf, end, &nl_end))
		return 0;
	*cand = UINT64_MAX;
	*nls = nl_end - nl_p;
	return 1;
}
