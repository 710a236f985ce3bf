/*
 * source-archive.c: tar archives through libarchive, member by member.
 *
 * libarchive sees the archive's decoded bytes (our read stack did the
 * gzip, xz, zstd or bzip2), so an archive on a pipe works, and a damaged
 * archive is reported in the same words as a damaged file.  Only the tar
 * formats are enabled (ustar, pax, GNU): nothing here runs an external
 * program.  Each regular member becomes a source of its own, with its own
 * read stack: a member that is compressed, or is itself an archive, is
 * read like a file would be.
 *
 * sosreport hostname files name the host of the members below their top.
 * sos writes its archives sorted, so "sos_commands/host/hostname" comes
 * before the logs that lack a host (sos_commands/kernel/dmesg); an archive
 * re-made with GNU tar is in directory order, and there source_host()
 * reads the archive file ahead for the hostname files when a report
 * needs one: once per archive, and never when every report has a host or
 * --host-from-dir names it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "source-int.h"
#include "xalloc.h"

/* Hostname files remembered per archive, at most this many tops. */
#define MAX_SOS_TOPS 64

/* A sosreport top inside the archive: "" or "sosreport-x-2026/". */
struct sos_top {
	char *prefix;
	char *host;
};

struct source_arch {
	struct archive *a;
	struct source *outer;	/* the archive's own source */
	unsigned char *block;	/* what libarchive reads from */
	int outer_err;		/* the outer source failed: its error */
	struct sos_top tops[MAX_SOS_TOPS];
	size_t n_tops;
	int looked_ahead;	/* source_host() read the file through */
};

struct member {
	struct source_arch *ar;
	struct source *s;
};

static la_ssize_t arch_read(struct archive *a, void *ctx, const void **buf)
{
	struct source_arch *ar = ctx;
	struct scan_reader rd = source_reader(ar->outer);
	ssize_t n = rd.read(rd.ctx, ar->block, SOURCE_IN_SIZE);

	if (n < 0) {
		ar->outer_err = (int)n;
		archive_set_error(a, EIO, "%s", source_strerror(ar->outer, (int)n));
		return -1;
	}
	*buf = ar->block;
	return n;
}

static void arch_init(struct source_arch *ar, struct source *outer)
{
	memset(ar, 0, sizeof(*ar));
	ar->a = archive_read_new();
	ar->outer = outer;
	ar->block = xmalloc(SOURCE_IN_SIZE);
	archive_read_support_format_tar(ar->a);
	archive_read_support_format_gnutar(ar->a);
}

static void arch_release(struct source_arch *ar)
{
	for (size_t i = 0; i < ar->n_tops; i++) {
		free(ar->tops[i].prefix);
		free(ar->tops[i].host);
	}
	archive_read_free(ar->a);
	free(ar->block);
}

/* Why libarchive failed: the outer stream's error, or the tar's. */
static int arch_why(struct source_arch *ar, char *msg, size_t size)
{
	const char *why = archive_error_string(ar->a);

	if (ar->outer_err) {
		snprintf(msg, size, "%s",
			 source_strerror(ar->outer, ar->outer_err));
		return ar->outer_err;
	}
	snprintf(msg, size, "corrupt tar archive (%s)",
		 why ? why : "unknown error");
	return -EBADMSG;
}

static int arch_fail(struct source_arch *ar, struct source *s)
{
	char msg[sizeof(s->errmsg)];
	int err = arch_why(ar, msg, sizeof(msg));

	return source_fail(s, err, "%s", msg);
}

static ssize_t member_read(void *ctx, void *buf, size_t n)
{
	struct member *m = ctx;
	la_ssize_t r = archive_read_data(m->ar->a, buf, n);

	if (r < 0)
		return arch_fail(m->ar, m->s);
	return (ssize_t)r;
}

/* "./var/log/x" and "/var/log/x" are "var/log/x". */
static const char *member_name(const char *name)
{
	for (;;) {
		if (name[0] == '/')
			name++;
		else if (name[0] == '.' && name[1] == '/')
			name += 2;
		else
			return name;
	}
}

/* The length of the top "dir/" of name, 0 when name has no directory. */
static size_t top_len(const char *name)
{
	const char *slash = strchr(name, '/');

	return slash ? (size_t)(slash - name) + 1 : 0;
}

/* name is "hostname" or "sos_commands/host/hostname" at the archive's
 * top or one directory below: the prefix it names, else NULL. */
