/*
 * join.c: see join.h.
 *
 * The line held back (struct held) is a copy: its physical lines joined by
 * '\n' in raw, its text in body, classified again after every piece.  A
 * piece joins it when
 *  - it is a /dev/kmsg record flagged '+' (the kernel says so);
 *  - its shape is what the held line start may continue with (the
 *    "head-*" and "frag-*" patterns).  A distinctive piece may come after
 *    a few lines of other CPUs; a piece of arbitrary text (a cgroup path,
 *    a cpuset name) only right after.
 * (Wrapped physical lines are joined before, by the scanner.)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "classify.h"
#include "fmt.h"
#include "join.h"
#include "oomlens.h"
#include "report.h"
#include "xalloc.h"

/* Lines of others a line start waits through for its pieces. */
#define MAX_GAP 32
#define NO_OFF SIZE_MAX

enum head {
	HEAD_NONE = 0,
	HEAD_KMSG,		/* kmsg 'c'/'+' record: '+' pieces may follow */
	HEAD_HEADER,		/* 4.14 header up to "nodemask=" */
	HEAD_CPUSET,		/* 4.x "comm cpuset=" */
	HEAD_NODE,		/* "Node N " before a zone or buddy line */
	HEAD_BUDDY,		/* buddy line before its "= NkB" */
	HEAD_TASK_IN,		/* "Task in X killed" before the limit */
	HEAD_STATS,		/* "Memory cgroup stats for X:" (<= 5.2 pairs) */
	HEAD_LOWMEM,		/* "lowmem_reserve[]:" and its numbers */
	HEAD_SUMMARY,		/* "oom-kill:..." before ",task=..." */
};

struct held {
	int active;
	struct log_line ll;	/* raw, body, host, caller set at delivery */
	struct line_class lc;	/* of body as it is now */
	struct buf raw, body;
	size_t host_off, caller_off;	/* into raw */
	char boot_id[64];
	enum head head;
	unsigned gap;		/* lines delivered since the last piece */
};

/* Indexes of the patterns the joiner looks for, by name. */
enum jp {
	JP_HEAD_HEADER, JP_HEAD_CPUSET, JP_HEAD_NODE, JP_HEAD_BUDDY,
	JP_HEAD_TASK_IN, JP_HEAD_STATS, JP_FRAG_BUDDY, JP_FRAG_NUMBERS,
	JP_FRAG_SUMMARY, JP_FRAG_ORDER, JP_FRAG_MEMS, JP_FRAG_LIMIT,
	JP_FRAG_KB_PAIRS, JP_PER_CPU_HEAD, JP_COUNT
};
static const char *const jp_names[JP_COUNT] = {
	"head-header", "head-cpuset", "head-node", "head-buddy",
	"head-task-in", "head-memcg-stats", "frag-buddy", "frag-numbers",
	"frag-summary", "frag-order", "frag-mems", "frag-limit",
	"frag-kb-pairs", "per-cpu-head",
};

struct joiner {
	struct classifier *c;
	struct report_asm *a;
	int jp[JP_COUNT];
	struct held h;
};

struct joiner *join_new(struct classifier *c, struct report_asm *a)
{
	struct joiner *j = xcalloc(1, sizeof(*j));

	j->c = c;
	j->a = a;
	for (int k = 0; k < JP_COUNT; k++) {
		j->jp[k] = -2;
		for (size_t i = 0; i < n_patterns; i++)
			if (!strcmp(patterns[i].name, jp_names[k]))
				j->jp[k] = (int)i;
	}
	j->h.raw = (struct buf)BUF_INIT;
	j->h.body = (struct buf)BUF_INIT;
	return j;
}

void join_free(struct joiner *j)
{
	if (!j)
		return;
	buf_release(&j->h.raw);
	buf_release(&j->h.body);
	free(j);
}

int join_busy(const struct joiner *j)
{
	return j->h.active;
}

static int is(const struct joiner *j, const struct line_class *lc, enum jp k)
{
	return lc->pattern == j->jp[k];
}

static void classify(struct joiner *j, const struct log_line *ll,
		     struct line_class *lc)
{
	/* other programs' lines matter only for what they say of lost
	 * lines, and only inside a report */
	if (ll->kernel || (ll->fmt != FMT_MARKER && report_asm_active(j->a)))
		classify_line(j->c, ll->body, ll->body_len, lc);
	else
		*lc = (struct line_class){ .kind = LINE_NONE, .pattern = -1 };
}

static int ends_with_total(const char *s, size_t n)
{
	/* "... = 19952kB" */
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n < 4 || memcmp(s + n - 2, "kB", 2))
		return 0;
	n -= 2;
	while (n && s[n - 1] >= '0' && s[n - 1] <= '9')
		n--;
	return n >= 2 && s[n - 1] == ' ' && s[n - 2] == '=';
}

