/* ingest.c: see ingest.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "badness.h"
#include "classify.h"
#include "ingest.h"
#include "journal.h"
#include "oom.h"
#include "report.h"
#include "scan.h"
#include "source.h"
#include "store.h"
#include "story.h"
#include "xalloc.h"

/* Block size for copying a journal out of an archive. */
#define JOURNAL_COPY_SIZE (256 * 1024)

struct ingest {
	struct store *st;
	struct classifier *cls;
	struct ingest_opts o;
	const struct ingest_ops *ops;
	void *ctx;
	struct ingest_totals totals;

	/* the input being read */
	struct ingest_result res;
	struct source *src;
	struct journal_text *text;	/* a journal text export's decoder */
	int64_t source_id;
	int source_added;	/* its row is in, source_id is valid */
	int save_error;		/* first store error of this input */
	int64_t *ids;		/* events stored, handed out after commit */
	int *copies;
	size_t n_ids, cap_ids;
	/* wall clock span of the input's events and userspace lines: only
	 * unlinked lines near it can have found their event in it */
	int64_t wall_min, wall_max;
	int have_wall;
	uint64_t bytes_before;	/* totals.bytes when the input started */
	/* a file resumed: where this read starts, and its resume row */
	char *file_key;
	struct source_identity file_id;
	uint64_t start_lines;
};

static void say(struct ingest *g, enum ingest_level level, const char *fmt,
		...) __attribute__((format(printf, 3, 4)));

static void say(struct ingest *g, enum ingest_level level, const char *fmt,
		...)
{
	va_list ap;
	char *msg;

	if (!g->ops->message)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	g->ops->message(g->ctx, level, msg ? msg : fmt);
	free(msg);
}

int ingest_new(struct store *st, const struct ingest_opts *o,
	       const struct ingest_ops *ops, void *ctx, struct ingest **ret,
	       char **ret_err)
{
	struct ingest *g = xcalloc(1, sizeof(*g));

	*ret = NULL;
	if (classify_new(&g->cls, ret_err) < 0) {
		free(g);
		return -EINVAL;
	}
	g->st = st;
	g->o = *o;
	g->ops = ops;
	g->ctx = ctx;
	*ret = g;
	return 0;
}

void ingest_free(struct ingest *g)
{
	if (!g)
		return;
	classify_free(g->cls);
	free(g->ids);
	free(g->copies);
	free(g->file_key);
	free(g);
}

const struct ingest_totals *ingest_totals(const struct ingest *g)
{
	return &g->totals;
}

static void start_input(struct ingest *g, const char *path, struct source *src)
{
	memset(&g->res, 0, sizeof(g->res));
	g->res.path = path;
	g->src = src;
	g->text = NULL;
	g->save_error = 0;
	g->source_added = 0;
	g->n_ids = 0;
	g->have_wall = 0;
	g->bytes_before = g->totals.bytes;
	free(g->file_key);
	g->file_key = NULL;
	g->start_lines = 0;
	g->totals.inputs++;
}

static void input_done(struct ingest *g)
{
	if (g->res.error)
		g->totals.failed++;
	else if (g->res.skipped)
		g->totals.skipped++;
	if (g->ops->input_done)
		g->ops->input_done(g->ctx, &g->res);
}

/*
 * The input's row, added with its first report (or at its end), so that
 * a host found only then (source_host() reading an archive ahead) is the
 * row's host too.  The layout's host (--host-from-dir, sosreport) comes
 * before --host.
 */
static int add_source(struct ingest *g)
{
	const char *host = g->src && g->src->host ? g->src->host : g->o.host;

	if (g->source_added)
		return 0;
	g->source_added = 1;
	return store_add_source(g->st, g->res.path, host, &g->source_id);
}

/* Whether the input can take a record now: its source row is in and no
 * store error came before.  Every sink callback starts with it. */
static int input_writable(struct ingest *g)
{
	if (!g->save_error)
		g->save_error = add_source(g);
	return !g->save_error;
}

