/* ingest-resume.c: files read before (ingest-int.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest-int.h"
#include "store.h"
#include "xalloc.h"

/*
 * Files read before: the resume row's key is what the file holds (the
 * hash of its head, and the host its lines are stored under), so the same
 * content is found again under a rotated name and a replaced file is
 * not.  The row keeps the offset of the last line read where no report
 * was open and, in its fingerprint column, the lines before that offset
 * and the raw file's size and mtime (a compressed file that did not
 * change is not decoded again).
 */
#define FILE_HINTS "lines=%" SCNu64 " size=%" SCNd64 " mtime=%" SCNd64 \
		   " tail=%32s"

int input_save_resume(struct ingest *g, struct input *in,
			    const struct scan_stats *st)
{
	struct resume_point rp = { .has_offset = 1 };
	char tail[33] = "-";
	int r;

	rp.offset = (int64_t)(in->res.resumed_at + st->safe_bytes);
	if (source_tail_hash(in->src, (uint64_t)rp.offset, tail) < 0)
		strcpy(tail, "-");
	rp.fingerprint = xasprintf("lines=%" PRIu64 " size=%" PRId64
				   " mtime=%" PRId64 " tail=%s",
				   in->start_lines + st->safe_lines,
				   in->file_id.raw_size, in->file_id.raw_mtime_ns,
				   tail);
	r = store_set_resume(g->st, in->file_key, &rp);
	free(rp.fingerprint);
	return r;
}

/* The resume row's key of a file on disk, in in->file_key; 0, or < 0 for
 * what has none (stdin, a pipe, an archive member). */
int input_file_key(struct ingest *g, struct input *in, struct source *src)
{
	const char *host = src->host ? src->host : g->o.host;

	/* an empty or blank file has no content to be known by: every
	 * one would be "unchanged" after the first of the same size and
	 * mtime.  It is read each time, which costs nothing. */
	if (in->blank || source_identity(src, &in->file_id) < 0)
		return -ENOTSUP;
	in->file_key = xasprintf("file:%s:%s:%zu", host ? host : "",
				 in->file_id.head_hash, in->file_id.head_len);
	return 0;
}

/*
 * Where to start reading src (its resume row read by input_file_key()): 1 when
 * nothing changed since the last read, else 0, and a start after the
 * start of the file in in->job (the worker skips to it).
 */
int input_file_resume(struct ingest *g, struct input *in, struct source *src)
{
	struct resume_point rp;
	uint64_t lines = 0;
	int64_t size = -1, mtime = -1, offset;
	char tail[33] = "-", now[33];

	if (!in->file_key || store_get_resume(g->st, in->file_key, &rp) < 0 ||
	    !rp.has_offset)
		return 0;
	if (rp.fingerprint)
		sscanf(rp.fingerprint, FILE_HINTS, &lines, &size, &mtime, tail);
	offset = rp.offset;
	store_resume_release(&rp);
	if (src->codec == SOURCE_PLAIN && in->file_id.raw_size < offset)
		return 0;	/* truncated: read it again */
	/* the same head is not enough: another file may start the same
	 * (cloned machines' dmesg) and go on otherwise */
	if (strcmp(tail, "-") &&
	    source_tail_hash(src, (uint64_t)offset, now) == 0 &&
	    strcmp(tail, now))
		return 0;
	if (size == in->file_id.raw_size && mtime == in->file_id.raw_mtime_ns &&
	    (src->codec != SOURCE_PLAIN || offset == size))
		return 1;
	/* a compressed file is skipped into only when a plain one's tail
	 * says what its bytes there must be (kern.log.1 -> kern.log.2.gz):
	 * the worker decodes them and compares */
	if (!strcmp(tail, "-") && offset > 0)
		return 0;
	in->job.skip = 1;
	in->job.skip_to = (uint64_t)offset;
	in->job.skip_lines = lines;
	memcpy(in->job.skip_tail, tail, sizeof(tail));
	return 0;
}
