/*
 * test-ecs-stream.c: the export writes its ECS and HEC documents without
 * a tree (out_ecs_write()); they must be byte for byte what the cJSON
 * path (out_ecs_event() and the out_ecs_add_*() after it, out_hec_event(),
 * out_json_line_safe()) prints, as show --json and OTel still use it.
 * Every report of every fixture, as read, then with its names made
 * hostile (controls, C1, DEL, invalid UTF-8, quotes, a bidi override) and
 * its cgroup a pod's and a container's; with and without a diagnosis,
 * story lines, source, ingest time and raw text.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "badness.h"
#include "buf.h"
#include "check.h"
#include "classify.h"
#include "diagnosis.h"
#include "oom.h"
#include "report.h"
#include "output-formats.h"
#include "output.h"
#include "scan.h"
#include "source.h"
#include "story-event.h"
#include "xalloc.h"

static const char *const hostile[] = {
	"q\"uo\\te/\b\f\n\r\t",
	"esc\033[31mred\x01\x1f",
	"c1\xc2\x85x\xc2\x9f",
	"del\x7fy",
	"bad\xff\xfez\xc3",
	"bidi\xe2\x80\xae" "abc",
	"ok\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80",
	"",
};

static int n_docs;

/* The document as the tree path prints it. */
static char *tree_line(const struct ecs_doc *e, int hec)
{
	cJSON *doc = out_ecs_event(e->r, e->id, e->source, e->ingested_us);
	char *s = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&s, &n);

	out_ecs_add_diagnosis(doc, e->d);
	if (e->n_actions)
		out_ecs_add_story(doc, e->actions, e->n_actions);
	if (e->raw)
		cJSON_AddStringToObject(cJSON_GetObjectItem(doc, "event"),
					"original", e->raw);
	if (hec)
		doc = out_hec_event(doc, e->r, e->source, e->ingested_us);
	CHECK(fp && out_json_line_safe(fp, doc) == 0, "print");
	fclose(fp);
	cJSON_Delete(doc);
	return s;
}

static void compare(const struct ecs_doc *e, const char *what)
{
	for (int hec = 0; hec < 2; hec++) {
		struct buf b = BUF_INIT;
		char *want = tree_line(e, hec);

		out_ecs_write(&b, e, hec);
		CHECK(want && !strcmp(b.data, want),
		      "%s%s:\n tree:   %s stream: %s", what, hec ? " (hec)" : "",
		      want, b.data);
		n_docs++;
		free(want);
		buf_release(&b);
	}
}

static void replace(char **p, const char *s)
{
	free(*p);
	*p = xstrdup(s);
}

/* r in every variant of what goes with it. */
static void compare_all(struct oom_report *r, const char *what)
{
	static const char *const links[] = { "pid", NULL };
	struct story_event ev[2] = { 0 };
	struct store_action a[2] = { 0 };
	struct diagnosis d;
	struct ecs_doc e = { .r = r, .id = 42 };

	diagnose(r, NULL, &d);
	compare(&e, what);
	e.d = &d;
	e.source = "/var/log/kern.log";
	e.ingested_us = 1795392000123456;
	compare(&e, what);
	for (int i = 0; i < 2; i++) {
		ev[i].kind = (enum story_kind)i;
		ev[i].known = i ? ~0u : 0;
		ev[i].wall_us = 1795392000000000 - i;
		ev[i].actor = (char *)"systemd-oomd";
		ev[i].comm = (char *)hostile[i];
		ev[i].message = (char *)hostile[2 + i];
		ev[i].pid = 7;
		ev[i].rss_kb = 1234;
		ev[i].unit = i ? (char *)"a.service" : NULL;
		a[i].e = &ev[i];
		a[i].link = (char *)links[i];
	}
	e.actions = a;
	e.n_actions = 2;
	e.raw = r->raw ? r->raw : hostile[0];
	e.source = hostile[4];
	compare(&e, what);
}

static void emit(void *ctx, struct oom_report *r)
{
	const char *name = ctx;
	static const char *const cgroups[] = {
		"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-"
		"pod0b7e5b1c_2f3a_4d4e_9a8b_1c2d3e4f5a6b.slice/cri-containerd-"
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
		".scope",
		"/system.slice/docker-0123456789abcdef0123456789abcdef0123456789"
		"abcdef0123456789abcdef.scope",
		"/user.slice/user-1000.slice/user@1000.service/app.slice/x.scope",
	};

	badness_analyse(r);
	compare_all(r, name);
	for (size_t h = 0; h < sizeof(hostile) / sizeof(hostile[0]); h++) {
		const char *s = hostile[h];

		replace(&r->host, s);
		replace(&r->trigger_comm, s);
		if (r->n_kills)
			replace(&r->kills[0].comm, s);
		if (r->n_tasks)
			replace(&r->tasks[r->n_tasks - 1].name, s);
		replace(&r->task_memcg, cgroups[h % 3]);
		replace(&r->kernel_release, s);
		compare_all(r, name);
	}
	oom_report_free(r);
}

int main(void)
{
	const char *dir = getenv("FIXTURES");
	struct classifier *cls;
	struct dirent *de;
	char *err = NULL;
	DIR *d;

	setenv("TZ", "UTC", 1);
	if (!dir)
		dir = "tests/fixtures";	/* run by hand from the top */
	d = opendir(dir);
	CHECK(d != NULL, "open %s", dir);
	if (!d || classify_new(&cls, &err) < 0)
		return check_done("test-ecs-stream");
	while ((de = readdir(d))) {
		const char *n = de->d_name, *dot = strrchr(n, '.');
		struct report_sink sink = { emit, NULL, (void *)n, NULL };
		struct scan_stats stats;
		struct source *src = NULL;
		struct scan_reader rd;
		char *path;

		if (n[0] == '.' || (dot && (!strcmp(dot, ".facts") ||
					    !strcmp(dot, ".diag") ||
					    !strcmp(dot, ".py") ||
					    !strcmp(dot, ".md"))))
			continue;
		path = xasprintf("%s/%s", dir, n);
		if (source_open(path, &src) == 0 && src) {
			rd = source_reader(src);
			scan_stream(cls, &rd, 1795305600, &sink, &stats);
			source_close(src);
		}
		free(path);
	}
	closedir(d);
	classify_free(cls);
	CHECK(n_docs > 1000, "%d documents compared", n_docs);
	return check_done("test-ecs-stream");
}
