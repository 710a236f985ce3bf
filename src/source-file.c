/*
 * source-file.c: the read stack (raw block, decoder, head) of every
 * source, plain files, stdin and directory walks.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "journal.h"
#include "source-int.h"
#include "xalloc.h"

/* ---- the read stack ---- */

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

struct source *source_new(char *path, const struct scan_reader *raw,
			  int64_t mtime)
{
	struct source *s = xcalloc(1, sizeof(*s));

	s->path = path;
	s->fd = -1;
	s->mtime = mtime;
	if (raw)
		s->raw = *raw;
	s->in = xmalloc(SOURCE_IN_SIZE);
	return s;
}

/* Bytes after the head: decoded, or raw bytes as they come. */
static ssize_t body_read(struct source *s, void *buf, size_t n)
{
	size_t k = s->in_len - s->in_pos;
	ssize_t r;

	if (s->dec)
		return source_dec_read(s, buf, n);
	if (k) {
		if (k > n)
			k = n;
		memcpy(buf, s->in + s->in_pos, k);
		s->in_pos += k;
		return (ssize_t)k;
	}
	if (s->in_eof)
		return 0;
	r = s->raw.read(s->raw.ctx, buf, n);
	if (r == 0)
		s->in_eof = 1;
	else if (r < 0 && !s->err)
		source_fail(s, (int)r, "%s", strerror((int)-r));
	return r;
}

static ssize_t source_read(void *ctx, void *buf, size_t n)
{
	struct source *s = ctx;
	size_t k = s->head_len - s->head_pos;
	ssize_t r;

	if (k) {
		if (k > n)
			k = n;
		memcpy(buf, s->head + s->head_pos, k);
		s->head_pos += k;
		if (k == n || s->err)
			return (ssize_t)k;
	}
	if (s->err)
		return s->err;
	r = body_read(s, (char *)buf + k, n - k);
	if (r < 0) {
		s->err = (int)r;
		/* the bytes before the damage first, the error next time */
		return k ? (ssize_t)k : r;
	}
	return (ssize_t)k + r;
}

void source_setup(struct source *s)
{
	ssize_t n = source_in_need(s, 8);

	s->head = xmalloc(SOURCE_HEAD_SIZE);
	if (n < 0)
		return;
	s->codec = source_sniff(s->in + s->in_pos, (size_t)n);
	if (s->codec != SOURCE_PLAIN && source_dec_new(s) < 0)
		return;
	while (s->head_len < SOURCE_HEAD_SIZE) {
		ssize_t r = body_read(s, s->head + s->head_len,
				      SOURCE_HEAD_SIZE - s->head_len);

		if (r <= 0)
			break;	/* an error waits in s->err */
		s->head_len += (size_t)r;
	}
	/* a damaged head is no reason to skip: the reader says what broke */
	s->kind = s->err ? SOURCE_TEXT : source_classify(s->head, s->head_len);
}

int source_open(const char *path, struct source **ret)
{
	struct scan_reader raw = { fd_read, NULL };
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
	s = source_new(xstrdup(path), &raw,
		       S_ISREG(st.st_mode) ? (int64_t)st.st_mtime
					   : (int64_t)time(NULL));
	s->fd = fd;
	s->raw.ctx = s;
	s->on_disk = S_ISREG(st.st_mode) && fd != STDIN_FILENO;
	s->dev = (uint64_t)st.st_dev;
	s->ino = (uint64_t)st.st_ino;
	s->raw_size = (int64_t)st.st_size;
	s->raw_mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 +
			  st.st_mtim.tv_nsec;
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	source_setup(s);
	*ret = s;
	return 0;
}

/* Two 64-bit hashes of the head (FNV-1a and a multiply-xorshift over
 * 8-byte words): a file is taken for one read before only when all 128
 * bits and the length agree. */
static void hash_head(const unsigned char *p, size_t n, char out[33])
{
	uint64_t a = 0xcbf29ce484222325ull, b = 0x9e3779b97f4a7c15ull ^ n;

	for (size_t i = 0; i < n; i++)
		a = (a ^ p[i]) * 0x100000001b3ull;
	for (size_t i = 0; i < n; i += 8) {
		uint64_t w = 0;

		memcpy(&w, p + i, n - i < 8 ? n - i : 8);
		b = (b ^ w) * 0xff51afd7ed558ccdull;
		b ^= b >> 33;
	}
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)a,
		 (unsigned long long)b);
}

int source_identity(const struct source *s, struct source_identity *id)
{
	memset(id, 0, sizeof(*id));
	if (!s->on_disk)
		return -ENOTSUP;
	hash_head(s->head, s->head_len, id->head_hash);
	id->head_len = s->head_len;
	id->raw_size = s->raw_size;
	id->raw_mtime_ns = s->raw_mtime_ns;
	id->dev = s->dev;
	id->ino = s->ino;
	return 0;
}

int source_is_blank(const struct source *s)
{
	if (s->err || s->head_len >= SOURCE_HEAD_SIZE)
		return 0;
	for (size_t i = 0; i < s->head_len; i++)
		if (!strchr(" \t\r\n\f\v", s->head[i]) || !s->head[i])
			return 0;
	return 1;
}

int source_tail_hash(const struct source *s, uint64_t offset, char out[33])
{
	unsigned char buf[SOURCE_HEAD_SIZE];
	size_t n = offset < sizeof(buf) ? (size_t)offset : sizeof(buf), got = 0;

	if (!s->on_disk || s->dec || s->fd < 0)
		return -ENOTSUP;
	while (got < n) {
		ssize_t r = pread(s->fd, buf + got, n - got,
				  (off_t)(offset - n + got));

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -ENODATA;	/* shorter than offset now */
		got += (size_t)r;
	}
	hash_head(buf, n, out);
	return 0;
}

