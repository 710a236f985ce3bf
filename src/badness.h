/*
 * badness.h: what the kernel computed when it chose its victim, rebuilt
 * from the report (reference §3).  Only what the report supports is
 * filled; the rest stays unknown.
 */
#ifndef OOMLENS_BADNESS_H
#define OOMLENS_BADNESS_H

struct oom_report;

/*
 * totalpages, the denominator of the badness and the unit of
 * oom_score_adj (§3.6).  Derived for global OOMs (constraint none) from
 * "pages RAM" - "pages reserved" + "Total swap" / page size, when all
 * four are printed.  Returns 1 when r->totalpages was set.
 */
int badness_totalpages(struct oom_report *r);

#endif
