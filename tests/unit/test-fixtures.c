/*
 * test-fixtures.c: every fixture FILE with a FILE.facts beside it (see
 * tests/fixtures/README.md) is scanned, and each fact is checked against
 * the reports read: "reports=N", and "r<N>.<field>=<value>" for report N,
 * where "-" means the field must be unknown.  A fact this test does not
 * know is a failure, so that no fact is silently skipped.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "badness.h"
#include "check.h"
#include "collect.h"
#include "classify.h"
#include "oom.h"
#include "report.h"
#include "scan.h"
#include "xalloc.h"

static const char *const layout_names[] = {
	[LAYOUT_UNKNOWN] = "unknown", [LAYOUT_PGTABLES] = "pgtables",
	[LAYOUT_RSS_SPLIT] = "rss_split", [LAYOUT_NR_PMDS] = "nr_pmds",
	[LAYOUT_NR_PTES] = "nr_ptes", [LAYOUT_OOM_ADJ_SCORE] = "oom_adj_score",
	[LAYOUT_OOM_ADJ] = "oom_adj",
};

/* The value of a field as a fact prints it; "-" when unknown. */
struct val {
	char s[256];
};

static void v_str(struct val *v, const char *s)
{
	snprintf(v->s, sizeof(v->s), "%s", s ? s : "-");
}

static void v_i64(struct val *v, int known, int64_t x)
{
	if (known)
		snprintf(v->s, sizeof(v->s), "%" PRId64, x);
	else
		v_str(v, NULL);
}

