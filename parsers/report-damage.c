/*
 * report-damage.c: what a paste did to single lines of a report (issue
 * 17): a line cut at a terminal's or mail program's width, a reader's
 * note after a line, NUL bytes a crash left.  The pattern table reads
 * what is whole (patterns-cut.inc, classify.c); this file flags the
 * report, learns the width the paste was cut at, and lets go of the
 * fields at the end of lines as long, which may be cut too, even when
 * the width shows only after them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "classify.h"
#include "fmt.h"
#include "oom.h"
#include "report-int.h"
#include "xalloc.h"

static void remember_tail(struct slot *s, size_t width,
			  const struct log_line *ll,
			  const struct line_class *lc);

/* Columns a line takes on a terminal: its UTF-8 characters (a cut falls
 * at a column, not a byte). */
static size_t columns(const char *s, size_t n)
{
	const uint64_t high = UINT64_C(0x8080808080808080);
	size_t cont = 0, i = 0;

	/* eight bytes at a time: a continuation byte has bit 7 set and
	 * bit 6 clear (w << 1 moves each byte's bit 6 under its bit 7) */
	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		if (w & high)
			cont += (size_t)__builtin_popcountll(w & ~(w << 1) & high);
	}
	for (; i < n; i++)
		cont += ((unsigned char)s[i] & 0xc0) == 0x80;
	return n - cont;
}

void report_damage_flags(struct oom_report *r, const struct line_class *lc)
{
	if (lc->damage & LC_CUT)
		r->flags |= REPORT_TRUNCATED;
	if (lc->damage & LC_ANNOTATED)
		r->flags |= REPORT_ANNOTATED;
}

const struct line_class *report_line_damage(struct slot *s,
					    const struct log_line *ll,
					    const struct line_class *cl,
					    struct line_class *spare)
{
	struct oom_report *r = s->r;
	/* a line joined from pieces was not cut where it ends */
	int whole = (ll->known & LL_JOINED) || ll->part;

	size_t width = whole ? 0 : columns(ll->raw, ll->raw_len);

	report_damage_flags(r, cl);
	if ((cl->damage & LC_CUT) && !whole)
		s->cut_width = width;
	/* an elision among the rows: rows were left out */
	if ((cl->damage & LC_ELIDED) && cl->kind == LINE_TASK_ROW)
		r->flags |= REPORT_DUMP_PARTIAL;
	/* a line as long as the ones seen cut may be cut at its end too: a
	 * number or a name there is not known whole (a note after it says
	 * the line's own text ended before) */
	if (whole || (cl->damage & (LC_CUT | LC_ANNOTATED)))
		return cl;
	if (s->cut_width && width == s->cut_width) {
		/* a line_class is large: copied only to be changed */
		*spare = *cl;
		if (lc_drop_tail(spare))
			r->flags |= REPORT_TRUNCATED;
		return spare;
	}
	remember_tail(s, width, ll, cl);
	return cl;
}

/* The fields lc_drop_tail() would unset, of those report_late_cut()
 * can take back. */
static unsigned tail_fields(const struct line_class *lc)
{
	static const struct {
		const char *group;
		unsigned field;
	} g[] = {
		{ "adj", TAIL_ADJ }, { "order", TAIL_ORDER },
		{ "limit", TAIL_LIMIT }, { "uid", TAIL_UID },
	};
	struct line_class cut = *lc;
	unsigned fields = 0;
	const char *str;
	size_t n;

	if (!lc_drop_tail(&cut))
		return 0;
	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++)
		if (lc_get(lc, g[i].group, &str, &n) &&
		    !lc_get(&cut, g[i].group, &str, &n))
			fields |= g[i].field;
	return fields;
}

/* The Mem-Info counter a line's last "key:N" sets, when nothing follows
 * it (a blank would say it is whole), or -1. */
static int last_counter(const struct line_class *lc)
{
	const char *s = lc->text, *end = lc->text + lc->len, *k, *colon;

	if (!lc->len || end[-1] == ' ')
		return -1;
	k = end;
	while (k > s && k[-1] != ' ')
		k--;
	colon = memchr(k, ':', (size_t)(end - k));
	if (!colon)
		return -1;
	for (int f = MEM_ACTIVE_ANON; f <= MEM_FREE_CMA; f++)
		if (strlen(mem_field_names[f]) == (size_t)(colon - k) &&
		    !memcmp(k, mem_field_names[f], (size_t)(colon - k)))
			return f;
	return -1;
}

