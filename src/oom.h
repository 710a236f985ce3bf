/*
 * oom.h: the OOM report as oomlens understands it.
 *
 * One struct oom_report per kernel OOM report, filled by the assembler
 * (parsers/report.c), stored by the store, rendered by output.c.
 *
 * Unknown stays unknown: every numeric field that a report may lack has a
 * bit in the owning struct's `known` mask; strings are NULL when not printed.
 * Nothing here is ever filled with a made-up 0.
 *
 * Units follow the kernel: task-dump columns in pages (pgtables in bytes),
 * kill-line and memcg figures in kB, Mem-Info counters in pages, zone lines
 * in kB.  The field names say which.
 */
#ifndef OOMLENS_OOM_H
#define OOMLENS_OOM_H

#include <stddef.h>
#include <stdint.h>

/* Task-dump column layouts, detected from the header line's column names. */
enum task_layout {
	LAYOUT_UNKNOWN = 0,
	/* 4.15-6.6: rss pgtables_bytes swapents oom_score_adj */
	LAYOUT_PGTABLES,
	/* 6.8+: rss rss_anon rss_file rss_shmem pgtables_bytes swapents adj */
	LAYOUT_RSS_SPLIT,
	/* 4.0-4.14: rss nr_ptes nr_pmds swapents oom_score_adj */
	LAYOUT_NR_PMDS,
	/* 3.6-3.19, RHEL 7: rss nr_ptes swapents oom_score_adj */
	LAYOUT_NR_PTES,
	/* RHEL 6.2+, 2.6.37-3.0: rss cpu oom_adj oom_score_adj */
	LAYOUT_OOM_ADJ_SCORE,
	/* 2.6.32, RHEL 6.0-6.1: rss cpu oom_adj */
	LAYOUT_OOM_ADJ,
};

enum task_known {
	TASK_UID = 1 << 0,
	TASK_TGID = 1 << 1,
	TASK_TOTAL_VM = 1 << 2,
	TASK_RSS = 1 << 3,
	TASK_RSS_SPLIT = 1 << 4,	/* rss_anon, rss_file, rss_shmem */
	TASK_PGTABLES = 1 << 5,		/* pgtables_bytes */
	TASK_SWAPENTS = 1 << 6,
	TASK_ADJ = 1 << 7,		/* oom_score_adj */
	TASK_NR_PTES = 1 << 8,
	TASK_NR_PMDS = 1 << 9,
	TASK_CPU = 1 << 10,
	TASK_OOM_ADJ = 1 << 11,		/* legacy oom_adj */
	TASK_POINTS = 1 << 12,		/* points, rank: analysis */
	TASK_UNKILLABLE = 1 << 13,	/* analysis: never a candidate */
	TASK_OOM_SCORE = 1 << 14,	/* analysis: oom_score (needs T) */
};

/* One task-dump row, every column the report prints. */
struct oom_task {
	unsigned known;		/* enum task_known */
	int64_t pid;		/* always known: a row without it is skipped */
	int64_t uid;
	int64_t tgid;
	uint64_t total_vm;	/* pages */
	uint64_t rss;		/* pages */
	uint64_t rss_anon, rss_file, rss_shmem;	/* pages, 6.8+ */
	uint64_t pgtables_bytes;
	uint64_t nr_ptes, nr_pmds;	/* pages */
	uint64_t swapents;	/* pages */
	int64_t oom_score_adj;
	int64_t cpu;
	int64_t oom_adj;
	int64_t points;		/* analysis: the kernel's badness */
	int64_t rank;		/* analysis: 1 = chosen; 0 = not ranked */
	int64_t oom_score;	/* analysis: /proc/PID/oom_score then */
	char *name;		/* comm, may hold spaces; never NULL */
	uint64_t line;		/* source line of the row */
};

enum kill_known {
	KILL_UID = 1 << 0,
	KILL_TOTAL_VM = 1 << 1,
	KILL_ANON_RSS = 1 << 2,
	KILL_FILE_RSS = 1 << 3,
	KILL_SHMEM_RSS = 1 << 4,
	KILL_PGTABLES = 1 << 5,
	KILL_ADJ = 1 << 6,
	KILL_REAPED = 1 << 7,		/* reaper_* figures known */
	KILL_SHARES_MM = 1 << 8,	/* "Kill process N (x) sharing same
					 * memory": killed with the victim */
};

