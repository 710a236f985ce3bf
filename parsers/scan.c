/* scan.c: block reading, line splitting and the idle-time prefilter. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "anchor.h"
#include "classify.h"
#include "fmt.h"
#include "join.h"
#include "oomlens.h"
#include "prefilter.h"
#include "report.h"
#include "scan.h"
#include "story.h"
#include "wrap.h"
#include "xalloc.h"

#define BLOCK_SIZE (1024 * 1024)
/* The first block: most archive members and many inputs are smaller, and
 * they need not pay for a megabyte each.  Room for a whole line
 * (MAX_LINE_LEN) and its newline. */
#define FIRST_BLOCK_SIZE (96 * 1024)
_Static_assert(FIRST_BLOCK_SIZE > MAX_LINE_LEN + 1, "a whole line fits");
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
	struct wrap w;		/* wrapped lines put back together */
	struct scan_stats *stats;
	uint64_t lineno;	/* lines before `counted` */
	const char *counted;	/* newlines before this are in lineno */
	uint64_t lines_before;	/* of a resumed stream */
	const char *buf;	/* the block, at stream offset buf_off */
	uint64_t buf_off;
	struct anchor_set anchors;
	const struct prefilter *pf;	/* a mapped input's anchors, or NULL */
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
	struct log_line ll;
	struct fmt_ctx before;
	uint64_t lineno;

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
	if (!wrap_may_head(&s->w, &ll, len)) {
		hand_on(s, &ll);
		return q;
	}
	if (len < WRAP_MIN || ll.fmt == FMT_RAW) {
		const char *qe = q < end ? memchr(q, '\n', (size_t)(end - q))
					 : NULL;

		if (!qe && !at_eof)
			goto next_block;
		/* a prefix with no text always goes on */
		if (!qe || (!wrap_may(len, q, qe) && ll.body_len &&
			    !wrap_story(&s->w, &s->fmt, &ll, q, qe,
					lineno + 1))) {
			hand_on(s, &ll);
			return q;
		}
	}
	q = wrap_join(&s->w, &s->fmt, line, len, &ll, q, end, at_eof);
	if (!q)
		goto next_block;
	hand_on(s, &ll);
	return q;
next_block:
	/* the next block will tell; the decode buffer is the ctx's own,
	 * kept */
	{
		struct buf dec = s->fmt.dec;

		s->fmt = before;
		s->fmt.dec = dec;
	}
	return NULL;
}

/* A task dump row lost its title in a paste, or a grep kept only rows:
 * the idle scanner goes back through at most this many bytes of rows
 * before an anchor (a kill or summary line), and an idle block holds
 * back as much at its end, so that where blocks end changes nothing. */
#define ROWS_BACK (16 * 1024)

/* Whether the line [q, qe) holds "[ <pid>] <digit>", a task row's start
 * (after whatever container prefix), within its first 64 bytes. */
static int row_shaped(const char *q, const char *qe)
{
	const char *lim = qe - q > 64 ? q + 64 : qe;

	for (const char *b = q; (b = memchr(b, '[', (size_t)(lim - b)));
	     b++) {
		const char *d = b + 1;

		while (d < qe && *d == ' ')
			d++;
		if (d == qe || *d < '0' || *d > '9')
			continue;
		while (d < qe && *d >= '0' && *d <= '9')
			d++;
		if (d + 2 < qe && d[0] == ']' && d[1] == ' ') {
			for (d++; d < qe && *d == ' '; d++)
				;
			if (d < qe && *d >= '0' && *d <= '9')
				return 1;
		}
	}
	return 0;
}

/* The start of the run of task rows right before the line at q (not
 * before p, at most ROWS_BACK bytes back), or q.  Another CPU's line
 * may stand between two rows or after the last, as in any dump. */
static const char *rows_start(const char *p, const char *q)
{
	const char *h, *g, *start = q;

	while ((h = wrap_line_before(p, start)) != NULL &&
	       (size_t)(q - h) <= ROWS_BACK) {
		if (row_shaped(h, start - 1)) {
			start = h;
			continue;
		}
		/* one foreign line, with a row before it: only the
		 * rows move the start */
		g = wrap_line_before(p, h);
		if (!g || (size_t)(q - g) > ROWS_BACK ||
		    !row_shaped(g, h - 1))
			break;
		start = g;
	}
	return start;
}

/*
 * Where an idle block that held no anchor stops: before its last line when
 * that line may be the head of a wrapped line whose anchor comes in the
 * next block (the look-back below must see it, wherever the reader's
 * blocks end), else at end.  end is just past a newline.
 */
