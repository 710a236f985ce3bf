/*
 * fuzz-archive.c: the archive walker: tar (plain or compressed) as
 * libarchive reads it, members inside members up to SOURCE_MAX_NESTING,
 * sosreport hostname files, damaged headers skipped forward.  Every
 * member handed over is read to its end (or its error) and scanned, as
 * ingest does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "source.h"

static struct classifier *cls;

struct walk_count {
	size_t decoded;
	unsigned inputs, errors;
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	cls = fuzz_classifier();
	return 0;
}

/* A reader that stops once the whole input has decoded to the cap. */
struct capped {
	struct scan_reader rd;
	struct walk_count *wc;
};

static ssize_t capped_read(void *ctx, void *buf, size_t n)
{
	struct capped *c = ctx;
	ssize_t r;

	if (c->wc->decoded > FUZZ_MAX_DECODED)
		return 0;
	r = c->rd.read(c->rd.ctx, buf, n);
	if (r > 0)
		c->wc->decoded += (size_t)r;
	return r;
}

static int on_input(void *ctx, struct source *s)
{
	struct walk_count *wc = ctx;
	struct capped c = { source_reader(s), wc };
	struct scan_reader rd = { capped_read, &c };
	struct got g;
	struct report_sink sink = { .emit = got_emit, .warn = got_warn, .ctx = &g };
	struct scan_stats st;
	int r;

	FUZZ_ASSERT(s->path && *s->path);
	wc->inputs++;
	memset(&g, 0, sizeof(g));
	r = scan_stream(cls, &rd, s->mtime, &sink, &st);
	if (r < 0)
		FUZZ_ASSERT(*source_strerror(s, r));
	(void)source_host(s);
	got_free(&g);
	return 0;
}

static void on_error(void *ctx, enum source_error_where where,
		     const char *path, const char *msg)
{
	struct walk_count *wc = ctx;

	(void)where;
	FUZZ_ASSERT(path && msg && *msg);
	wc->errors++;
}

/*
 * The input goes into a memfd and is walked by its /proc path, exactly as
 * ingest walks a file: source_open(), and source_host()'s look-ahead,
 * which reads a seekable archive a second time.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct source_walk_ops ops = { on_input, on_error };
	static int fd = -1;
	static char path[64];
	struct walk_count wc = { 0 };

	if (fd < 0) {
		fd = memfd_create("fuzz-archive", MFD_CLOEXEC);
		FUZZ_ASSERT(fd >= 0);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	FUZZ_ASSERT(ftruncate(fd, 0) == 0);
	FUZZ_ASSERT(pwrite(fd, data, size, 0) == (ssize_t)size);
	source_walk(path, SOURCE_HOST_FROM_DIR, &ops, &wc);
	return 0;
}
