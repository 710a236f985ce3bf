/*
 * show-tasks.h: the task dump of `oomlens show`, largest rss first: each
 * task's memory, oom_score_adj and share of the points the kernel
 * compared (a bar), as a table fitted to the terminal (table.h).
 */
#ifndef OOMLENS_SHOW_TASKS_H
#define OOMLENS_SHOW_TASKS_H

#include <stddef.h>
#include <stdio.h>

struct oom_report;

/* The table after its heading line on out; cf: chart_detect() flags,
 * width: the terminal's (0 unlimited). */
void show_tasks(FILE *out, const struct oom_report *r, unsigned cf,
		size_t width);

#endif
