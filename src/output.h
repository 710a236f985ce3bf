/*
 * output.h: rendering of events for people (terminal text) and machines
 * (JSON; the ECS document is the export contract, see oomlens(1)).
 */
#ifndef OOMLENS_OUTPUT_H
#define OOMLENS_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

struct diagnosis;
struct oom_report;
struct oom_kill;
struct store_action;
struct story_event;

/* Integers go into JSON as written (cJSON keeps numbers as doubles and
 * would print 1.795e+15 for a microsecond time). */
void out_json_add_i64(cJSON *o, const char *key, int64_t v);
void out_json_add_u64(cJSON *o, const char *key, uint64_t v);
/* Adds nothing when s is NULL: unknown stays absent. */
void out_json_add_str(cJSON *o, const char *key, const char *s);

/* The ECS version whose field names the documents use (ecs.version). */
#define OUT_ECS_VERSION "8.11.0"
/* In linux.oom.flags: @timestamp is the ingest time (no wall clock). */
#define OUT_FLAG_TIME_FROM_INGEST "time_from_ingest"

/* The ECS-shaped document of one event.  source may be NULL; ingested_us
 * is when oomlens first read it (store_event_origin(); 0 unknown):
 * event.created, and @timestamp when the log has no wall clock. */
cJSON *out_ecs_event(const struct oom_report *r, int64_t id,
		     const char *source, int64_t ingested_us);

/* What an exported ECS document is made of (out_ecs_write()). */
struct ecs_doc {
	const struct oom_report *r;
	int64_t id;
	const char *source;		/* NULL: absent */
	int64_t ingested_us;		/* 0: unknown */
	const struct diagnosis *d;	/* NULL: none */
	const struct store_action *actions;	/* its story lines */
	size_t n_actions;
	const char *raw;		/* event.original; NULL: absent */
};

struct buf;
/* The document out_ecs_event() builds, with out_ecs_add_diagnosis(),
 * out_ecs_add_story() and event.original, appended to b as one line
 * (newline included) byte for byte as out_json_line_safe() prints it,
 * without a tree (output-ecs.c); hec: inside out_hec_event()'s
 * envelope. */
void out_ecs_write(struct buf *b, const struct ecs_doc *e, int hec);

/* linux.oom.diagnosis of an out_ecs_event() document: {"kind", "also":
 * [kinds], "culprit": {"kind", "name"}} (the names of diagnosis.h; name
 * absent when there is none).  d NULL (no diagnosis): nothing. */
void out_ecs_add_diagnosis(cJSON *doc, const struct diagnosis *d);

/* linux.oom.userspace: what userspace said about the event (its linked
 * story lines), added to an out_ecs_event() document. */
void out_ecs_add_story(cJSON *doc, const struct store_action *a, size_t n);
/* linux.oom.conflicts: what other copies said otherwise (store.h). */
struct copy_conflict;
void out_ecs_add_conflicts(cJSON *doc, const struct copy_conflict *c,
			   size_t n);
/* The same as "userspace" of any object o (NULL: nothing). */
void out_add_story(cJSON *o, const struct store_action *a, size_t n);
/* What the victim's cgroup path names (workload.h) as a JSON object:
 * unit, container_id, container_runtime, pod_uid, qos_class, uid; NULL
 * when it names none. */
cJSON *out_workload_json(const struct oom_report *r);
/* One story line as JSON; link may be NULL. */
cJSON *out_story_json(const struct story_event *e, const char *link);
/* The victim's cgroup path: task_memcg, else the "Task in"/stats path,
 * else oom_memcg; NULL when the report names none. */
const char *out_victim_cgroup(const struct oom_report *r);

/* Print one cJSON document on one line, then a newline, its strings
 * made valid UTF-8 and C1 controls escaped (doc may change).  0 or
 * -EIO. */
int out_json_line(FILE *fp, cJSON *doc);

/* Text for a terminal: control bytes (C0, DEL, C1), backslashes and
 * bytes of invalid UTF-8 as \xNN, so a task name cannot move the cursor
 * or fake a line (out_escape()). */
void out_escaped(FILE *fp, const char *s);

/* "4.5 GiB" style sizes of a kB count. */
void out_size_kb(char *buf, size_t n, uint64_t kb);

/* How times are shown as text: local with the zone's name when on (a
 * terminal, as journalctl does), else RFC 3339 UTC.  main() turns it on
 * when stdout is a terminal; --utc turns it off. */
void out_set_local_time(int on);
/* A wall-clock time as set above, and the columns it takes at most. */
void out_time(int64_t us, char *buf, size_t n);
int out_time_width(void);

/* Event time for a line of text: as out_time() (whole seconds), or
 * "boot+8123.456s" when only the kernel time is known, or "-". */
void out_event_time(const struct oom_report *r, char *buf, size_t n);
/* The same always in RFC 3339 UTC: JSON, HTML, files. */
void out_event_time_utc(const struct oom_report *r, char *buf, size_t n);

/* "time": the event's wall clock in RFC 3339 UTC, absent when unknown. */
void out_json_add_event_time(cJSON *o, const struct oom_report *r);

/* The victim memcg path worth showing: oom_memcg, else task_memcg. */
const char *out_memcg(const struct oom_report *r);

/* The diagnosis in one sentence (unescaped: escape it for the sink). */
void out_diag_verdict(const struct diagnosis *d, const struct oom_report *r,
		      const struct oom_kill *k, char *buf, size_t n);
/* {"kind", "also", "culprit", "advice"} as why --json prints it. */
cJSON *out_diagnosis_json(const struct diagnosis *d);

#endif
