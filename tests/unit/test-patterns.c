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

	classify_free(cls);
	return check_done("test-patterns");
}
