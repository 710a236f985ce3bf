/*
 * collect.h: what the parser tests share: text from memory or a file as a
 * scan reader, a sink that keeps the reports it is handed, and the walk
 * over the fixtures that have an expectations file (FILE.facts,
 * FILE.diag) beside them.
 */
#ifndef OOMLENS_COLLECT_H
#define OOMLENS_COLLECT_H

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "classify.h"
#include "oom.h"
#include "report.h"
#include "scan.h"

#define MAX_REPORTS 64

struct got {
	struct oom_report *r[MAX_REPORTS];
	size_t n;
	unsigned warnings;
};

static inline void got_emit(void *ctx, struct oom_report *r)
{
	struct got *g = ctx;

	if (g->n < MAX_REPORTS)
		g->r[g->n++] = r;
	else
		oom_report_free(r);
}

static inline void got_warn(void *ctx, uint64_t line, const char *msg)
{
	(void)line;
	(void)msg;
	((struct got *)ctx)->warnings++;
}

static inline void got_free(struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		oom_report_free(g->r[i]);
	g->n = 0;
}

struct mem {
	const char *p;
	size_t left, chunk;
};

/* Hands out at most `chunk` bytes per read (0: no limit), to cross the
 * scanner's block edges. */
static inline ssize_t mem_read(void *ctx, void *buf, size_t n)
{
	struct mem *m = ctx;

	if (n > m->left)
		n = m->left;
	if (m->chunk && n > m->chunk)
		n = m->chunk;
	memcpy(buf, m->p, n);
	m->p += n;
	m->left -= n;
	return (ssize_t)n;
}

/* Scan len bytes of text, read chunk bytes at a time, into *g (reset). */
static inline void got_scan(struct classifier *cls, const char *text,
			    size_t len, size_t chunk, int64_t ref,
			    struct got *g)
{
	struct mem m = { text, len, chunk };
	struct scan_reader rd = { mem_read, &m };
	struct report_sink sink = { got_emit, got_warn, g, NULL };
	struct scan_stats st;

	memset(g, 0, sizeof(*g));
	scan_stream(cls, &rd, ref, &sink, &st);
}

/* The same through scan_map_at(), over a writable copy of the text, its
 * anchor search split among threads. */
static inline void got_map(struct classifier *cls, const char *text,
			   size_t len, unsigned threads, int64_t ref,
			   struct got *g)
{
	char *copy = malloc(len ? len : 1);
	struct scan_map m = { .data = copy, .len = len, .threads = threads };
	struct report_sink sink = { got_emit, got_warn, g, NULL };
	struct scan_stats st;

	memset(g, 0, sizeof(*g));
	if (!copy)
		abort();
	memcpy(copy, text, len);
	scan_map_at(cls, &m, ref, 0, &sink, &st);
	free(copy);
}

static inline ssize_t file_read(void *ctx, void *buf, size_t n)
{
	size_t r = fread(buf, 1, n, ctx);

	return ferror((FILE *)ctx) ? -EIO : (ssize_t)r;
}

/* Scan the file at path into *g (reset); -1 when it cannot be opened or
 * the scan fails. */
static inline int got_scan_file(struct classifier *cls, const char *path,
				int64_t ref, struct got *g)
{
	FILE *fp = fopen(path, "rb");
	struct scan_reader rd = { file_read, fp };
	struct report_sink sink = { got_emit, got_warn, g, NULL };
	struct scan_stats st;
	int r;

	memset(g, 0, sizeof(*g));
	if (!fp)
		return -1;
	r = scan_stream(cls, &rd, ref, &sink, &st);
	fclose(fp);
	return r == 0 ? 0 : -1;
}

/*
 * An expectations file, NAME = LOG + suffix, in dir: "key=value" lines,
 * '#' comments, and "ref_time=" (the time syslog dates without a year are
 * read against), which expect_open() takes first and expect_next() skips.
 */
struct expect_file {
	char path[4096], log[4096];
	FILE *fp;
	int64_t ref;
	char *line;
	size_t cap;
};

/* 0, or -1 when the file cannot be read (e->fp NULL). */
static inline int expect_open(struct expect_file *e, const char *dir,
			      const char *name, size_t suffix_len,
			      int64_t ref)
{
	size_t n = strlen(name);

	memset(e, 0, sizeof(*e));
	e->ref = ref;
	snprintf(e->path, sizeof(e->path), "%s/%s", dir, name);
	snprintf(e->log, sizeof(e->log), "%s/%.*s", dir,
		 (int)(n > suffix_len ? n - suffix_len : 0), name);
	e->fp = fopen(e->path, "r");
	if (!e->fp)
		return -1;
	while (getline(&e->line, &e->cap, e->fp) > 0)
		if (!strncmp(e->line, "ref_time=", 9))
			e->ref = strtoll(e->line + 9, NULL, 10);
	rewind(e->fp);
	return 0;
}

/* The next line's key and value (*value NULL: the line has no '='); 0 at
 * the end. */
static inline int expect_next(struct expect_file *e, char **key,
			      char **value)
{
	ssize_t len;

	while ((len = getline(&e->line, &e->cap, e->fp)) > 0) {
		char *eq;

		if (e->line[len - 1] == '\n')
			e->line[--len] = '\0';
		if (!len || e->line[0] == '#' ||
		    !strncmp(e->line, "ref_time=", 9))
			continue;
		*key = e->line;
		eq = strchr(e->line, '=');
		*value = eq ? eq + 1 : NULL;
		if (eq)
			*eq = '\0';
		return 1;
	}
	return 0;
}

static inline void expect_close(struct expect_file *e)
{
	if (e->fp)
		fclose(e->fp);
	free(e->line);
	e->fp = NULL;
	e->line = NULL;
}

/* fn(ctx, dir, name) for each file of dir whose name ends in suffix, in
 * name order; the count of them, or -1 when dir cannot be read. */
static inline int fixtures_each(const char *dir, const char *suffix,
				void (*fn)(void *, const char *, const char *),
				void *ctx)
{
	struct dirent **names;
	size_t sl = strlen(suffix);
	int n = scandir(dir, &names, NULL, alphasort), files = 0;

	for (int i = 0; i < n; i++) {
		size_t l = strlen(names[i]->d_name);

		if (l > sl && !strcmp(names[i]->d_name + l - sl, suffix)) {
			fn(ctx, dir, names[i]->d_name);
			files++;
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return n < 0 ? -1 : files;
}

#endif
