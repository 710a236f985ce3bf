/*
 * fuzz-store.c: the store round trip: text -> scan -> badness_analyse()
 * -> store_save_report() in an in-memory database -> store_load_event()
 * -> the export's JSON line, which must parse back.  Whatever a report
 * holds (names with escapes, invalid UTF-8, huge numbers, missing
 * parts), saving it and loading it back must work and keep what was
 * said, and the JSON must stay JSON.
 *
 * One database for the whole run; each input is one transaction rolled
 * back at its end, so every input starts from an empty store.
 */
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "badness.h"
#include "fuzz.h"
#include "output.h"
#include "store.h"

static struct classifier *cls;
static struct store *st;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *err = NULL;

	(void)argc;
	(void)argv;
	cls = fuzz_classifier();
	if (store_open(":memory:", STORE_WRITE, &st, &err) < 0) {
		fprintf(stderr, "setup: %s\n", err);
		abort();
	}
	return 0;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The export's line of the stored event parses as one JSON object. */
static void check_export(const struct oom_report *back, int64_t id)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	cJSON *doc = out_ecs_event(back, id, "fuzz-input", 0);
	cJSON *again;

	FUZZ_ASSERT(fp && doc);
	FUZZ_ASSERT(out_json_line(fp, doc) == 0);
	fclose(fp);
	cJSON_Delete(doc);
	FUZZ_ASSERT(len > 0 && text[len - 1] == '\n');
	FUZZ_ASSERT(memchr(text, '\n', len) == text + len - 1);
	again = cJSON_ParseWithLength(text, len);
	FUZZ_ASSERT(again && cJSON_IsObject(again));
	cJSON_Delete(again);
	free(text);
}

static void save_and_load(int64_t source_id, struct oom_report *r)
{
	struct oom_report *back = NULL;
	int64_t id;
	int copy = 0;

	badness_analyse(r);
	FUZZ_ASSERT(store_save_report(st, source_id, r, &id, &copy) == 0);
	FUZZ_ASSERT(store_load_event(st, id, &back) == 0);
	if (!copy) {
		/* a new event: what was saved comes back */
		FUZZ_ASSERT(back->n_tasks == r->n_tasks);
		FUZZ_ASSERT(back->n_kills == r->n_kills);
		FUZZ_ASSERT(back->n_zones == r->n_zones);
		FUZZ_ASSERT(same_str(back->trigger_comm, r->trigger_comm));
		FUZZ_ASSERT(same_str(back->selected_comm, r->selected_comm));
		FUZZ_ASSERT(same_str(back->oom_memcg, r->oom_memcg));
		FUZZ_ASSERT(back->wall_us == r->wall_us);
		for (size_t i = 0; i < r->n_tasks; i++)
			FUZZ_ASSERT(same_str(back->tasks[i].name,
					     r->tasks[i].name));
	}
	check_export(back, id);
	oom_report_free(back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct got g;
	int64_t source_id;

	got_scan(cls, (const char *)data, size, 0, 1795348800, &g);
	FUZZ_ASSERT(store_begin(st) == 0);
	FUZZ_ASSERT(store_add_source(st, "fuzz-input", NULL, &source_id) == 0);
	for (size_t i = 0; i < g.n; i++)
		save_and_load(source_id, g.r[i]);
	FUZZ_ASSERT(store_rollback(st) == 0);
	got_free(&g);
	return 0;
}
