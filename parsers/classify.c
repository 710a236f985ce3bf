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
#include "number.h"
#include "xalloc.h"

#define MAX_PATTERNS 256

struct classifier {
	/* by_first[b]: indexes of the patterns a body starting with byte b
	 * may match, in table order; n_first[b] of them */
	uint16_t (*by_first)[MAX_PATTERNS];
	uint16_t n_first[256];
	pcre2_code **code;
	int *full;		/* a cut form's full pattern, else -1 */
	pcre2_code *annot;	/* annotation_pattern */
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit_stack;
	/* matches tried per pattern, complete and partial, until JIT */
	uint8_t (*tries)[2];
};

void classify_free(struct classifier *c)
{
	if (!c)
		return;
	for (size_t i = 0; c->code && i < n_patterns; i++)
		pcre2_code_free(c->code[i]);
	free(c->code);
	free(c->full);
	pcre2_code_free(c->annot);
	free(c->by_first);
	free(c->tries);
	pcre2_match_data_free(c->md);
	pcre2_match_context_free(c->mctx);
	pcre2_jit_stack_free(c->jit_stack);
	free(c);
}

/*
 * A pattern is JIT-compiled when it has been tried this many times: most
 * are tried only inside a report, and a log of a few reports would spend
 * more on compiling all of them (about 25M instructions, as much as
 * scanning 100 MB of idle lines) than on matching with the interpreter.
 * Many reports make every pattern they use hot within the first few.
 */
#define JIT_AFTER 32

static pcre2_code *hot(struct classifier *c, size_t i, int partial)
{
	uint8_t *n = &c->tries[i][partial];

	if (*n < JIT_AFTER && ++*n == JIT_AFTER)
		pcre2_jit_compile(c->code[i], partial ? PCRE2_JIT_PARTIAL_HARD
						      : PCRE2_JIT_COMPLETE);
	return c->code[i];
}

static pcre2_code *compile_one(const struct pattern *p, int jit,
			       char **ret_err)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *code = pcre2_compile((PCRE2_SPTR)p->regex,
					 PCRE2_ZERO_TERMINATED, 0, &err, &off,
					 NULL);

	if (!code) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(err, msg, sizeof(msg));
		*ret_err = xasprintf("pattern '%s' at offset %zu: %s", p->name,
				     (size_t)off, (char *)msg);
		return NULL;
	}
	/* JIT is an optimisation: without it the interpreter runs. */
	if (jit)
		pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	return code;
}

