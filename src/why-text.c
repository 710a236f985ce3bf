/*
 * why-text.c: why's answer as text, one kill: when and where, the
 * kernel's arithmetic for the victim against the runner-up, who really
 * ate the memory, where it went, the pictures, and the setting that would
 * have saved the victim (cmd-why.c finds the kills and writes the JSON).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "badness.h"
#include "buf.h"
#include "cmd.h"
#include "chart.h"
#include "diagnosis.h"
#include "explain.h"
#include "oom.h"
#include "oomlens.h"
#include "output-formats.h"
#include "output.h"
#include "picture.h"
#include "snapshot.h"
#include "store.h"
#include "story-event.h"
#include "table.h"
#include "timefmt.h"
#include "why-text.h"
#include "workload.h"

static void sz(char *buf, size_t n, uint64_t kb)
{
	out_size_kb(buf, n, kb);
}

/* "pytest (pid 3456)" */
static void who(FILE *out, const struct oom_task *t)
{
	out_escaped(out, t->name);
	fprintf(out, " (pid %" PRId64 ")", t->pid);
}

static void points_line(FILE *out, const struct explain_why *w,
			const struct oom_task *t, const char *label)
{
	fputs("    ", out);
	text_pad(out, label, 10);
	fputc(' ', out);
	who(out, t);
	fprintf(out, ": %" PRId64 " points", t->points);
	if (w->r->totalpages)
		fprintf(out, ", using %.1f%% of memory",
			100.0 * (double)badness_usage(w->r, t) /
				(double)w->r->totalpages);
	fputs("\n               = ", out);
	{
		struct buf b = BUF_INIT;

		explain_decomposition(&b, w, t);
		fputs(b.data, out);
		buf_release(&b);
	}
	fputc('\n', out);
}

/* What the kernel searched, and whether the report said so. */
static void why_scope(FILE *out, const struct explain_why *w)
{
	const struct oom_report *r = w->r;
	const struct memcg_usage *m = &r->memcg[MEMCG_MEMORY];
	enum oom_scope scope = oom_report_scope(r);
	char a[32];

	if (scope == SCOPE_UNKNOWN)
		return;
	fputs("  Scope: ", out);
	if (scope == SCOPE_MEMCG) {
		fputs("the memory cgroup ", out);
		out_escaped(out, r->oom_memcg ? r->oom_memcg : "(not printed)");
		if (m->known && m->limit_kb < MEMCG_UNLIMITED_KB) {
			sz(a, sizeof(a), m->limit_kb);
			fprintf(out, " hit its limit of %s", a);
		}
		fputs("; only its tasks were candidates", out);
	} else if (scope == SCOPE_GLOBAL) {
		fputs("global: the whole machine ran out of memory", out);
	} else {
		out_escaped(out, oom_report_constraint(r));
		fputs(" constraint", out);
	}
	if (oom_report_scope_inferred(r))
		fputs(" (inferred: the report prints no constraint)", out);
	fputs(".\n", out);
}

static void header(FILE *out, int64_t id, const struct explain_why *w)
{
	const struct oom_report *r = w->r;
	char when[40];

	out_escaped(out, w->kill->comm);
	fprintf(out, " (pid %" PRId64 ") was killed by ", w->kill->pid);
	if (r->killer) {
		out_escaped(out, r->killer);
		fputs(", a userspace OOM killer: the kernel wrote no report",
		      out);
	} else {
		fputs("the kernel OOM killer", out);
	}
	if (w->kill->reason) {
		fputs(" (", out);
		out_escaped(out, w->kill->reason);
		fputc(')', out);
	}
	out_event_time(r, when, sizeof(when));
	fprintf(out, "\n  at %s", when);
	/* a syslog line has no year: say the one shown is a guess */
	if (r->flags & REPORT_YEAR_GUESSED)
		fputs(" (year guessed)", out);
	fputs(" on ", out);
	out_escaped(out, r->host ? r->host : "an unnamed host");
	fprintf(out, ", event %" PRId64, id);
	if (r->kernel_release) {
		fputs(", kernel ", out);
		out_escaped(out, r->kernel_release);
	}
	fputs(".\n", out);
	why_scope(out, w);
	if (!w->page_assumed && w->page_kb != 4)
		fprintf(out, "  Pages: %" PRIu64 " KiB each (%s); every count "
			"in pages below is in them.\n", w->page_kb,
			r->flags & REPORT_PAGE_SIZE_INFERRED
				? "not printed: the report's kB figures "
				  "against its page counts say so"
				: "from the report");
}