enum reap_state {
	REAP_NONE = 0,		/* no reaper line seen */
	REAP_REAPED,		/* "oom_reaper: reaped process" */
	REAP_UNABLE,		/* "oom_reaper: unable to reap pid" */
};

/* One "Killed process" line, with what the reaper later said of it. */
struct oom_kill {
	unsigned known;		/* enum kill_known */
	int64_t pid;
	char *comm;		/* never NULL */
	char *reason;		/* "Out of memory", ...; NULL when not printed */
	int64_t uid;
	uint64_t total_vm_kb, anon_rss_kb, file_rss_kb, shmem_rss_kb;
	uint64_t pgtables_kb;
	int64_t oom_score_adj;
	enum reap_state reap;
	uint64_t reaped_anon_kb, reaped_file_kb, reaped_shmem_kb;
	uint64_t line;
};

/*
 * Global Mem-Info and summary counters.  The enum indexes values[] and
 * its bit in `known`; mem_field_names[] gives the key as the kernel prints
 * it, which is also the SQL column and JSON key.
 */
enum mem_field {
	/* Mem-Info counter record, pages */
	MEM_ACTIVE_ANON,
	MEM_INACTIVE_ANON,
	MEM_ISOLATED_ANON,
	MEM_ACTIVE_FILE,
	MEM_INACTIVE_FILE,
	MEM_ISOLATED_FILE,
	MEM_UNEVICTABLE,
	MEM_DIRTY,
	MEM_WRITEBACK,
	MEM_SLAB_RECLAIMABLE,
	MEM_SLAB_UNRECLAIMABLE,
	MEM_MAPPED,
	MEM_SHMEM,
	MEM_PAGETABLES,
	MEM_FREE,
	MEM_FREE_PCP,
	MEM_FREE_CMA,
	/* summary lines */
	MEM_PAGECACHE_PAGES,	/* "N total pagecache pages" */
	MEM_SWAPCACHE_PAGES,	/* "N pages in swap cache" */
	MEM_FREE_SWAP_KB,	/* "Free swap  = NkB" */
	MEM_TOTAL_SWAP_KB,	/* "Total swap = NkB" */
	MEM_RAM_PAGES,		/* "N pages RAM" */
	MEM_RESERVED_PAGES,	/* "N pages reserved" */
	MEM_HIGHMEM_PAGES,	/* "N pages HighMem/MovableOnly" */
	MEM_CMA_RESERVED_PAGES,	/* "N pages cma reserved" */
	MEM_HWPOISONED_PAGES,	/* "N pages hwpoisoned" */
	/* derived from other lines */
	MEM_PAGE_SIZE_KB,	/* first buddy bucket: "N*4kB" */
	MEM_HUGEPAGES_TOTAL,	/* summed over nodes and sizes, pages */
	MEM_HUGEPAGES_FREE,
	MEM_HUGEPAGES_KB,	/* reserved for huge pages: total x size, kB */
	MEM_FIELD_COUNT
};
extern const char *const mem_field_names[MEM_FIELD_COUNT];

/* One zone line of Mem-Info: the watermarks that say why it failed. kB. */
struct oom_zone {
	int64_t node;		/* -1 when CONFIG_NUMA=n printed no node */
	char *name;		/* "DMA", "DMA32", "Normal", ... */
	unsigned known;		/* 1 << enum zone_field */
	uint64_t values[6];
	/* the buddy line's free blocks per order, "N0 N1 N2 ..." from
	 * "N0*4kB N1*8kB ..."; NULL when no buddy line was printed */
	char *buddy;
};
enum zone_field { ZONE_FREE, ZONE_MIN, ZONE_LOW, ZONE_HIGH, ZONE_PRESENT,
		  ZONE_MANAGED, ZONE_FIELD_COUNT };
extern const char *const zone_field_names[ZONE_FIELD_COUNT];

/* Memory-cgroup counter lines ("memory: usage NkB, limit NkB, failcnt N"). */
enum memcg_counter { MEMCG_MEMORY, MEMCG_SWAP, MEMCG_MEMSW, MEMCG_KMEM,
		     MEMCG_COUNTER_COUNT };
