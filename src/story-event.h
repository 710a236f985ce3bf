/*
 * story-event.h: the record of what userspace said around an OOM kill
 * (one log line of systemd, systemd-oomd, earlyoom, nohang, containerd,
 * the kubelet, or a forgery), beside the report model of oom.h: the
 * parsers fill it (parsers/story.c), the store keeps it, the output
 * renders it, each depending only on this.
 */
#ifndef OOMLENS_STORY_EVENT_H
#define OOMLENS_STORY_EVENT_H

#include <stdint.h>

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

/* One stored story line (store_actions()). */
struct store_action {
	int64_t id;
	int64_t event_id;	/* 0 when not linked */
	char *link;		/* how it was linked, NULL when not */
	struct story_event *e;
};

#endif