int64_t source_skip(struct source *s, uint64_t n, char tail[33])
{
	unsigned char last[SOURCE_HEAD_SIZE];
	size_t last_len = 0;
	uint64_t done = 0;
	char *drop;

	if (s->err)
		return s->err;
	if (!s->dec && s->fd >= 0 && s->on_disk && n > s->head_len) {
		/* nothing read yet past the head and the block after it */
		if (tail && source_tail_hash(s, n, tail) < 0)
			strcpy(tail, "-");
		if (lseek(s->fd, (off_t)n, SEEK_SET) < 0)
			return source_fail(s, -errno, "%s", strerror(errno));
		s->head_pos = s->head_len;
		s->in_pos = s->in_len = 0;
		s->in_eof = 0;
		return (int64_t)(n < (uint64_t)s->raw_size ? n
						: (uint64_t)s->raw_size);
	}
	drop = xmalloc(SOURCE_IN_SIZE);
	while (done < n) {
		size_t want = n - done < SOURCE_IN_SIZE ? (size_t)(n - done)
							: SOURCE_IN_SIZE;
		ssize_t r = source_read(s, drop, want);

		if (r < 0) {
			free(drop);
			return r;
		}
		if (r == 0)
			break;
		done += (uint64_t)r;
		/* the last bytes dropped, for the tail's hash */
		if ((size_t)r >= sizeof(last)) {
			memcpy(last, drop + r - sizeof(last), sizeof(last));
			last_len = sizeof(last);
		} else {
			size_t keep = sizeof(last) - (size_t)r;

			if (last_len < keep)
				keep = last_len;
			memmove(last, last + last_len - keep, keep);
			memcpy(last + keep, drop, (size_t)r);
			last_len = keep + (size_t)r;
		}
	}
	free(drop);
	if (tail)
		hash_head(last, last_len, tail);
	return (int64_t)done;
}

void source_close(struct source *s)
{
	if (!s)
		return;
	if (s->fd >= 0 && s->fd != STDIN_FILENO)
		close(s->fd);
	source_dec_free(s->dec);
	free(s->head);
	free(s->in);
	free(s->host);
	free(s->member);
	free(s->path);
	free(s);
}

struct scan_reader source_reader(struct source *s)
{
	return (struct scan_reader){ .read = source_read, .ctx = s };
}

const char *source_strerror(const struct source *s, int err)
{
	if (s && s->err == err && s->errmsg[0])
		return s->errmsg;
	return strerror(-err);
}

/* ---- what the head says ---- */

/* A POSIX or GNU tar header: "ustar" at 257 and a checksum that adds up
 * (so a log that happens to hold "ustar" there is still a log). */
static int is_tar(const unsigned char *h, size_t n)
{
	unsigned long sum = 0, want = 0;
	int digits = 0;

	if (n < 512 || memcmp(h + 257, "ustar", 5))
		return 0;
	for (int i = 0; i < 512; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	for (int i = 148; i < 156; i++) {
		if (h[i] == ' ' && !digits)
			continue;
		if (h[i] < '0' || h[i] > '7')
			break;
		want = want * 8 + (unsigned long)(h[i] - '0');
		digits++;
	}
	return digits && sum == want;
}

int source_is_journal(const void *head, size_t n)
{
	return n >= 8 && !memcmp(head, "LPKSHHRH", 8);
}

/*
 * A head with NUL bytes that is still a log: a crash or power loss leaves
 * runs of NUL bytes where a log's last blocks were never written, and the
 * lines after them still count.  Without its NUL bytes it must read as
 * lines of text: a newline, and hardly any other control bytes (ESC is a
 * colour).  A head of nothing but NUL bytes is such a hole too.  Binary
 * files (wtmp, ELF, databases, images) are full of other control bytes.
 */
static int text_with_holes(const unsigned char *h, size_t n)
{
	size_t nul = 0, ctl = 0, newline = 0;

	for (size_t i = 0; i < n; i++) {
		if (h[i] == '\0')
			nul++;
		else if (h[i] == '\n')
			newline++;
		else if ((h[i] < 0x20 && !strchr("\t\v\f\r\033", h[i])) ||
			 h[i] == 0x7f)
			ctl++;
	}
	return nul == n || (newline && ctl * 32 <= n - nul);
}

enum source_kind source_classify(const void *head, size_t n)
{
	if (is_tar(head, n))
		return SOURCE_ARCHIVE;
	if (source_is_journal(head, n))
		return SOURCE_JOURNAL;
	/* before the NUL test: binary fields of an export hold NULs */
	switch (journal_text_sniff(head, n)) {
	case JOURNAL_TEXT_EXPORT:
		return SOURCE_JOURNAL_EXPORT;
	case JOURNAL_TEXT_JSON:
		return SOURCE_JOURNAL_JSON;
	case JOURNAL_TEXT_NONE:
		break;
	}
	if (memchr(head, '\0', n) && !text_with_holes(head, n))
		return SOURCE_BINARY;
	return SOURCE_TEXT;
}

char *source_parse_hostname(const void *head, size_t n)
{
	const char *p = head, *end = p + n, *q;

	while (p < end && isspace((unsigned char)*p))
		p++;
	for (q = p; q < end && !isspace((unsigned char)*q); q++) {
		if (!isalnum((unsigned char)*q) && !strchr(".-_", *q))
			return NULL;
	}
	if (q == p || q - p > 253)
		return NULL;
	return xstrndup(p, (size_t)(q - p));
}