/* text of lines joined by '\n', each after two spaces, no final '\n' */
static void indented(FILE *out, const char *text)
{
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");

		fprintf(out, "  %.*s", (int)n, p);
		p += n;
		if (*p) {
			fputc('\n', out);
			p++;
		}
	}
}

static void why_chosen(FILE *out, const struct explain_why *w)
{
	const struct oom_report *r = w->r;
	const struct oom_task *v = w->victim, *ru = w->runner_up;
	const char *formula;
	char a[32], b[32];

	fputs("\nWhy this task:\n", out);
	if (!v || !(v->known & TASK_POINTS)) {
		fputs(r->flags & REPORT_NO_DUMP
			      ? "  The report has no task dump, so the kernel's "
				"choice cannot be recomputed.\n"
			      : "  The task dump does not allow the kernel's "
				"arithmetic here (see the flags of 'oomlens "
				"show').\n", out);
		return;
	}
	formula = explain_formula(r->an.era);
	indented(out, formula);
	/* what it was computed with: after a short last line, else below */
	fputs(strlen(strrchr(formula, '\n') ? strrchr(formula, '\n') : formula)
		      > 50 ? "\n  " : " ", out);
	if (r->known & RK_TOTALPAGES)
		fprintf(out, "(%s, totalpages %" PRIu64 ", era %s).\n",
			total_source_names[r->an.total_source], r->totalpages,
			era_names[r->an.era]);
	else if (r->an.era == ERA_E0)	/* total_vm needs no totalpages */
		fputs("(era E0).\n", out);
	else
		fprintf(out, "(era %s).  The report does not give "
			"totalpages, but every\n  candidate has the same "
			"oom_score_adj, so ranking by usage is the kernel's.\n",
			era_names[r->an.era]);
	if (explain_formula_note(r->an.era)) {
		indented(out, explain_formula_note(r->an.era));
		fputc('\n', out);
	}
	points_line(out, w, v, "victim");
	if (ru)
		points_line(out, w, ru, "runner-up");
	if (r->known & RK_AGREES) {
		if (r->an.agrees)
			fputs("  The recomputed choice agrees with the kernel's.\n",
			      out);
		else
			fprintf(out, "  The recomputed choice differs from the "
				"kernel's (%s).\n", mismatch_names[r->an.mismatch]);
	}
	if (w->culprit && w->culprit != v) {
		const struct oom_task *c = w->culprit;
		int64_t cadj = c->known & TASK_ADJ ? c->oom_score_adj : 0;

		fputs("  ", out);
		who(out, c);
		sz(a, sizeof(a), w->diag.culprit.private_kb);
		fprintf(out, " held the most private memory: %s%s", a,
			w->diag.culprit.private_estimated ? " (estimated)" : "");
		if (w->diag.victim_private)
			fprintf(out, ", %.1fx the victim's",
				(double)w->diag.culprit.private_kb /
					(double)(w->diag.victim_private *
						 w->page_kb));
		if (cadj < 0 && r->an.era >= ERA_E2) {
			sz(b, sizeof(b), (uint64_t)llabs(badness_adj_term(r, cadj)) *
					 w->page_kb);
			fprintf(out, ",\n  but its oom_score_adj of %" PRId64
				" took %s worth of points off", cadj, b);
		}
		fputs(".\n", out);
	}
	if (w->diag.victim_swap_inferred) {
		sz(a, sizeof(a), w->diag.victim_swap_inferred * w->page_kb);
		fprintf(out, "  The kernel's printed score %" PRId64 " says the "
			"victim held %s more than its row shows\n  (swap and "
			"page tables, which this table does not print).\n",
			r->selected_score, a);
	}
	if (w->has_shmem && w->victim_shmem_kb && v->rss) {
		sz(a, sizeof(a), w->victim_shmem_kb);
		sz(b, sizeof(b), v->rss * w->page_kb);
		fprintf(out, "  %s of the victim's %s rss is shared memory "
			"(shmem, e.g. a database's shared buffers).\n  The "
			"kernel counts it in full for each process that maps it, "
			"which inflates its points,\n  and killing it frees "
			"little of it", a, b);
		if (w->kill->reap == REAP_REAPED && (w->kill->known & KILL_REAPED)) {
			sz(a, sizeof(a), w->kill->reaped_shmem_kb);
			fprintf(out, " (after reaping, shmem-rss was still %s)", a);
		}
		fputs(".\n", out);
	}
}

