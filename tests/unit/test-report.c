/* test-report.c: containers -> assembler -> struct oom_report, on small
 * inline logs, each written to break one rule of the assembler. */
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "check.h"
#include "collect.h"
#include "classify.h"
#include "oom.h"
#include "report.h"
#include "scan.h"
#include "xalloc.h"

static struct classifier *cls;

static void scan_text(const char *text, size_t chunk, int64_t ref,
		      struct got *g)
{
	got_scan(cls, text, strlen(text), chunk, ref, g);
}

static const char modern_dmesg[] =
	"[ 8120.000001] e1000e: eth0 NIC Link is Up\n"
	"[ 8123.456789] pytest invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=-500\n"
	"[ 8123.456800] CPU: 5 PID: 7310 Comm: pytest Not tainted 6.8.0-45-generic #45-Ubuntu\n"
	"[ 8123.456801] Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.15.0-1 04/01/2014\n"
	"[ 8123.456802] Call Trace:\n"
	"[ 8123.456803]  <TASK>\n"
	"[ 8123.456804]  dump_stack_lvl+0x76/0xa0\n"
	"[ 8123.456805]  </TASK>\n"
	"[ 8123.456806] Mem-Info:\n"
	"[ 8123.456807] active_anon:2731 inactive_anon:3901210 isolated_anon:0\n"
	"                active_file:95 inactive_file:44 isolated_file:0\n"
	"                free:34629 free_pcp:0 free_cma:0\n"
	"[ 8123.456808] audit: type=1400 audit(1.2:3): apparmor=\"DENIED\" from another CPU\n"
	"[ 8123.456809] Node 0 Normal free:61900kB boost:0kB min:61948kB low:75384kB high:88820kB present:13096960kB managed:12774792kB\n"
	"[ 8123.456810] Node 0 Normal: 1127*4kB (UME) 571*8kB (UME) = 19952kB\n"
	"[ 8123.456811] Free swap  = 0kB\n"
	"[ 8123.456812] Total swap = 2097148kB\n"
	"[ 8123.456813] 4194173 pages RAM\n"
	"[ 8123.456814] 102335 pages reserved\n"
	"[ 8123.456815] Tasks state (memory values in pages):\n"
	"[ 8123.456816] [  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name\n"
	"[ 8123.456817] [    612]     0   612    12137      596      300      296         0   110592        0         -1000 systemd-udevd\n"
	"[ 8123.456818] [   1201]    26  1201  2310456  1180240  1120000    20960    39280 10203136    52000             0 postgres\n"
	"[ 8123.456819] [   7310]  1000  7310  3800123  2300100  2300000      100         0 19660800   472000          -500 Web Content (x)\n"
	"[ 8123.456820] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/postgresql.service,task=postgres,pid=1201,uid=26\n"
	"[ 8123.456821] Out of memory: Killed process 1201 (postgres) total-vm:9241824kB, anon-rss:4480000kB, file-rss:83840kB, shmem-rss:157120kB, UID:26 pgtables:9964kB oom_score_adj:0\n"
	"[ 8123.500000] e1000e: eth0 NIC Link is Down\n"
	"[ 8123.600000] oom_reaper: reaped process 1201 (postgres), now anon-rss:0kB, file-rss:0kB, shmem-rss:157120kB\n";

