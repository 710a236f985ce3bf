/*
 * test-paste-lines.c: single lines a paste damaged (issue 17 classes 1,
 * 2, 14), through the whole parser: lines cut at a width (a field is
 * known only whole; the width learnt late takes back what was read
 * before it), a reader's notes and elisions, task rows' names against
 * TASK_COMM_LEN, and NUL bytes in the stored text.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "check.h"
#include "collect.h"
#include "classify.h"
#include "oom.h"
#include "report.h"
#include "scan.h"

static struct classifier *cls;

static void scan(const char *text, size_t len, struct got *g)
{
	got_scan(cls, text, len, 0, 1795348800, g);
}

static void scan_str(const char *text, struct got *g)
{
	scan(text, strlen(text), g);
}

/* The one report text must give, or NULL (and a failure). */
static const struct oom_report *scan_one(const char *text, struct got *g)
{
	scan_str(text, g);
	CHECK_EQ(g->n, 1);
	return g->n == 1 ? g->r[0] : NULL;
}

static const struct oom_task *task(const struct oom_report *r, int64_t pid)
{
	for (size_t i = 0; i < r->n_tasks; i++)
		if (r->tasks[i].pid == pid)
			return &r->tasks[i];
	return NULL;
}

/* Three lines of exactly 120 columns: the header (its adj at the end),
 * a row (its name at the end), and the kill line cut there. */
#define HEADER_120 \
	"[ 100.000000] cc1plus invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=-99\n"
#define ROW_120 \
	"[ 100.000004] [    300]                          0   300    12000      500   110592        0         -1000 systemd-udevd\n"
#define ROW_119 \
	"[ 100.000005] [    301]                                  0   301    12000      500   110592        0             0 sshd\n"
#define COUNTERS_120 \
	"[ 100.000001] active_anon:3912000 inactive_anon:542000 isolated_anon:0 active_file:820 inactive_file:125 isolated_file:0\n"
#define BODY \
	"[ 100.000001] CPU: 5 PID: 7310 Comm: cc1plus Not tainted 6.8.0-45-generic #45-Ubuntu\n" \
	"[ 100.000001] Mem-Info:\n" COUNTERS_120 \
	"[ 100.000002] Tasks state (memory values in pages):\n" \
	"[ 100.000003] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n" \
	ROW_120 ROW_119 \
	"[ 100.000006] [   7310]  1000  7310    90000    50000   410592        0             0 cc1plus\n"
#define KILL_CUT_120 \
	"[ 100.000007] Out of memory: Killed process 7310 (cc1plus) total-vm:360000kB, anon-rss:200000kB, file-rss:0kB, shmem-rss\n"
#define KILL_WHOLE \
	"[ 100.000007] Out of memory: Killed process 7310 (cc1plus) total-vm:360000kB, anon-rss:200000kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:401kB oom_score_adj:0\n"

/* The width shows only on the last line: what was read at the end of
 * lines as long is taken back when the report closes. */
static void test_late_width(void)
{
	static const char text[] = HEADER_120 BODY KILL_CUT_120;
	struct got g;
	const struct oom_report *r;

	CHECK_EQ(strlen(HEADER_120), 121);
	CHECK_EQ(strlen(ROW_120), 121);
	CHECK_EQ(strlen(ROW_119), 120);
	CHECK_EQ(strlen(COUNTERS_120), 121);
	CHECK_EQ(strlen(KILL_CUT_120), 121);
	r = scan_one(text, &g);
	if (!r)
		goto out;
	CHECK(r->flags & REPORT_TRUNCATED, "truncated");
	CHECK(!(r->known & RK_TRIGGER_ADJ), "header's adj at the width: unknown");
	CHECK(r->known & RK_ORDER, "order, closed by its comma, stays");
	CHECK(!mem_has(r, MEM_ISOLATED_FILE), "counter at the width: unknown");
	CHECK(mem_has(r, MEM_INACTIVE_FILE), "the counter before it stays");
	CHECK(!task(r, 300), "row whose name reached the width: lost");
	CHECK(r->flags & REPORT_DUMP_PARTIAL, "dump partial");
	CHECK(task(r, 301) && !strcmp(task(r, 301)->name, "sshd"), "row of 119 kept");
	CHECK(task(r, 7310) != NULL, "short row kept");
	CHECK_EQ(r->n_kills, 1);
	if (r->n_kills == 1) {
		const struct oom_kill *k = &r->kills[0];

		CHECK(k->pid == 7310 && !strcmp(k->comm, "cc1plus"), "victim");
		CHECK(k->known & KILL_FILE_RSS, "file-rss whole");
		CHECK(!(k->known & (KILL_SHMEM_RSS | KILL_UID | KILL_ADJ)),
		      "nothing after the cut");
	}
out:
	got_free(&g);
}

