/*
 * test-export.c: the export contract.  Each container of the seed
 * scenario goes through the whole path (scan, assemble, store, load) and
 * its ECS document must carry the facts in postgres-6.8.facts, under the
 * names SIEM pipelines rely on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "badness.h"
#include "check.h"
#include "classify.h"
#include "oom.h"
#include "output.h"
#include "report.h"
#include "scan.h"
#include "source.h"
#include "store.h"
#include "xalloc.h"

static char *facts;

/* Value of key in the facts file, or NULL. */
static const char *fact(const char *key)
{
	static char val[256];
	size_t kl = strlen(key);

	for (const char *p = facts; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (n > kl && !memcmp(p, key, kl) && p[kl] == '=') {
			snprintf(val, sizeof(val), "%.*s", (int)(n - kl - 1),
				 p + kl + 1);
			return val;
		}
		p += n + (nl != NULL);
	}
	CHECK(0, "no fact '%s'", key);
	return NULL;
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	char *s = NULL;
	size_t n = 0;

	if (!fp)
		return NULL;
	if (getdelim(&s, &n, '\0', fp) < 0) {
		free(s);
		s = NULL;
	}
	fclose(fp);
	return s;
}

struct one {
	struct store *st;
	int64_t source_id;
	int64_t id;
	int n;
};

static void emit(void *ctx, struct oom_report *r)
{
	struct one *o = ctx;

	badness_analyse(r);
	CHECK(store_save_report(o->st, o->source_id, r, &o->id, NULL) == 0,
	      "save: %s", store_errmsg(o->st));
	o->n++;
	oom_report_free(r);
}

static cJSON *get(cJSON *doc, const char *path)
{
	char *copy = xstrdup(path), *save = NULL;
	cJSON *o = doc;

	for (char *k = strtok_r(copy, ".", &save); k && o;
	     k = strtok_r(NULL, ".", &save))
		o = cJSON_GetObjectItemCaseSensitive(o, k);
	free(copy);
	return o;
}

static void check_str(cJSON *doc, const char *path, const char *want)
{
	cJSON *o = get(doc, path);

	CHECK(cJSON_IsString(o) && want && !strcmp(o->valuestring, want),
	      "%s = %s, want %s", path,
	      cJSON_IsString(o) ? o->valuestring : "(absent)",
	      want ? want : "(null)");
}

static void check_num(cJSON *doc, const char *path, const char *want)
{
	cJSON *o = get(doc, path);

	CHECK(cJSON_IsNumber(o) && want && o->valuedouble == atof(want),
	      "%s = %.0f, want %s", path, cJSON_IsNumber(o) ? o->valuedouble : -1,
	      want ? want : "(null)");
}

static void check_absent(cJSON *doc, const char *path)
{
	CHECK(get(doc, path) == NULL, "%s should be absent", path);
}