static void test_modern(size_t chunk)
{
	struct got g;
	struct oom_report *r;

	scan_text(modern_dmesg, chunk, 0, &g);
	CHECK_EQ(g.n, 1);
	if (g.n != 1)
		return;
	r = g.r[0];
	CHECK_STR(r->trigger_comm, "pytest");
	CHECK_EQ(r->trigger_pid, 7310);
	CHECK(r->known & RK_TRIGGER_PID, "trigger pid known");
	CHECK_EQ(r->trigger_adj, -500);
	CHECK_STR(r->kernel_release, "6.8.0-45-generic");
	CHECK_STR(r->gfp_mask, "0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)");
	CHECK_EQ(r->ktime_us, 8123456789);
	CHECK(!(r->known & RK_WALL), "raw dmesg has no wall clock");
	CHECK_STR(r->constraint, "none");
	CHECK_STR(r->task_memcg, "/system.slice/postgresql.service");
	CHECK(r->oom_memcg == NULL, "global: no oom_memcg");
	CHECK_EQ(r->layout, LAYOUT_RSS_SPLIT);
	CHECK_EQ(r->n_tasks, 3);
	if (r->n_tasks == 3) {
		CHECK_STR(r->tasks[2].name, "Web Content (x)");
		CHECK_EQ(r->tasks[2].oom_score_adj, -500);
		CHECK_EQ(r->tasks[1].rss_shmem, 39280);
		CHECK_EQ(r->tasks[1].pgtables_bytes, 10203136);
		CHECK_EQ(r->tasks[0].oom_score_adj, -1000);
	}
	CHECK_EQ(r->n_kills, 1);
	if (r->n_kills) {
		CHECK_EQ(r->kills[0].pid, 1201);
		CHECK_STR(r->kills[0].reason, "Out of memory");
		CHECK_EQ(r->kills[0].reap, REAP_REAPED);
		CHECK_EQ(r->kills[0].reaped_shmem_kb, 157120);
		CHECK_EQ(r->kills[0].shmem_rss_kb, 157120);
	}
	CHECK(mem_has(r, MEM_FREE) && r->mem[MEM_FREE] == 34629, "free");
	CHECK(mem_has(r, MEM_ACTIVE_FILE) && r->mem[MEM_ACTIVE_FILE] == 95,
	      "continuation line of Mem-Info");
	CHECK_EQ(r->mem[MEM_RAM_PAGES], 4194173);
	CHECK_EQ(r->mem[MEM_TOTAL_SWAP_KB], 2097148);
	CHECK(mem_has(r, MEM_FREE_SWAP_KB), "free swap known");
	CHECK_EQ(r->mem[MEM_PAGE_SIZE_KB], 4);
	CHECK(!mem_has(r, MEM_SHMEM), "shmem not printed, not known");
	CHECK_EQ(r->n_zones, 1);
	if (r->n_zones) {
		CHECK_EQ(r->zones[0].node, 0);
		CHECK_EQ(r->zones[0].values[ZONE_MIN], 61948);
	}
	CHECK_EQ(r->flags, 0);
	CHECK_EQ(r->first_line, 2);
	CHECK_EQ(r->last_line, 26);
	CHECK(r->raw && strstr(r->raw, "audit: type=1400"),
	      "foreign line inside the report kept in raw");
	CHECK(r->raw && !strstr(r->raw, "Link is Down"),
	      "line after the kill not in raw");
	CHECK(r->raw && !strstr(r->raw, "Link is Up"),
	      "line before the header not in raw");
	got_free(&g);
}

static void test_cut_and_headless(void)
{
	struct got g;

	/* a header cut by the next one; then a headless kill */
	scan_text("a invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		  "CPU: 1 PID: 10 Comm: a Not tainted 5.15.0-91-generic #101-Ubuntu\n"
		  "b invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		  "Out of memory: Killed process 20 (c) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n"
		  "some other line\n"
		  "Out of memory: Killed process 30 (d) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n",
		  0, 0, &g);
	CHECK_EQ(g.n, 3);
	if (g.n == 3) {
		CHECK_STR(g.r[0]->trigger_comm, "a");
		CHECK(g.r[0]->flags & REPORT_CUT, "first cut");
		CHECK(g.r[0]->flags & REPORT_NO_KILL, "first has no kill");
		CHECK_EQ(g.r[0]->n_kills, 0);
		CHECK_STR(g.r[1]->trigger_comm, "b");
		CHECK(!(g.r[1]->flags & REPORT_CUT), "second complete");
		CHECK(g.r[1]->flags & REPORT_NO_DUMP, "second has no dump");
		CHECK(g.r[1]->kills && g.r[1]->kills[0].pid == 20, "kill 20");
		CHECK(g.r[2]->flags & REPORT_NO_HEADER, "third is headless");
		CHECK(g.r[2]->trigger_comm == NULL, "no invented trigger");
		CHECK(g.r[2]->kills && g.r[2]->kills[0].pid == 30, "kill 30");
	}
	got_free(&g);

	/* header at the end of input, inside someone else's stack trace */
	scan_text("[  201.264929] syz invoked oom-killer: gfp_mask=0x6202c2(GFP_HIGHUSER|__GFP_NOWARN), nodemask=(null), order=0, oom_score_adj=1000\n"
		  "[  201.318813] syz cpuset=syz4 mems_allowed=0-1\n"
		  "[  201.324288]  pagecache_get_page+0x53a/0xf00\n"
		  "[  202.412020] Rebooting in 86400 seconds..",
		  0, 0, &g);
	CHECK_EQ(g.n, 1);
	if (g.n == 1) {
		CHECK(g.r[0]->flags & REPORT_CUT, "cut at EOF");
		CHECK(g.r[0]->flags & REPORT_NO_KILL, "no kill");
		CHECK_STR(g.r[0]->cpuset, "syz4");
		CHECK_STR(g.r[0]->mems_allowed, "0-1");
		CHECK_STR(g.r[0]->nodemask, "(null)");
		CHECK(g.r[0]->kernel_release == NULL, "no invented release");
		CHECK_EQ(g.r[0]->last_line, 3);
	}
	got_free(&g);
}

