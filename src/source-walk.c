/*
 * source-walk.c: the inputs named on the command line: a directory walked
 * (a sosreport's or a fleet's), its rotated files in the order they were
 * written, each file opened as a source and handed to the walk's input
 * (an archive by source-archive.c, member by member).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source-int.h"
#include "xalloc.h"

/* ---- rotated names ---- */

struct rot_name {
	size_t base_len;
	int group;		/* 0 dated, 1 numbered, 2 current */
	unsigned long long age;	/* date, or rotation number */
};

static const char *const compress_suffixes[] = {
	".gz", ".xz", ".zst", ".zstd", ".bz2", NULL,
};

static int all_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]))
			return 0;
	return n > 0;
}

static void rot_parse(const char *name, struct rot_name *rn)
{
	size_t len = strlen(name), i;

	for (int k = 0; compress_suffixes[k]; k++) {
		size_t sl = strlen(compress_suffixes[k]);

		if (len > sl && !strcmp(name + len - sl, compress_suffixes[k])) {
			len -= sl;
			break;
		}
	}
	rn->base_len = len;
	rn->group = 2;
	rn->age = 0;
	/* "-YYYY-MM-DD" */
	if (len > 11 && name[len - 11] == '-' && all_digits(name + len - 10, 4) &&
	    name[len - 6] == '-' && all_digits(name + len - 5, 2) &&
	    name[len - 3] == '-' && all_digits(name + len - 2, 2)) {
		rn->base_len = len - 11;
		rn->group = 0;
		rn->age = strtoull(name + len - 10, NULL, 10) * 10000 +
			  strtoull(name + len - 5, NULL, 10) * 100 +
			  strtoull(name + len - 2, NULL, 10);
		return;
	}
	for (i = len; i > 0 && isdigit((unsigned char)name[i - 1]); i--)
		;
	if (i == len || i < 2 || len - i > 18)
		return;
	if (name[i - 1] == '.' && len - i < 8) {
		rn->group = 1;	/* kern.log.1 */
	} else if ((name[i - 1] == '-' || name[i - 1] == '.') && len - i >= 8) {
		rn->group = 0;	/* messages-20261101, syslog-2026110100 */
	} else {
		return;
	}
	rn->base_len = i - 1;
	rn->age = strtoull(name + i, NULL, 10);
}

int source_name_cmp(const char *a, const char *b)
{
	struct rot_name ra, rb;
	size_t n;
	int c;

	rot_parse(a, &ra);
	rot_parse(b, &rb);
	n = ra.base_len < rb.base_len ? ra.base_len : rb.base_len;
	c = memcmp(a, b, n);
	if (c)
		return c;
	if (ra.base_len != rb.base_len)
		return ra.base_len < rb.base_len ? -1 : 1;
	if (ra.group != rb.group)
		return ra.group - rb.group;
	if (ra.age != rb.age) {
		int older_first = ra.age < rb.age ? -1 : 1;

		/* dates grow with time, rotation numbers with age */
		return ra.group == 0 ? older_first : -older_first;
	}
	return strcmp(a, b);
}

static int dirent_cmp(const struct dirent **a, const struct dirent **b)
{
	return source_name_cmp((*a)->d_name, (*b)->d_name);
}

/* ---- the walk ---- */

static int walk_file(struct source_walk *w, const char *path,
		     const struct source_hosts *h, int top)
{
	struct source *s;
	int r = source_open(path, &s);

	if (r < 0) {
		w->ops->error(w->ctx, SOURCE_ERR_OPEN, path, strerror(-r));
		return 0;
	}
	if (s->kind == SOURCE_ARCHIVE && !s->err)
		r = source_walk_archive(w, s, h, 0, top);
	else
		r = source_walk_input(w, s, h, 0);
	if (r == SOURCE_INPUT_KEPT)	/* the input closes it */
		return 0;
	source_close(s);
	return r;
}

/* The host a sosreport names at dir's top, or NULL; the caller frees. */
static char *sos_hostname(const char *dir)
{
	static const char *const names[] = {
		"hostname", "sos_commands/host/hostname", NULL,
	};

	for (int i = 0; names[i]; i++) {
		char *p = xasprintf("%s/%s", dir, names[i]);
		char buf[256];
		ssize_t n = -1;
		int fd = open(p, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

		free(p);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf));
		close(fd);
		if (n > 0) {
			char *host = source_parse_hostname(buf, (size_t)n);

			if (host)
				return host;
		}
	}
	return NULL;
}

/* level: 0 for the directory given, 1 for those just below it. */
static int walk_dir(struct source_walk *w, const char *path, int level,
		    const struct source_hosts *up)
{
	struct source_hosts h = *up;
	struct dirent **names;
	char *sos = NULL;
	int n, r = 0;

	if (level <= 1 && (sos = sos_hostname(path)))
		h.sos = sos;
	if (level == 1 && (w->flags & SOURCE_HOST_FROM_DIR)) {
		const char *slash = strrchr(path, '/');

		h.dir = slash ? slash + 1 : path;
	}
	n = scandir(path, &names, NULL, dirent_cmp);
	if (n < 0) {
		w->ops->error(w->ctx, SOURCE_ERR_DIR, path, strerror(errno));
		free(sos);
		return 0;
	}
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char *child;
		struct stat cst;

		if (r < 0 || !strcmp(name, ".") || !strcmp(name, "..")) {
			free(names[i]);
			continue;
		}
		child = xasprintf("%s%s%s", path,
				  path[strlen(path) - 1] == '/' ? "" : "/", name);
		if (lstat(child, &cst) == 0 && S_ISDIR(cst.st_mode))
			r = walk_dir(w, child, level + 1, &h);
		else if (stat(child, &cst) < 0)
			;	/* a dangling link, or gone meanwhile */
		else if (S_ISREG(cst.st_mode))
			r = walk_file(w, child, &h, 0);
		else if (S_ISDIR(cst.st_mode))	/* through a link */
			w->ops->error(w->ctx, SOURCE_NOTE_DIR_LINK, child,
				      "a symbolic link to a directory, not "
				      "followed");
		free(child);
		free(names[i]);
	}
	free(names);
	free(sos);
	return r;
}

int source_walk(const char *path, unsigned flags,
		const struct source_walk_ops *ops, void *ctx)
{
	struct source_walk w = { ops, ctx, flags };
	struct source_hosts h = { NULL, NULL };
	struct stat st;

	if (strcmp(path, "-") && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return walk_dir(&w, path, 0, &h);
	return walk_file(&w, path, &h, 1);	/* errors go to ops->error */
}
