/*
 * test-store.c: the store round-trips a report exactly (known bits, NULLs,
 * raw text), orders and filters events, and refuses databases that are
 * not its own; a diagnosis filled by hand comes back as it was saved.
 * Each test works in a fresh mkdtemp() directory and looks
 * at the file with a plain sqlite3 connection as well.
 */
#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "check.h"
#include "diagnosis.h"
#include "oom.h"
#include "schema.h"
#include "store.h"
#include "xalloc.h"

static char *tmpdir;

static char *tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

/* A second, independent connection: what `oomlens sql` or sqlite3(1) see. */
static sqlite3 *raw_open(const char *path, int flags)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		fprintf(stderr, "raw_open %s: %s\n", path,
			db ? sqlite3_errmsg(db) : "?");
		sqlite3_close(db);
		return NULL;
	}
	return db;
}

/* First column of the first row as an integer; INT64_MIN on any error,
 * which no check below expects. */
static int64_t raw_int(const char *path, const char *sql, int64_t arg)
{
	sqlite3 *db = raw_open(path, SQLITE_OPEN_READWRITE);
	sqlite3_stmt *s = NULL;
	int64_t v = INT64_MIN;

	if (!db)
		return v;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "raw_int: %s: %s\n", sql, sqlite3_errmsg(db));
	} else {
		if (sqlite3_bind_parameter_count(s) > 0)
			sqlite3_bind_int64(s, 1, arg);
		if (sqlite3_step(s) == SQLITE_ROW &&
		    sqlite3_column_type(s, 0) != SQLITE_NULL)
			v = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* Same, text; the caller frees; NULL on error or NULL value. */
static char *raw_text(const char *path, const char *sql)
{
	sqlite3 *db = raw_open(path, SQLITE_OPEN_READWRITE);
	sqlite3_stmt *s = NULL;
	char *v = NULL;

	if (!db)
		return NULL;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		v = xstrdup((const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

/* Creates the file when missing, to make foreign databases. */
static int raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = raw_open(path,
			       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	char *msg = NULL;
	int rc;

	if (!db)
		return -1;
	rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK)
		fprintf(stderr, "raw_exec: %s: %s\n", sql, msg);
	sqlite3_free(msg);
	sqlite3_close(db);
	return rc == SQLITE_OK ? 0 : -1;
}

static int contains(const char *s, const char *sub)
{
	return s && strstr(s, sub) != NULL;
}

#define CHECK_OPT_STR(a, b)						\
	do {								\
		const char *opt_a_ = (a), *opt_b_ = (b);		\
		if (opt_b_)						\
			CHECK_STR(opt_a_, opt_b_);			\
		else							\
			CHECK(opt_a_ == NULL, "%s = \"%s\", want NULL",	\
			      #a, opt_a_);				\
	} while (0)

static const char rich_raw[] =
	"[ 8123.000330] java invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=-1000\n"
	"[ 8123.000400] CPU: 3 PID: 4242 Comm: java Not tainted 6.1.0-13-amd64 #1 Debian\n"
	"[ 8123.000410] Hardware name: QEMU \"Standard PC\" (Q35 + ICH9, 2009)\n"
	"[ 8123.000500] [  pid  ]   uid  tgid total_vm      rss\tname\n"
	"[ 8123.000600] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0-1\n"
	"[ 8123.000700] Memory cgroup out of memory: Killed process 4243 (java worker) \\ caf\xc3\xa9\n"
	"[ 8123.100000] oom_reaper: reaped process 4243 (java worker), now anon-rss:12kB, file-rss:0kB, shmem-rss:7kB";

/* Every kind of field, with zeros that are known, negatives, huge values
 * and holes, so a stored 0 and a NULL cannot be mixed up unnoticed. */
static struct oom_report *rich_report(void)
{
	struct oom_report *r = oom_report_new();
	struct oom_task *t;
	struct oom_kill *k;
	struct oom_zone *z;

	r->known = RK_WALL | RK_KTIME | RK_ORDER | RK_TRIGGER_PID |
		   RK_TRIGGER_ADJ | RK_SELECTED | RK_SCORE | RK_TRIGGER_UID |
		   RK_TOTALPAGES;
	r->flags = REPORT_CUT | REPORT_YEAR_GUESSED | REPORT_TOO_LONG;
	r->host = xstrdup("db1");
	r->boot_id = xstrdup("3c4f8a0e2b1d4c6f9e7a5b3d1f0e2c4a");
	r->wall_us = INT64_C(1700000000123456);
	r->ktime_us = INT64_C(8123000330);
	r->first_line = 100;
	r->last_line = 107;
	r->trigger_comm = xstrdup("java");
	r->trigger_pid = 4242;
	r->trigger_uid = 1000;
	r->gfp_mask = xstrdup("0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)");
	r->order = 0;		/* known zero */
	r->trigger_adj = -1000;
	r->kernel_release = xstrdup("6.1.0-13-amd64");
	r->hardware = xstrdup("QEMU \"Standard PC\" (Q35 + ICH9, 2009)");
	r->constraint = xstrdup(CONSTRAINT_MEMCG_NAME);
	r->nodemask = xstrdup("(null)");
	r->cpuset = xstrdup("/");
	r->mems_allowed = xstrdup("0-1");
	r->oom_memcg = xstrdup("/kubepods/burstable/pod1");
	r->task_memcg = xstrdup("/kubepods/burstable/pod1/c1");
	r->selected_comm = xstrdup("java worker");
	r->selected_pid = 4243;
	r->selected_uid = 0;	/* root: known zero */
	r->selected_score = 987;

	for (int f = 0; f < MEM_FIELD_COUNT; f++)
		mem_set(r, f, (uint64_t)f * 1000 + 7);
	/* holes, and a known zero */
	r->mem_known &= ~(UINT64_C(1) << MEM_FREE_CMA);
	r->mem_known &= ~(UINT64_C(1) << MEM_HWPOISONED_PAGES);
	r->mem[MEM_FREE_CMA] = 0;
	r->mem[MEM_HWPOISONED_PAGES] = 0;
	mem_set(r, MEM_HIGHMEM_PAGES, 0);
	mem_set(r, MEM_PAGE_SIZE_KB, 64);

	r->memcg[MEMCG_MEMORY] =
		(struct memcg_usage){ 1, 2097152, 2097152, 45 };
	r->memcg[MEMCG_SWAP] =
		(struct memcg_usage){ 1, 10, MEMCG_UNLIMITED_KB * 2 - 4, 0 };
	r->memcg[MEMCG_KMEM] = (struct memcg_usage){ 1, 0, 0, 0 };
	r->memcg_stats_path = xstrdup("/kubepods/burstable/pod1");
	r->memcg_stats =
		xstrdup("anon 2147483648\nfile 0\nkernel_stack 65536\n");
	r->layout = LAYOUT_RSS_SPLIT;
	r->group_kill_memcg = xstrdup("/kubepods/burstable/pod1");
	r->totalpages = 524288;
	r->raw = xstrdup(rich_raw);
	r->raw_len = strlen(rich_raw);

	t = oom_report_add_task(r);	/* 6.8+ row, ranked */
	t->known = TASK_UID | TASK_TGID | TASK_TOTAL_VM | TASK_RSS |
		   TASK_RSS_SPLIT | TASK_PGTABLES | TASK_SWAPENTS | TASK_ADJ |
		   TASK_POINTS;
	t->pid = 4243;
	t->uid = 0;
	t->tgid = 4243;
	t->total_vm = 1234567;
	t->rss = 524000;
	t->rss_anon = 500000;
	t->rss_file = 24000;
	t->rss_shmem = 0;
	t->pgtables_bytes = 4411392;
	t->swapents = 0;
	t->oom_score_adj = 0;
	t->points = 524100;
	t->rank = 1;
	t->name = xstrdup("java worker");
	t->line = 104;

	t = oom_report_add_task(r);	/* RHEL 6 row, not ranked */
	t->known = TASK_UID | TASK_TOTAL_VM | TASK_RSS | TASK_CPU |
		   TASK_OOM_ADJ | TASK_POINTS;
	t->pid = 17;
	t->uid = 1000;
	t->total_vm = 100;
	t->rss = 50;
	t->cpu = 0;
	t->oom_adj = -17;
	t->points = -20;
	t->name = xstrdup("kworker/u8:2 with spaces");
	t->line = 105;

	t = oom_report_add_task(r);	/* pid only */
	t->pid = 1;
	t->name = xstrdup("init");
	t->line = 106;

	t = oom_report_add_task(r);	/* 4.0-4.14 row, known zeros */
	t->known = TASK_NR_PTES | TASK_NR_PMDS | TASK_ADJ | TASK_SWAPENTS;
	t->pid = 2;
	t->nr_ptes = 0;
	t->nr_pmds = 3;
	t->swapents = 9;
	t->oom_score_adj = -1000;
	t->rank = 7;
	t->name = xstrdup("sshd");
	t->line = 107;

	t = oom_report_add_task(r);	/* past INT64_MAX: same bits back */
	t->known = TASK_TOTAL_VM;
	t->pid = 3;
	t->total_vm = UINT64_MAX - 5;
	t->name = xstrdup("huge");
	t->line = 108;

	k = oom_report_add_kill(r);
	k->known = KILL_UID | KILL_TOTAL_VM | KILL_ANON_RSS | KILL_FILE_RSS |
		   KILL_SHMEM_RSS | KILL_PGTABLES | KILL_ADJ | KILL_REAPED;
	k->pid = 4243;
	k->comm = xstrdup("java worker");
	k->reason = xstrdup("Memory cgroup out of memory");
	k->uid = 0;
	k->total_vm_kb = 4938268;
	k->anon_rss_kb = 2000000;
	k->file_rss_kb = 96000;
	k->shmem_rss_kb = 0;
	k->pgtables_kb = 4308;
	k->oom_score_adj = -998;
	k->reap = REAP_REAPED;
	k->reaped_anon_kb = 12;
	k->reaped_file_kb = 0;
	k->reaped_shmem_kb = 7;
	k->line = 106;

	k = oom_report_add_kill(r);
	k->known = KILL_UID | KILL_TOTAL_VM;
	k->pid = 4300;
	k->comm = xstrdup("sh");
	k->uid = 33;
	k->total_vm_kb = 2200;
	k->reap = REAP_UNABLE;
	k->line = 107;

	z = oom_report_add_zone(r);
	z->node = 0;
	z->name = xstrdup("DMA");
	z->known = (1 << ZONE_FIELD_COUNT) - 1;
	for (int i = 0; i < ZONE_FIELD_COUNT; i++)
		z->values[i] = 15000 + (uint64_t)i;
	z->values[ZONE_MIN] = 0;

	z = oom_report_add_zone(r);
	z->node = 1;
	z->name = xstrdup("Normal");
	z->known = 1 << ZONE_FREE | 1 << ZONE_MIN | 1 << ZONE_LOW |
		   1 << ZONE_HIGH;
	z->values[ZONE_FREE] = 44632;
	z->values[ZONE_MIN] = 44720;
	z->values[ZONE_LOW] = 55900;
	z->values[ZONE_HIGH] = 67080;

	z = oom_report_add_zone(r);	/* CONFIG_NUMA=n, nothing known */
	z->name = xstrdup("DMA32");
	return r;
}

/* What a headless "Killed process" line gives: almost nothing. */
static struct oom_report *bare_report(uint64_t first_line)
{
	struct oom_report *r = oom_report_new();
	struct oom_kill *k = oom_report_add_kill(r);

	r->flags = REPORT_NO_HEADER;
	r->first_line = r->last_line = first_line;
	/* distinct OOMs: the store keeps one copy of the same one */
	k->pid = 1000 + (int64_t)first_line;
	k->comm = xstrdup("victim");
	k->line = first_line;
	return r;
}

static void compare_reports(const struct oom_report *a,
			    const struct oom_report *b)
{
	CHECK_EQ(a->known, b->known);
	CHECK_EQ(a->flags, b->flags);
	CHECK_OPT_STR(a->host, b->host);
	CHECK_OPT_STR(a->boot_id, b->boot_id);
	CHECK_EQ(a->wall_us, b->wall_us);
	CHECK_EQ(a->ktime_us, b->ktime_us);
	CHECK_EQ(a->first_line, b->first_line);
	CHECK_EQ(a->last_line, b->last_line);
	CHECK_OPT_STR(a->trigger_comm, b->trigger_comm);
	CHECK_EQ(a->trigger_pid, b->trigger_pid);
	CHECK_EQ(a->trigger_uid, b->trigger_uid);
	CHECK_OPT_STR(a->gfp_mask, b->gfp_mask);
	CHECK_EQ(a->order, b->order);
	CHECK_EQ(a->trigger_adj, b->trigger_adj);
	CHECK_OPT_STR(a->kernel_release, b->kernel_release);
	CHECK_OPT_STR(a->hardware, b->hardware);
	CHECK_OPT_STR(a->constraint, b->constraint);
	CHECK_OPT_STR(a->nodemask, b->nodemask);
	CHECK_OPT_STR(a->cpuset, b->cpuset);
	CHECK_OPT_STR(a->mems_allowed, b->mems_allowed);
	CHECK_OPT_STR(a->oom_memcg, b->oom_memcg);
	CHECK_OPT_STR(a->task_memcg, b->task_memcg);
	CHECK_OPT_STR(a->selected_comm, b->selected_comm);
	CHECK_EQ(a->selected_pid, b->selected_pid);
	CHECK_EQ(a->selected_uid, b->selected_uid);
	CHECK_EQ(a->selected_score, b->selected_score);

	CHECK_EQ(a->mem_known, b->mem_known);
	for (int f = 0; f < MEM_FIELD_COUNT; f++)
		CHECK(a->mem[f] == b->mem[f], "mem %s: %" PRIu64 " != %" PRIu64,
		      mem_field_names[f], a->mem[f], b->mem[f]);
	for (int c = 0; c < MEMCG_COUNTER_COUNT; c++) {
		const struct memcg_usage *x = &a->memcg[c], *y = &b->memcg[c];

		CHECK(x->known == y->known && x->usage_kb == y->usage_kb &&
		      x->limit_kb == y->limit_kb && x->failcnt == y->failcnt,
		      "memcg %s: %d %" PRIu64 " %" PRIu64 " %" PRIu64
		      " != %d %" PRIu64 " %" PRIu64 " %" PRIu64,
		      memcg_counter_names[c], x->known, x->usage_kb,
		      x->limit_kb, x->failcnt, y->known, y->usage_kb,
		      y->limit_kb, y->failcnt);
	}
	CHECK_OPT_STR(a->memcg_stats_path, b->memcg_stats_path);
	CHECK_OPT_STR(a->memcg_stats, b->memcg_stats);
	CHECK_EQ(a->layout, b->layout);
	CHECK_OPT_STR(a->group_kill_memcg, b->group_kill_memcg);
	CHECK_EQ(a->totalpages, b->totalpages);
	CHECK_OPT_STR(a->raw, b->raw);
	CHECK_EQ(a->raw_len, b->raw_len);

	CHECK_EQ(a->n_tasks, b->n_tasks);
	for (size_t i = 0; i < a->n_tasks && i < b->n_tasks; i++) {
		const struct oom_task *x = &a->tasks[i], *y = &b->tasks[i];

		CHECK_EQ(x->known, y->known);
		CHECK_EQ(x->pid, y->pid);
		CHECK_EQ(x->uid, y->uid);
		CHECK_EQ(x->tgid, y->tgid);
		CHECK_EQ(x->total_vm, y->total_vm);
		CHECK_EQ(x->rss, y->rss);
		CHECK_EQ(x->rss_anon, y->rss_anon);
		CHECK_EQ(x->rss_file, y->rss_file);
		CHECK_EQ(x->rss_shmem, y->rss_shmem);
		CHECK_EQ(x->pgtables_bytes, y->pgtables_bytes);
		CHECK_EQ(x->nr_ptes, y->nr_ptes);
		CHECK_EQ(x->nr_pmds, y->nr_pmds);
		CHECK_EQ(x->swapents, y->swapents);
		CHECK_EQ(x->oom_score_adj, y->oom_score_adj);
		CHECK_EQ(x->cpu, y->cpu);
		CHECK_EQ(x->oom_adj, y->oom_adj);
		CHECK_EQ(x->points, y->points);
		CHECK_EQ(x->rank, y->rank);
		CHECK_OPT_STR(x->name, y->name);
		CHECK_EQ(x->line, y->line);
	}

	CHECK_EQ(a->n_kills, b->n_kills);
	for (size_t i = 0; i < a->n_kills && i < b->n_kills; i++) {
		const struct oom_kill *x = &a->kills[i], *y = &b->kills[i];

		CHECK_EQ(x->known, y->known);
		CHECK_EQ(x->pid, y->pid);
		CHECK_OPT_STR(x->comm, y->comm);
		CHECK_OPT_STR(x->reason, y->reason);
		CHECK_EQ(x->uid, y->uid);
		CHECK_EQ(x->total_vm_kb, y->total_vm_kb);
		CHECK_EQ(x->anon_rss_kb, y->anon_rss_kb);
		CHECK_EQ(x->file_rss_kb, y->file_rss_kb);
		CHECK_EQ(x->shmem_rss_kb, y->shmem_rss_kb);
		CHECK_EQ(x->pgtables_kb, y->pgtables_kb);
		CHECK_EQ(x->oom_score_adj, y->oom_score_adj);
		CHECK_EQ(x->reap, y->reap);
		CHECK_EQ(x->reaped_anon_kb, y->reaped_anon_kb);
		CHECK_EQ(x->reaped_file_kb, y->reaped_file_kb);
		CHECK_EQ(x->reaped_shmem_kb, y->reaped_shmem_kb);
		CHECK_EQ(x->line, y->line);
	}

	CHECK_EQ(a->n_zones, b->n_zones);
	for (size_t i = 0; i < a->n_zones && i < b->n_zones; i++) {
		const struct oom_zone *x = &a->zones[i], *y = &b->zones[i];

		CHECK_EQ(x->node, y->node);
		CHECK_OPT_STR(x->name, y->name);
		CHECK_EQ(x->known, y->known);
		for (int f = 0; f < ZONE_FIELD_COUNT; f++)
			CHECK(x->values[f] == y->values[f],
			      "zone %zu %s: %" PRIu64 " != %" PRIu64, i,
			      zone_field_names[f], x->values[f], y->values[f]);
	}
}

/* Open in write mode, failing the test (not crashing) when it cannot. */
static struct store *open_write(const char *path)
{
	struct store *st = NULL;
	char *err = NULL;
	int r = store_open(path, STORE_WRITE, &st, &err);

	CHECK(r == 0 && st && !err, "store_open(%s): %d %s", path, r,
	      err ? err : "");
	free(err);
	return st;
}

/* Expect store_open to refuse; returns its message (caller frees). */
static char *open_refused(const char *path, enum store_mode mode, int *ret_r)
{
	struct store *st = NULL;
	char *err = NULL;
	int r = store_open(path, mode, &st, &err);

	CHECK(r < 0, "store_open(%s) = %d, want < 0", path, r);
	CHECK(st == NULL, "store_open(%s) failed but gave a store", path);
	CHECK(err != NULL, "store_open(%s) failed without a message", path);
	store_close(st);
	if (ret_r)
		*ret_r = r;
	return err;
}

static void test_round_trip(void)
{
	char *path = tmp_path("new/sub/oomlens.db");
	char *dir = tmp_path("new");
	struct oom_report *rich = rich_report(), *bare = bare_report(500);
	struct oom_report *got = NULL;
	struct store *st;
	int64_t src = 0, id_rich = 0, id_bare = 0;
	char *text = NULL, *err = NULL;
	struct stat sb = { 0 };
	int r;

	st = open_write(path);
	if (!st)
		goto out;
	CHECK(stat(dir, &sb) == 0 && (sb.st_mode & 0777) == 0700,
	      "parent directory %s mode %o, want 0700", dir,
	      (unsigned)sb.st_mode & 0777);
	CHECK_EQ(store_begin(st), 0);
	CHECK_EQ(store_add_source(st, "/var/log/kern.log", "db1", &src), 0);
	CHECK(src > 0, "source id %" PRId64, src);
	CHECK_EQ(store_save_report(st, src, rich, &id_rich, NULL), 0);
	CHECK_EQ(store_save_report(st, src, bare, &id_bare, NULL), 0);
	CHECK(id_rich > 0 && id_bare > 0 && id_rich != id_bare,
	      "event ids %" PRId64 " %" PRId64, id_rich, id_bare);
	CHECK_EQ(store_commit(st), 0);
	store_close(st);

	/* What another client sees in the file. */
	CHECK_EQ(raw_int(path, "PRAGMA application_id", 0), 0x4F4F4D4C);
	CHECK_EQ(raw_int(path, "PRAGMA user_version", 0),
		 store_schema_version());
	CHECK_EQ(store_schema_version(), (int64_t)schema_n_migrations);
	CHECK(store_schema_version() >= 1, "schema version %d",
	      store_schema_version());
	text = raw_text(path, "PRAGMA journal_mode");
	CHECK_STR(text, "wal");
	free(text);
	CHECK_EQ(raw_int(path, "SELECT alloc_order FROM events WHERE id = ?",
			 id_rich), 0);
	CHECK_EQ(raw_int(path, "SELECT free_cma IS NULL AND "
			 "hwpoisoned_pages IS NULL AND highmem_pages = 0 AND "
			 "page_size_kb = 64 AND memcg_memsw_usage_kb IS NULL "
			 "AND memcg_kmem_failcnt = 0 AND flags = 4640 "
			 "FROM events WHERE id = ?", id_rich), 1);
	CHECK_EQ(raw_int(path, "SELECT wall_us IS NULL AND ktime_us IS NULL "
			 "AND alloc_order IS NULL AND trigger_pid IS NULL "
			 "AND selected_pid IS NULL AND free IS NULL AND "
			 "memcg_usage_kb IS NULL AND totalpages IS NULL AND "
			 "NOT EXISTS (SELECT 1 FROM event_text WHERE "
			 "event_id = events.id) AND host IS NULL AND flags = 1 "
			 "FROM events WHERE id = ?", id_bare), 1);
	CHECK_EQ(raw_int(path, "SELECT uid IS NULL AND tgid IS NULL AND "
			 "total_vm IS NULL AND rss IS NULL AND points IS NULL "
			 "AND rank IS NULL AND swapents IS NULL "
			 "FROM tasks WHERE event_id = ? AND seq = 2", id_rich),
		 1);
	CHECK_EQ(raw_int(path, "SELECT count(*) FROM tasks WHERE event_id = ? "
			 "AND rss_anon IS NOT NULL", id_rich), 1);
	CHECK_EQ(raw_int(path, "SELECT reap_state = 'reaped' FROM kills "
			 "WHERE event_id = ? AND seq = 0", id_rich), 1);
	CHECK_EQ(raw_int(path, "SELECT reap_state = 'unable' AND reason IS NULL "
			 "AND anon_rss_kb IS NULL AND reaped_anon_kb IS NULL "
			 "FROM kills WHERE event_id = ? AND seq = 1", id_rich), 1);
	CHECK_EQ(raw_int(path, "SELECT node IS NULL AND free_kb IS NULL FROM "
			 "zones WHERE event_id = ? AND seq = 2", id_rich), 1);
	CHECK_EQ(raw_int(path, "SELECT count(*) FROM victims WHERE event_id = ? "
			 "AND constraint_name = 'memcg'", id_rich), 2);
	CHECK_EQ(raw_int(path, "SELECT added_at FROM sources", 0) / 1000000 >
			 INT64_C(1600000000), 1);

	r = store_open(path, STORE_READ, &st, &err);
	CHECK(r == 0 && st, "read-only open: %d %s", r, err ? err : "");
	free(err);
	if (!st)
		goto out;
	r = store_load_event(st, id_rich, &got);
	CHECK_EQ(r, 0);
	if (got)
		compare_reports(got, rich);
	oom_report_free(got);
	got = NULL;
	r = store_load_event(st, id_bare, &got);
	CHECK_EQ(r, 0);
	if (got)
		compare_reports(got, bare);
	oom_report_free(got);
	got = (struct oom_report *)&got;	/* must be reset on failure */
	r = store_load_event(st, id_bare + 1000, &got);
	CHECK_EQ(r, -ENOENT);
	CHECK(got == NULL, "failed load left *ret set");
	CHECK(contains(store_errmsg(st), "no event"), "errmsg \"%s\"",
	      store_errmsg(st));

	CHECK_EQ(store_event_source(st, id_rich, &text), 0);
	CHECK_STR(text, "/var/log/kern.log");
	free(text);
	text = NULL;
	CHECK_EQ(store_event_source(st, id_bare + 1000, &text), -ENOENT);
	CHECK(text == NULL, "failed store_event_source set a path");

	/* read-only means read-only */
	r = store_add_source(st, "-", NULL, &src);
	CHECK(r < 0, "add_source on a read-only store = %d", r);
	CHECK(contains(store_errmsg(st), "insert source: "),
	      "errmsg \"%s\"", store_errmsg(st));
	store_close(st);

	/* reopening an up-to-date database migrates nothing */
	st = open_write(path);
	store_close(st);
	CHECK_EQ(raw_int(path, "SELECT count(*) FROM events", 0), 2);
	CHECK_EQ(raw_int(path, "PRAGMA user_version", 0),
		 store_schema_version());
out:
	oom_report_free(rich);
	oom_report_free(bare);
	free(path);
	free(dir);
}

static void check_ids(struct store *st, const struct event_filter *f,
		      const int64_t *want, size_t n_want, const char *what)
{
	int64_t *ids = NULL;
	size_t n = 0;
	int r = store_event_ids(st, f, &ids, &n);

	CHECK(r == 0, "%s: store_event_ids = %d: %s", what, r,
	      store_errmsg(st));
	CHECK(n == n_want, "%s: %zu events, want %zu", what, n, n_want);
	for (size_t i = 0; i < n && i < n_want; i++)
		CHECK(ids[i] == want[i],
		      "%s: [%zu] = %" PRId64 ", want %" PRId64, what, i,
		      ids[i], want[i]);
	free(ids);
}

static int64_t save_at(struct store *st, int64_t src, const char *host,
		       int has_wall, int64_t wall, uint64_t line)
{
	struct oom_report *r = bare_report(line);
	int64_t id = 0;
	int rc;

	r->host = xstrdup(host);
	if (has_wall) {
		r->known |= RK_WALL;
		r->wall_us = wall;
	}
	rc = store_save_report(st, src, r, &id, NULL);
	CHECK(rc == 0, "save %s@%" PRId64 ": %s", host, wall, store_errmsg(st));
	oom_report_free(r);
	return id;
}

static void test_order_and_filters(void)
{
	char *path = tmp_path("order.db");
	struct store *st = open_write(path);
	struct event_filter f;
	int64_t s1 = 0, s2 = 0, a, b, c, d, e, g;

	if (!st)
		goto out;
	CHECK_EQ(store_begin(st), 0);
	CHECK_EQ(store_add_source(st, "one.log", NULL, &s1), 0);
	CHECK_EQ(store_add_source(st, "two.log", "h1", &s2), 0);
	CHECK(s1 < s2, "source ids %" PRId64 " %" PRId64, s1, s2);
	/* saved out of order on purpose */
	c = save_at(st, s1, "h1", 0, 0, 5);
	a = save_at(st, s1, "h1", 1, 3000, 10);
	d = save_at(st, s2, "h1", 1, 2000, 1);
	e = save_at(st, s1, "h2", 0, 0, 2);
	b = save_at(st, s1, "h2", 1, 1000, 20);
	g = save_at(st, s1, "h1", 1, 2000, 50);
	CHECK_EQ(store_commit(st), 0);

	/* time, then source, then line; no wall clock last */
	check_ids(st, NULL, (int64_t[]){ b, g, d, a, e, c }, 6, "all");
	f = (struct event_filter){ 0 };
	check_ids(st, &f, (int64_t[]){ b, g, d, a, e, c }, 6, "empty filter");
	f = (struct event_filter){ .host = "h1" };
	check_ids(st, &f, (int64_t[]){ g, d, a, c }, 4, "host h1");
	f = (struct event_filter){ .host = "nope" };
	check_ids(st, &f, NULL, 0, "host nope");
	f = (struct event_filter){ .since_us = 2000, .has_since = 1 };
	check_ids(st, &f, (int64_t[]){ g, d, a }, 3, "since 2000");
	f = (struct event_filter){ .until_us = 2000, .has_until = 1 };
	check_ids(st, &f, (int64_t[]){ b }, 1, "until 2000");
	f = (struct event_filter){ .since_us = 1500, .has_since = 1,
				   .until_us = 3000, .has_until = 1 };
	check_ids(st, &f, (int64_t[]){ g, d }, 2, "1500..3000");
	/* unset has_since: since_us does not filter */
	f = (struct event_filter){ .since_us = 2500, .host = "h2" };
	check_ids(st, &f, (int64_t[]){ b, e }, 2, "host h2, since unset");
	f = (struct event_filter){ .since_us = 0, .has_since = 1,
				   .host = "h2" };
	check_ids(st, &f, (int64_t[]){ b }, 1, "host h2 since 0");
	/* list -n, --reverse: the newest, then the order turned */
	f = (struct event_filter){ .last = 2 };
	check_ids(st, &f, (int64_t[]){ e, c }, 2, "last 2");
	f = (struct event_filter){ .last = 9 };
	check_ids(st, &f, (int64_t[]){ b, g, d, a, e, c }, 6, "last 9");
	f = (struct event_filter){ .reverse = 1 };
	check_ids(st, &f, (int64_t[]){ c, e, a, d, g, b }, 6, "reverse");
	f = (struct event_filter){ .reverse = 1, .last = 3, .host = "h1" };
	check_ids(st, &f, (int64_t[]){ c, a, d }, 3, "h1, last 3, reverse");
	/* no event has a boot: --boot finds none */
	f = (struct event_filter){ .has_boot_offset = 1 };
	check_ids(st, &f, NULL, 0, "boot 0, no boot known");
	store_close(st);

	/* ON DELETE CASCADE: a source takes its events and their rows */
	CHECK_EQ(raw_exec(path, "PRAGMA foreign_keys = ON; "
			  "DELETE FROM sources WHERE path = 'one.log'"), 0);
	CHECK_EQ(raw_int(path, "SELECT count(*) FROM events", 0), 1);
	CHECK_EQ(raw_int(path, "SELECT count(*) FROM kills", 0), 1);
out:
	free(path);
}

static void test_refuse_newer(void)
{
	char *path = tmp_path("newer.db");
	struct store *st = open_write(path);
	char *err;
	int r = 0;

	store_close(st);
	CHECK_EQ(raw_exec(path, "PRAGMA user_version = 999"), 0);
	for (int mode = STORE_READ; mode <= STORE_WRITE; mode++) {
		err = open_refused(path, mode, &r);
		CHECK(contains(err, "newer") && contains(err, "999") &&
		      contains(err, path) && contains(err, "upgrade oomlens"),
		      "mode %d: \"%s\"", mode, err ? err : "(null)");
		free(err);
	}
	CHECK_EQ(raw_int(path, "PRAGMA user_version", 0), 999);
	free(path);
}

static void test_refuse_foreign(void)
{
	char *path = tmp_path("foreign.db");
	char *text = tmp_path("notes.txt");
	char *noid = tmp_path("noid.db");
	char *err, *mode;
	FILE *fp;

	CHECK_EQ(raw_exec(path, "PRAGMA application_id = 1234; "
			  "CREATE TABLE t (x); INSERT INTO t VALUES (1)"), 0);
	for (int m = STORE_READ; m <= STORE_WRITE; m++) {
		err = open_refused(path, m, NULL);
		CHECK(contains(err, "is not an oomlens database") &&
		      contains(err, path), "mode %d: \"%s\"", m,
		      err ? err : "(null)");
		free(err);
	}
	/* untouched: no schema, no WAL, same id */
	CHECK_EQ(raw_int(path, "PRAGMA application_id", 0), 1234);
	CHECK_EQ(raw_int(path, "SELECT count(*) FROM sqlite_master", 0), 1);
	mode = raw_text(path, "PRAGMA journal_mode");
	CHECK_STR(mode, "delete");
	free(mode);

	/* another program's database that never set an application_id */
	CHECK_EQ(raw_exec(noid, "CREATE TABLE sources (x)"), 0);
	err = open_refused(noid, STORE_WRITE, NULL);
	CHECK(contains(err, "is not an oomlens database"), "\"%s\"",
	      err ? err : "(null)");
	free(err);
	CHECK_EQ(raw_int(noid, "SELECT count(*) FROM sqlite_master", 0), 1);

	/* not SQLite at all */
	fp = fopen(text, "w");
	CHECK(fp != NULL, "cannot create %s", text);
	if (fp) {
		for (int i = 0; i < 200; i++)
			fputs("not a database, a text file\n", fp);
		fclose(fp);
		err = open_refused(text, STORE_WRITE, NULL);
		CHECK(contains(err, "is not an oomlens database"), "\"%s\"",
		      err ? err : "(null)");
		free(err);
		err = open_refused(text, STORE_READ, NULL);
		CHECK(contains(err, "is not an oomlens database"), "\"%s\"",
		      err ? err : "(null)");
		free(err);
	}
	free(path);
	free(text);
	free(noid);
}

static void test_read_missing_and_old(void)
{
	char *path = tmp_path("missing/oomlens.db");
	char *dir = tmp_path("missing");
	char *empty = tmp_path("empty.db");
	char *old = tmp_path("old.db");
	struct store *st;
	char *err;
	FILE *fp;
	int r = 0;

	err = open_refused(path, STORE_READ, &r);
	CHECK_EQ(r, -ENOENT);
	CHECK(contains(err, "no database at '") && contains(err, path) &&
	      contains(err, "run 'oomlens ingest' first"), "\"%s\"",
	      err ? err : "(null)");
	free(err);
	CHECK(access(dir, F_OK) < 0 && errno == ENOENT,
	      "read mode created %s", dir);

	/* an empty file is a fresh database: nothing to read yet, and
	 * write mode takes it */
	fp = fopen(empty, "w");
	CHECK(fp != NULL, "cannot create %s", empty);
	if (fp)
		fclose(fp);
	err = open_refused(empty, STORE_READ, NULL);
	CHECK(contains(err, "oomlens ingest"), "\"%s\"", err ? err : "(null)");
	free(err);
	st = open_write(empty);
	store_close(st);
	CHECK_EQ(raw_int(empty, "PRAGMA user_version", 0),
		 store_schema_version());

	/* an older schema is not migrated behind a reader's back */
	st = open_write(old);
	store_close(st);
	CHECK_EQ(raw_exec(old, "PRAGMA user_version = 0"), 0);
	err = open_refused(old, STORE_READ, NULL);
	CHECK(contains(err, "oomlens ingest"), "\"%s\"", err ? err : "(null)");
	free(err);
	CHECK_EQ(raw_int(old, "PRAGMA user_version", 0), 0);
	free(path);
	free(dir);
	free(empty);
	free(old);
}

static void test_rollback_and_errors(void)
{
	char *path = tmp_path("rollback.db");
	struct store *st = open_write(path);
	struct oom_report *rich = rich_report(), *bad = bare_report(900);
	struct oom_task *t;
	int64_t src = 0, id = 0, *ids = NULL;
	struct oom_report *got = NULL;
	size_t n = 99;
	int r;

	if (!st)
		goto out;
	CHECK_EQ(store_rollback(st), 0);	/* nothing open: no error */
	CHECK_EQ(store_begin(st), 0);
	CHECK_EQ(store_add_source(st, "gone.log", NULL, &src), 0);
	CHECK_EQ(store_save_report(st, src, rich, &id, NULL), 0);
	CHECK_EQ(store_rollback(st), 0);
	CHECK_EQ(store_event_ids(st, NULL, &ids, &n), 0);
	CHECK_EQ(n, 0);
	free(ids);
	CHECK_EQ(store_load_event(st, id, &got), -ENOENT);
	CHECK_EQ(raw_int(path, "SELECT count(*) FROM sources", 0), 0);
	CHECK_EQ(raw_int(path, "SELECT count(*) FROM tasks", 0), 0);

	/* A failing report leaves nothing, and the transaction goes on. */
	CHECK_EQ(store_begin(st), 0);
	CHECK_EQ(store_add_source(st, "kept.log", NULL, &src), 0);
	{
		int copy = -1;

		CHECK_EQ(store_save_report(st, src, rich, &id, &copy), 0);
		CHECK(copy == 0, "the first one is new");
	}
	/* the same report again is a copy: stored once, not an error */
	{
		int64_t again = 0;
		int copy = 0;

		CHECK_EQ(store_save_report(st, src, rich, &again, &copy), 0);
		CHECK(copy != 0, "the second is a copy");
		CHECK_EQ(again, id);
	}
	t = oom_report_add_task(bad);
	t->pid = 5;	/* and no name: the NOT NULL column refuses */
	r = store_save_report(st, src, bad, NULL, NULL);
	CHECK_EQ(r, -EIO);
	CHECK(!strncmp(store_errmsg(st), "insert task: ", 13) &&
	      contains(store_errmsg(st), "NOT NULL"), "errmsg \"%s\"",
	      store_errmsg(st));
	t->name = xstrdup("named");
	bad->first_line = 901;
	CHECK_EQ(store_save_report(st, src, bad, NULL, NULL), 0);
	CHECK_EQ(store_commit(st), 0);
	CHECK_EQ(raw_int(path, "SELECT count(*) FROM events", 0), 2);
	CHECK_EQ(raw_int(path, "SELECT count(*) FROM events "
			 "WHERE first_line = 900", 0), 0);
	CHECK_EQ(raw_int(path, "SELECT count(*) FROM tasks", 0),
		 (int64_t)rich->n_tasks + 1);
	CHECK_EQ(store_commit(st) < 0, 1);	/* none open */
	CHECK(contains(store_errmsg(st), "commit: "), "errmsg \"%s\"",
	      store_errmsg(st));

	/* Outside a transaction a report commits on its own, and a failed
	 * one leaves no transaction open behind it. */
	bad->first_line = 902;
	CHECK_EQ(store_save_report(st, src, bad, NULL, NULL), 0);
	CHECK_EQ(raw_int(path, "SELECT count(*) FROM events", 0), 3);
	CHECK_EQ(store_save_report(st, src, bad, NULL, NULL), -EIO);
	CHECK_EQ(store_begin(st), 0);
	CHECK_EQ(store_rollback(st), 0);
	CHECK_EQ(raw_int(path, "SELECT count(*) FROM events", 0), 3);
	store_close(st);
out:
	oom_report_free(rich);
	oom_report_free(bad);
	free(path);
}

/* Readers do not wait for, nor see, an ingest in progress (WAL), and a
 * finished query holds no snapshot that hides a later commit. */
static void test_concurrent_reader(void)
{
	char *path = tmp_path("wal.db");
	struct store *w = open_write(path), *rd = NULL;
	struct oom_report *r = bare_report(1);
	int64_t src = 0, *ids = NULL;
	size_t n = 99;
	char *err = NULL;

	if (!w)
		goto out;
	CHECK_EQ(store_begin(w), 0);
	CHECK_EQ(store_add_source(w, "-", NULL, &src), 0);
	CHECK_EQ(store_save_report(w, src, r, NULL, NULL), 0);
	CHECK_EQ(store_open(path, STORE_READ, &rd, &err), 0);
	free(err);
	if (rd) {
		CHECK_EQ(store_event_ids(rd, NULL, &ids, &n), 0);
		CHECK_EQ(n, 0);
		free(ids);
	}
	CHECK_EQ(store_commit(w), 0);
	if (rd) {
		CHECK_EQ(store_event_ids(rd, NULL, &ids, &n), 0);
		CHECK_EQ(n, 1);
		free(ids);
	}
	store_close(rd);
	store_close(w);
out:
	oom_report_free(r);
	free(path);
}

/* A big dump goes in and comes back whole and in order. */
static void test_bulk(void)
{
	const size_t n_tasks = 50000;
	char *path = tmp_path("bulk.db");
	struct store *st = open_write(path);
	struct oom_report *r = bare_report(1), *got = NULL;
	int64_t src = 0, id = 0;
	size_t bad = 0;

	if (!st)
		goto out;
	for (size_t i = 0; i < n_tasks; i++) {
		struct oom_task *t = oom_report_add_task(r);

		t->known = TASK_UID | TASK_RSS | TASK_PGTABLES;
		t->pid = (int64_t)i + 100;
		t->uid = (int64_t)i % 7;
		t->rss = i * 3;
		t->pgtables_bytes = i * 4096;
		t->name = xasprintf("task-%zu", i);
		t->line = i + 2;
	}
	CHECK_EQ(store_begin(st), 0);
	CHECK_EQ(store_add_source(st, "bulk.log", NULL, &src), 0);
	CHECK_EQ(store_save_report(st, src, r, &id, NULL), 0);
	CHECK_EQ(store_commit(st), 0);
	CHECK_EQ(store_load_event(st, id, &got), 0);
	if (got) {
		CHECK_EQ(got->n_tasks, n_tasks);
		for (size_t i = 0; i < got->n_tasks && i < n_tasks; i++) {
			const struct oom_task *t = &got->tasks[i];

			if (t->pid != (int64_t)i + 100 || t->rss != i * 3 ||
			    t->known != r->tasks[i].known ||
			    strcmp(t->name, r->tasks[i].name))
				bad++;
		}
		CHECK_EQ(bad, 0);
	}
	oom_report_free(got);
	store_close(st);
out:
	oom_report_free(r);
	free(path);
}

static int rm_one(const char *p, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* Resume points commit with the input's events, or not at all. */
static void test_resume(void)
{
	char *path = tmp_path("resume.db");
	struct store *st = open_write(path);
	struct resume_point rp = { 0 }, got;

	if (!st)
		goto out;
	CHECK_EQ(store_get_resume(st, "journal:local", &got), -ENOENT);
	rp.cursor = "s=abc;i=1";
	CHECK_EQ(store_begin(st), 0);
	CHECK_EQ(store_set_resume(st, "journal:local", &rp), 0);
	CHECK_EQ(store_rollback(st), 0);
	CHECK_EQ(store_get_resume(st, "journal:local", &got), -ENOENT);
	CHECK_EQ(store_begin(st), 0);
	CHECK_EQ(store_set_resume(st, "journal:local", &rp), 0);
	CHECK_EQ(store_commit(st), 0);
	CHECK_EQ(store_get_resume(st, "journal:local", &got), 0);
	CHECK_STR(got.cursor, "s=abc;i=1");
	CHECK(!got.has_offset && !got.fingerprint, "unset parts stay unset");
	store_resume_release(&got);
	/* an update replaces it */
	rp.cursor = NULL;
	rp.offset = 4096;
	rp.has_offset = 1;
	rp.fingerprint = "head:1234";
	CHECK_EQ(store_set_resume(st, "journal:local", &rp), 0);
	CHECK_EQ(store_get_resume(st, "journal:local", &got), 0);
	CHECK(got.cursor == NULL, "cursor replaced");
	CHECK(got.has_offset && got.offset == 4096, "offset");
	CHECK_STR(got.fingerprint, "head:1234");
	store_resume_release(&got);
	store_close(st);
out:
	free(path);
}

/* A diagnosis filled by hand, every stored part set (not diagnose()'s:
 * the store keeps whatever it is given). */
static void hand_diagnosis(struct diagnosis *d)
{
	memset(d, 0, sizeof(*d));
	d->kind = DIAG_CGROUP_LIMIT;
	d->also[d->n_also++] = DIAG_PROCESS_GROUP;
	d->also[d->n_also++] = DIAG_HUGETLB_RESERVED;
	d->culprit.kind = CULPRIT_TASKS;
	snprintf(d->culprit.name, sizeof(d->culprit.name), "php-fpm");
	d->culprit.tasks = 300;
	d->culprit.has_private = 1;
	d->culprit.private_kb = 6291456;
	d->culprit.private_estimated = 1;
	snprintf(d->advice[0].setting, sizeof(d->advice[0].setting),
		 "pm.max_children");
	snprintf(d->advice[0].target, sizeof(d->advice[0].target),
		 "php-fpm.service");
	snprintf(d->advice[0].value, sizeof(d->advice[0].value), "120");
	snprintf(d->advice[0].why, sizeof(d->advice[0].why),
		 "300 workers of 21 MiB each 'filled' the 4 GiB limit");
	/* a place to look: no target, no value */
	snprintf(d->advice[1].setting, sizeof(d->advice[1].setting),
		 "slabtop");
	d->n_advice = 2;
	/* evidence is not stored: it must not come back */
	d->victim_private = 4242;
	d->kernel_pages = 99;
}

static void compare_diagnoses(const struct diagnosis *a,
			      const struct diagnosis *b)
{
	CHECK_EQ(a->kind, b->kind);
	CHECK_EQ(a->n_also, b->n_also);
	for (size_t i = 0; i < a->n_also && i < b->n_also; i++)
		CHECK_EQ(a->also[i], b->also[i]);
	CHECK_EQ(a->culprit.kind, b->culprit.kind);
	CHECK_STR(a->culprit.name, b->culprit.name);
	CHECK_EQ(a->culprit.pid, b->culprit.pid);
	CHECK_EQ(a->culprit.tasks, b->culprit.tasks);
	CHECK_EQ(a->culprit.has_private, b->culprit.has_private);
	CHECK_EQ(a->culprit.private_kb, b->culprit.private_kb);
	CHECK_EQ(a->culprit.private_estimated, b->culprit.private_estimated);
	CHECK_EQ(a->n_advice, b->n_advice);
	for (size_t i = 0; i < a->n_advice && i < b->n_advice; i++) {
		CHECK_STR(a->advice[i].setting, b->advice[i].setting);
		CHECK_STR(a->advice[i].target, b->advice[i].target);
		CHECK_STR(a->advice[i].value, b->advice[i].value);
		CHECK_STR(a->advice[i].why, b->advice[i].why);
	}
}

static void test_diagnosis(void)
{
	char *path = tmp_path("diagnosis.db");
	struct store *st = open_write(path);
	struct oom_report *r;
	struct diagnosis d, back, none;
	int64_t src = 0, id = 0, bare = 0, user = 0, *ids = NULL;
	size_t n = 0;
	char *text;

	if (!st)
		goto out;
	hand_diagnosis(&d);
	CHECK_EQ(store_begin(st), 0);
	CHECK_EQ(store_add_source(st, "diag.log", NULL, &src), 0);
	r = rich_report();
	CHECK(store_save_event(st, src, r, &d, &id, NULL) == 0, "save: %s",
	      store_errmsg(st));
	oom_report_free(r);
	/* the old entry point saves none: a kernel report still to do */
	r = bare_report(7);
	CHECK_EQ(store_save_report(st, src, r, &bare, NULL), 0);
	oom_report_free(r);
	/* a userspace kill has none, and never will */
	r = bare_report(8);
	r->killer = xstrdup("earlyoom");
	CHECK_EQ(store_save_event(st, src, r, NULL, &user, NULL), 0);
	oom_report_free(r);
	CHECK_EQ(store_commit(st), 0);

	CHECK_EQ(store_load_diagnosis(st, id, &back), 0);
	compare_diagnoses(&d, &back);
	CHECK_EQ(back.victim_private, 0);
	CHECK_EQ(back.kernel_pages, 0);
	/* as `oomlens sql` sees it */
	text = raw_text(path, "SELECT diag_kind || '|' || diag_also || '|' || "
			"culprit_kind || '|' || culprit_name FROM events "
			"WHERE diag_kind IS NOT NULL");
	CHECK_STR(text ? text : "(null)",
		  "cgroup-limit|process-group,hugetlb-reserved|tasks|php-fpm");
	free(text);
	CHECK_EQ(raw_int(path, "SELECT culprit_tasks + 1000 * culprit_estimated "
			 "FROM events WHERE id = ?", id), 1300);
	CHECK_EQ(raw_int(path, "SELECT COUNT(*) FROM events WHERE id = ? AND "
			 "culprit_pid IS NULL", id), 1);
	CHECK_EQ(raw_int(path, "SELECT COUNT(*) FROM advice WHERE event_id = ? "
			 "AND target IS NULL AND value IS NULL AND why IS NULL",
			 id), 1);

	CHECK_EQ(store_load_diagnosis(st, bare, &none), -ENOENT);
	CHECK_EQ(store_load_diagnosis(st, user, &none), -ENOENT);
	CHECK_EQ(store_undiagnosed_ids(st, &ids, &n), 0);
	CHECK_EQ(n, 1);
	if (n == 1)
		CHECK_EQ(ids[0], bare);
	free(ids);

	/* set later (what ingest does for events stored before 008), then
	 * replaced: the old advice goes */
	CHECK_EQ(store_begin(st), 0);
	CHECK_EQ(store_set_diagnosis(st, bare, &d), 0);
	memset(&d, 0, sizeof(d));
	d.kind = DIAG_SHARED_MEMORY;
	d.culprit.kind = CULPRIT_TASK;
	snprintf(d.culprit.name, sizeof(d.culprit.name), "pytest");
	d.culprit.pid = 3456;
	CHECK_EQ(store_set_diagnosis(st, bare, &d), 0);
	CHECK_EQ(store_commit(st), 0);
	CHECK_EQ(store_load_diagnosis(st, bare, &back), 0);
	compare_diagnoses(&d, &back);
	CHECK_EQ(raw_int(path, "SELECT COUNT(*) FROM advice WHERE event_id = ?",
			 bare), 0);
	CHECK_EQ(raw_int(path, "SELECT COUNT(*) FROM events WHERE id = ? AND "
			 "diag_also = '' AND culprit_private_kb IS NULL", bare),
		 1);
	CHECK_EQ(store_undiagnosed_ids(st, &ids, &n), 0);
	CHECK_EQ(n, 0);
	free(ids);
	store_close(st);

	/* the advice goes with its event */
	CHECK_EQ(raw_exec(path, "PRAGMA foreign_keys = ON; "
			  "DELETE FROM events WHERE culprit_kind = 'tasks'"), 0);
	CHECK_EQ(raw_int(path, "SELECT COUNT(*) FROM advice", 0), 0);
out:
	free(path);
}

/* The schema of a database, every object's type, name, table and SQL. */
static char *schema_of(const char *path)
{
	return raw_text(path, "SELECT group_concat(type || ' ' || name || ' ' "
			"|| tbl_name || ' ' || ifnull(sql, ''), '\n') FROM "
			"(SELECT * FROM sqlite_master ORDER BY type, name)");
}

/* A new database is made in one step from the schema image; one of
 * schema 1 goes through every migration after it.  Both must end with
 * the same schema, and the new one must be usable at the last version.
 * (An image written by hand, or made from a partial run, would differ
 * in a column, an index or a view.) */
static void test_image_equals_migrations(void)
{
	char *fresh = tmp_path("image-fresh.db");
	char *stepped = tmp_path("image-stepped.db");
	char *a, *b, *sql;
	struct store *st;

	st = open_write(fresh);
	store_close(st);
	sql = xasprintf("%s; PRAGMA application_id = %d; "
			"PRAGMA user_version = 1;", schema_migrations[0].sql,
			0x4f4f4d4c);
	CHECK_EQ(raw_exec(stepped, sql), 0);
	free(sql);
	st = open_write(stepped);
	store_close(st);
	a = schema_of(fresh);
	b = schema_of(stepped);
	CHECK(a && b && !strcmp(a, b), "image:\n%s\nmigrations:\n%s",
	      a ? a : "(null)", b ? b : "(null)");
	CHECK(a && strstr(a, "table copy_conflicts") &&
	      strstr(a, "view victims"), "%s", a ? a : "(null)");
	CHECK_EQ(raw_int(fresh, "PRAGMA user_version", 0),
		 store_schema_version());
	CHECK_EQ(raw_int(fresh, "PRAGMA application_id", 0),
		 raw_int(stepped, "PRAGMA application_id", 0));
	free(a);
	free(b);
	free(fresh);
	free(stepped);
}

int main(void)
{
	const char *base = getenv("TMPDIR");

	tmpdir = xasprintf("%s/oomlens-test-store-XXXXXX",
			   base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror(tmpdir);
		return 1;
	}
	test_round_trip();
	test_image_equals_migrations();
	test_order_and_filters();
	test_refuse_newer();
	test_refuse_foreign();
	test_read_missing_and_old();
	test_rollback_and_errors();
	test_concurrent_reader();
	test_bulk();
	test_resume();
	test_diagnosis();
	if (!check_failed)
		nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	else
		fprintf(stderr, "test-store: files kept in %s\n", tmpdir);
	free(tmpdir);
	return check_done("test-store");
}
