/*
 * html-tasks.c: the HTML report's chart of the tasks the kernel weighed
 * (html-int.h): the top ones by points (by memory when the report allows
 * no points), the victim and the culprit always on it, tasks that can
 * never be chosen left out and counted.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "badness.h"
#include "buf.h"
#include "explain.h"
#include "html-int.h"
#include "oom.h"

#define TOP_TASKS 10

static int64_t task_value(const struct oom_report *r,
			  const struct oom_task *t, int by_points)
{
	return by_points ? t->points : (int64_t)badness_usage(r, t);
}

/* Most points first (most memory when there are none); ties in dump
 * order.  ctx: the report. */
static int by_points_desc(const void *pa, const void *pb, void *ctx)
{
	const struct oom_report *r = ctx;
	const struct oom_task *a = *(const struct oom_task *const *)pa;
	const struct oom_task *b = *(const struct oom_task *const *)pb;
	int64_t va = task_value(r, a, (a->known & TASK_POINTS) != 0);
	int64_t vb = task_value(r, b, (b->known & TASK_POINTS) != 0);

	if (va != vb)
		return va < vb ? 1 : -1;
	return a < b ? -1 : 1;
}

/* A task the kernel can never choose (oom_score_adj -1000): no points. */
static int never_chosen(const struct oom_task *t, int by_points)
{
	return by_points && (!(t->known & TASK_POINTS) ||
			     (t->known & TASK_UNKILLABLE));
}

/* The rows of the chart, in *ret (r->n_tasks + 2 slots): the top ones,
 * then the victim and the culprit when they are not among them (last,
 * even one never chosen: a shielded culprit).  *ret_never counts the
 * tasks never chosen left out.  The number of rows, or 0 without memory. */
static size_t chart_rows(const struct oom_report *r, int by_points,
			 const struct oom_task *victim,
			 const struct oom_task *culprit,
			 const struct oom_task ***ret, size_t *ret_never)
{
	const struct oom_task **rows = calloc(r->n_tasks + 2, sizeof(*rows));
	size_t n = 0, shown, never = 0;

	*ret = rows;
	if (!rows)
		return 0;
	/* a task the kernel can never choose (oom_score_adj -1000) has no
	 * points: its memory is not a rank among the others' points */
	for (size_t i = 0; i < r->n_tasks; i++) {
		if (never_chosen(&r->tasks[i], by_points))
			never++;
		else
			rows[n++] = &r->tasks[i];
	}
	qsort_r(rows, n, sizeof(*rows), by_points_desc, (void *)r);
	shown = n < TOP_TASKS ? n : TOP_TASKS;
	for (int k = 0; k < 2; k++) {
		const struct oom_task *t = k ? culprit : victim;
		int there = !t;

		for (size_t i = 0; i < shown && !there; i++)
			there = rows[i] == t;
		if (!there) {
			rows[shown++] = t;
			never -= never_chosen(t, by_points);
		}
	}
	*ret_never = never;
	return shown;
}

/* What the bars measure, and the colours' key. */
static void chart_intro(struct buf *b, const struct oom_report *r,
			int by_points)
{
	if (by_points && r->an.era <= ERA_E1 && r->an.era != ERA_UNKNOWN) {
		/* E0 and E1 have formulas of their own */
		buf_adds(b, "<p>The kernel kills the task with the most points (");
		html_escape(b, explain_formula_short(r->an.era));
		buf_adds(b, ").");
	} else {
		buf_addf(b, "<p>%s", by_points
			 ? "The kernel kills the task with the most points "
			   "(rss + swap + page tables, in pages, plus "
			   "oom_score_adj &#215; totalpages/1000)."
			 : "The report does not allow the points here: the "
			   "tasks by memory used.");
	}
	buf_adds(b, " <span class=\"key\" style=\"background:" RED
		 "\"></span>the victim, <span class=\"key\" style=\""
		 "background:" ORANGE "\"></span>the largest consumer (the "
		 "culprit), <span class=\"key\" style=\"background:" BLUE
		 "\"></span>the others.</p>\n");
}

#define LABEL 260
#define BAR 620
#define ROW 24