/* The same lines in a paste nothing cut: all of them whole. */
static void test_no_width(void)
{
	static const char text[] = HEADER_120 BODY KILL_WHOLE;
	struct got g;
	const struct oom_report *r;

	r = scan_one(text, &g);
	if (!r)
		goto out;
	CHECK(!(r->flags & (REPORT_TRUNCATED | REPORT_DUMP_PARTIAL)), "whole");
	CHECK((r->known & RK_TRIGGER_ADJ) && r->trigger_adj == -99, "adj");
	CHECK(mem_has(r, MEM_ISOLATED_FILE), "counter whole");
	CHECK(task(r, 300) && !strcmp(task(r, 300)->name, "systemd-udevd"),
	      "row of 120 whole");
out:
	got_free(&g);
}

/* The width first, on the header: lines as long read after it lose the
 * field at their end as they come; the title names its layout cut. */
static void test_width_first(void)
{
	static const char text[] =
		"[ 100.000000] x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_sco\n"
		"[ 100.000001] Mem-Info:\n"
		"[ 100.000002] active_anon:3912000 inactive_anon:542000 isolated_anon:0    free:2\n"
		"[ 100.000003] Tasks state (memory values in pages):\n"
		"[ 100.000004] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oo\n"
		"[ 100.000005] [  300]     0   300 12000      500   110592        0 -1000 systemd\n"
		"[ 100.000006] [ 7310]  1000  7310    90000    50000   410592        0     0 x\n"
		"[ 100.000007] Out of memory: Killed process 7310 (x) total-vm:360000kB, anon-rss\n";
	struct got g;
	const struct oom_report *r;
	const char *line;

	/* every line cut is 80 columns */
	for (line = text; *line; line = strchr(line, '\n') + 1)
		CHECK(strchr(line, '\n') - line <= 80, "%.20s", line);
	r = scan_one(text, &g);
	if (!r)
		goto out;
	CHECK(r->flags & REPORT_TRUNCATED, "truncated");
	CHECK(!r->gfp_mask || !strcmp(r->gfp_mask, "0xcc0(GFP_KERNEL)"), "gfp");
	CHECK(r->known & RK_ORDER, "order");
	CHECK(!(r->known & RK_TRIGGER_ADJ), "no adj");
	CHECK(mem_has(r, MEM_ACTIVE_ANON), "counter before the cut");
	CHECK(!mem_has(r, MEM_FREE), "free:2 at the width may be cut");
	CHECK_EQ(r->layout, LAYOUT_PGTABLES);
	CHECK(!task(r, 300), "\"systemd\" may be a cut name");
	CHECK(task(r, 7310) != NULL, "a shorter row is whole");
	CHECK(r->n_kills == 1 && r->kills[0].pid == 7310 &&
	      !(r->kills[0].known & KILL_ANON_RSS), "kill, anon-rss cut");
out:
	got_free(&g);

	/* a title cut where two layouts begin alike names none */
	static const char two[] =
		"[ 100.000000] x invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0, xxxxxx\n"
		"[ 100.000004] [ pid ]   uid  tgid total_vm      rss nr_ptes \n"
		"[ 100.000005] [  300]     0   300    12000      500       1        0             0 a\n"
		"[ 100.000007] Killed process 300 (a) total-vm:4kB, anon-rss:0kB, file-rss:0kB\n";
	scan_str(two, &g);
	CHECK_EQ(g.n, 1);
	if (g.n == 1)
		CHECK_EQ(g.r[0]->layout, LAYOUT_UNKNOWN);
	got_free(&g);
}

