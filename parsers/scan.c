/* scan.c: block reading, line splitting and the idle-time prefilter. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "anchor.h"
#include "classify.h"
#include "fmt.h"
#include "join.h"
#include "oomlens.h"
#include "report.h"
#include "scan.h"
#include "story.h"
#include "xalloc.h"

#define BLOCK_SIZE (1024 * 1024)
/* The first block: most archive members and many inputs are smaller, and
 * they need not pay for a megabyte each.  Room for a whole line
 * (MAX_LINE_LEN) and its newline. */
#define FIRST_BLOCK_SIZE (96 * 1024)
_Static_assert(FIRST_BLOCK_SIZE > MAX_LINE_LEN + 1, "a whole line fits");
/* A prefixed physical line this long may have been wrapped by a terminal,
 * fold(1) or a mail program: look at the next line. */
#define WRAP_MIN 60
/* A mail program or a wiki wraps at the last blank before its width
 * (70-78 columns), and may drop that blank: a shorter line may have been
 * wrapped too when the next line's first word would have made it longer
 * than this ("kernel: java" before a long "cpuset=docker-...scope"). */
#define MAIL_WIDTH 70
/* The shortest line taken for the head of a wrapped line whose anchor
 * is on the next line (a container's prefix alone before the text, a
 * line before a long word): the idle scanner looks back that far. */
#define WRAP_HEAD_MIN 24
/* Lines of one wrapped line the idle scanner looks back through. */
#define LOOK_BACK 8
/* fold(1) and terminals cut inside words, at 80 columns or more: a
 * blank is put back only at a shorter line's wrap. */
#define FOLD_WIDTH 80

/* journalctl's boot markers carry the boot id: an anchor too, so that idle
 * stretches need no look at each line's first byte (lineno_at() looks
 * inside reports). */
#define BOOT_MARKER "-- Boot "

/*
 * A line can only open a report, or belong to one already closed, if it
 * holds one of these: the header, the kill lines (they survive rate
 * limiting without a header: "Killed process", "Kill process", 2.6.32's
 * "kill process"), the reaper, and the task-dump title, where a report
 * whose start the ring buffer lost begins ("tgid total_vm" is in every
 * layout's title).  The header has more anchors for when a mail program
 * broke it at the blank before or after "oom-killer:".  (And the CPU
 * line of a stack dump, below.)  anchor.c finds
 * them all in one pass (through a few rare three-byte runs they share:
 * "oom", "ill", "_vm"), so more of them cost little.
 */
static const char *const anchors[] = {
	" invoked oom-killer: ", "oom-killer: gfp_mask=", "Killed process ",
	/* ... and when a mail program broke it after "oom-killer:" and
	 * dropped the blank (also before: "oom-killer:" alone on a line;
	 * the newline written in hex, as tests/fuzz/run.sh's dictionary of
	 * these strings can take it) */
	"oom-killer:\x0a",
	"ill process ", "oom_reaper: ", "tgid total_vm", BOOT_MARKER,
	/* dump_stack()'s "CPU: N PID: N Comm: x": a report whose invocation
	 * line a filter or a paste lost starts there (report.c takes it on
	 * trial; any warning's stack dump is dropped again) */
	" Comm: ",
	/* userspace story lines (story.h): systemd's unit lines, oomd (in
	 * its tag), earlyoom, nohang's victim block (its kill line follows
	 * within story_busy()), containerd, the kubelet; node-problem-
	 * detector repeats "Killed process ".  Each is 11 bytes or more and
	 * ends its first 11 bytes on a rare pair of bytes ("OOM killer."
	 * rather than "by the OOM killer"), which keeps the Wu-Manber
	 * fallback's jumps long (callgrind, ingest of 20 MB of syslog: 86.3M
	 * instructions with the six kernel anchors, 96.0M with these, 100.2M
	 * with a plainer choice of the same strings). */
	"OOM killer.", "'oom-kill'.", "ystemd-oomd", "sending SIG",
	"Victim status", "TaskOOM event", "OOM encountered",
};
#define N_ANCHORS (sizeof(anchors) / sizeof(anchors[0]))

