/* scan.c: block reading, line splitting and the idle-time prefilter. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "fmt.h"
#include "oomlens.h"
#include "report.h"
#include "scan.h"
#include "xalloc.h"

#define BLOCK_SIZE (1024 * 1024)

/*
 * A line can only open a report, or belong to one already closed, if it
 * holds one of these: "oom" covers "invoked oom-killer", "oom-kill:" and
 * "oom_reaper:"; the kill lines survive rate limiting without a header;
 * journalctl's boot markers carry the boot id.
 */
static const char *const anchors[] = {
	"oom", "Killed process", "ill process", "-- Boot ",
};
#define N_ANCHORS (sizeof(anchors) / sizeof(anchors[0]))

struct scanner {
	struct classifier *c;
	struct report_asm *a;
	struct fmt_ctx fmt;
	struct scan_stats *stats;
	uint64_t lineno;	/* lines before `counted` */
	const char *counted;	/* newlines before this are in lineno */
	const char *next[N_ANCHORS];	/* next hit per anchor, or NULL */
};

/* Newlines in [p, p + n): eight bytes at a time. */
static uint64_t count_newlines(const char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, nl = ones * '\n';
	uint64_t count = 0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		w ^= nl;	/* newline bytes become zero */
		w = ~(((w & 0x7f7f7f7f7f7f7f7full) + 0x7f7f7f7f7f7f7f7full) | w) &
		    0x8080808080808080ull;
		count += (uint64_t)__builtin_popcountll(w);
	}
	for (; i < n; i++)
		count += p[i] == '\n';
	return count;
}

/* Line number of the line starting at p (p >= s->counted). */
static uint64_t lineno_at(struct scanner *s, const char *p)
{
	s->lineno += count_newlines(s->counted, (size_t)(p - s->counted));
	s->counted = p;
	return s->lineno + 1;
}

static void feed_line(struct scanner *s, const char *line, size_t len)
{
	struct log_line ll;
	struct line_class lc;

	if (len && line[len - 1] == '\r')
		len--;
	fmt_parse(&s->fmt, line, len, lineno_at(s, line), &ll);
	if (ll.kernel)
		classify_line(s->c, ll.body, ll.body_len, &lc);
	else
		lc = (struct line_class){ .kind = LINE_NONE, .pattern = -1 };
	report_feed(s->a, &ll, &lc);
}

/* Process the complete lines in [p, end); end is just past a newline. */
static void scan_lines(struct scanner *s, const char *p, const char *end)
{
	for (size_t k = 0; k < N_ANCHORS; k++)
		s->next[k] = NULL;

	while (p < end) {
		const char *nl, *cand = NULL;

		if (!report_asm_active(s->a)) {
			/* idle: jump to the next line holding an anchor */
			for (size_t k = 0; k < N_ANCHORS; k++) {
				/* NULL: not searched yet; end: no more hits */
				if (!s->next[k] || s->next[k] < p) {
					s->next[k] = memmem(p, (size_t)(end - p),
							    anchors[k],
							    strlen(anchors[k]));
					if (!s->next[k])
						s->next[k] = end;
				}
				if (s->next[k] < end && (!cand || s->next[k] < cand))
					cand = s->next[k];
			}
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
	s.a = report_asm_new(sink);
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
	report_finish(s.a);
	stats->lines = s.lineno;
	report_asm_free(s.a);
	free(buf);
	return r;
}
