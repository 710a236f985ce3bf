/*
 * test-badness.c: each era's formula against values computed by hand in
 * the reference (§3.3, the worked example of §3.8, the memcg examples of
 * §2.15 and §3.8), tie rules (§3.5) and the reasons for a disagreement.
 */
#include <stdlib.h>
#include <string.h>

#include "badness.h"
#include "check.h"
#include "oom.h"
#include "xalloc.h"

static struct oom_task *row(struct oom_report *r, int64_t pid, int64_t uid,
			    uint64_t rss, uint64_t pgtables_bytes,
			    uint64_t swap, int64_t adj, const char *name)
{
	struct oom_task *t = oom_report_add_task(r);

	t->pid = t->tgid = pid;
	t->uid = uid;
	t->rss = rss;
	t->pgtables_bytes = pgtables_bytes;
	t->swapents = swap;
	t->oom_score_adj = adj;
	t->name = xstrdup(name);
	t->known = TASK_UID | TASK_TGID | TASK_RSS | TASK_PGTABLES |
		   TASK_SWAPENTS | TASK_ADJ;
	return t;
}

static void kill(struct oom_report *r, int64_t pid, const char *comm,
		 const char *reason)
{
	struct oom_kill *k = oom_report_add_kill(r);

	k->pid = pid;
	k->comm = xstrdup(comm);
	k->reason = reason ? xstrdup(reason) : NULL;
}

static const struct oom_task *by_pid(const struct oom_report *r, int64_t pid)
{
	for (size_t i = 0; i < r->n_tasks; i++)
		if (r->tasks[i].pid == pid)
			return &r->tasks[i];
	return NULL;
}

/* The 5.15 global report of §2.15, worked through in §3.8. */
static struct oom_report *worked_example(const char *release)
{
	struct oom_report *r = oom_report_new();

	r->kernel_release = xstrdup(release);
	r->constraint = xstrdup("none");
	r->layout = LAYOUT_PGTABLES;
	mem_set(r, MEM_RAM_PAGES, 4194173);
	mem_set(r, MEM_RESERVED_PAGES, 102335);
	mem_set(r, MEM_TOTAL_SWAP_KB, 2097148);
	mem_set(r, MEM_PAGE_SIZE_KB, 4);
	row(r, 612, 0, 596, 110592, 0, -1000, "systemd-udevd");
	row(r, 1201, 26, 1180240, 10203136, 52000, 0, "postgres");
	row(r, 1388, 26, 402110, 4096000, 10000, 0, "postgres");
	row(r, 7310, 1000, 2300100, 19660800, 472000, -500, "pytest");
	kill(r, 1201, "postgres", "Out of memory");
	return r;
}

static void test_e4_worked_example(void)
{
	struct oom_report *r = worked_example("5.15.0-91-generic");

	CHECK_EQ(badness_analyse(r), 1);
	CHECK_EQ(r->an.era, ERA_E4);
	CHECK_EQ(r->totalpages, 4616125);
	CHECK_EQ(r->an.total_source, TOTAL_GLOBAL);
	CHECK_EQ(r->an.flags, 0);
	CHECK_EQ(by_pid(r, 1201)->points, 1234731);
	CHECK_EQ(by_pid(r, 1388)->points, 413110);
	CHECK_EQ(by_pid(r, 7310)->points, 468900);
	CHECK(by_pid(r, 612)->known & TASK_UNKILLABLE, "adj -1000");
	CHECK(!(by_pid(r, 612)->known & TASK_POINTS), "no points");
	CHECK_EQ(by_pid(r, 1201)->rank, 1);
	CHECK_EQ(by_pid(r, 7310)->rank, 2);
	CHECK_EQ(by_pid(r, 1388)->rank, 3);
	CHECK_EQ(by_pid(r, 612)->rank, 0);
	/* /proc equivalents: (1000 + p*1000/T)*2/3 */
	CHECK_EQ(by_pid(r, 1201)->oom_score, 844);
	CHECK_EQ(by_pid(r, 7310)->oom_score, 734);
	CHECK_EQ(r->an.predicted_pid, 1201);
	CHECK_EQ(r->an.agrees, 1);
	CHECK_EQ(r->an.mismatch, MISMATCH_NONE);
	/* whatif: pytest at adj 0 would have been chosen */
	{
		struct badness_change c = { .name = "pytest", .set_adj = 1 };

		badness_analyse_with(r, &c, 1, 0);
		CHECK_EQ(r->an.predicted_pid, 7310);
		CHECK_EQ(by_pid(r, 7310)->points, 2776900);
		CHECK_EQ(r->an.agrees, 0);
	}
	oom_report_free(r);
}

