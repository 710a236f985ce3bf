/*
 * test-damage.c: damaged real-world text, made at test time from the
 * fixtures (tests/fixtures) or written here: reports of two CPUs
 * interleaved, bursts, rate limiting, reports cut by a reboot, a lone
 * kill line, lost and garbled lines, lines wrapped at 80 columns, mail
 * quoting, other programs' lines, tails, and random mutations.  What can
 * be recovered must be; what is uncertain must be flagged; a row or a
 * victim must never land in the wrong report; nothing may crash.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "buf.h"
#include "check.h"
#include "collect.h"
#include "classify.h"
#include "oom.h"
#include "report.h"
#include "scan.h"
#include "xalloc.h"

static struct classifier *cls;
static const char *fixtures;

static void scan(const char *text, size_t len, struct got *g)
{
	/* 2026-11-22T12:00:00Z, as the fixtures' facts say */
	got_scan(cls, text, len, 0, 1795348800, g);
}

static void scan_buf(const struct buf *b, struct got *g)
{
	scan(b->data, b->len, g);
}

static int read_fixture(const char *name, struct buf *b)
{
	char path[4096], chunk[65536];
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", fixtures, name);
	fp = fopen(path, "rb");
	CHECK(fp != NULL, "open %s", path);
	if (!fp)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(b, chunk, n);
	fclose(fp);
	return 0;
}

