/*
 * source.h: inputs as byte streams: files, stdin, and directories walked
 * for the files in them.  Readers never print; they return -errno.
 */
#ifndef OOMLENS_SOURCE_H
#define OOMLENS_SOURCE_H

#include <stdint.h>

#include "scan.h"

struct source {
	char *path;		/* as given; "-" for stdin */
	int fd;
	int64_t mtime;		/* seconds; now for stdin and pipes */
};

/* Open a file (or "-" for stdin).  -EISDIR for a directory. */
int source_open(const char *path, struct source **ret);
void source_close(struct source *s);
/* A reader for scan_stream() over s. */
struct scan_reader source_reader(struct source *s);

/*
 * Call fn for path, or for every regular file below it when it is a
 * directory (sorted by name, symbolic links to directories not followed,
 * so a link loop cannot trap the walk).  An unreadable directory is passed
 * to on_error with its -errno and the walk goes on.  Stops early when fn
 * returns < 0 and returns that.
 */
int source_walk(const char *path, int (*fn)(void *ctx, const char *path),
		void (*on_error)(void *ctx, const char *path, int err),
		void *ctx);

#endif