static void v_u64(struct val *v, int known, uint64_t x)
{
	if (known)
		snprintf(v->s, sizeof(v->s), "%" PRIu64, x);
	else
		v_str(v, NULL);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A comma-separated set, sorted, so that order does not matter. */
static void sorted_set(const char *in, char *out, size_t n)
{
	char buf[256], *parts[32], *p, *save = NULL;
	size_t k = 0;

	snprintf(buf, sizeof(buf), "%s", strcmp(in, "-") ? in : "");
	for (p = strtok_r(buf, ",", &save); p && k < 32;
	     p = strtok_r(NULL, ",", &save))
		parts[k++] = p;
	qsort(parts, k, sizeof(parts[0]), cmp_str);
	out[0] = '\0';
	for (size_t i = 0; i < k; i++)
		snprintf(out + strlen(out), n - strlen(out), "%s%s",
			 i ? "," : "", parts[i]);
}

static void flags_of(const struct oom_report *r, struct val *v)
{
	char tmp[256] = "";

	for (int b = 0; report_flag_names[b]; b++)
		if (r->flags & (1u << b))
			snprintf(tmp + strlen(tmp), sizeof(tmp) - strlen(tmp),
				 "%s%s", tmp[0] ? "," : "", report_flag_names[b]);
	sorted_set(tmp, v->s, sizeof(v->s));
}

static int kill_field(const struct oom_kill *k, const char *f, struct val *v)
{
	static const char *const reaps[] = { "none", "reaped", "unable" };

	if (!strcmp(f, "pid"))
		v_i64(v, 1, k->pid);
	else if (!strcmp(f, "comm"))
		v_str(v, k->comm);
	else if (!strcmp(f, "reason"))
		v_str(v, k->reason);
	else if (!strcmp(f, "uid"))
		v_i64(v, k->known & KILL_UID, k->uid);
	else if (!strcmp(f, "total_vm_kb"))
		v_u64(v, k->known & KILL_TOTAL_VM, k->total_vm_kb);
	else if (!strcmp(f, "anon_rss_kb"))
		v_u64(v, k->known & KILL_ANON_RSS, k->anon_rss_kb);
	else if (!strcmp(f, "file_rss_kb"))
		v_u64(v, k->known & KILL_FILE_RSS, k->file_rss_kb);
	else if (!strcmp(f, "shmem_rss_kb"))
		v_u64(v, k->known & KILL_SHMEM_RSS, k->shmem_rss_kb);
	else if (!strcmp(f, "pgtables_kb"))
		v_u64(v, k->known & KILL_PGTABLES, k->pgtables_kb);
	else if (!strcmp(f, "adj"))
		v_i64(v, k->known & KILL_ADJ, k->oom_score_adj);
	else if (!strcmp(f, "reap"))
		v_str(v, reaps[k->reap]);
	else
		return 0;
	return 1;
}

static int task_field(const struct oom_task *t, const char *f, struct val *v)
{
	unsigned k = t->known;

	if (!strcmp(f, "name"))
		v_str(v, t->name);
	else if (!strcmp(f, "uid"))
		v_i64(v, k & TASK_UID, t->uid);
	else if (!strcmp(f, "tgid"))
		v_i64(v, k & TASK_TGID, t->tgid);
	else if (!strcmp(f, "total_vm"))
		v_u64(v, k & TASK_TOTAL_VM, t->total_vm);
	else if (!strcmp(f, "rss"))
		v_u64(v, k & TASK_RSS, t->rss);
	else if (!strcmp(f, "rss_anon"))
		v_u64(v, k & TASK_RSS_SPLIT, t->rss_anon);
	else if (!strcmp(f, "rss_file"))
		v_u64(v, k & TASK_RSS_SPLIT, t->rss_file);
	else if (!strcmp(f, "rss_shmem"))
		v_u64(v, k & TASK_RSS_SPLIT, t->rss_shmem);
	else if (!strcmp(f, "pgtables_bytes"))
		v_u64(v, k & TASK_PGTABLES, t->pgtables_bytes);
	else if (!strcmp(f, "nr_ptes"))
		v_u64(v, k & TASK_NR_PTES, t->nr_ptes);
	else if (!strcmp(f, "nr_pmds"))
		v_u64(v, k & TASK_NR_PMDS, t->nr_pmds);
	else if (!strcmp(f, "swapents"))
		v_u64(v, k & TASK_SWAPENTS, t->swapents);
	else if (!strcmp(f, "adj"))
		v_i64(v, k & TASK_ADJ, t->oom_score_adj);
	else if (!strcmp(f, "cpu"))
		v_i64(v, k & TASK_CPU, t->cpu);
	else if (!strcmp(f, "oom_adj"))
		v_i64(v, k & TASK_OOM_ADJ, t->oom_adj);
	else
		return 0;
	return 1;
}

/* "kill.N.f", "task.PID.f", "mem.x", "memcg.which.f" */
static int nested_field(const struct oom_report *r, const char *f,
			struct val *v)
{
	char *end;
	long long n;

	if (!strncmp(f, "kill.", 5)) {
		n = strtoll(f + 5, &end, 10);
		if (*end != '.')
			return 0;
		if (n < 1 || (size_t)n > r->n_kills) {
			v_str(v, "(no such kill)");
			return 1;
		}
		return kill_field(&r->kills[n - 1], end + 1, v);
	}
	if (!strncmp(f, "task.", 5)) {
		n = strtoll(f + 5, &end, 10);
		if (*end != '.')
			return 0;
		for (size_t i = 0; i < r->n_tasks; i++)
			if (r->tasks[i].pid == n)
				return task_field(&r->tasks[i], end + 1, v);
		v_str(v, "(no such row)");
		return 1;
	}
	if (!strncmp(f, "mem.", 4)) {
		for (int i = 0; i < MEM_FIELD_COUNT; i++)
			if (!strcmp(f + 4, mem_field_names[i])) {
				v_u64(v, mem_has(r, i), r->mem[i]);
				return 1;
			}
		return 0;
	}
	if (!strncmp(f, "memcg.", 6)) {
		for (int i = 0; i < MEMCG_COUNTER_COUNT; i++) {
			size_t l = strlen(memcg_counter_names[i]);
			const struct memcg_usage *m = &r->memcg[i];

			if (strncmp(f + 6, memcg_counter_names[i], l) ||
			    f[6 + l] != '.')
				continue;
			f += 7 + l;
			if (!strcmp(f, "usage_kb"))
				v_u64(v, m->known, m->usage_kb);
			else if (!strcmp(f, "limit_kb"))
				v_u64(v, m->known, m->limit_kb);
			else if (!strcmp(f, "failcnt"))
				v_u64(v, m->known, m->failcnt);
			else
				return 0;
			return 1;
		}
	}
	return 0;
}

/*
 * "an.<field>": the kernel's choice recomputed (src/badness.c), so that a
 * fixture's facts carry the arithmetic its generator did by hand: era,
 * totalpages and where it came from, the predicted victim, whether it is
 * the one killed, the analysis flags.
 */
static int analysis_field(struct oom_report *r, const char *f, struct val *v)
{
	char tmp[256] = "";

	badness_analyse(r);
	if (!strcmp(f, "era"))
		v_str(v, era_names[r->an.era]);
	else if (!strcmp(f, "totalpages"))
		v_u64(v, r->known & RK_TOTALPAGES, r->totalpages);
	else if (!strcmp(f, "total_source"))
		v_str(v, total_source_names[r->an.total_source]);
	else if (!strcmp(f, "predicted_pid"))
		v_i64(v, r->known & RK_PREDICTED, r->an.predicted_pid);
	else if (!strcmp(f, "agrees"))
		v_i64(v, r->known & RK_AGREES, r->an.agrees);
	else if (!strcmp(f, "flags")) {
		for (int b = 0; analysis_flag_names[b]; b++)
			if (r->an.flags & (1 << b))
				snprintf(tmp + strlen(tmp), sizeof(tmp) - strlen(tmp),
					 "%s%s", tmp[0] ? "," : "",
					 analysis_flag_names[b]);
		sorted_set(tmp, v->s, sizeof(v->s));
	} else
		return 0;
	return 1;
}

static int report_field(const struct oom_report *r, const char *f,
			struct val *v)
{
	if (!strncmp(f, "an.", 3))
		return analysis_field((struct oom_report *)r, f + 3, v);

	unsigned k = r->known;
	size_t lines = 0;

	if (!strcmp(f, "trigger_comm"))
		v_str(v, r->trigger_comm);
	else if (!strcmp(f, "trigger_pid"))
		v_i64(v, k & RK_TRIGGER_PID, r->trigger_pid);
	else if (!strcmp(f, "trigger_uid"))
		v_i64(v, k & RK_TRIGGER_UID, r->trigger_uid);
	else if (!strcmp(f, "trigger_adj"))
		v_i64(v, k & RK_TRIGGER_ADJ, r->trigger_adj);
	else if (!strcmp(f, "gfp_mask"))
		v_str(v, r->gfp_mask);
	else if (!strcmp(f, "order"))
		v_i64(v, k & RK_ORDER, r->order);
	else if (!strcmp(f, "nodemask"))
		v_str(v, r->nodemask);
	else if (!strcmp(f, "kernel_release"))
		v_str(v, r->kernel_release);
	else if (!strcmp(f, "hardware"))
		v_str(v, r->hardware);
	else if (!strcmp(f, "constraint"))
		v_str(v, r->constraint);
	else if (!strcmp(f, "cpuset"))
		v_str(v, r->cpuset);
	else if (!strcmp(f, "mems_allowed"))
		v_str(v, r->mems_allowed);
	else if (!strcmp(f, "oom_memcg"))
		v_str(v, r->oom_memcg);
	else if (!strcmp(f, "task_memcg"))
		v_str(v, r->task_memcg);
	else if (!strcmp(f, "memcg_stats_path"))
		v_str(v, r->memcg_stats_path);
	else if (!strcmp(f, "group_kill_memcg"))
		v_str(v, r->group_kill_memcg);
	else if (!strcmp(f, "host"))
		v_str(v, r->host);
	else if (!strcmp(f, "boot_id"))
		v_str(v, r->boot_id);
	else if (!strcmp(f, "selected_pid"))
		v_i64(v, k & RK_SELECTED, r->selected_pid);
	else if (!strcmp(f, "selected_comm"))
		v_str(v, r->selected_comm);
	else if (!strcmp(f, "selected_score"))
		v_i64(v, k & RK_SCORE, r->selected_score);
	else if (!strcmp(f, "layout"))
		v_str(v, layout_names[r->layout]);
	else if (!strcmp(f, "tasks"))
		v_u64(v, 1, r->n_tasks);
	else if (!strcmp(f, "kills"))
		v_u64(v, 1, r->n_kills);
	else if (!strcmp(f, "zones"))
		v_u64(v, 1, r->n_zones);
	else if (!strcmp(f, "first_line"))
		v_u64(v, 1, r->first_line);
	else if (!strcmp(f, "last_line"))
		v_u64(v, 1, r->last_line);
	else if (!strcmp(f, "wall_us"))
		v_i64(v, k & RK_WALL, r->wall_us);
	else if (!strcmp(f, "ktime_us"))
		v_i64(v, k & RK_KTIME, r->ktime_us);
	else if (!strcmp(f, "flags"))
		flags_of(r, v);
	else if (!strcmp(f, "memcg_stats_lines")) {
		for (const char *p = r->memcg_stats; p && *p; p++)
			lines += *p == '\n';
		v_u64(v, r->memcg_stats != NULL, lines);
	} else
		return nested_field(r, f, v);
	return 1;
}

static void check_fact(const char *file, const struct got *g, const char *key,
		       const char *want)
{
	struct val v;
	char w[256];
	char *end;
	long n;
	int ok;

	if (!strcmp(key, "reports")) {
		v_u64(&v, 1, g->n);
		ok = 1;
	} else if (key[0] == 'r' && (n = strtol(key + 1, &end, 10)) > 0 &&
		   *end == '.') {
		if ((size_t)n > g->n) {
			CHECK(0, "%s: %s: no report %ld", file, key, n);
			return;
		}
		ok = report_field(g->r[n - 1], end + 1, &v);
	} else {
		ok = 0;
	}
	if (!ok) {
		CHECK(0, "%s: unknown fact '%s'", file, key);
		return;
	}
	if (!strcmp(key + strlen(key) - 6, ".flags")) {
		sorted_set(want, w, sizeof(w));
		want = w;
	}
	CHECK(!strcmp(v.s, want), "%s: %s = %s, want %s", file, key, v.s, want);
}

struct walk {
	struct classifier *cls;
	int files;		/* with a log beside them, so checked */
};

static void check_file(void *ctx, const char *dir, const char *facts_name)
{
	struct walk *w = ctx;
	struct expect_file e;
	struct got g;
	char *key, *value;
	FILE *log;

	CHECK(expect_open(&e, dir, facts_name, 6, 0) == 0, "cannot open %s",
	      e.path);
	if (!e.fp)
		return;
	log = fopen(e.log, "rb");
	if (!log) {
		expect_close(&e);
		return;		/* a scenario's facts, not one file's */
	}
	fclose(log);
	w->files++;
	CHECK(got_scan_file(w->cls, e.log, e.ref, &g) == 0, "scan %s", e.log);
	while (expect_next(&e, &key, &value)) {
		if (!value) {
			CHECK(0, "%s: not key=value: %s", e.path, key);
			continue;
		}
		check_fact(facts_name, &g, key, value);
	}
	expect_close(&e);
	got_free(&g);
}

int main(void)
{
	const char *dir = getenv("FIXTURES");
	struct walk w = { 0 };
	char *err = NULL;

	setenv("TZ", "UTC", 1);
	if (!dir)
		dir = "tests/fixtures";
	if (classify_new(&w.cls, &err) < 0) {
		CHECK(0, "classify_new: %s", err);
		return check_done("test-fixtures");
	}
	CHECK(fixtures_each(dir, ".facts", check_file, &w) > 0, "read %s", dir);
	CHECK(w.files >= 25, "%d fixtures with facts checked", w.files);
	classify_free(w.cls);
	return check_done("test-fixtures");
}
