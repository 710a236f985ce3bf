/* test-patterns.c: every pattern's sample line picks its own entry, and
 * the captures that anchor from the right survive hostile comm names. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "classify.h"

static struct classifier *cls;

static enum line_kind kind_of(const char *s, struct line_class *lc)
{
	return classify_line(cls, s, strlen(s), lc);
}

static void check_capture(const struct line_class *lc, const char *name,
			  const char *want)
{
	char *got = lc_dup(lc, name);

	CHECK_STR(got, want);
	free(got);
}

static int has(const struct line_class *lc, const char *name)
{
	const char *s;
	size_t n;

	return lc_get(lc, name, &s, &n);
}

/* Lines cut at a terminal's width: a field only with its separator. */
static void test_cut_forms(void)
{
	struct line_class lc;
	uint64_t u;
	int64_t i;

	/* the header: the gfp mask lost its ")", nothing after it is read;
	 * not a 4.14 KERN_CONT head (that one ends at "nodemask=") */
	CHECK_EQ(kind_of("cc1plus invoked oom-killer: gfp_mask=0x140c", &lc), LINE_HEADER);
	CHECK(lc.damage & LC_CUT, "cut header");
	check_capture(&lc, "comm", "cc1plus");
	CHECK(!has(&lc, "gfp"), "cut gfp mask not taken");
	CHECK_EQ(kind_of("x invoked oom-killer: gfp_mask=0x14200ca(GFP_HIGHUSER_MOVABLE), nodemask=(nu", &lc), LINE_HEADER);
	CHECK(lc.damage & LC_CUT, "cut in the nodemask: not a head");
	check_capture(&lc, "gfp", "0x14200ca(GFP_HIGHUSER_MOVABLE)");
	CHECK(!has(&lc, "nodemask"), "cut nodemask not taken");
	CHECK_EQ(kind_of("x invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oo", &lc), LINE_HEADER);
	CHECK(lc_i64(&lc, "order", &i) && i == 0, "order closed by its comma");
	CHECK(!has(&lc, "adj"), "no adj");
	/* a number at the end of a cut line is not whole */
	CHECK_EQ(kind_of("Killed process 60711 (node) total-vm:16813240kB, anon-rss:116408", &lc), LINE_KILLED);
	CHECK(lc.damage & LC_CUT, "cut kill line");
	CHECK(lc_i64(&lc, "pid", &i) && i == 60711, "victim pid");
	check_capture(&lc, "comm", "node");
	CHECK(lc_u64(&lc, "vm", &u) && u == 16813240, "total-vm whole");
	CHECK(!has(&lc, "anon"), "cut anon-rss not taken");
	CHECK_EQ(kind_of("Out of memory: Killed process 1201 (a) b) total-vm:9241824kB, anon-rss:4kB, file-rss:8kB, shmem-rss:0kB, UID:26 pgtables:99", &lc), LINE_KILLED);
	check_capture(&lc, "comm", "a) b");
	CHECK(lc_u64(&lc, "uid", &u) && u == 26, "uid closed by a blank");
	CHECK(!has(&lc, "pgtables"), "pgtables without its kB");
	/* cut inside a field's name, and inside the comm */
	CHECK_EQ(kind_of("Out of memory: Killed process 1201 (postgres) total-vm:9241824kB, anon-rss:4kB, fil", &lc), LINE_KILLED);
	CHECK(lc_u64(&lc, "anon", &u) && u == 4 && !has(&lc, "file"), "anon whole, file not");
	CHECK_EQ(kind_of("Killed process 31877 (pyt", &lc), LINE_KILLED);
	CHECK(lc_i64(&lc, "pid", &i) && i == 31877 && !has(&lc, "comm"), "pid without comm");
	CHECK_EQ(kind_of("Killed process 3187", &lc), LINE_NONE);
	/* RHEL 7's order of fields */
	CHECK_EQ(kind_of("Killed process 48213 (java), UID 1000, total-vm:6151244kB, anon-rss:104", &lc), LINE_KILLED);
	check_capture(&lc, "comm", "java");
	CHECK(lc_u64(&lc, "uid", &u) && u == 1000 && lc_u64(&lc, "vm", &u) && !has(&lc, "anon"), "rhel7 cut");
	/* the selection, the summary, the reaper */
	CHECK_EQ(kind_of("Out of memory: Kill process 60711 (node) score 84", &lc), LINE_SELECT);
	CHECK(lc_i64(&lc, "pid", &i) && !has(&lc, "score"), "score cut");
	CHECK_EQ(kind_of("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_all", &lc), LINE_SUMMARY);
	check_capture(&lc, "constraint", "CONSTRAINT_NONE");
	check_capture(&lc, "cpuset", "/");
	CHECK_EQ(kind_of("oom_reaper: reaped process 60711 (node), now anon-rss:0kB, file-", &lc), LINE_REAPED);
	CHECK(lc_i64(&lc, "pid", &i) && !has(&lc, "anon"), "reaper's kill without figures");
	/* the cpuset line: the name whole before " mems_allowed=" */
	CHECK_EQ(kind_of("python3 cpuset=0a09e1d7aadf mems_allowed=0-", &lc), LINE_CPUSET);
	check_capture(&lc, "cpuset", "0a09e1d7aadf");
	CHECK(!has(&lc, "mems"), "mems cut");
	CHECK_EQ(kind_of("python3 cpuset=0a09e1d7a", &lc), LINE_HEAD);
	/* CPU line: the release is whole only with the version after it */
	CHECK_EQ(kind_of("CPU: 3 PID: 60800 Comm: node Not tainted 4.14.35-1902.306.2.el7u", &lc), LINE_CPU);
	CHECK(lc.damage & LC_CUT, "cut CPU line");
	CHECK(lc_i64(&lc, "pid", &i) && i == 60800 && !has(&lc, "release"), "release cut");
	/* Task in: the task's memcg before " killed as", never the limit */
	CHECK_EQ(kind_of("Task in /docker/3b2a killed as a result of lim", &lc), LINE_TASK_IN);
	check_capture(&lc, "task", "/docker/3b2a");
	CHECK(!has(&lc, "limit"), "limit cut");
	CHECK_EQ(kind_of("Task in /kubepods/burstable/pod6f1c2d3e", &lc), LINE_HEAD);
	/* memcg stats: a path with ": key:" after it is a cut line's */
	CHECK_EQ(kind_of("Memory cgroup stats for /x: cache:0KB rss:52008", &lc), LINE_MEMCG_STATS);
	CHECK(lc.damage & LC_CUT, "cut stats line");
	check_capture(&lc, "path", "/x");
	check_capture(&lc, "rest", " cache:0KB");
	CHECK_EQ(kind_of("Memory cgroup stats for /x: cache:", &lc), LINE_MEMCG_STATS);
	check_capture(&lc, "path", "/x");
	/* the dump's title */
	CHECK_EQ(kind_of("[ pid ]   uid  tgid total_vm      rss nr_ptes nr_pmds swapents o", &lc), LINE_TASK_HEADER);
	CHECK(lc.damage & LC_CUT, "cut title");
	/* whole lines never take a cut form */
	for (size_t k = 0; k < n_patterns; k++)
		if (!patterns[k].cut_of && !patterns[k].tag) {
			classify_line(cls, patterns[k].sample,
				      strlen(patterns[k].sample), &lc);
			CHECK(!(lc.damage & (LC_CUT | LC_ANNOTATED)),
			      "sample of '%s' read as damaged", patterns[k].name);
		}

	/* lc_drop_tail(): the field at the very end is let go */
	CHECK_EQ(kind_of("Out of memory: Killed process 1 (x) total-vm:1kB, anon-rss:2kB, file-rss:3kB, shmem-rss:0kB, UID:0 pgtables:4kB oom_score_adj:-99", &lc), LINE_KILLED);
	CHECK_EQ(lc_drop_tail(&lc), 1);
	CHECK(!has(&lc, "adj") && has(&lc, "pgtables"), "only the adj at the end");
	CHECK_EQ(kind_of("[  300]     0   300    12000      500      10       2        0          -250 systemd-jo", &lc), LINE_TASK_ROW);
	CHECK_EQ(lc_drop_tail(&lc), 1);
	CHECK(!has(&lc, "cols") && has(&lc, "pid"), "a row's name at the end");
	CHECK_EQ(kind_of("Node 0 DMA free:15872kB min:132kB low:164kB high:19", &lc), LINE_ZONE);
	lc_drop_tail(&lc);
	CHECK(lc.len == strlen("Node 0 DMA free:15872kB min:132kB low:164kB "), "zone's last value let go");
	CHECK_EQ(kind_of("Node 0 DMA: 0*4kB 0*8kB 2*64kB (U) 1*128kB (U) = 15872kB", &lc), LINE_BUDDY);
	CHECK_EQ(lc_drop_tail(&lc), 0);
	CHECK_EQ(kind_of("Node 0 DMA: 0*4kB 0*8kB 2*64kB (U) 1*12", &lc), LINE_BUDDY);
	CHECK_EQ(lc_drop_tail(&lc), 1);
	CHECK_EQ(kind_of("Memory cgroup stats for /x: cache:0KB rss:520080KB", &lc), LINE_MEMCG_STATS);
	CHECK_EQ(lc_drop_tail(&lc), 0);
}