static enum head head_of(const struct joiner *j, const struct log_line *ll,
			 const struct line_class *lc)
{
	const char *s;
	size_t n;

	if (!ll->kernel)
		return HEAD_NONE;
	switch (lc->kind) {
	case LINE_HEAD:
		if (is(j, lc, JP_HEAD_HEADER))
			return HEAD_HEADER;
		if (is(j, lc, JP_HEAD_CPUSET))
			return HEAD_CPUSET;
		if (is(j, lc, JP_HEAD_NODE))
			return HEAD_NODE;
		if (is(j, lc, JP_HEAD_BUDDY))
			return HEAD_BUDDY;
		if (is(j, lc, JP_HEAD_TASK_IN))
			return HEAD_TASK_IN;
		if (is(j, lc, JP_HEAD_STATS))
			return HEAD_STATS;
		break;
	case LINE_BUDDY:
		if (!ends_with_total(lc->text, lc->len))
			return HEAD_BUDDY;
		break;
	case LINE_MEMCG_STATS:
		return HEAD_STATS;
	case LINE_LOWMEM:
		return HEAD_LOWMEM;
	case LINE_SUMMARY:
		if (!lc_get(lc, "pid", &s, &n))
			return HEAD_SUMMARY;
		break;
	default:
		break;
	}
	return ll->cont ? HEAD_KMSG : HEAD_NONE;
}

/* lowmem_reserve[] pieces are numbers, not a nodemask's "(null)". */
static int numbers_only(const struct line_class *lc)
{
	for (size_t i = 0; i < lc->len; i++)
		if (!strchr("0123456789 -", lc->text[i]) || !lc->text[i])
			return 0;
	return 1;
}

/* Whether ll is a KERN_CONT piece of the held line. */
static int joinable(const struct joiner *j, const struct log_line *ll,
		    const struct line_class *lc, int adjacent)
{
	const struct held *h = &j->h;
	enum line_kind k = lc->kind;
	int text = k == LINE_NONE && adjacent;

	if (h->body.len + ll->body_len + 1 > MAX_LINE_LEN || !ll->kernel ||
	    !h->ll.kernel)
		return 0;
	if (h->ll.fmt == FMT_KMSG && ll->fmt == FMT_KMSG && ll->cont == '+')
		return 1;
	switch (h->head) {
	case HEAD_HEADER:
		return is(j, lc, JP_FRAG_NUMBERS) || is(j, lc, JP_FRAG_ORDER) ||
		       text;
	case HEAD_CPUSET:
		return is(j, lc, JP_FRAG_MEMS) || text;
	case HEAD_NODE:
		if (lc->len >= 5 && !memcmp(lc->text, "Node ", 5))
			return 0;
		return k == LINE_ZONE || k == LINE_BUDDY ||
		       is(j, lc, JP_HEAD_BUDDY) || is(j, lc, JP_PER_CPU_HEAD) ||
		       text;
	case HEAD_BUDDY:
		return is(j, lc, JP_FRAG_BUDDY);
	case HEAD_TASK_IN:
		return is(j, lc, JP_FRAG_LIMIT) || text;
	case HEAD_STATS:
		return is(j, lc, JP_FRAG_KB_PAIRS) ||
		       (text && is(j, &h->lc, JP_HEAD_STATS));
	case HEAD_LOWMEM:
		return is(j, lc, JP_FRAG_NUMBERS) && numbers_only(lc);
	case HEAD_SUMMARY:
		return is(j, lc, JP_FRAG_SUMMARY) || text;
	case HEAD_KMSG:
	case HEAD_NONE:
		break;
	}
	return 0;
}

static void hold(struct joiner *j, const struct log_line *ll,
		 const struct line_class *lc, enum head head)
{
	struct held *h = &j->h;

	buf_reset(&h->raw);
	buf_reset(&h->body);
	buf_add(&h->raw, ll->raw, ll->raw_len);
	buf_add(&h->body, ll->body, ll->body_len);
	h->ll = *ll;
	h->host_off = ll->host ? (size_t)(ll->host - ll->raw) : NO_OFF;
	h->caller_off = ll->caller && ll->caller >= ll->raw &&
				ll->caller < ll->raw + ll->raw_len
			? (size_t)(ll->caller - ll->raw) : NO_OFF;
	h->boot_id[0] = '\0';
	if (ll->boot_id) {
		strncpy(h->boot_id, ll->boot_id, sizeof(h->boot_id) - 1);
		h->boot_id[sizeof(h->boot_id) - 1] = '\0';
	}
	h->lc = *lc;
	if (lc->text)	/* the offsets are relative to text: move it along */
		h->lc.text = h->body.data + (lc->text - ll->body);
	h->head = head;
	h->gap = 0;
	h->active = 1;
}

