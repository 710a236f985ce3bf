/* output.c: JSON and terminal rendering shared by the commands. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "badness.h"
#include "oom.h"
#include "buf.h"
#include "memcg-stat.h"
#include "output-formats.h"
#include "output.h"
#include "store.h"
#include "story-event.h"
#include "timefmt.h"
#include "workload.h"

void out_json_add_i64(cJSON *o, const char *key, int64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRId64, v);
	cJSON_AddRawToObject(o, key, num);
}

void out_json_add_u64(cJSON *o, const char *key, uint64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRIu64, v);
	cJSON_AddRawToObject(o, key, num);
}

void out_json_add_str(cJSON *o, const char *key, const char *s)
{
	if (s)
		cJSON_AddStringToObject(o, key, s);
}

static cJSON *add_obj(cJSON *parent, const char *key)
{
	return cJSON_AddObjectToObject(parent, key);
}

static cJSON *string_array(const char *const *v, size_t n)
{
	return cJSON_CreateStringArray(v, (int)n);
}

static cJSON *task_json(const struct oom_task *t)
{
	cJSON *o = cJSON_CreateObject();

	out_json_add_i64(o, "pid", t->pid);
	out_json_add_str(o, "name", t->name);
	if (t->known & TASK_UID)
		out_json_add_i64(o, "uid", t->uid);
	if (t->known & TASK_TGID)
		out_json_add_i64(o, "tgid", t->tgid);
	if (t->known & TASK_TOTAL_VM)
		out_json_add_u64(o, "total_vm_pages", t->total_vm);
	if (t->known & TASK_RSS)
		out_json_add_u64(o, "rss_pages", t->rss);
	if (t->known & TASK_RSS_SPLIT) {
		out_json_add_u64(o, "rss_anon_pages", t->rss_anon);
		out_json_add_u64(o, "rss_file_pages", t->rss_file);
		out_json_add_u64(o, "rss_shmem_pages", t->rss_shmem);
	}
	if (t->known & TASK_SWAPENTS)
		out_json_add_u64(o, "swap_pages", t->swapents);
	if (t->known & TASK_PGTABLES)
		out_json_add_u64(o, "pgtables_bytes", t->pgtables_bytes);
	if (t->known & TASK_NR_PTES)
		out_json_add_u64(o, "nr_ptes", t->nr_ptes);
	if (t->known & TASK_NR_PMDS)
		out_json_add_u64(o, "nr_pmds", t->nr_pmds);
	if (t->known & TASK_ADJ)
		out_json_add_i64(o, "oom_score_adj", t->oom_score_adj);
	if (t->known & TASK_OOM_ADJ)
		out_json_add_i64(o, "oom_adj", t->oom_adj);
	if (t->known & TASK_POINTS) {
		out_json_add_i64(o, "points", t->points);
		out_json_add_i64(o, "rank", t->rank);
	}
	if (t->known & TASK_OOM_SCORE)
		out_json_add_i64(o, "oom_score", t->oom_score);
	return o;
}

static cJSON *kill_json(const struct oom_kill *k)
{
	cJSON *o = cJSON_CreateObject();

	out_json_add_i64(o, "pid", k->pid);
	out_json_add_str(o, "name", k->comm);
	out_json_add_str(o, "reason", k->reason);
	if (k->known & KILL_UID)
		out_json_add_i64(o, "uid", k->uid);
	if (k->known & KILL_TOTAL_VM)
		out_json_add_u64(o, "total_vm_kb", k->total_vm_kb);
	if (k->known & KILL_ANON_RSS)
		out_json_add_u64(o, "anon_rss_kb", k->anon_rss_kb);
	if (k->known & KILL_FILE_RSS)
		out_json_add_u64(o, "file_rss_kb", k->file_rss_kb);
	if (k->known & KILL_SHMEM_RSS)
		out_json_add_u64(o, "shmem_rss_kb", k->shmem_rss_kb);
	if (k->known & KILL_PGTABLES)
		out_json_add_u64(o, "pgtables_kb", k->pgtables_kb);
	if (k->known & KILL_ADJ)
		out_json_add_i64(o, "oom_score_adj", k->oom_score_adj);
	if (k->reap != REAP_NONE) {
		cJSON *rp = add_obj(o, "reaper");

		out_json_add_str(rp, "state",
			     k->reap == REAP_REAPED ? "reaped" : "unable");
		if (k->known & KILL_REAPED) {
			out_json_add_u64(rp, "anon_rss_kb", k->reaped_anon_kb);
			out_json_add_u64(rp, "file_rss_kb", k->reaped_file_kb);
			out_json_add_u64(rp, "shmem_rss_kb", k->reaped_shmem_kb);
		}
	}
	return o;
}

static void add_memory(cJSON *oom, const struct oom_report *r)
{
	cJSON *mem = NULL;

	for (int f = 0; f < MEM_FIELD_COUNT; f++) {
		if (!mem_has(r, f))
			continue;
		if (!mem)
			mem = add_obj(oom, "memory");
		out_json_add_u64(mem, mem_field_names[f], r->mem[f]);
	}
	if (r->n_zones) {
		cJSON *zones = cJSON_AddArrayToObject(oom, "zones");

		for (size_t i = 0; i < r->n_zones; i++) {
			const struct oom_zone *z = &r->zones[i];
			cJSON *o = cJSON_CreateObject();

			if (z->node >= 0)
				out_json_add_i64(o, "node", z->node);
			out_json_add_str(o, "name", z->name);
			for (int f = 0; f < ZONE_FIELD_COUNT; f++) {
				char key[16];

				if (!(z->known & (1u << f)))
					continue;
				snprintf(key, sizeof(key), "%s_kb",
					 zone_field_names[f]);
				out_json_add_u64(o, key, z->values[f]);
			}
			cJSON_AddItemToArray(zones, o);
		}
	}
}

/* linux.oom.memcg.stat: the memory.stat figures the report printed, kB;
 * one not printed is absent, never 0. */