/* One task's bar at row i, v its points (or pages), max the longest. */
static void chart_bar(struct buf *b, const struct oom_task *t, size_t i,
		      int64_t max, int by_points, const struct html_page *p)
{
	const struct explain_why *w = p->why;
	const struct oom_task *victim = w ? w->victim : NULL;
	const struct oom_task *culprit = w ? w->culprit : NULL;
	int never_t = never_chosen(t, by_points);
	int64_t v = never_t ? 0 : task_value(p->r, t, by_points);
	double len = v > 0 ? (double)v / (double)max * BAR : 0;
	const char *fill = t == victim ? RED : t == culprit ? ORANGE : BLUE;
	size_t y = i * ROW + 2;

	buf_addf(b, "<text x=\"%d\" y=\"%zu\" text-anchor=\"end\">",
		 LABEL - 8, y + 16);
	html_who(b, t->name, t->pid);
	if (t == victim)
		buf_adds(b, " &#8212; killed");
	else if (t == culprit)
		buf_adds(b, " &#8212; culprit");
	buf_addf(b, "</text><rect x=\"%d\" y=\"%zu\" width=\"%.1f\" "
		 "height=\"%d\" fill=\"%s\"><title>", LABEL, y, len,
		 ROW - 6, fill);
	html_escape(b, t->name);
	if (never_t)
		buf_adds(b, ": never chosen, no points");
	else
		buf_addf(b, ": %" PRId64 " %s", v,
			 by_points ? "points" : "pages");
	if (t->known & TASK_ADJ)
		buf_addf(b, ", oom_score_adj %" PRId64, t->oom_score_adj);
	buf_addf(b, "</title></rect><text x=\"%.1f\" y=\"%zu\">",
		 LABEL + len + 6, y + 16);
	if (never_t)
		buf_adds(b, "never chosen (oom_score_adj -1000)");
	else
		buf_addf(b, "%" PRId64, v);
	buf_adds(b, "</text>\n");
}

void html_tasks_chart(struct buf *b, const struct html_page *p)
{
	const struct oom_report *r = p->r;
	const struct explain_why *w = p->why;
	const struct oom_task **rows;
	size_t shown, never = 0;
	int by_points = 0;
	int64_t max = 1;

	buf_adds(b, "<section id=\"tasks\"><h2>Top tasks by points</h2>\n");
	if (!r->n_tasks) {
		buf_adds(b, "<p>");
		if (r->killer) {
			html_escape(b, r->killer);
			buf_adds(b, " prints no task dump.");
		} else {
			buf_adds(b, "The report has no task dump.");
		}
		buf_adds(b, "</p></section>\n");
		return;
	}
	for (size_t i = 0; i < r->n_tasks; i++)
		by_points |= (r->tasks[i].known & TASK_POINTS) != 0;
	shown = chart_rows(r, by_points, w ? w->victim : NULL,
			   w ? w->culprit : NULL, &rows, &never);
	if (!rows) {
		buf_adds(b, "</section>\n");
		return;
	}
	for (size_t i = 0; i < shown; i++) {
		int64_t v = never_chosen(rows[i], by_points)
				    ? 0 : task_value(r, rows[i], by_points);

		max = v > max ? v : max;
	}
	chart_intro(b, r, by_points);
	buf_addf(b, "<svg id=\"tasks-chart\" width=\"%d\" height=\"%zu\" "
		 "viewBox=\"0 0 %d %zu\" role=\"img\"><title>"
		 "Tasks by points</title>\n", LABEL + BAR + 110, shown * ROW + 4,
		 LABEL + BAR + 110, shown * ROW + 4);
	for (size_t i = 0; i < shown; i++)
		chart_bar(b, rows[i], i, max, by_points, p);
	buf_adds(b, "</svg>\n");
	if (w && w->culprit == w->victim && w->victim)
		buf_adds(b, "<p>The victim was also the largest consumer.</p>\n");
	if (never)
		buf_addf(b, "<p>Not shown: %zu task%s with oom_score_adj -1000, "
			 "which the kernel never chooses.</p>\n", never,
			 never == 1 ? "" : "s");
	buf_adds(b, "</section>\n");
	free(rows);
}
