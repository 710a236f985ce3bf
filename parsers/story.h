/*
 * story.h: what userspace said around an OOM kill (reference §4.7).
 *
 * systemd tells which unit a kernel kill hit and that the unit failed;
 * systemd-oomd, earlyoom and nohang kill on their own, with no kernel
 * report at all; containerd and the kubelet say which container or pod
 * it was.  Each such log line becomes one struct story_event.  A
 * userspace line that imitates a kernel OOM line (`logger -t kernel`, or
 * any program printing "Killed process ...") is a story event too, of
 * kind STORY_FORGED, so that it is recorded as what it is and never read
 * as a kernel report.
 *
 * The scanner (scan.c) hands every userspace line its prefilter lets
 * through to story_line(); the patterns are the tagged entries of the
 * one pattern table (patterns.c).
 */
#ifndef OOMLENS_STORY_H
#define OOMLENS_STORY_H

#include <stddef.h>
#include <stdint.h>

#include "story-event.h"

struct classifier;
struct log_line;
struct oom_report;


/* Per-input state: nohang prints its victim in lines before the kill. */
struct story_ctx;

struct story_ctx *story_new(struct classifier *c);
void story_free(struct story_ctx *s);

/*
 * Look at one line that is not from the kernel.  Returns a new story
 * event (the caller owns it) or NULL; a line may hold more (rsyslog's
 * "#012" keeps a multi-line message on one line): story_next() hands
 * them out, then NULL.  Lines without a syslog tag are only looked at as
 * continuations of the record before them.
 */
struct story_event *story_line(struct story_ctx *s, const struct log_line *ll);
struct story_event *story_next(struct story_ctx *s);

/* Whether the next lines must be shown to story_line() although no
 * prefilter anchor is in them (nohang's victim block is being read). */
int story_busy(const struct story_ctx *s);

/*
 * A userspace kill as an event: the killer, host, time and victim (pid,
 * comm, uid, adj, or the cgroup for systemd-oomd).  NULL for a story
 * event that is not a kill.  Nothing else is known, and nothing else is
 * set.
 */
struct oom_report *story_kill_report(const struct story_event *e);

#endif