static void test_syslog(void)
{
	struct got g;

	/* a forged kill line from userspace is not an event; TZ is UTC */
	scan_text("Nov 21 03:12:07 db1 logger: Out of memory: Killed process 1 (x) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n",
		  0, 1795230727, &g);
	CHECK_EQ(g.n, 0);
	got_free(&g);

	/* year from the reference time: a December line in a January file */
	scan_text("Dec 31 23:59:59 db1 kernel: [ 5.000000] x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\r\n"
		  "Dec 31 23:59:59 db1 kernel: [ 5.000001] Out of memory: Killed process 20 (c) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\r\n",
		  0, 1798848000 /* 2027-01-01T12:00:00Z */, &g);
	CHECK_EQ(g.n, 1);
	if (g.n == 1) {
		CHECK_EQ(g.r[0]->wall_us, INT64_C(1798761599) * 1000000);
		CHECK_EQ(g.r[0]->ktime_us, 5000000);
		CHECK_STR(g.r[0]->host, "db1");
		CHECK(g.r[0]->flags & REPORT_YEAR_GUESSED, "year flagged");
		CHECK(g.r[0]->kills && !strcmp(g.r[0]->kills[0].comm, "c"),
		      "CR stripped");
	}
	got_free(&g);
}

static void test_boot_markers(size_t chunk)
{
	static const char text[] =
		"-- Boot 11111111111111111111111111111111 --\n"
		"Nov 21 03:12:07 db1 kernel: x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"Nov 21 03:12:07 db1 kernel: Out of memory: Killed process 20 (c) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB\n"
		"Nov 21 03:12:08 db1 systemd[1]: unrelated\n"
		"-- Boot 22222222222222222222222222222222 --\n"
		"Nov 21 04:00:00 db1 systemd[1]: unrelated\n"
		"Nov 21 04:12:07 db1 kernel: Out of memory: Killed process 30 (d) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB\n";
	struct got g;

	scan_text(text, chunk, 1795305600, &g);
	CHECK_EQ(g.n, 2);
	if (g.n == 2) {
		CHECK_STR(g.r[0]->boot_id, "11111111111111111111111111111111");
		CHECK_STR(g.r[1]->boot_id, "22222222222222222222222222222222");
		CHECK_EQ(g.r[1]->first_line, 7);
	}
	got_free(&g);
}

static void test_memcg_v2(void)
{
	struct got g;

	scan_text("[Sat Nov 21 03:12:07 2026] java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=936\n"
		  "[Sat Nov 21 03:12:07 2026] memory: usage 524288kB, limit 524288kB, failcnt 317\n"
		  "[Sat Nov 21 03:12:07 2026] swap: usage 0kB, limit 0kB, failcnt 0\n"
		  "[Sat Nov 21 03:12:07 2026] Memory cgroup stats for /k8s/pod1:\n"
		  "[Sat Nov 21 03:12:07 2026] anon 532516864\n"
		  "                           file 20480\n"
		  "[Sat Nov 21 03:12:07 2026] Tasks state (memory values in pages):\n"
		  "[Sat Nov 21 03:12:07 2026] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
		  "[Sat Nov 21 03:12:07 2026] [  48213]  1000 48213  1537811   133583  1495040        0           936 java\n"
		  "[Sat Nov 21 03:12:07 2026] [  48214]  1000 48214  1537811   133583  1495040        0           936 bad row\n"
		  "[Sat Nov 21 03:12:07 2026] [  48215]  1000 48215 lots\n"
		  "[Sat Nov 21 03:12:07 2026] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=x,mems_allowed=0,oom_memcg=/k8s/pod1,task_memcg=/k8s/pod1/c1,task=java,pid=48213,uid=1000\n"
		  "[Sat Nov 21 03:12:07 2026] Memory cgroup out of memory: Killed process 48213 (java) total-vm:6151244kB, anon-rss:520048kB, file-rss:14284kB, shmem-rss:0kB, UID:1000 pgtables:1460kB oom_score_adj:936\n",
		  7, 0, &g);
	CHECK_EQ(g.n, 1);
	if (g.n == 1) {
		struct oom_report *r = g.r[0];

		CHECK_STR(r->constraint, "memcg");
		CHECK_STR(r->oom_memcg, "/k8s/pod1");
		CHECK(r->memcg[MEMCG_MEMORY].known, "memory line");
		CHECK_EQ(r->memcg[MEMCG_MEMORY].limit_kb, 524288);
		CHECK(r->memcg[MEMCG_SWAP].known, "swap line");
		CHECK(!r->memcg[MEMCG_MEMSW].known, "no memory+swap line");
		CHECK_STR(r->memcg_stats, "anon 532516864\nfile 20480\n");
		CHECK_STR(r->memcg_stats_path, "/k8s/pod1");
		CHECK_EQ(r->wall_us, INT64_C(1795230727) * 1000000);
		CHECK(r->flags & REPORT_DUMP_PARTIAL, "bad row flagged");
		CHECK(r->flags & REPORT_NO_MEMINFO ? 0 : 1, "memcg counts");
		CHECK_EQ(r->n_tasks, 2);
		CHECK_EQ(g.warnings, 1);
	}
	got_free(&g);
}