struct scanner {
	struct classifier *c;
	struct report_asm *a;
	struct joiner *j;
	struct story_ctx *story;
	const struct report_sink *sink;
	struct fmt_ctx fmt;
	struct fmt_ctx peek;	/* reads the next line without side effects */
	struct buf joined;	/* a wrapped line put back together */
	size_t wrap_width;	/* width fold(1) or a terminal cut at, once seen */
	int bare_wrapped;	/* bare text was seen wrapped by a mail program */
	struct scan_stats *stats;
	uint64_t lineno;	/* lines before `counted` */
	const char *counted;	/* newlines before this are in lineno */
	uint64_t lines_before;	/* of a resumed stream */
	const char *buf;	/* the block, at stream offset buf_off */
	uint64_t buf_off;
	struct anchor_set anchors;
};

/* A line at q that may be a journalctl boot marker: let fmt read the id.
 * The line ends before end. */
static void boot_marker(struct scanner *s, const char *q, const char *end)
{
	const size_t n = sizeof(BOOT_MARKER) - 1;
	const char *nl;
	struct log_line ll;

	if ((size_t)(end - q) <= n || memcmp(q, BOOT_MARKER, n) != 0)
		return;
	nl = memchr(q, '\n', (size_t)(end - q));
	fmt_parse(&s->fmt, q, nl ? (size_t)(nl - q) : (size_t)(end - q),
		  s->lineno, &ll);
}

/* A newline at q - 1 was counted: look at the line at q for a boot
 * marker when it starts with '-' and lies before p. */
static inline void after_newline(struct scanner *s, const char *q,
				 const char *p)
{
	if (q < p && *q == '-')
		boot_marker(s, q, p);
}

/*
 * Line number of the line starting at p (p >= s->counted): count the
 * newlines skipped since the last call.  glibc's memchr is vectorised;
 * with lines of ~100 bytes it beats hand-written SWAR loops.  (Idle
 * stretches are counted by anchor_find(), in its pass.)
 */
static uint64_t lineno_at(struct scanner *s, const char *p)
{
	const char *q = s->counted;

	while ((q = memchr(q, '\n', (size_t)(p - q))) != NULL) {
		s->lineno++;
		after_newline(s, ++q, p);
	}
	s->counted = p;
	return s->lineno + 1;
}

/* p starts a line and no report is open: a later read may start here. */
static void mark_safe(struct scanner *s, const char *p)
{
	lineno_at(s, p);
	s->stats->safe_bytes = s->buf_off + (uint64_t)(p - s->buf);
	s->stats->safe_lines = s->lineno - s->lines_before;
}

/*
 * Whether the physical line q (n bytes) is a piece of the line before it
 * (prev_len bytes, of the container fmt) that something wrapped: it has
 * no container prefix, is not indented as the continuation of a
 * multi-line record, and does not read as a line of its own (a task row
 * that lost its stamp is not a piece).  Except where nothing else can be:
 * after a /dev/kmsg record, whose every line has the prefix, after a
 * prefix with no text (empty_head), or after a line exactly as long as
 * the ones fold(1) already cut.  2 when q reads as a line of its own
 * (it may still complete the line before: completes()), 0 when it is no
 * piece.  *ret gets what q holds after mail quote marks.
 */
static int wrap_piece(struct scanner *s, const char *q, size_t n,
		      uint64_t lineno, enum log_fmt fmt, size_t prev_len,
		      int empty_head, int head_kernel, struct log_line *ret)
{
	struct line_class lc;

	if (n && q[n - 1] == '\r')
		n--;
	/* a line after a crash's hole of NUL bytes was written anew */
	if (!n || !*q)
		return 0;
	s->peek.prev = s->fmt.prev;
	s->peek.paste = s->fmt.paste;
	fmt_parse(&s->peek, q, n, lineno, ret);
	if (ret->fmt != FMT_RAW || !ret->body_len)
		return 0;
	classify_line(s->c, ret->body, ret->body_len, &lc);
	/* a reader's "[...]" or "-- 8< --" is a line of its own */
	if (lc.kind == LINE_ELISION)
		return 0;
	/* a prefix with no text after it: the text went on the next line,
	 * whatever it says; a userspace line's piece may quote the kernel
	 * (node-problem-detector) and is still its piece */
	if (fmt == FMT_KMSG || empty_head || !head_kernel ||
	    (s->wrap_width && prev_len == s->wrap_width))
		return 1;
	return lc.kind == LINE_NONE || lc.kind == LINE_FRAGMENT ||
	       lc.kind == LINE_STAT_KV ? 1 : 2;
}