static void add_memcg_stat(cJSON *m, const struct oom_report *r)
{
	struct memcg_stat st;
	char key[40];
	cJSON *o;

	if (!memcg_stat_parse(r->memcg_stats, &st))
		return;
	o = add_obj(m, "stat");
	for (int i = 0; i < MCS_COUNT; i++) {
		if (!memcg_stat_has(&st, i))
			continue;
		snprintf(key, sizeof(key), "%s_kb", memcg_stat_names[i]);
		out_json_add_u64(o, key, st.kb[i]);
	}
	if (st.own_only)
		cJSON_AddBoolToObject(o, "own_only", 1);
}

static void add_memcg(cJSON *oom, const struct oom_report *r)
{
	const char *path = out_memcg(r);
	cJSON *m;

	if (!path && !r->memcg[MEMCG_MEMORY].known)
		return;
	m = add_obj(oom, "memcg");
	out_json_add_str(m, "path", path);
	out_json_add_str(m, "oom_path", r->oom_memcg);
	out_json_add_str(m, "task_path", r->task_memcg);
	for (int i = 0; i < MEMCG_COUNTER_COUNT; i++) {
		const struct memcg_usage *u = &r->memcg[i];
		static const char *const keys[] = { "memory", "swap",
						    "memory_swap", "kmem" };
		cJSON *c;

		if (!u->known)
			continue;
		c = add_obj(m, keys[i]);
		out_json_add_u64(c, "usage_kb", u->usage_kb);
		if (u->limit_kb < MEMCG_UNLIMITED_KB)
			out_json_add_u64(c, "limit_kb", u->limit_kb);
		else
			cJSON_AddBoolToObject(c, "unlimited", 1);
		out_json_add_u64(c, "failcnt", u->failcnt);
	}
	add_memcg_stat(m, r);
}

/* linux.oom.reconstructed: what the kernel's formula picks from the dump. */
static void add_reconstructed(cJSON *oom, const struct oom_report *r)
{
	cJSON *o, *flags;

	if (!(r->known & RK_PREDICTED) && !r->an.era)
		return;
	o = add_obj(oom, "reconstructed");
	out_json_add_str(o, "era", era_names[r->an.era]);
	if (r->known & RK_TOTALPAGES)
		out_json_add_str(o, "totalpages_source",
			     total_source_names[r->an.total_source]);
	if (r->known & RK_PREDICTED)
		out_json_add_i64(o, "pid", r->an.predicted_pid);
	if (r->known & RK_AGREES) {
		cJSON_AddBoolToObject(o, "agrees", r->an.agrees != 0);
		if (!r->an.agrees)
			out_json_add_str(o, "reason", mismatch_names[r->an.mismatch]);
	}
	flags = cJSON_AddArrayToObject(o, "flags");
	for (int b = 0; analysis_flag_names[b]; b++)
		if (r->an.flags & (1 << b))
			cJSON_AddItemToArray(flags, cJSON_CreateString(
							    analysis_flag_names[b]));
}

/* The victim's cgroup path: task_memcg, else the path "Task in" or the
 * stats line named, else the memcg over its limit. */
