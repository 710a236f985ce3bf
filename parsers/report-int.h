/* report-int.h: between the assembler (report.c), its line handlers
 * (report-line.c) and its table parsers (report-body.c). */
#ifndef OOMLENS_REPORT_INT_H
#define OOMLENS_REPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "classify.h"
#include "oom.h"

struct log_line;
struct line_class;

enum asm_state {
	ASM_BODY,		/* header seen; taking whatever comes */
	ASM_MEMCG_STATS,	/* after "Memory cgroup stats for X:" */
	ASM_KILLED,		/* kill line seen; only its tail may follow */
};

/* What a report has shown of itself. */
enum seen_part {
	SEEN_MEMINFO = 1 << 0,		/* Mem-Info data */
	SEEN_MEMCG = 1 << 1,		/* memcg block */
	SEEN_DUMP = 1 << 2,		/* "Tasks state" or the dump title */
	SEEN_CPU = 1 << 3,		/* CPU: / Pid: line */
	SEEN_MEMINFO_HDR = 1 << 4,	/* "Mem-Info:" */
	SEEN_TASKS_STATE = 1 << 5,	/* "Tasks state (memory values ...)" */
	SEEN_DUMP_TITLE = 1 << 6,	/* "[ pid ]   uid  tgid ..." */
	SEEN_SUMMARY = 1 << 7,		/* "oom-kill:" */
	SEEN_TASK_IN = 1 << 8,		/* "Task in ..." */
};

/* The parts of a report in the order the kernel prints them (§2.0). */
enum part {
	PART_HEADER, PART_CPUSET, PART_CPU, PART_STACK, PART_MEMCG,
	PART_MEMINFO, PART_DUMP, PART_SUMMARY, PART_SELECT, PART_KILL,
	PART_ANY,		/* may come anywhere (reaper, suppressed) */
};

/* Reports opened on a line that may or may not start an OOM report. */
enum trial {
	TRIAL_NONE = 0,
	TRIAL_CPU,	/* a CPU line: any stack dump prints one */
	TRIAL_ROWS,	/* task rows without their title, a paste's start */
};

/* The pids of a dump's rows, to tell another dump's row in O(1). */
struct pidset {
	int64_t *slot;		/* open addressing; PIDSET_EMPTY is free */
	size_t cap, n;		/* cap a power of two, or 0 */
};
#define PIDSET_EMPTY INT64_MIN
int report_pidset_has(const struct pidset *ps, int64_t pid);
void report_pidset_add(struct pidset *ps, int64_t pid);
void report_pidset_release(struct pidset *ps);

/* A field read at the end of a line before the report showed the width
 * its lines were cut at: a line that long may have been cut there too,
 * so the field is checked again when the report closes. */
enum tail_field { TAIL_ADJ = 1, TAIL_ORDER = 2, TAIL_LIMIT = 4,
		  TAIL_UID = 8, TAIL_NAME = 16, TAIL_COUNTER = 32 };
struct tail {
	size_t width;		/* of the line, in columns */
	uint64_t lineno;	/* of the line: its kill or row */
	enum line_kind kind;
	unsigned fields;	/* enum tail_field */
	int counter;		/* TAIL_COUNTER: the enum mem_field */
};

/* One open report and what the assembler knows about it. */
struct slot {
	struct oom_report *r;
	enum asm_state state;
	unsigned seen;		/* enum seen_part */
	enum part part;		/* furthest part printed so far */
	struct buf raw;
	size_t raw_kept;	/* raw length up to the last own line */
	struct buf stats;	/* memory.stat lines */
	size_t foreign_run;	/* lines since the last own line */
	size_t since_kill;	/* lines since the last kill (or group) line */
	char caller[16];	/* printk caller id of its lines, "" unknown */
	int old_format;		/* header without GFP flag names: < 4.6,
				 * when reports could print concurrently */
	char *reason;		/* of its "Kill process" / exiting line */
	struct pidset rows;	/* pids of its dump rows */
	int64_t ktime_us;	/* of its last own line, or -1 */
	int64_t wall_us;	/* of its last own line, or -1 */
	enum trial tentative;	/* opened on trial: kept only if the
				 * rest of an OOM report follows (report.c,
				 * open_tentative) */
	size_t cut_width;	/* columns its cut lines were cut at, or 0 */
	size_t nul_at;		/* raw offset of the first NUL run, or -1 */
	struct tail *tails;	/* fields read at a line's end */
	size_t n_tails, cap_tails;
};

/* ---- report-line.c: what each kind of line does to a report ---------- */

/* The part a kind of line belongs to. */
enum part report_part_of(enum line_kind kind);

/* Whether slot s can take the line at all (before any ordering):
 * 0 no, 1 yes.  Lines that would fill something s already has are not
 * its own (another report's, or another CPU's dump). */
int report_wants(const struct slot *s, const struct log_line *ll,
		 const struct line_class *lc);

