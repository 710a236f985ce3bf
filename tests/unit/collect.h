/*
 * collect.h: what the parser tests share: text from memory as a scan
 * reader, and a sink that keeps the reports it is handed.
 */
#ifndef OOMLENS_COLLECT_H
#define OOMLENS_COLLECT_H

#include <string.h>
#include <sys/types.h>

#include "classify.h"
#include "oom.h"
#include "report.h"
#include "scan.h"

#define MAX_REPORTS 64

struct got {
	struct oom_report *r[MAX_REPORTS];
	size_t n;
	unsigned warnings;
};

static inline void got_emit(void *ctx, struct oom_report *r)
{
	struct got *g = ctx;

	if (g->n < MAX_REPORTS)
		g->r[g->n++] = r;
	else
		oom_report_free(r);
}

static inline void got_warn(void *ctx, uint64_t line, const char *msg)
{
	(void)line;
	(void)msg;
	((struct got *)ctx)->warnings++;
}

static inline void got_free(struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		oom_report_free(g->r[i]);
	g->n = 0;
}

struct mem {
	const char *p;
	size_t left, chunk;
};

/* Hands out at most `chunk` bytes per read (0: no limit), to cross the
 * scanner's block edges. */
static inline ssize_t mem_read(void *ctx, void *buf, size_t n)
{
	struct mem *m = ctx;

	if (n > m->left)
		n = m->left;
	if (m->chunk && n > m->chunk)
		n = m->chunk;
	memcpy(buf, m->p, n);
	m->p += n;
	m->left -= n;
	return (ssize_t)n;
}

/* Scan len bytes of text, read chunk bytes at a time, into *g (reset). */
static inline void got_scan(struct classifier *cls, const char *text,
			    size_t len, size_t chunk, int64_t ref,
			    struct got *g)
{
	struct mem m = { text, len, chunk };
	struct scan_reader rd = { mem_read, &m };
	struct report_sink sink = { got_emit, got_warn, g, NULL };
	struct scan_stats st;

	memset(g, 0, sizeof(*g));
	scan_stream(cls, &rd, ref, &sink, &st);
}

#endif