static void test_e2_e3(void)
{
	/* the same numbers on a 4.14 kernel: E2, non-root rows */
	struct oom_report *r = worked_example("4.14.0-1-amd64");

	badness_analyse(r);
	CHECK_EQ(r->an.era, ERA_E2);
	CHECK_EQ(by_pid(r, 1201)->points, 1234731);
	/* "Kill process 1201 (postgres) score 267 or sacrifice child" */
	CHECK_EQ(by_pid(r, 1201)->oom_score, 267);
	oom_report_free(r);

	/* E2 root bonus: 3% of its own points for uid 0 */
	r = worked_example("4.14.0-1-amd64");
	r->tasks[1].uid = 0;
	badness_analyse(r);
	CHECK_EQ(by_pid(r, 1201)->points, 1234731 - 1234731 * 3 / 100);
	CHECK(r->an.flags & AN_ROOT_BONUS, "root bonus flagged");
	oom_report_free(r);

	/* The printed score settles the bonus (a container's root lacks
	 * CAP_SYS_ADMIN): with it postgres would score
	 * 1197690 * 1000 / 4616125 = 259, without it 1234731 -> 267.  The
	 * kernel printed 267, so uid 0 here had no bonus; taking uid 0 for
	 * CAP_SYS_ADMIN would be the easy, wrong answer. */
	r = worked_example("4.14.0-1-amd64");
	r->tasks[1].uid = 0;
	r->selected_pid = 1201;
	r->selected_score = 267;
	r->known |= RK_SELECTED | RK_SCORE;
	badness_analyse(r);
	CHECK_EQ(by_pid(r, 1201)->points, 1234731);
	CHECK(r->an.flags & AN_SCORE_SETTLED, "settled by the score");
	oom_report_free(r);
	/* ... and 259 says it had the bonus */
	r = worked_example("4.14.0-1-amd64");
	r->tasks[1].uid = 0;
	r->selected_pid = 1201;
	r->selected_score = 259;
	r->known |= RK_SELECTED | RK_SCORE;
	badness_analyse(r);
	CHECK_EQ(by_pid(r, 1201)->points, 1234731 - 1234731 * 3 / 100);
	CHECK(!(r->an.flags & AN_SCORE_SETTLED), "the bonus stands");
	oom_report_free(r);

	/* E3 clamps at 1: pytest at -1000+1 */
	r = worked_example("4.18.0-240.el8.x86_64");
	r->tasks[3].oom_score_adj = -999;
	badness_analyse(r);
	CHECK_EQ(r->an.era, ERA_E3);
	CHECK_EQ(by_pid(r, 7310)->points, 1);
	oom_report_free(r);
	/* ... while E4 goes negative */
	r = worked_example("6.1.0-26-amd64");
	r->tasks[3].oom_score_adj = -999;
	badness_analyse(r);
	CHECK_EQ(by_pid(r, 7310)->points, 2776900 - 999 * 4616);
	oom_report_free(r);
}

static void test_ties(void)
{
	/* two equal rows: RHEL 8 (4.18, E3 before 5.3) keeps the first,
	 * 5.3+ the last */
	struct oom_report *r = worked_example("4.18.0-240.el8.x86_64");

	r->tasks[2].rss = 1180240;
	r->tasks[2].pgtables_bytes = 10203136;
	r->tasks[2].swapents = 52000;
	badness_analyse(r);
	CHECK_EQ(r->an.predicted_pid, 1201);
	CHECK_EQ(by_pid(r, 1201)->rank, 1);
	CHECK_EQ(by_pid(r, 1388)->rank, 2);
	free(r->kernel_release);
	r->kernel_release = xstrdup("5.4.0-150-generic");
	badness_analyse(r);
	CHECK_EQ(r->an.era, ERA_E3);
	CHECK_EQ(r->an.predicted_pid, 1388);
	CHECK_EQ(by_pid(r, 1388)->rank, 1);
	CHECK_EQ(r->an.agrees, 0);
	CHECK_EQ(r->an.mismatch, MISMATCH_TIE);
	/* 5.4.286 has the 5.9 badness */
	free(r->kernel_release);
	r->kernel_release = xstrdup("5.4.286-1");
	badness_analyse(r);
	CHECK_EQ(r->an.era, ERA_E4);
	oom_report_free(r);
}

