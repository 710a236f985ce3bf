/*
 * story.h: what userspace said around an OOM kill (reference §4.7).
 *
 * systemd tells which unit a kernel kill hit and that the unit failed;
 * systemd-oomd, earlyoom and nohang kill on their own, with no kernel
 * report at all; containerd and the kubelet say which container or pod
 * it was.  Each such log line becomes one struct story_event.  A
 * userspace line that imitates a kernel OOM line (`logger -t kernel`, or
 * any program printing "Killed process ...") is a story event too, of
 * kind STORY_FORGED, so that it is recorded as what it is and never read
 * as a kernel report.
 *
 * The scanner (scan.c) hands every userspace line its prefilter lets
 * through to story_line(); the patterns are the tagged entries of the
 * one pattern table (patterns.c).
 */
#ifndef OOMLENS_STORY_H
#define OOMLENS_STORY_H

#include <stddef.h>
#include <stdint.h>

struct classifier;
struct log_line;
struct oom_report;

enum story_kind {
	STORY_UNIT_OOM = 1,	/* systemd: "A process of this unit has been
				 * killed by the OOM killer." */
	STORY_UNIT_FAILED,	/* systemd: "Failed with result 'oom-kill'." */
	STORY_UNIT_OOMD,	/* systemd: "systemd-oomd killed N process(es)
				 * in this unit." */
	STORY_OOMD_KILL,	/* systemd-oomd: "Killed CGROUP due to ..." */
	STORY_OOMD_CANDIDATES,	/* systemd-oomd: "Considered N cgroups for
				 * killing, top candidates were:" */
	STORY_OOMD_CANDIDATE,	/* one of them: its cgroup */
	STORY_EARLYOOM_KILL,	/* earlyoom: "sending SIGTERM to process N" */
	STORY_NOHANG_KILL,	/* nohang: "Send SIGTERM to the victim" */
	STORY_TASK_OOM,		/* containerd: "TaskOOM event" */
	STORY_SYSTEM_OOM,	/* kubelet: "System OOM encountered, victim
				 * process: X, pid: N" */
	STORY_NPD_OOM,		/* node-problem-detector: OOMKilling */
	STORY_FORGED,		/* userspace text posing as a kernel line */
	STORY_KIND_MAX
};

/* "unit-oom", "unit-failed", ...: stored and exported. */
const char *story_kind_name(enum story_kind k);
/* Inverse of story_kind_name(); 0 when unknown. */
enum story_kind story_kind_from_name(const char *name);
/* Whether the story event is a kill of its own (oomd, earlyoom, nohang):
 * it is then an event, with the program as its killer. */
int story_kind_is_kill(enum story_kind k);

enum story_known {
	SK_WALL = 1 << 0,	/* wall_us */
	SK_PID = 1 << 1,	/* pid of the process named */
	SK_UID = 1 << 2,
	SK_SCORE = 1 << 3,	/* oom_score as the killer printed it */
	SK_ADJ = 1 << 4,	/* oom_score_adj */
	SK_RSS = 1 << 5,	/* rss_kb */
	SK_COUNT = 1 << 6,	/* processes killed (systemd's oomd line) */
	SK_LOCAL_TIME = 1 << 7,	/* wall clock had no zone: local */
	SK_YEAR_GUESSED = 1 << 8,
};

/* The tag of a journal entry that names a story program (SYSLOG_IDENTIFIER)
 * but came from another one (its _COMM): "earlyoom-forged".  Its lines
 * are read as the program's, and recorded as STORY_FORGED. */
#define STORY_FORGED_SUFFIX "-forged"

struct story_event {
	enum story_kind kind;
	unsigned known;		/* enum story_known */
	char *actor;		/* who said it: "systemd", "systemd-oomd", ...,
				 * for STORY_FORGED the tag it was logged under */
	char *host;		/* NULL when the line has none */
	char *boot_id;		/* NULL unless the container says */
	int64_t wall_us;
	uint64_t line;		/* in the input, 1-based */

	char *unit;		/* systemd unit named by the line */
	char *cgroup;		/* cgroup path named by the line (oomd) */
	char *container_id;	/* containerd's container id */
	int64_t pid;		/* SK_PID: the process named (not the logger) */
	char *comm;		/* its name, as printed */
	int64_t uid, score, adj, count;
	uint64_t rss_kb;
	char *signal;		/* "SIGTERM", "SIGKILL" */
	char *reason;		/* oomd: "memory pressure for X being ...",
				 * earlyoom: its cmdline */
	char *message;		/* the line's text as logged, after the tag */
};

void story_event_free(struct story_event *e);

/* Per-input state: nohang prints its victim in lines before the kill. */
struct story_ctx;

struct story_ctx *story_new(struct classifier *c);
void story_free(struct story_ctx *s);

/*
 * Look at one line that is not from the kernel.  Returns a new story
 * event (the caller owns it) or NULL; a line may hold more (rsyslog's
 * "#012" keeps a multi-line message on one line): story_next() hands
 * them out, then NULL.  Lines without a syslog tag are only looked at as
 * continuations of the record before them.
 */
struct story_event *story_line(struct story_ctx *s, const struct log_line *ll);
struct story_event *story_next(struct story_ctx *s);

/* Whether the next lines must be shown to story_line() although no
 * prefilter anchor is in them (nohang's victim block is being read). */
int story_busy(const struct story_ctx *s);

/*
 * A userspace kill as an event: the killer, host, time and victim (pid,
 * comm, uid, adj, or the cgroup for systemd-oomd).  NULL for a story
 * event that is not a kill.  Nothing else is known, and nothing else is
 * set.
 */
struct oom_report *story_kill_report(const struct story_event *e);

#endif
