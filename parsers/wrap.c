/* wrap.c: see wrap.h. */
#include <string.h>

#include "classify.h"
#include "oomlens.h"
#include "wrap.h"

void wrap_init(struct wrap *w, struct classifier *c, int64_t ref_time)
{
	memset(w, 0, sizeof(*w));
	w->c = c;
	fmt_init(&w->peek, ref_time);
	w->peek.shape_only = 1;
	w->joined = (struct buf)BUF_INIT;
}

void wrap_release(struct wrap *w)
{
	fmt_release(&w->peek);
	buf_release(&w->joined);
}

/* Read the line q (n bytes) as the input's next line, line number lineno,
 * without touching the input's container state fmt. */
static void peek(struct wrap *w, const struct fmt_ctx *fmt, const char *q,
		 size_t n, uint64_t lineno, struct log_line *ret)
{
	w->peek.prev = fmt->prev;
	w->peek.paste = fmt->paste;
	fmt_parse(&w->peek, q, n, lineno, ret);
}

/*
 * Whether the physical line q (n bytes) is a piece of the line before it
 * (prev_len bytes, of the container head_fmt) that something wrapped: it
 * has no container prefix, is not indented as the continuation of a
 * multi-line record, and does not read as a line of its own (a task row
 * that lost its stamp is not a piece).  Except where nothing else can be:
 * after a /dev/kmsg record, whose every line has the prefix, after a
 * prefix with no text (empty_head), after a userspace line (its piece may
 * quote the kernel, as node-problem-detector's does), or after a line
 * exactly as long as the ones fold(1) already cut.  2 when q reads as a
 * line of its own (it may still complete the line before: completes()),
 * 0 when it is no piece.  *ret gets what q holds after mail quote marks.
 */
static int piece(struct wrap *w, const struct fmt_ctx *fmt, const char *q,
		 size_t n, uint64_t lineno, enum log_fmt head_fmt,
		 size_t prev_len, int empty_head, int head_kernel,
		 struct log_line *ret)
{
	struct line_class lc;

	if (n && q[n - 1] == '\r')
		n--;
	/* a line after a crash's hole of NUL bytes was written anew */
	if (!n || !*q)
		return 0;
	peek(w, fmt, q, n, lineno, ret);
	if (ret->fmt != FMT_RAW || !ret->body_len)
		return 0;
	classify_line(w->c, ret->body, ret->body_len, &lc);
	/* a reader's "[...]" or "-- 8< --" is a line of its own */
	if (lc.kind == LINE_ELISION)
		return 0;
	if (head_fmt == FMT_KMSG || empty_head || !head_kernel ||
	    (w->width && prev_len == w->width))
		return 1;
	return lc.kind == LINE_NONE || lc.kind == LINE_FRAGMENT ||
	       lc.kind == LINE_STAT_KV ? 1 : 2;
}

/* Bytes of the first word of the line [q, qe), after mail quote marks. */
static size_t first_word(const char *q, const char *qe)
{
	const char *p;

	while (q < qe && (*q == '>' || *q == ' '))
		q++;
	for (p = q; p < qe && *p != ' ' && *p != '\r'; p++)
		;
	return (size_t)(p - q);
}

/* A mail program drops the blanks at the wrap, however many there were:
 * one is the least the line would have had. */
int wrap_may(size_t len, const char *q, const char *qe)
{
	return len >= WRAP_MIN || len + 1 + first_word(q, qe) > MAIL_WIDTH;
}

int wrap_may_head(struct wrap *w, const struct log_line *ll, size_t len)
{
	int bare = ll->fmt == FMT_RAW;

	/* a mail program leaves no line this long with a blank in it */
	if (bare && len >= FOLD_WIDTH && memchr(ll->body, ' ', ll->body_len))
		w->bare_wrapped = 0;
	return ll->fmt != FMT_MARKER && ll->fmt != FMT_META &&
	       !(bare && (len >= FOLD_WIDTH || !ll->body_len));
}

/* "...: Killed /a.service" and "due to memory pressure ...": the line
 * goes on when that makes it one of the story patterns, which it was
 * not. */