static void keep_id(struct ingest *g, int64_t id, int copy)
{
	if (g->n_ids == g->cap_ids) {
		g->cap_ids = g->cap_ids ? 2 * g->cap_ids : 64;
		g->ids = xrealloc(g->ids, g->cap_ids * sizeof(*g->ids));
		g->copies = xrealloc(g->copies, g->cap_ids * sizeof(*g->copies));
	}
	g->ids[g->n_ids] = id;
	g->copies[g->n_ids++] = copy;
}

/* A time of the input's events and lines, for the link pass. */
static void saw_wall(struct ingest *g, int64_t us)
{
	if (!g->have_wall || us < g->wall_min)
		g->wall_min = us;
	if (!g->have_wall || us > g->wall_max)
		g->wall_max = us;
	g->have_wall = 1;
}

static void on_report(void *ctx, struct oom_report *r)
{
	struct ingest *g = ctx;
	int64_t id;

	if (!r->host) {
		const char *host = g->src ? source_host(g->src) : NULL;

		if (host || (host = g->o.host))
			r->host = xstrdup(host);
	}
	badness_analyse(r);
	if (input_writable(g)) {
		g->save_error = store_save_report(g->st, g->source_id, r, &id);
		if (!g->save_error) {
			g->res.events++;
			g->totals.found++;
			keep_id(g, id, store_last_save_was_copy(g->st));
			if (r->known & RK_WALL)
				saw_wall(g, r->wall_us);
		}
	}
	oom_report_free(r);
}

/* A userspace line: stored; a userspace kill is an event as well. */
static void on_story(void *ctx, struct story_event *e)
{
	struct ingest *g = ctx;
	struct oom_report *r;
	int64_t id = 0;
	int dup = 0;

	if (!e->host) {
		const char *host = g->src ? source_host(g->src) : NULL;

		if (host || (host = g->o.host))
			e->host = xstrdup(host);
	}
	if (input_writable(g) && (r = story_kill_report(e)) != NULL) {
		g->save_error = store_save_report(g->st, g->source_id, r, &id);
		if (!g->save_error) {
			g->res.events++;
			g->totals.found++;
			keep_id(g, id, store_last_save_was_copy(g->st));
		}
		oom_report_free(r);
	}
	if (input_writable(g)) {
		g->save_error = store_save_story(g->st, g->source_id, e, id,
						 &dup);
		if (!g->save_error && !dup)
			g->res.stories++;
		if (e->known & SK_WALL)
			saw_wall(g, e->wall_us);
	}
	story_event_free(e);
}

/* A warning of the decoder of a journal text export: its own lines. */
static void on_input_warning(void *ctx, uint64_t lineno, const char *msg)
{
	struct ingest *g = ctx;

	g->res.warnings++;
	if (g->ops->line_warning)
		g->ops->line_warning(g->ctx, g->res.path, lineno, msg);
}

static void on_warning(void *ctx, uint64_t lineno, const char *msg)
{
	struct ingest *g = ctx;

	/* the parsers count the lines the decoder rendered */
	if (g->text)
		lineno = journal_text_input_line(g->text, lineno);

	g->res.warnings++;
	if (g->ops->line_warning)
		g->ops->line_warning(g->ctx, g->res.path, lineno, msg);
}

/* The reader of an input, counting its bytes for the progress display. */
struct counting_reader {
	const struct scan_reader *rd;
	struct ingest *g;
};

static int stopped(const struct ingest *g)
{
	return g->o.stop && *g->o.stop;
}

static ssize_t counting_read(void *ctx, void *buf, size_t n)
{
	struct counting_reader *cr = ctx;
	ssize_t r;

	if (stopped(cr->g))
		return -EINTR;
	r = cr->rd->read(cr->rd->ctx, buf, n);

	if (r > 0) {
		cr->g->totals.bytes += (uint64_t)r;
		if (cr->g->ops->progress)
			cr->g->ops->progress(cr->g->ctx, &cr->g->totals);
	}
	return r;
}

/* Binary files are skipped, with a notice. */
static void skip_input(struct ingest *g, struct source *src)
{
	g->res.skipped = "binary";
	say(g, INGEST_NOTICE, "skipping '%s': binary, not a text log",
	    src->path);
	input_done(g);
}

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

