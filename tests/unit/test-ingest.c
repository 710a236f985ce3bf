/*
 * test-ingest: the ingest engine as a library (src/ingest.h): stored event
 * ids reach the caller after their input commits, in order; a file read
 * before is not read again, the same report in another file is the stored
 * event (a copy); a damaged
 * input is reported through the callbacks, stores nothing and hands out no
 * id; progress counts the bytes read; nothing is printed.  The
 * diagnosis stored with a report is diagnose()'s of that report.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "badness.h"
#include "check.h"
#include "diagnosis.h"
#include "ingest.h"
#include "oom.h"
#include "store.h"
#include "xalloc.h"

static char *tmpdir;

struct seen {
	int64_t ids[16];
	int copies[16];
	size_t n_ids;
	unsigned n_done, n_errors, n_progress;
	uint64_t last_events;
	const char *last_error;
	int last_unchanged;
	uint64_t progress_bytes;
};

static void on_message(void *ctx, enum ingest_level level, const char *msg)
{
	struct seen *s = ctx;

	(void)msg;
	if (level == INGEST_ERROR)
		s->n_errors++;
}

static void on_event(void *ctx, int64_t id, int was_copy)
{
	struct seen *s = ctx;

	if (s->n_ids < 16) {
		s->copies[s->n_ids] = was_copy;
		s->ids[s->n_ids++] = id;
	}
}

static void on_done(void *ctx, const struct ingest_result *res)
{
	struct seen *s = ctx;

	s->n_done++;
	s->last_events = res->events;
	s->last_error = res->error;
	s->last_unchanged = res->unchanged;
}

static void on_progress(void *ctx, const struct ingest_totals *t)
{
	struct seen *s = ctx;

	s->n_progress++;
	s->progress_bytes = t->bytes;
}

static const struct ingest_ops ops = {
	.message = on_message,
	.event = on_event,
	.input_done = on_done,
	.progress = on_progress,
};

/* What ingest stored is what diagnose() says of the stored report (kind,
 * also, culprit, advice), whatever that is. */
static void check_diagnosis(struct store *st, int64_t id)
{
	struct oom_report *r = NULL;
	struct diagnosis want, got;
	char a[160], b[160];

	CHECK_EQ(store_load_event(st, id, &r), 0);
	if (!r)
		return;
	badness_analyse(r);
	diagnose(r, NULL, &want);
	oom_report_free(r);
	CHECK_EQ(store_load_diagnosis(st, id, &got), 0);
	CHECK_STR(diag_kind_names[got.kind], diag_kind_names[want.kind]);
	diag_also_string(&want, a, sizeof(a));
	diag_also_string(&got, b, sizeof(b));
	CHECK_STR(b, a);
	CHECK_EQ(got.culprit.kind, want.culprit.kind);
	CHECK_STR(got.culprit.name, want.culprit.name);
	if (want.culprit.kind == CULPRIT_TASK)
		CHECK_EQ(got.culprit.pid, want.culprit.pid);
	if (want.culprit.kind == CULPRIT_TASKS)
		CHECK_EQ(got.culprit.tasks, want.culprit.tasks);
	CHECK_EQ(got.culprit.has_private, want.culprit.has_private);
	if (want.culprit.has_private) {
		CHECK_EQ(got.culprit.private_kb, want.culprit.private_kb);
		CHECK_EQ(got.culprit.private_estimated,
			 want.culprit.private_estimated != 0);
	}
	CHECK_EQ(got.n_advice, want.n_advice);
	for (size_t i = 0; i < got.n_advice && i < want.n_advice; i++) {
		CHECK_STR(got.advice[i].setting, want.advice[i].setting);
		CHECK_STR(got.advice[i].target, want.advice[i].target);
		CHECK_STR(got.advice[i].value, want.advice[i].value);
		CHECK_STR(got.advice[i].why, want.advice[i].why);
	}
}

static int rm_one(const char *p, const struct stat *sb, int flag,
		  struct FTW *f)
{
	(void)sb, (void)flag, (void)f;
	return remove(p);
}