/* A reader's notes after a line, and elisions. */
static void test_notes(void)
{
	struct line_class lc;
	int64_t i;

	CHECK_EQ(kind_of("Out of memory: Killed process 1201 (postgres) total-vm:9241824kB, anon-rss:4kB, file-rss:8kB, shmem-rss:0kB, UID:26 pgtables:9964kB oom_score_adj:0   <==== this one", &lc), LINE_KILLED);
	CHECK(lc.damage & LC_ANNOTATED, "annotated kill line");
	CHECK(!(lc.damage & LC_CUT), "not read as cut");
	CHECK(lc_i64(&lc, "adj", &i) && i == 0, "adj before the note is whole");
	CHECK_EQ(kind_of("Killed process 4321 (java) (!!)", &lc), LINE_KILLED);
	check_capture(&lc, "comm", "java");
	CHECK_EQ(kind_of("Killed process 31877 (python3) total-vm:2041288kB, anon-rss:520080kB, file-rss:160kB, shmem-rss:0kB # the culprit", &lc), LINE_KILLED);
	CHECK(lc.damage & LC_ANNOTATED, "# note");
	/* a task row's name does not swallow a note */
	CHECK_EQ(kind_of("[   1201]    26  1201  2310456  1180240 10203136    52000             0 postgres   <-- here", &lc), LINE_TASK_ROW);
	CHECK(lc.damage & LC_ANNOTATED, "annotated row");
	check_capture(&lc, "cols", "26  1201  2310456  1180240 10203136    52000             0 postgres");
	CHECK_EQ(kind_of("[   1201]    26  1201  2310456  1180240 10203136    52000             0 postgres [...]", &lc), LINE_TASK_ROW);
	CHECK(lc.damage & LC_ELIDED, "an elision glued on");
	/* the kernel's own "...", "**", "#1" are no notes */
	CHECK_EQ(kind_of("Out of memory and no killable processes...", &lc), LINE_NO_KILLABLE);
	CHECK(!lc.damage, "processes...");
	CHECK_EQ(kind_of("** 112 printk messages dropped **", &lc), LINE_LOST);
	CHECK(!lc.damage, "printk dropped");
	CHECK_EQ(kind_of("CPU: 3 PID: 2210 Comm: postgres Not tainted 6.8.0-45-generic #45-Ubuntu", &lc), LINE_CPU);
	CHECK(!lc.damage, "CPU line");
	/* elisions on their own */
	CHECK_EQ(kind_of("[...]", &lc), LINE_ELISION);
	CHECK_EQ(kind_of("...", &lc), LINE_ELISION);
	CHECK_EQ(kind_of("<snip>", &lc), LINE_ELISION);
	CHECK_EQ(kind_of("[snip]", &lc), LINE_ELISION);
	CHECK_EQ(kind_of("-- 8< --", &lc), LINE_ELISION);
	CHECK_EQ(kind_of("\xe2\x80\xa6", &lc), LINE_ELISION);
	CHECK_EQ(kind_of("[...] 12 rows", &lc), LINE_NONE);
}

