/* test-story.c: userspace lines around a kill, read through the scanner
 * as ingest reads them: each program's line gives its story event with
 * the fields it names, only under its own tag; imitations of kernel lines
 * are forged, not reports; a userspace kill becomes a report of its own. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "collect.h"
#include "story.h"

#define MAX_STORIES 32

struct stories {
	struct story_event *e[MAX_STORIES];
	size_t n;
	struct got reports;
};

static void on_story(void *ctx, struct story_event *e)
{
	struct stories *s = ctx;

	if (s->n < MAX_STORIES)
		s->e[s->n++] = e;
	else
		story_event_free(e);
}

static void on_report(void *ctx, struct oom_report *r)
{
	got_emit(&((struct stories *)ctx)->reports, r);
}

static void stories_free(struct stories *s)
{
	for (size_t i = 0; i < s->n; i++)
		story_event_free(s->e[i]);
	s->n = 0;
	got_free(&s->reports);
}

static struct classifier *cls;

/* Scan text (syslog lines dated 2026) into s. */
static void scan_text(const char *text, struct stories *s)
{
	struct mem m = { text, strlen(text), 0 };
	struct scan_reader rd = { mem_read, &m };
	struct report_sink sink = { on_report, NULL, s, on_story };
	struct scan_stats st;

	memset(s, 0, sizeof(*s));
	/* 2026-11-22T00:00:00Z: syslog dates without a year are 2026 */
	scan_stream(cls, &rd, 1795305600, &sink, &st);
}

static void one_line(const char *line, enum story_kind kind,
		     struct stories *s)
{
	scan_text(line, s);
	CHECK_EQ(s->n, 1);
	if (s->n)
		CHECK(s->e[0]->kind == kind, "kind %s for: %s",
		      story_kind_name(s->e[0]->kind), line);
}

/* The cgroup of the one story event scanned from text, which must be an
 * oomd kill. */
static void one_oomd(const char *text, const char *cgroup, const char *what,
		     struct stories *s)
{
	scan_text(text, s);
	CHECK(s->n == 1, "%s: %zu stories", what, s->n);
	if (s->n == 1) {
		CHECK(s->e[0]->kind == STORY_OOMD_KILL, "%s: kind %s", what,
		      story_kind_name(s->e[0]->kind));
		CHECK_STR(s->e[0]->cgroup, cgroup);
	}
	stories_free(s);
}

/* Userspace killers' lines pasted as kernel lines are (issue 17, class
 * 13): indented or numbered, wrapped by a mail program, or split by hand
 * before "due to" (a short first line, not at any width). */