static void test_memcg(void)
{
	/* RHEL 7.9 cgroup v1 (§2.15): T = limit, score 997 (E2) */
	struct oom_report *r = oom_report_new();
	struct oom_task *t;

	r->kernel_release = xstrdup("3.10.0-1160.el7.x86_64");
	r->layout = LAYOUT_NR_PTES;
	r->memcg[MEMCG_MEMORY] = (struct memcg_usage){ 1, 1048576, 1048576, 12891 };
	r->memcg[MEMCG_MEMSW] = (struct memcg_usage){ 1, 1048576, 9007199254740988ull, 0 };
	r->constraint = xstrdup("memcg");
	t = row(r, 48213, 1000, 261000, 0, 0, 0, "java");
	t->known &= ~TASK_PGTABLES;
	t->nr_ptes = 614;
	t->known |= TASK_NR_PTES;
	kill(r, 48213, "java", NULL);
	r->kills[0].anon_rss_kb = 1043908;
	r->kills[0].file_rss_kb = 92;
	r->kills[0].known |= KILL_ANON_RSS | KILL_FILE_RSS;
	badness_analyse(r);
	CHECK_EQ(r->an.era, ERA_E2);
	CHECK_EQ(badness_page_kb(r), 4);	/* from the kill line */
	CHECK_EQ(r->totalpages, 262144);
	CHECK_EQ(r->an.total_source, TOTAL_MEMCG);
	CHECK(r->an.flags & AN_SWAP_ASSUMED, "host swap unknown");
	CHECK_EQ(by_pid(r, 48213)->points, 261614);
	CHECK_EQ(by_pid(r, 48213)->oom_score, 997);
	CHECK_EQ(r->an.agrees, 1);
	oom_report_free(r);

	/* cgroup v2, 5.10+ (§3.8): limit 524288 kB, swap limit 0 */
	r = oom_report_new();
	r->kernel_release = xstrdup("5.15.0-91-generic");
	r->layout = LAYOUT_PGTABLES;
	r->constraint = xstrdup("memcg");
	r->memcg[MEMCG_MEMORY] = (struct memcg_usage){ 1, 524288, 524288, 317 };
	r->memcg[MEMCG_SWAP] = (struct memcg_usage){ 1, 0, 0, 0 };
	row(r, 48190, 65535, 1, 28672, 0, -998, "pause");
	row(r, 48213, 1000, 133583, 1495040, 0, 936, "java");
	kill(r, 48213, "java", "Memory cgroup out of memory");
	badness_analyse(r);
	CHECK_EQ(r->totalpages, 131072);
	CHECK(!(r->an.flags & AN_SWAP_ASSUMED), "swap limit 0: exact");
	CHECK(r->an.flags & AN_PAGE_ASSUMED, "no buddy lines, no kill kB");
	CHECK_EQ(by_pid(r, 48213)->points, 256564);
	CHECK_EQ(by_pid(r, 48190)->points, 8 - 998 * 131);
	CHECK_EQ(r->an.predicted_pid, 48213);
	oom_report_free(r);
}

/*
 * Pages other than 4 KiB (arm64, ppc64 64 KiB): T is the memcg limit in
 * those pages, page tables are pgtables_bytes over that size.  The 6.8
 * arm64 report of tests/fixtures/era-6.8-arm64-64k.dmesg: limit 8388608
 * kB, swap limit 0.
 */
static void test_page_size(void)
{
	struct oom_report *r = oom_report_new();

	r->kernel_release = xstrdup("6.8.0-45-generic-64k");
	r->layout = LAYOUT_PGTABLES;
	r->constraint = xstrdup("memcg");
	r->memcg[MEMCG_MEMORY] = (struct memcg_usage){ 1, 8388608, 8388608, 913 };
	r->memcg[MEMCG_SWAP] = (struct memcg_usage){ 1, 0, 0, 0 };
	row(r, 2195, 998, 210, 196608, 0, 0, "ingest-ctl");
	row(r, 2210, 998, 70000, 1966080, 0, -100, "ingestd");
	row(r, 2301, 998, 55000, 1638400, 0, 0, "ingest-worker");
	kill(r, 2210, "ingestd", "Memory cgroup out of memory");
	mem_set(r, MEM_PAGE_SIZE_KB, 64);	/* as the parser infers it */
	badness_analyse(r);
	CHECK_EQ(badness_page_kb(r), 64);
	CHECK_EQ(r->totalpages, 131072);		/* 8388608 / 64 */
	CHECK(!(r->an.flags & AN_PAGE_ASSUMED), "page size known");
	CHECK_EQ(by_pid(r, 2195)->points, 210 + 3);
	CHECK_EQ(by_pid(r, 2210)->points, 70000 + 30 - 100 * 131);
	CHECK_EQ(by_pid(r, 2301)->points, 55000 + 25);
	CHECK_EQ(r->an.predicted_pid, 2210);
	/* the easy answer, 4 KiB pages: T 2097152, page tables x16, and
	 * ingestd's adj outweighs it; ingest-worker would be predicted */
	r->mem_known = 0;
	badness_analyse(r);
	CHECK(r->an.flags & AN_PAGE_ASSUMED, "no size: 4 KiB assumed");
	CHECK_EQ(r->totalpages, 2097152);
	CHECK_EQ(by_pid(r, 2301)->points, 55000 + 400);
	CHECK_EQ(r->an.predicted_pid, 2301);
	oom_report_free(r);
}