const char *out_victim_cgroup(const struct oom_report *r)
{
	if (r->task_memcg)
		return r->task_memcg;
	if (r->memcg_stats_path)
		return r->memcg_stats_path;
	return r->oom_memcg;
}

cJSON *out_workload_json(const struct oom_report *r)
{
	struct workload w;
	cJSON *o;

	if (!workload_from_cgroup(out_victim_cgroup(r), &w))
		return NULL;
	o = cJSON_CreateObject();
	if (w.unit[0])
		out_json_add_str(o, "unit", w.unit);
	if (w.container_id[0]) {
		out_json_add_str(o, "container_id", w.container_id);
		out_json_add_str(o, "container_runtime", w.runtime);
	}
	if (w.pod_uid[0]) {
		out_json_add_str(o, "pod_uid", w.pod_uid);
		out_json_add_str(o, "qos_class", w.qos);
	}
	if (w.uid >= 0)
		out_json_add_i64(o, "uid", w.uid);
	return o;
}

/* Who the victim is to a person (workload.h): linux.oom.workload, and
 * the ECS service, container, orchestrator and labels fields. */
static void add_workload(cJSON *doc, cJSON *oom, const struct oom_report *r)
{
	cJSON *w = out_workload_json(r), *v;

	if (!w)
		return;
	cJSON_AddItemToObject(oom, "workload", w);
	if ((v = cJSON_GetObjectItem(w, "unit")))
		out_json_add_str(add_obj(doc, "service"), "name", v->valuestring);
	if ((v = cJSON_GetObjectItem(w, "container_id"))) {
		cJSON *c = add_obj(doc, "container"), *rt;

		out_json_add_str(c, "id", v->valuestring);
		if ((rt = cJSON_GetObjectItem(w, "container_runtime")))
			out_json_add_str(c, "runtime", rt->valuestring);
	}
	if ((v = cJSON_GetObjectItem(w, "pod_uid"))) {
		cJSON *orch = add_obj(doc, "orchestrator"), *res;

		out_json_add_str(orch, "type", "kubernetes");
		res = add_obj(orch, "resource");
		out_json_add_str(res, "type", "pod");
		out_json_add_str(res, "id", v->valuestring);
		out_json_add_str(add_obj(doc, "labels"), "pod_uid", v->valuestring);
	}
}

void out_add_story(cJSON *o, const struct store_action *a, size_t n)
{
	cJSON *arr;

	if (!o || !n)
		return;
	arr = cJSON_AddArrayToObject(o, "userspace");
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, out_story_json(a[i].e, a[i].link));
}

void out_ecs_add_story(cJSON *doc, const struct store_action *a, size_t n)
{
	out_add_story(cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "linux"),
					  "oom"), a, n);
}

void out_ecs_add_conflicts(cJSON *doc, const struct copy_conflict *c,
			   size_t n)
{
	cJSON *arr;

	if (!n)
		return;
	arr = cJSON_AddArrayToObject(cJSON_GetObjectItem(
		cJSON_GetObjectItem(doc, "linux"), "oom"), "conflicts");
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();

		if (c[i].path)
			cJSON_AddStringToObject(o, "source", c[i].path);
		cJSON_AddNumberToObject(o, "line", (double)c[i].first_line);
		if (c[i].provenance)
			cJSON_AddStringToObject(o, "provenance",
						c[i].provenance);
		cJSON_AddStringToObject(o, "fact", c[i].fact);
		cJSON_AddStringToObject(o, "kept", c[i].kept);
		cJSON_AddStringToObject(o, "other", c[i].other);
		cJSON_AddItemToArray(arr, o);
	}
}

cJSON *out_story_json(const struct story_event *e, const char *link)
{
	cJSON *o = cJSON_CreateObject();
	char ts[40];

	if (e->known & SK_WALL) {
		time_rfc3339(e->wall_us, ts, sizeof(ts));
		cJSON_AddStringToObject(o, "time", ts);
	}
	out_json_add_str(o, "actor", e->actor);
	out_json_add_str(o, "kind", story_kind_name(e->kind));
	out_json_add_str(o, "host", e->host);
	out_json_add_str(o, "unit", e->unit);
	out_json_add_str(o, "cgroup", e->cgroup);
	out_json_add_str(o, "container_id", e->container_id);
	if (e->known & SK_PID)
		out_json_add_i64(o, "pid", e->pid);
	out_json_add_str(o, "name", e->comm);
	if (e->known & SK_UID)
		out_json_add_i64(o, "uid", e->uid);
	if (e->known & SK_SCORE)
		out_json_add_i64(o, "oom_score", e->score);
	if (e->known & SK_ADJ)
		out_json_add_i64(o, "oom_score_adj", e->adj);
	if (e->known & SK_RSS)
		out_json_add_u64(o, "rss_kb", e->rss_kb);
	if (e->known & SK_COUNT)
		out_json_add_i64(o, "count", e->count);
	out_json_add_str(o, "signal", e->signal);
	out_json_add_str(o, "reason", e->reason);
	out_json_add_str(o, "message", e->message);
	out_json_add_str(o, "link", link);
	return o;
}

