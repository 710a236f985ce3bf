/*
 * output-ecs.c: the export's ECS document (and its HEC envelope) written
 * straight into a buffer, field by field, without a cJSON tree.
 *
 * Building the tree, printing it, walking it again for UTF-8 and freeing
 * it was most of an export's time.  The bytes are the contract: they are
 * exactly what out_ecs_event() with out_ecs_add_diagnosis(),
 * out_ecs_add_story() (and out_hec_event()) gives through
 * out_json_line_safe(), in the same order (the workload's top-level
 * fields after "linux", as that code appends them); test-ecs-stream and
 * t0530 compare the two.  show --json and OTel still build the tree.
 */
#include <stdio.h>
#include <string.h>

#include "badness.h"
#include "buf.h"
#include "diagnosis.h"
#include "json-writer.h"
#include "memcg-stat.h"
#include "oom.h"
#include "output-formats.h"
#include "output.h"
#include "story-event.h"
#include "text.h"
#include "timefmt.h"
#include "workload.h"

/* ---- the document, in out_ecs_event()'s order ---- */

static void write_task(struct jw *w, const struct oom_task *t)
{
	jw_obj(w, NULL);
	jw_i64(w, "pid", t->pid);
	jw_str(w, "name", t->name);
	if (t->known & TASK_UID)
		jw_i64(w, "uid", t->uid);
	if (t->known & TASK_TGID)
		jw_i64(w, "tgid", t->tgid);
	if (t->known & TASK_TOTAL_VM)
		jw_u64(w, "total_vm_pages", t->total_vm);
	if (t->known & TASK_RSS)
		jw_u64(w, "rss_pages", t->rss);
	if (t->known & TASK_RSS_SPLIT) {
		jw_u64(w, "rss_anon_pages", t->rss_anon);
		jw_u64(w, "rss_file_pages", t->rss_file);
		jw_u64(w, "rss_shmem_pages", t->rss_shmem);
	}
	if (t->known & TASK_SWAPENTS)
		jw_u64(w, "swap_pages", t->swapents);
	if (t->known & TASK_PGTABLES)
		jw_u64(w, "pgtables_bytes", t->pgtables_bytes);
	if (t->known & TASK_NR_PTES)
		jw_u64(w, "nr_ptes", t->nr_ptes);
	if (t->known & TASK_NR_PMDS)
		jw_u64(w, "nr_pmds", t->nr_pmds);
	if (t->known & TASK_ADJ)
		jw_i64(w, "oom_score_adj", t->oom_score_adj);
	if (t->known & TASK_OOM_ADJ)
		jw_i64(w, "oom_adj", t->oom_adj);
	if (t->known & TASK_POINTS) {
		jw_i64(w, "points", t->points);
		jw_i64(w, "rank", t->rank);
	}
	if (t->known & TASK_OOM_SCORE)
		jw_i64(w, "oom_score", t->oom_score);
	jw_end(w);
}

static void write_kill(struct jw *w, const struct oom_kill *k)
{
	jw_obj(w, NULL);
	jw_i64(w, "pid", k->pid);
	jw_str(w, "name", k->comm);
	jw_str(w, "reason", k->reason);
	if (k->known & KILL_UID)
		jw_i64(w, "uid", k->uid);
	if (k->known & KILL_TOTAL_VM)
		jw_u64(w, "total_vm_kb", k->total_vm_kb);
	if (k->known & KILL_ANON_RSS)
		jw_u64(w, "anon_rss_kb", k->anon_rss_kb);
	if (k->known & KILL_FILE_RSS)
		jw_u64(w, "file_rss_kb", k->file_rss_kb);
	if (k->known & KILL_SHMEM_RSS)
		jw_u64(w, "shmem_rss_kb", k->shmem_rss_kb);
	if (k->known & KILL_PGTABLES)
		jw_u64(w, "pgtables_kb", k->pgtables_kb);
	if (k->known & KILL_ADJ)
		jw_i64(w, "oom_score_adj", k->oom_score_adj);
	if (k->reap != REAP_NONE) {
		jw_obj(w, "reaper");
		jw_str(w, "state", k->reap == REAP_REAPED ? "reaped" : "unable");
		if (k->known & KILL_REAPED) {
			jw_u64(w, "anon_rss_kb", k->reaped_anon_kb);
			jw_u64(w, "file_rss_kb", k->reaped_file_kb);
			jw_u64(w, "shmem_rss_kb", k->reaped_shmem_kb);
		}
		jw_end(w);
	}
	jw_end(w);
}