static void test_e1_e0(void)
{
	/* RHEL 6.2+ (E1): the dump has rss only, so bounds (§3.8) */
	struct oom_report *r = worked_example("2.6.32-504.el6.x86_64");

	r->layout = LAYOUT_OOM_ADJ_SCORE;
	for (size_t i = 0; i < r->n_tasks; i++)
		r->tasks[i].known &= ~(TASK_PGTABLES | TASK_SWAPENTS);
	r->tasks[0].oom_adj = -17;
	r->tasks[0].known |= TASK_OOM_ADJ;
	badness_analyse(r);
	CHECK_EQ(r->an.era, ERA_E1);
	CHECK(r->an.flags & AN_USAGE_PARTIAL, "bounds only");
	CHECK_EQ(by_pid(r, 1201)->points, 255);	/* 1180240*1000/T */
	CHECK_EQ(by_pid(r, 7310)->points, 1);	/* 498 - 500, clamped */
	CHECK(by_pid(r, 612)->known & TASK_UNKILLABLE, "-1000 in E1");
	oom_report_free(r);

	/* E0 (2.6.32): total_vm shifted by oom_adj */
	r = oom_report_new();
	r->layout = LAYOUT_OOM_ADJ;
	for (int i = 0; i < 3; i++) {
		struct oom_task *t = oom_report_add_task(r);

		t->pid = 100 + i;
		t->name = xstrdup("x");
		t->rss = 10;
		t->total_vm = 1000;
		t->oom_adj = i == 0 ? -17 : i == 1 ? 2 : -1;
		t->known = TASK_RSS | TASK_TOTAL_VM | TASK_OOM_ADJ;
	}
	badness_analyse(r);
	CHECK_EQ(r->an.era, ERA_E0);
	CHECK(r->tasks[0].known & TASK_UNKILLABLE, "oom_adj -17");
	CHECK_EQ(r->tasks[1].points, 4000);
	CHECK_EQ(r->tasks[2].points, 500);
	CHECK_EQ(r->an.predicted_pid, 101);
	oom_report_free(r);
}

