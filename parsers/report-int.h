/* report-int.h: between the assembler and its table parsers. */
#ifndef OOMLENS_REPORT_INT_H
#define OOMLENS_REPORT_INT_H

#include <stddef.h>

#include "oom.h"

struct log_line;
struct line_class;

/* The header's column names (between "rss" and "name") -> layout. */
enum task_layout report_layout_from_header(const char *cols, size_t n);

/* One task-dump row in r's layout, appended to r->tasks.  Returns -1 when
 * the row does not fit the layout (nothing is appended), 0 otherwise. */
int report_task_row(struct oom_report *r, const struct log_line *ll,
		    const struct line_class *lc);

/* A line of the Mem-Info block (counters, zones, buddy lists, hugepages,
 * page counts, swap totals) into r's memory fields. */
void report_meminfo_line(struct oom_report *r, const struct line_class *lc);

#endif
