/*
 * ingest-journal.c: journals for the ingest engine (ingest-int.h): a
 * journal file read with sd-journal by path, one inside an archive copied
 * out to a guarded temporary file first, and journalctl's export and JSON
 * text decoded into the same text.  A journal file on disk is read by a
 * worker; the others on the engine's thread, after every input before
 * them is stored.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "ingest-int.h"
#include "journal.h"
#include "number.h"
#include "store.h"
#include "tmpfile.h"
#include "xalloc.h"

/* Journals but files on disk are read on this thread, after everything
 * before them. */
DEFINE_POINTER_CLEANUP(struct input, input_free)

int ingest_journal(struct ingest *g, const struct journal_opts *base,
		   const char *name, const char *key)
{
	_cleanup_(store_resume_release) struct resume_point rp = { 0 };
	_cleanup_(journal_closep) struct journal_src *j = NULL;
	_cleanup_(input_freep) struct input *in = NULL;
	_cleanup_(freep) char *err = NULL;
	struct journal_opts o = *base;
	struct scan_reader rd;
	int r = ingest_land_all(g);

	if (r < 0)
		return r;
	in = input_new(g, name, NULL);
	o.kernel_only = 1;
	if (store_get_resume(g->st, key, &rp) == 0)
		o.after_cursor = rp.cursor;
	if (journal_open(&o, &j, &err) < 0) {
		ingest_say(g, INGEST_ERROR, "%s, skipping", err);
		in->res.error = err;
		input_done(g, in);
		return 0;
	}
	rd = journal_reader(j);
	return ingest_stream(g, in, &rd, 0, key, j);
}

/* Whether a journal file in flight has this resume key: its cursor is
 * not stored yet. */
static int journal_key_in_flight(const struct ingest *g, const char *key)
{
	for (const struct input *in = g->flight; in; in = in->next)
		if (in->jkey && !strcmp(in->jkey, key))
			return 1;
	return 0;
}

/*
 * A journal file on disk: a worker reads (sd-journal, the renderer) and
 * parses it while the walk goes on, so the rotated files of a directory
 * are read side by side; it is stored in its turn, its cursor with its
 * events, as when read on this thread.  Each file has its own handle, so
 * the checks for a read that ended early (match_lost(), has_any_entry())
 * stay those of the one file.  Opened here: the resume point is read
 * from the store on this thread.
 */
static int journal_file_job(struct ingest *g, const char *path)
{
	_cleanup_(store_resume_release) struct resume_point rp = { 0 };
	_cleanup_(freep) char *err = NULL;
	const char *files[] = { path };
	struct journal_opts o = { .files = files, .n_files = 1,
				  .kernel_only = 1 };
	char *key = xasprintf("journal:file:%s", path);
	struct input *in;
	int r = 0;

	/* the same file given twice: its second read resumes after the
	 * first, once that is stored */
	while (r >= 0 && journal_key_in_flight(g, key))
		r = ingest_tend(g);
	if (r < 0) {
		free(key);
		return r;
	}
	in = input_new(g, path, NULL);
	in->journal = 1;
	in->jkey = key;
	if (store_get_resume(g->st, key, &rp) == 0)
		o.after_cursor = rp.cursor;
	if (journal_open(&o, &in->jsrc, &err) < 0) {
		input_note(in, INGEST_ERROR, "%s, skipping", err);
		input_set_error(in, err);
		return input_done_unread(g, in);
	}
	in->parallel = 1;
	in->job.reader = journal_reader(in->jsrc);
	pool_submit(g->pool, &in->job);
	ingest_fly(g, in);
	while (r >= 0 && g->n_jobs >= g->max_jobs)
		r = ingest_tend(g);
	return r;
}

/* A journal in an archive is copied at most this many bytes (real journal
 * files are at most a few hundred MiB: journald's SystemMaxFileSize);
 * OOMLENS_JOURNAL_COPY_MAX (bytes, or with K, M, G) sets it. */
#define JOURNAL_COPY_MAX (UINT64_C(4) << 30)

