/*
 * report.h: the one OOM report assembler, fed by every container format.
 *
 * It is fed classified lines and hands out whole struct oom_reports.  A
 * report opens on its "invoked oom-killer" header (or on a kill line whose
 * header was rate limited away), takes the lines that belong to it in any
 * order, tolerates foreign lines from other CPUs in between, and closes
 * after its kill lines, on the next header, or at the end of input: cut
 * reports are kept and flagged, never dropped.  Closed reports are held
 * back (the last few) so that a late "oom_reaper:" line can still be
 * attached to its kill.  Several reports may be open at once when they
 * may be printing at the same time (pre-4.6 kernels); see report.c.
 */
#ifndef OOMLENS_REPORT_H
#define OOMLENS_REPORT_H

#include <stdint.h>

struct oom_report;
struct log_line;
struct line_class;
struct report_asm;

struct story_event;

struct report_sink {
	/* A finished report; the callee owns it. */
	void (*emit)(void *ctx, struct oom_report *r);
	/* A line that looked like part of a report but could not be used. */
	void (*warn)(void *ctx, uint64_t lineno, const char *msg);
	void *ctx;
	/* A userspace line about an OOM (story.h); the callee owns it.
	 * NULL: such lines are dropped. */
	void (*story)(void *ctx, struct story_event *e);
};

struct report_asm *report_asm_new(const struct report_sink *sink);
void report_asm_free(struct report_asm *a);

/* Whether a report is open: then every line must be fed, not only the
 * lines the prefilter picks. */
int report_asm_active(const struct report_asm *a);

/* Whether every open report has its kill line: the lines still to come
 * can only add to it (more kills of memory.oom.group, the reaper), so a
 * later read may start here (scan.h, safe_bytes). */
int report_asm_settled(const struct report_asm *a);

/* Feed one physical line.  lc must come from classifying ll->body (or be
 * LINE_NONE for lines that are not kernel messages). */
void report_feed(struct report_asm *a, const struct log_line *ll,
		 const struct line_class *lc);

/* End of input: close what is open (flagged cut) and emit everything. */
void report_finish(struct report_asm *a);

#endif