static char *sos_prefix(const char *name)
{
	static const char *const files[] = {
		"hostname", "sos_commands/host/hostname", NULL,
	};
	size_t t = top_len(name);

	for (int i = 0; files[i]; i++) {
		if (!strcmp(name, files[i]))
			return xstrdup("");
		if (t && !strcmp(name + t, files[i]))
			return xstrndup(name, t);
	}
	return NULL;
}

static const char *sos_lookup(const struct source_arch *ar, const char *name)
{
	size_t t = top_len(name);
	const char *top = NULL;

	for (size_t i = 0; i < ar->n_tops; i++) {
		if (t && strlen(ar->tops[i].prefix) == t &&
		    !strncmp(ar->tops[i].prefix, name, t))
			return ar->tops[i].host;
		if (!ar->tops[i].prefix[0])
			top = ar->tops[i].host;
	}
	return top;
}

/* Remember the host a hostname member s names; the first one per top
 * stays. */
static void sos_learn(struct source_arch *ar, const char *name,
		      const struct source *s)
{
	char *prefix, *host;

	if (ar->n_tops >= MAX_SOS_TOPS || s->kind != SOURCE_TEXT)
		return;
	prefix = sos_prefix(name);
	if (!prefix)
		return;
	for (size_t i = 0; i < ar->n_tops; i++) {
		if (!strcmp(ar->tops[i].prefix, prefix)) {
			free(prefix);
			return;
		}
	}
	host = source_parse_hostname(s->head, s->head_len);
	if (!host) {
		free(prefix);
		return;
	}
	ar->tops[ar->n_tops].prefix = prefix;
	ar->tops[ar->n_tops].host = host;
	ar->n_tops++;
}

/* A member's read stack over the archive's current entry. */
static struct source *member_new(struct member *m, struct archive_entry *e,
				 const char *name)
{
	struct scan_reader raw = { member_read, m };

	m->s = source_new(xasprintf("%s:%s", m->ar->outer->path, name), &raw,
			  (int64_t)archive_entry_mtime(e));
	source_setup(m->s);
	return m->s;
}

/* Read the archive file again, from its start, for every hostname file
 * in it (headers only, and the hostname members' heads). */
static void look_ahead(struct source_arch *ar)
{
	struct source_arch la;
	struct archive_entry *e;
	struct source *again;
	int ret;

	ar->looked_ahead = 1;
	if (ar->outer->fd < 0 || ar->outer->fd == STDIN_FILENO ||
	    lseek(ar->outer->fd, 0, SEEK_CUR) < 0 ||
	    source_open(ar->outer->path, &again) < 0)
		return;		/* a pipe, or a member of an archive */
	arch_init(&la, again);
	ret = archive_read_open(la.a, &la, NULL, arch_read, NULL);
	while (ret == ARCHIVE_OK || ret == ARCHIVE_WARN || ret == ARCHIVE_RETRY) {
		const char *name;
		char *prefix;

		ret = archive_read_next_header(la.a, &e);
		if (ret != ARCHIVE_OK && ret != ARCHIVE_WARN)
			continue;
		name = member_name(archive_entry_pathname(e));
		prefix = sos_prefix(name);
		if (prefix && archive_entry_filetype(e) == AE_IFREG) {
			struct member m = { &la, NULL };

			member_new(&m, e, name);
			sos_learn(ar, name, m.s);
			source_close(m.s);
		}
		free(prefix);
	}
	arch_release(&la);
	source_close(again);
}

const char *source_host(struct source *s)
{
	struct source_arch *ar = s->arch;
	const char *host;

	if (s->host || !ar)
		return s->host;
	host = sos_lookup(ar, s->member);
	if (!host && !ar->looked_ahead) {
		look_ahead(ar);
		host = sos_lookup(ar, s->member);
	}
	if (host)
		s->host = xstrdup(host);
	return s->host;
}

/*
 * One member: its read stack, its hosts, then the walk.  Returns what the
 * walk's input returned; *ret_reported is set when the member's reader
 * returned an error (the caller reported it, with the member's path).
 */