/* Bytes of the first word of the line [q, qe), after mail quote marks. */
static size_t first_word(const char *q, const char *qe)
{
	const char *w;

	while (q < qe && (*q == '>' || *q == ' '))
		q++;
	for (w = q; w < qe && *w != ' ' && *w != '\r'; w++)
		;
	return (size_t)(w - q);
}

/* Whether a line len bytes long may have been wrapped before the line
 * [q, qe): it is long, or the next word would have made it long (a
 * mail program drops the blanks at the wrap, however many there were). */
static int may_wrap(size_t len, const char *q, const char *qe)
{
	return len >= WRAP_MIN || len + 1 + first_word(q, qe) > MAIL_WIDTH;
}

/* A userspace killer's line split by hand where no width explains it
 * ("...: Killed /a.service" and "due to memory pressure ..."): the line
 * [q, qe) goes on with ll when that makes ll one of the story patterns,
 * which it was not. */
static int story_wrap(struct scanner *s, const struct log_line *ll,
		      const char *q, const char *qe, uint64_t lineno)
{
	struct line_class lc;
	struct log_line piece;
	int r;

	if (ll->kernel || !ll->tag)
		return 0;
	classify_story(s->c, ll->tag, ll->tag_len, ll->body, ll->body_len, &lc);
	if (lc.kind != LINE_NONE)
		return 0;
	s->peek.prev = s->fmt.prev;
	s->peek.paste = s->fmt.paste;
	fmt_parse(&s->peek, q, (size_t)(qe - q), lineno, &piece);
	if (piece.fmt != FMT_RAW || !piece.body_len)
		return 0;
	buf_reset(&s->joined);
	buf_add(&s->joined, ll->body, ll->body_len);
	buf_addch(&s->joined, ' ');
	buf_add(&s->joined, piece.body, piece.body_len);
	r = classify_story(s->c, ll->tag, ll->tag_len, s->joined.data,
			   s->joined.len, &lc) != LINE_NONE;
	buf_reset(&s->joined);
	return r;
}

/* A userspace line goes to the story reader; the rest of the pipeline
 * (joiner, assembler) sees it too, as a foreign line. */