extern const char *const memcg_counter_names[MEMCG_COUNTER_COUNT];
struct memcg_usage {
	int known;		/* the line was printed */
	uint64_t usage_kb, limit_kb, failcnt;
};
/* Any limit at or above 2^52 kB is the kernel's "unlimited" sentinel. */
#define MEMCG_UNLIMITED_KB (UINT64_C(1) << 52)

/* What a report lacks or how it was damaged; stored and exported. */
enum report_flag {
	REPORT_NO_HEADER = 1 << 0,	/* headless: kill line without header */
	REPORT_NO_KILL = 1 << 1,	/* ended before any Killed process */
	REPORT_NO_DUMP = 1 << 2,	/* no task dump */
	REPORT_NO_MEMINFO = 1 << 3,	/* neither Mem-Info nor memcg block */
	REPORT_DUMP_PARTIAL = 1 << 4,	/* rows lost or unparsable */
	REPORT_CUT = 1 << 5,		/* cut by a new header or EOF */
	REPORT_NO_KILLABLE = 1 << 6,	/* "Out of memory and no killable" */
	REPORT_PANIC = 1 << 7,		/* a kernel panic ended it */
	REPORT_VICTIM_EXITING = 1 << 8,	/* 5.9+ "is already exiting" */
	REPORT_YEAR_GUESSED = 1 << 9,	/* syslog time without a year */
	REPORT_LOCAL_TIME = 1 << 10,	/* wall clock had no zone: local */
	REPORT_SUMMARY_CUT = 1 << 11,	/* oom-kill: line without task= */
	REPORT_TOO_LONG = 1 << 12,	/* a bound was hit; rest skipped */
	REPORT_CONSTRAINT_INFERRED = 1 << 13,	/* not printed: from the shape */
	REPORT_INTERLEAVED = 1 << 14,	/* mixed with another report's lines */
	REPORT_LINES_LOST = 1 << 15,	/* the log says lines were lost */
	REPORT_LINES_JOINED = 1 << 16,	/* wrapped lines were joined back */
	/* damage a paste did (issue: every report a person can paste) */
	REPORT_TRUNCATED = 1 << 17,	/* a line was cut short: its complete
					 * fields were taken, the rest is unknown */
	REPORT_ANNOTATED = 1 << 18,	/* a reader's note or an elision
					 * ("<==", "[...]") was left out */
	REPORT_PASTE_PREFIX = 1 << 19,	/* line numbers or a paste's indent
					 * were stripped from every line */
	REPORT_VICTIM_FROM_SELECTION = 1 << 20,	/* no kill line: the victim
						 * is the "Kill process" one */
	REPORT_VICTIM_FROM_SUMMARY = 1 << 21,	/* ... the oom-kill: task= */
	REPORT_VICTIM_FROM_REAPER = 1 << 22,	/* ... oom_reaper's process */
	REPORT_DUMP_UNTITLED = 1 << 23,	/* task rows known by their shape,
					 * the dump's title line lost */
	REPORT_REASSEMBLED = 1 << 24,	/* one report from pieces pasted
					 * apart or out of order */
	REPORT_CONSTRAINT_CORRECTED = 1 << 25,	/* printed CONSTRAINT_NONE
						 * for a memcg OOM */
	REPORT_PAGE_SIZE_INFERRED = 1 << 26,	/* not 4 KiB: from the report */
	REPORT_NUL_BYTES = 1 << 27,	/* NUL bytes inside the report text */
	REPORT_HEADER_LOST = 1 << 28,	/* no "invoked oom-killer" line: the
					 * trigger is the CPU line's task */
	REPORT_WOULD_HAVE_KILLED = 1 << 29,	/* RHEL 6 vm.would_have_oomkilled:
						 * selected, nothing killed */
	REPORT_CONFLICTING_COPIES = 1 << 30,	/* copies of this OOM disagree
						 * on a fact: the most trusted
						 * copy's facts are kept */
};
/* The report ends without a kill, and says why: nothing killable, the
 * victim was exiting, or a dry run named whom it would have killed. */
