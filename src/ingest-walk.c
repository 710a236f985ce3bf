/*
 * ingest-walk.c: the inputs the walk finds (source.h), each handed to
 * where it is read: a file on disk to a worker, an archive member or
 * stdin through a pipe to one, a journal to ingest-journal.c; a file read
 * before is resumed or skipped.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "ingest-int.h"
#include "xalloc.h"

/* Whether an input in flight has this resume key: then its row may still
 * change, and a file with the key waits for it. */
static int key_in_flight(const struct ingest *g, const char *key)
{
	for (const struct input *in = g->flight; in; in = in->next)
		if (in->file_key && !strcmp(in->file_key, key))
			return 1;
	return 0;
}

/*
 * A file on disk: a worker reads (and decompresses) it on its own, while
 * the walk goes on; it is stored when its turn comes.  Returns
 * SOURCE_INPUT_KEPT: the input closes src.
 */
static int file_job(struct ingest *g, struct input *in, struct source *src)
{
	int r = 0;

	in->own_src = 1;
	in->first_src = src;
	in->parallel = 1;
	in->job.src = src;
	in->job.ref_time = src->mtime;
	pool_submit(g->pool, &in->job);
	ingest_fly(g, in);
	while (g->n_jobs >= g->max_jobs && r >= 0)
		r = ingest_tend(g);
	/* src is the input's even when it was dropped (g->fatal): the walk
	 * must not close it, and stops at the next input */
	return SOURCE_INPUT_KEPT;
}

/*
 * An archive member or stdin: its bytes come from the walk, so this
 * thread reads (and decompresses) them and a worker parses them as they
 * come; the walk goes on once it is stored (source_host() may need to
 * read the archive ahead for its reports, and its source is the walk's).
 */
static int pipe_job(struct ingest *g, struct input *in, struct source *src)
{
	struct scan_reader rd = source_reader(src);
	uint64_t seq = in->seq;
	char *buf = xmalloc(COPY_SIZE);
	int r = 0;

	in->parallel = 1;
	in->job.src = NULL;
	in->job.ref_time = src->mtime;
	pool_submit(g->pool, &in->job);
	ingest_fly(g, in);
	for (;;) {
		ssize_t n = ingest_stopped(g) ? -EINTR : rd.read(rd.ctx, buf, COPY_SIZE);

		if (n <= 0) {
			pool_pipe_close(g->pool, &in->job, (int)n);
			break;
		}
		atomic_fetch_add(&g->bytes, (uint64_t)n);
		while (!pool_pipe_put(g->pool, &in->job, buf, (size_t)n) &&
		       (r = ingest_tend(g)) >= 0)
			;
		if (r < 0)
			break;	/* in was dropped */
	}
	free(buf);
	while (r >= 0 && g->stored_seq < seq)
		r = ingest_tend(g);
	return r;
}

static int walk_input(void *ctx, struct source *src)
{
	struct ingest *g = ctx;
	struct input *in;
	int r;

	if (g->fatal)
		return g->fatal;
	if (ingest_stopped(g))
		return -EINTR;
	if (src->kind == SOURCE_JOURNAL || src->kind == SOURCE_JOURNAL_EXPORT ||
	    src->kind == SOURCE_JOURNAL_JSON)
		return ingest_journal_source(g, src);
	in = input_new(g, src->path, src);
	in->blank = source_is_blank(src);
	if (src->kind == SOURCE_BINARY) {
		in->res.skipped = "binary";
		input_note(in, INGEST_NOTICE, "skipping '%s': binary, not a text log",
		     src->path);
		return input_done_unread(g, in);
	}
	/* journal exports are decoded into other text: offsets into that
	 * are not offsets into the file, so only text is resumed (the store
	 * keeps each report once) */
	if (src->kind == SOURCE_TEXT && input_file_key(g, in, src) == 0) {
		r = 0;
		while (r >= 0 && key_in_flight(g, in->file_key))
			r = ingest_tend(g);
		if (r < 0) {
			input_free(in);
			return r;
		}
		if (input_file_resume(g, in, src) == 1) {
			in->res.unchanged = 1;
			return input_done_unread(g, in);
		}
	}
	if (src->on_disk && !src->arch)
		return file_job(g, in, src);
	return pipe_job(g, in, src);
}

static void walk_error(void *ctx, enum source_error_where where,
		       const char *path, const char *msg)
{
	struct ingest *g = ctx;
	struct input *in;

	if (where == SOURCE_NOTE_DIR_LINK) {
		/* what a loop of links would walk forever: said, not failed;
		 * in order, after what was found before it */
		if (ingest_land_all(g) >= 0)
			ingest_say(g, INGEST_NOTICE, "skipping '%s': %s", path, msg);
		return;
	}
	in = input_new(g, path, NULL);
	switch (where) {
	case SOURCE_NOTE_DIR_LINK:	/* said above */
		break;
	case SOURCE_ERR_DIR:
		input_note(in, INGEST_ERROR, "cannot read directory '%s': %s, "
		     "skipping", path, msg);
		break;
	case SOURCE_ERR_ARCHIVE:
		input_note(in, INGEST_ERROR, "cannot read '%s': %s, skipping the "
		     "rest of it", path, msg);
		break;
	case SOURCE_ERR_SKIPPED:
		input_note(in, INGEST_ERROR, "cannot read part of '%s': %s, "
		     "skipping to the next member", path, msg);
		break;
	case SOURCE_ERR_OPEN:
		input_note(in, INGEST_ERROR, "cannot read '%s': %s, skipping", path,
		     msg);
		break;
	}
	input_set_error(in, msg);
	input_done_unread(g, in);
}

int ingest_path(struct ingest *g, const char *path)
{
	static const struct source_walk_ops walk_ops = {
		walk_input, walk_error,
	};

	int r = g->fatal ? g->fatal
			 : source_walk(path, g->o.walk_flags, &walk_ops, g);

	return g->fatal ? g->fatal : r;
}