/* Call fn for each line of text (without its newline). */
static void each_line(const struct buf *text,
		      void (*fn)(void *ctx, const char *l, size_t n, size_t i),
		      void *ctx)
{
	size_t i = 0;

	for (const char *p = text->data; p < text->data + text->len; i++) {
		const char *nl = memchr(p, '\n', (size_t)(text->data + text->len - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(text->data + text->len - p);

		fn(ctx, p, n, i);
		p += n + 1;
	}
}

static const struct oom_task *row(const struct oom_report *r, int64_t pid)
{
	for (size_t i = 0; i < r->n_tasks; i++)
		if (r->tasks[i].pid == pid)
			return &r->tasks[i];
	return NULL;
}

/* The damaged text must give the same report as the clean one. */
static void check_same(const char *what, const struct oom_report *a,
		       const struct oom_report *b)
{
	CHECK(a->trigger_comm && b->trigger_comm &&
	      !strcmp(a->trigger_comm, b->trigger_comm), "%s: trigger", what);
	CHECK_EQ(a->trigger_pid, b->trigger_pid);
	CHECK(!a->constraint == !b->constraint &&
	      (!a->constraint || !strcmp(a->constraint, b->constraint)),
	      "%s: constraint", what);
	CHECK(a->n_tasks == b->n_tasks, "%s: %zu rows, want %zu", what,
	      b->n_tasks, a->n_tasks);
	for (size_t i = 0; i < a->n_tasks; i++) {
		const struct oom_task *t = row(b, a->tasks[i].pid);

		CHECK(t && !strcmp(t->name, a->tasks[i].name) &&
		      t->rss == a->tasks[i].rss &&
		      t->oom_score_adj == a->tasks[i].oom_score_adj,
		      "%s: row %lld", what, (long long)a->tasks[i].pid);
	}
	CHECK(a->n_kills == b->n_kills, "%s: kills", what);
	for (size_t i = 0; i < a->n_kills && i < b->n_kills; i++)
		CHECK(a->kills[i].pid == b->kills[i].pid &&
		      a->kills[i].total_vm_kb == b->kills[i].total_vm_kb &&
		      a->kills[i].reap == b->kills[i].reap,
		      "%s: kill %zu", what, i);
	CHECK(a->mem_known == b->mem_known, "%s: memory fields", what);
	for (int f = 0; f < MEM_FIELD_COUNT; f++)
		CHECK(a->mem[f] == b->mem[f], "%s: %s", what, mem_field_names[f]);
	CHECK(a->n_zones == b->n_zones, "%s: zones", what);
	CHECK((a->flags & ~(REPORT_LINES_JOINED | REPORT_PASTE_PREFIX)) ==
	      (b->flags & ~(REPORT_LINES_JOINED | REPORT_PASTE_PREFIX)),
	      "%s: flags %#x, want %#x", what, b->flags, a->flags);
}

/* ---- lines wrapped at 80 columns (fold -w 80), and mail quoting -------- */

static void fold80(void *ctx, const char *l, size_t n, size_t i)
{
	struct buf *out = ctx;

	(void)i;
	do {
		size_t k = n > 80 ? 80 : n;

		buf_add(out, l, k);
		buf_addch(out, '\n');
		l += k;
		n -= k;
	} while (n);
}

/* A mail program: "> " before each line, long lines broken at the last
 * blank before column 76, the blank left at the end of the line. */
static void quote76(void *ctx, const char *l, size_t n, size_t i)
{
	struct buf *out = ctx;

	(void)i;
	do {
		size_t k = n;

		if (n > 74) {
			/* a word longer than the line stays whole */
			k = 74;
			while (k > 0 && l[k - 1] != ' ')
				k--;
			if (k == 0)
				k = n;
		}
		buf_adds(out, "> ");
		buf_add(out, l, k);
		buf_addch(out, '\n');
		l += k;
		n -= k;
	} while (n);
}

/* A mail program or a wiki (Python's textwrap): long lines broken at the
 * last blank before column 72, the blanks at the break dropped; a word
 * longer than the line stays whole. */
static void mail72(void *ctx, const char *l, size_t n, size_t i)
{
	struct buf *out = ctx;

	(void)i;
	while (n > 72) {
		size_t k = 72, r;

		while (k > 0 && l[k] != ' ')
			k--;
		if (k == 0) {
			for (k = 72; k < n && l[k] != ' '; k++)
				;
			if (k == n)
				break;
		}
		for (r = k; r > 0 && l[r - 1] == ' '; r--)
			;
		buf_add(out, l, r);
		buf_addch(out, '\n');
		while (k < n && l[k] == ' ')
			k++;
		l += k;
		n -= k;
	}
	buf_add(out, l, n);
	buf_addch(out, '\n');
}

/* cat -n: the line's number, right-aligned in 6 columns, and a tab. */
static void numbered(void *ctx, const char *l, size_t n, size_t i)
{
	char num[16];

	snprintf(num, sizeof(num), "%6zu\t", i + 1);
	buf_adds(ctx, num);
	buf_add(ctx, l, n);
	buf_addch(ctx, '\n');
}

/* An issue comment's code block: every line indented by 4 blanks. */
static void indented(void *ctx, const char *l, size_t n, size_t i)
{
	(void)i;
	buf_adds(ctx, "    ");
	buf_add(ctx, l, n);
	buf_addch(ctx, '\n');
}

static void test_rewrapped(const char *name,
			   void (*how)(void *, const char *, size_t, size_t),
			   const char *what)
{
	struct buf clean = BUF_INIT, damaged = BUF_INIT;
	struct got a, b;
	char label[256];

	if (read_fixture(name, &clean) < 0)
		return;
	each_line(&clean, how, &damaged);
	scan_buf(&clean, &a);
	scan_buf(&damaged, &b);
	snprintf(label, sizeof(label), "%s %s", name, what);
	CHECK(a.n == 1 && b.n == 1, "%s: %zu reports", label, b.n);
	if (a.n == 1 && b.n == 1) {
		check_same(label, a.r[0], b.r[0]);
		if (how == fold80 || how == mail72)
			CHECK(b.r[0]->flags & REPORT_LINES_JOINED,
			      "%s: joining is flagged", label);
		if (how == numbered || how == indented)
			CHECK(b.r[0]->flags & REPORT_PASTE_PREFIX,
			      "%s: the prefix is flagged", label);
	}
	got_free(&a);
	got_free(&b);
	buf_release(&clean);
	buf_release(&damaged);
}

/* Pastes of every era's report (issue 17, classes 3 and 4): wrapped by
 * a mail program, numbered, indented; the same report as clean. */
static void test_pasted(void)
{
	static const char *const names[] = {
		"era-2.6.32.dmesg", "era-rhel6-2.6.32.messages",
		"era-rhel7-3.10.messages", "era-4.14.dmesg", "era-4.19.kern.log",
		"era-5.4-mempolicy.dmesg-T", "era-5.15-sysrq.rfc3339",
		"era-6.1-panic.kern.log", "era-6.12.kmsg",
		"wrap-6.12.journal-full", "wrap-6.12.rfc5424",
		"wrap-6.12.syslog-012", "wrap-4.14-pieces.dmesg",
		"postgres-6.8.dmesg",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		test_rewrapped(names[i], mail72, "wrapped at 72 by a mail program");
		test_rewrapped(names[i], numbered, "numbered by cat -n");
		test_rewrapped(names[i], indented, "indented by 4");
	}
}

/* ---- two reports of two CPUs, interleaved (3.10: no oom_lock) ---------- */

static const char *const rep_a[] = {	/* global, CPU 0, caller T2412 */
	"mysqld invoked oom-killer: gfp_mask=0x201da, order=0, oom_score_adj=0",
	"mysqld cpuset=/ mems_allowed=0",
	"CPU: 0 PID: 2412 Comm: mysqld Not tainted 3.10.0-1160.el7.x86_64 #1",
	"Hardware name: HP ProLiant DL380 Gen9, BIOS P89 10/21/2019",
	"Call Trace:",
	" [<ffffffff81781340>] dump_stack+0x19/0x1b",
	" [<ffffffff8177bd1a>] dump_header+0x90/0x229",
	"Mem-Info:",
	"active_anon:3845210 inactive_anon:2190 isolated_anon:0",
	"Node 0 DMA free:15872kB min:40kB low:48kB high:60kB present:15992kB managed:15908kB",
	"Node 0 Normal free:36692kB min:36784kB low:45980kB high:55176kB present:13631488kB managed:13368348kB",
	"Free swap  = 0kB",
	"Total swap = 8388604kB",
	"[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name",
	"[  390]     0   390    39012     6739      78       51             0 systemd-journal",
	"[  612]     0   612    11104        2      22      360         -1000 systemd-udevd",
	"[ 1301]    27  1301  8478723  5157251   10512        0             0 mysqld",
	"[ 1402]     0  1402    29214       58      14        0             0 crond",
	"Out of memory: Kill process 1301 (mysqld) score 651 or sacrifice child",
	"Killed process 1301 (mysqld), UID 27, total-vm:33914892kB, anon-rss:20629004kB, file-rss:0kB, shmem-rss:0kB",
};
static const char *const rep_b[] = {	/* memcg, CPU 3, caller T48213 */
	"java invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0",
	"java cpuset=docker-3b2a.scope mems_allowed=0",
	"CPU: 3 PID: 48213 Comm: java Kdump: loaded Not tainted 3.10.0-1160.el7.x86_64 #1",
	"Hardware name: HP ProLiant DL380 Gen9, BIOS P89 10/21/2019",
	"Call Trace:",
	" [<ffffffff81781340>] dump_stack+0x19/0x1b",
	"Task in /system.slice/docker-3b2a.scope killed as a result of limit of /system.slice/docker-3b2a.scope",
	"memory: usage 1048576kB, limit 1048576kB, failcnt 12891",
	"memory+swap: usage 1048576kB, limit 9007199254740988kB, failcnt 0",
	"kmem: usage 0kB, limit 9007199254740988kB, failcnt 0",
	"[ pid ]   uid  tgid total_vm      rss nr_ptes swapents oom_score_adj name",
	"[48190]     0 48190     1100       52       6        0             0 tini",
	"[48213]  1000 48213  1537811   261000     614        0             0 java",
	"[48302]  1000 48302    28300      210      13        0             0 sh",
	"Memory cgroup out of memory: Kill process 48213 (java) score 997 or sacrifice child",
	"Killed process 48213 (java), UID 1000, total-vm:6151244kB, anon-rss:1043908kB, file-rss:92kB, shmem-rss:0kB",
};
#define NA (sizeof(rep_a) / sizeof(rep_a[0]))
#define NB (sizeof(rep_b) / sizeof(rep_b[0]))

/* The pid of a dump row "[  612] ...", -1 for other lines. */
static int64_t row_pid(const char *l)
{
	const char *p = l + 1;

	if (l[0] != '[')
		return -1;
	while (*p == ' ')
		p++;
	return *p >= '0' && *p <= '9' ? strtoll(p, NULL, 10) : -1;
}

static int in_set(const char *const *rep, size_t n, int64_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (row_pid(rep[i]) == pid && pid > 0)
			return 1;
	return 0;
}

/* Interleave with a pattern: bit i of pat says "take from B" at step i. */
static void interleave(struct buf *out, uint64_t pat, int callers)
{
	size_t ia = 0, ib = 0, step = 0;
	int64_t us = 5123000000;

	while (ia < NA || ib < NB) {
		int from_b = ib < NB && (ia >= NA || ((pat >> (step % 64)) & 1));
		const char *l = from_b ? rep_b[ib++] : rep_a[ia++];

		buf_addf(out, "[%5lld.%06lld]", (long long)(us / 1000000),
			 (long long)(us % 1000000));
		if (callers)
			buf_addf(out, "[%7s]", from_b ? "T48213" : "T2412");
		buf_addf(out, " %s\n", l);
		us += 17;
		step++;
	}
}

static const struct oom_report *by_trigger(const struct got *g, const char *c)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->r[i]->trigger_comm && !strcmp(g->r[i]->trigger_comm, c))
			return g->r[i];
	return NULL;
}