static int save_file_resume(struct ingest *g, const struct scan_stats *st)
{
	struct resume_point rp = { .has_offset = 1 };
	char tail[33] = "-";
	int r;

	rp.offset = (int64_t)(g->res.resumed_at + st->safe_bytes);
	if (source_tail_hash(g->src, (uint64_t)rp.offset, tail) < 0)
		strcpy(tail, "-");
	rp.fingerprint = xasprintf("lines=%" PRIu64 " size=%" PRId64
				   " mtime=%" PRId64 " tail=%s",
				   g->start_lines + st->safe_lines,
				   g->file_id.raw_size, g->file_id.raw_mtime_ns,
				   tail);
	r = store_set_resume(g->st, g->file_key, &rp);
	free(rp.fingerprint);
	return r;
}

/*
 * Where to start reading src: 0 and the start in g (offset in
 * res.resumed_at, lines in start_lines), 1 when nothing changed since the
 * last read, < 0 on a read error (the reader reports it).
 */
static int file_resume(struct ingest *g, struct source *src)
{
	struct resume_point rp;
	const char *host = src->host ? src->host : g->o.host;
	uint64_t lines = 0;
	int64_t size = -1, mtime = -1, offset, skipped;
	char tail[33] = "-", now[33];

	free(g->file_key);
	g->file_key = NULL;
	if (source_identity(src, &g->file_id) < 0)
		return 0;	/* stdin, a pipe, an archive member */
	g->file_key = xasprintf("file:%s:%s:%zu", host ? host : "",
				g->file_id.head_hash, g->file_id.head_len);
	if (store_get_resume(g->st, g->file_key, &rp) < 0 || !rp.has_offset)
		return 0;
	if (rp.fingerprint)
		sscanf(rp.fingerprint, FILE_HINTS, &lines, &size, &mtime, tail);
	offset = rp.offset;
	resume_point_release(&rp);
	if (src->codec == SOURCE_PLAIN && g->file_id.raw_size < offset)
		return 0;	/* truncated: read it again */
	/* the same head is not enough: another file may start the same
	 * (cloned machines' dmesg) and go on otherwise */
	if (strcmp(tail, "-") &&
	    source_tail_hash(src, (uint64_t)offset, now) == 0 &&
	    strcmp(tail, now))
		return 0;
	if (size == g->file_id.raw_size && mtime == g->file_id.raw_mtime_ns &&
	    (src->codec != SOURCE_PLAIN || offset == size))
		return 1;
	skipped = source_skip(src, (uint64_t)offset);
	if (skipped < 0)
		return (int)skipped;
	g->res.resumed_at = (uint64_t)skipped;
	g->start_lines = skipped == offset ? lines : 0;
	return 0;
}

/*
 * Scan one input into its own transaction.  The journal's resume point
 * (key and j) commits with the events read before it.
 */
static int ingest_stream(struct ingest *g, const struct scan_reader *rd,
			 int64_t ref_time, const char *resume_key,
			 struct journal_src *j)
{
	struct report_sink sink = { on_report, on_warning, g, on_story };
	size_t linked;
	struct counting_reader cr = { rd, g };
	struct scan_reader counted = { counting_read, &cr };
	struct scan_stats stats = { 0 };
	const char *path = g->res.path;
	int r;