/* Who grew since the host's last live snapshot (oomlens risk --record). */
static void snapshot_line(FILE *out, const struct snapshot_growth *g)
{
	struct oom_report tmp = { .known = RK_WALL, .wall_us = g->wall_us };
	char when[40], a[32];

	if (!g->name || g->kb <= 0)
		return;
	out_event_time(&tmp, when, sizeof(when));
	out_size_kb(a, sizeof(a), (uint64_t)g->kb);
	fprintf(out, "  Since the snapshot of %s (oomlens risk --record), ", when);
	out_escaped(out, g->name);
	fprintf(out, " grew the most: +%s.\n", a);
}

/* Who ate the memory, a table without heading: the size and the share
 * at least as wide as when they were padded by hand; the task cut (with
 * "…") to the width. */
enum { WA_SIZE, WA_SHARE, WA_TASK };
static const struct table_col who_ate_cols[] = {
	[WA_SIZE] = { .name = "SIZE", .whint = 10,
		      .flags = TABLE_RIGHT | TABLE_STRICT },
	[WA_SHARE] = { .name = "SHARE", .whint = 6,
		       .flags = TABLE_RIGHT | TABLE_STRICT },
	[WA_TASK] = { .name = "TASK", .flags = TABLE_TRUNC },
};

static void who_ate(FILE *out, const struct explain_why *w, size_t width)
{
	const struct oom_report *r = w->r;
	char a[32], when[40];
	/* no share without the memory used */
	size_t sel[] = { WA_SIZE, WA_SHARE, WA_TASK }, skip = !w->used_pages;
	struct table *t;
	struct buf b = BUF_INIT;

	if (!w->n_top)
		return;
	fputs("\nWho ate the memory:\n", out);
	if (skip)
		sel[WA_SHARE] = WA_TASK;
	t = table_new(who_ate_cols, sel, 3 - skip, "  ");
	table_no_headings(t);
	table_indent(t, "  ");
	for (size_t i = 0; i < w->n_top; i++) {
		const struct oom_task *k = w->top[i];
		uint64_t u = badness_usage(r, k);

		table_add_row(t);
		sz(a, sizeof(a), u * w->page_kb);
		table_set(t, WA_SIZE, a);
		if (w->used_pages) {
			snprintf(a, sizeof(a), "%.1f%%",
				 100.0 * (double)u / (double)w->used_pages);
			table_set(t, WA_SHARE, a);
		}
		buf_reset(&b);
		if (k->name)
			out_escape(&b, k->name, strlen(k->name),
				   OUT_ESC_BACKSLASH);
		buf_addf(&b, " (pid %" PRId64 ")", k->pid);
		if (k == w->culprit)
			buf_adds(&b, "  <- culprit");
		if (w->kill && (k->pid == w->kill->pid))
			buf_adds(&b, "  <- killed");
		buf_addch(&b, '\0');
		table_set_escaped(t, WA_TASK, b.data);
	}
	if (table_print(t, out, width) < 0)
		output_failed();
	table_free(t);
	buf_release(&b);
	if (w->has_growth) {
		sz(a, sizeof(a), (uint64_t)w->grew_kb);
		fputs("  Since event ", out);
		fprintf(out, "%" PRId64, w->prev_event_id);
		if (w->prev_has_wall) {
			struct oom_report tmp = { .known = RK_WALL,
						  .wall_us = w->prev_wall_us };

			out_event_time(&tmp, when, sizeof(when));
			fprintf(out, " (%s)", when);
		}
		fputs(", ", out);
		out_escaped(out, w->grew_name);
		fprintf(out, " grew the most: +%s.\n", a);
	}
}