/* @timestamp, ecs and event: 1 when @timestamp is the time oomlens read
 * the event (it has no wall clock of its own). */
static int add_ecs_event(cJSON *doc, const struct oom_report *r,
			 int64_t ingested_us)
{
	static const char *const category[] = { "process" };
	static const char *const type[] = { "end" };
	char ts[40], created[40] = "";
	int time_from_ingest = 0;
	cJSON *ev;

	if (ingested_us > 0)
		time_rfc3339(ingested_us, created, sizeof(created));
	if (r->known & RK_WALL) {
		time_rfc3339(r->wall_us, ts, sizeof(ts));
		cJSON_AddStringToObject(doc, "@timestamp", ts);
	} else if (created[0]) {
		/* a data stream refuses a document without @timestamp: the
		 * time oomlens read it, flagged, rather than no document */
		cJSON_AddStringToObject(doc, "@timestamp", created);
		time_from_ingest = 1;
	}
	out_json_add_str(add_obj(doc, "ecs"), "version", OUT_ECS_VERSION);
	ev = add_obj(doc, "event");
	cJSON_AddStringToObject(ev, "kind", "event");
	cJSON_AddItemToObject(ev, "category", string_array(category, 1));
	cJSON_AddItemToObject(ev, "type", string_array(type, 1));
	cJSON_AddStringToObject(ev, "action", "oom-kill");
	cJSON_AddStringToObject(ev, "provider",
				r->killer ? r->killer : KILLER_KERNEL);
	cJSON_AddStringToObject(ev, "dataset", "linux.oom");
	if (created[0])
		cJSON_AddStringToObject(ev, "created", created);
	return time_from_ingest;
}

/* linux.oom.flags: the report's, and time_from_ingest. */
static void add_flags(cJSON *oom, const struct oom_report *r,
		      int time_from_ingest)
{
	cJSON *arr = cJSON_AddArrayToObject(oom, "flags");

	for (int b = 0; report_flag_names[b]; b++)
		if (r->flags & (1u << b))
			cJSON_AddItemToArray(arr, cJSON_CreateString(
							  report_flag_names[b]));
	if (time_from_ingest)
		cJSON_AddItemToArray(arr, cJSON_CreateString(
						  OUT_FLAG_TIME_FROM_INGEST));
}

