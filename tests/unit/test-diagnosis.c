/*
 * test-diagnosis.c: every fixture FILE with a FILE.diag beside it (see
 * tests/fixtures/README.md) is scanned as test-fixtures.c does, analysed
 * (badness_analyse), and diagnosed (diagnose, report 1, its first kill);
 * each key of FILE.diag is compared with the diagnosis:
 *   kind, also (comma list in order, empty for none), culprit.kind,
 *   culprit.name, culprit.pid, culprit.tasks, culprit.private_kb ("-":
 *   none known), culprit.estimated (0/1), advice.count,
 *   advice.N.setting, advice.N.target, advice.N.value (N from 1).
 * A key this test does not know is a failure, so that nothing is
 * silently skipped.  "ref_time=" (as in .facts) dates syslog lines.
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
#include "diagnosis.h"
#include "oom.h"
#include "report.h"
#include "scan.h"

/* Syslog dates have no year: read as of 2026-11-22T12:00:00Z, as the
 * .facts files say (gen-eras.py REF_TIME), unless FILE.diag says. */
#define DEFAULT_REF_TIME INT64_C(1795348800)

static ssize_t file_read(void *ctx, void *buf, size_t n)
{
	size_t r = fread(buf, 1, n, ctx);

	return ferror((FILE *)ctx) ? -EIO : (ssize_t)r;
}

/* The diagnosis' value for key, printed as the .diag file writes it;
 * 0 when the key is unknown. */
static int diag_value(const struct diagnosis *d, const char *key, char *out,
		      size_t n)
{
	const struct diag_culprit *c = &d->culprit;
	char *end;
	long i;

	if (!strcmp(key, "kind")) {
		snprintf(out, n, "%s", d->kind < DIAG_KIND_COUNT ?
			 diag_kind_names[d->kind] : "(bad kind)");
	} else if (!strcmp(key, "also")) {
		diag_also_string(d, out, n);
	} else if (!strcmp(key, "culprit.kind")) {
		snprintf(out, n, "%s", c->kind < CULPRIT_KIND_COUNT ?
			 culprit_kind_names[c->kind] : "(bad kind)");
	} else if (!strcmp(key, "culprit.name")) {
		snprintf(out, n, "%s", c->name);
	} else if (!strcmp(key, "culprit.pid")) {
		snprintf(out, n, "%" PRId64, c->pid);
	} else if (!strcmp(key, "culprit.tasks")) {
		snprintf(out, n, "%" PRId64, c->tasks);
	} else if (!strcmp(key, "culprit.private_kb")) {
		if (c->has_private)
			snprintf(out, n, "%" PRIu64, c->private_kb);
		else
			snprintf(out, n, "-");
	} else if (!strcmp(key, "culprit.estimated")) {
		snprintf(out, n, "%d", c->private_estimated ? 1 : 0);
	} else if (!strcmp(key, "advice.count")) {
		snprintf(out, n, "%zu", d->n_advice);
	} else if (!strncmp(key, "advice.", 7)) {
		const struct diag_advice *a;
		const char *f;

		i = strtol(key + 7, &end, 10);
		if (end == key + 7 || *end != '.' || i < 1)
			return 0;
		f = end + 1;
		if (strcmp(f, "setting") && strcmp(f, "target") &&
		    strcmp(f, "value"))
			return 0;
		if ((size_t)i > d->n_advice) {
			snprintf(out, n, "(no advice %ld of %zu)", i,
				 d->n_advice);
			return 1;
		}
		a = &d->advice[i - 1];
		snprintf(out, n, "%s", !strcmp(f, "setting") ? a->setting :
			 !strcmp(f, "target") ? a->target : a->value);
	} else {
		return 0;
	}
	return 1;
}

static void check_file(struct classifier *cls, const char *dir,
		       const char *diag_name)
{
	char path[4096], logpath[4096], got[256], *line = NULL;
	size_t cap = 0, nlen = strlen(diag_name) - 5;
	int64_t ref = DEFAULT_REF_TIME;
	FILE *exp, *log;
	struct got g = { .n = 0 };
	struct scan_reader rd;
	struct report_sink sink = { got_emit, got_warn, &g, NULL };
	struct scan_stats st;
	struct diagnosis d;
	ssize_t len;
	int keys = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, diag_name);
	snprintf(logpath, sizeof(logpath), "%s/%.*s", dir, (int)nlen,
		 diag_name);
	exp = fopen(path, "r");
	CHECK(exp != NULL, "cannot open %s", path);
	if (!exp)
		return;
	log = fopen(logpath, "rb");
	CHECK(log != NULL, "%s: no log %s beside it", diag_name, logpath);
	if (!log) {
		fclose(exp);
		return;
	}
	while ((len = getline(&line, &cap, exp)) > 0)
		if (!strncmp(line, "ref_time=", 9))
			ref = strtoll(line + 9, NULL, 10);
	rd = (struct scan_reader){ file_read, log };
	CHECK(scan_stream(cls, &rd, ref, &sink, &st) == 0, "scan %s", logpath);
	fclose(log);
	CHECK(g.n >= 1, "%s: no report in %s", diag_name, logpath);
	if (g.n < 1) {
		free(line);
		fclose(exp);
		return;
	}
	badness_analyse(g.r[0]);
	diagnose(g.r[0], NULL, &d);
	rewind(exp);
	while ((len = getline(&line, &cap, exp)) > 0) {
		char *eq;

		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (!len || line[0] == '#' || !strncmp(line, "ref_time=", 9))
			continue;
		eq = strchr(line, '=');
		if (!eq) {
			CHECK(0, "%s: not key=value: %s", diag_name, line);
			continue;
		}
		*eq = '\0';
		keys++;
		if (!diag_value(&d, line, got, sizeof(got))) {
			CHECK(0, "%s: unknown key '%s'", diag_name, line);
			continue;
		}
		CHECK(!strcmp(got, eq + 1), "%s: %s: expected '%s', got '%s'",
		      diag_name, line, eq + 1, got);
	}
	CHECK(keys > 0, "%s: no keys", diag_name);
	free(line);
	fclose(exp);
	got_free(&g);
}

int main(void)
{
	const char *dir = getenv("FIXTURES");
	struct classifier *cls;
	struct dirent **names;
	char *err = NULL;
	int n, files = 0;

	setenv("TZ", "UTC", 1);
	if (!dir)
		dir = "tests/fixtures";
	if (classify_new(&cls, &err) < 0) {
		CHECK(0, "classify_new: %s", err);
		return check_done("test-diagnosis");
	}
	n = scandir(dir, &names, NULL, alphasort);
	CHECK(n > 0, "read %s", dir);
	for (int i = 0; i < n; i++) {
		size_t l = strlen(names[i]->d_name);

		if (l > 5 && !strcmp(names[i]->d_name + l - 5, ".diag")) {
			check_file(cls, dir, names[i]->d_name);
			files++;
		}
		free(names[i]);
	}
	if (n > 0)
		free(names);
	CHECK(files >= 8, "%d fixtures with a diagnosis checked", files);
	classify_free(cls);
	return check_done("test-diagnosis");
}