static void remember_tail(struct slot *s, size_t width,
			  const struct log_line *ll,
			  const struct line_class *lc)
{
	struct tail *t;
	unsigned fields = 0;
	int counter = -1;

	if (lc->kind == LINE_MEM_COUNTERS) {
		if ((counter = last_counter(lc)) >= 0)
			fields = TAIL_COUNTER;
	} else if (lc->kind == LINE_TASK_ROW) {
		fields = TAIL_NAME;	/* a row ends with its name */
	} else if (lc->kind == LINE_HEADER || lc->kind == LINE_TASK_IN ||
		   lc->kind == LINE_KILLED) {
		fields = tail_fields(lc);
	}
	if (!fields)
		return;
	if (s->n_tails == s->cap_tails) {
		s->cap_tails = s->cap_tails ? 2 * s->cap_tails : 16;
		s->tails = xrealloc(s->tails,
				    s->cap_tails * sizeof(*s->tails));
	}
	t = &s->tails[s->n_tails++];
	t->width = width;
	t->lineno = ll->lineno;
	t->kind = lc->kind;
	t->fields = fields;
	t->counter = counter;
}

/* The row of the dump read from line lineno: rows were lost where the
 * width fell inside a name. */
static int drop_row(struct oom_report *r, uint64_t lineno)
{
	for (size_t i = r->n_tasks; i-- > 0;)
		if (r->tasks[i].line == lineno) {
			free(r->tasks[i].name);
			memmove(r->tasks + i, r->tasks + i + 1,
				(r->n_tasks - i - 1) * sizeof(r->tasks[0]));
			r->n_tasks--;
			r->flags |= REPORT_DUMP_PARTIAL;
			return 1;
		}
	return 0;
}

static int late_cut_one(struct oom_report *r, const struct tail *t)
{
	struct oom_kill *k = NULL;
	unsigned before;

	switch (t->kind) {
	case LINE_HEADER:
		before = r->known;
		if (t->fields & TAIL_ADJ)
			r->known &= ~RK_TRIGGER_ADJ;
		if (t->fields & TAIL_ORDER)
			r->known &= ~RK_ORDER;
		return r->known != before;
	case LINE_TASK_IN:
		if (!r->oom_memcg)
			return 0;
		free(r->oom_memcg);
		r->oom_memcg = NULL;
		return 1;
	case LINE_KILLED:
		for (size_t i = 0; i < r->n_kills && !k; i++)
			if (r->kills[i].line == t->lineno)
				k = &r->kills[i];
		if (!k)
			return 0;
		before = k->known;
		if (t->fields & TAIL_ADJ)
			k->known &= ~KILL_ADJ;
		if (t->fields & TAIL_UID)
			k->known &= ~KILL_UID;
		return k->known != before;
	case LINE_TASK_ROW:
		return drop_row(r, t->lineno);
	case LINE_MEM_COUNTERS:
		/* the record of the first Mem-Info is the one read: a
		 * second one's counters were not taken */
		if (!mem_has(r, (enum mem_field)t->counter))
			return 0;
		r->mem_known &= ~(UINT64_C(1) << t->counter);
		return 1;
	default:
		return 0;
	}
}

void report_late_cut(struct slot *s)
{
	/* from the last: a row dropped moves only the rows after it */
	for (size_t i = s->n_tails; s->cut_width && i-- > 0;)
		if (s->tails[i].width == s->cut_width &&
		    late_cut_one(s->r, &s->tails[i]))
			s->r->flags |= REPORT_TRUNCATED;
}

/* How a run of NUL bytes reads in the stored text: the text is a C string
 * to the store, `show --raw`, the HTML report and the exports, so a NUL
 * would end it there; the run is shown where it was instead. */
#define NUL_RUN_FMT "<%zu NUL bytes>"

void report_raw_add(struct slot *s, const char *raw, size_t n)
{
	const char *end = raw + n, *z;

	/* NULs before the report's first line are the hole a crash left
	 * before it, not part of it */
	if (!s->raw.len)
		while (raw < end && !*raw)
			raw++;
	while ((z = memchr(raw, '\0', (size_t)(end - raw))) != NULL) {
		const char *e = z;
		char mark[40];
		int m;

		while (e < end && !*e)
			e++;
		buf_add(&s->raw, raw, (size_t)(z - raw));
		if (s->nul_at == SIZE_MAX)
			s->nul_at = s->raw.len;
		m = snprintf(mark, sizeof(mark), NUL_RUN_FMT, (size_t)(e - z));
		buf_add(&s->raw, mark, (size_t)m);
		raw = e;
	}
	buf_add(&s->raw, raw, (size_t)(end - raw));
}