int main(void)
{
	struct line_class lc;
	char *err = NULL;
	uint64_t u;
	int64_t i;

	CHECK(classify_new(&cls, &err) == 0, "classify_new: %s", err);
	if (!cls)
		return check_done("test-patterns");

	for (size_t k = 0; k < n_patterns; k++) {
		const struct pattern *p = &patterns[k];

		CHECK(p->sample != NULL, "%s has no sample", p->name);
		if (p->tag) {
			/* a story pattern: only for lines of its program */
			classify_line(cls, p->sample, strlen(p->sample), &lc);
			CHECK(lc.pattern < 0 || !patterns[lc.pattern].tag,
			      "kernel classifier took story sample '%s'", p->name);
			classify_story(cls, "other", 5, p->sample,
				       strlen(p->sample), &lc);
			CHECK_EQ(lc.kind, LINE_NONE);
			classify_story(cls, p->tag, strlen(p->tag), p->sample,
				       strlen(p->sample), &lc);
		} else {
			classify_line(cls, p->sample, strlen(p->sample), &lc);
		}
		CHECK(lc.pattern == (int)k, "sample of '%s' matched '%s'",
		      p->name, lc.pattern >= 0 ? patterns[lc.pattern].name : "-");
		CHECK(lc.kind == p->kind, "kind of '%s'", p->name);
	}

	/* header: the comm is everything before the last " invoked oom-killer" */
	CHECK_EQ(kind_of("a invoked oom-killer: b invoked oom-killer: gfp_mask=0x0(), order=0, oom_score_adj=0", &lc), LINE_HEADER);
	check_capture(&lc, "comm", "a invoked oom-killer: b");
	check_capture(&lc, "gfp", "0x0()");
	/* 4.14: nodemask and two spaces before order */
	CHECK_EQ(kind_of("java invoked oom-killer: gfp_mask=0x14200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null),  order=0, oom_score_adj=0", &lc), LINE_HEADER);
	check_capture(&lc, "nodemask", "(null)");
	CHECK(lc_i64(&lc, "adj", &i) && i == 0, "adj");
	/* 2.6.31 and older: oomkilladj= (task->oomkilladj), no
	 * oom_score_adj; the legacy knob is not read as one */
	CHECK_EQ(kind_of("my d invoked oom-killer: gfp_mask=0x280da, order=1, oomkilladj=-17", &lc), LINE_HEADER);
	CHECK(lc.pattern >= 0 && !strcmp(patterns[lc.pattern].name, "header-2.6.31"),
	      "oomkilladj header");
	check_capture(&lc, "comm", "my d");
	check_capture(&lc, "gfp", "0x280da");
	CHECK(lc_i64(&lc, "order", &i) && i == 1, "order 1");
	CHECK(lc_i64(&lc, "oom_adj", &i) && i == -17, "oomkilladj -17");
	CHECK(!lc_i64(&lc, "adj", &i), "no oom_score_adj");
	/* SysRq-f */
	CHECK_EQ(kind_of("kworker/0:2 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=-1, oom_score_adj=0", &lc), LINE_HEADER);
	CHECK(lc_i64(&lc, "order", &i) && i == -1, "order -1");

	/* kill line: comm with ") total-vm:" inside */
	CHECK_EQ(kind_of("Out of memory: Killed process 7 (a) total-vm:1kB (b) total-vm:9241824kB, anon-rss:4kB, file-rss:8kB, shmem-rss:0kB, UID:26 pgtables:12kB oom_score_adj:-17", &lc), LINE_KILLED);
	check_capture(&lc, "comm", "a) total-vm:1kB (b");
	check_capture(&lc, "reason", "Out of memory");
	CHECK(lc_i64(&lc, "adj", &i) && i == -17, "adj -17");
	CHECK(lc_u64(&lc, "pgtables", &u) && u == 12, "pgtables");
	/* 4.6-5.0 kill line: no reason, no UID */
	CHECK_EQ(kind_of("Killed process 2412 (mysqld) total-vm:12040112kB, anon-rss:7345664kB, file-rss:0kB, shmem-rss:0kB", &lc), LINE_KILLED);
	CHECK(!lc_u64(&lc, "uid", &u), "no uid in a 4.x kill line");
	CHECK(lc_get(&lc, "reason", &(const char *){ 0 }, &(size_t){ 0 }) == 0,
	      "no reason in a 4.x kill line");

	/* summary: memcg paths, and a tail cut at the record limit */
	CHECK_EQ(kind_of("oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-3b2a.scope,mems_allowed=0-1,oom_memcg=/kubepods.slice/a.slice,task_memcg=/kubepods.slice/a.slice/b.scope,task=java,pid=48213,uid=1000", &lc), LINE_SUMMARY);
	check_capture(&lc, "oom_memcg", "/kubepods.slice/a.slice");
	check_capture(&lc, "task_memcg", "/kubepods.slice/a.slice/b.scope");
	check_capture(&lc, "task", "java");
	check_capture(&lc, "mems", "0-1");
	CHECK_EQ(kind_of("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice/user-1000.slice/sess", &lc), LINE_SUMMARY);
	CHECK(!lc_i64(&lc, "pid", &i), "cut summary has no pid");
	check_capture(&lc, "task_memcg", "/user.slice/user-1000.slice/sess");
	CHECK_EQ(kind_of("oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=a,b,pid=3,pid=4,uid=5", &lc), LINE_SUMMARY);
	check_capture(&lc, "task", "a,b,pid=3");
	CHECK(lc_i64(&lc, "pid", &i) && i == 4, "pid from the right");

	/* CPU line: 6.9+ UID, taint letters, Kdump slot */
	CHECK_EQ(kind_of("CPU: 3 UID: 1000 PID: 473206 Comm: doxygen Tainted: G           OE      6.13.1-arch1-1 #1", &lc), LINE_CPU);
	check_capture(&lc, "release", "6.13.1-arch1-1");
	check_capture(&lc, "uid", "1000");
	CHECK_EQ(kind_of("CPU: 1 PID: 48213 Comm: my prog Kdump: loaded Not tainted 4.18.0-240.el8.x86_64 #1", &lc), LINE_CPU);
	check_capture(&lc, "comm", "my prog");
	CHECK_EQ(kind_of("CPU: 2 PID: 1301 Comm: mysqld Kdump: loaded Tainted: G           OE  ------------   3.10.0-1062.el7.x86_64 #1", &lc), LINE_CPU);
	check_capture(&lc, "release", "3.10.0-1062.el7.x86_64");

	/* 2.6.32 / RHEL 6: the trigger's pid and release on the Pid: line */
	CHECK_EQ(kind_of("Pid: 24113, comm: sshd Tainted: G        W  ---------------    2.6.32-754.el6.x86_64 #1", &lc), LINE_CPU);
	check_capture(&lc, "pid", "24113");
	check_capture(&lc, "comm", "sshd");
	check_capture(&lc, "release", "2.6.32-754.el6.x86_64");
	/* old kill lines: bare, RHEL 6.0 vsz, sharing the mm */
	CHECK_EQ(kind_of("Killed process 77 (a (b) c)", &lc), LINE_KILLED);
	check_capture(&lc, "comm", "a (b) c");
	CHECK(!lc_u64(&lc, "vm", &u), "bare kill line has no sizes");
	CHECK_EQ(kind_of("Killed process 77 (x) vsz:100kB, anon-rss:40kB, file-rss:8kB", &lc), LINE_KILLED);
	CHECK(lc_u64(&lc, "vm", &u) && u == 100, "vsz read as total-vm");
	CHECK_EQ(kind_of("Kill process 78 (x helper) sharing same memory", &lc), LINE_KILLED);
	check_capture(&lc, "comm", "x helper");
	CHECK_EQ(kind_of("Out of memory: kill process 77 (x) score 2194303 or a child", &lc), LINE_SELECT);
	check_capture(&lc, "score", "2194303");
	CHECK_EQ(kind_of("No available memory (MPOL_BIND): kill process 77 (x) score 0 or a child", &lc), LINE_SELECT);
	check_capture(&lc, "reason", "No available memory (MPOL_BIND)");
	/* "Task in" must name its limit to be whole; else it is a head */
	CHECK_EQ(kind_of("Task in /a killed as a result of limit of ", &lc), LINE_HEAD);
	CHECK_EQ(kind_of("Tasks in /a are going to be killed due to memory.oom.group set", &lc), LINE_GROUP);
	/* Mem-Info lines of every era */
	CHECK_EQ(kind_of(" free_cma:0", &lc), LINE_MEM_COUNTERS);
	CHECK_EQ(kind_of(" kernel_misc_reclaimable:0", &lc), LINE_MEM_COUNTERS);
	CHECK_EQ(kind_of("58141 pages in swap cache", &lc), LINE_PAGE_COUNT);
	CHECK_EQ(kind_of("4018762 pages non-shared", &lc), LINE_PAGE_COUNT);
	CHECK_EQ(kind_of("Node 1 Normal per-cpu:", &lc), LINE_MEM_OTHER);
	CHECK_EQ(kind_of("Name                      Used          Total", &lc), LINE_MEM_OTHER);
	CHECK_EQ(kind_of("     512 MiB   131072 mm/shmem.c:1809 func:shmem_alloc_folio", &lc), LINE_MEM_OTHER);
	CHECK_EQ(kind_of("   96.0 MiB    24576 fs/ext4/mballoc.c:6083 [ext4] func:ext4_mb_new_blocks", &lc), LINE_MEM_OTHER);
	/* stacks of other shapes, which a task row must never be taken for */
	CHECK_EQ(kind_of("x29: ffff80001234bd20 x28: ffff0000c1b3c000", &lc), LINE_STACK);
	CHECK_EQ(kind_of(" ffff880182272f10 00000000021dcb0a ffff880418207938 ffffffff816861ac", &lc), LINE_STACK);
	CHECK_EQ(kind_of("Call trace:", &lc), LINE_STACK);
	CHECK_EQ(kind_of("[16846]     0 16846    30939    11021      62       3        0             0 mesos-container", &lc), LINE_TASK_ROW);
	/* KERN_CONT heads and pieces */
	CHECK_EQ(kind_of("java invoked oom-killer: gfp_mask=0x14200ca(GFP_HIGHUSER_MOVABLE), nodemask=(null)", &lc), LINE_HEAD);
	check_capture(&lc, "comm", "java");
	CHECK_EQ(kind_of("Node 3", &lc), LINE_HEAD);
	CHECK_EQ(kind_of("Node 0 DMA: ", &lc), LINE_HEAD);
	CHECK_EQ(kind_of("= 15908kB", &lc), LINE_FRAGMENT);
	CHECK_EQ(kind_of("(UME) ", &lc), LINE_FRAGMENT);
	CHECK_EQ(kind_of("(null)", &lc), LINE_FRAGMENT);
	CHECK_EQ(kind_of("0-3", &lc), LINE_FRAGMENT);
	CHECK_EQ(kind_of(",global_oom", &lc), LINE_FRAGMENT);
	CHECK_EQ(kind_of(" killed as a result of limit of ", &lc), LINE_FRAGMENT);
	CHECK_EQ(kind_of(" cache:0KB rss:520160KB", &lc), LINE_FRAGMENT);
	/* the boot banner and what logs say of lost lines */
	CHECK_EQ(kind_of("Linux version 3.10.0-1160.el7.x86_64 (mockbuild@kbuilder.bsys.centos.org) (gcc version 4.8.5) #1 SMP", &lc), LINE_BOOT);
	CHECK_EQ(kind_of("Linux version control is great", &lc), LINE_NONE);
	CHECK_EQ(kind_of("OOM request ignored. No task eligible", &lc), LINE_NO_KILLABLE);

	/* memory.stat lines only look like "key value" */
	CHECK_EQ(kind_of("file 688283648", &lc), LINE_STAT_KV);
	CHECK_EQ(kind_of("Hello world", &lc), LINE_NONE);
	CHECK_EQ(kind_of("", &lc), LINE_NONE);
	/* leading blanks of continuation lines are skipped */
	CHECK_EQ(kind_of("  active_file:95 inactive_file:44 isolated_file:0", &lc), LINE_MEM_COUNTERS);
	/* a forged line from a shell is not a task row */
	CHECK_EQ(kind_of("[  pid  ] hello", &lc), LINE_NONE);

	test_cut_forms();
	test_notes();

	classify_free(cls);
	return check_done("test-patterns");
}