static void check_interleaved(uint64_t pat, int callers)
{
	struct buf text = BUF_INIT;
	const struct oom_report *a, *b;
	struct got g;

	interleave(&text, pat, callers);
	scan_buf(&text, &g);
	a = by_trigger(&g, "mysqld");
	b = by_trigger(&g, "java");
	CHECK(a && b, "pattern %#llx: both reports found", (unsigned long long)pat);
	/* the invariant: nothing of one report in the other */
	for (size_t i = 0; i < g.n; i++) {
		const struct oom_report *r = g.r[i];
		const char *const *own = r == a ? rep_a : rep_b;
		size_t n = r == a ? NA : NB;

		if (r != a && r != b) {
			/* a kill that could not be told apart: alone, flagged */
			CHECK(r->flags & REPORT_NO_HEADER, "extra report is headless");
			CHECK(r->flags & REPORT_INTERLEAVED, "and flagged");
			CHECK(r->n_tasks == 0, "and has no rows");
			continue;
		}
		for (size_t k = 0; k < r->n_tasks; k++)
			CHECK(in_set(own, n, r->tasks[k].pid),
			      "pattern %#llx: row %lld in the wrong report",
			      (unsigned long long)pat, (long long)r->tasks[k].pid);
		for (size_t k = 0; k < r->n_kills; k++)
			CHECK(r->kills[k].pid == (r == a ? 1301 : 48213),
			      "pattern %#llx: victim %lld in the wrong report",
			      (unsigned long long)pat, (long long)r->kills[k].pid);
		if (r->n_tasks < (r == a ? 4u : 3u) || !r->n_kills)
			CHECK(r->flags & (REPORT_INTERLEAVED | REPORT_DUMP_PARTIAL),
			      "pattern %#llx: losses are flagged",
			      (unsigned long long)pat);
	}
	if (a && b) {
		CHECK(a->flags & REPORT_INTERLEAVED, "A flagged interleaved");
		CHECK(b->flags & REPORT_INTERLEAVED, "B flagged interleaved");
		CHECK(a->known & RK_TRIGGER_PID && a->trigger_pid == 2412,
		      "A's CPU line by comm");
		CHECK(b->known & RK_TRIGGER_PID && b->trigger_pid == 48213,
		      "B's CPU line by comm");
		CHECK(!a->oom_memcg, "A has no memcg line of B");
		CHECK(!a->constraint || !strcmp(a->constraint, "none"),
		      "A is not memcg");
		CHECK(!b->constraint || !strcmp(b->constraint, "memcg"),
		      "B is not global");
		if (callers) {
			CHECK_STR(b->constraint, "memcg");
			/* caller ids settle everything */
			CHECK_EQ(a->n_tasks, 4);
			CHECK_EQ(b->n_tasks, 3);
			CHECK(a->n_kills == 1 && b->n_kills == 1, "both victims");
			CHECK_EQ(g.n, 2);
			CHECK(!(a->flags & REPORT_DUMP_PARTIAL), "A's dump whole");
		}
	}
	got_free(&g);
	buf_release(&text);
}

