/* source-journal.c: see journal.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "buf.h"
#include "journal.h"
#include "xalloc.h"

struct journal_src {
	sd_journal *j;
	struct buf pending;	/* rendered text not yet handed out */
	size_t off;		/* of pending, handed out up to here */
	char boot[64];		/* boot id of the last entry rendered */
	char *cursor;		/* of the last entry rendered */
	size_t entries;
	int eof;
	char *resume;		/* the cursor resumed after, or NULL */
};

int journal_file_magic(const char *path)
{
	char magic[8];
	int fd = open(path, O_RDONLY | O_CLOEXEC), ok = 0;

	if (fd < 0)
		return 0;
	ok = read(fd, magic, 8) == 8 && !memcmp(magic, "LPKSHHRH", 8);
	close(fd);
	return ok;
}

int journal_open(const struct journal_opts *o, struct journal_src **ret,
		 char **ret_err)
{
	struct journal_src *s = xcalloc(1, sizeof(*s));
	int r;

	*ret = NULL;
	s->pending = (struct buf)BUF_INIT;
	if (o->files) {
		const char **files = xcalloc(o->n_files + 1, sizeof(*files));

		memcpy(files, o->files, o->n_files * sizeof(*files));
		r = sd_journal_open_files(&s->j, files, 0);
		free(files);
	} else if (o->dir) {
		r = sd_journal_open_directory(&s->j, o->dir, 0);
	} else {
		r = sd_journal_open(&s->j, SD_JOURNAL_LOCAL_ONLY);
	}
	if (r < 0) {
		*ret_err = xasprintf("cannot open the journal%s%s: %s",
				     o->dir ? " in " : "", o->dir ? o->dir : "",
				     strerror(-r));
		journal_close(s);
		return r;
	}
	if (o->kernel_only &&
	    (r = sd_journal_add_match(s->j, "_TRANSPORT=kernel", 0)) < 0) {
		*ret_err = xasprintf("journal match: %s", strerror(-r));
		journal_close(s);
		return r;
	}
	if (o->after_cursor) {
		r = sd_journal_seek_cursor(s->j, o->after_cursor);
		if (r < 0) {
			*ret_err = xasprintf("cannot resume at cursor '%s': %s",
					     o->after_cursor, strerror(-r));
			journal_close(s);
			return r;
		}
		s->resume = xstrdup(o->after_cursor);
	} else {
		sd_journal_seek_head(s->j);
	}
	*ret = s;
	return 0;
}

void journal_close(struct journal_src *s)
{
	if (!s)
		return;
	sd_journal_close(s->j);
	buf_release(&s->pending);
	free(s->cursor);
	free(s->resume);
	free(s);
}

const char *journal_cursor(const struct journal_src *s)
{
	return s->cursor;
}

size_t journal_entries(const struct journal_src *s)
{
	return s->entries;
}

/* A field's value, without "NAME="; 0 when absent. */
static int field(sd_journal *j, const char *name, const char **ret,
		 size_t *ret_len)
{
	const void *data;
	size_t len, nl = strlen(name);

	if (sd_journal_get_data(j, name, &data, &len) < 0 || len <= nl)
		return 0;
	*ret = (const char *)data + nl + 1;
	*ret_len = len - nl - 1;
	return 1;
}

/* A tag that cannot be mistaken for another program, or for "kernel". */
static void add_tag(struct buf *b, sd_journal *j, int kernel)
{
	const char *v;
	size_t n;

	if (kernel) {
		buf_adds(b, "kernel");
		return;
	}
	if (!field(j, "SYSLOG_IDENTIFIER", &v, &n) && !field(j, "_COMM", &v, &n)) {
		v = "unknown";
		n = 7;
	}
	for (size_t i = 0; i < n; i++)
		buf_addch(b, (v[i] == ' ' || v[i] == ':' || v[i] == '\n')
				     ? '_' : v[i]);
	/* userspace "kernel" is a forgery: keep it apart */
	if (n == 6 && !memcmp(v, "kernel", 6))
		buf_adds(b, "-userspace");
	if (field(j, "_PID", &v, &n)) {
		buf_addch(b, '[');
		buf_add(b, v, n);
		buf_addch(b, ']');
	}
}

