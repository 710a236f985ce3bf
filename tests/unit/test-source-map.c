/*
 * test-source-map.c: a plain file mapped for the scan (source-map.c), and
 * what happens when it shrinks under the mapping.
 *
 * The file is cut after its pages were read; reading them again faults.
 * The guard must let the read go on (no SIGBUS), put newlines where the
 * file was (a newline the scanner found must still be one: zeros there
 * crashed the scanner, which had found the line's end with memrchr()), and
 * make the next step fail, saying why.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "source.h"
#include "xalloc.h"

#define SIZE (1024 * 1024)

static char *make_file(void)
{
	const char *base = getenv("TMPDIR");
	char *path = xasprintf("%s/oomlens-test-map-XXXXXX",
			       base && *base ? base : "/tmp");
	int fd = mkstemp(path);
	char *text = xmalloc(SIZE);

	CHECK(fd >= 0, "mkstemp %s", path);
	/* lines of 100 bytes: a newline at 99, 199, ... */
	for (size_t i = 0; i < SIZE; i++)
		text[i] = i % 100 == 99 ? '\n' : 'a' + (char)(i % 26);
	CHECK(fd >= 0 && write(fd, text, SIZE) == SIZE, "write");
	if (fd >= 0)
		close(fd);
	free(text);
	return path;
}

int main(void)
{
	char *path = make_file();
	struct source *s = NULL;
	struct source_map *m = NULL;
	char *data = NULL;
	uint64_t len = 0;
	volatile char seen_before, seen_after, beyond;
	unsigned sum = 0;
	int fd, r;

	CHECK(source_open(path, &s) == 0, "open %s", path);
	if (!s)
		return check_done("test-source-map");
	CHECK(source_map(s, 1, &m, &data, &len) == 1, "mapped");
	CHECK_EQ(len, SIZE);
	if (!m)
		return check_done("test-source-map");
	/* the scan has read the whole file */
	for (size_t i = 0; i < SIZE; i += 512)
		sum += (unsigned char)data[i];
	CHECK(sum > 0, "read");
	CHECK_EQ(source_map_step(m, SIZE, 0), 0);
	seen_before = data[500099];
	CHECK_EQ(seen_before, '\n');

	/* cut to 4 KiB: the pages after it go, and come back as newlines */
	fd = open(path, O_WRONLY);
	CHECK(fd >= 0 && ftruncate(fd, 4096) == 0, "ftruncate");
	if (fd >= 0)
		close(fd);
	seen_after = data[500099];	/* a newline the scan found */
	beyond = data[500050];		/* a letter before the cut */
	CHECK_EQ(seen_after, '\n');
	CHECK_EQ(beyond, '\n');
	CHECK_EQ(data[100], 'a' + 100 % 26);	/* before the cut: the file's */
	/* the scanner may write into its mapping (a cut line's newline) */
	data[700000] = 'x';
	CHECK_EQ(data[700000], 'x');

	r = source_map_step(m, SIZE, 0);
	CHECK_EQ(r, -EIO);
	CHECK(strstr(source_strerror(s, r), "shrank"), "%s",
	      source_strerror(s, r));
	source_unmap(m);
	source_close(s);
	unlink(path);
	free(path);
	return check_done("test-source-map");
}