int wrap_story(struct wrap *w, const struct fmt_ctx *fmt,
	       const struct log_line *ll, const char *q, const char *qe,
	       uint64_t lineno)
{
	struct line_class lc;
	struct log_line p;
	int r;

	if (ll->kernel || !ll->tag || !ll->body_len)
		return 0;
	classify_story(w->c, ll->tag, ll->tag_len, ll->body, ll->body_len, &lc);
	if (lc.kind != LINE_NONE)
		return 0;
	peek(w, fmt, q, (size_t)(qe - q), lineno, &p);
	if (p.fmt != FMT_RAW || !p.body_len)
		return 0;
	buf_reset(&w->joined);
	buf_add(&w->joined, ll->body, ll->body_len);
	buf_addch(&w->joined, ' ');
	buf_add(&w->joined, p.body, p.body_len);
	r = classify_story(w->c, ll->tag, ll->tag_len, w->joined.data,
			   w->joined.len, &lc) != LINE_NONE;
	buf_reset(&w->joined);
	return r;
}

/* Whether a line that read as lc is unfinished: no known line, or only
 * the start of one (a KERN_CONT head, a piece, a cut form). */
static int unfinished(const struct line_class *lc)
{
	return lc->kind == LINE_NONE || lc->kind == LINE_HEAD ||
	       lc->kind == LINE_FRAGMENT || (lc->damage & LC_CUT);
}

/*
 * Whether the piece just added to joined completes a known pattern: the
 * line before it (its first head_len bytes) was unfinished, and the whole
 * reads as a known line (perhaps still cut: more pieces may follow).
 * own_line: the piece read as a line of its own.  joined holds the body
 * from off.
 *
 * Bare text (no container) gives no other sign of where a line ends: a
 * piece joins it when a mail program would have wrapped there and this
 * holds.  A line already whole by itself ("Node 0 DMA free:...") may go
 * on only once this input was seen wrapped (bare_wrapped): a line that
 * became known by a join.  After a prefixed line, a piece that is a line
 * of its own ("memory: Killed process ..." after "...: Out of") joins
 * only when it completes the line (in bare text, never).
 */
static int completes(struct wrap *w, size_t off, size_t head_len,
		     int own_line)
{
	struct line_class whole, head;

	classify_line(w->c, w->joined.data + off, w->joined.len - off, &whole);
	if (whole.kind == LINE_NONE || whole.kind == LINE_FRAGMENT)
		return 0;
	if (!own_line && w->bare_wrapped)
		return 1;
	classify_line(w->c, w->joined.data + off, head_len - off, &head);
	if (!unfinished(&head))
		return 0;
	if (!own_line)
		w->bare_wrapped = 1;
	return 1;
}

/* Whether the line [p, p + n) was cut by fold(1) or a terminal, inside
 * a word, rather than wrapped at a blank by a mail program: it is as long
 * as the ones cut before (or as the first, head_len), at least
 * FOLD_WIDTH.  A mail program leaves a longer line only where one word
 * is longer than its width, and a word has no blank. */
static int folded(const struct wrap *w, const char *p, size_t n,
		  size_t head_len)
{
	size_t i = 0;

	if (w->width)
		return n == w->width;
	/* a wiki's or a mail's indent before it is no blank of its own */
	while (i < n && (p[i] == ' ' || p[i] == '>'))
		i++;
	return n >= FOLD_WIDTH &&
	       (n == head_len || memchr(p + i, ' ', n - i));
}

/* Whether the line [q, qe) goes on a line of bare or userspace text,
 * whose last piece [prev, prev + n) was: where a mail program wrapped it,
 * or (userspace) fold(1) cut it. */
static int goes_on(const struct wrap *w, int bare, const char *prev,
		   size_t n, size_t head_len, const char *q, const char *qe)
{
	if (bare)
		return n < FOLD_WIDTH && wrap_may(n, q, qe);
	return folded(w, prev, n, head_len) || wrap_may(n, q, qe);
}

/* Put the piece p (its physical line [prev, prev + n) after the head of
 * len bytes) at the end of joined: fold(1) cuts anywhere; a mail program
 * breaks at a blank and may keep it on neither side. */