#define REPORT_NOT_KILLED						\
	(REPORT_NO_KILLABLE | REPORT_VICTIM_EXITING | REPORT_WOULD_HAVE_KILLED)
/* Names of the flags for output, in bit order. */
extern const char *const report_flag_names[];

enum report_known {
	RK_WALL = 1 << 0,	/* wall_us */
	RK_KTIME = 1 << 1,	/* ktime_us, kernel timestamp since boot */
	RK_ORDER = 1 << 2,
	RK_TRIGGER_PID = 1 << 3,
	RK_TRIGGER_ADJ = 1 << 4,
	RK_SELECTED = 1 << 5,	/* selected_pid/uid from oom-kill: */
	RK_SCORE = 1 << 6,	/* "Kill process N (x) score S" */
	RK_TRIGGER_UID = 1 << 7,
	RK_TOTALPAGES = 1 << 8,	/* analysis */
	RK_PREDICTED = 1 << 9,	/* analysis: an.predicted_pid */
	RK_AGREES = 1 << 10,	/* analysis: an.agrees, an.mismatch */
	RK_SELECTED_UID = 1 << 11,	/* selected_uid (oom-kill: uid=) */
};

/*
 * Where a report's lines came from, in the order of how far they can be
 * trusted (a copy of one OOM from a more trusted source wins a merge).
 * Anyone can write a syslog line ("logger -t kernel"); only the kernel
 * logs to the journal with _TRANSPORT=kernel or to /dev/kmsg.  Stored
 * as the number (events.trust) and the name (events.provenance).
 */
enum oom_provenance {
	PROV_UNKNOWN = 0,	/* stored before it was recorded */
	PROV_TEXT,		/* syslog text: kern.log, messages, a paste */
	PROV_TEXT_STAMPED,	/* the same with the kernel's uptime stamp */
	PROV_KMSG,		/* /dev/kmsg records, dmesg output */
	PROV_JOURNAL,		/* the journal, _TRANSPORT=kernel */
};

/* Badness eras (reference §3.1), detected from the shape of the report. */
enum badness_era {
	ERA_UNKNOWN = 0,
	ERA_E0,		/* 2.6.32, RHEL 6.0-6.1: virtual size heuristic */
	ERA_E1,		/* 2.6.37-3.0, RHEL 6.2+: 0-1000 scale */
	ERA_E2,		/* 3.6-4.16, RHEL 7: pages, root bonus */
	ERA_E3,		/* 4.17-5.8, RHEL 8: no root bonus */
	ERA_E4,		/* 5.9+: signed, no clamp */
};

/* Where totalpages came from (§3.6). */
enum total_source {
	TOTAL_UNKNOWN = 0,
	TOTAL_GLOBAL,		/* pages RAM - reserved + swap */
	TOTAL_MEMCG,		/* the memcg limit (+ swap where counted) */
	TOTAL_NODES,		/* cpuset/mempolicy: present pages + swap */
};

/* Why the recomputed victim is not the one the kernel killed. */
enum mismatch_reason {
	MISMATCH_NONE = 0,
	MISMATCH_CHILD,		/* <= 5.0 "prefer the child" sacrifice */
	MISMATCH_ALLOCATING,	/* vm.oom_kill_allocating_task */
	MISMATCH_EXITING,	/* the chosen task was exiting */
	MISMATCH_OUTSIDE,	/* the victim is outside the dump's scope */
	MISMATCH_DUMP,		/* the dump is partial or cut */
	MISMATCH_TIE,		/* a tie the order of the dump cannot settle */
	MISMATCH_UNKNOWN,
};

enum analysis_flag {
	AN_T_ESTIMATED = 1 << 0,	/* totalpages is an estimate */
	AN_SWAP_ASSUMED = 1 << 1,	/* memcg: host swap not printed */
	AN_ROOT_BONUS = 1 << 2,		/* E1/E2: uid 0 rows may have had it */
	AN_ERA_GUESSED = 1 << 3,	/* the era is a guess from the layout */
	AN_NO_CANDIDATE = 1 << 4,	/* no row could be chosen */
	AN_USAGE_PARTIAL = 1 << 5,	/* the dump lacks swap/page tables
					 * (E1) or cpu time (E0): bounds */
	AN_PAGE_ASSUMED = 1 << 6,	/* page size not printed: 4 KiB */
	AN_TIE_RULE_GUESSED = 1 << 7,	/* first or last wins: a guess */
	AN_T_UNKNOWN = 1 << 8,		/* no totalpages: ranked by usage,
					 * exact only as all adj are equal */
	AN_SCORE_SETTLED = 1 << 9,	/* the printed score gave the chosen
					 * row's points: E1 swap, E2 root bonus */
};