int main(void)
{
	const char *base = getenv("TMPDIR"), *fixtures = getenv("FIXTURES");
	char *db, *log, *bad, *other, *err = NULL;
	struct store *st = NULL;
	struct ingest *g = NULL;
	struct ingest_opts o = { .host = "db1" };
	struct seen s = { 0 };
	int64_t *ids = NULL;
	size_t n = 0;
	struct stat sb;
	FILE *fp;

	tmpdir = xasprintf("%s/oomlens-test-ingest-XXXXXX",
			   base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir)) {
		perror(tmpdir);
		return 1;
	}
	db = xasprintf("%s/t.db", tmpdir);
	log = xasprintf("%s/postgres-6.8.dmesg", fixtures ? fixtures
							  : "tests/fixtures");
	bad = xasprintf("%s/bad.gz", tmpdir);
	other = xasprintf("%s/other.log", tmpdir);
	fp = fopen(bad, "w");
	fputs("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage, not deflate", fp);
	fclose(fp);
	/* another head (so not the file read before), the same report */
	{
		FILE *in = fopen(log, "r");
		char block[4096];
		size_t n;

		fp = fopen(other, "w");
		fputs("[    0.000000] Linux version 6.8.0-45-generic\n", fp);
		while (in && (n = fread(block, 1, sizeof(block), in)) > 0)
			fwrite(block, 1, n, fp);
		if (in)
			fclose(in);
		fclose(fp);
	}

	CHECK_EQ(store_open(db, STORE_WRITE, &st, &err), 0);
	CHECK_EQ(ingest_new(st, &o, &ops, &s, &g, &err), 0);

	CHECK_EQ(ingest_path(g, log), 0);
	CHECK_EQ(ingest_finish(g), 0);
	CHECK_EQ(s.n_done, 1);
	CHECK_EQ(s.last_events, 1);
	CHECK(s.last_error == NULL, "error %s", s.last_error);
	CHECK_EQ(s.n_ids, 1);
	CHECK_EQ(s.copies[0], 0);
	CHECK_EQ(store_event_ids(st, &(struct event_filter){ 0 }, &ids, &n), 0);
	CHECK_EQ(n, 1);
	CHECK(n == 1 && s.n_ids == 1 && ids[0] == s.ids[0],
	      "the id handed out is the stored one");
	if (n == 1)
		check_diagnosis(st, ids[0]);
	CHECK(s.n_progress > 0, "progress was called");
	CHECK(stat(log, &sb) == 0 && s.progress_bytes == (uint64_t)sb.st_size,
	      "progress counts the bytes: %llu",
	      (unsigned long long)s.progress_bytes);
	free(ids);

	/* the same file again: not read, nothing handed out */
	CHECK_EQ(ingest_path(g, log), 0);
	CHECK_EQ(ingest_finish(g), 0);
	CHECK_EQ(s.n_done, 2);
	CHECK(s.last_unchanged, "the file read before is unchanged");
	CHECK_EQ(s.n_ids, 1);

	/* the same report in another file: the stored event, as a copy */
	CHECK_EQ(ingest_path(g, other), 0);
	CHECK_EQ(ingest_finish(g), 0);
	CHECK_EQ(s.n_ids, 2);
	CHECK(s.n_ids == 2 && s.ids[1] == s.ids[0] && s.copies[1],
	      "a second file with the report finds the stored event");

	/* damaged: reported, counted, no id */
	CHECK_EQ(ingest_path(g, bad), 0);
	CHECK_EQ(ingest_finish(g), 0);
	CHECK_EQ(s.n_done, 4);
	CHECK(s.last_error != NULL, "the damaged input names its error");
	CHECK_EQ(s.n_errors, 1);
	CHECK_EQ(s.n_ids, 2);
	CHECK_EQ(ingest_totals(g)->failed, 1);
	CHECK_EQ(ingest_totals(g)->inputs, 4);
	CHECK_EQ(ingest_totals(g)->events, 2);

	ingest_free(g);
	store_close(st);
	free(db);
	free(log);
	free(bad);
	free(other);
	if (!check_failed)
		nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(tmpdir);
	return check_done("test-ingest");
}