static void where_it_went(FILE *out, const struct explain_why *w)
{
	const struct oom_report *r = w->r;
	const struct memcg_usage *m = &r->memcg[MEMCG_MEMORY];
	char a[32], b[32];
	int any = 0;

	fputs("\nWhere the memory went:\n", out);
	if (mem_has(r, MEM_ACTIVE_ANON) && mem_has(r, MEM_INACTIVE_ANON)) {
		uint64_t anon = r->mem[MEM_ACTIVE_ANON] + r->mem[MEM_INACTIVE_ANON];

		sz(a, sizeof(a), anon * w->page_kb);
		fprintf(out, "  anon %s", a);
		if (mem_has(r, MEM_ACTIVE_FILE) && mem_has(r, MEM_INACTIVE_FILE)) {
			sz(a, sizeof(a), (r->mem[MEM_ACTIVE_FILE] +
					  r->mem[MEM_INACTIVE_FILE]) * w->page_kb);
			fprintf(out, ", file %s", a);
		}
		if (mem_has(r, MEM_SHMEM)) {
			sz(a, sizeof(a), r->mem[MEM_SHMEM] * w->page_kb);
			fprintf(out, ", shmem %s", a);
		}
		if (mem_has(r, MEM_PAGETABLES)) {
			sz(a, sizeof(a), r->mem[MEM_PAGETABLES] * w->page_kb);
			fprintf(out, ", page tables %s", a);
		}
		if (mem_has(r, MEM_SLAB_RECLAIMABLE) &&
		    mem_has(r, MEM_SLAB_UNRECLAIMABLE)) {
			sz(a, sizeof(a), (r->mem[MEM_SLAB_RECLAIMABLE] +
					  r->mem[MEM_SLAB_UNRECLAIMABLE]) *
						 w->page_kb);
			sz(b, sizeof(b), r->mem[MEM_SLAB_UNRECLAIMABLE] * w->page_kb);
			fprintf(out, ", slab %s (%s unreclaimable)", a, b);
		}
		fputc('\n', out);
		any = 1;
	}
	if (mem_has(r, MEM_HUGEPAGES_KB) && r->mem[MEM_HUGEPAGES_KB]) {
		sz(a, sizeof(a), r->mem[MEM_HUGEPAGES_KB]);
		fprintf(out, "  huge pages reserved %s (not in any task's rss)\n", a);
		any = 1;
	}
	if (mem_has(r, MEM_FREE)) {
		sz(a, sizeof(a), r->mem[MEM_FREE] * w->page_kb);
		fprintf(out, "  free %s", a);
		for (size_t i = 0; i < r->n_zones; i++) {
			const struct oom_zone *z = &r->zones[i];

			if ((z->known & 3) == 3 &&
			    z->values[ZONE_FREE] < z->values[ZONE_MIN]) {
				sz(a, sizeof(a), z->values[ZONE_FREE]);
				sz(b, sizeof(b), z->values[ZONE_MIN]);
				fprintf(out, "; zone %s: %s free, below its min "
					"watermark %s", z->name, a, b);
			}
		}
		fputc('\n', out);
		any = 1;
	}
	if (mem_has(r, MEM_TOTAL_SWAP_KB)) {
		if (r->mem[MEM_TOTAL_SWAP_KB] == 0) {
			fputs("  no swap\n", out);
		} else if (mem_has(r, MEM_FREE_SWAP_KB)) {
			sz(a, sizeof(a), r->mem[MEM_TOTAL_SWAP_KB] -
						 r->mem[MEM_FREE_SWAP_KB]);
			sz(b, sizeof(b), r->mem[MEM_TOTAL_SWAP_KB]);
			fprintf(out, "  swap %s used of %s%s\n", a, b,
				oom_swap_exhausted(r) ? " (exhausted)" : "");
		}
		any = 1;
	}
	if (m->known) {
		sz(a, sizeof(a), m->usage_kb);
		if (m->limit_kb >= MEMCG_UNLIMITED_KB)
			snprintf(b, sizeof(b), "no limit");
		else
			sz(b, sizeof(b), m->limit_kb);
		fprintf(out, "  cgroup usage %s of %s (failcnt %" PRIu64 ")\n",
			a, b, m->failcnt);
		any = 1;
	}
	if (!any)
		fputs("  the report prints no memory summary\n", out);
}