	r = store_begin(g->st);
	if (r < 0) {
		say(g, INGEST_ERROR, "'%s': %s", path, store_errmsg(g->st));
		store_rollback(g->st);
		g->res.error = "database error";
		input_done(g);
		return r;	/* the database is unusable: stop */
	}
	r = scan_stream_at(g->cls, &counted, ref_time, g->start_lines, &sink,
			   &stats);
	g->res.lines = stats.lines;
	g->res.bytes = stats.bytes;
	if (r < 0 && stopped(g)) {
		store_rollback(g->st);
		say(g, INGEST_ERROR, "interrupted while reading '%s': nothing "
		    "of it stored", path);
		g->res.error = "interrupted";
		g->res.events = 0;
		input_done(g);
		return -EINTR;	/* stop */
	}
	if (r < 0) {
		const char *why = g->src ? source_strerror(g->src, r)
					 : strerror(-r);

		store_rollback(g->st);
		say(g, INGEST_ERROR, "cannot read '%s': %s, nothing of it "
		    "stored", path, why);
		g->res.error = why;
		g->totals.found -= g->res.events;
		g->res.events = 0;
		input_done(g);
		return 0;
	}
	/* a line and the kernel report it tells of may come in two inputs */
	if (input_writable(g) && g->have_wall)
		g->save_error = store_link_story(g->st, g->wall_min,
						 g->wall_max, &linked);
	if (input_writable(g) && j && journal_cursor(j)) {
		struct resume_point rp = { .cursor = (char *)journal_cursor(j) };

		g->save_error = store_set_resume(g->st, resume_key, &rp);
	}
	if (!g->save_error && g->file_key)
		g->save_error = save_file_resume(g, &stats);
	if (g->save_error || (r = store_commit(g->st)) < 0) {
		say(g, INGEST_ERROR, "cannot store events of '%s': %s", path,
		    store_errmsg(g->st));
		store_rollback(g->st);
		g->res.error = "database error";
		g->totals.found -= g->res.events;
		g->res.events = 0;
		input_done(g);
		return g->save_error ? g->save_error : r;
	}
	if (j) {
		g->res.journal = 1;
		g->res.journal_entries = journal_entries(j);
		g->res.journal_kernel = journal_kernel_entries(j);
	} else if (g->text) {
		g->res.journal_text = 1;
		g->res.journal_entries = journal_text_entries(g->text);
		g->res.journal_kernel = journal_text_kernel_entries(g->text);
	}
	if (j && journal_damage(j)) {
		/* stored what could be read, but the input failed */
		say(g, INGEST_ERROR, "'%s': %s", path, journal_damage(j));
		g->res.error = journal_damage(j);
	}
	g->totals.events += g->res.events;
	for (size_t i = 0; i < g->n_ids && g->ops->event; i++)
		g->ops->event(g->ctx, g->ids[i], g->copies[i]);
	input_done(g);
	return 0;
}

static int journal_input(struct ingest *g, const struct journal_opts *base,
			 const char *name, const char *key)
{
	struct journal_opts o = *base;
	struct resume_point rp = { 0 };
	struct journal_src *j = NULL;
	struct scan_reader rd;
	char *err = NULL;
	int r;

	start_input(g, name, NULL);
	o.kernel_only = 1;
	if (store_get_resume(g->st, key, &rp) == 0)
		o.after_cursor = rp.cursor;
	r = journal_open(&o, &j, &err);
	if (r < 0) {
		say(g, INGEST_ERROR, "%s, skipping", err);
		g->res.error = err;
		input_done(g);
		free(err);
		resume_point_release(&rp);
		return 0;
	}
	rd = journal_reader(j);
	r = ingest_stream(g, &rd, 0, key, j);
	journal_close(j);
	resume_point_release(&rp);
	return r;
}

int ingest_journal(struct ingest *g, const struct journal_opts *o,
		   const char *name, const char *resume_key)
{
	return journal_input(g, o, name, resume_key);
}

/*
 * A journal file inside an archive: sd-journal reads only files, so its
 * bytes go to a private temporary file ($TMPDIR), removed when read.  Its
 * cursor is kept under the member's name, so the archive ingested again
 * adds nothing.
 */
static int archived_journal(struct ingest *g, struct source *src)
{
	const char *dir = getenv("TMPDIR");
	char *tmp = xasprintf("%s/oomlens-XXXXXX.journal",
			      dir && *dir ? dir : "/tmp");
	struct scan_reader rd = source_reader(src);
	const char *why = NULL;
	char *buf = NULL, *key;
	int fd, r = 0;

	fd = mkstemps(tmp, 8);
	if (fd < 0) {
		why = strerror(errno);
		goto fail;
	}
	buf = xmalloc(JOURNAL_COPY_SIZE);
	for (;;) {
		ssize_t n = rd.read(rd.ctx, buf, JOURNAL_COPY_SIZE);

		if (n < 0) {
			why = source_strerror(src, (int)n);
			break;
		}
		if (n == 0)
			break;
		g->totals.bytes += (uint64_t)n;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(fd, buf + off, (size_t)(n - off));

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				why = strerror(errno);
				break;
			}
			off += w;
		}
		if (why)
			break;
	}
	free(buf);
	if (close(fd) < 0 && !why)
		why = strerror(errno);
	if (!why) {
		const char *files[] = { tmp };
		struct journal_opts o = { .files = files, .n_files = 1 };

		key = xasprintf("journal:member:%s", src->path);
		r = journal_input(g, &o, src->path, key);
		free(key);
	}
	unlink(tmp);
