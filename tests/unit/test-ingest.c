/*
 * test-ingest: the ingest engine as a library (src/ingest.h): stored event
 * ids reach the caller after their input commits, in order; a damaged
 * input is reported through the callbacks, stores nothing and hands out no
 * id; progress counts the bytes read; nothing is printed.
 */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "ingest.h"
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

static int rm_one(const char *p, const struct stat *sb, int flag,
		  struct FTW *f)
{
	(void)sb, (void)flag, (void)f;
	return remove(p);
}

int main(void)
{
	const char *base = getenv("TMPDIR"), *fixtures = getenv("FIXTURES");
	char *db, *log, *bad, *err = NULL;
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
	fp = fopen(bad, "w");
	fputs("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage, not deflate", fp);
	fclose(fp);

	CHECK_EQ(store_open(db, STORE_WRITE, &st, &err), 0);
	CHECK_EQ(ingest_new(st, &o, &ops, &s, &g, &err), 0);

	CHECK_EQ(ingest_path(g, log), 0);
	CHECK_EQ(s.n_done, 1);
	CHECK_EQ(s.last_events, 1);
	CHECK(s.last_error == NULL, "error %s", s.last_error);
	CHECK_EQ(s.n_ids, 1);
	CHECK_EQ(s.copies[0], 0);
	CHECK_EQ(store_event_ids(st, &(struct event_filter){ 0 }, &ids, &n), 0);
	CHECK_EQ(n, 1);
	CHECK(n == 1 && s.n_ids == 1 && ids[0] == s.ids[0],
	      "the id handed out is the stored one");
	CHECK(s.n_progress > 0, "progress was called");
	CHECK(stat(log, &sb) == 0 && s.progress_bytes == (uint64_t)sb.st_size,
	      "progress counts the bytes: %llu",
	      (unsigned long long)s.progress_bytes);
	free(ids);

	/* the same input again: the same event, as a copy */
	CHECK_EQ(ingest_path(g, log), 0);
	CHECK_EQ(s.n_ids, 2);
	CHECK(s.n_ids == 2 && s.ids[1] == s.ids[0] && s.copies[1],
	      "a second ingest finds the stored event");

	/* damaged: reported, counted, no id */
	CHECK_EQ(ingest_path(g, bad), 0);
	CHECK_EQ(s.n_done, 3);
	CHECK(s.last_error != NULL, "the damaged input names its error");
	CHECK_EQ(s.n_errors, 1);
	CHECK_EQ(s.n_ids, 2);
	CHECK_EQ(ingest_totals(g)->failed, 1);
	CHECK_EQ(ingest_totals(g)->inputs, 3);
	CHECK_EQ(ingest_totals(g)->events, 2);

	ingest_free(g);
	store_close(st);
	free(db);
	free(log);
	free(bad);
	if (!check_failed)
		nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(tmpdir);
	return check_done("test-ingest");
}
