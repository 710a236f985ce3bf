/* show-tasks.c: see show-tasks.h. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "badness.h"
#include "buf.h"
#include "chart.h"
#include "cmd.h"
#include "oom.h"
#include "output.h"
#include "picture.h"
#include "show-tasks.h"
#include "table.h"

static int killed_pid(const struct oom_report *r, int64_t pid)
{
	for (size_t i = 0; i < r->n_kills; i++)
		if (r->kills[i].pid == pid)
			return 1;
	return 0;
}

/* Task indices by rss, largest first, ties in dump order; ctx: the
 * report. */
static int by_rss_desc(const void *pa, const void *pb, void *ctx)
{
	const struct oom_report *r = ctx;
	const struct oom_task *a = &r->tasks[*(const size_t *)pa];
	const struct oom_task *b = &r->tasks[*(const size_t *)pb];

	if (a->rss != b->rss)
		return a->rss < b->rss ? 1 : -1;
	return *(const size_t *)pa < *(const size_t *)pb ? -1 : 1;
}

/*
 * Each task's share of the points of all candidates (what the kernel
 * compared), or of the dump's memory when there are no points.  Negative
 * points and unkillable tasks count 0.
 */
struct shares {
	int by_points;
	double sum;
};

static int64_t share_value(const struct oom_report *r,
			   const struct shares *sh, const struct oom_task *t)
{
	if (!sh->by_points)
		return (int64_t)badness_usage(r, t);
	if (!(t->known & TASK_POINTS))
		return -1;
	if ((t->known & TASK_UNKILLABLE) || t->points < 0)
		return 0;
	return t->points;
}

static void shares_init(const struct oom_report *r, struct shares *sh)
{
	sh->by_points = 0;
	sh->sum = 0;
	for (size_t i = 0; i < r->n_tasks; i++)
		if (r->tasks[i].known & TASK_POINTS)
			sh->by_points = 1;
	for (size_t i = 0; i < r->n_tasks; i++) {
		int64_t v = share_value(r, sh, &r->tasks[i]);

		if (v > 0)
			sh->sum += (double)v;
	}
}

/* "▇▇▇▇▏      26.2%", TASK_BAR_WIDTH + 7 columns, or "-" where the
 * figure would be; its colour is the cell's (libsmartcols measures no
 * escape sequence). */
static void share_cell(struct buf *b, const struct oom_report *r,
		       const struct shares *sh, const struct oom_task *t,
		       unsigned cf)
{
	int64_t v = share_value(r, sh, t);
	double f = v > 0 && sh->sum > 0 ? (double)v / sh->sum : 0;

	buf_reset(b);
	if (v < 0) {
		buf_addf(b, "%*s", TASK_BAR_WIDTH + 7, "-");
		return;
	}
	chart_bar(b, f, TASK_BAR_WIDTH, CHART_PLAIN, cf & ~CHART_COLOR);
	buf_addf(b, " %5.1f%%", 100.0 * f);
}

/*
 * The task dump's columns: at least as wide as they were when padded by
 * hand, two blanks apart; on a narrow terminal the name is cut, and the
 * columns of the highest drop go first.
 */
enum { TK_MARK, TK_PID, TK_UID, TK_RSS, TK_ANON, TK_FILE, TK_SHMEM,
       TK_SWAP, TK_ADJ, TK_SHARE, TK_NAME, TK_COUNT };

static const struct table_col task_cols[TK_COUNT] = {
	[TK_MARK] = { .name = "", .whint = 1, .flags = TABLE_STRICT },
	[TK_PID] = { .name = "PID", .whint = 7,
		     .flags = TABLE_RIGHT | TABLE_STRICT },
	[TK_UID] = { .name = "UID", .whint = 5, .drop = 3,
		     .flags = TABLE_RIGHT | TABLE_STRICT },
	[TK_RSS] = { .name = "RSS", .whint = 9,
		     .flags = TABLE_RIGHT | TABLE_STRICT },
	[TK_ANON] = { .name = "ANON", .whint = 9, .drop = 5,
		      .flags = TABLE_RIGHT | TABLE_STRICT },
	[TK_FILE] = { .name = "FILE", .whint = 9, .drop = 6,
		      .flags = TABLE_RIGHT | TABLE_STRICT },
	[TK_SHMEM] = { .name = "SHMEM", .whint = 9, .drop = 4,
		       .flags = TABLE_RIGHT | TABLE_STRICT },
	[TK_SWAP] = { .name = "SWAP", .whint = 9, .drop = 2,
		      .flags = TABLE_RIGHT | TABLE_STRICT },
	[TK_ADJ] = { .name = "ADJ", .whint = 5,
		     .flags = TABLE_RIGHT | TABLE_STRICT },
	[TK_SHARE] = { .name = "POINTS SHARE", .whint = TASK_BAR_WIDTH + 7,
		       .drop = 1, .flags = TABLE_STRICT },
	[TK_NAME] = { .name = "NAME", .share = 0.3, .flags = TABLE_TRUNC },
};

