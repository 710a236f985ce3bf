/* tmpfile.h: a private temporary file that is removed even when the
 * process is killed (SIGKILL included). */
#ifndef OOMLENS_TMPFILE_H
#define OOMLENS_TMPFILE_H

#include <sys/types.h>

/*
 * sd-journal refuses a file that no path names (EIDRM on an O_TMPFILE or
 * memfd), so the copy of an archived journal must stay named while it is
 * read.  A guard process forked with it waits on a pipe whose only writer
 * is this process: when this process ends, however it ends, the guard
 * reads end-of-file and removes the file.
 */
struct guarded_tmp {
	int fd;			/* read-write, O_CLOEXEC, mode 0600 */
	char *path;
	int guard_pipe;		/* the write end; -1 when unguarded */
	pid_t guard;		/* -1 when fork failed: removed by close */
};

/* Create DIR/oomlens-XXXXXX<suffix>: 0, or -errno. */
int guarded_tmp_open(struct guarded_tmp *t, const char *dir,
		     const char *suffix);

/* Close and remove it, and end its guard. */
void guarded_tmp_close(struct guarded_tmp *t);

#endif