static uint64_t journal_copy_max(void)
{
	const char *v = getenv("OOMLENS_JOURNAL_COPY_MAX");
	size_t digits = v ? strspn(v, "0123456789") : 0;
	unsigned shift = 0;
	uint64_t n;

	if (!digits || num_parse_u64(v, digits, &n) < 0)
		return JOURNAL_COPY_MAX;
	switch (v[digits]) {
	case 'K': case 'k': shift = 10; break;
	case 'M': case 'm': shift = 20; break;
	case 'G': case 'g': shift = 30; break;
	default: break;
	}
	if (n > UINT64_MAX >> shift)
		return UINT64_MAX;	/* past any disk: no cap */
	return n << shift;
}

/* Copy the member into fd: NULL, or why not (the cap, a read or write
 * error, a stop). */
static const char *copy_member(struct ingest *g, struct source *src, int fd,
			       uint64_t max)
{
	struct scan_reader rd = source_reader(src);
	char *buf = xmalloc(COPY_SIZE);
	const char *why = NULL;
	uint64_t copied = 0;

	while (!why) {
		ssize_t n = rd.read(rd.ctx, buf, COPY_SIZE);

		if (ingest_stopped(g)) {
			why = "interrupted";
			break;
		}
		if (n < 0)
			why = source_strerror(src, (int)n);
		if (n <= 0)
			break;
		if ((copied += (uint64_t)n) > max) {
			why = "larger than OOMLENS_JOURNAL_COPY_MAX allows "
			      "(see oomlens(1), ENVIRONMENT)";
			break;
		}
		atomic_fetch_add(&g->bytes, (uint64_t)n);
		for (ssize_t off = 0; off < n && !why;) {
			ssize_t w = write(fd, buf + off, (size_t)(n - off));

			if (w < 0 && errno != EINTR)
				why = strerror(errno);
			else if (w > 0)
				off += w;
		}
	}
	free(buf);
	return why;
}

/*
 * A journal file inside an archive: sd-journal reads only files, so its
 * bytes go to a private temporary file ($TMPDIR), at most
 * journal_copy_max() bytes, removed when read, when the copy stops (a
 * signal, the cap) or when the process is killed (tmpfile.h).  Its cursor
 * is kept under the member's name, so the archive ingested again adds
 * nothing.
 */
static int archived_journal(struct ingest *g, struct source *src)
{
	const char *dir = getenv("TMPDIR");
	struct guarded_tmp tmp;
	const char *why = NULL;
	int r = guarded_tmp_open(&tmp, dir && *dir ? dir : "/tmp", ".journal");

	if (r < 0)
		why = strerror(-r);
	else
		why = copy_member(g, src, tmp.fd, journal_copy_max());
	r = 0;
	if (!why) {
		struct journal_opts o = { .fd = tmp.fd, .fd_name = src->path };
		char *key = xasprintf("journal:member:%s", src->path);

		r = ingest_journal(g, &o, src->path, key);
		free(key);
	}
	guarded_tmp_close(&tmp);
	if (why && ingest_stopped(g))
		return -EINTR;
	if (why) {
		struct input *in = input_new(g, src->path, src);

		input_note(in, INGEST_ERROR, "cannot extract the journal '%s': %s, "
		     "skipping", src->path, why);
		input_set_error(in, why);
		r = input_done_unread(g, in);
	}
	return r;
}

/* journalctl -o export / json: decoded into the native reader's text (its
 * own warnings name input lines), on this thread. */
static int journal_text_input(struct ingest *g, struct source *src)
{
	struct scan_reader rd = source_reader(src);
	struct input *in;
	int r = ingest_land_all(g);

	if (r < 0)
		return r;
	in = input_new(g, src->path, src);
	g->cur = in;
	in->text = journal_text_new(src->kind == SOURCE_JOURNAL_JSON ?
				    JOURNAL_TEXT_JSON : JOURNAL_TEXT_EXPORT,
				    &rd, ingest_input_warning, g);
	rd = journal_text_reader(in->text);
	r = ingest_stream(g, in, &rd, src->mtime, NULL, NULL);
	journal_text_free(in->text);
	input_free(in);
	return r;
}

int ingest_journal_source(struct ingest *g, struct source *src)
{
	int r;

	if (src->kind == SOURCE_JOURNAL && journal_file_magic(src->path))
		return journal_file_job(g, src->path);	/* by path */
	if (src->kind == SOURCE_JOURNAL) {
		r = ingest_land_all(g);
		return r < 0 ? r : archived_journal(g, src);
	}
	return journal_text_input(g, src);
}
