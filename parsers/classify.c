/*
 * classify.c: match a message body against the pattern table.
 *
 * Each pattern is guarded by a literal prefix or substring test, so most
 * lines cost a few memcmp()s and at most one or two JIT matches.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "classify.h"
#include "xalloc.h"

#define MAX_PATTERNS 256

struct classifier {
	/* by_first[b]: indexes of the patterns a body starting with byte b
	 * may match, in table order; n_first[b] of them */
	uint16_t (*by_first)[MAX_PATTERNS];
	uint16_t n_first[256];
	pcre2_code **code;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit_stack;
};

void classify_free(struct classifier *c)
{
	if (!c)
		return;
	for (size_t i = 0; c->code && i < n_patterns; i++)
		pcre2_code_free(c->code[i]);
	free(c->code);
	free(c->by_first);
	pcre2_match_data_free(c->md);
	pcre2_match_context_free(c->mctx);
	pcre2_jit_stack_free(c->jit_stack);
	free(c);
}

int classify_new(struct classifier **ret, char **ret_err)
{
	struct classifier *c = xcalloc(1, sizeof(*c));
	uint32_t max_groups = 0;

	*ret = NULL;
	if (n_patterns > MAX_PATTERNS) {
		*ret_err = xasprintf("%zu patterns, more than %d", n_patterns,
				     MAX_PATTERNS);
		classify_free(c);
		return -EINVAL;
	}
	c->code = xcalloc(n_patterns, sizeof(*c->code));
	for (size_t i = 0; i < n_patterns; i++) {
		int err;
		PCRE2_SIZE off;
		uint32_t groups;

		c->code[i] = pcre2_compile((PCRE2_SPTR)patterns[i].regex,
					   PCRE2_ZERO_TERMINATED, 0, &err, &off,
					   NULL);
		if (!c->code[i]) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(err, msg, sizeof(msg));
			*ret_err = xasprintf("pattern '%s' at offset %zu: %s",
					     patterns[i].name, (size_t)off,
					     (char *)msg);
			classify_free(c);
			return -EINVAL;
		}
		/* JIT is an optimisation: without it the interpreter runs. */
		pcre2_jit_compile(c->code[i], PCRE2_JIT_COMPLETE);
		pcre2_pattern_info(c->code[i], PCRE2_INFO_CAPTURECOUNT, &groups);
		if (groups > LC_MAX_GROUPS) {
			*ret_err = xasprintf("pattern '%s' has %u groups, "
					     "more than %d", patterns[i].name,
					     groups, LC_MAX_GROUPS);
			classify_free(c);
			return -EINVAL;
		}
		if (groups > max_groups)
			max_groups = groups;
	}
	/* the dispatch table by first byte */
	c->by_first = xcalloc(256, sizeof(*c->by_first));
	for (size_t i = 0; i < n_patterns; i++)
		for (unsigned b = 0; b < 256; b++) {
			const struct pattern *p = &patterns[i];

			if (p->tag)
				break;	/* story patterns: classify_story() */
			if (p->prefix && (unsigned char)p->prefix[0] != b)
				continue;
			if (p->first && (!b || !strchr(p->first, (int)b)))
				continue;
			c->by_first[b][c->n_first[b]++] = (uint16_t)i;
		}
	c->md = pcre2_match_data_create(max_groups + 1, NULL);
	c->mctx = pcre2_match_context_create(NULL);
	c->jit_stack = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
	if (c->jit_stack)
		pcre2_jit_stack_assign(c->mctx, NULL, c->jit_stack);
	/* Bound backtracking on hostile lines instead of hanging. */
	pcre2_set_match_limit(c->mctx, 1000000);
	*ret = c;
	return 0;
}

/* What memmem() said of each `contains` string, for one line: several
 * patterns share one ("Killed process "). */
struct seen_contains {
	const char *needle[8];
	int found[8];
	int n;
};

static int guard_passes(const struct pattern *p, const char *s, size_t n,
			struct seen_contains *sc)
{
	int k, f;

	if (p->prefix) {
		size_t pl = strlen(p->prefix);

		if (n < pl || memcmp(s, p->prefix, pl) != 0)
			return 0;
	}
	if (!p->contains)
		return 1;
	for (k = 0; k < sc->n; k++)
		if (!strcmp(sc->needle[k], p->contains))
			return sc->found[k];
	f = memmem(s, n, p->contains, strlen(p->contains)) != NULL;
	if (sc->n < 8) {
		sc->needle[sc->n] = p->contains;
		sc->found[sc->n++] = f;
	}
	return f;
}