static void test_pasted(struct stories *s)
{
	one_oomd("    Nov 21 05:00:00 desk1 systemd-oomd[512]: Killed /user.slice/user-1000.slice/user@1000.service/app.slice/app-x.scope due to memory pressure for /user.slice/user-1000.slice/user@1000.service being 83.42% > 50.00% for > 20s with reclaim activity\n"
		 "    Nov 21 05:00:00 desk1 systemd[1001]: app-x.scope: Consumed 1min 2.345s CPU time.\n",
		 "/user.slice/user-1000.slice/user@1000.service/app.slice/app-x.scope",
		 "indented", s);
	one_oomd("     1\tNov 21 05:00:00 desk1 systemd-oomd[512]: Killed /system.slice/stress.service due to memory pressure for /system.slice being 83.42% > 50.00% for > 20s with reclaim activity\n",
		 "/system.slice/stress.service", "cat -n", s);
	/* a mail program's wrap at 72 columns, the blank dropped */
	one_oomd("Nov 21 05:00:00 desk1 systemd-oomd[512]: Killed\n"
		 "/user.slice/user-1000.slice/user@1000.service/app.slice/app-x.scope\n"
		 "due to memory pressure for /user.slice/user-1000.slice/user@1000.service\n"
		 "being 83.42% > 50.00% for > 20s with reclaim activity\n",
		 "/user.slice/user-1000.slice/user@1000.service/app.slice/app-x.scope",
		 "wrapped at 72", s);
	/* split before "due to", at no width: the first line is short */
	one_oomd("Nov 21 05:00:00 d1 systemd-oomd[5]: Killed /a.service\n"
		 "due to memory pressure for /system.slice being 83.42% > 50.00% for > 20s with reclaim activity\n",
		 "/a.service", "split before due to", s);
	one_oomd("Nov 21 05:00:00 d1 systemd-oomd[5]: Marked /b.service for killing\n"
		 "due to memory pressure for /system.slice being 71.10% > 60.00% for > 30s with reclaim activity\n",
		 "/b.service", "marked, split before due to", s);
	/* a piece that completes nothing stays a line of its own */
	scan_text("Nov 21 05:00:00 d1 systemd-oomd[5]: Killed /a.service\n"
		  "Nov 21 05:00:01 d1 systemd[1]: Started Session 4 of User root.\n",
		  s);
	CHECK_EQ(s->n, 0);
	stories_free(s);

	/* earlyoom, wrapped by a mail program and indented */
	scan_text("  Nov 21 04:00:00 db1 earlyoom[733]: sending SIGTERM to process 2210 uid\n"
		  "1000 \"pytest\": oom_score 912, oom_score_adj -100, VmRSS 11897 MiB,\n"
		  "cmdline \"/usr/bin/python3 -m pytest\"\n", s);
	CHECK(s->n == 1 && s->e[0]->kind == STORY_EARLYOOM_KILL,
	      "earlyoom wrapped: %zu stories", s->n);
	if (s->n == 1) {
		CHECK_EQ(s->e[0]->pid, 2210);
		CHECK_STR(s->e[0]->comm, "pytest");
	}
	stories_free(s);

	/* node-problem-detector's line quotes the kernel's kill line; wrapped
	 * at 72, a later piece holds "Killed process": still its piece, not
	 * a kernel kill (the scanner finds the anchor there and goes back to
	 * the line's head) */
	scan_text("Nov 21 07:00:01 node-7 node-problem-detector[2211]: I1121\n"
		  "07:00:01.300000    2211 log_monitor.go:160] New status generated:\n"
		  "&{Source:kernel-monitor Events:[{Severity:warn Timestamp:2026-11-21\n"
		  "07:00:00.9 +0000 UTC Reason:OOMKilling Message:Memory cgroup out of\n"
		  "memory: Killed process 48213 (java) total-vm:6151244kB,\n"
		  "anon-rss:509640kB, file-rss:14284kB, shmem-rss:0kB, UID:1000\n"
		  "pgtables:1460kB oom_score_adj:936}] Conditions:[]}\n", s);
	CHECK(s->n == 1 && s->e[0]->kind == STORY_NPD_OOM,
	      "npd wrapped: %zu stories", s->n);
	CHECK_EQ(s->reports.n, 0);
	if (s->n == 1)
		CHECK_EQ(s->e[0]->pid, 48213);
	stories_free(s);

	/* journalctl without a hostname, blanks of any width */
	scan_text("Nov 21 05:00:00    systemd-oomd[512]: Killed /c.service due to memory pressure for /system.slice being 83.42% > 50.00% for > 20s with reclaim activity\n",
		  s);
	CHECK(s->n == 1 && !s->e[0]->host, "no host: %zu stories", s->n);
	stories_free(s);
}