static void write_memory(struct jw *w, const struct oom_report *r)
{
	int open = 0;

	for (int f = 0; f < MEM_FIELD_COUNT; f++) {
		if (!mem_has(r, f))
			continue;
		if (!open++)
			jw_obj(w, "memory");
		jw_u64(w, mem_field_names[f], r->mem[f]);
	}
	if (open)
		jw_end(w);
	if (!r->n_zones)
		return;
	jw_arr(w, "zones");
	for (size_t i = 0; i < r->n_zones; i++) {
		const struct oom_zone *z = &r->zones[i];

		jw_obj(w, NULL);
		if (z->node >= 0)
			jw_i64(w, "node", z->node);
		jw_str(w, "name", z->name);
		for (int f = 0; f < ZONE_FIELD_COUNT; f++) {
			char key[16];

			if (!(z->known & (1u << f)))
				continue;
			snprintf(key, sizeof(key), "%s_kb", zone_field_names[f]);
			jw_u64(w, key, z->values[f]);
		}
		jw_end(w);
	}
	jw_end_arr(w);
}

static void write_memcg(struct jw *w, const struct oom_report *r)
{
	static const char *const keys[] = { "memory", "swap", "memory_swap",
					    "kmem" };
	const char *path = out_memcg(r);
	struct memcg_stat st;

	if (!path && !r->memcg[MEMCG_MEMORY].known)
		return;
	jw_obj(w, "memcg");
	jw_str(w, "path", path);
	jw_str(w, "oom_path", r->oom_memcg);
	jw_str(w, "task_path", r->task_memcg);
	for (int i = 0; i < MEMCG_COUNTER_COUNT; i++) {
		const struct memcg_usage *u = &r->memcg[i];

		if (!u->known)
			continue;
		jw_obj(w, keys[i]);
		jw_u64(w, "usage_kb", u->usage_kb);
		if (u->limit_kb < MEMCG_UNLIMITED_KB)
			jw_u64(w, "limit_kb", u->limit_kb);
		else
			jw_bool(w, "unlimited", 1);
		jw_u64(w, "failcnt", u->failcnt);
		jw_end(w);
	}
	if (memcg_stat_parse(r->memcg_stats, &st)) {
		jw_obj(w, "stat");
		for (int i = 0; i < MCS_COUNT; i++) {
			char key[40];

			if (!memcg_stat_has(&st, i))
				continue;
			snprintf(key, sizeof(key), "%s_kb", memcg_stat_names[i]);
			jw_u64(w, key, st.kb[i]);
		}
		if (st.own_only)
			jw_bool(w, "own_only", 1);
		jw_end(w);
	}
	jw_end(w);
}

static void write_reconstructed(struct jw *w, const struct oom_report *r)
{
	if (!(r->known & RK_PREDICTED) && !r->an.era)
		return;
	jw_obj(w, "reconstructed");
	jw_str(w, "era", era_names[r->an.era]);
	if (r->known & RK_TOTALPAGES)
		jw_str(w, "totalpages_source",
		       total_source_names[r->an.total_source]);
	if (r->known & RK_PREDICTED)
		jw_i64(w, "pid", r->an.predicted_pid);
	if (r->known & RK_AGREES) {
		jw_bool(w, "agrees", r->an.agrees != 0);
		if (!r->an.agrees)
			jw_str(w, "reason", mismatch_names[r->an.mismatch]);
	}
	jw_arr(w, "flags");
	for (int b = 0; analysis_flag_names[b]; b++)
		if (r->an.flags & (1 << b))
			jw_str(w, NULL, analysis_flag_names[b]);
	jw_end_arr(w);
	jw_end(w);
}

/* linux.oom.workload, as out_workload_json() */
static void write_workload(struct jw *w, const struct workload *wl)
{
	jw_obj(w, "workload");
	if (wl->unit[0])
		jw_str(w, "unit", wl->unit);
	if (wl->container_id[0]) {
		jw_str(w, "container_id", wl->container_id);
		jw_str(w, "container_runtime", wl->runtime);
	}
	if (wl->pod_uid[0]) {
		jw_str(w, "pod_uid", wl->pod_uid);
		jw_str(w, "qos_class", wl->qos);
	}
	if (wl->uid >= 0)
		jw_i64(w, "uid", wl->uid);
	jw_end(w);
}

/* service, container, orchestrator, labels: after "linux", as
 * add_workload() appends them */
static void write_workload_ecs(struct jw *w, const struct workload *wl)
{
	if (wl->unit[0]) {
		jw_obj(w, "service");
		jw_str(w, "name", wl->unit);
		jw_end(w);
	}
	if (wl->container_id[0]) {
		jw_obj(w, "container");
		jw_str(w, "id", wl->container_id);
		jw_str(w, "runtime", wl->runtime);
		jw_end(w);
	}
	if (wl->pod_uid[0]) {
		jw_obj(w, "orchestrator");
		jw_str(w, "type", "kubernetes");
		jw_obj(w, "resource");
		jw_str(w, "type", "pod");
		jw_str(w, "id", wl->pod_uid);
		jw_end(w);
		jw_end(w);
		jw_obj(w, "labels");
		jw_str(w, "pod_uid", wl->pod_uid);
		jw_end(w);
	}
}