cJSON *out_ecs_event(const struct oom_report *r, int64_t id,
		     const char *source, int64_t ingested_us)
{
	const struct oom_kill *victim = oom_report_victim(r);
	cJSON *doc = cJSON_CreateObject(), *oom, *o, *arr;
	int time_from_ingest = add_ecs_event(doc, r, ingested_us);

	if (r->host)
		out_json_add_str(add_obj(doc, "host"), "name", r->host);
	if (victim) {
		o = add_obj(doc, "process");
		out_json_add_i64(o, "pid", victim->pid);
		out_json_add_str(o, "name", victim->comm);
	}
	if (source)
		out_json_add_str(add_obj(add_obj(doc, "log"), "file"), "path",
			     source);

	oom = add_obj(add_obj(doc, "linux"), "oom");
	out_json_add_i64(oom, "event_id", id);
	out_json_add_str(oom, "killer", r->killer ? r->killer : KILLER_KERNEL);
	out_json_add_str(oom, "provenance", oom_provenance_name(r->trust));
	add_workload(doc, oom, r);
	if (r->trigger_comm || (r->known & RK_TRIGGER_PID)) {
		o = add_obj(oom, "trigger");
		if (r->known & RK_TRIGGER_PID)
			out_json_add_i64(o, "pid", r->trigger_pid);
		out_json_add_str(o, "name", r->trigger_comm);
		if (r->known & RK_TRIGGER_UID)
			out_json_add_i64(o, "uid", r->trigger_uid);
		if (r->known & RK_TRIGGER_ADJ)
			out_json_add_i64(o, "oom_score_adj", r->trigger_adj);
		out_json_add_str(o, "gfp_mask", r->gfp_mask);
		if (r->known & RK_ORDER)
			out_json_add_i64(o, "order", r->order);
	}
	out_json_add_str(oom, "constraint", oom_report_constraint(r));
	/* the kernel prints "(null)" for no nodemask: nothing to say */
	if (r->nodemask && strcmp(r->nodemask, "(null)"))
		out_json_add_str(oom, "nodemask", r->nodemask);
	out_json_add_str(oom, "cpuset", r->cpuset);
	out_json_add_str(oom, "mems_allowed", r->mems_allowed);
	add_memcg(oom, r);
	if (r->kernel_release)
		out_json_add_str(add_obj(oom, "kernel"), "release",
			     r->kernel_release);
	out_json_add_str(oom, "hardware", r->hardware);
	out_json_add_str(oom, "boot_id", r->boot_id);
	if (r->known & RK_KTIME)
		out_json_add_i64(oom, "kernel_time_us", r->ktime_us);
	if (r->known & RK_SELECTED) {
		o = add_obj(oom, "selected");
		out_json_add_i64(o, "pid", r->selected_pid);
		out_json_add_str(o, "name", r->selected_comm);
		if (r->known & RK_SCORE)
			out_json_add_i64(o, "score", r->selected_score);
	}
	arr = cJSON_AddArrayToObject(oom, "killed");
	for (size_t i = 0; i < r->n_kills; i++)
		cJSON_AddItemToArray(arr, kill_json(&r->kills[i]));
	out_json_add_str(oom, "group_kill_memcg", r->group_kill_memcg);
	if (r->known & RK_TOTALPAGES)
		out_json_add_u64(oom, "totalpages", r->totalpages);
	add_reconstructed(oom, r);
	add_memory(oom, r);
	if (r->n_tasks || !(r->flags & REPORT_NO_DUMP)) {
		arr = cJSON_AddArrayToObject(oom, "tasks");
		for (size_t i = 0; i < r->n_tasks; i++)
			cJSON_AddItemToArray(arr, task_json(&r->tasks[i]));
	}
	add_flags(oom, r, time_from_ingest);
	cJSON_AddBoolToObject(oom, "complete", oom_report_complete(r));
	return doc;
}

int out_json_line(FILE *fp, cJSON *doc)
{
	/* names and paths come from the log: valid UTF-8, no C1 controls */
	return out_json_line_safe(fp, doc);
}

void out_escaped(FILE *fp, const char *s)
{
	struct buf b = BUF_INIT;
	size_t i, n = s ? strlen(s) : 0;

	/* the common case, plain ASCII, needs no copy */
	for (i = 0; i < n && s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\'; i++)
		;
	if (i == n) {
		fwrite(s ? s : "", 1, n, fp);
		return;
	}
	out_escape(&b, s, n, OUT_ESC_BACKSLASH);
	fwrite(b.data, 1, b.len, fp);
	buf_release(&b);
}

void out_size_kb(char *buf, size_t n, uint64_t kb)
{
	static const char *const units[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)kb;
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, n, "%" PRIu64 " KiB", kb);
	else
		snprintf(buf, n, "%.1f %s", v, units[u]);
}

/* Local time for a person at a terminal, as journalctl shows it; UTC
 * RFC 3339 for anything else (set by main() and --utc). */
static int show_local;

void out_set_local_time(int on)
{
	show_local = on;
}

int out_time_width(void)
{
	return show_local ? 24 : 20;
}

void out_time(int64_t us, char *buf, size_t n)
{
	if (show_local)
		time_local(us, buf, n);
	else
		time_rfc3339(us, buf, n);
}

static void event_time(const struct oom_report *r, char *buf, size_t n,
		       int utc)
{
	int64_t us = r->wall_us / 1000000 * 1000000;

	if ((r->known & RK_WALL) && utc)
		time_rfc3339(us, buf, n);
	else if (r->known & RK_WALL)
		out_time(us, buf, n);
	else if (r->known & RK_KTIME)
		snprintf(buf, n, "boot+%" PRId64 ".%03" PRId64 "s",
			 r->ktime_us / 1000000, r->ktime_us % 1000000 / 1000);
	else
		snprintf(buf, n, "-");
}

void out_event_time(const struct oom_report *r, char *buf, size_t n)
{
	event_time(r, buf, n, 0);
}

void out_event_time_utc(const struct oom_report *r, char *buf, size_t n)
{
	event_time(r, buf, n, 1);
}

void out_json_add_event_time(cJSON *o, const struct oom_report *r)
{
	char ts[40];

	if (r->known & RK_WALL) {
		out_event_time_utc(r, ts, sizeof(ts));
		cJSON_AddStringToObject(o, "time", ts);
	}
}

const char *out_memcg(const struct oom_report *r)
{
	return r->oom_memcg ? r->oom_memcg : r->task_memcg;
}