static int walk_member(struct source_walk *w, struct source_arch *ar,
		       struct archive_entry *e, const struct source_hosts *up,
		       int depth, int top, int *ret_reported)
{
	const char *name = member_name(archive_entry_pathname(e));
	struct source_hosts h = *up;
	struct member m = { ar, NULL };
	char *dir = NULL;
	const char *sos;
	int r;

	member_new(&m, e, name);
	m.s->arch = ar;
	m.s->member = xstrdup(name);
	sos_learn(ar, name, m.s);
	if ((sos = sos_lookup(ar, name)))
		h.sos = sos;
	if (top && !h.dir && (w->flags & SOURCE_HOST_FROM_DIR) && top_len(name))
		h.dir = dir = xstrndup(name, top_len(name) - 1);

	if (m.s->kind == SOURCE_ARCHIVE && !m.s->err) {
		if (depth + 1 >= SOURCE_MAX_NESTING) {
			w->ops->error(w->ctx, SOURCE_ERR_OPEN, m.s->path,
				      "archives nested too deep");
			r = 0;
		} else {
			r = source_walk_archive(w, m.s, &h, depth + 1, 0);
		}
	} else {
		r = source_walk_input(w, m.s, &h, depth + 1);
	}
	*ret_reported = m.s->err != 0;
	source_close(m.s);
	free(dir);
	return r;
}

int source_walk_archive(struct source_walk *w, struct source *s,
			const struct source_hosts *h, int depth, int top)
{
	struct source_arch ar;
	struct archive_entry *e;
	int reported = 0, r = 0, ret;
	unsigned retries = 0;

	arch_init(&ar, s);
	ret = archive_read_open(ar.a, &ar, NULL, arch_read, NULL);
	while (ret == ARCHIVE_OK && r >= 0 && !ar.outer_err) {
		ret = archive_read_next_header(ar.a, &e);
		if (ret == ARCHIVE_RETRY) {
			/* a damaged header: libarchive steps one block at a
			 * time towards the next good one, always forward;
			 * what lies between is lost, said once */
			char msg[sizeof(s->errmsg)];

			if (!retries++) {
				arch_why(&ar, msg, sizeof(msg));
				w->ops->error(w->ctx, SOURCE_ERR_SKIPPED,
					      s->path, msg);
			}
			ret = ARCHIVE_OK;
			continue;
		}
		if (ret == ARCHIVE_WARN)
			ret = ARCHIVE_OK;	/* e.g. a pax attribute we ignore */
		if (ret != ARCHIVE_OK)
			break;
		retries = 0;
		reported = 0;
		/* hard links carry no data of their own */
		if (archive_entry_filetype(e) != AE_IFREG ||
		    archive_entry_hardlink(e))
			continue;
		r = walk_member(w, &ar, e, h, depth, top, &reported);
	}
	if (r >= 0 && ret != ARCHIVE_EOF && !reported) {
		/* the damage fell between members, or on the first header */
		char msg[sizeof(s->errmsg)];

		arch_why(&ar, msg, sizeof(msg));
		w->ops->error(w->ctx, SOURCE_ERR_ARCHIVE, s->path, msg);
	}
	arch_release(&ar);
	return r;
}

/* ---- one input of a walk: an archive member by member ---- */

/*
 * An OpenShift must-gather keeps each node's files under
 * "must-gather.../IMAGE/nodes/NODE/": NODE is their host.  The node's
 * name from path (a file's, or an archive member's "ARCHIVE:member"), or
 * NULL; the caller frees it.
 */
static char *must_gather_host(const char *path)
{
	const char *p = path, *mg = NULL, *nodes, *end;

	for (; *p; p++)
		if ((p == path || p[-1] == '/' || p[-1] == ':') &&
		    !strncmp(p, "must-gather", 11)) {
			mg = p;
			break;
		}
	if (!mg || !(nodes = strstr(mg, "/nodes/")))
		return NULL;
	nodes += strlen("/nodes/");
	end = strchr(nodes, '/');
	if (!end || end == nodes)
		return NULL;	/* a file of nodes/ itself */
	return source_parse_hostname(nodes, (size_t)(end - nodes));
}

int source_walk_input(struct source_walk *w, struct source *s,
		      const struct source_hosts *h, int depth)
{
	const char *host = h->dir ? h->dir : h->sos;

	if (s->kind == SOURCE_ARCHIVE && !s->err)
		return source_walk_archive(w, s, h, depth, 0);
	free(s->host);
	s->host = host ? xstrdup(host) : must_gather_host(s->path);
	return w->ops->input(w->ctx, s);
}
