/*
 * join.h: physical lines -> the kernel's logical lines, classified, into
 * the assembler.
 *
 * Between the containers (fmt.h) and the assembler (report.h):
 *  - a body holding several lines of one record (/dev/kmsg "\x0a",
 *    rsyslog "#012") is split into its lines;
 *  - a line the kernel built from KERN_CONT pieces that reached the log as
 *    separate records (reference §5.2) is put back together: a piece joins
 *    the line start it continues (kmsg flag '+', or by its shape), even
 *    when a few lines of other CPUs came in between;
 *  - a line that a terminal, fold(1) or a mail program wrapped is joined
 *    back (by the scanner, wrap.h): unprefixed pieces after a prefixed
 *    line that was long, or that the piece's first word would have
 *    overflowed; in bare text, pieces that make a known line; flagged as
 *    a guess (LL_JOINED).
 * To do that it holds at most one line back until it knows the line is
 * whole.  While it holds one, the scanner must feed it every line.
 */
#ifndef OOMLENS_JOIN_H
#define OOMLENS_JOIN_H

struct classifier;
struct report_asm;
struct log_line;
struct joiner;

struct joiner *join_new(struct classifier *c, struct report_asm *a);
void join_free(struct joiner *j);

/* Feed one physical line, as fmt_parse() read it. */
void join_line(struct joiner *j, const struct log_line *ll);

/* A line is held back: every following line must be fed. */
int join_busy(const struct joiner *j);

/* Deliver the line held back (end of input, a new boot). */
void join_flush(struct joiner *j);

#endif
