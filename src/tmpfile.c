/* tmpfile.c: see tmpfile.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tmpfile.h"
#include "xalloc.h"

/* The guard: nothing but its read end open (it must not keep a pipe or a
 * terminal of its parent's alive), wait for the end, remove.  Only
 * async-signal-safe calls: the parent may have threads. */
static void guard(int rd, const char *path)
{
	char c;

	if (rd > 0)
		close_range(0, (unsigned)rd - 1, 0);
	close_range((unsigned)rd + 1, ~0U, 0);
	while (read(rd, &c, 1) < 0 && errno == EINTR)
		;
	unlink(path);
	_exit(0);
}

static void start_guard(struct guarded_tmp *t)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return;
	t->guard = fork();
	if (t->guard == 0)
		guard(p[0], t->path);
	close(p[0]);
	if (t->guard < 0)
		close(p[1]);
	else
		t->guard_pipe = p[1];
}

int guarded_tmp_open(struct guarded_tmp *t, const char *dir,
		     const char *suffix)
{
	int e;

	t->path = xasprintf("%s/oomlens-XXXXXX%s", dir, suffix);
	t->guard_pipe = -1;
	t->guard = -1;
	t->fd = mkostemps(t->path, (int)strlen(suffix), O_CLOEXEC);
	if (t->fd >= 0) {
		start_guard(t);
		return 0;
	}
	e = errno;
	free(t->path);
	t->path = NULL;
	return -e;
}

void guarded_tmp_close(struct guarded_tmp *t)
{
	if (t->fd >= 0)
		close(t->fd);
	if (t->path)
		unlink(t->path);
	if (t->guard_pipe >= 0)
		close(t->guard_pipe);
	if (t->guard > 0)
		while (waitpid(t->guard, NULL, 0) < 0 && errno == EINTR)
			;
	free(t->path);
	*t = (struct guarded_tmp){ .fd = -1, .guard_pipe = -1, .guard = -1 };
}