/* Adjustments past the kernel's ranges (oom_score_adj -1000..1000,
 * oom_adj -17..15) are damage: the row is skipped, the dump flagged. */
static void test_adj_out_of_range(void)
{
	struct got g;

	scan_text("[ 8123.456789] x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		  "[ 8123.456815] Tasks state (memory values in pages):\n"
		  "[ 8123.456816] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
		  "[ 8123.456817] [    612]     0   612    12137      596   110592        0          1000 in range\n"
		  "[ 8123.456818] [    613]     0   613    12137      596   110592        0          1001 too high\n"
		  "[ 8123.456819] [    614]     0   614    12137      596   110592        0         -1001 too low\n"
		  "[ 8123.456821] Out of memory: Killed process 612 (in range) total-vm:48548kB, anon-rss:2384kB, file-rss:0kB, shmem-rss:0kB\n"
		  "[ 9000.000000] cron invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0\n"
		  "[ 9000.000001] [ pid ]   uid  tgid total_vm      rss cpu oom_adj name\n"
		  "[ 9000.000002] [  317]     0   317    15111      554   1       15 in range\n"
		  "[ 9000.000003] [  318]     0   318    15111      554   1     -127 too low\n"
		  "[ 9000.000004] [  319]     0   319    15111      554   1       16 too high\n"
		  "[ 9000.000005] Out of memory: Kill process 317 (in range) score 1 or sacrifice child\n",
		  0, 0, &g);
	CHECK_EQ(g.n, 2);
	for (size_t i = 0; i < g.n && i < 2; i++) {
		CHECK_EQ(g.r[i]->n_tasks, 1);
		CHECK(g.r[i]->flags & REPORT_DUMP_PARTIAL, "report %zu flagged", i);
	}
	CHECK_EQ(g.warnings, 4);
	got_free(&g);
}

static void test_long_line(void)
{
	size_t n = 200 * 1024;
	char *text = xmalloc(n + 400);
	struct got g;

	memset(text, 'x', n);
	strcpy(text + n, "\nOut of memory: Killed process 20 (c) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB\n");
	scan_text(text, 0, 0, &g);
	CHECK_EQ(g.n, 1);
	if (g.n == 1)
		CHECK_EQ(g.r[0]->first_line, 2);
	got_free(&g);
	free(text);
}

/* ---- issue 17: CONSTRAINT_NONE memcg summaries, page sizes, old eras ---- */

/* One report of 5.0-5.2 whose summary says constraint (and oom_memcg or
 * global_oom as the summary wants), with or without a memcg block and a
 * reason before "Killed process". */
static struct oom_report *one_report(const char *text, struct got *g)
{
	scan_text(text, 0, 0, g);
	CHECK_EQ(g->n, 1);
	return g->n == 1 ? g->r[0] : NULL;
}

#define H52 "[ 100.000001] node invoked oom-killer: gfp_mask=0x6000c0(GFP_KERNEL), order=0, oom_score_adj=0\n" \
	"[ 100.000002] CPU: 3 PID: 4100 Comm: node Not tainted 5.2.18-200.fc30.x86_64 #1\n"
#define MEMCG52 "[ 100.000003] memory: usage 2097152kB, limit 2097152kB, failcnt 20311\n" \
	"[ 100.000004] memory+swap: usage 2097152kB, limit 2097152kB, failcnt 8802\n"
#define MEMINFO52 "[ 100.000003] Mem-Info:\n" \
	"[ 100.000004] active_anon:2731 inactive_anon:3901210 isolated_anon:0\n" \
	"[ 100.000005] Node 0 Normal: 1127*4kB (UME) 571*8kB (UME) = 19952kB\n"
#define DUMP52 "[ 100.000006] Tasks state (memory values in pages):\n" \
	"[ 100.000007] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n" \
	"[ 100.000008] [   4100]  1000  4100  2890000   300000  2867200        0             0 node\n" \
	"[ 100.000009] [   4188]  1000  4188  9100000   150000  1433600        0           300 chrome\n"
#define KILL52(reason) "[ 100.000011] " reason "Killed process 4188 (chrome) total-vm:36400000kB, anon-rss:594000kB, file-rss:6000kB, shmem-rss:0kB\n"

