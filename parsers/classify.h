/*
 * classify.h: kernel message body -> kind of OOM-report line, with named
 * captures.  The patterns live in one table (patterns.c), each with the
 * printk it comes from and a real sample line that a unit test matches.
 */
#ifndef OOMLENS_CLASSIFY_H
#define OOMLENS_CLASSIFY_H

#include <stddef.h>
#include <stdint.h>

enum line_kind {
	LINE_NONE = 0,		/* not part of any report we know */
	LINE_HEADER,		/* "<comm> invoked oom-killer: ..." */
	LINE_CPUSET,		/* "<comm> cpuset=X mems_allowed=Y" (<=4.19) */
	LINE_CPU,		/* "CPU: 3 PID: 7310 Comm: ..." */
	LINE_HARDWARE,		/* "Hardware name: ..." */
	LINE_STACK,		/* stack dump, registers: kept, not parsed */
	LINE_MEMINFO,		/* "Mem-Info:" */
	LINE_MEM_COUNTERS,	/* "active_anon:N inactive_anon:N ..." */
	LINE_NODE,		/* "Node 0 active_anon:NkB ..." */
	LINE_ZONE,		/* "Node 0 DMA32 free:NkB min:NkB ..." */
	LINE_LOWMEM,		/* "lowmem_reserve[]: 0 2951 ..." */
	LINE_BUDDY,		/* "Node 0 Normal: 1127*4kB (UME) ..." */
	LINE_HUGEPAGES,		/* "Node 0 hugepages_total=0 ..." */
	LINE_PAGE_COUNT,	/* "N pages RAM", "N total pagecache pages" */
	LINE_SWAP_LINE,		/* "Free swap  = NkB", "Total swap = NkB" */
	LINE_MEMCG_USAGE,	/* "memory: usage NkB, limit NkB, failcnt N" */
	LINE_MEMCG_STATS,	/* "Memory cgroup stats for /x:..." */
	LINE_STAT_KV,		/* "anon 532516864" inside memory.stat */
	LINE_TASK_IN,		/* "Task in X killed as a result of limit of Y" */
	LINE_TASKS_STATE,	/* "Tasks state (memory values in pages):" */
	LINE_TASK_HEADER,	/* "[  pid  ]   uid  tgid total_vm ..." */
	LINE_TASK_ROW,		/* "[   1201]    26  1201 ..." */
	LINE_SUMMARY,		/* "oom-kill:constraint=..." (5.0+) */
	LINE_SELECT,		/* "...: Kill process N (x) score S or ..." */
	LINE_KILLED,		/* "...: Killed process N (x) total-vm:..." */
	LINE_GROUP,		/* "Tasks in X are going to be killed ..." */
	LINE_REAPED,		/* "oom_reaper: reaped process N (x), now ..." */
	LINE_REAP_FAILED,	/* "oom_reaper: unable to reap pid:N (x)" */
	LINE_NO_KILLABLE,	/* "Out of memory and no killable processes" */
	LINE_PANIC,		/* "Kernel panic - not syncing: ..." */
	LINE_EXITING,		/* "...: OOM victim N (x) is already exiting" */
	LINE_SUPPRESSED,	/* "oom_kill_process: N callbacks suppressed" */
	LINE_MM_PINNED,		/* "oom killer N (x) has mm pinned by N (y)" */
	LINE_MEM_OTHER,		/* Mem-Info lines kept, not parsed (per-cpu...) */
	LINE_BOOT,		/* "Linux version ...": the machine rebooted */
	LINE_LOST,		/* the log says lines were lost here */
	LINE_ELISION,		/* a paste's "[...]", "<snip>": lines left out */
	LINE_HEAD,		/* start of a KERN_CONT line, not whole yet */
	LINE_FRAGMENT,		/* a KERN_CONT piece that cannot stand alone */
	/* userspace story lines (tagged patterns, classify_story()) */
	LINE_STORY_UNIT_OOM,	/* systemd: "... killed by the OOM killer." */
	LINE_STORY_UNIT_FAILED,	/* systemd: "Failed with result 'oom-kill'." */
	LINE_STORY_UNIT_OOMD,	/* systemd: "systemd-oomd killed N ..." */
	LINE_STORY_OOMD_KILL,	/* systemd-oomd: "Killed /x due to ..." */
	LINE_STORY_OOMD_CANDIDATES,	/* systemd-oomd: "Considered N cgroups
					 * for killing, top candidates were:" */
	LINE_STORY_OOMD_CANDIDATE,	/* a candidate: "Path: /x" */
	LINE_STORY_EARLYOOM_KILL,	/* earlyoom: "sending SIGTERM to ..." */
	LINE_STORY_NOHANG_KILL,	/* nohang: "Send SIGTERM to the victim" */
	LINE_STORY_NOHANG_VICTIM,	/* nohang: "PID: N" / "Name: x" */
	LINE_STORY_TASK_OOM,	/* containerd: "TaskOOM event ..." */
	LINE_STORY_SYSTEM_OOM,	/* kubelet: "System OOM encountered ..." */
	LINE_STORY_NPD_OOM,	/* node-problem-detector: OOMKilling */
	LINE_KIND_COUNT
};