static void test_interleaved(void)
{
	uint64_t x = 88172645463325252ULL;

	check_interleaved(0xaaaaaaaaaaaaaaaaULL, 0);	/* line by line */
	check_interleaved(0xaaaaaaaaaaaaaaaaULL, 1);
	check_interleaved(0xf0f0f0f0f0f0f0f0ULL, 0);	/* blocks of four */
	check_interleaved(0xf0f0f0f0f0f0f0f0ULL, 1);
	for (int i = 0; i < 40; i++) {		/* xorshift patterns */
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		check_interleaved(x | 2, i & 1);
	}
}

/* ---- a burst: 20 reports in a minute, then the rate limit -------------- */

static void burst_report(struct buf *b, int i, int headless)
{
	int pid = 20000 + i * 7;
	const char *p = "Nov 21 03:12:%02d ci1 kernel: [%d.%06d] ";
	int s = 7 + i * 2, us = 3000 + i;

	if (!headless) {
		buf_addf(b, p, s, 8123 + i * 2, us);
		buf_addf(b, "jest invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n");
		buf_addf(b, p, s, 8123 + i * 2, us + 1);
		buf_addf(b, "CPU: 1 PID: %d Comm: jest Not tainted 6.8.0-45-generic #45-Ubuntu\n", pid);
		buf_addf(b, p, s, 8123 + i * 2, us + 2);
		buf_addf(b, "memory: usage 2097152kB, limit 2097152kB, failcnt %d\n", 10 + i);
		buf_addf(b, p, s, 8123 + i * 2, us + 3);
		buf_addf(b, "Tasks state (memory values in pages):\n");
		buf_addf(b, p, s, 8123 + i * 2, us + 4);
		buf_addf(b, "[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name\n");
		buf_addf(b, p, s, 8123 + i * 2, us + 5);
		buf_addf(b, "[%7d]  1000 %5d   901234   523000   522000     1000         0  4410000        0             0 jest\n", pid, pid);
		buf_addf(b, p, s, 8123 + i * 2, us + 6);
		buf_addf(b, "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/ci.slice,task_memcg=/ci.slice/job-%d.scope,task=jest,pid=%d,uid=1000\n", i, pid);
	} else if (i == 10) {
		buf_addf(b, p, s, 8123 + i * 2, us);
		buf_addf(b, "oom_kill_process: 9 callbacks suppressed\n");
	}
	buf_addf(b, p, s, 8123 + i * 2, us + 7);
	buf_addf(b, "Memory cgroup out of memory: Killed process %d (jest) total-vm:3604936kB, anon-rss:2088000kB, file-rss:4000kB, shmem-rss:0kB, UID:1000 pgtables:4306kB oom_score_adj:0\n", pid);
	buf_addf(b, "Nov 21 03:12:%02d ci1 systemd[1]: job-%d.scope: A process of this unit has been killed by the OOM killer.\n", s, i);
	buf_addf(b, p, s, 8123 + i * 2, us + 9);
	buf_addf(b, "oom_reaper: reaped process %d (jest), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n", pid);
}

