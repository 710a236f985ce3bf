/*
 * picture.h: the memory pictures of one report, for show and why: what
 * the OOM killer shared out stacked against totalpages, a memory cgroup's
 * usage against its limit, each zone's free memory against its min
 * watermark.  Lines start with a 10-column label, as show prints them.
 */
#ifndef OOMLENS_PICTURE_H
#define OOMLENS_PICTURE_H

#include <stdint.h>
#include <stdio.h>

struct buf;
struct oom_report;
struct oom_zone;

/* Width of the memory and zone pictures (picture_width(): less on a
 * terminal too narrow for it), of the task bars. */
#define PICTURE_WIDTH 50
#define TASK_BAR_WIDTH 10

/* Make the pictures fit lines of cols columns (0: no limit), their label
 * and ends included. */
void picture_fit(size_t cols);
int picture_width(void);

/* "%-10s ": the label column. */
void picture_label(FILE *out, const char *l);
/* Write b out and empty it. */
void picture_put(FILE *out, struct buf *b);
/* A page count as a size when the page size is known, else "N pages". */
void picture_size_pages(char *buf, size_t n, const struct oom_report *r,
			uint64_t pages);

/* Stacked against totalpages, with a legend; nothing for a memcg OOM or
 * without the counters.  cf: chart_detect() flags. */
void picture_memory(FILE *out, const struct oom_report *r, unsigned cf);
/* The memory cgroup's usage against its limit; nothing when unlimited or
 * not printed. */
void picture_memcg(FILE *out, const struct oom_report *r, unsigned cf);
/* One zone's free memory against its min watermark. */
void picture_zone(FILE *out, const struct oom_zone *z, unsigned cf);
/* Every zone that printed free and min: a line of figures ("Zones:"
 * labels the first), then its picture_zone(). */
void picture_zones(FILE *out, const struct oom_report *r, unsigned cf);

#endif