struct pattern {
	enum line_kind kind;
	const char *name;
	/* Cheap tests before the regex: the body must start with prefix
	 * (when set), with one of the bytes in first (when set), and contain
	 * `contains` (when set).  A line is only tried against the patterns
	 * its first byte allows. */
	const char *prefix;
	const char *first;
	const char *contains;
	const char *regex;
	const char *sample;	/* a real line this pattern must match */
	/* Userspace story patterns only: the program (syslog tag) the line
	 * must come from.  Kernel patterns leave it NULL. */
	const char *tag;
	/* A cut form: the name of the full pattern this one reads a
	 * truncated copy of.  A line takes a cut form only when it is a
	 * proper beginning of a line the full pattern accepts (a partial
	 * match), and the cut form captures only the fields that are
	 * complete, followed by their separator (reference §5.2). */
	const char *cut_of;
};
extern const struct pattern patterns[];
extern const size_t n_patterns;
/* A reader's note or an elision after a line ("  <==== this one",
 * "# the culprit", " [...]"): the match starts where the line's own text
 * ends.  Not a line of the table: classify_line() tries it on lines the
 * table cannot read whole. */
extern const struct pattern annotation_pattern;

struct classifier;

/* Capture groups a pattern may have (classify_new() checks). */
#define LC_MAX_GROUPS 15

/* What a line lost or carried besides its text (line_class.damage). */
enum lc_damage {
	LC_CUT = 1 << 0,	/* a cut form matched: the line was truncated */
	LC_ANNOTATED = 1 << 1,	/* a trailing note was left out of len */
	LC_TAIL_DROPPED = 1 << 2,	/* lc_drop_tail() unset a field */
	LC_ELIDED = 1 << 3,	/* the note was an elision: "[...]" */
};

/* The result of one classification.  It holds its own copy of the match
 * offsets, so it stays valid while other lines are classified, as long as
 * the text it points to lives (the joiner holds a line back that way). */
struct line_class {
	enum line_kind kind;
	int pattern;		/* index into patterns[], -1 for none */
	const char *text;	/* body with leading blanks skipped */
	size_t len;
	const struct classifier *c;
	unsigned damage;	/* enum lc_damage */
	uint32_t n_ov;		/* pairs in ov[] */
	size_t ov[2 * (LC_MAX_GROUPS + 1)];
};

/* Compile every pattern (JIT when available).  On failure returns < 0 and
 * *ret_err names the pattern and the offset (caller frees). */
int classify_new(struct classifier **ret, char **ret_err);
void classify_free(struct classifier *c);

/* Classify one message body (no container prefix).  Returns lc->kind. */
enum line_kind classify_line(struct classifier *c, const char *body,
			     size_t len, struct line_class *lc);

/* Classify a userspace line logged under tag (the program name, without
 * "[pid]") against the story patterns of that program.  Returns lc->kind,
 * LINE_NONE when none matches. */
enum line_kind classify_story(struct classifier *c, const char *tag,
			      size_t tag_len, const char *body, size_t len,
			      struct line_class *lc);

/* The line may have been cut right at its end (a terminal's width seen
 * cutting other lines of the report): unset every capture that reaches
 * the end of the text, which may itself be cut (except "rest", whose
 * pairs carry their unit).  Returns the number unset. */
int lc_drop_tail(struct line_class *lc);

/* Whether lc was read by the table entry of that name ("killed-sharing"). */
int lc_pattern_is(const struct line_class *lc, const char *name);

/* Named captures of the last match.  Return 1 when the group matched. */
int lc_get(const struct line_class *lc, const char *name, const char **ret,
	   size_t *ret_len);
/* Copy of a capture, or NULL when it did not match.  Caller frees. */
char *lc_dup(const struct line_class *lc, const char *name);
/* Parse a capture as a number: 1 ok, 0 unset or not a number. */
int lc_u64(const struct line_class *lc, const char *name, uint64_t *ret);
int lc_i64(const struct line_class *lc, const char *name, int64_t *ret);

#endif