/* linux.oom.diagnosis, as out_ecs_add_diagnosis() */
static void write_diagnosis(struct jw *w, const struct diagnosis *d)
{
	jw_obj(w, "diagnosis");
	jw_str(w, "kind", diag_kind_name(d->kind));
	jw_arr(w, "also");
	for (size_t i = 0; i < d->n_also && i < DIAG_MAX_ALSO; i++)
		jw_str(w, NULL, diag_kind_name(d->also[i]));
	jw_end_arr(w);
	jw_obj(w, "culprit");
	jw_str(w, "kind", culprit_kind_name(d->culprit.kind));
	if (d->culprit.name[0])
		jw_str(w, "name", d->culprit.name);
	jw_end(w);
	jw_end(w);
}

/* One story line, as out_story_json() */
static void write_story(struct jw *w, const struct story_event *e,
			const char *link)
{
	char ts[40];

	jw_obj(w, NULL);
	if (e->known & SK_WALL) {
		time_rfc3339(e->wall_us, ts, sizeof(ts));
		jw_str(w, "time", ts);
	}
	jw_str(w, "actor", e->actor);
	jw_str(w, "kind", story_kind_name(e->kind));
	jw_str(w, "host", e->host);
	jw_str(w, "unit", e->unit);
	jw_str(w, "cgroup", e->cgroup);
	jw_str(w, "container_id", e->container_id);
	if (e->known & SK_PID)
		jw_i64(w, "pid", e->pid);
	jw_str(w, "name", e->comm);
	if (e->known & SK_UID)
		jw_i64(w, "uid", e->uid);
	if (e->known & SK_SCORE)
		jw_i64(w, "oom_score", e->score);
	if (e->known & SK_ADJ)
		jw_i64(w, "oom_score_adj", e->adj);
	if (e->known & SK_RSS)
		jw_u64(w, "rss_kb", e->rss_kb);
	if (e->known & SK_COUNT)
		jw_i64(w, "count", e->count);
	jw_str(w, "signal", e->signal);
	jw_str(w, "reason", e->reason);
	jw_str(w, "message", e->message);
	jw_str(w, "link", link);
	jw_end(w);
}

/* @timestamp, ecs and event, as add_ecs_event(); 1 when @timestamp is
 * the time oomlens read the event */
static int write_ecs_event(struct jw *w, const struct ecs_doc *e)
{
	const struct oom_report *r = e->r;
	char ts[40], created[40] = "";
	int time_from_ingest = 0;

	if (e->ingested_us > 0)
		time_rfc3339(e->ingested_us, created, sizeof(created));
	if (r->known & RK_WALL) {
		time_rfc3339(r->wall_us, ts, sizeof(ts));
		jw_str(w, "@timestamp", ts);
	} else if (created[0]) {
		jw_str(w, "@timestamp", created);
		time_from_ingest = 1;
	}
	jw_obj(w, "ecs");
	jw_str(w, "version", OUT_ECS_VERSION);
	jw_end(w);
	jw_obj(w, "event");
	jw_str(w, "kind", "event");
	puts0(w->b, ",\"category\":[\"process\"],\"type\":[\"end\"]");
	jw_str(w, "action", "oom-kill");
	jw_str(w, "provider", r->killer ? r->killer : KILLER_KERNEL);
	jw_str(w, "dataset", "linux.oom");
	if (created[0])
		jw_str(w, "created", created);
	jw_str(w, "original", e->raw);
	jw_end(w);
	return time_from_ingest;
}

static void write_trigger(struct jw *w, const struct oom_report *r)
{
	if (!r->trigger_comm && !(r->known & RK_TRIGGER_PID))
		return;
	jw_obj(w, "trigger");
	if (r->known & RK_TRIGGER_PID)
		jw_i64(w, "pid", r->trigger_pid);
	jw_str(w, "name", r->trigger_comm);
	if (r->known & RK_TRIGGER_UID)
		jw_i64(w, "uid", r->trigger_uid);
	if (r->known & RK_TRIGGER_ADJ)
		jw_i64(w, "oom_score_adj", r->trigger_adj);
	jw_str(w, "gfp_mask", r->gfp_mask);
	if (r->known & RK_ORDER)
		jw_i64(w, "order", r->order);
	jw_end(w);
}

