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

static void check_file(void *ctx, const char *dir, const char *diag_name)
{
	struct classifier *cls = ctx;
	struct expect_file e;
	struct got g;
	struct diagnosis d;
	char got[256], *key, *value;
	int keys = 0;

	CHECK(expect_open(&e, dir, diag_name, 5, DEFAULT_REF_TIME) == 0,
	      "cannot open %s", e.path);
	if (!e.fp)
		return;
	CHECK(got_scan_file(cls, e.log, e.ref, &g) == 0,
	      "%s: scan %s, the log beside it", diag_name, e.log);
	CHECK(g.n >= 1, "%s: no report in %s", diag_name, e.log);
	if (g.n < 1) {
		expect_close(&e);
		return;
	}
	badness_analyse(g.r[0]);
	diagnose(g.r[0], NULL, &d);
	while (expect_next(&e, &key, &value)) {
		if (!value) {
			CHECK(0, "%s: not key=value: %s", diag_name, key);
			continue;
		}
		keys++;
		if (!diag_value(&d, key, got, sizeof(got))) {
			CHECK(0, "%s: unknown key '%s'", diag_name, key);
			continue;
		}
		CHECK(!strcmp(got, value), "%s: %s: expected '%s', got '%s'",
		      diag_name, key, value, got);
	}
	CHECK(keys > 0, "%s: no keys", diag_name);
	expect_close(&e);
	got_free(&g);
}

int main(void)
{
	const char *dir = getenv("FIXTURES");
	struct classifier *cls;
	char *err = NULL;
	int files;

	setenv("TZ", "UTC", 1);
	if (!dir)
		dir = "tests/fixtures";
	if (classify_new(&cls, &err) < 0) {
		CHECK(0, "classify_new: %s", err);
		return check_done("test-diagnosis");
	}
	files = fixtures_each(dir, ".diag", check_file, cls);
	CHECK(files >= 0, "read %s", dir);
	CHECK(files >= 8, "%d fixtures with a diagnosis checked", files);
	classify_free(cls);
	return check_done("test-diagnosis");
}
