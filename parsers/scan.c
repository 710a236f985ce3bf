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
#include "xalloc.h"

#define BLOCK_SIZE (1024 * 1024)

/*
 * A line can only open a report, or belong to one already closed, if it
 * holds one of these: the header, the kill lines (they survive rate
 * limiting without a header: "Killed process", "Kill process", 2.6.32's
 * "kill process"), the reaper, and the task-dump title, where a report
 * whose start the ring buffer lost begins ("tgid total_vm" is in every
 * layout's title).  The shortest is 12 bytes, which lets the search jump
 * up to 11 bytes at a time.
 */
static const char *const anchors[] = {
	" invoked oom-killer: ", "Killed process ", "ill process ",
	"oom_reaper: ", "tgid total_vm",
};
/* journalctl's boot markers carry the boot id; they start a line, so the
 * newline count looks at each line's first byte for them. */
#define BOOT_MARKER "-- Boot "
#define N_ANCHORS (sizeof(anchors) / sizeof(anchors[0]))

struct scanner {
	struct classifier *c;
	struct report_asm *a;
	struct joiner *j;
	struct fmt_ctx fmt;
	struct scan_stats *stats;
	uint64_t lineno;	/* lines before `counted` */
	const char *counted;	/* newlines before this are in lineno */
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

/*
 * Line number of the line starting at p (p >= s->counted): count the
 * newlines skipped since the last call.  glibc's memchr is vectorised;
 * with lines of ~100 bytes it beats hand-written SWAR and vector loops.
 */
static uint64_t lineno_at(struct scanner *s, const char *p)
{
	const char *q = s->counted;

	while ((q = memchr(q, '\n', (size_t)(p - q))) != NULL) {
		s->lineno++;
		if (++q < p && *q == '-')
			boot_marker(s, q, p);
	}
	s->counted = p;
	return s->lineno + 1;
}

static void feed_line(struct scanner *s, const char *line, size_t len)
{
	struct log_line ll;

	if (len && line[len - 1] == '\r')
		len--;
	fmt_parse(&s->fmt, line, len, lineno_at(s, line), &ll);
	join_line(s->j, &ll);
}

/* Process the complete lines in [p, end); end is just past a newline. */
static void scan_lines(struct scanner *s, const char *p, const char *end)
{
	while (p < end) {
		const char *nl, *cand;

		if (!report_asm_active(s->a) && !join_busy(s->j)) {
			/* idle: jump to the next line holding an anchor */
			cand = anchor_find(&s->anchors, p, (size_t)(end - p));
			if (!cand)
				return;
			s->stats->candidates++;
			while (cand > p && cand[-1] != '\n')
				cand--;
			p = cand;
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		feed_line(s, p, (size_t)(nl - p));
		p = nl + 1;
	}
}

int scan_stream(struct classifier *c, const struct scan_reader *rd,
		int64_t ref_time, const struct report_sink *sink,
		struct scan_stats *stats)
{
	struct scanner s = { .c = c, .stats = stats };

	char *buf = xmalloc(BLOCK_SIZE);
	size_t have = 0;	/* bytes in buf not yet processed */
	int skipping = 0;	/* inside an over-long line's tail */
	int r = 0;

	memset(stats, 0, sizeof(*stats));
	fmt_init(&s.fmt, ref_time);
	anchor_init(&s.anchors, anchors, N_ANCHORS);
	s.a = report_asm_new(sink);
	s.j = join_new(c, s.a);
	for (;;) {
		ssize_t n = rd->read(rd->ctx, buf + have, BLOCK_SIZE - have);
		const char *last_nl, *start = buf;

		if (n < 0) {
			r = (int)n;
			break;
		}
		if (n == 0)
			break;
		stats->bytes += (uint64_t)n;
		have += (size_t)n;
		s.counted = buf;
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
			scan_lines(&s, start, last_nl + 1);
			lineno_at(&s, last_nl + 1);
			start = last_nl + 1;
		}
		have -= (size_t)(start - buf);
		if (have > MAX_LINE_LEN) {
			/* keep the head of an endless line, drop the rest */
			s.counted = start;
			stats->long_lines++;
			feed_line(&s, start, MAX_LINE_LEN);
			have = 0;
			skipping = 1;
			continue;
		}
		memmove(buf, start, have);
	}
	if (have && !skipping && r == 0) {
		s.counted = buf;
		feed_line(&s, buf, have);
		s.lineno++;
	}
	join_flush(s.j);
	report_finish(s.a);
	stats->lines = s.lineno;
	join_free(s.j);
	report_asm_free(s.a);
	fmt_release(&s.fmt);
	free(buf);
	return r;
}