/* Stored as plain integers (the store binds int64_t members). */
struct oom_analysis {
	int64_t era;			/* enum badness_era */
	int64_t total_source;		/* enum total_source */
	int64_t flags;			/* enum analysis_flag */
	int64_t predicted_pid;		/* RK_PREDICTED */
	int64_t agrees;			/* RK_AGREES: predicted == killed */
	int64_t mismatch;		/* enum mismatch_reason, RK_AGREES */
};

/* Constraint as stored: the kernel's CONSTRAINT_* in lower-case words. */
#define CONSTRAINT_NONE_NAME "none"
#define CONSTRAINT_CPUSET_NAME "cpuset"
#define CONSTRAINT_MEMPOLICY_NAME "mempolicy"
#define CONSTRAINT_MEMCG_NAME "memcg"

/* The killer of a kernel OOM kill, as stored and exported. */
#define KILLER_KERNEL "kernel"

struct oom_report {
	unsigned known;		/* enum report_known */
	unsigned flags;		/* enum report_flag */
	int64_t trust;		/* enum oom_provenance */
	/* who killed: NULL for the kernel's OOM killer, else the userspace
	 * killer ("systemd-oomd", "earlyoom", "nohang"), whose kill has no
	 * kernel report: no header, no dump, no memory state */
	char *killer;

	/* where and when */
	char *host;		/* NULL when the container has no host field */
	char *boot_id;		/* NULL unless the container says */
	int64_t wall_us;	/* UTC microseconds since the epoch */
	int64_t ktime_us;	/* kernel timestamp of the first line */
	uint64_t first_line, last_line;	/* in the source, 1-based */

	/* trigger header and its stack dump */
	char *trigger_comm;	/* the allocating task, not the victim */
	int64_t trigger_pid;	/* from the CPU: line */
	int64_t trigger_uid;	/* 6.9+ CPU: line */
	char *gfp_mask;		/* as printed: "0x140cca(GFP_HIGHUSER_MOVABLE)" */
	int64_t order;		/* -1: SysRq-f */
	int64_t trigger_adj;
	char *kernel_release;	/* from the CPU: line */
	char *hardware;		/* Hardware name: */

	/* scope */
	char *constraint;	/* CONSTRAINT_*_NAME, NULL when unknown */
	char *nodemask;
	char *cpuset;
	char *mems_allowed;
	char *oom_memcg;	/* the memcg over its limit */
	char *task_memcg;	/* the victim's memcg */

	/* victim as selected (oom-kill: summary, or Kill process line) */
	char *selected_comm;
	int64_t selected_pid;
	int64_t selected_uid;
	int64_t selected_score;	/* printed score, <= 5.0 */

	/* memory */
	uint64_t mem_known;	/* 1 << enum mem_field */
	uint64_t mem[MEM_FIELD_COUNT];
	struct memcg_usage memcg[MEMCG_COUNTER_COUNT];
	char *memcg_stats_path;	/* "Memory cgroup stats for X:" */
	char *memcg_stats;	/* "key value\n..." as printed, units as printed */
	struct oom_zone *zones;
	size_t n_zones;

	/* task dump */
	enum task_layout layout;
	struct oom_task *tasks;
	size_t n_tasks;

	/* kills, in print order; a memory.oom.group kill has several */
	struct oom_kill *kills;
	size_t n_kills;
	char *group_kill_memcg;	/* "Tasks in X are going to be killed" */

	/* analysis (src/badness.c); RK_TOTALPAGES, RK_PREDICTED */
	uint64_t totalpages;
	struct oom_analysis an;

	/* the report's lines as read, prefixes included, '\n'-separated */
	char *raw;
	size_t raw_len;
};