/* Names against TASK_COMM_LEN, and notes after rows. */
static void test_row_names(void)
{
	static const char text[] =
		"[ 100.000000] x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"[ 100.000001] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
		"[ 100.000002] [    301]  1000   301    12000      500   110592        0             0 Isolated Web Co\n"
		"[ 100.000003] [    302]  1000   302    12000      500   110592        0             0 Isolated Web Co  <-- here\n"
		"[ 100.000004] [    303]  1000   303    12000      500   110592        0             0 Isolated Web Co  this one\n"
		"[ 100.000005] [    304]  1000   304    12000      500   110592        0             0 Isolated Web Content\n"
		"[ 100.000006] [    305]  1000   305    12000      500   110592        0             0  lead blank\n"
		"[ 100.000007] Out of memory: Killed process 301 (Isolated Web Co) total-vm:48000kB, anon-rss:2000kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:108kB oom_score_adj:0\n";
	struct got g;
	const struct oom_report *r;

	r = scan_one(text, &g);
	if (!r)
		goto out;
	CHECK(task(r, 301) && !strcmp(task(r, 301)->name, "Isolated Web Co"),
	      "a 15-byte comm with blanks is whole");
	CHECK(task(r, 302) && !strcmp(task(r, 302)->name, "Isolated Web Co"),
	      "the note is not part of the name");
	CHECK(task(r, 303) && !strcmp(task(r, 303)->name, "Isolated Web Co"),
	      "longer than a comm: the name ends at the blanks");
	CHECK(!task(r, 304), "20 bytes without a break: not a comm");
	CHECK(task(r, 305) && !strcmp(task(r, 305)->name, " lead blank"),
	      "a comm may start with a blank");
	CHECK(r->flags & REPORT_ANNOTATED, "annotated");
	CHECK(r->flags & REPORT_DUMP_PARTIAL, "the damaged row is lost");
	CHECK(!(r->flags & REPORT_TRUNCATED), "nothing cut");
out:
	got_free(&g);
}

/* Elisions on lines of their own: they neither end nor break a report. */
static void test_elisions(void)
{
	static const char text[] =
		"Nov 21 05:06:07 h kernel: [ 100.000000] x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"Nov 21 05:06:07 h kernel: [ 100.000001] Mem-Info:\n"
		"-- 8< --\n"
		"Nov 21 05:06:07 h kernel: [ 100.000002] 4194173 pages RAM\n"
		"Nov 21 05:06:07 h kernel: [ 100.000003] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
		"Nov 21 05:06:07 h kernel: [ 100.000004] [    300]     0   300    12000      500   110592        0         -1000 systemd-udevd\n"
		"[...]\n"
		"Nov 21 05:06:07 h kernel: [ 100.000006] [   7310]  1000  7310    90000    50000   410592        0             0 x\n"
		"Nov 21 05:06:07 h kernel: [ 100.000007] Out of memory: Killed process 7310 (x) total-vm:360000kB, anon-rss:200000kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:401kB oom_score_adj:0\n"
		"...\n"
		"Nov 21 05:06:07 h kernel: [ 100.000009] oom_reaper: reaped process 7310 (x), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n";
	struct got g;
	const struct oom_report *r;

	r = scan_one(text, &g);
	if (!r)
		goto out;
	CHECK(r->flags & REPORT_ANNOTATED, "annotated");
	CHECK(r->flags & REPORT_DUMP_PARTIAL, "rows left out");
	CHECK_EQ(r->n_tasks, 2);
	CHECK(task(r, 300) && !strcmp(task(r, 300)->name, "systemd-udevd"),
	      "the elision is not glued to the row as a wrapped piece");
	CHECK(mem_has(r, MEM_RAM_PAGES), "Mem-Info read past its elision");
	CHECK(r->n_kills == 1 && r->kills[0].reap == REAP_REAPED,
	      "the reaper line after an elision finds its kill");
	CHECK_EQ(r->last_line, 11);
out:
	got_free(&g);

	/* an elision in Mem-Info only: nothing of the dump was left out */
	static const char meminfo[] =
		"[ 100.000000] x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"[ 100.000001] Mem-Info:\n"
		"[...]\n"
		"[ 100.000002] 4194173 pages RAM\n"
		"[ 100.000003] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
		"[ 100.000006] [   7310]  1000  7310    90000    50000   410592        0             0 x\n"
		"[ 100.000007] Killed process 7310 (x) total-vm:360000kB, anon-rss:200000kB, file-rss:0kB, shmem-rss:0kB\n";
	scan_str(meminfo, &g);
	CHECK_EQ(g.n, 1);
	if (g.n == 1) {
		CHECK(g.r[0]->flags & REPORT_ANNOTATED, "annotated");
		CHECK(!(g.r[0]->flags & REPORT_DUMP_PARTIAL), "dump whole");
	}
	got_free(&g);
}