static void test_constraint_corrected(void)
{
	static const struct {
		const char *what, *text, *want;
		int corrected;
	} cases[] = {
		{ "oom_memcg=, reason and memcg block",
		  H52 MEMCG52 DUMP52
		  "[ 100.000010] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=c1,mems_allowed=0,oom_memcg=/docker/c1,task_memcg=/docker/c1,task=chrome,pid=4188,uid=1000\n"
		  KILL52("Memory cgroup out of memory: "), "memcg", 1 },
		{ "oom_memcg= alone",
		  H52 DUMP52
		  "[ 100.000010] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=c1,mems_allowed=0,oom_memcg=/docker/c1,task_memcg=/docker/c1,task=chrome,pid=4188,uid=1000\n"
		  KILL52(""), "memcg", 1 },
		{ "the reason alone (a summary cut before oom_memcg=)",
		  H52 DUMP52
		  "[ 100.000010] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=c1,mems_allowed=0\n"
		  KILL52("Memory cgroup out of memory: "), "memcg", 1 },
		{ "the memcg block alone (5.0: no reason on the kill line)",
		  H52 MEMCG52 DUMP52
		  "[ 100.000010] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=c1,mems_allowed=0\n"
		  KILL52(""), "memcg", 1 },
		{ "a global OOM says none and is none",
		  H52 MEMINFO52 DUMP52
		  "[ 100.000010] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/docker/c1,task=chrome,pid=4188,uid=1000\n"
		  KILL52("Out of memory: "), "none", 0 },
		{ "a printed CONSTRAINT_CPUSET is left alone",
		  H52 MEMCG52 DUMP52
		  "[ 100.000010] oom-kill:constraint=CONSTRAINT_CPUSET,nodemask=(null),cpuset=c1,mems_allowed=0,oom_memcg=/docker/c1,task=chrome,pid=4188,uid=1000\n"
		  KILL52(""), "cpuset", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct got g;
		struct oom_report *r = one_report(cases[i].text, &g);

		if (r) {
			CHECK(r->constraint && !strcmp(r->constraint, cases[i].want),
			      "%s: constraint %s, want %s", cases[i].what,
			      r->constraint ? r->constraint : "-", cases[i].want);
			CHECK(!(r->flags & REPORT_CONSTRAINT_CORRECTED) ==
				      !cases[i].corrected,
			      "%s: constraint_corrected", cases[i].what);
		}
		got_free(&g);
	}
}

/* A report that printed no constraint: memcg when only a memcg OOM's
 * lines say so (flagged inferred), else unknown; and the one answer
 * every command asks, oom_report_scope(), agrees with what is stored. */
static void test_scope_unprinted(void)
{
	static const struct {
		const char *what, *text, *want;
		enum oom_scope scope;
	} cases[] = {
		{ "the memcg block, no summary, no kill (panic_on_oom=2)",
		  H52 MEMCG52 DUMP52, "memcg", SCOPE_MEMCG },
		{ "the memcg block beside Mem-Info (2.6.32, or mixed)",
		  H52 MEMCG52 MEMINFO52 DUMP52, NULL, SCOPE_UNKNOWN },
		{ "Mem-Info and a global reason: none, inferred",
		  H52 MEMINFO52 DUMP52 KILL52("Out of memory: "), "none",
		  SCOPE_GLOBAL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct got g;
		struct oom_report *r = one_report(cases[i].text, &g);

		if (r) {
			const char *c = oom_report_constraint(r);

			CHECK(cases[i].want ? c && !strcmp(c, cases[i].want)
					    : !c && !r->constraint,
			      "%s: constraint %s", cases[i].what, c ? c : "-");
			CHECK(oom_report_scope(r) == cases[i].scope,
			      "%s: scope %d", cases[i].what,
			      (int)oom_report_scope(r));
			CHECK(!(r->flags & REPORT_CONSTRAINT_INFERRED) ==
				      !cases[i].want,
			      "%s: constraint_inferred", cases[i].what);
		}
		got_free(&g);
	}
}

/* The same answer for a report stored before the assembler inferred it
 * (constraint NULL), and the printed constraint over the old rule of
 * show and why ("a memcg usage line beside CONSTRAINT_NONE is memcg"):
 * the assembler alone corrects CONSTRAINT_NONE, knowing the whole
 * report. */
static void test_scope_stored(void)
{
	struct oom_report *r = oom_report_new();

	r->memcg[MEMCG_MEMORY] = (struct memcg_usage){ 1, 2097152, 2097152, 9 };
	CHECK(oom_report_scope(r) == SCOPE_MEMCG, "stored: memcg block");
	CHECK(oom_report_is_memcg(r), "stored: is memcg");
	CHECK(oom_report_scope_inferred(r), "stored: inferred");
	CHECK_STR(oom_report_constraint(r), "memcg");
	mem_set(r, MEM_RAM_PAGES, 4194304);
	CHECK(oom_report_scope(r) == SCOPE_UNKNOWN, "stored: beside Mem-Info");
	CHECK(!oom_report_constraint(r), "stored: nothing made up");
	r->constraint = strdup(CONSTRAINT_NONE_NAME);
	CHECK(oom_report_scope(r) == SCOPE_GLOBAL, "printed none stays none");
	CHECK(!oom_report_scope_inferred(r), "printed: not inferred");
	free(r->constraint);
	r->constraint = strdup("bpf_psi_mem");
	CHECK(oom_report_scope(r) == SCOPE_OTHER, "an out-of-tree word");
	CHECK_STR(oom_report_constraint(r), "bpf_psi_mem");
	free(r->constraint);
	r->constraint = NULL;
	r->oom_memcg = strdup("/docker/c1");
	CHECK(oom_report_is_memcg(r), "oom_memcg= settles it beside Mem-Info");
	oom_report_free(r);
}

/* Page sizes: what the report's kB against its pages say where no buddy
 * list prints the size; 4 KiB and too little evidence leave it unknown. */
#define PS_HEAD "[ 200.000001] w invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n" \
	"[ 200.000002] CPU: 1 PID: 2301 Comm: w Not tainted 6.8.0-45-generic-64k #45-Ubuntu\n" \
	"[ 200.000003] memory: usage 8388608kB, limit 8388608kB, failcnt 913\n" \
	"[ 200.000004] swap: usage 0kB, limit 0kB, failcnt 0\n" \
	"[ 200.000005] Tasks state (memory values in pages):\n" \
	"[ 200.000006] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"

static void test_page_size(void)
{
	static const struct {
		const char *what, *text;
		uint64_t want;		/* 0: unknown */
	} cases[] = {
		{ "64 KiB: the kill line 3 pages ahead of the row",
		  PS_HEAD
		  "[ 200.000007] [   2210]   998  2210   152000    70000  1966080        0          -100 ingestd\n"
		  "[ 200.000008] Memory cgroup out of memory: Killed process 2210 (ingestd) total-vm:9728000kB, anon-rss:4416192kB, file-rss:64000kB, shmem-rss:0kB, UID:998 pgtables:1920kB oom_score_adj:-100\n",
		  64 },
		{ "16 KiB: exact",
		  PS_HEAD
		  "[ 200.000007] [   2210]   998  2210   152000    70000  1966080        0          -100 ingestd\n"
		  "[ 200.000008] Memory cgroup out of memory: Killed process 2210 (ingestd) total-vm:2432000kB, anon-rss:1104000kB, file-rss:16000kB, shmem-rss:0kB, UID:998 pgtables:1920kB oom_score_adj:-100\n",
		  16 },
		{ "4 KiB is not stored: assumed as before",
		  PS_HEAD
		  "[ 200.000007] [   2210]   998  2210   152000    70000  1966080        0          -100 ingestd\n"
		  "[ 200.000008] Memory cgroup out of memory: Killed process 2210 (ingestd) total-vm:608000kB, anon-rss:276012kB, file-rss:4000kB, shmem-rss:0kB, UID:998 pgtables:1920kB oom_score_adj:-100\n",
		  0 },
		{ "rss and total-vm disagree: nothing",
		  PS_HEAD
		  "[ 200.000007] [   2210]   998  2210   152000    70000  1966080        0          -100 ingestd\n"
		  "[ 200.000008] Memory cgroup out of memory: Killed process 2210 (ingestd) total-vm:608000kB, anon-rss:4416000kB, file-rss:64000kB, shmem-rss:0kB, UID:998 pgtables:1920kB oom_score_adj:-100\n",
		  0 },
		{ "the rss fits no size, total-vm does: nothing",
		  PS_HEAD
		  "[ 200.000007] [   2210]   998  2210   152000    70000  1966080        0          -100 ingestd\n"
		  "[ 200.000008] Memory cgroup out of memory: Killed process 2210 (ingestd) total-vm:9728000kB, anon-rss:3000000kB, file-rss:64000kB, shmem-rss:0kB, UID:998 pgtables:1920kB oom_score_adj:-100\n",
		  0 },
		{ "a small rss leaves it to total-vm",
		  PS_HEAD
		  "[ 200.000007] [   2210]   998  2210   152000       40  1966080        0          -100 ingestd\n"
		  "[ 200.000008] Memory cgroup out of memory: Killed process 2210 (ingestd) total-vm:9728000kB, anon-rss:2560kB, file-rss:0kB, shmem-rss:0kB, UID:998 pgtables:1920kB oom_score_adj:-100\n",
		  64 },
		{ "a row too small to tell drift from a size",
		  PS_HEAD
		  "[ 200.000007] [   2210]   998  2210       40       30    65536        0          -100 tiny\n"
		  "[ 200.000008] Memory cgroup out of memory: Killed process 2210 (tiny) total-vm:2560kB, anon-rss:1920kB, file-rss:0kB, shmem-rss:0kB, UID:998 pgtables:64kB oom_score_adj:-100\n",
		  0 },
		{ "the kill line far from any size",
		  PS_HEAD
		  "[ 200.000007] [   2210]   998  2210   152000    70000  1966080        0          -100 ingestd\n"
		  "[ 200.000008] Memory cgroup out of memory: Killed process 2210 (ingestd) total-vm:6000000kB, anon-rss:3000000kB, file-rss:64000kB, shmem-rss:0kB, UID:998 pgtables:1920kB oom_score_adj:-100\n",
		  0 },
		{ "16 KiB: the zones' present kB against pages RAM (no buddy line)",
		  "[ 300.000001] x invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0\n"
		  "[ 300.000002] CPU: 2 PID: 77 Comm: x Not tainted 6.6.52-loong64 #1\n"
		  "[ 300.000003] Mem-Info:\n"
		  "[ 300.000004] Node 0 DMA32 free:44784kB boost:0kB min:4440kB low:5548kB high:6656kB reserved_highatomic:0KB active_anon:1287092kB inactive_anon:512kB active_file:0kB inactive_file:128kB unevictable:0kB writepending:0kB present:4194304kB managed:4063232kB mlocked:0kB bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB\n"
		  "[ 300.000005] Node 0 Normal free:61900kB boost:0kB min:61948kB low:75384kB high:88820kB reserved_highatomic:0KB active_anon:1287092kB inactive_anon:512kB active_file:0kB inactive_file:128kB unevictable:0kB writepending:0kB present:12582912kB managed:12451840kB mlocked:0kB bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB\n"
		  "[ 300.000006] 1048576 pages RAM\n"
		  "[ 300.000007] 16384 pages reserved\n"
		  "[ 300.000008] Out of memory: Killed process 77 (x) total-vm:16000kB, anon-rss:1600kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:64kB oom_score_adj:0\n",
		  16 },
	};

	struct got g;
	struct oom_report *r;

	/* the kill line pasted before the body it belongs to (class 7):
	 * joined after the body closed, and its kB still count */
	r = one_report(
		"[ 200.000008] Memory cgroup out of memory: Killed process 2210 (ingestd) total-vm:9728000kB, anon-rss:4416192kB, file-rss:64000kB, shmem-rss:0kB, UID:998 pgtables:1920kB oom_score_adj:-100\n"
		PS_HEAD
		"[ 200.000007] [   2210]   998  2210   152000    70000  1966080        0          -100 ingestd\n", &g);
	if (r) {
		CHECK_EQ(r->n_kills, 1);
		CHECK(r->flags & REPORT_REASSEMBLED, "reassembled");
		CHECK(mem_has(r, MEM_PAGE_SIZE_KB) && r->mem[MEM_PAGE_SIZE_KB] == 64,
		      "page size from a kill line joined late");
	}
	got_free(&g);

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = one_report(cases[i].text, &g);

		if (r) {
			uint64_t got = mem_has(r, MEM_PAGE_SIZE_KB)
					       ? r->mem[MEM_PAGE_SIZE_KB] : 0;

			CHECK(got == cases[i].want, "%s: page size %llu, want %llu",
			      cases[i].what, (unsigned long long)got,
			      (unsigned long long)cases[i].want);
			CHECK(!(r->flags & REPORT_PAGE_SIZE_INFERRED) ==
				      !cases[i].want,
			      "%s: page_size_inferred", cases[i].what);
		}
		got_free(&g);
	}
}

/* 2.6.31 and older: "oomkilladj=" in the header; the 2.6.32-3.0 rate
 * limiter names its own helper ("__ratelimit: N callbacks suppressed")
 * before the report it let through: no report of its own. */
static void test_oomkilladj(void)
{
	struct got g;
	struct oom_report *r = one_report(
		"[ 400.000000] __ratelimit: 7 callbacks suppressed\n"
		"[ 400.000001] mysqld invoked oom-killer: gfp_mask=0x201da, order=0, oomkilladj=0\n"
		"[ 400.000002] mysqld cpuset=/ mems_allowed=0\n"
		"[ 400.000003] Pid: 2412, comm: mysqld Not tainted 2.6.31-22-server #60-Ubuntu\n"
		"[ 400.000004] Call Trace:\n"
		"[ 400.000005]  [<ffffffff810b3c1d>] ? oom_kill_process+0x7d/0x2a0\n"
		"[ 400.000006] Mem-Info:\n"
		"[ 400.000007] Node 0 Normal: 1127*4kB 571*8kB = 9076kB\n"
		"[ 400.000008] [ pid ]   uid  tgid total_vm      rss cpu oom_adj name\n"
		"[ 400.000009] [ 2412]   112  2412   301002   183641   1       0 mysqld\n"
		"[ 400.000010] Out of memory: kill process 2412 (mysqld) score 301002 or a child\n"
		"[ 400.000011] Killed process 2412 (mysqld)\n", &g);

	if (r) {
		CHECK_STR(r->trigger_comm, "mysqld");
		CHECK_STR(r->gfp_mask, "0x201da");
		CHECK(r->known & RK_ORDER, "order");
		CHECK(!(r->known & RK_TRIGGER_ADJ), "oomkilladj is not oom_score_adj");
		CHECK_EQ(r->trigger_pid, 2412);
		CHECK_STR(r->kernel_release, "2.6.31-22-server");
		CHECK_EQ(r->first_line, 2);
		CHECK_EQ(r->layout, LAYOUT_OOM_ADJ);
		CHECK_EQ(r->n_kills, 1);
		CHECK_STR(r->constraint, "none");
		CHECK(!(r->flags & REPORT_NO_HEADER), "has its header");
	}
	got_free(&g);

	/* RHEL 6, vm.would_have_oomkilled=1: selected, not killed */
	r = one_report(
		"Nov 21 12:00:00 db1 kernel: java invoked oom-killer: gfp_mask=0x201da, order=0, oom_adj=0, oom_score_adj=0\n"
		"Nov 21 12:00:00 db1 kernel: Pid: 4321, comm: java Not tainted 2.6.32-504.16.2.el6.x86_64 #1\n"
		"Nov 21 12:00:00 db1 kernel: Mem-Info:\n"
		"Nov 21 12:00:00 db1 kernel: 4194303 pages RAM\n"
		"Nov 21 12:00:00 db1 kernel: [ pid ]   uid  tgid total_vm      rss cpu oom_adj oom_score_adj name\n"
		"Nov 21 12:00:00 db1 kernel: [ 4321]   500  4321  5120331  3701220   7       0             0 java\n"
		"Nov 21 12:00:00 db1 kernel: Out of memory: Kill process 4321 (java) score 803 or sacrifice child\n"
		"Nov 21 12:00:00 db1 kernel: Would have killed process 4321 (java). But continuing instead.\n", &g);
	if (r) {
		CHECK_EQ(r->n_kills, 0);
		CHECK(r->flags & REPORT_WOULD_HAVE_KILLED, "would_have_killed");
		CHECK(!(r->flags & (REPORT_VICTIM_FROM_SELECTION |
				    REPORT_VICTIM_EXITING)), "no victim invented");
		CHECK_EQ(r->selected_pid, 4321);
		CHECK_EQ(r->last_line, 8);
	}
	got_free(&g);
}

/* 4.9+: init shares the victim's mm; the line after the kill is the
 * report's own, not a line that ends it (and loses the reaper's). */
static void test_mm_pinned(void)
{
	struct got g;
	const struct oom_report *r = one_report(
		"[ 50.000000] java invoked oom-killer: gfp_mask=0x14200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null),  order=0, oom_score_adj=0\n"
		"[ 50.000001] Mem-Info:\n"
		"[ 50.000002] 4194303 pages RAM\n"
		"[ 50.000003] [ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name\n"
		"[ 50.000004] [ 4321]   500  4321  5120331  3701220    7301      24        0             0 java\n"
		"[ 50.000005] Out of memory: Kill process 4321 (java) score 803 or sacrifice child\n"
		"[ 50.000006] Killed process 4321 (java) total-vm:20481324kB, anon-rss:14803920kB, file-rss:960kB, shmem-rss:0kB\n"
		"[ 50.000007] oom killer 4321 (java) has mm pinned by 1 (systemd)\n"
		"[ 50.000008] oom_reaper: unable to reap pid:4321 (java)\n", &g);

	if (r) {
		CHECK_EQ(r->n_kills, 1);
		CHECK_EQ(r->last_line, 9);
		CHECK(r->raw && strstr(r->raw, "has mm pinned by 1 (systemd)"),
		      "the line is in the report's text");
		CHECK(r->n_kills && r->kills[0].reap == REAP_UNABLE, "reaper");
	}
	got_free(&g);
}

int main(void)
{
	char *err = NULL;

	setenv("TZ", "UTC", 1);
	if (classify_new(&cls, &err) < 0) {
		CHECK(0, "classify_new: %s", err);
		return check_done("test-report");
	}
	test_modern(0);
	test_modern(13);	/* lines split across reads */
	test_cut_and_headless();
	test_syslog();
	test_boot_markers(0);
	test_boot_markers(5);
	test_memcg_v2();
	test_adj_out_of_range();
	test_long_line();
	test_constraint_corrected();
	test_scope_unprinted();
	test_scope_stored();
	test_page_size();
	test_oomkilladj();
	test_mm_pinned();
	classify_free(cls);
	return check_done("test-report");
}
