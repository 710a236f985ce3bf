/*
 * test-blocks.c: where the reader's blocks end must not change what is
 * parsed.  Pipes and archive members hand the scanner short reads; every
 * text fixture and every input fuzz-scan once broke this with
 * (tests/fuzz/regress/scan) is scanned whole and handed out 1, 7, 61 and
 * 4093 bytes at a time, and must give the same reports, line for line.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "collect.h"
#include "oom.h"

static struct classifier *cls;

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void check_file(const char *path)
{
	static const size_t chunks[] = { 1, 7, 61, 4093 };
	static struct got whole, part;
	struct buf text = BUF_INIT;
	char block[65536];
	FILE *fp = fopen(path, "rb");
	size_t n;

	CHECK(fp != NULL, "open %s", path);
	if (!fp)
		return;
	while ((n = fread(block, 1, sizeof(block), fp)) > 0)
		buf_add(&text, block, n);
	fclose(fp);
	got_scan(cls, text.data, text.len, 0, 1795348800, &whole);
	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		got_scan(cls, text.data, text.len, chunks[c], 1795348800, &part);
		CHECK(part.n == whole.n && part.warnings == whole.warnings,
		      "%s in %zu-byte reads: %zu reports, %u warnings; whole: "
		      "%zu, %u", path, chunks[c], part.n, part.warnings,
		      whole.n, whole.warnings);
		for (size_t i = 0; i < part.n && i < whole.n; i++) {
			const struct oom_report *a = whole.r[i], *b = part.r[i];

			CHECK(a->first_line == b->first_line &&
			      a->last_line == b->last_line &&
			      a->raw_len == b->raw_len &&
			      a->n_tasks == b->n_tasks &&
			      a->n_kills == b->n_kills &&
			      same_str(a->trigger_comm, b->trigger_comm) &&
			      same_str(a->selected_comm, b->selected_comm),
			      "%s report %zu in %zu-byte reads: lines %" PRIu64
			      "-%" PRIu64 ", %zu raw bytes, %zu tasks; whole: %"
			      PRIu64 "-%" PRIu64 ", %zu, %zu", path, i + 1,
			      chunks[c], b->first_line, b->last_line,
			      b->raw_len, b->n_tasks, a->first_line,
			      a->last_line, a->raw_len, a->n_tasks);
		}
		got_free(&part);
	}
	got_free(&whole);
	buf_release(&text);
}

/* Every file of dir whose name does not end in one of the skipped
 * suffixes; returns how many. */
static int check_dir(const char *dir, int text_only)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort), done = 0;

	CHECK(n >= 0, "list %s", dir);
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		const char *dot = strrchr(name, '.');
		char path[4096];

		if (name[0] != '.' && !(text_only && dot &&
		    (!strcmp(dot, ".facts") || !strcmp(dot, ".py") ||
		     !strcmp(dot, ".md")))) {
			snprintf(path, sizeof(path), "%s/%s", dir, name);
			check_file(path);
			done++;
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return done;
}

int main(void)
{
	const char *fixtures = getenv("FIXTURES");
	char *err = NULL;

	setenv("TZ", "UTC", 1);
	if (!fixtures)
		fixtures = "tests/fixtures";
	if (classify_new(&cls, &err) < 0) {
		CHECK(0, "classify_new: %s", err);
		return check_done("test-blocks");
	}
	CHECK(check_dir(fixtures, 1) > 20, "the text fixtures were read");
	CHECK(check_dir("tests/fuzz/regress/scan", 0) >= 2,
	      "the saved crashers were read");
	classify_free(cls);
	return check_done("test-blocks");
}