/* Pattern i matched lc->text: keep its captures. */
static enum line_kind matched(struct classifier *c, size_t i,
			      struct line_class *lc)
{
	lc->kind = patterns[i].kind;
	lc->pattern = (int)i;
	lc->n_ov = pcre2_get_ovector_count(c->md);
	if (lc->n_ov > LC_MAX_GROUPS + 1)
		lc->n_ov = LC_MAX_GROUPS + 1;
	memcpy(lc->ov, pcre2_get_ovector_pointer(c->md),
	       2 * lc->n_ov * sizeof(lc->ov[0]));
	return lc->kind;
}

/* Blanks skipped, nothing matched yet; returns the length left. */
static size_t lc_start(struct classifier *c, const char *body, size_t len,
		       struct line_class *lc)
{
	while (len && (*body == ' ' || *body == '\t')) {
		body++;
		len--;
	}
	lc->kind = LINE_NONE;
	lc->pattern = -1;
	lc->text = body;
	lc->len = len;
	lc->c = c;
	lc->n_ov = 0;
	return len;
}

enum line_kind classify_story(struct classifier *c, const char *tag,
			      size_t tag_len, const char *body, size_t len,
			      struct line_class *lc)
{
	struct seen_contains sc = { .n = 0 };

	if (!(len = lc_start(c, body, len, lc)))
		return LINE_NONE;
	body = lc->text;
	for (size_t i = 0; i < n_patterns; i++) {
		const struct pattern *p = &patterns[i];

		if (!p->tag || strlen(p->tag) != tag_len ||
		    memcmp(p->tag, tag, tag_len) != 0)
			continue;
		if (p->first && !strchr(p->first, (unsigned char)body[0]))
			continue;
		if (!guard_passes(p, body, len, &sc))
			continue;
		if (pcre2_match(c->code[i], (PCRE2_SPTR)body, len, 0, 0, c->md,
				c->mctx) >= 0)
			return matched(c, i, lc);
	}
	return LINE_NONE;
}

enum line_kind classify_line(struct classifier *c, const char *body,
			     size_t len, struct line_class *lc)
{
	if (!(len = lc_start(c, body, len, lc)))
		return LINE_NONE;
	body = lc->text;

	struct seen_contains sc = { .n = 0 };
	unsigned b = (unsigned char)body[0];

	for (size_t k = 0; k < c->n_first[b]; k++) {
		size_t i = c->by_first[b][k];
		int r;

		if (!guard_passes(&patterns[i], body, len, &sc))
			continue;
		r = pcre2_match(c->code[i], (PCRE2_SPTR)body, len, 0, 0, c->md,
				c->mctx);
		if (r >= 0)
			return matched(c, i, lc);
	}
	return LINE_NONE;
}

int lc_get(const struct line_class *lc, const char *name, const char **ret,
	   size_t *ret_len)
{
	const struct classifier *c = lc->c;
	int n;

	if (lc->pattern < 0 || !c)
		return 0;
	n = pcre2_substring_number_from_name(c->code[lc->pattern],
					     (PCRE2_SPTR)name);
	if (n < 0 || (uint32_t)n >= lc->n_ov || lc->ov[2 * n] == PCRE2_UNSET)
		return 0;
	*ret = lc->text + lc->ov[2 * n];
	*ret_len = lc->ov[2 * n + 1] - lc->ov[2 * n];
	return 1;
}

char *lc_dup(const struct line_class *lc, const char *name)
{
	const char *s;
	size_t n;

	if (!lc_get(lc, name, &s, &n))
		return NULL;
	return xstrndup(s, n);
}

int parse_u64(const char *s, size_t n, uint64_t *ret)
{
	uint64_t v = 0;

	if (n == 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*ret = v;
	return 0;
}

int parse_i64(const char *s, size_t n, int64_t *ret)
{
	int neg = n && s[0] == '-';
	uint64_t v;
	int r = parse_u64(s + neg, n - neg, &v);

	if (r < 0)
		return r;
	if (v > (uint64_t)INT64_MAX + neg)
		return -ERANGE;
	*ret = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

int lc_u64(const struct line_class *lc, const char *name, uint64_t *ret)
{
	const char *s;
	size_t n;

	return lc_get(lc, name, &s, &n) && parse_u64(s, n, ret) == 0;
}

int lc_i64(const struct line_class *lc, const char *name, int64_t *ret)
{
	const char *s;
	size_t n;

	return lc_get(lc, name, &s, &n) && parse_i64(s, n, ret) == 0;
}