static void test_burst(void)
{
	struct buf b = BUF_INIT;
	struct got g;

	/* ten whole reports, then the header and dump are rate limited
	 * (§2.13.6) and only the kill lines remain */
	for (int i = 0; i < 20; i++)
		burst_report(&b, i, i >= 10);
	scan_buf(&b, &g);
	CHECK_EQ(g.n, 20);
	for (size_t i = 0; i < g.n && i < 20; i++) {
		const struct oom_report *r = g.r[i];

		CHECK(r->n_kills == 1 && r->kills[0].pid == 20000 + (int64_t)i * 7,
		      "burst %zu: its own victim", i);
		CHECK(r->n_kills == 1 && r->kills[0].reap == REAP_REAPED,
		      "burst %zu: reaped", i);
		if (i < 10) {
			CHECK(r->n_tasks == 1 && r->tasks[0].pid == r->kills[0].pid,
			      "burst %zu: its own row", i);
			CHECK(r->trigger_pid == 20000 + (int64_t)i * 7, "trigger %zu", i);
			CHECK(!(r->flags & (REPORT_CUT | REPORT_NO_HEADER)), "whole %zu", i);
		} else {
			CHECK(r->flags & REPORT_NO_HEADER, "burst %zu: headless", i);
			CHECK(!r->trigger_comm && !r->n_tasks, "nothing invented %zu", i);
			CHECK(r->constraint && !strcmp(r->constraint, "memcg"),
			      "memcg from the kill line's reason %zu", i);
		}
	}
	got_free(&g);
	buf_release(&b);
}

/* ---- cut short: reboot, lost lines, a lone kill line ------------------- */