static const char *wrap_head_held(const char *p, const char *end)
{
	const char *last = wrap_line_before(p, end);
	unsigned back;

	if (!last || (size_t)(end - 1 - last) < WRAP_HEAD_MIN)
		return rows_start(p, end);
	/* and the pieces before it, which the look-back goes through, and
	 * the rows before those */
	return rows_start(p, wrap_start(p, last, end, &back));
}

/* anchor_find() over [p, end), from the prefilter's list when it has one
 * that reaches so far; p starts a line, and lineno_at(s, p) was called. */
static const char *find_anchor(struct scanner *s, const char *p,
			       const char *end, uint64_t *nls)
{
	uint64_t at = s->buf_off + (uint64_t)(p - s->buf), cand;

	if (s->pf && prefilter_find(s->pf, at, at + (uint64_t)(end - p),
				    s->lineno - s->lines_before, &cand, nls))
		return cand == UINT64_MAX ? NULL : p + (cand - at);
	return anchor_find(&s->anchors, p, (size_t)(end - p), nls);
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
			cand = find_anchor(s, p, end, &nls);
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
				const char *rows;

				cand = wrap_start(p, cand, end, &back);
				nls -= back;
				/* and task rows before it (a dump without
				 * its title) */
				rows = rows_start(p, cand);
				for (const char *h = rows; h < cand; h++)
					nls -= *h == '\n';
				cand = rows;
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

/* The tail of a block past MAX_LINE_LEN without a newline (have bytes at
 * *start): the lines held before it are scanned, then the head of the
 * endless line, its rest is dropped.  1 when the rest of that line is
 * now to be skipped (have is 0), 0 when there was no such line. */
static int cut_long_line(struct scanner *s, char *buf, const char **start,
			 size_t *have)
{
	const char *nl = memrchr(*start, '\n', *have);
	char *cut;
	uint64_t before;

	if (nl) {
		scan_lines(s, *start, nl + 1, 1);
		lineno_at(s, nl + 1);
		*have -= (size_t)(nl + 1 - *start);
		*start = nl + 1;
	}
	if (*have <= MAX_LINE_LEN)
		return 0;
	cut = buf + (*start - buf) + MAX_LINE_LEN;
	*cut = '\n';	/* a byte of the dropped rest */
	s->counted = *start;
	s->stats->long_lines++;
	s->sink->warn(s->sink->ctx, s->lineno + 1, "a line longer than 64 KiB: "
		      "the rest of it is skipped");
	before = s->lineno;
	scan_lines(s, *start, cut + 1, 1);
	/* the line's newline is counted where it really is, not at the cut */
	s->lineno = before;
	s->counted = cut + 1;
	*have = 0;
	return 1;
}

/* The input's last have bytes in buf (size at least have + 1): the last
 * line may lack its newline; there is room for one.  It may be a line
 * still being written: never resume after it. */
static void scan_last_line(struct scanner *s, char *buf, size_t have)
{
	struct scan_stats *stats = s->stats;
	const char *nl = memrchr(buf, '\n', have);
	uint64_t partial = stats->bytes - have +
			   (nl ? (uint64_t)(nl + 1 - buf) : 0);
	int cut = buf[have - 1] != '\n';

	if (cut)
		buf[have++] = '\n';
	s->counted = s->buf = buf;
	s->buf_off = stats->bytes - (have - (size_t)cut);
	scan_lines(s, buf, buf + have, 1);
	lineno_at(s, buf + have);
	if (cut && stats->safe_bytes > partial) {
		stats->safe_bytes = partial;
		stats->safe_lines = s->lineno - 1 - s->lines_before;
	}
}

static void scanner_init(struct scanner *s, struct classifier *c,
			 int64_t ref_time, uint64_t lines_before,
			 const struct report_sink *sink,
			 struct scan_stats *stats)
{
	*s = (struct scanner){ .c = c, .stats = stats, .sink = sink,
			       .lineno = lines_before,
			       .lines_before = lines_before };
	memset(stats, 0, sizeof(*stats));
	fmt_init(&s->fmt, ref_time);
	wrap_init(&s->w, c, ref_time);
	anchor_init(&s->anchors, anchors, N_ANCHORS);
	s->a = report_asm_new(s->sink);
	s->j = join_new(c, s->a);
	s->story = story_new(c);
}

/* What is still open ends (a report without its kill line is reported
 * as it stands), and the scanner is freed. */
static void scanner_finish(struct scanner *s)
{
	join_flush(s->j);
	report_finish(s->a);
	s->stats->lines = s->lineno - s->lines_before;
	join_free(s->j);
	story_free(s->story);
	report_asm_free(s->a);
	fmt_release(&s->fmt);
	wrap_release(&s->w);
}

/*
 * The block [buf, buf + *have) holds new bytes after those kept from the
 * last: scan its complete lines.  Returns where the bytes to keep start
 * (the last *have of the block, *have set), and *skipping when the rest
 * of an over-long line is to be skipped.
 */
static const char *scan_block(struct scanner *s, char *buf, size_t *have,
			      int *skipping)
{
	const char *last_nl, *start = buf;

	s->counted = s->buf = buf;
	s->buf_off = s->stats->bytes - *have;
	/* the line at the block start follows a newline lineno_at counted
	 * at the end of the last block, unchecked */
	if (!*skipping && buf[0] == '-')
		boot_marker(s, buf, buf + *have);
	if (*skipping) {
		const char *nl = memchr(buf, '\n', *have);

		if (!nl) {
			*have = 0;
			return buf;
		}
		s->lineno++;
		start = nl + 1;
		*skipping = 0;
		s->counted = start;
	}
	last_nl = memrchr(start, '\n', *have - (size_t)(start - buf));
	if (last_nl) {
		const char *stop = scan_lines(s, start, last_nl + 1, 0);

		lineno_at(s, stop);
		start = stop;
	}
	*have -= (size_t)(start - buf);
	if (*have > MAX_LINE_LEN)
		*skipping = cut_long_line(s, buf, &start, have);
	return start;
}

int scan_stream_at(struct classifier *c, const struct scan_reader *rd,
		   int64_t ref_time, uint64_t lines_before,
		   const struct report_sink *sink, struct scan_stats *stats)
{
	struct scanner s;
	size_t size = FIRST_BLOCK_SIZE;
	char *buf = xmalloc(size);
	size_t have = 0;	/* bytes in buf not yet processed */
	int skipping = 0;	/* inside an over-long line's tail */
	int r = 0;

	scanner_init(&s, c, ref_time, lines_before, sink, stats);
	for (;;) {
		ssize_t n;
		const char *start;

		if (size < BLOCK_SIZE && stats->bytes >= size) {
			/* a long input: full blocks from now on */
			size = BLOCK_SIZE;
			buf = xrealloc(buf, size);
		}
		n = rd->read(rd->ctx, buf + have, size - have);
		if (n <= 0) {
			r = (int)n;
			break;
		}
		stats->bytes += (uint64_t)n;
		have += (size_t)n;
		start = scan_block(&s, buf, &have, &skipping);
		memmove(buf, start, have);
	}
	if (have && !skipping && r == 0)
		scan_last_line(&s, buf, have);
	scanner_finish(&s);
	free(buf);
	return r;
}

int scan_map_at(struct classifier *c, const struct scan_map *m,
		int64_t ref_time, uint64_t lines_before,
		const struct report_sink *sink, struct scan_stats *stats)
{
	struct scanner s;
	struct prefilter pf;
	size_t size = FIRST_BLOCK_SIZE;
	uint64_t pos = 0;	/* of the next byte not yet in a block */
	size_t have = 0;	/* the block's bytes kept: [pos - have, pos) */
	char *last = NULL;	/* a copy of the last line */
	int skipping = 0;
	int r = 0;

	scanner_init(&s, c, ref_time, lines_before, sink, stats);
	prefilter_init(&pf, &s.anchors, m->data, m->len, m->threads);
	s.pf = &pf;
	/* the blocks of scan_stream_at(), without the copies: the block is
	 * where its bytes lie, the bytes kept the head of the next */
	for (;;) {
		char *buf = m->data + pos - have;
		size_t n = size - have;

		if (size < BLOCK_SIZE && stats->bytes >= size) {
			size = BLOCK_SIZE;
			n = size - have;
		}
		if (n > m->len - pos)
			n = (size_t)(m->len - pos);
		if (n == 0)
			break;
		if (m->step && (r = m->step(m->ctx, pos + n, pos - have)) < 0)
			break;
		prefilter_extend(&pf, pos + n, pos - have);
		pos += n;
		stats->bytes += n;
		have += n;
		scan_block(&s, buf, &have, &skipping);
	}
	if (have && !skipping && r == 0) {
		/* the last line may lack its newline, and there is no room
		 * after the mapping for one */
		last = xmalloc(have + 1);
		memcpy(last, m->data + pos - have, have);
	}
	/* a last look, after the last byte was read from the mapping: the
	 * bytes may have changed under the scan */
	if (r == 0 && m->step)
		r = m->step(m->ctx, pos, pos - have);
	if (last && r == 0)
		scan_last_line(&s, last, have);
	free(last);
	scanner_finish(&s);
	prefilter_free(&pf);
	return r;
}