/* One entry as text lines, appended to s->pending. */
static void render(struct journal_src *s)
{
	sd_journal *j = s->j;
	struct buf *b = &s->pending;
	const char *v, *msg;
	size_t n, msg_len;
	uint64_t usec;
	sd_id128_t boot;
	int kernel;
	char *cursor = NULL;

	if (!field(j, "MESSAGE", &msg, &msg_len))
		return;
	if (sd_journal_get_monotonic_usec(j, NULL, &boot) >= 0) {
		char id[SD_ID128_STRING_MAX];

		sd_id128_to_string(boot, id);
		if (strcmp(id, s->boot)) {
			snprintf(s->boot, sizeof(s->boot), "%s", id);
			buf_addf(b, "-- Boot %s --\n", id);
		}
	}
	kernel = field(j, "_TRANSPORT", &v, &n) && n == 6 &&
		 !memcmp(v, "kernel", 6);
	if (sd_journal_get_realtime_usec(j, &usec) >= 0) {
		time_t t = (time_t)(usec / 1000000);
		struct tm tm;
		char ts[32];

		gmtime_r(&t, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
		buf_addf(b, "%s.%06" PRIu64 "+00:00 ", ts, usec % 1000000);
	} else {
		buf_adds(b, "1970-01-01T00:00:00.000000+00:00 ");
	}
	if (field(j, "_HOSTNAME", &v, &n) && n)
		buf_add(b, v, n);
	else
		buf_addch(b, '-');
	buf_addch(b, ' ');
	add_tag(b, j, kernel);
	buf_adds(b, ": ");
	if (kernel && field(j, "_SOURCE_MONOTONIC_TIMESTAMP", &v, &n)) {
		char tmp[32];
		uint64_t mono = 0;

		snprintf(tmp, sizeof(tmp), "%.*s", (int)(n < 31 ? n : 31), v);
		mono = strtoull(tmp, NULL, 10);
		buf_addf(b, "[%5" PRIu64 ".%06" PRIu64 "] ", mono / 1000000,
			 mono % 1000000);
	}
	/* a multi-line MESSAGE: later lines indented, as journalctl does */
	for (size_t i = 0; i < msg_len; i++) {
		if (msg[i] == '\n') {
			if (i + 1 < msg_len)
				buf_adds(b, "\n ");
		} else {
			buf_addch(b, msg[i] ? msg[i] : ' ');
		}
	}
	buf_addch(b, '\n');
	if (sd_journal_get_cursor(j, &cursor) >= 0) {
		free(s->cursor);
		s->cursor = cursor;
	}
	s->entries++;
}

static ssize_t journal_read(void *ctx, void *out, size_t cap)
{
	struct journal_src *s = ctx;
	size_t got = 0;

	while (got < cap) {
		if (s->off < s->pending.len) {
			size_t n = s->pending.len - s->off;

			if (n > cap - got)
				n = cap - got;
			memcpy((char *)out + got, s->pending.data + s->off, n);
			s->off += n;
			got += n;
			continue;
		}
		buf_reset(&s->pending);
		s->off = 0;
		if (s->eof)
			break;
		/* fill a few entries at a time, stop at the end */
		while (s->pending.len < 64 * 1024) {
			int r = sd_journal_next(s->j);

			if (r < 0)
				return got ? (ssize_t)got : r;
			if (r == 0) {
				s->eof = 1;
				break;
			}
			if (s->resume) {
				/* seeking lands on the entry already read */
				int same = sd_journal_test_cursor(s->j, s->resume) > 0;

				free(s->resume);
				s->resume = NULL;
				if (same)
					continue;
			}
			render(s);
		}
	}
	return (ssize_t)got;
}

struct scan_reader journal_reader(struct journal_src *s)
{
	return (struct scan_reader){ .read = journal_read, .ctx = s };
}