static void test_cut(void)
{
	struct got g;
	static const char reboot[] =
		"[ 8123.456789] x invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0\n"
		"[ 8123.456800] CPU: 5 PID: 7310 Comm: x Not tainted 6.8.0-45-generic #45-Ubuntu\n"
		"[ 8123.456806] Mem-Info:\n"
		"[ 8123.456807] active_anon:2731 inactive_anon:3901210 isolated_anon:0\n"
		"[    0.000000] Linux version 6.8.0-45-generic (buildd@lcy02-amd64-075) (gcc 13.2.0) #45-Ubuntu SMP\n"
		"[    0.000000] Command line: BOOT_IMAGE=/vmlinuz root=/dev/vda1\n"
		"[    1.000000] [   1201]    26  1201  2310456  1180240 10203136    52000             0 postgres\n"
		"[   60.000000] Out of memory: Killed process 1201 (postgres) total-vm:9241824kB, anon-rss:4480000kB, file-rss:83840kB, shmem-rss:157120kB, UID:26 pgtables:9964kB oom_score_adj:0\n";

	scan(reboot, strlen(reboot), &g);
	CHECK_EQ(g.n, 2);
	if (g.n == 2) {
		CHECK(g.r[0]->flags & REPORT_CUT, "cut by the reboot");
		CHECK(g.r[0]->flags & REPORT_NO_KILL, "no kill");
		CHECK_EQ(g.r[0]->n_tasks, 0);
		CHECK_EQ(g.r[0]->last_line, 4);
		CHECK(g.r[1]->flags & REPORT_NO_HEADER, "the kill after boot stands alone");
		CHECK(!g.r[1]->trigger_comm, "no trigger carried over the boot");
	}
	got_free(&g);

	/* downstream rate limiting: rsyslog says so, then the rest is gone */
	static const char lost[] =
		"Nov 21 03:12:07 db1 kernel: x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"Nov 21 03:12:07 db1 kernel: CPU: 5 PID: 7310 Comm: x Not tainted 6.8.0-45-generic #45-Ubuntu\n"
		"Nov 21 03:12:07 db1 kernel: Tasks state (memory values in pages):\n"
		"Nov 21 03:12:07 db1 kernel: [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
		"Nov 21 03:12:07 db1 kernel: [    612]     0   612    12137      596   110592        0         -1000 systemd-udevd\n"
		"Nov 21 03:12:09 db1 rsyslogd: imjournal: 3182 messages lost due to rate-limiting (20000 allowed within 600 seconds)\n"
		"Nov 21 03:12:30 db1 systemd[1]: Started foo.\n";
	scan(lost, strlen(lost), &g);
	CHECK_EQ(g.n, 1);
	if (g.n == 1) {
		CHECK(g.r[0]->flags & REPORT_LINES_LOST, "lines lost flagged");
		CHECK(g.r[0]->flags & REPORT_CUT, "cut");
		CHECK_EQ(g.r[0]->n_tasks, 1);
	}
	got_free(&g);

	/* /dev/kmsg: a sequence gap inside the dump */
	static const char gap[] =
		"4,100,8123456789,-;x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"6,101,8123456790,-;[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
		"6,102,8123456791,-;[    612]     0   612    12137      596   110592        0         -1000 systemd-udevd\n"
		"6,140,8123456830,-;[   7310]  1000  7310    90000    50000   410592        0             0 x\n"
		"3,141,8123456831,-;Out of memory: Killed process 7310 (x) total-vm:360000kB, anon-rss:200000kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:401kB oom_score_adj:0\n";
	scan(gap, strlen(gap), &g);
	CHECK_EQ(g.n, 1);
	if (g.n == 1) {
		CHECK(g.r[0]->flags & REPORT_LINES_LOST, "kmsg gap flagged");
		CHECK_EQ(g.r[0]->n_tasks, 2);
		CHECK(g.r[0]->n_kills == 1 && g.r[0]->kills[0].pid == 7310, "victim");
	}
	got_free(&g);

	/* a lone kill line: the body never made it */
	static const char orphan[] =
		"Nov 21 03:12:07 db1 kernel: [ 8123.456821] Out of memory: Killed process 1201 (postgres) total-vm:9241824kB, anon-rss:4480000kB, file-rss:83840kB, shmem-rss:157120kB, UID:26 pgtables:9964kB oom_score_adj:0\n";
	scan(orphan, strlen(orphan), &g);
	CHECK_EQ(g.n, 1);
	if (g.n == 1) {
		CHECK(g.r[0]->flags & REPORT_NO_HEADER, "headless");
		CHECK(!g.r[0]->trigger_comm && !g.r[0]->kernel_release &&
		      !(g.r[0]->known & RK_TRIGGER_PID), "nothing invented");
		CHECK(!g.r[0]->constraint, "no scope from a kill line alone");
		CHECK(g.r[0]->kills && g.r[0]->kills[0].uid == 26, "victim uid");
		CHECK_STR(g.r[0]->host, "db1");
	}
	got_free(&g);
}

/* ---- garbled lines, tails, other programs ------------------------------ */

static void test_garbled(void)
{
	struct got g;
	static const char text[] =
		"[ 8123.456789] x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"[ 8123.456800] CPU: 5 PID: 7310 Comm: x Not tainted 6.8.0-45-generic #45-Ubuntu\n"
		"[ 8123.456815] Tasks state (memory values in pages):\n"
		"[ 8123.456816] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
		"[ 8123.456817] [    612]     0   612    12137      596   110592        0         -1000 systemd-udevd\n"
		/* a row whose time stamp was lost */
		"[   1201]    26  1201  2310456  1180240 10203136    52000             0 postgres\n"
		/* a row cut in the middle, then bytes of nothing */
		"[ 8123.456819] [   7310]  1000  7310  3800\n"
		"[ 8123.456819] \x01\x02\xff\xfe garbage \x7f\n"
		"[ 8123.456820] [   7311]  1000  7311  3800123  2300100 19660800   472000          -500 pytest\n"
		"[ 8123.456821] Out of memory: Killed process 1201 (postgres) total-vm:9241824kB, anon-rss:4480000kB, file-rss:83840kB, shmem-rss:157120kB, UID:26 pgtables:9964kB oom_score_adj:0\n";

	scan(text, strlen(text), &g);
	CHECK_EQ(g.n, 1);
	if (g.n == 1) {
		CHECK_EQ(g.r[0]->n_tasks, 3);
		CHECK(row(g.r[0], 1201) != NULL, "the row without its stamp");
		CHECK(row(g.r[0], 7311) != NULL, "the row after the garbage");
		CHECK(g.r[0]->flags & REPORT_DUMP_PARTIAL, "cut row flagged");
		CHECK_EQ(g.warnings, 1);
		CHECK(g.r[0]->kills && g.r[0]->kills[0].pid == 1201, "victim");
	}
	got_free(&g);

	/* a tail (the ring buffer lost the start): rows, no invented
	 * trigger or kernel; journalctl short with a blank line between */
	static const char tail[] =
		"Mar 27 01:15:36 ip-10-0-1-103.ec2.internal kernel: [ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents oom_score_adj name\n\n"
		"Mar 27 01:15:36 ip-10-0-1-103.ec2.internal kernel: [16846]     0 16846    30939    11021      62       3        0             0 runner\n\n"
		"Mar 27 01:15:36 ip-10-0-1-103.ec2.internal kernel: [16883]     0 16883  1143916    14756      52       6        0             0 leaky\n\n"
		"Mar 27 01:15:36 ip-10-0-1-103.ec2.internal kernel: Memory cgroup out of memory: Kill process 16883 (leaky) score 877 or sacrifice child\n\n"
		"Mar 27 01:15:36 ip-10-0-1-103.ec2.internal kernel: Killed process 16883 (leaky) total-vm:4575664kB, anon-rss:57784kB, file-rss:1240kB, shmem-rss:0kB\n";
	scan(tail, strlen(tail), &g);
	CHECK_EQ(g.n, 1);
	if (g.n == 1) {
		const struct oom_report *r = g.r[0];

		CHECK_EQ(r->n_tasks, 2);
		CHECK_EQ(r->layout, LAYOUT_NR_PMDS);
		CHECK(r->flags & REPORT_NO_HEADER, "flagged headless");
		CHECK(!r->trigger_comm && !r->kernel_release &&
		      !(r->known & RK_TRIGGER_PID), "no invented trigger or kernel");
		CHECK_STR(r->constraint, "memcg");
		CHECK(r->n_kills == 1 && r->kills[0].pid == 16883, "victim");
	}
	got_free(&g);

	/* two dumps without a header between: the second is a new report */
	static const char two[] =
		"[ 10.000000] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
		"[ 10.000001] [    612]     0   612    12137      596   110592        0         -1000 a\n"
		"[ 12.000000] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n"
		"[ 12.000001] [    613]     0   613    12137      596   110592        0         -1000 b\n"
		"[ 12.000002] Out of memory: Killed process 613 (b) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:0\n";
	scan(two, strlen(two), &g);
	CHECK_EQ(g.n, 2);
	if (g.n == 2) {
		CHECK(g.r[0]->n_tasks == 1 && g.r[0]->tasks[0].pid == 612 &&
		      !g.r[0]->n_kills, "first tail keeps its row, no victim");
		CHECK(g.r[1]->n_tasks == 1 && g.r[1]->tasks[0].pid == 613 &&
		      g.r[1]->n_kills == 1, "second tail");
	}
	got_free(&g);
}

/* ---- a big dump: tens of thousands of processes ------------------------ */

static void test_big_dump(void)
{
	struct buf b = BUF_INIT;
	struct got g;

	buf_adds(&b, "[ 9.000000] x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		     "[ 9.000001] Tasks state (memory values in pages):\n"
		     "[ 9.000002] [  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name\n");
	for (int i = 0; i < 60000; i++)
		buf_addf(&b, "[ 9.000003] [%7d]  1000 %5d    90000    %5d   410592        0             0 worker\n",
			 1000 + i, 1000 + i, i % 9000);
	buf_adds(&b, "[ 9.000004] Out of memory: Killed process 1042 (worker) total-vm:360000kB, anon-rss:168kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:401kB oom_score_adj:0\n");
	scan_buf(&b, &g);
	CHECK_EQ(g.n, 1);
	if (g.n == 1) {
		CHECK_EQ(g.r[0]->n_tasks, 60000);
		CHECK(!(g.r[0]->flags & REPORT_DUMP_PARTIAL), "whole");
	}
	got_free(&g);
	buf_release(&b);
}

/* ---- random mutations: never crash, never a victim from nowhere -------- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void mutate(const struct buf *in, struct buf *out)
{
	buf_reset(out);
	for (size_t i = 0; i < in->len;) {
		size_t run = 1 + rnd() % 200;

		if (run > in->len - i)
			run = in->len - i;
		switch (rnd() % 12) {
		case 0:		/* drop */
			break;
		case 1:		/* garble */
			for (size_t k = 0; k < run; k++)
				buf_addch(out, (char)(rnd() & 0xff));
			break;
		case 2:		/* repeat */
			buf_add(out, in->data + i, run);
			buf_add(out, in->data + i, run);
			break;
		default:
			buf_add(out, in->data + i, run);
		}
		i += run;
	}
}