static void append(struct joiner *j, const struct log_line *ll)
{
	struct held *h = &j->h;
	const char *b = h->body.data, *nb = ll->body;
	size_t bl = h->body.len, nl = ll->body_len;

	if (ll->lineno != h->ll.lineno_last) {
		buf_addch(&h->raw, '\n');
		buf_add(&h->raw, ll->raw, ll->raw_len);
	}
	/* a piece whose blank the syslog template ate gets one back */
	if (bl && nl && !strchr(" =,(", b[bl - 1]) && !strchr(" ,:)", nb[0]))
		buf_addch(&h->body, ' ');
	buf_add(&h->body, nb, nl);
	h->ll.lineno_last = ll->lineno_last;
	h->ll.known |= ll->known & (LL_GAP | LL_JOINED);
	h->ll.cont = ll->cont ? ll->cont : h->ll.cont;
	classify_line(j->c, h->body.data, h->body.len, &h->lc);
	h->head = head_of(j, &h->ll, &h->lc);
	h->gap = 0;
}

static void deliver_held(struct joiner *j)
{
	struct held *h = &j->h;

	if (!h->active)
		return;
	h->active = 0;
	h->ll.raw = h->raw.data;
	h->ll.raw_len = h->raw.len;
	h->ll.body = h->body.data;
	h->ll.body_len = h->body.len;
	h->ll.host = h->host_off != NO_OFF ? h->raw.data + h->host_off : NULL;
	h->ll.caller = h->caller_off != NO_OFF ? h->raw.data + h->caller_off
					       : NULL;
	h->ll.boot_id = h->boot_id[0] ? h->boot_id : NULL;
	report_feed(j->a, &h->ll, &h->lc);
}

void join_flush(struct joiner *j)
{
	deliver_held(j);
}

/* One logical line. */
static void logical(struct joiner *j, const struct log_line *ll)
{
	struct held *h = &j->h;
	struct line_class lc;
	enum head head;

	if (ll->known & LL_BOOT)
		deliver_held(j);
	classify(j, ll, &lc);
	if (h->active) {
		int adjacent = h->gap == 0 &&
			       (ll->lineno == h->ll.lineno_last + 1 ||
				(ll->lineno == h->ll.lineno_last && ll->part));

		if (joinable(j, ll, &lc, adjacent)) {
			append(j, ll);
			if (!h->head)
				deliver_held(j);
			return;
		}
		/* a line start waits through other CPUs' lines */
		if (h->head != HEAD_KMSG && h->gap < MAX_GAP &&
		    (!ll->kernel || lc.kind == LINE_NONE ||
		     lc.kind == LINE_STACK)) {
			h->gap++;
			report_feed(j->a, ll, &lc);
			return;
		}
		deliver_held(j);
	}
	head = head_of(j, ll, &lc);
	if (head != HEAD_NONE)
		hold(j, ll, &lc, head);
	else
		report_feed(j->a, ll, &lc);
}

/* Where the next line of a multi-line record starts in s, or NULL:
 * "\n" (a decoded /dev/kmsg record) or rsyslog's "#012". */
static const char *next_sep(const char *s, size_t n, int kmsg, size_t *ret_w)
{
	const char *nl = kmsg ? memchr(s, '\n', n) : NULL;
	const char *oct = n >= 4 ? memmem(s, n, "#012", 4) : NULL;

	if (nl && (!oct || nl < oct)) {
		*ret_w = 1;
		return nl;
	}
	*ret_w = 4;
	return oct;
}

void join_line(struct joiner *j, const struct log_line *ll)
{
	struct log_line seg = *ll;
	const char *s = ll->body, *end = ll->body + ll->body_len, *sep;
	size_t w;

	if (!ll->kernel ||
	    !(sep = next_sep(s, ll->body_len, ll->fmt == FMT_KMSG, &w))) {
		logical(j, ll);
		return;
	}
	for (unsigned part = 0;; part++) {
		seg.body = s;
		seg.body_len = sep ? (size_t)(sep - s) : (size_t)(end - s);
		seg.part = part;
		if (part) {
			seg.fmt = FMT_CONT;
			seg.known &= ~(LL_GAP | LL_BOOT);
			seg.cont = 0;
		}
		logical(j, &seg);
		if (!sep)
			break;
		s = sep + w;
		sep = next_sep(s, (size_t)(end - s), ll->fmt == FMT_KMSG, &w);
	}
}
