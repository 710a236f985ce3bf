/*
 * patterns.c: every PCRE2 pattern oomlens uses, most specific first.
 *
 * Each entry cites the printk it parses (mm/oom_kill.c, mm/show_mem.c,
 * mm/memcontrol.c, lib/dump_stack.c) and carries a real sample line;
 * tests/unit/test-patterns.c checks that each sample picks its own entry.
 * The classifier skips leading blanks of the body before matching, so no
 * pattern starts with one.  comm names may hold spaces, "(", ")" and ",",
 * so names are anchored from the right (reference §5.5).
 */
#include <stddef.h>

#include "classify.h"

const struct pattern patterns[] = {
	{
		.kind = LINE_HEADER,
		.name = "header",
		/* "%s invoked oom-killer: gfp_mask=%#x(%pGg), order=%d,
		 * oom_score_adj=%hd" (5.0+), with the 4.9-4.19 nodemask= and
		 * the 4.14 two-space variant, and the 2.6/3.x oom_adj= forms.
		 * The greedy comm takes the last " invoked oom-killer: ". */
		.contains = " invoked oom-killer: ",
		.regex = "^(?<comm>.*) invoked oom-killer: "
			 "gfp_mask=(?<gfp>0x[0-9a-f]+(?:\\([^)]*\\))?), "
			 "(?:nodemask=(?<nodemask>[^,]*), +)?"
			 "order=(?<order>-?\\d+)"
			 "(?:, oom_adj=(?<oom_adj>-?\\d+))?"
			 "(?:, oom_score_adj=(?<adj>-?\\d+))?\\s*$",
		.sample = "postgres invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0",
	},
	{
		.kind = LINE_HEADER,
		.name = "header-2.6.31",
		/* up to 2.6.31, before oom_adj moved to signal_struct:
		 * "%s invoked oom-killer: gfp_mask=0x%x, order=%d,
		 * oomkilladj=%d" (task->oomkilladj, the legacy -17..15 knob
		 * 2.6.32 prints as oom_adj=).  Not in the reference, whose
		 * oldest kernel is 2.6.32: the format string of the issue. */
		.contains = " invoked oom-killer: ",
		.regex = "^(?<comm>.*) invoked oom-killer: "
			 "gfp_mask=(?<gfp>0x[0-9a-f]+), order=(?<order>-?\\d+), "
			 "oomkilladj=(?<oom_adj>-?\\d+)\\s*$",
		.sample = "mysqld invoked oom-killer: gfp_mask=0x201da, order=0, oomkilladj=0",
	},
	{
		.kind = LINE_CPUSET,
		.name = "cpuset",
		/* "%s cpuset=%s mems_allowed=%*pbl" (<= 4.19, RHEL 8.1) */
		.contains = " cpuset=",
		.regex = "^(?<comm>.*) cpuset=(?<cpuset>.*) "
			 "mems_allowed=(?<mems>(?:\\d+(?:[,-]\\d+)*)?)\\s*$",
		.sample = "syz-executor642 cpuset=syz4 mems_allowed=0-1",
	},
	{
		.kind = LINE_CPU,
		.name = "cpu",
		/* lib/dump_stack.c: "CPU: %d PID: %d Comm: %.20s %s%s %s %.*s"
		 * (3.10+; "Kdump: loaded " slot 4.19+; "UID: %u" 6.9+).  The
		 * release is the first word after the taint field, which on
		 * RHEL holds dashes ("Tainted: G  ------------   3.10.0-..."). */
		.prefix = "CPU: ",
		.regex = "^CPU: (?<cpu>\\d+) (?:UID: (?<uid>\\d+) )?"
			 "PID: (?<pid>\\d+) Comm: (?<comm>.*?) "
			 "(?:Kdump: loaded )?(?:Not tainted|Tainted: [A-Z -]*?) +"
			 "(?<release>\\d\\S*)\\s",
		.sample = "CPU: 3 PID: 2210 Comm: postgres Not tainted 6.8.0-45-generic #45-Ubuntu",
	},
	{
		.kind = LINE_CPU,
		.name = "cpu-2.6",
		/* arch/x86 dump_stack(), 2.6.32-3.6 and RHEL 6: "Pid: %d,
		 * comm: %.20s %s %s %.*s" (taint, release, version) */
		.prefix = "Pid: ",
		.regex = "^Pid: (?<pid>\\d+), comm: (?<comm>.*?) "
			 "(?:Not tainted|Tainted: [A-Z -]*?) +(?<release>\\d\\S*)",
		.sample = "Pid: 4321, comm: java Not tainted 2.6.32-504.16.2.el6.x86_64 #1",
	},
	{
		.kind = LINE_HARDWARE,
		.name = "hardware",
		/* lib/dump_stack.c: "Hardware name: %s" */
		.prefix = "Hardware name: ",
		.regex = "^Hardware name: (?<hw>.*?)\\s*$",
		.sample = "Hardware name: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.15.0-1 04/01/2014",
	},
	{
		.kind = LINE_STACK,
		.name = "stack",
		/* dump_stack(): "Call Trace:", frames "%s %s%pB" (4.19+) or
		 * " [<%p>] %pB", <TASK>/<IRQ> markers, x86 register lines,
		 * "Workqueue:", arm64 "Call trace:".  Kept in the raw text,
		 * never parsed. */
		.regex = "^(?:Call [Tt]race:|</?(?:TASK|IRQ|NMI|EOI|EOE)>"
			 "|(?:\\? )?(?:\\[<[0-9a-f]+>\\] )?(?:\\? )?"
			 "[\\w.$]+\\+0x[0-9a-f]+/0x[0-9a-f]+"
			 "|(?:RIP|RSP|RAX|RDX|RBP|R10|R13|Code|CR2|FS|CS|DS):"
			 "|Workqueue: |COMPACTION is disabled)",
		.sample = "dump_stack_lvl+0x76/0xa0",
	},
	{
		.kind = LINE_STACK,
		.name = "stack-words",
		.first = "0123456789abcdef",
		/* x86 show_stack_log_lvl() up to 4.x: raw stack words before
		 * "Call Trace:", " %016lx" up to four per line */
		.regex = "^(?:[0-9a-f]{16} ){0,7}[0-9a-f]{16}\\s*$",
		.sample = "ffff880182270000 0000000000000000 ffff88041f2b7a98 ffffffff8163a2a4",
	},
	{
		.kind = LINE_STACK,
		.name = "stack-regs",
		.first = "DOPRCGEplsx",
		/* __show_regs(): the x86 lines the "stack" entry does not
		 * start with, and arm64's "pc : %pS", "lr : %pS", "sp : %016llx"
		 * and "x29: %016llx" register lines */
		.regex = "^(?:(?:DR[0-7]|ORIG_RAX|PKRU|RBX|RSI|R08|R11|R14|CR0|"
			 "GS|ES|EFLAGS):|(?:pc|lr|sp) : |x\\d+: [0-9a-f]{16}|"
			 "pstate: [0-9a-f]+ )",
		.sample = "pc : el0_svc_common.constprop.0+0x6c/0x1e0",
	},
	{
		.kind = LINE_STACK,
		.name = "stack-ppc",
		/* powerpc show_stack(): "[%lx] [%lx] %pS" with the stack and
		 * return addresses, "(unreliable)" after the first frame */
		.prefix = "[",
		.regex = "^\\[[0-9a-f]{8,16}\\] \\[[0-9a-f]{8,16}\\] "
			 "[\\w.$]+\\+0x[0-9a-f]+/0x[0-9a-f]+",
		.sample = "[c0000000fe5d3a50] [c000000000d6c4a4] dump_stack+0xc4/0x114 (unreliable)",
	},
	{
		.kind = LINE_STACK,
		.name = "taint-decode",
		/* lib/dump_stack.c, 6.9+: the taint flags spelled out after
		 * the CPU line, "Tainted: [%c]=%s, ..." */
		.prefix = "Tainted: [",
		.regex = "^Tainted: \\[[A-Z]\\]=\\w+(?:, \\[[A-Z]\\]=\\w+)*\\s*$",
		.sample = "Tainted: [P]=PROPRIETARY_MODULE, [O]=OOT_MODULE",
	},
	{
		.kind = LINE_MEMINFO,
		.name = "meminfo",
		/* mm/show_mem.c: "Mem-Info:" */
		.prefix = "Mem-Info:",
		.regex = "^Mem-Info:\\s*$",
		.sample = "Mem-Info:",
	},
	{
		.kind = LINE_MEM_COUNTERS,
		.name = "mem-counters",
		.first = "afkmsu",
		/* __show_mem(): one multi-line printk of "key:%lu" pages;
		 * every physical line starts with one of these keys. */
		.regex = "^(?:active_anon|active_file|unevictable|"
			 "slab_reclaimable|mapped|sec_pagetables|"
			 "kernel_misc_reclaimable|free|free_cma):\\d+(?: |$)",
		.sample = "active_anon:2731 inactive_anon:3901210 isolated_anon:0",
	},
	{
		.kind = LINE_HUGEPAGES,
		.name = "hugepages",
		/* "Node %d hugepages_total=%u hugepages_free=%u
		 * hugepages_surp=%u hugepages_size=%lukB" */
		.prefix = "Node ",
		.contains = "hugepages_total=",
		.regex = "^Node (?<node>\\d+) hugepages_total=(?<total>\\d+) "
			 "hugepages_free=(?<free>\\d+) hugepages_surp=\\d+ "
			 "hugepages_size=(?<size>\\d+)kB\\s*$",
		.sample = "Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB",
	},
	{
		.kind = LINE_NODE,
		.name = "node",
		/* 4.9+: "Node %d active_anon:%lukB inactive_anon:%lukB ..." */
		.prefix = "Node ",
		.regex = "^Node (?<node>\\d+) active_anon:\\d+kB ",
		.sample = "Node 0 active_anon:10924kB inactive_anon:15604840kB active_file:380kB inactive_file:176kB unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:2636kB dirty:0kB writeback:0kB shmem:6900kB shmem_thp:0kB shmem_pmdmapped:0kB anon_thp:0kB writeback_tmp:0kB kernel_stack:6432kB pagetables:64588kB sec_pagetables:0kB all_unreclaimable? yes",
	},
	{
		.kind = LINE_ZONE,
		.name = "zone",
		.first = "DHMN",
		/* show_node() + "%s free:%lukB boost:%lukB min:%lukB ..." */
		.regex = "^(?:Node (?<node>\\d+) )?(?<zone>DMA|DMA32|Normal|"
			 "HighMem|Movable|Device) free:\\d+kB ",
		.sample = "Node 0 DMA32 free:44784kB boost:0kB min:4440kB low:5548kB high:6656kB reserved_highatomic:0KB active_anon:1287092kB inactive_anon:512kB active_file:0kB inactive_file:128kB unevictable:0kB writepending:0kB present:3129212kB managed:3063676kB mlocked:0kB bounce:0kB free_pcp:0kB local_pcp:0kB free_cma:0kB",
	},
	{
		.kind = LINE_LOWMEM,
		.name = "lowmem-reserve",
		/* "lowmem_reserve[]:" + " %ld" per zone type */
		.prefix = "lowmem_reserve[]:",
		.regex = "^lowmem_reserve\\[\\]:(?: \\d+)*\\s*$",
		.sample = "lowmem_reserve[]: 0 2951 15933 15933 15933",
	},
	{
		.kind = LINE_BUDDY,
		.name = "buddy",
		.first = "DHMN",
		/* show_free_areas(): "%s: " + "%lu*%lukB " per order + "= %lukB".
		 * The first bucket's size is the page size. */
		.contains = "kB ",
		.regex = "^(?:Node (?<node>\\d+) )?(?<zone>\\w+): \\d+\\*"
			 "(?<pgkb>\\d+)kB ",
		.sample = "Node 0 Normal: 1127*4kB (UME) 571*8kB (UME) 312*16kB (UM) 49*32kB (UM) 6*64kB (M) 0*128kB 0*256kB 0*512kB 0*1024kB 0*2048kB 0*4096kB = 19952kB",
	},
	{
		.kind = LINE_PAGE_COUNT,
		.name = "page-count",
		.first = "0123456789",
		/* "%ld total pagecache pages", "%lu pages in swap cache",
		 * "%lu pages RAM", "%lu pages HighMem/MovableOnly",
		 * "%lu pages reserved", "%lu pages cma reserved",
		 * "%lu pages hwpoisoned"; <= 3.10 and RHEL 6 also "%lu pages
		 * HighMem", "%lu pages shared", "%lu pages non-shared" and
		 * "%lu pages in pagetable cache" (kept, not stored) */
		.regex = "^(?<n>\\d+) (?<what>total pagecache pages|"
			 "pages in swap cache|pages RAM|pages HighMem/MovableOnly|"
			 "pages reserved|pages cma reserved|pages hwpoisoned|"
			 "pages HighMem|pages shared|pages non-shared|"
			 "pages in pagetable cache)\\s*$",
		.sample = "4194173 pages RAM",
	},
	{
		.kind = LINE_SWAP_LINE,
		.name = "swap-total",
		.first = "FT",
		/* "Free swap  = %ldkB" (two spaces), "Total swap = %lukB" */
		.contains = " swap ",
		.regex = "^(?<what>Free|Total) swap +(?:= )?(?<kb>-?\\d+)kB\\s*$",
		.sample = "Free swap  = 0kB",
	},
	{
		.kind = LINE_MEM_OTHER,
		.name = "per-cpu-head",
		.first = "DHMN",
		/* show_free_areas(), <= 3.x and RHEL 6/7: show_node() + "%s
		 * per-cpu:" before each zone's per-CPU page-set lines */
		.contains = " per-cpu:",
		.regex = "^(?:Node \\d+ )?\\w+ per-cpu:\\s*$",
		.sample = "Node 0 DMA32 per-cpu:",
	},
	{
		.kind = LINE_MEM_OTHER,
		.name = "per-cpu",
		/* "CPU %4d: hi:%5d, btch:%4d usd:%4d" (<= 3.x, RHEL 6/7) */
		.prefix = "CPU ",
		.regex = "^CPU +\\d+: hi: *\\d+, btch: *\\d+ usd: *\\d+\\s*$",
		.sample = "CPU    3: hi:  186, btch:  31 usd:  25",
	},
	{
		.kind = LINE_MEM_OTHER,
		.name = "swap-cache-stats",
		/* show_swap_cache_info(), gone by 6.1: "Swap cache stats: add
		 * %lu, delete %lu, find %lu/%lu" */
		.prefix = "Swap cache stats: ",
		.regex = "^Swap cache stats: add \\d+, delete \\d+, "
			 "find \\d+/\\d+\\s*$",
		.sample = "Swap cache stats: add 30281, delete 29016, find 1205/2040",
	},
	{
		.kind = LINE_MEM_OTHER,
		.name = "slab-info",
		.first = "NU",
		/* dump_unreclaimable_slab(), 4.15+: "Unreclaimable slab info:"
		 * and its title "Name                      Used          Total" */
		.regex = "^(?:Unreclaimable slab info:|Name +Used +Total)\\s*$",
		.sample = "Unreclaimable slab info:",
	},
	{
		.kind = LINE_MEM_OTHER,
		.name = "slab-info-row",
		/* "%-17s %10luKB %10luKB" per unreclaimable cache */
		.contains = "KB ",
		.regex = "^\\S+ +\\d+KB +\\d+KB\\s*$",
		.sample = "kmalloc-4k             41212KB      41344KB",
	},
	{
		.kind = LINE_MEM_OTHER,
		.name = "alloc-profiling",
		/* __show_mem(), 6.10+ with CONFIG_MEM_ALLOC_PROFILING: "Memory
		 * allocations:", later "Memory allocations (profiling is
		 * currently turned %s):" */
		.prefix = "Memory allocations",
		.regex = "^Memory allocations(?: \\(profiling is currently "
			 "turned \\w+\\))?:\\s*$",
		.sample = "Memory allocations (profiling is currently turned on):",
	},
	{
		.kind = LINE_MEM_OTHER,
		.name = "alloc-profiling-row",
		.first = "0123456789",
		/* "%12s %8llu %s:%u [%s] func:%s": size from string_get_size(),
		 * calls, file:line, [module], function */
		.contains = " func:",
		.regex = "^\\d+(?:\\.\\d+)? [KMGTPE]?i?B +\\d+ \\S+:\\d+ "
			 "(?:\\[\\S+\\] )?func:\\S+\\s*$",
		.sample = "1.20 GiB   314572 mm/memory.c:1074 func:folio_prealloc",
	},
	{
		.kind = LINE_MEMCG_USAGE,
		.name = "memcg-usage",
		.first = "kms",
		/* mem_cgroup_print_oom_meminfo(): "%s: usage %llukB, limit
		 * %llukB, failcnt %lu" for memory, swap (v2), memory+swap and
		 * kmem (v1) */
		.contains = ": usage ",
		.regex = "^(?<which>memory|swap|memory\\+swap|kmem): "
			 "usage (?<usage>\\d+)kB, limit (?<limit>\\d+)kB, "
			 "failcnt (?<failcnt>\\d+)\\s*$",
		.sample = "memory: usage 524288kB, limit 524288kB, failcnt 317",
	},
	{
		.kind = LINE_MEMCG_STATS,
		.name = "memcg-stats",
		/* "Memory cgroup stats for " + path + ":" and, up to 5.2,
		 * " key:NKB" pairs on the same line (the path holds no
		 * ": key:", so a line cut inside the pairs is no path) */
		.prefix = "Memory cgroup stats for ",
		.regex = "^Memory cgroup stats for (?<path>(?:(?!: \\w+:).)*?):"
			 "(?<rest>(?: \\w+:\\d+KB)*)\\s*$",
		.sample = "Memory cgroup stats for /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod6f1c2e9a_7d3b_4c1e_9f0a_1b2c3d4e5f60.slice/cri-containerd-3b2a.scope:",
	},
	{
		.kind = LINE_TASK_IN,
		.name = "task-in",
		/* <= 4.19: "Task in %s killed as a result of limit of %s" */
		.prefix = "Task in ",
		.regex = "^Task in (?<task>.*) killed as a result of limit of "
			 "(?<limit>\\S.*?)\\s*$",
		.sample = "Task in /kubepods/burstable/pod6f1c/3b2a killed as a result of limit of /kubepods/burstable/pod6f1c/3b2a",
	},
	{
		.kind = LINE_TASK_IN,
		.name = "memcg-limit-reached",
		/* 4.x-4.19, no victim chosen yet: "Memory limit reached of
		 * cgroup " + path */
		.prefix = "Memory limit reached of cgroup ",
		.regex = "^Memory limit reached of cgroup (?<limit>\\S.*?)\\s*$",
		.sample = "Memory limit reached of cgroup /system.slice/batch.service",
	},
	{
		.kind = LINE_TASKS_STATE,
		.name = "tasks-state",
		/* dump_tasks(), 4.19+: "Tasks state (memory values in pages):" */
		.prefix = "Tasks state ",
		.regex = "^Tasks state \\(memory values in pages\\):\\s*$",
		.sample = "Tasks state (memory values in pages):",
	},
	{
		.kind = LINE_TASK_HEADER,
		.name = "task-header",
		/* dump_tasks() title: "[  pid  ]   uid  tgid total_vm      rss
		 * ... oom_score_adj name"; the columns name the layout. */
		.prefix = "[",
		.regex = "^\\[ *pid *\\] +uid +tgid +total_vm +rss "
			 "(?<cols>.*?) *name\\s*$",
		.sample = "[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name",
	},
	{
		.kind = LINE_TASK_ROW,
		.name = "task-row",
		/* dump_task(): "[%7d] %5d %5d %8lu %8lu ... %5hd %s"; the
		 * columns after pid are split by the assembler per layout,
		 * so that a damaged row is still seen, and flagged. */
		.prefix = "[",
		.regex = "^\\[ *(?<pid>\\d+)\\] +(?<cols>.*)$",
		.sample = "[   1201]    26  1201  2310456  1180240  1120000    20960    39280 10203136    52000             0 postgres",
	},
	{
		.kind = LINE_SUMMARY,
		.name = "summary",
		/* 5.0+: "oom-kill:constraint=%s,nodemask=%*pbl" [",cpuset=%s,
		 * mems_allowed=%*pbl"] (",oom_memcg=%s" | ",global_oom")
		 * [",task_memcg=%s"] ",task=%s,pid=%d,uid=%d".  The tail may
		 * be cut at the record size limit (§5.2): it is optional. */
		.prefix = "oom-kill:",
		.regex = "^oom-kill:constraint=(?<constraint>\\w+)"
			 ",nodemask=(?<nodemask>[^,]*)"
			 "(?:,cpuset=(?<cpuset>[^,]*),mems_allowed=(?<mems>[0-9,-]*?))?"
			 "(?:,global_oom|,oom_memcg=(?<oom_memcg>.*?))?"
			 "(?:,task_memcg=(?<task_memcg>.*?))?"
			 "(?:,task=(?<task>.*),pid=(?<pid>\\d+),uid=(?<uid>\\d+))?"
			 "\\s*$",
		.sample = "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/postgresql.service,task=postgres,pid=1201,uid=26",
	},
	{
		.kind = LINE_SELECT,
		.name = "select",
		/* <= 5.0: "%s: Kill process %d (%s) score %u or sacrifice
		 * child"; 2.6.32: "... score %li or a child" */
		.contains = "ill process ",
		.regex = "^(?<reason>.*?): [Kk]ill process (?<pid>\\d+) "
			 "\\((?<comm>.*)\\) score (?<score>-?\\d+) or "
			 "(?:sacrifice child|a child)\\s*$",
		.sample = "Out of memory: Kill process 6576 (mysqld) score 651 or sacrifice child",
	},
	{
		.kind = LINE_KILLED,
		.name = "killed",
		/* 5.4+: "%s: Killed process %d (%s) total-vm:%lukB,
		 * anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB, UID:%u
		 * pgtables:%lukB oom_score_adj:%hd"; the reason prefix came in
		 * 5.2, shmem-rss in 4.6, UID/pgtables/adj in 5.4.  The greedy
		 * comm backs off to the last ") total-vm:". */
		.contains = "Killed process ",
		.regex = "^(?:(?<reason>[^:]*): )?Killed process (?<pid>\\d+) "
			 "\\((?<comm>.*)\\) total-vm:(?<vm>\\d+)kB, "
			 "anon-rss:(?<anon>\\d+)kB, file-rss:(?<file>\\d+)kB"
			 "(?:, shmem-rss:(?<shmem>\\d+)kB)?"
			 "(?:, UID:(?<uid>\\d+))?"
			 "(?: pgtables:(?<pgtables>\\d+)kB)?"
			 "(?: oom_score_adj:(?<adj>-?\\d+))?\\s*$",
		.sample = "Out of memory: Killed process 1201 (postgres) total-vm:9241824kB, anon-rss:4700000kB, file-rss:20960kB, shmem-rss:0kB, UID:26 pgtables:9964kB oom_score_adj:0",
	},
	{
		.kind = LINE_KILLED,
		.name = "killed-rhel6",
		.first = "K",
		/* RHEL 6.2-6.10: "Killed process %d, UID %d, (%s)
		 * total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB" */
		.contains = "Killed process ",
		.regex = "^Killed process (?<pid>\\d+), UID (?<uid>\\d+), "
			 "\\((?<comm>.*)\\) total-vm:(?<vm>\\d+)kB, "
			 "anon-rss:(?<anon>\\d+)kB, file-rss:(?<file>\\d+)kB\\s*$",
		.sample = "Killed process 4321, UID 500, (java) total-vm:20481324kB, anon-rss:14803920kB, file-rss:960kB",
	},
	{
		.kind = LINE_KILLED,
		.name = "killed-rhel7",
		.first = "K",
		/* RHEL 7 (3.10.0-1160): "Killed process %d (%s), UID %d,
		 * total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB,
		 * shmem-rss:%lukB" */
		.contains = "Killed process ",
		.regex = "^Killed process (?<pid>\\d+) \\((?<comm>.*)\\), "
			 "UID (?<uid>\\d+), total-vm:(?<vm>\\d+)kB, "
			 "anon-rss:(?<anon>\\d+)kB, file-rss:(?<file>\\d+)kB, "
			 "shmem-rss:(?<shmem>\\d+)kB\\s*$",
		.sample = "Killed process 48213 (java), UID 1000, total-vm:6151244kB, anon-rss:1043908kB, file-rss:92kB, shmem-rss:0kB",
	},
	{
		.kind = LINE_KILLED,
		.name = "killed-rhel6.0",
		.first = "K",
		/* RHEL 6.0-6.1: "Killed process %d (%s) vsz:%lukB,
		 * anon-rss:%lukB, file-rss:%lukB" */
		.contains = "Killed process ",
		.regex = "^Killed process (?<pid>\\d+) \\((?<comm>.*)\\) "
			 "vsz:(?<vm>\\d+)kB, anon-rss:(?<anon>\\d+)kB, "
			 "file-rss:(?<file>\\d+)kB\\s*$",
		.sample = "Killed process 4321 (java) vsz:20481324kB, anon-rss:14803920kB, file-rss:960kB",
	},
	{
		.kind = LINE_KILLED,
		.name = "killed-2.6.32",
		.first = "K",
		/* 2.6.32 vanilla: "Killed process %d (%s)"; the reason is on
		 * the "kill process" line before it */
		.contains = "Killed process ",
		.regex = "^Killed process (?<pid>\\d+) \\((?<comm>.*)\\)\\s*$",
		.sample = "Killed process 4321 (java)",
	},
	{
		.kind = LINE_KILLED,
		.name = "killed-sharing",
		.first = "K",
		/* 2.6.37-3.19, RHEL 6.2+: "Kill process %d (%s) sharing same
		 * memory", for each other process using the victim's mm */
		.contains = "ill process ",
		.regex = "^Kill process (?<pid>\\d+) \\((?<comm>.*)\\) "
			 "sharing same memory\\s*$",
		.sample = "Kill process 4322 (java-helper) sharing same memory",
	},
	{
		.kind = LINE_GROUP,
		.name = "oom-group",
		/* 4.19+: "Tasks in %s are going to be killed due to
		 * memory.oom.group set" */
		.prefix = "Tasks in ",
		.regex = "^Tasks in (?<path>.*) are going to be killed due to "
			 "memory\\.oom\\.group set\\s*$",
		.sample = "Tasks in /system.slice/batch.service are going to be killed due to memory.oom.group set",
	},
	{
		.kind = LINE_REAPED,
		.name = "oom-reaper",
		/* 4.6+: "oom_reaper: reaped process %d (%s), now
		 * anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB" */
		.prefix = "oom_reaper: reaped",
		.regex = "^oom_reaper: reaped process (?<pid>\\d+) "
			 "\\((?<comm>.*)\\), now anon-rss:(?<anon>\\d+)kB, "
			 "file-rss:(?<file>\\d+)kB, shmem-rss:(?<shmem>\\d+)kB\\s*$",
		.sample = "oom_reaper: reaped process 1201 (postgres), now anon-rss:0kB, file-rss:0kB, shmem-rss:39280kB",
	},
	{
		.kind = LINE_REAP_FAILED,
		.name = "oom-reaper-unable",
		/* 4.6+: "oom_reaper: unable to reap pid:%d (%s)"; 4.8 only:
		 * "oom_reaper: giving up pid:%d (%s)" */
		.prefix = "oom_reaper: ",
		.regex = "^oom_reaper: (?:unable to reap|giving up) "
			 "pid:(?<pid>\\d+) \\((?<comm>.*)\\)\\s*$",
		.sample = "oom_reaper: unable to reap pid:4321 (java)",
	},
	{
		.kind = LINE_NO_KILLABLE,
		.name = "no-killable",
		/* 4.19+: "Out of memory and no killable processes...\n" */
		.prefix = "Out of memory and no killable processes",
		.regex = "^Out of memory and no killable processes",
		.sample = "Out of memory and no killable processes...",
	},
	{
		.kind = LINE_NO_KILLABLE,
		.name = "sysrq-ignored",
		/* drivers/tty/sysrq.c moom_callback(): "OOM request ignored.
		 * No task eligible" when SysRq-f found no victim */
		.prefix = "OOM request ignored",
		.regex = "^OOM request ignored\\. No task eligible\\s*$",
		.sample = "OOM request ignored. No task eligible",
	},
	{
		.kind = LINE_PANIC,
		.name = "panic",
		/* panic(): "Kernel panic - not syncing: %s" */
		.prefix = "Kernel panic - not syncing: ",
		.regex = "^Kernel panic - not syncing: (?<msg>.*?)\\s*$",
		.sample = "Kernel panic - not syncing: System is deadlocked on memory",
	},
	{
		.kind = LINE_EXITING,
		.name = "victim-exiting",
		/* 5.9+: "%s: OOM victim %d (%s) is already exiting. Skip
		 * killing the task" */
		.contains = "is already exiting",
		.regex = "^(?<reason>.*?): OOM victim (?<pid>\\d+) "
			 "\\((?<comm>.*)\\) is already exiting\\. "
			 "Skip killing the task\\s*$",
		.sample = "Out of memory: OOM victim 4321 (java) is already exiting. Skip killing the task",
	},
	{
		.kind = LINE_MM_PINNED,
		.name = "mm-pinned",
		.first = "o",
		/* 4.9+ __oom_kill_process(), after the kill line, when init
		 * shares the victim's mm: "oom killer %d (%s) has mm pinned
		 * by %d (%s)" (reference §2.10(c)); the reaper is skipped */
		.prefix = "oom killer ",
		.regex = "^oom killer (?<pid>\\d+) \\((?<comm>.*)\\) has mm pinned "
			 "by (?<by>\\d+) \\((?<bycomm>.*)\\)\\s*$",
		.sample = "oom killer 4321 (java) has mm pinned by 1 (systemd)",
	},
	{
		.kind = LINE_EXITING,
		.name = "would-have-killed",
		.first = "W",
		/* RHEL 6 with vm.would_have_oomkilled=1, after the "Kill
		 * process" line: "Would have killed process %d (%s). But
		 * continuing instead." (reference §2.10(d)): nothing killed */
		.contains = "Would have killed process ",
		.regex = "^Would have killed process (?<pid>\\d+) "
			 "\\((?<comm>.*)\\)\\. But continuing instead\\.\\s*$",
		.sample = "Would have killed process 4321 (java). But continuing instead.",
	},
	{
		.kind = LINE_SUPPRESSED,
		.name = "callbacks-suppressed",
		/* lib/ratelimit.c: "%s: %d callbacks suppressed" */
		.contains = " callbacks suppressed",
		.regex = "^(?<func>\\S+): (?<n>\\d+) callbacks suppressed\\s*$",
		.sample = "oom_kill_process: 12 callbacks suppressed",
	},
	{
		.kind = LINE_BOOT,
		.name = "boot",
		/* init/version.c linux_banner: "Linux version %s (%s@%s) (%s)
		 * %s", the first line of every boot */
		.prefix = "Linux version ",
		.regex = "^Linux version \\d\\S* \\(",
		.sample = "Linux version 6.8.0-45-generic (buildd@lcy02-amd64-075) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0, GNU ld (GNU Binutils for Ubuntu) 2.42) #45-Ubuntu SMP PREEMPT_DYNAMIC Fri Aug 30 12:02:04 UTC 2024 (Ubuntu 6.8.0-45.45-generic 6.8.12)",
	},
	{
		.kind = LINE_LOST,
		.name = "lost-journald",
		/* systemd-journald (not the kernel): "Missed %"PRIu64" kernel
		 * messages" when /dev/kmsg sequence numbers were skipped */
		.prefix = "Missed ",
		.regex = "^Missed (?<n>\\d+) kernel messages\\s*$",
		.sample = "Missed 37 kernel messages",
	},
	{
		.kind = LINE_LOST,
		.name = "lost-imjournal",
		/* rsyslog imjournal: "imjournal: %d messages lost due to
		 * rate-limiting (...)" */
		.prefix = "imjournal: ",
		.regex = "^imjournal: (?<n>\\d+) messages lost due to rate-limiting",
		.sample = "imjournal: 3182 messages lost due to rate-limiting (20000 allowed within 600 seconds)",
	},
	{
		.kind = LINE_LOST,
		.name = "lost-printk",
		/* kernel/printk: "** %lu printk messages dropped **" on a
		 * console that could not keep up */
		.prefix = "** ",
		.regex = "^\\*\\* (?<n>\\d+) printk messages dropped \\*\\*\\s*$",
		.sample = "** 112 printk messages dropped **",
	},
	/*
	 * KERN_CONT pieces (reference §5.2).  A line built from several
	 * pr_cont() calls becomes several records when another CPU printed
	 * in between (4.9+), and the log then shows each piece on its own.
	 * The heads are line starts that cannot stand alone; the fragments
	 * are what may follow them.  The joiner (join.c) puts them back
	 * together before the assembler sees them.
	 */
	{
		.kind = LINE_HEAD,
		.name = "head-header",
		/* 4.14: "%s invoked oom-killer: gfp_mask=%#x(%pGg), nodemask="
		 * + pr_cont("%*pbl" or "(null)") + pr_cont(",  order=%d,
		 * oom_score_adj=%hd"): the head ends at "nodemask=" or after
		 * a whole mask (anything else is a cut line: header-cut) */
		.contains = " invoked oom-killer: ",
		.regex = "^(?<comm>.*) invoked oom-killer: "
			 "gfp_mask=(?<gfp>0x[0-9a-f]+(?:\\([^)]*\\))?)"
			 ", nodemask=(?<nodemask>\\(null\\)|\\d+(?:[,-]\\d+)*)?"
			 "\\s*$",
		.sample = "java invoked oom-killer: gfp_mask=0x14200ca(GFP_HIGHUSER_MOVABLE), nodemask=",
	},
	{
		.kind = LINE_HEAD,
		.name = "head-cpuset",
		/* 4.x cpuset_print_current_mems_allowed(): pr_info("%s
		 * cpuset=") + pr_cont_cgroup_name() + pr_cont(" mems_allowed=
		 * %*pbl") */
		.contains = " cpuset=",
		.regex = "^(?<comm>.*) cpuset=(?<cpuset>\\S*)\\s*$",
		.sample = "java cpuset=",
	},
	{
		.kind = LINE_HEAD,
		.name = "head-node",
		/* show_node(): "Node %d " before a zone or buddy line, printed
		 * on its own, the rest a KERN_CONT record */
		.prefix = "Node ",
		.regex = "^Node \\d+\\s*$",
		.sample = "Node 0 ",
	},
	{
		.kind = LINE_HEAD,
		.name = "head-buddy",
		.first = "DHMN",
		/* show_free_areas(): show_node() + "%s: " before the buddy
		 * counts, each a pr_cont() */
		.regex = "^(?:Node \\d+ )?(?:DMA|DMA32|Normal|HighMem|Movable|"
			 "Device):\\s*$",
		.sample = "DMA32: ",
	},
	{
		.kind = LINE_HEAD,
		.name = "head-task-in",
		/* <= 4.19 "Task in " + path + " killed as a result of limit of
		 * " + path, pr_cont pieces; 2.6.32/3.10 "Task in %s killed" +
		 * " as a result of limit of %s" */
		.prefix = "Task in ",
		/* a line that goes on past " killed as " is whole or cut
		 * (task-in, task-in-cut), unless it stops at a piece's end */
		.regex = "^Task in \\S(?:(?!.* killed as ).*|"
			 ".* killed as a result of limit of)\\s*$",
		.sample = "Task in /docker/3b2a killed",
	},
	{
		.kind = LINE_HEAD,
		.name = "head-memcg-stats",
		/* <= 5.2: pr_info("Memory cgroup stats for ") +
		 * pr_cont_cgroup_path() + pr_cont(":"), before the " %s:%luKB"
		 * pieces */
		.prefix = "Memory cgroup stats for",
		.regex = "^Memory cgroup stats for(?: \\S[^:]*)?\\s*$",
		.sample = "Memory cgroup stats for /docker/3b2a",
	},
	{
		.kind = LINE_FRAGMENT,
		.name = "frag-buddy",
		.first = "0123456789(=",
		/* show_free_areas() pieces: "%lu*%lukB ", "(%s) " (migrate
		 * types), "= %lukB\n" */
		.regex = "^(?:\\d+\\*\\d+kB|\\([UMEHRCI]+\\)|= \\d+kB)"
			 "(?: (?:\\d+\\*\\d+kB|\\([UMEHRCI]+\\)|= \\d+kB))*\\s*$",
		.sample = "1127*4kB (UME) ",
	},
	{
		.kind = LINE_FRAGMENT,
		.name = "frag-numbers",
		.first = "0123456789(-",
		/* lowmem_reserve[] pieces " %ld", the 4.14 header's nodemask
		 * "%*pbl" or "(null)" */
		.regex = "^(?:\\(null\\)|-?\\d+(?:(?: +|[,-])-?\\d+)*)\\s*$",
		.sample = "2951",
	},
	{
		.kind = LINE_FRAGMENT,
		.name = "frag-summary",
		/* 5.0+ oom-kill: pieces: ",cpuset=" ",mems_allowed=%*pbl"
		 * ",global_oom" ",oom_memcg=" ",task_memcg=" ",task=%s,pid=%d,
		 * uid=%d" */
		.prefix = ",",
		.regex = "^,(?:cpuset=|mems_allowed=|global_oom|oom_memcg=|"
			 "task_memcg=|task=)",
		.sample = ",task=java,pid=48213,uid=1000",
	},
	{
		.kind = LINE_FRAGMENT,
		.name = "frag-order",
		/* 4.14 header tail: ",  order=%d, oom_score_adj=%hd" */
		.prefix = ",",
		.regex = "^, +order=-?\\d+, oom_score_adj=-?\\d+\\s*$",
		.sample = ",  order=0, oom_score_adj=0",
	},
	{
		.kind = LINE_FRAGMENT,
		.name = "frag-mems",
		/* 4.x cpuset line tail: " mems_allowed=%*pbl" */
		.prefix = "mems_allowed=",
		.regex = "^mems_allowed=[0-9,-]*\\s*$",
		.sample = " mems_allowed=0-1",
	},
	{
		.kind = LINE_FRAGMENT,
		.name = "frag-limit",
		.first = "ak",
		/* "Task in" pieces: " killed as a result of limit of " (4.x),
		 * " as a result of limit of %s" (2.6.32, 3.10) */
		.contains = "as a result of limit of",
		.regex = "^(?:killed )?as a result of limit of(?: \\S.*)?\\s*$",
		.sample = " as a result of limit of /docker/3b2a",
	},
	{
		.kind = LINE_FRAGMENT,
		.name = "frag-kb-pairs",
		.first = "abcdefghijklmnopqrstuvwxyz",
		/* <= 5.2 memcg stats pieces: " %s:%luKB" */
		.contains = "KB",
		.regex = "^\\w+:\\d+KB(?: \\w+:\\d+KB)*\\s*$",
		.sample = " rss:520160KB",
	},
#include "patterns-cut.inc"
	{
		.kind = LINE_STAT_KV,
		.name = "memory-stat",
		.first = "abcdefghijklmnopqrstuvwxyz",
		/* 5.3+: memory.stat dump, "%s %llu" per line (a multi-line
		 * record until 6.2, one record per line from 6.5).  Only
		 * meaningful inside a "Memory cgroup stats for" block; last,
		 * because it matches any "word number" line. */
		.regex = "^(?<key>[a-z][a-z0-9_]*) (?<value>\\d+)\\s*$",
		.sample = "anon 532516864",
	},
#include "patterns-story.inc"
};

const size_t n_patterns = sizeof(patterns) / sizeof(patterns[0]);

const struct pattern annotation_pattern = {
	.kind = LINE_NONE,
	.name = "annotation",
	/* not the kernel's: what a reader wrote after a line ("  <==== this
	 * one", "<-- here", "--> victim", "# the culprit", "(!!)", "!!!",
	 * "***") or an elision a wrap glued on ("...", "[...]", "<snip>",
	 * "-- 8< --", group "elision").  It starts at a blank: the kernel
	 * prints "processes..." with none. */
	.regex = "\\s+(?:(?<elision>\\.{3,}|\xe2\x80\xa6|\\[ *(?:\\.{3}|"
		 "\xe2\x80\xa6|snip(?:ped)?) *\\]|< *snip(?:ped)? *>|-+ *8<)|"
		 "<[=-]+|[=-]{2,}>|\xe2\x86\x90|#+\\s|\\(!+\\)|!{2,}|"
		 "\\*{3,}|\\?{2,}).*$",
	.sample = "Out of memory: Killed process 1201 (postgres) total-vm:9241824kB, anon-rss:4700000kB, file-rss:20960kB, shmem-rss:0kB, UID:26 pgtables:9964kB oom_score_adj:0   <==== this one",
};