struct oom_report *oom_report_new(void);
void oom_report_free(struct oom_report *r);

/* Does the report have its header, task dump and kill line, whole and
 * unmixed?  (Export and list show it as "complete".) */
int oom_report_complete(const struct oom_report *r);

/* Is less than a tenth of the swap free (and there is swap)? */
int oom_swap_exhausted(const struct oom_report *r);

/* The dump row of pid (or of the process whose tgid it is), or NULL. */
const struct oom_task *oom_report_task(const struct oom_report *r,
				       int64_t pid);

/* "4.18.0-305.el8.x86_64" -> 4, 18, 0: 1 when at least major.minor was
 * read (missing parts 0). */
int oom_release_version(const char *rel, int *maj, int *min, int *patch);
/* One fact two copies of an OOM state differently (oom_copies_diff()):
 * what the kept copy says and what the other says, "" for nothing. */
struct copy_difference {
	char fact[32];		/* "victim", "rows", "task 812" */
	char kept[112];		/* "postgres, rss 262144 pages, adj 0" */
	char other[112];
};

/*
 * The facts two copies of one OOM state differently: the victim, a task
 * row's name, rss or oom_score_adj, and, when neither dump was cut, the
 * number of rows and the rows only one holds.  What a cut copy lacks is
 * no conflict.  The first max go to out (victim, rows, then by pid);
 * returns how many there are in all.
 */
size_t oom_copies_diff(const struct oom_report *kept,
		       const struct oom_report *other,
		       struct copy_difference *out, size_t max);
/* A digest of exactly those facts: copies of equal digests do not
 * differ (unequal ones may not either: a cut copy). */
uint64_t oom_facts_digest(const struct oom_report *r);

/* "journal-kernel", "kmsg", "text" (stamped or not), or NULL when not
 * recorded. */
const char *oom_provenance_name(int64_t trust);

/* The line that named the victim of a report without a kill line ("the
 * oom-kill: summary line"), or NULL when the kill line did. */
const char *oom_victim_source(const struct oom_report *r);
const struct oom_kill *oom_report_victim(const struct oom_report *r);

/*
 * The scope of the OOM, one answer for every command: what the kernel
 * searched for a victim and what totalpages is.  The constraint as the
 * report printed it (the assembler already turned 5.0-5.2's
 * CONSTRAINT_NONE on a memcg OOM into memcg, constraint_corrected), else
 * memcg when the report prints lines that only a memcg OOM prints: the
 * memcg over its limit, its usage line, its stats, or the memcg reason,
 * and no Mem-Info beside them (2.6.32 prints both; so do two reports
 * mixed).  Else unknown: nothing is made up.
 */
enum oom_scope {
	SCOPE_UNKNOWN = 0,
	SCOPE_GLOBAL,		/* CONSTRAINT_NONE: the whole machine */
	SCOPE_CPUSET,
	SCOPE_MEMPOLICY,
	SCOPE_MEMCG,
	SCOPE_OTHER,		/* an out-of-tree CONSTRAINT_* word */
};
enum oom_scope oom_report_scope(const struct oom_report *r);
static inline int oom_report_is_memcg(const struct oom_report *r)
{
	return oom_report_scope(r) == SCOPE_MEMCG;
}
/* The scope's stored name (CONSTRAINT_*_NAME, or the printed word for
 * SCOPE_OTHER), NULL when unknown. */
const char *oom_report_constraint(const struct oom_report *r);
/* The scope was not printed but read from the report's shape: flagged
 * constraint_inferred, or the constraint is missing (a report stored
 * before the assembler inferred memcg). */
int oom_report_scope_inferred(const struct oom_report *r);

/* Append and return a zeroed element; the report owns it. */
struct oom_task *oom_report_add_task(struct oom_report *r);
struct oom_kill *oom_report_add_kill(struct oom_report *r);
struct oom_zone *oom_report_add_zone(struct oom_report *r);

static inline int mem_has(const struct oom_report *r, enum mem_field f)
{
	return (r->mem_known >> f) & 1;
}
static inline void mem_set(struct oom_report *r, enum mem_field f, uint64_t v)
{
	r->mem[f] = v;
	r->mem_known |= UINT64_C(1) << f;
}

#endif