/* The index of each cut form's full pattern; -1 for the others. */
static int link_cut_forms(struct classifier *c, char **ret_err)
{
	c->full = xcalloc(n_patterns, sizeof(*c->full));
	for (size_t i = 0; i < n_patterns; i++) {
		c->full[i] = -1;
		if (!patterns[i].cut_of)
			continue;
		for (size_t k = 0; k < i && c->full[i] < 0; k++)
			if (!strcmp(patterns[k].name, patterns[i].cut_of))
				c->full[i] = (int)k;
		/* the full form comes first: a whole line never takes the
		 * cut one */
		if (c->full[i] < 0) {
			*ret_err = xasprintf("cut form '%s': no pattern '%s' "
					     "before it", patterns[i].name,
					     patterns[i].cut_of);
			return -EINVAL;
		}
	}
	return 0;
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
	c->tries = xcalloc(n_patterns, sizeof(*c->tries));
	for (size_t i = 0; i < n_patterns; i++) {
		uint32_t groups;

		c->code[i] = compile_one(&patterns[i], 0, ret_err);
		if (!c->code[i]) {
			classify_free(c);
			return -EINVAL;
		}
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
	c->annot = compile_one(&annotation_pattern, 1, ret_err);
	if (!c->annot || link_cut_forms(c, ret_err) < 0) {
		classify_free(c);
		return -EINVAL;
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
	lc->damage = 0;
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
		if (pcre2_match(hot(c, i, 0), (PCRE2_SPTR)body, len, 0, 0, c->md,
				c->mctx) >= 0)
			return matched(c, i, lc);
	}
	return LINE_NONE;
}

/* Whether the text is a proper beginning of a line pattern i accepts:
 * PCRE2 ran out of text before the pattern could fail. */
static int is_beginning(struct classifier *c, size_t i, const char *s,
			size_t n)
{
	return pcre2_match(hot(c, i, 1), (PCRE2_SPTR)s, n, 0, PCRE2_PARTIAL_HARD,
			   c->md, c->mctx) == PCRE2_ERROR_PARTIAL;
}

/* The first entry of the table that reads lc->text[0, lc->len). */
static enum line_kind match_table(struct classifier *c, struct line_class *lc)
{
	struct seen_contains sc = { .n = 0 };
	const char *body = lc->text;
	size_t len = lc->len;
	unsigned b = (unsigned char)body[0];

	for (size_t k = 0; k < c->n_first[b]; k++) {
		size_t i = c->by_first[b][k];
		int cut = c->full[i] >= 0;

		if (!guard_passes(&patterns[i], body, len, &sc))
			continue;
		if (cut && !is_beginning(c, (size_t)c->full[i], body, len))
			continue;
		if (pcre2_match(hot(c, i, 0), (PCRE2_SPTR)body, len, 0, 0, c->md,
				c->mctx) >= 0) {
			matched(c, i, lc);
			if (cut)
				lc->damage |= LC_CUT;
			return lc->kind;
		}
	}
	return LINE_NONE;
}

/* Kinds whose last field is free text (a comm, a task row's name) that
 * would take a note after it for part of the name. */
static int free_tail(enum line_kind kind)
{
	return kind == LINE_KILLED || kind == LINE_TASK_ROW ||
	       kind == LINE_SELECT || kind == LINE_REAPED ||
	       kind == LINE_REAP_FAILED || kind == LINE_EXITING;
}

/* Whether the line holds a byte run that every alternative of the note
 * pattern needs ("...", "[ snip", "<", "==>", "# ", "(!", "!!", "***",
 * "??", a UTF-8 ellipsis or arrow): most lines hold none, and are spared
 * the regex's search. */
static int may_have_note(const char *s, size_t n)
{
	/* the bytes the checks below start at */
	static const unsigned char start[256] = {
		['.'] = 1, ['['] = 1, ['<'] = 1, ['>'] = 1, ['#'] = 1,
		['('] = 1, ['!'] = 1, ['?'] = 1, ['*'] = 1, [0xe2] = 1,
	};

	for (size_t i = 0; i < n; i++) {
		char c = s[i], d;
		size_t j;

		if (!start[(unsigned char)c])
			continue;
		d = i + 1 < n ? s[i + 1] : '\0';
		switch (c) {
		case '.':
			if (d == '.' && i + 2 < n && s[i + 2] == '.')
				return 1;
			break;
		case '[':
			for (j = i + 1; j < n && s[j] == ' '; j++)
				;
			if (j < n && (s[j] == '.' || s[j] == 's' ||
				      (unsigned char)s[j] == 0xe2))
				return 1;
			break;
		case '<':
			return 1;
		case '>':
			if (i >= 2 && (s[i - 1] == '=' || s[i - 1] == '-') &&
			    (s[i - 2] == '=' || s[i - 2] == '-'))
				return 1;
			break;
		case '#':
			if (d == ' ' || d == '\t' || d == '#')
				return 1;
			break;
		case '(':
			if (d == '!')
				return 1;
			break;
		case '!':
		case '?':
			if (d == c)
				return 1;
			break;
		case '*':
			if (d == '*' && i + 2 < n && s[i + 2] == '*')
				return 1;
			break;
		default:
			if ((unsigned char)c == 0xe2)
				return 1;
			break;
		}
	}
	return 0;
}

/*
 * A reader's note or an elision after the line's own text: read the line
 * without it.  Only for a line the table read no better: one it did not
 * read at all, read only as cut (a note is not where the kernel's text
 * goes on), or read with a free-text tail that swallowed the note.  The
 * reading without the note must be whole and of the same kind.
 */
static void without_note(struct classifier *c, struct line_class *lc)
{
	struct line_class alt;
	PCRE2_SIZE *ov;
	int elision;

	if (lc->kind != LINE_NONE && !(lc->damage & LC_CUT) &&
	    !free_tail(lc->kind))
		return;
	if (!may_have_note(lc->text, lc->len))
		return;
	if (pcre2_match(c->annot, (PCRE2_SPTR)lc->text, lc->len, 0, 0, c->md,
			c->mctx) < 0)
		return;
	ov = pcre2_get_ovector_pointer(c->md);
	if (ov[0] == 0)
		return;
	alt = *lc;	/* a line_class is large: copied only here */
	elision = pcre2_get_ovector_count(c->md) > 1 && ov[2] != PCRE2_UNSET;
	alt.len = ov[0];
	alt.kind = LINE_NONE;
	alt.pattern = -1;
	alt.damage = 0;
	alt.n_ov = 0;
	if (match_table(c, &alt) == LINE_NONE || (alt.damage & LC_CUT) ||
	    (lc->kind != LINE_NONE && alt.kind != lc->kind))
		return;
	alt.damage |= LC_ANNOTATED | (elision ? LC_ELIDED : 0);
	*lc = alt;
}

enum line_kind classify_line(struct classifier *c, const char *body,
			     size_t len, struct line_class *lc)
{
	if (!lc_start(c, body, len, lc))
		return LINE_NONE;
	match_table(c, lc);
	without_note(c, lc);
	return lc->kind;
}

int lc_pattern_is(const struct line_class *lc, const char *name)
{
	return lc->pattern >= 0 && !strcmp(patterns[lc->pattern].name, name);
}

int lc_drop_tail(struct line_class *lc)
{
	const struct classifier *c = lc->c;
	uint32_t groups = 0;
	int rest, n = 0;

	if (lc->pattern < 0 || !c || !lc->len)
		return 0;
	switch (lc->kind) {
	case LINE_MEM_COUNTERS:
	case LINE_ZONE:
	case LINE_NODE:
		/* "key:value" runs, read past the regex: the last one is
		 * whole only when a blank follows it */
		if (lc->text[lc->len - 1] == ' ')
			return 0;
		while (lc->len && lc->text[lc->len - 1] != ' ')
			lc->len--;
		lc->damage |= LC_TAIL_DROPPED;
		return 1;
	case LINE_BUDDY: {
		/* the counts per order: all of them, or the list is not
		 * known; its "= NkB" total, printed last, says it is whole */
		const char *eq = memrchr(lc->text, '=', lc->len);
		size_t i = eq ? (size_t)(eq - lc->text) + 1 : lc->len;

		while (i < lc->len && lc->text[i] == ' ')
			i++;
		while (i < lc->len && lc->text[i] >= '0' && lc->text[i] <= '9')
			i++;
		if (eq && i + 2 <= lc->len && !memcmp(lc->text + i, "kB", 2))
			return 0;
		lc->damage |= LC_TAIL_DROPPED;
		return 1;
	}
	default:
		break;
	}
	rest = pcre2_substring_number_from_name(c->code[lc->pattern],
						(PCRE2_SPTR) "rest");
	/* the pattern's own groups: the pairs after them are not set */
	pcre2_pattern_info(c->code[lc->pattern], PCRE2_INFO_CAPTURECOUNT,
			   &groups);
	for (uint32_t g = 1; g < lc->n_ov && g <= groups; g++) {
		if (lc->ov[2 * g] == PCRE2_UNSET ||
		    lc->ov[2 * g + 1] != lc->len || (int)g == rest)
			continue;
		lc->ov[2 * g] = lc->ov[2 * g + 1] = PCRE2_UNSET;
		n++;
	}
	if (n)
		lc->damage |= LC_TAIL_DROPPED;
	return n;
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

int lc_u64(const struct line_class *lc, const char *name, uint64_t *ret)
{
	const char *s;
	size_t n;

	return lc_get(lc, name, &s, &n) && num_parse_u64(s, n, ret) == 0;
}

int lc_i64(const struct line_class *lc, const char *name, int64_t *ret)
{
	const char *s;
	size_t n;

	return lc_get(lc, name, &s, &n) && num_parse_i64(s, n, ret) == 0;
}