/* One size of a task: "-" unknown, pages when the page size (pk KiB)
 * is not. */
static void task_size(char *buf, size_t n, uint64_t pk, int known,
		      uint64_t v)
{
	if (!known)
		snprintf(buf, n, "-");
	else if (!pk)
		snprintf(buf, n, "%" PRIu64, v);
	else
		out_size_kb(buf, n, v * pk);
}

static void task_row(struct table *tb, const struct oom_report *r,
		     uint64_t pk, const struct oom_task *t,
		     const struct shares *sh, unsigned cf, struct buf *b)
{
	int killed = killed_pid(r, t->pid);
	char s[32];

	table_add_row(tb);
	/* a blank, not nothing: the column is there when none is killed */
	table_set(tb, TK_MARK, killed ? "*" : " ");
	snprintf(s, sizeof(s), "%" PRId64, t->pid);
	table_set(tb, TK_PID, s);
	if (t->known & TASK_UID)
		snprintf(s, sizeof(s), "%" PRId64, t->uid);
	table_set(tb, TK_UID, t->known & TASK_UID ? s : "-");
	task_size(s, sizeof(s), pk, t->known & TASK_RSS, t->rss);
	table_set(tb, TK_RSS, s);
	task_size(s, sizeof(s), pk, t->known & TASK_RSS_SPLIT, t->rss_anon);
	table_set(tb, TK_ANON, s);
	task_size(s, sizeof(s), pk, t->known & TASK_RSS_SPLIT, t->rss_file);
	table_set(tb, TK_FILE, s);
	task_size(s, sizeof(s), pk, t->known & TASK_RSS_SPLIT, t->rss_shmem);
	table_set(tb, TK_SHMEM, s);
	task_size(s, sizeof(s), pk, t->known & TASK_SWAPENTS, t->swapents);
	table_set(tb, TK_SWAP, s);
	if (t->known & TASK_ADJ)
		snprintf(s, sizeof(s), "%" PRId64, t->oom_score_adj);
	table_set(tb, TK_ADJ, t->known & TASK_ADJ ? s : "-");
	share_cell(b, r, sh, t, cf);
	table_set_escaped(tb, TK_SHARE, b->data);	/* bars and figures */
	if ((cf & CHART_COLOR) && share_value(r, sh, t) >= 0)
		table_set_color(tb, TK_SHARE, killed ? "red" : "blue");
	table_set(tb, TK_NAME, t->name);
}

void show_tasks(FILE *out, const struct oom_report *r, unsigned cf,
		size_t width)
{
	static const size_t sel[TK_COUNT] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
					      10 };
	struct table_col cols[TK_COUNT];
	struct buf b = BUF_INIT;
	struct table *tb;
	size_t *order;
	/* sizes whenever the page size is known: printed (the buddy
	 * lists), inferred, or the kill line's kB against the victim's row
	 * (a memcg OOM prints no Mem-Info), so that a table is in sizes
	 * in every era the report allows it; pages only when nothing says */
	uint64_t pk = badness_page_kb(r);
	int pages = !pk;
	struct shares sh;

	if (!r->n_tasks && r->killer) {
		fputs("\nNo task dump: ", out);
		out_escaped(out, r->killer);
		fputs(" prints none.\n", out);
		return;
	}
	if (!r->n_tasks) {
		fputs(r->flags & REPORT_NO_DUMP
			      ? "\nNo task dump in the log.\n"
			      : "\nThe task dump has no rows.\n", out);
		return;
	}
	order = calloc(r->n_tasks, sizeof(*order));
	if (!order)
		return;
	for (size_t i = 0; i < r->n_tasks; i++)
		order[i] = i;
	qsort_r(order, r->n_tasks, sizeof(*order), by_rss_desc, (void *)r);
	if (pages)
		fprintf(out, "\nTasks (%zu, by rss, in pages; * killed):\n",
			r->n_tasks);
	else if (!mem_has(r, MEM_PAGE_SIZE_KB))
		fprintf(out, "\nTasks (%zu, by rss, sizes from %" PRIu64 " KiB "
			"pages, as the kill line's kB say; * killed):\n",
			r->n_tasks, pk);
	else
		fprintf(out, "\nTasks (%zu, by rss; * killed):\n", r->n_tasks);
	shares_init(r, &sh);
	memcpy(cols, task_cols, sizeof(cols));
	if (!sh.by_points)
		cols[TK_SHARE].name = "USAGE SHARE";
	tb = table_new(cols, sel, TK_COUNT, "  ");
	table_allow_drop(tb);
	for (size_t i = 0; i < r->n_tasks; i++)
		task_row(tb, r, pk, &r->tasks[order[i]], &sh, cf, &b);
	if (table_print(tb, out, width) < 0)
		output_failed();
	table_free(tb);
	buf_release(&b);
	free(order);
}