static void verdict(FILE *out, const struct explain_why *w)
{
	char line[512];

	out_diag_verdict(&w->diag, w->r, w->kill, line, sizeof(line));
	fputs("Verdict (", out);
	fputs(diag_kind_name(w->diag.kind), out);
	fputs("): ", out);
	out_escaped(out, line);
	fputs("\n\n", out);
}

/* The settings the diagnosis decided on, as they are written. */
static void advice(FILE *out, const struct explain_why *w)
{
	const struct diagnosis *d = &w->diag;

	fputs("\nWhat would have saved it:\n", out);
	for (size_t i = 0; i < d->n_advice; i++) {
		const struct diag_advice *a = &d->advice[i];

		fprintf(out, "  %zu. ", i + 1);
		out_escaped(out, a->setting);
		fputc('=', out);
		out_escaped(out, a->value);
		fputs(" for ", out);
		out_escaped(out, a->target);
		fputs("\n     ", out);
		out_escaped(out, a->why);
		fputs(".\n", out);
	}
	if (!d->n_advice)
		fputs("  The report does not give enough to compute a setting.\n",
		      out);
}

/* What a person knows the victim as: its unit, container, pod. */
static void workload_line(FILE *out, const struct oom_report *r)
{
	struct workload w;
	const char *sep = "  Workload: ";

	if (!workload_from_cgroup(out_victim_cgroup(r), &w))
		return;
	if (w.unit[0]) {
		fputs(sep, out);
		fputs("unit ", out);
		out_escaped(out, w.unit);
		sep = ", ";
	}
	if (w.container_id[0]) {
		fprintf(out, "%scontainer %.12s", sep, w.container_id);
		if (w.runtime)
			fprintf(out, " (%s)", w.runtime);
		sep = ", ";
	}
	if (w.pod_uid[0]) {
		fprintf(out, "%sKubernetes pod %s (QoS %s)", sep, w.pod_uid,
			w.qos);
		sep = ", ";
	}
	if (w.uid >= 0 && !w.container_id[0]) {
		fprintf(out, "%suser %" PRId64, sep, w.uid);
		sep = ", ";
	}
	if (strcmp(sep, "  Workload: "))
		fputs(".\n", out);
}

/* What userspace said about the kill, seconds after it. */
static void story_lines(FILE *out, const struct oom_report *r,
			const struct store_action *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct story_event *e = a[i].e;

		if (a[i].link && !strcmp(a[i].link, "self"))
			continue;	/* the kill itself */
		fputs("  Then ", out);
		out_escaped(out, e->actor);
		if ((e->known & SK_WALL) && (r->known & RK_WALL))
			fprintf(out, " (+%.1f s)",
				(double)(e->wall_us - r->wall_us) / 1e6);
		fputs(": ", out);
		out_escaped(out, e->message);
		fputc('\n', out);
	}
}