static void add_piece(struct wrap *w, const struct log_line *p,
		      const char *prev, size_t n, size_t len)
{
	if (((p->known & LL_QUOTED) || !folded(w, prev, n, len)) &&
	    w->joined.len && w->joined.data[w->joined.len - 1] != ' ' &&
	    p->body[0] != ' ')
		buf_addch(&w->joined, ' ');
	buf_add(&w->joined, p->body, p->body_len);
}

const char *wrap_join(struct wrap *w, struct fmt_ctx *fmt, const char *line,
		      size_t len, struct log_line *ll, const char *q,
		      const char *end, int at_eof)
{
	int bare = ll->fmt == FMT_RAW, kind;
	uint64_t last = ll->lineno;
	struct log_line p;

	buf_reset(&w->joined);
	buf_add(&w->joined, line, len);
	for (const char *prev = line;;) {
		size_t head_len = w->joined.len, n = (size_t)(q - 1 - prev);
		const char *qe;

		if (q >= end) {
			if (!at_eof)
				return NULL;	/* the next block will tell */
			break;
		}
		qe = memchr(q, '\n', (size_t)(end - q));
		/* a piece of text no pattern vouches for goes on only where
		 * a mail program would have wrapped */
		if ((bare || !ll->kernel) && prev != line &&
		    !goes_on(w, bare, prev, n, len, q, qe))
			break;
		if (w->joined.len + (size_t)(qe - q) > MAX_LINE_LEN ||
		    !(kind = piece(w, fmt, q, (size_t)(qe - q), last + 1,
				   ll->fmt, n,
				   prev == line && !bare && !ll->body_len,
				   ll->kernel, &p)))
			break;
		add_piece(w, &p, prev, n, len);
		/* bare text has no prefix to tell a piece from a line of its
		 * own that follows a line of noise: a piece that reads as a
		 * line never joins it */
		if ((kind == 2 || bare) &&
		    ((kind == 2 && bare) ||
		     !completes(w, (size_t)(ll->body - line), head_len,
				kind == 2))) {
			w->joined.len = head_len;
			break;
		}
		prev = q;
		last++;
		q = qe + 1;
	}
	if (last != ll->lineno) {
		uint64_t first = ll->lineno;

		/* fold(1) cuts every line at one width; a mail program breaks
		 * at blanks, wherever */
		if (!w->width && !(ll->known & LL_QUOTED) && len >= FOLD_WIDTH)
			w->width = len;
		/* read the whole line again; the pieces' newlines are counted
		 * by the scanner's next lineno_at() */
		fmt_parse(fmt, w->joined.data, w->joined.len, first, ll);
		ll->known |= LL_JOINED;
		ll->lineno_last = last;
		fmt->prev_lineno = last;
	}
	return q;
}

const char *wrap_line_before(const char *p, const char *q)
{
	const char *nl;

	if (q <= p)
		return NULL;
	nl = q - 1 > p ? memrchr(p, '\n', (size_t)(q - 1 - p)) : NULL;
	return nl ? nl + 1 : p;
}

/*
 * Where a line wrapped before q may start: the lines before q, back to
 * at most LOOK_BACK of them and not before p, while each may be a head
 * its next line goes on (WRAP_HEAD_MIN columns or more, wrap_may()).
 * The idle scanner starts there when an anchor is on a later piece (a
 * userspace line that quotes a kernel line is not the kernel's).  end is
 * just past a newline.
 */
const char *wrap_start(const char *p, const char *q, const char *end,
		       unsigned *ret_back)
{
	const char *h, *qe;

	*ret_back = 0;
	while (*ret_back < LOOK_BACK && (h = wrap_line_before(p, q)) != NULL &&
	       (size_t)(q - 1 - h) >= WRAP_HEAD_MIN &&
	       (qe = memchr(q, '\n', (size_t)(end - q))) != NULL &&
	       wrap_may((size_t)(q - 1 - h), q, qe)) {
		q = h;
		++*ret_back;
	}
	return q;
}