/* Apply a line s wants.  Returns 1 when the line belongs to it. */
int report_apply(struct slot *s, const struct log_line *ll,
		 const struct line_class *lc,
		 void (*warn)(void *ctx, uint64_t lineno, const char *msg),
		 void *warn_ctx);

/* A line's damage (cut, annotated) onto its report's flags: every route
 * a line takes into a report (report-damage.c). */
void report_damage_flags(struct oom_report *r, const struct line_class *lc);
/* What a paste did to a line of s (a cut, a note after it): s's flags.
 * Returns the class to read the line by: cl, or, when the cut may have
 * reached the fields at its end, a copy in *spare with those unset. */
const struct line_class *report_line_damage(struct slot *s,
					    const struct log_line *ll,
					    const struct line_class *cl,
					    struct line_class *spare);

/* The header line of a new report. */
void report_header_line(struct slot *s, const struct line_class *lc);

/* Attach a reaper line to the kill of r it names; 0 when none. */
int report_reaper_line(struct oom_report *r, const struct line_class *lc);

/* A kill of r with that pid, or NULL. */
struct oom_kill *report_kill_by_pid(struct oom_report *r, int64_t pid);

/* Whether r's dump holds pid (as pid or tgid). */
int report_has_task(const struct oom_report *r, int64_t pid);

/* A kill made from a kill line (r's state is the caller's); NULL when
 * r has as many kills as it may hold. */
struct oom_kill *report_add_kill(struct oom_report *r,
				 const struct log_line *ll,
				 const struct line_class *lc);
/* Append raw[0, n) to s's raw text, each run of NUL bytes written as
 * "<N NUL bytes>" (s->nul_at notes the first); NULs before the report's
 * first line are not its text. */
void report_raw_add(struct slot *s, const char *raw, size_t n);

/* ---- report-damage.c (with report_line_damage above) ----------------- */

/* Unset the fields read at the end of lines as long as the lines seen
 * cut (the width was learnt after them). */
void report_late_cut(struct slot *s);

/* Set what closing a report decides: missing parts, the constraint that
 * the report's shape implies when it printed none. */
void report_finish_flags(struct slot *s);

/* ---- report-mend.c: reports a paste lost lines of ------------------- */

/* r is about to be emitted without a kill line: the victim its selection
 * or summary line names becomes its kill, flagged with the line. */
void report_victim_from_lines(struct oom_report *r);

/* A reaper line naming a task of r, which has no kill: the kill line was
 * lost, the reaper names the victim.  1 when taken. */
int report_kill_from_reaper(struct oom_report *r, const struct line_class *lc);

/* A kill line for body, closed without its kill line, when the paste put
 * its kill lines after it.  1 when taken (then body is reassembled). */
int report_late_kill(struct oom_report *body, const struct log_line *ll,
		     const struct line_class *lc);

/* body closed without its kill line; kills, a report of kill lines
 * alone, pasted before it, is its other half: its kills move into body.
 * 1 when joined (kills is then empty, for the caller to free). */
int report_join_halves(struct oom_report *body, struct oom_report *kills);

/* ---- report-infer.c: what a closed report implies ----------------------- */

/* A memcg OOM whose summary printed CONSTRAINT_NONE (5.0-5.2): memcg,
 * flagged REPORT_CONSTRAINT_CORRECTED. */
void report_correct_constraint(struct slot *s);

/* A memcg OOM that printed no constraint (5.0+ with no victim: no
 * summary; a paste that lost it): memcg by oom_report_scope(), flagged
 * REPORT_CONSTRAINT_INFERRED.  Called as the report is emitted, once a
 * half pasted apart can no longer bring the printed one. */
void report_infer_scope(struct oom_report *r);

/* A page size other than 4 KiB that the report's figures imply where no
 * buddy list prints it: mem page_size_kb, REPORT_PAGE_SIZE_INFERRED.
 * Called as the report is emitted, once its kills are final. */
void report_infer_page_size(struct oom_report *r);

/* ---- report-body.c: the tables ----------------------------------------- */

/* The header's column names (between "rss" and "name") -> layout.  cut:
 * the names stop where the title was cut; the layout is the one they
 * begin, if only one does. */
enum task_layout report_layout_from_header(const char *cols, size_t n,
					   int cut);

/* The layout of a task row whose dump title was lost, from the count of
 * numbers before its name and the kernel release (NULL if unknown). */
enum task_layout report_layout_from_row(const char *cols, size_t n,
					const char *release);

/* One task-dump row in r's layout, appended to r->tasks.  Returns -1 when
 * the row does not fit the layout (nothing is appended), 0 otherwise. */
int report_task_row(struct oom_report *r, const struct log_line *ll,
		    const struct line_class *lc);

/* A line of the Mem-Info block (counters, zones, buddy lists, hugepages,
 * page counts, swap totals) into r's memory fields. */
void report_meminfo_line(struct oom_report *r, const struct line_class *lc);

/* Whether a Mem-Info line would set something r already has. */
int report_meminfo_dup(const struct oom_report *r,
		       const struct line_class *lc);

#endif