static void check_container(struct classifier *cls, struct store *st,
			    const char *dir, const char *name, int has_wall,
			    int has_host)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct one o = { .st = st };
	struct report_sink sink = { emit, NULL, &o, NULL };
	struct scan_stats stats;
	struct source *src = NULL;
	struct scan_reader rd;
	struct oom_report *r = NULL;
	cJSON *doc, *arr, *t;
	int found_pytest = 0;

	CHECK(source_open(path, &src) == 0, "open %s", path);
	if (!src) {
		free(path);
		return;
	}
	store_add_source(st, path, NULL, &o.source_id);
	rd = source_reader(src);
	/* syslog dates have no year: as if the file was written the next day */
	CHECK(scan_stream(cls, &rd, 1795305600, &sink, &stats) == 0, "scan");
	source_close(src);
	CHECK(o.n == 1, "%s: %d reports", name, o.n);
	if (o.n != 1 || store_load_event(st, o.id, &r) < 0) {
		free(path);
		return;
	}
	/* check what a pipeline reads: the printed line, parsed again */
	doc = out_ecs_event(r, o.id, path, 1795392000000000);
	{
		char *line = cJSON_PrintUnformatted(doc);

		cJSON_Delete(doc);
		CHECK(line && !strchr(line, '\n'), "one line");
		doc = cJSON_Parse(line);
		cJSON_free(line);
		CHECK(doc != NULL, "the document parses");
		if (!doc) {
			oom_report_free(r);
			free(path);
			return;
		}
	}

	check_str(doc, "event.kind", "event");
	check_str(doc, "event.action", "oom-kill");
	check_str(doc, "event.dataset", "linux.oom");
	CHECK(cJSON_IsArray(get(doc, "event.category")) &&
	      !strcmp(cJSON_GetArrayItem(get(doc, "event.category"), 0)->valuestring,
		      "process"), "event.category");
	CHECK(cJSON_IsArray(get(doc, "event.type")) &&
	      !strcmp(cJSON_GetArrayItem(get(doc, "event.type"), 0)->valuestring,
		      "end"), "event.type");
	/* without a wall clock, the time it was read (flagged) */
	check_str(doc, "event.created", "2026-11-23T00:00:00Z");
	if (has_wall)
		check_str(doc, "@timestamp", "2026-11-21T03:12:07Z");
	else
		check_str(doc, "@timestamp", "2026-11-23T00:00:00Z");
	if (has_host)
		check_str(doc, "host.name", fact("host"));
	else
		check_absent(doc, "host");
	check_num(doc, "process.pid", fact("victim_pid"));
	check_str(doc, "process.name", fact("victim_comm"));
	check_num(doc, "linux.oom.trigger.pid", fact("trigger_pid"));
	check_str(doc, "linux.oom.trigger.name", fact("trigger_comm"));
	check_str(doc, "linux.oom.constraint", "none");
	if (strstr(name, "journal"))	/* from the "-- Boot ID --" marker */
		check_str(doc, "linux.oom.boot_id", fact("boot_id"));
	else
		check_absent(doc, "linux.oom.boot_id");
	check_str(doc, "linux.oom.memcg.path", fact("victim_memcg"));
	check_str(doc, "linux.oom.kernel.release", fact("kernel_release"));
	check_num(doc, "linux.oom.totalpages", fact("totalpages"));
	arr = get(doc, "linux.oom.killed");
	CHECK(cJSON_GetArraySize(arr) == 1, "one killed");
	t = cJSON_GetArrayItem(arr, 0);
	check_num(t, "pid", fact("victim_pid"));
	check_str(t, "name", fact("victim_comm"));
	check_num(t, "anon_rss_kb", fact("victim_anon_rss_kb"));
	check_num(t, "shmem_rss_kb", fact("victim_shmem_rss_kb"));
	check_num(t, "pgtables_kb", fact("victim_pgtables_kb"));
	check_str(t, "reaper.state", "reaped");
	check_num(t, "reaper.shmem_rss_kb", fact("reaper_shmem_rss_kb"));
	arr = get(doc, "linux.oom.tasks");
	CHECK(cJSON_GetArraySize(arr) == atoi(fact("n_tasks")), "n_tasks %d",
	      cJSON_GetArraySize(arr));
	cJSON_ArrayForEach(t, arr) {
		static const char *const keys[] = {
			"pid", "name", "uid", "rss_pages", "swap_pages",
			"pgtables_bytes", "oom_score_adj",
		};

		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			CHECK(get(t, keys[k]) != NULL, "task lacks %s", keys[k]);
		if (cJSON_IsNumber(get(t, "pid")) &&
		    get(t, "pid")->valuedouble == atof(fact("pytest_pid"))) {
			found_pytest = 1;
			check_num(t, "rss_pages", fact("pytest_rss"));
			check_num(t, "oom_score_adj", fact("pytest_oom_score_adj"));
			check_num(t, "points", fact("pytest_points"));
			check_num(t, "rank", "2");
		}
		if (cJSON_IsNumber(get(t, "pid")) &&
		    get(t, "pid")->valuedouble == atof(fact("victim_pid"))) {
			check_num(t, "points", fact("victim_points"));
			check_num(t, "rank", "1");
		}
		/* -1000 rows are listed but never candidates */
		if (cJSON_IsNumber(get(t, "oom_score_adj")) &&
		    get(t, "oom_score_adj")->valuedouble == -1000)
			check_absent(t, "points");
	}
	CHECK(found_pytest, "pytest row in %s", name);
	/* the kernel's choice, recomputed (badness.c) */
	check_num(doc, "linux.oom.reconstructed.pid", fact("victim_pid"));
	CHECK(cJSON_IsTrue(get(doc, "linux.oom.reconstructed.agrees")),
	      "reconstruction agrees");
	check_str(doc, "linux.oom.reconstructed.era", "E4");
	check_str(doc, "linux.oom.reconstructed.totalpages_source", "global");
	CHECK(cJSON_IsTrue(get(doc, "linux.oom.complete")), "complete");

	cJSON_Delete(doc);
	oom_report_free(r);
	free(path);
}

int main(void)
{
	const char *dir = getenv("FIXTURES");
	char tmpl[] = "/tmp/oomlens-export.XXXXXX", *db, *err = NULL;
	struct classifier *cls;
	struct store *st = NULL;

	setenv("TZ", "UTC", 1);
	if (!dir)
		dir = "tests/fixtures";	/* run by hand from the top */
	{
		char *fp = xasprintf("%s/postgres-6.8.facts", dir);

		facts = slurp(fp);
		free(fp);
	}
	CHECK(facts != NULL, "facts file in %s", dir);
	if (!facts || !mkdtemp(tmpl) || classify_new(&cls, &err) < 0)
		return check_done("test-export");
	/* one database per container: in one, the copies of the same OOM
	 * would be stored once (that is tested in t0700-dedup) */
	static const struct {
		const char *name;
		int wall, host;
	} containers[] = {
		{ "postgres-6.8.dmesg", 0, 0 },
		{ "postgres-6.8.dmesg-T", 1, 0 },
		{ "postgres-6.8.kern.log", 1, 1 },
		{ "postgres-6.8.messages", 1, 1 },
		{ "postgres-6.8.journal.txt", 1, 1 },
	};
	for (size_t i = 0; i < sizeof(containers) / sizeof(containers[0]); i++) {
		db = xasprintf("%s/t%zu.db", tmpl, i);
		st = NULL;
		CHECK(store_open(db, STORE_WRITE, &st, &err) == 0, "open: %s", err);
		if (st) {
			check_container(cls, st, dir, containers[i].name,
					containers[i].wall, containers[i].host);
			store_close(st);
		}
		for (int k = 0; k < 3; k++) {
			char *f = xasprintf("%s%s", db, k == 0 ? "" : k == 1
							  ? "-wal" : "-shm");

			unlink(f);
			free(f);
		}
		free(db);
	}
	classify_free(cls);
	rmdir(tmpl);
	free(facts);
	return check_done("test-export");
}