/* A userspace killer's kill: what it said, and how to steer it. */
static void userspace_kill(FILE *out, const struct oom_report *r,
			   const struct store_action *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct story_event *e = a[i].e;
		char rss[32];

		if (!a[i].link || strcmp(a[i].link, "self"))
			continue;
		fputs("\nWhy this one:\n  ", out);
		out_escaped(out, e->actor);
		fprintf(out, " sent %s", e->signal ? e->signal : "a signal");
		if (e->known & SK_SCORE)
			fprintf(out, "; its oom_score was %" PRId64, e->score);
		if (e->known & SK_RSS) {
			sz(rss, sizeof(rss), e->rss_kb);
			fprintf(out, ", VmRSS %s", rss);
		}
		fputs(".\n", out);
	}
	fputs("\nWhat would have saved it:\n", out);
	if (!strcmp(r->killer, "earlyoom")) {
		const struct oom_kill *v = oom_report_victim(r);

		fputs("  earlyoom kills the process with the highest oom_score "
		      "when free memory and\n  swap fall below its limits (-m, "
		      "-s): exempt it with --avoid '^(", out);
		out_escaped(out, v ? v->comm : "name");
		fputs(")$',\n  point it elsewhere with --prefer, or lower the "
		      "process's oom_score_adj.\n", out);
	}
	else if (!strcmp(r->killer, "systemd-oomd"))
		fputs("  systemd-oomd kills the cgroup under the most memory "
		      "pressure or swap: exempt\n  the unit with "
		      "ManagedOOMPreference=avoid (or omit), or raise\n  "
		      "ManagedOOMMemoryPressureLimit= on its slice.\n", out);
	else
		fputs("  It picks by oom_score: lower the process's "
		      "oom_score_adj, or exclude it in\n  the killer's "
		      "configuration.\n", out);
}

/*
 * The picture of the kill: each top task's share of the points the
 * kernel compared (show's POINTS SHARE), then the memory stacked against
 * totalpages or the cgroup's usage against its limit, and the zones'
 * free memory against their min watermark.
 */
static void pictures(FILE *out, const struct explain_why *w, unsigned cf)
{
	const struct oom_report *r = w->r;
	struct buf b = BUF_INIT;
	double sum = 0;

	for (size_t i = 0; i < r->n_tasks; i++) {
		const struct oom_task *t = &r->tasks[i];

		if ((t->known & TASK_POINTS) && !(t->known & TASK_UNKILLABLE) &&
		    t->points > 0)
			sum += (double)t->points;
	}
	fputs("\nThe picture:\n", out);
	for (size_t i = 0; sum > 0 && i < w->n_top; i++) {
		const struct oom_task *t = w->top[i];
		int killed = w->kill && t->pid == w->kill->pid;
		double f = (t->known & TASK_POINTS) &&
				   !(t->known & TASK_UNKILLABLE) && t->points > 0
			? (double)t->points / sum : 0;

		picture_label(out, i ? "" : "Points:");
		chart_bar(&b, f, TASK_BAR_WIDTH, killed ? CHART_RED : CHART_BLUE,
			  cf);
		buf_addf(&b, " %5.1f%%  ", 100.0 * f);
		picture_put(out, &b);
		who(out, t);
		fputc('\n', out);
	}
	picture_memory(out, r, cf);
	picture_memcg(out, r, cf);
	picture_zones(out, r, cf);
	buf_release(&b);
}

void why_text(FILE *out, int64_t id, const struct explain_why *w,
	      const struct snapshot_growth *g, const struct store_action *a,
	      size_t n, unsigned cf, size_t width)
{
	if (!w->r->killer)
		verdict(out, w);
	header(out, id, w);
	workload_line(out, w->r);
	story_lines(out, w->r, a, n);
	if (w->r->killer) {
		userspace_kill(out, w->r, a, n);
		return;
	}
	why_chosen(out, w);
	who_ate(out, w, width);
	if (g)
		snapshot_line(out, g);
	where_it_went(out, w);
	pictures(out, w, cf);
	advice(out, w);
}