fail:
	if (why) {
		start_input(g, src->path, src);
		say(g, INGEST_ERROR, "cannot extract the journal '%s': %s, "
		    "skipping", src->path, why);
		g->res.error = why;
		input_done(g);
	}
	free(tmp);
	return r;
}

static int walk_input(void *ctx, struct source *src)
{
	struct ingest *g = ctx;
	struct scan_reader rd;
	int r;

	if (stopped(g))
		return -EINTR;
	if (src->kind == SOURCE_JOURNAL && journal_file_magic(src->path)) {
		/* a journal file on disk: sd-journal reads it by path */
		const char *files[] = { src->path };
		struct journal_opts o = { .files = files, .n_files = 1 };
		char *key = xasprintf("journal:file:%s", src->path);
		int jr = journal_input(g, &o, src->path, key);

		free(key);
		return jr;
	}
	if (src->kind == SOURCE_JOURNAL)
		return archived_journal(g, src);
	start_input(g, src->path, src);
	if (src->kind == SOURCE_BINARY) {
		skip_input(g, src);
		return 0;
	}
	/* journal exports are decoded into other text: offsets into that
	 * are not offsets into the file, so they are read whole (the store
	 * keeps each report once) */
	r = src->kind == SOURCE_TEXT ? file_resume(g, src) : 0;
	if (r == 1) {
		g->res.unchanged = 1;
		input_done(g);
		return 0;
	}
	rd = source_reader(src);
	if (src->kind == SOURCE_JOURNAL_EXPORT ||
	    src->kind == SOURCE_JOURNAL_JSON) {
		/* journalctl -o export / json: decoded into the native
		 * reader's text; its own warnings name input lines */
		g->text = journal_text_new(src->kind == SOURCE_JOURNAL_JSON ?
					   JOURNAL_TEXT_JSON :
					   JOURNAL_TEXT_EXPORT,
					   &rd, on_input_warning, g);
		rd = journal_text_reader(g->text);
		r = ingest_stream(g, &rd, src->mtime, NULL, NULL);
		journal_text_free(g->text);
		g->text = NULL;
		return r;
	}
	return ingest_stream(g, &rd, src->mtime, NULL, NULL);
}

static void walk_error(void *ctx, enum source_error_where where,
		       const char *path, const char *msg)
{
	struct ingest *g = ctx;

	switch (where) {
	case SOURCE_NOTE_DIR_LINK:
		/* what a loop of links would walk forever: said, not failed */
		say(g, INGEST_NOTICE, "skipping '%s': %s", path, msg);
		return;
	case SOURCE_ERR_DIR:
		say(g, INGEST_ERROR, "cannot read directory '%s': %s, "
		    "skipping", path, msg);
		break;
	case SOURCE_ERR_ARCHIVE:
		say(g, INGEST_ERROR, "cannot read '%s': %s, skipping the rest "
		    "of it", path, msg);
		break;
	case SOURCE_ERR_SKIPPED:
		say(g, INGEST_ERROR, "cannot read part of '%s': %s, skipping "
		    "to the next member", path, msg);
		break;
	case SOURCE_ERR_OPEN:
		say(g, INGEST_ERROR, "cannot read '%s': %s, skipping", path,
		    msg);
		break;
	}
	start_input(g, path, NULL);
	g->res.error = msg;
	input_done(g);
}

int ingest_path(struct ingest *g, const char *path)
{
	static const struct source_walk_ops walk_ops = {
		walk_input, walk_error,
	};

	return source_walk(path, g->o.walk_flags, &walk_ops, g);
}