/* linux.oom, as out_ecs_event() and the out_ecs_add_*() after it */
static void write_oom(struct jw *w, const struct ecs_doc *e,
		      const struct workload *wl, int time_from_ingest)
{
	const struct oom_report *r = e->r;

	jw_obj(w, "oom");
	jw_i64(w, "event_id", e->id);
	jw_str(w, "killer", r->killer ? r->killer : KILLER_KERNEL);
	jw_str(w, "provenance", oom_provenance_name(r->trust));
	if (wl)
		write_workload(w, wl);
	write_trigger(w, r);
	jw_str(w, "constraint", r->constraint);
	/* the kernel prints "(null)" for no nodemask: nothing to say */
	if (r->nodemask && strcmp(r->nodemask, "(null)"))
		jw_str(w, "nodemask", r->nodemask);
	jw_str(w, "cpuset", r->cpuset);
	jw_str(w, "mems_allowed", r->mems_allowed);
	write_memcg(w, r);
	if (r->kernel_release) {
		jw_obj(w, "kernel");
		jw_str(w, "release", r->kernel_release);
		jw_end(w);
	}
	jw_str(w, "hardware", r->hardware);
	jw_str(w, "boot_id", r->boot_id);
	if (r->known & RK_KTIME)
		jw_i64(w, "kernel_time_us", r->ktime_us);
	if (r->known & RK_SELECTED) {
		jw_obj(w, "selected");
		jw_i64(w, "pid", r->selected_pid);
		jw_str(w, "name", r->selected_comm);
		if (r->known & RK_SCORE)
			jw_i64(w, "score", r->selected_score);
		jw_end(w);
	}
	jw_arr(w, "killed");
	for (size_t i = 0; i < r->n_kills; i++)
		write_kill(w, &r->kills[i]);
	jw_end_arr(w);
	jw_str(w, "group_kill_memcg", r->group_kill_memcg);
	if (r->known & RK_TOTALPAGES)
		jw_u64(w, "totalpages", r->totalpages);
	write_reconstructed(w, r);
	write_memory(w, r);
	if (r->n_tasks || !(r->flags & REPORT_NO_DUMP)) {
		jw_arr(w, "tasks");
		for (size_t i = 0; i < r->n_tasks; i++)
			write_task(w, &r->tasks[i]);
		jw_end_arr(w);
	}
	jw_arr(w, "flags");
	for (int b = 0; report_flag_names[b]; b++)
		if (r->flags & (1u << b))
			jw_str(w, NULL, report_flag_names[b]);
	if (time_from_ingest)
		jw_str(w, NULL, OUT_FLAG_TIME_FROM_INGEST);
	jw_end_arr(w);
	jw_bool(w, "complete", oom_report_complete(r));
	if (e->d)
		write_diagnosis(w, e->d);
	if (e->n_actions) {
		jw_arr(w, "userspace");
		for (size_t i = 0; i < e->n_actions; i++)
			write_story(w, e->actions[i].e, e->actions[i].link);
		jw_end_arr(w);
	}
	jw_end(w);
}

/* The HEC envelope's members before "event", as out_hec_event() */
static void write_hec_head(struct jw *w, const struct ecs_doc *e)
{
	const struct oom_report *r = e->r;
	int64_t t = r->known & RK_WALL ? r->wall_us : e->ingested_us;

	if ((r->known & RK_WALL) || e->ingested_us > 0) {
		char num[48];
		int n = time_epoch_seconds(t, num, sizeof(num));

		jw_key(w, "time");
		put(w->b, num, (size_t)n);
	}
	jw_str(w, "host", r->host);
	jw_str(w, "source", e->source);
	jw_str(w, "sourcetype", OUT_HEC_SOURCETYPE);
}

void out_ecs_write(struct buf *b, const struct ecs_doc *e, int hec)
{
	const struct oom_report *r = e->r;
	const struct oom_kill *victim = oom_report_victim(r);
	struct jw w = { .b = b };
	struct workload wl;
	int have_wl, from_ingest;

	jw_obj(&w, NULL);
	if (hec) {
		write_hec_head(&w, e);
		jw_obj(&w, "event");
	}
	from_ingest = write_ecs_event(&w, e);
	if (r->host) {
		jw_obj(&w, "host");
		jw_str(&w, "name", r->host);
		jw_end(&w);
	}
	if (victim) {
		jw_obj(&w, "process");
		jw_i64(&w, "pid", victim->pid);
		jw_str(&w, "name", victim->comm);
		jw_end(&w);
	}
	if (e->source) {
		jw_obj(&w, "log");
		jw_obj(&w, "file");
		jw_str(&w, "path", e->source);
		jw_end(&w);
		jw_end(&w);
	}
	have_wl = workload_from_cgroup(out_victim_cgroup(r), &wl);
	jw_obj(&w, "linux");
	write_oom(&w, e, have_wl ? &wl : NULL, from_ingest);
	jw_end(&w);
	if (have_wl)
		write_workload_ecs(&w, &wl);
	if (hec)
		jw_end(&w);
	jw_end(&w);
	putc1(b, '\n');
	b->data[b->len] = '\0';
}
