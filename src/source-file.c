/* source-file.c: plain files, stdin and directory walks. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "source.h"
#include "xalloc.h"

int source_open(const char *path, struct source **ret)
{
	struct source *s;
	struct stat st;
	int fd;

	*ret = NULL;
	if (!strcmp(path, "-")) {
		fd = STDIN_FILENO;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
	}
	if (fstat(fd, &st) < 0) {
		int r = -errno;

		if (fd != STDIN_FILENO)
			close(fd);
		return r;
	}
	if (S_ISDIR(st.st_mode)) {
		if (fd != STDIN_FILENO)
			close(fd);
		return -EISDIR;
	}
	s = xcalloc(1, sizeof(*s));
	s->path = xstrdup(path);
	s->fd = fd;
	s->mtime = S_ISREG(st.st_mode) ? (int64_t)st.st_mtime
				       : (int64_t)time(NULL);
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	*ret = s;
	return 0;
}

void source_close(struct source *s)
{
	if (!s)
		return;
	if (s->fd != STDIN_FILENO)
		close(s->fd);
	free(s->path);
	free(s);
}

static ssize_t fd_read(void *ctx, void *buf, size_t n)
{
	struct source *s = ctx;
	size_t got = 0;

	/* fill the block: pipes hand out 64 KiB at a time */
	while (got < n) {
		ssize_t r = read(s->fd, (char *)buf + got, n - got);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return got ? (ssize_t)got : -errno;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

struct scan_reader source_reader(struct source *s)
{
	return (struct scan_reader){ .read = fd_read, .ctx = s };
}

int source_walk(const char *path, int (*fn)(void *ctx, const char *path),
		void (*on_error)(void *ctx, const char *path, int err),
		void *ctx)
{
	struct dirent **names;
	struct stat st;
	int n, r = 0;

	if (!strcmp(path, "-") || stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return fn(ctx, path);	/* fn reports what is wrong */
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0) {
		on_error(ctx, path, -errno);
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
			r = source_walk(child, fn, on_error, ctx);
		else if (stat(child, &cst) == 0 && S_ISREG(cst.st_mode))
			r = fn(ctx, child);
		free(child);
		free(names[i]);
	}
	free(names);
	return r;
}