int main(void)
{
	struct stories s;
	struct story_event *e;
	char *err = NULL;

	CHECK(classify_new(&cls, &err) == 0, "classify_new: %s", err);
	if (!cls)
		return check_done("test-story");

	one_line("Nov 21 03:12:08 db1 systemd[1]: postgresql.service: A process of this unit has been killed by the OOM killer.\n",
		 STORY_UNIT_OOM, &s);
	e = s.e[0];
	CHECK_STR(e->actor, "systemd");
	CHECK_STR(e->unit, "postgresql.service");
	CHECK_STR(e->host, "db1");
	CHECK(e->known & SK_WALL, "wall clock");
	CHECK_EQ(e->line, 1);
	CHECK_STR(e->message, "postgresql.service: A process of this unit has been killed by the OOM killer.");
	CHECK_EQ(s.reports.n, 0);
	stories_free(&s);

	one_line("Nov 21 03:12:08 db1 systemd[1]: system.slice: Failed with result 'oom-kill'.\n",
		 STORY_UNIT_FAILED, &s);
	CHECK_STR(s.e[0]->unit, "system.slice");
	stories_free(&s);

	/* a user manager's line; "some" gives no count */
	one_line("Nov 21 05:00:00 desk1 systemd[1001]: app-firefox.scope: systemd-oomd killed some process(es) in this unit.\n",
		 STORY_UNIT_OOMD, &s);
	CHECK(!(s.e[0]->known & SK_COUNT), "no count");
	stories_free(&s);
	one_line("Nov 21 05:00:00 desk1 systemd[1001]: app-firefox.scope: systemd-oomd killed 37 process(es) in this unit.\n",
		 STORY_UNIT_OOMD, &s);
	CHECK(s.e[0]->known & SK_COUNT && s.e[0]->count == 37, "count 37");
	stories_free(&s);

	/* systemd-oomd: the swap variant; the kill is a report of its own */
	one_line("2026-11-21T05:00:00.123456+00:00 desk1 systemd-oomd[512]: Killed /user.slice/user-1000.slice/user@1000.service/app.slice/app-x.scope due to swap used (8162271232) / total (8589930496) being more than 90.00%\n",
		 STORY_OOMD_KILL, &s);
	e = s.e[0];
	CHECK_STR(e->cgroup, "/user.slice/user-1000.slice/user@1000.service/app.slice/app-x.scope");
	CHECK_STR(e->reason, "swap used (8162271232) / total (8589930496) being more than 90.00%");
	CHECK_EQ(e->wall_us % 1000000, 123456);
	{
		struct oom_report *r = story_kill_report(e);

		CHECK(r != NULL, "oomd kill report");
		if (r) {
			CHECK_STR(r->killer, "systemd-oomd");
			CHECK_STR(r->task_memcg, e->cgroup);
			CHECK_STR(r->host, "desk1");
			/* oomd names no process: no kill row, nothing made up */
			CHECK_EQ(r->n_kills, 0);
			CHECK_EQ(r->n_tasks, 0);
			CHECK(r->trigger_comm == NULL, "no trigger");
			oom_report_free(r);
		}
	}
	stories_free(&s);
	one_line("Nov 21 05:00:00 desk1 systemd-oomd[512]: Marked /system.slice/build.service for killing due to memory pressure for /system.slice being 71.10% > 60.00% for > 30s with reclaim activity\n",
		 STORY_OOMD_KILL, &s);
	CHECK_STR(s.e[0]->cgroup, "/system.slice/build.service");
	stories_free(&s);

	/* systemd-oomd's candidate list: a journal record's later lines */
	scan_text("2026-11-21T05:00:00.100000+00:00 desk1 systemd-oomd[512]: Considered 2 cgroups for killing, top candidates were:\n"
		  "                                                    \tPath: /user.slice/user-1000.slice/user@1000.service/app.slice/app-x.scope\n"
		  "                                                    \t\tMemory Pressure Limit: 50.00%\n"
		  "                                                    \t\tPressure: Avg10: 86.60, Avg60: 45.98, Avg300: 13.41, Total: 34s\n"
		  "                                                    \tPath: /user.slice/user-1000.slice/user@1000.service/app.slice/app-y.scope\n",
		  &s);
	CHECK_EQ(s.n, 3);
	if (s.n == 3) {
		CHECK_EQ(s.e[0]->kind, STORY_OOMD_CANDIDATES);
		CHECK(s.e[0]->known & SK_COUNT && s.e[0]->count == 2, "count 2");
		CHECK_EQ(s.e[1]->kind, STORY_OOMD_CANDIDATE);
		CHECK_STR(s.e[1]->cgroup, "/user.slice/user-1000.slice/user@1000.service/app.slice/app-x.scope");
		CHECK_STR(s.e[2]->cgroup, "/user.slice/user-1000.slice/user@1000.service/app.slice/app-y.scope");
	}
	stories_free(&s);
	/* the same through rsyslog: one line, newlines and tabs as #012, #011 */
	scan_text("Nov 21 05:00:00 desk1 systemd-oomd[512]: Considered 2 cgroups for killing, top candidates were:#012#011Path: /app.slice/a.scope#012#011#011Memory Pressure Limit: 50.00%#012#011Path: /app.slice/b.scope#012\n",
		  &s);
	CHECK_EQ(s.n, 3);
	if (s.n == 3) {
		CHECK_STR(s.e[1]->cgroup, "/app.slice/a.scope");
		CHECK_STR(s.e[2]->cgroup, "/app.slice/b.scope");
	}
	stories_free(&s);
	/* "Path:" under another program, or far from a list, is nobody's */
	scan_text("Nov 21 05:00:00 desk1 sshd[9]: Path: /etc/ssh\n", &s);
	CHECK_EQ(s.n, 0);
	stories_free(&s);

	/* earlyoom, three generations of its line */
	one_line("Nov 21 04:00:00 db1 earlyoom[733]: sending SIGTERM to process 2210 uid 1000 \"py test\": oom_score 912, oom_score_adj -100, VmRSS 11897 MiB, cmdline \"/usr/bin/python3 -m pytest\"\n",
		 STORY_EARLYOOM_KILL, &s);
	e = s.e[0];
	CHECK_STR(e->signal, "SIGTERM");
	CHECK_STR(e->comm, "py test");
	CHECK(e->known & SK_PID && e->pid == 2210, "pid");
	CHECK(e->known & SK_UID && e->uid == 1000, "uid");
	CHECK(e->known & SK_SCORE && e->score == 912, "score");
	CHECK(e->known & SK_ADJ && e->adj == -100, "adj");
	CHECK(e->known & SK_RSS && e->rss_kb == 11897 * 1024, "rss");
	CHECK_STR(e->reason, "/usr/bin/python3 -m pytest");
	{
		struct oom_report *r = story_kill_report(e);

		CHECK(r && r->n_kills == 1, "earlyoom kill row");
		if (r && r->n_kills == 1) {
			CHECK_STR(r->killer, "earlyoom");
			CHECK_EQ(r->kills[0].pid, 2210);
			CHECK_STR(r->kills[0].comm, "py test");
			CHECK(r->kills[0].known & KILL_ADJ, "adj known");
			/* earlyoom's VmRSS is no anon/file split: not invented */
			CHECK(!(r->kills[0].known & KILL_ANON_RSS), "no anon rss");
		}
		oom_report_free(r);
	}
	stories_free(&s);
	one_line("Nov 21 04:00:00 db1 earlyoom[733]: sending SIGKILL to process 2210 \"pytest\": badness 912, VmRSS 11897 MiB\n",
		 STORY_EARLYOOM_KILL, &s);
	CHECK(!(s.e[0]->known & (SK_UID | SK_ADJ)), "old line: no uid, no adj");
	CHECK_STR(s.e[0]->signal, "SIGKILL");
	stories_free(&s);

	/* nohang: the victim comes in lines without an anchor before it */
	scan_text("Nov 21 06:00:00 desk2 nohang[600]: Victim status (found in 9 ms):\n"
		  "Nov 21 06:00:00 desk2 nohang[600]:   PID:                7777\n"
		  "Nov 21 06:00:00 desk2 nohang[600]:   Name:               stress-ng-vm\n"
		  "Nov 21 06:00:00 desk2 nohang[600]:   VmRSS:              7340 MiB\n"
		  "Nov 21 06:00:00 desk2 nohang[600]: Implement a corrective action:\n"
		  "Nov 21 06:00:00 desk2 nohang[600]:   Send SIGTERM to the victim; total response time: 35 ms\n",
		  &s);
	CHECK_EQ(s.n, 1);
	if (s.n) {
		CHECK_EQ(s.e[0]->kind, STORY_NOHANG_KILL);
		CHECK(s.e[0]->known & SK_PID && s.e[0]->pid == 7777, "nohang pid");
		CHECK_STR(s.e[0]->comm, "stress-ng-vm");
		CHECK_STR(s.e[0]->signal, "SIGTERM");
	}
	stories_free(&s);
	/* the same as one journal record: later lines indented */
	scan_text("2026-11-21T06:00:00.000000+00:00 desk2 nohang[600]: Victim status (found in 9 ms):\n"
		  "                                                     PID:                7777\n"
		  "                                                     Name:               stress-ng-vm\n"
		  "2026-11-21T06:00:00.100000+00:00 desk2 nohang[600]: Implement a corrective action:\n"
		  "                                                     Send SIGKILL to the victim\n",
		  &s);
	CHECK_EQ(s.n, 1);
	if (s.n) {
		CHECK(s.e[0]->known & SK_PID && s.e[0]->pid == 7777, "journal nohang pid");
		CHECK_STR(s.e[0]->signal, "SIGKILL");
	}
	stories_free(&s);
	/* nohang's kill line belongs to its last victim block */
	{
		char text[8192];
		size_t n = 0;

		n += (size_t)snprintf(text + n, sizeof(text) - n, "Nov 21 06:00:00 desk2 nohang[600]: Victim status (found in 9 ms):\nNov 21 06:00:00 desk2 nohang[600]:   PID:  7777\n");
		for (int i = 0; i < 60; i++)
			n += (size_t)snprintf(text + n, sizeof(text) - n, "Nov 21 06:00:00 desk2 sshd[9]: line %d\n", i);
		/* read only in the window its victim block opens */
		snprintf(text + n, sizeof(text) - n, "Nov 21 06:00:09 desk2 nohang[600]: Send SIGTERM to the victim\n");
		scan_text(text, &s);
		CHECK_EQ(s.n, 0);
		stories_free(&s);
		/* a new block forgets the last one's victim */
		snprintf(text + n, sizeof(text) - n, "Nov 21 06:00:09 desk2 nohang[600]: Victim status (found in 2 ms):\n"
			 "Nov 21 06:00:09 desk2 nohang[600]:   Name:   tail\n"
			 "Nov 21 06:00:09 desk2 nohang[600]: Send SIGTERM to the victim\n");
		scan_text(text, &s);
		CHECK_EQ(s.n, 1);
		if (s.n) {
			CHECK(!(s.e[0]->known & SK_PID), "stale victim not used");
			CHECK_STR(s.e[0]->comm, "tail");
		}
		stories_free(&s);
	}

	one_line("Nov 21 07:00:00 node-7 containerd[812]: time=\"2026-11-21T07:00:00.104312877Z\" level=info msg=\"TaskOOM event container_id:\\\"0a09e1d7aadf6722ab2b7eca73a8fd580807c3f9c7261c96d4466419bc980537\\\"\"\n",
		 STORY_TASK_OOM, &s);
	CHECK_STR(s.e[0]->container_id, "0a09e1d7aadf6722ab2b7eca73a8fd580807c3f9c7261c96d4466419bc980537");
	stories_free(&s);
	one_line("Nov 21 07:00:00 node-7 containerd[812]: time=\"2026-11-21T07:00:00Z\" level=info msg=\"TaskOOM event &TaskOOM{ContainerID:0a09e1d7aadf,XXX_unrecognized:[],}\"\n",
		 STORY_TASK_OOM, &s);
	CHECK_STR(s.e[0]->container_id, "0a09e1d7aadf");
	stories_free(&s);

	one_line("Nov 21 07:00:01 node-7 kubelet[1043]: I1121 07:00:01.212345    1043 event.go:307] \"Event occurred\" object=\"node-7\" kind=\"Node\" type=\"Warning\" reason=\"SystemOOM\" message=\"System OOM encountered, victim process: java, pid: 48213\"\n",
		 STORY_SYSTEM_OOM, &s);
	CHECK_STR(s.e[0]->comm, "java");
	CHECK_EQ(s.e[0]->pid, 48213);
	stories_free(&s);

	/* node-problem-detector repeats the kernel's kill line: a story
	 * line, not a forgery, and not a report */
	one_line("Nov 21 07:00:01 node-7 node-problem-detector[2211]: I1121 07:00:01.3 2211 log_monitor.go:160] New status generated: &{Source:kernel-monitor Events:[{Severity:warn Reason:OOMKilling Message:Memory cgroup out of memory: Killed process 48213 (java) total-vm:6151244kB, anon-rss:509640kB, file-rss:14284kB, shmem-rss:0kB}]}\n",
		 STORY_NPD_OOM, &s);
	CHECK_EQ(s.e[0]->pid, 48213);
	CHECK_EQ(s.reports.n, 0);
	stories_free(&s);

	/* forged: userspace text that reads as kernel lines */
	scan_text("Nov 21 03:20:00 db1 backup.sh[5001]: Out of memory: Killed process 1 (systemd) total-vm:169736kB, anon-rss:5120kB, file-rss:9216kB, shmem-rss:0kB, UID:0 pgtables:104kB oom_score_adj:0\n"
		  "2026-11-21T03:20:01.000000+00:00 db1 kernel-userspace[5002]: evil invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0\n",
		  &s);
	CHECK_EQ(s.n, 2);
	CHECK_EQ(s.reports.n, 0);
	if (s.n == 2) {
		CHECK_EQ(s.e[0]->kind, STORY_FORGED);
		CHECK_STR(s.e[0]->actor, "backup.sh");
		CHECK_EQ(s.e[1]->kind, STORY_FORGED);
		CHECK_STR(s.e[1]->actor, "kernel-userspace");
	}
	stories_free(&s);

	/* a program's line under another tag is nobody's story */
	scan_text("Nov 21 04:00:00 db1 myapp[1]: sending SIGTERM to process 2210 uid 1000 \"pytest\": oom_score 912, VmRSS 11897 MiB\n"
		  "Nov 21 04:00:00 db1 myapp[1]: postgresql.service: Failed with result 'oom-kill'.\n",
		  &s);
	CHECK_EQ(s.n, 0);
	stories_free(&s);

	/* ordinary systemd lines are not stories */
	scan_text("Nov 21 03:12:08 db1 systemd[1]: postgresql.service: Main process exited, code=killed, status=9/KILL\n"
		  "Nov 21 03:12:08 db1 systemd[1]: Started Session 4 of User root.\n", &s);
	CHECK_EQ(s.n, 0);
	stories_free(&s);

	test_pasted(&s);

	CHECK_STR(story_kind_name(STORY_FORGED), "forged");
	CHECK_EQ(story_kind_from_name("unit-failed"), STORY_UNIT_FAILED);
	CHECK_EQ(story_kind_from_name("nonsense"), 0);

	classify_free(cls);
	return check_done("test-story");
}