static void test_mismatch(void)
{
	/* <= 5.0: postgres selected, a child killed instead */
	struct oom_report *r = worked_example("4.14.0-1-amd64");

	free(r->kills[0].comm);
	r->kills[0].comm = xstrdup("postgres");
	r->kills[0].pid = 5555;
	r->selected_pid = 1201;
	r->known |= RK_SELECTED | RK_SCORE;
	badness_analyse(r);
	CHECK_EQ(r->an.agrees, 0);
	CHECK_EQ(r->an.mismatch, MISMATCH_CHILD);
	oom_report_free(r);

	r = worked_example("6.1.0-26-amd64");
	free(r->kills[0].reason);
	r->kills[0].reason = xstrdup("Out of memory (oom_kill_allocating_task)");
	r->kills[0].pid = 7310;
	badness_analyse(r);
	CHECK_EQ(r->an.mismatch, MISMATCH_ALLOCATING);
	oom_report_free(r);

	r = worked_example("6.1.0-26-amd64");
	r->kills[0].pid = 9999;
	badness_analyse(r);
	CHECK_EQ(r->an.mismatch, MISMATCH_OUTSIDE);
	r->flags |= REPORT_DUMP_PARTIAL;
	badness_analyse(r);
	CHECK_EQ(r->an.mismatch, MISMATCH_DUMP);
	oom_report_free(r);

	/* nothing printed to derive T from: no points, no invention */
	r = worked_example("6.1.0-26-amd64");
	r->mem_known = 0;
	CHECK_EQ(badness_analyse(r), 0);
	CHECK(!(r->known & RK_TOTALPAGES), "T unknown");
	CHECK(!(r->tasks[1].known & TASK_POINTS), "no points without T");
	/* ... unless the largest user also has the highest adj (E3/E4): it
	 * wins whatever T was (a paste that lost the memory summary) */
	r->tasks[3].oom_score_adj = 300;
	CHECK_EQ(badness_analyse(r), 1);
	CHECK(r->an.flags & AN_T_UNKNOWN, "flagged");
	CHECK_EQ(r->an.predicted_pid, 7310);
	r->tasks[3].oom_score_adj = -500;	/* not if a smaller one has more */
	CHECK_EQ(badness_analyse(r), 0);
	free(r->kernel_release);
	r->kernel_release = xstrdup("4.14.0-1-amd64");	/* E2: root bonus */
	r->tasks[3].oom_score_adj = 300;
	CHECK_EQ(badness_analyse(r), 0);
	free(r->kernel_release);
	r->kernel_release = xstrdup("6.1.0-26-amd64");
	/* ... unless every candidate has the same adj: then usage ranks */
	r->tasks[3].oom_score_adj = 0;
	CHECK_EQ(badness_analyse(r), 1);
	CHECK(r->an.flags & AN_T_UNKNOWN, "flagged");
	CHECK_EQ(by_pid(r, 7310)->points, 2776900);
	CHECK_EQ(r->an.predicted_pid, 7310);
	CHECK(!(by_pid(r, 7310)->known & TASK_OOM_SCORE), "no oom_score");
	oom_report_free(r);
}

/* Counts past any real machine (2^48 pages and more) are damage: such a
 * row is not scored, such a totalpages is unknown, and nothing overflows
 * (UBSan in the sanitizer pass checks that). */
static void test_damaged_counts(void)
{
	struct oom_report *r = worked_example("6.1.0-26-amd64");

	r->tasks[3].rss = UINT64_C(1) << 62;
	r->tasks[3].oom_score_adj = 1000;
	CHECK_EQ(badness_analyse(r), 1);
	CHECK(!(by_pid(r, 7310)->known & TASK_POINTS), "huge rss: not scored");
	CHECK_EQ(by_pid(r, 1201)->points, 1234731);
	CHECK_EQ(r->an.predicted_pid, 1201);
	oom_report_free(r);

	/* rss and swap that would wrap around to a small sum */
	r = worked_example("6.1.0-26-amd64");
	r->tasks[3].rss = UINT64_MAX;
	r->tasks[3].swapents = 2;
	badness_analyse(r);
	CHECK(!(by_pid(r, 7310)->known & TASK_POINTS), "wrapping sum: not scored");
	oom_report_free(r);

	r = worked_example("6.1.0-26-amd64");
	mem_set(r, MEM_RAM_PAGES, UINT64_C(1) << 62);
	CHECK_EQ(badness_analyse(r), 0);
	CHECK(!(r->known & RK_TOTALPAGES), "huge RAM: T unknown");
	CHECK_EQ(r->an.total_source, TOTAL_UNKNOWN);
	CHECK(!(by_pid(r, 1201)->known & TASK_POINTS), "no points without T");
	oom_report_free(r);

	/* E0: the shift of a big total_vm by the largest oom_adj fits */
	r = oom_report_new();
	r->layout = LAYOUT_OOM_ADJ;
	for (int i = 0; i < 2; i++) {
		struct oom_task *t = oom_report_add_task(r);

		t->pid = 100 + i;
		t->name = xstrdup("x");
		t->rss = 10;
		t->total_vm = i ? UINT64_C(1) << 48 : (UINT64_C(1) << 48) - 1;
		t->oom_adj = 15;
		t->known = TASK_RSS | TASK_TOTAL_VM | TASK_OOM_ADJ;
	}
	badness_analyse(r);
	CHECK_EQ(r->an.era, ERA_E0);
	CHECK_EQ(r->tasks[0].points, INT64_MAX - (INT64_C(1) << 15) + 1);
	CHECK(!(r->tasks[1].known & TASK_POINTS), "2^48 pages: not scored");
	oom_report_free(r);
}

int main(void)
{
	test_e4_worked_example();
	test_e2_e3();
	test_ties();
	test_memcg();
	test_page_size();
	test_e1_e0();
	test_mismatch();
	test_damaged_counts();
	return check_done("test-badness");
}