static void hand_on(struct scanner *s, const struct log_line *ll)
{
	if (!ll->kernel && ll->fmt != FMT_MARKER && ll->fmt != FMT_META) {
		struct story_event *e = story_line(s->story, ll);

		for (; e; e = story_next(s->story)) {
			if (s->sink->story)
				s->sink->story(s->sink->ctx, e);
			else
				story_event_free(e);
		}
	}
	join_line(s->j, ll);
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
static int completes(struct scanner *s, size_t off, size_t head_len,
		     int own_line)
{
	struct line_class whole, head;

	classify_line(s->c, s->joined.data + off, s->joined.len - off, &whole);
	if (whole.kind == LINE_NONE || whole.kind == LINE_FRAGMENT)
		return 0;
	if (!own_line && s->bare_wrapped)
		return 1;
	classify_line(s->c, s->joined.data + off, head_len - off, &head);
	if (!unfinished(&head))
		return 0;
	if (!own_line)
		s->bare_wrapped = 1;
	return 1;
}

/* Whether the line [p, p + n) was cut by fold(1) or a terminal, inside
 * a word, rather than wrapped at a blank by a mail program: it is as long
 * as the ones cut before (or as the first, head_len), at least
 * FOLD_WIDTH.  A mail program leaves a longer line only where one word
 * is longer than its width, and a word has no blank. */
static int folded(const struct scanner *s, const char *p, size_t n,
		  size_t head_len)
{
	size_t i = 0;

	if (s->wrap_width)
		return n == s->wrap_width;
	/* a wiki's or a mail's indent before it is no blank of its own */
	while (i < n && (p[i] == ' ' || p[i] == '>'))
		i++;
	return n >= FOLD_WIDTH &&
	       (n == head_len || memchr(p + i, ' ', n - i));
}

/* Whether the line [q, qe) goes on a line of bare or userspace text,
 * whose last piece [prev, prev + n) was: where a mail program wrapped it,
 * or (userspace) fold(1) cut it. */
static int piece_goes_on(const struct scanner *s, int bare, const char *prev,
			 size_t n, size_t head_len, const char *q,
			 const char *qe)
{
	if (bare)
		return n < FOLD_WIDTH && may_wrap(n, q, qe);
	return folded(s, prev, n, head_len) || may_wrap(n, q, qe);
}

/*
 * Read the line [line, nl) and hand it on.  Returns where the next line to
 * read starts (after any wrapped pieces joined to this one), or NULL when
 * the line may go on in bytes not read yet (then nothing was handed on).
 */
static const char *feed_line(struct scanner *s, const char *line,
			     const char *nl, const char *end, int at_eof)
{
	size_t len = (size_t)(nl - line);
	const char *q = nl + 1, *start;
	struct log_line ll, piece;
	struct fmt_ctx before;
	uint64_t lineno, last;
	int bare, kind;

	if (len && line[len - 1] == '\r')
		len--;
	/* NUL bytes a crash left where the log's last blocks were never
	 * written run into the next line written after it: skip them (the
	 * line is counted from its start: it may be read again from there) */
	lineno = lineno_at(s, line);
	for (start = line; len && *line == '\0'; len--)
		line++;
	/* a line read again with the next block must find the container
	 * state it found the first time (its own parse changes it) */
	if (!at_eof)
		before = s->fmt;
	fmt_parse(&s->fmt, line, len, lineno, &ll);
	if (line != start) {
		/* the raw text keeps them: a report they fall inside shows
		 * the hole (report.c) */
		ll.raw_len += (size_t)(line - start);
		ll.raw = start;
	}
	bare = ll.fmt == FMT_RAW;
	/* a mail program leaves no line this long with a blank in it */
	if (bare && len >= FOLD_WIDTH && memchr(ll.body, ' ', ll.body_len))
		s->bare_wrapped = 0;
	if (ll.fmt == FMT_MARKER || ll.fmt == FMT_META ||
	    (bare && (len >= FOLD_WIDTH || !ll.body_len))) {
		hand_on(s, &ll);
		return q;
	}
	if (len < WRAP_MIN || bare) {
		const char *qe = q < end ? memchr(q, '\n', (size_t)(end - q))
					 : NULL;

		if (!qe && !at_eof) {
			/* the next block will tell */
			struct buf dec = s->fmt.dec;

			s->fmt = before;
			s->fmt.dec = dec;
			return NULL;
		}
		if (!qe || (!may_wrap(len, q, qe) && ll.body_len &&
			    !story_wrap(s, &ll, q, qe, lineno + 1))) {
			hand_on(s, &ll);
			return q;
		}
	}
	buf_reset(&s->joined);
	buf_add(&s->joined, line, len);
	last = ll.lineno;
	for (const char *prev = line;;) {
		size_t head_len = s->joined.len;
		const char *qe;

		if (q >= end) {
			if (!at_eof) {
				/* the next block will tell; the decode
				 * buffer is the ctx's own, kept */
				struct buf dec = s->fmt.dec;

				s->fmt = before;
				s->fmt.dec = dec;
				return NULL;
			}
			break;
		}
		qe = memchr(q, '\n', (size_t)(end - q));
		/* a piece of text no pattern vouches for goes on only where
		 * a mail program would have wrapped */
		if ((bare || !ll.kernel) && prev != line &&
		    !piece_goes_on(s, bare, prev, (size_t)(q - 1 - prev), len,
				   q, qe))
			break;
		if (s->joined.len + (size_t)(qe - q) > MAX_LINE_LEN ||
		    !(kind = wrap_piece(s, q, (size_t)(qe - q), last + 1,
					ll.fmt, (size_t)(q - 1 - prev),
					prev == line && !bare && !ll.body_len,
					ll.kernel, &piece)))
			break;
		/* fold(1) cuts anywhere; a mail program breaks at a blank
		 * and may keep it on neither side */
		if (((piece.known & LL_QUOTED) ||
		     !folded(s, prev, (size_t)(q - 1 - prev), len)) &&
		    s->joined.len && s->joined.data[s->joined.len - 1] != ' ' &&
		    piece.body[0] != ' ')
			buf_addch(&s->joined, ' ');
		buf_add(&s->joined, piece.body, piece.body_len);
		/* bare text has no prefix to tell a piece from a line of its
		 * own that follows a line of noise: a piece that reads as a
		 * line never joins it */
		if ((kind == 2 || bare) &&
		    ((kind == 2 && bare) ||
		     !completes(s, (size_t)(ll.body - line), head_len,
				kind == 2))) {
			s->joined.len = head_len;
			break;
		}
		prev = q;
		last++;
		q = qe + 1;
	}
	if (last != ll.lineno) {
		/* fold(1) cuts every line at one width; a mail program breaks
		 * at blanks, wherever */
		if (!s->wrap_width && !(ll.known & LL_QUOTED) &&
		    len >= FOLD_WIDTH)
			s->wrap_width = len;
		/* read the whole line again; the pieces' newlines are counted
		 * by the next lineno_at() */
		fmt_parse(&s->fmt, s->joined.data, s->joined.len, ll.lineno, &ll);
		ll.known |= LL_JOINED;
		ll.lineno_last = last;
		s->fmt.prev_lineno = last;
	}
	hand_on(s, &ll);
	return q;
}

/* The start of the line before the one starting at q (q is p, or just
 * after a newline), or NULL when q is p. */
static const char *line_before(const char *p, const char *q)
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
 * its next line goes on (WRAP_HEAD_MIN columns or more, may_wrap()).
 * The idle scanner starts there when an anchor is on a later piece (a
 * userspace line that quotes a kernel line is not the kernel's); *ret_back
 * gets the lines gone back.  end is just past a newline.
 */
static const char *wrap_start(const char *p, const char *q, const char *end,
			      unsigned *ret_back)
{
	const char *h, *qe;

	*ret_back = 0;
	while (*ret_back < LOOK_BACK && (h = line_before(p, q)) != NULL &&
	       (size_t)(q - 1 - h) >= WRAP_HEAD_MIN &&
	       (qe = memchr(q, '\n', (size_t)(end - q))) != NULL &&
	       may_wrap((size_t)(q - 1 - h), q, qe)) {
		q = h;
		++*ret_back;
	}
	return q;
}

/*
 * Where an idle block that held no anchor stops: before its last line when
 * that line may be the head of a wrapped line whose anchor comes in the
 * next block (the look-back below must see it, wherever the reader's
 * blocks end), else at end.  end is just past a newline.
 */
static const char *wrap_head_held(const char *p, const char *end)
{
	const char *last = line_before(p, end);
	unsigned back;

	if (!last || (size_t)(end - 1 - last) < WRAP_HEAD_MIN)
		return end;
	/* and the pieces before it, which the look-back goes through */
	return wrap_start(p, last, end, &back);
}

/* Process the complete lines in [p, end); end is just past a newline.
 * Returns where it stopped: end, or the start of a line that may go on
 * in the next block. */
static const char *scan_lines(struct scanner *s, const char *p,
			      const char *end, int at_eof)
{
	while (p < end) {
		const char *nl, *cand, *next;

		if (!report_asm_active(s->a) && !join_busy(s->j) &&
		    !story_busy(s->story)) {
			/* idle: jump to the next line holding an anchor,
			 * counting the lines jumped over in the same pass */
			uint64_t nls;

			lineno_at(s, p);
			cand = anchor_find(&s->anchors, p, (size_t)(end - p), &nls);
			if (!cand) {
				const char *stop = at_eof ? end
						   : wrap_head_held(p, end);

				/* a held line's newline is counted when it
				 * is read again with the next block */
				for (const char *h = stop; h < end; h++)
					nls -= *h == '\n';
				s->lineno += nls;
				s->counted = stop;
				mark_safe(s, stop);
				return stop;
			}
			s->stats->candidates++;
			while (cand > p && cand[-1] != '\n')
				cand--;
			/* the anchor may sit on a wrapped piece: start at the
			 * line's head */
			{
				unsigned back;

				cand = wrap_start(p, cand, end, &back);
				nls -= back;
			}
			s->lineno += nls;
			s->counted = p = cand;
			mark_safe(s, p);
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		next = feed_line(s, p, nl, end, at_eof);
		if (!next)
			return p;
		p = next;
	}
	if (report_asm_settled(s->a) && !join_busy(s->j) &&
	    !story_busy(s->story))
		mark_safe(s, end);
	return end;
}

int scan_stream(struct classifier *c, const struct scan_reader *rd,
		int64_t ref_time, const struct report_sink *sink,
		struct scan_stats *stats)
{
	return scan_stream_at(c, rd, ref_time, 0, sink, stats);
}

int scan_stream_at(struct classifier *c, const struct scan_reader *rd,
		   int64_t ref_time, uint64_t lines_before,
		   const struct report_sink *sink, struct scan_stats *stats)
{
	struct scanner s = { .c = c, .stats = stats, .sink = sink,
			     .lineno = lines_before,
			     .lines_before = lines_before };

	size_t size = FIRST_BLOCK_SIZE;
	char *buf = xmalloc(size);
	size_t have = 0;	/* bytes in buf not yet processed */
	int skipping = 0;	/* inside an over-long line's tail */
	int r = 0;

	memset(stats, 0, sizeof(*stats));
	fmt_init(&s.fmt, ref_time);
	fmt_init(&s.peek, ref_time);
	s.peek.shape_only = 1;
	s.joined = (struct buf)BUF_INIT;
	anchor_init(&s.anchors, anchors, N_ANCHORS);
	s.a = report_asm_new(sink);
	s.j = join_new(c, s.a);
	s.story = story_new(c);
	for (;;) {
		ssize_t n;
		const char *last_nl, *start = buf;

		if (size < BLOCK_SIZE && stats->bytes >= size) {
			/* a long input: full blocks from now on */
			size = BLOCK_SIZE;
			buf = xrealloc(buf, size);
			start = buf;
		}
		n = rd->read(rd->ctx, buf + have, size - have);

		if (n < 0) {
			r = (int)n;
			break;
		}
		if (n == 0)
			break;
		stats->bytes += (uint64_t)n;
		have += (size_t)n;
		s.counted = s.buf = buf;
		s.buf_off = stats->bytes - have;
		/* the line at the block start follows a newline lineno_at
		 * counted at the end of the last block, unchecked */
		if (!skipping && buf[0] == '-')
			boot_marker(&s, buf, buf + have);
		if (skipping) {
			const char *nl = memchr(buf, '\n', have);

			if (!nl) {
				have = 0;
				continue;
			}
			s.lineno++;
			start = nl + 1;
			skipping = 0;
			s.counted = start;
		}
		last_nl = memrchr(start, '\n', have - (size_t)(start - buf));
		if (last_nl) {
			const char *stop = scan_lines(&s, start, last_nl + 1, 0);

			lineno_at(&s, stop);
			start = stop;
		}
		have -= (size_t)(start - buf);
		if (have > MAX_LINE_LEN) {
			/* lines held for a look at the next block come first,
			 * then the head of an endless line; its rest is dropped */
			const char *nl = memrchr(start, '\n', have);
			char *cut;

			if (nl) {
				scan_lines(&s, start, nl + 1, 1);
				lineno_at(&s, nl + 1);
				have -= (size_t)(nl + 1 - start);
				start = nl + 1;
			}
			if (have > MAX_LINE_LEN) {
				cut = buf + (start - buf) + MAX_LINE_LEN;
				*cut = '\n';	/* a byte of the dropped rest */
				s.counted = start;
				stats->long_lines++;
				sink->warn(sink->ctx, s.lineno + 1,
					   "a line longer than 64 KiB: "
					   "the rest of it is skipped");
				{
					uint64_t before = s.lineno;

					scan_lines(&s, start, cut + 1, 1);
					/* the line's newline is counted where
					 * it really is, not at the cut */
					s.lineno = before;
				}
				s.counted = cut + 1;
				have = 0;
				skipping = 1;
				continue;
			}
		}
		memmove(buf, start, have);
	}
	if (have && !skipping && r == 0) {
		/* the last line may lack its newline; there is room for one.
		 * It may be a line still being written: never resume after it */
		const char *nl = memrchr(buf, '\n', have);
		uint64_t partial = stats->bytes - have +
				   (nl ? (uint64_t)(nl + 1 - buf) : 0);
		int cut = buf[have - 1] != '\n';

		if (cut)
			buf[have++] = '\n';
		s.counted = s.buf = buf;
		s.buf_off = stats->bytes - (have - (size_t)cut);
		scan_lines(&s, buf, buf + have, 1);
		lineno_at(&s, buf + have);
		if (cut && stats->safe_bytes > partial) {
			stats->safe_bytes = partial;
			stats->safe_lines = s.lineno - 1 - lines_before;
		}
	}
	join_flush(s.j);
	report_finish(s.a);
	stats->lines = s.lineno - lines_before;
	join_free(s.j);
	story_free(s.story);
	report_asm_free(s.a);
	fmt_release(&s.fmt);
	fmt_release(&s.peek);
	buf_release(&s.joined);
	free(buf);
	return r;
}