/* NUL bytes: the stored text is a C string that keeps what follows. */
static void test_nul(void)
{
	static const char text[] =
		"\0\0\0\0[ 100.000000] x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"[ 100.000001] Call Trace:\n"
		"[ 100.000002]  dump_st\0\0\0\0\0ack+0x63/0x8b\n"
		"[ 100.000003] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
		"[ 100.000004] [    300]     0   300    12000      500   110592        0         -1000 systemd-udevd\n"
		"\0\0\0[ 100.000006] [   7310]  1000  7310    90000    50000   410592        0             0 x\n"
		"[ 100.000007] Killed process 7310 (x) total-vm:360000kB, anon-rss:200000kB, file-rss:0kB, shmem-rss:0kB\n";
	struct got g;
	const struct oom_report *r;

	scan(text, sizeof(text) - 1, &g);
	CHECK_EQ(g.n, 1);
	if (g.n != 1)
		goto out;
	r = g.r[0];
	CHECK(r->flags & REPORT_NUL_BYTES, "flagged");
	CHECK(r->raw && strlen(r->raw) == r->raw_len, "no NUL in the text");
	CHECK(r->raw && !strncmp(r->raw, "[ 100.000000] x invoked", 23),
	      "the hole before the report is not its text");
	CHECK(r->raw && strstr(r->raw, "dump_st<5 NUL bytes>ack+0x63"),
	      "a run inside a line, shown");
	CHECK(r->raw && strstr(r->raw, "<3 NUL bytes>[ 100.000006]"),
	      "a run before a line, shown");
	CHECK(r->raw && strstr(r->raw, "Killed process 7310"), "the rest kept");
	CHECK_EQ(r->n_tasks, 2);
out:
	got_free(&g);

	/* NULs only before the report: not in it */
	static const char before[] =
		"\0\0[ 100.000000] x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"[ 100.000007] Killed process 7310 (x) total-vm:360000kB, anon-rss:200000kB, file-rss:0kB, shmem-rss:0kB\n";
	scan(before, sizeof(before) - 1, &g);
	CHECK_EQ(g.n, 1);
	if (g.n == 1)
		CHECK(!(g.r[0]->flags & REPORT_NUL_BYTES), "not flagged");
	got_free(&g);
}

int main(void)
{
	char *err = NULL;

	CHECK(classify_new(&cls, &err) == 0, "classify_new: %s", err);
	if (!cls)
		return check_done("test-paste-lines");
	test_late_width();
	test_no_width();
	test_width_first();
	test_row_names();
	test_elisions();
	test_nul();
	classify_free(cls);
	return check_done("test-paste-lines");
}