static void test_mutations(void)
{
	static const char *const names[] = {
		"era-6.12.kmsg", "era-4.14.dmesg", "wrap-4.14-pieces.dmesg",
		"era-rhel6-2.6.32.messages", "era-6.6-oom-group.journal-precise",
		"wrap-6.12.syslog-012", "era-rhel8.3-4.18.journal-iso",
	};
	struct buf in = BUF_INIT, out = BUF_INIT;
	struct got g;
	unsigned runs = 0, bad = 0;

	for (size_t f = 0; f < sizeof(names) / sizeof(names[0]); f++) {
		buf_reset(&in);
		if (read_fixture(names[f], &in) < 0)
			continue;
		for (int k = 0; k < 60; k++) {
			mutate(&in, &out);
			scan_buf(&out, &g);
			runs++;
			/* every victim must be a pid some kill line printed */
			for (size_t i = 0; i < g.n; i++)
				for (size_t j = 0; j < g.r[i]->n_kills; j++) {
					char needle[64];

					/* pieces may have been joined */
					snprintf(needle, sizeof(needle), "%lld",
						 (long long)g.r[i]->kills[j].pid);
					bad += !memmem(out.data, out.len, needle,
						       strlen(needle));
				}
			got_free(&g);
		}
	}
	CHECK(runs == 420, "%u mutated inputs read", runs);
	CHECK_EQ(bad, 0);
	buf_release(&in);
	buf_release(&out);
}

int main(void)
{
	char *err = NULL;

	setenv("TZ", "UTC", 1);
	fixtures = getenv("FIXTURES");
	if (!fixtures)
		fixtures = "tests/fixtures";
	if (classify_new(&cls, &err) < 0) {
		CHECK(0, "classify_new: %s", err);
		return check_done("test-damage");
	}
	test_rewrapped("era-4.14.dmesg", fold80, "folded at 80");
	test_rewrapped("era-6.12.kmsg", fold80, "folded at 80");
	test_rewrapped("wrap-6.12.journal-full", fold80, "folded at 80");
	test_rewrapped("era-rhel7-3.10.messages", fold80, "folded at 80");
	test_rewrapped("era-4.19.kern.log", quote76, "quoted in mail");
	test_rewrapped("era-5.4-mempolicy.dmesg-T", quote76, "quoted in mail");
	test_pasted();
	test_interleaved();
	test_burst();
	test_cut();
	test_garbled();
	test_big_dump();
	test_mutations();
	classify_free(cls);
	return check_done("test-damage");
}
