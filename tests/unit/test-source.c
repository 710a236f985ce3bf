/*
 * test-source.c: inputs read the same whatever wraps them.  Fixtures are
 * made here, with the libraries, from tests/fixtures/postgres-6.8.*: the
 * kern.log plain and as gzip, xz, zstd and bzip2 (each with several
 * members, streams or frames), tar archives of a sosreport in every
 * compression, damaged files; each must give back the original bytes and
 * the one postgres event, or a named error.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "buf.h"
#include "check.h"
#include "classify.h"
#include "oom.h"
#include "report.h"
#include "scan.h"
#include "source.h"
#include "xalloc.h"

static char *tmpdir;
static struct classifier *cls;

static char *tmp_path(const char *name)
{
	return xasprintf("%s/%s", tmpdir, name);
}

static void read_all(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t n;

	if (!f) {
		fprintf(stderr, "cannot open %s\n", path);
		exit(1);
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(b, chunk, n);
	fclose(f);
}

static void write_all(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(1);
	}
}

static void mkdir_p(const char *path)
{
	char *p = xstrdup(path);

	for (char *s = p + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0755);
			*s = '/';
		}
	}
	mkdir(p, 0755);
	free(p);
}

/* Write name under tmpdir, making its directories. */
static char *put(const char *name, const void *p, size_t n)
{
	char *path = tmp_path(name);
	char *slash = strrchr(path, '/');

	*slash = '\0';
	mkdir_p(path);
	*slash = '/';
	write_all(path, p, n);
	return path;
}

/* ---- compressors: each appends one member, stream or frame ---- */

static void add_gzip(struct buf *out, const void *p, size_t n)
{
	z_stream z = { 0 };
	size_t cap = deflateBound(&z, n) + 64;

	deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	cap = deflateBound(&z, n) + 64;
	buf_grow(out, cap);
	z.next_in = (unsigned char *)p;
	z.avail_in = (uInt)n;
	z.next_out = (unsigned char *)out->data + out->len;
	z.avail_out = (uInt)cap;
	CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END, "gzip");
	out->len += cap - z.avail_out;
	deflateEnd(&z);
}

static void add_xz(struct buf *out, const void *p, size_t n)
{
	size_t cap = lzma_stream_buffer_bound(n), pos = 0;

	buf_grow(out, cap);
	CHECK(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, p, n,
				      (uint8_t *)out->data + out->len, &pos,
				      cap) == LZMA_OK, "xz");
	out->len += pos;
}

static void add_zstd(struct buf *out, const void *p, size_t n)
{
	size_t cap = ZSTD_compressBound(n), r;
	ZSTD_CCtx *cc = ZSTD_createCCtx();

	/* with a checksum, as zstd(1) writes it */
	ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
	buf_grow(out, cap);
	r = ZSTD_compress2(cc, out->data + out->len, cap, p, n);
	CHECK(!ZSTD_isError(r), "zstd");
	if (!ZSTD_isError(r))
		out->len += r;
	ZSTD_freeCCtx(cc);
}

static void add_bzip2(struct buf *out, const void *p, size_t n)
{
	unsigned cap = (unsigned)(n + n / 100 + 600);

	buf_grow(out, cap);
	CHECK(BZ2_bzBuffToBuffCompress(out->data + out->len, &cap, (char *)p,
				       (unsigned)n, 9, 0, 0) == BZ_OK, "bzip2");
	out->len += cap;
}

typedef void (*compress_fn)(struct buf *, const void *, size_t);

static const struct {
	const char *name;	/* the codec's name in messages */
	compress_fn add;
} codecs[] = {
	{ "gzip", add_gzip },
	{ "xz", add_xz },
	{ "zstd", add_zstd },
	{ "bzip2", add_bzip2 },
};
#define N_CODECS (sizeof(codecs) / sizeof(codecs[0]))

/* p compressed in parts pieces, concatenated. */
static void compress_parts(struct buf *out, compress_fn add, const char *p,
			   size_t n, int parts)
{
	size_t at = 0;

	for (int i = 1; i <= parts; i++) {
		size_t end = n * (size_t)i / (size_t)parts;

		add(out, p + at, end - at);
		at = end;
	}
}

/* ---- reading ---- */

/* All of path through its reader, in odd-sized reads; returns the
 * reader's result (0 or its error) and the error text. */
static int slurp(const char *path, struct buf *out, enum source_kind *kind,
		 char **ret_msg)
{
	struct source *s = NULL;
	struct scan_reader rd;
	char chunk[7777];
	int r = source_open(path, &s);

	*ret_msg = NULL;
	if (r < 0)
		return r;
	if (kind)
		*kind = s->kind;
	rd = source_reader(s);
	for (;;) {
		ssize_t n = rd.read(rd.ctx, chunk, sizeof(chunk));

		if (n <= 0) {
			r = (int)n;
			break;
		}
		buf_add(out, chunk, (size_t)n);
	}
	if (r < 0) {
		*ret_msg = xstrdup(source_strerror(s, r));
		/* the error sticks */
		CHECK_EQ(rd.read(rd.ctx, chunk, sizeof(chunk)), r);
	}
	source_close(s);
	return r;
}

struct events {
	int n;
	int64_t victim_pid;
	char *host;		/* of the last report */
	struct source *src;	/* its host for reports without, as ingest */
};

static void on_emit(void *ctx, struct oom_report *r)
{
	struct events *ev = ctx;
	const struct oom_kill *k = oom_report_victim(r);

	ev->n++;
	ev->victim_pid = k ? k->pid : -1;
	free(ev->host);
	if (r->host)
		ev->host = xstrdup(r->host);
	else if (source_host(ev->src))
		ev->host = xstrdup(source_host(ev->src));
	else
		ev->host = NULL;
	oom_report_free(r);
}

static int scan_source(struct source *s, struct events *ev)
{
	struct report_sink sink = { on_emit, NULL, ev, NULL };
	struct scan_reader rd = source_reader(s);
	struct scan_stats st;

	ev->src = s;
	return scan_stream(cls, &rd, 1795305600, &sink, &st);
}

static void check_same(const char *what, const char *path,
		       const struct buf *want)
{
	struct buf got = BUF_INIT;
	enum source_kind kind = SOURCE_BINARY;
	char *msg;
	int r = slurp(path, &got, &kind, &msg);
	struct source *s = NULL;
	struct events ev = { 0 };

	CHECK(r == 0, "%s: read: %s", what, msg ? msg : "");
	CHECK(kind == SOURCE_TEXT, "%s: kind %d", what, kind);
	CHECK(got.len == want->len && !memcmp(got.data, want->data, got.len),
	      "%s: %zu bytes back, want %zu", what, got.len, want->len);
	if (source_open(path, &s) == 0) {
		CHECK_EQ(scan_source(s, &ev), 0);
		CHECK(ev.n == 1 && ev.victim_pid == 1201,
		      "%s: %d events, victim %lld", what, ev.n,
		      (long long)ev.victim_pid);
		CHECK_STR(ev.host, "db1");
	}
	source_close(s);
	free(ev.host);
	free(msg);
	buf_release(&got);
}

static void check_damaged(const char *what, const char *path, const char *want)
{
	struct buf got = BUF_INIT;
	char *msg;
	int r = slurp(path, &got, NULL, &msg);

	CHECK(r == -EBADMSG, "%s: read returned %d", what, r);
	CHECK(msg && !strncmp(msg, want, strlen(want)), "%s: \"%s\", want \"%s...\"",
	      what, msg ? msg : "(none)", want);
	free(msg);
	buf_release(&got);
}

/* ---- compressed files ---- */

static void test_codecs(const struct buf *log)
{
	char *path = put("plain.gz", log->data, log->len);
	struct buf big = BUF_INIT;

	/* by magic, not by name: a plain file called .gz is plain */
	check_same("plain named .gz", path, log);
	free(path);

	/* 300 reports: crosses the 64 KiB input and 1 MiB scan blocks */
	for (int i = 0; i < 300; i++)
		buf_add(&big, log->data, log->len);

	for (size_t c = 0; c < N_CODECS; c++) {
		struct buf z = BUF_INIT, many = BUF_INIT, bigz = BUF_INIT;
		struct buf cut = BUF_INIT, got = BUF_INIT;
		char *name = xasprintf("kern-%s.log", codecs[c].name);
		char *what, *want, *msg;
		struct source *s = NULL;
		struct events ev = { 0 };

		/* one member, stream or frame */
		codecs[c].add(&z, log->data, log->len);
		path = put(name, z.data, z.len);
		check_same(codecs[c].name, path, log);
		CHECK(source_open(path, &s) == 0, "open");
		CHECK_STR(s ? source_codec_name(s->codec) : NULL, codecs[c].name);
		source_close(s);
		free(path);

		/* concatenated: gzip members, xz and bzip2 streams, zstd frames */
		compress_parts(&many, codecs[c].add, log->data, log->len, 3);
		what = xasprintf("%s, three parts", codecs[c].name);
		path = put("many", many.data, many.len);
		check_same(what, path, log);
		free(what);
		free(path);

		/* big, in many parts of uneven size */
		compress_parts(&bigz, codecs[c].add, big.data, big.len, 7);
		path = put("big", bigz.data, bigz.len);
		CHECK_EQ(slurp(path, &got, NULL, &msg), 0);
		CHECK(got.len == big.len && !memcmp(got.data, big.data, big.len),
		      "%s big: %zu bytes, want %zu", codecs[c].name, got.len,
		      big.len);
		if (source_open(path, &s) == 0) {
			CHECK_EQ(scan_source(s, &ev), 0);
			CHECK(ev.n == 300, "%s big: %d events", codecs[c].name,
			      ev.n);
		}
		source_close(s);
		free(ev.host);
		free(path);

		/* cut short */
		buf_add(&cut, z.data, z.len * 6 / 10);
		path = put("cut", cut.data, cut.len);
		what = xasprintf("%s cut short", codecs[c].name);
		want = xasprintf("truncated %s data", codecs[c].name);
		check_damaged(what, path, want);
		free(what);
		free(want);
		free(path);

		/* only the last byte missing: the end marker or checksum */
		buf_reset(&cut);
		buf_add(&cut, z.data, z.len - 1);
		path = put("cut1", cut.data, cut.len);
		what = xasprintf("%s without its last byte", codecs[c].name);
		want = xasprintf("truncated %s data", codecs[c].name);
		check_damaged(what, path, want);
		free(what);
		free(want);
		free(path);

		buf_release(&z);
		buf_release(&many);
		buf_release(&bigz);
		buf_release(&cut);
		buf_release(&got);
		free(name);
	}
	buf_release(&big);
}

static void test_corrupt(const struct buf *log)
{
	for (size_t c = 0; c < N_CODECS; c++) {
		struct buf z = BUF_INIT;
		char *path, *what, *want;

		codecs[c].add(&z, log->data, log->len);
		/* garble the middle; the codec's checksum catches what
		 * the decoder itself lets through */
		for (size_t i = z.len / 2; i < z.len / 2 + 16; i++)
			z.data[i] ^= 0x55;
		path = put("corrupt", z.data, z.len);
		what = xasprintf("corrupt %s", codecs[c].name);
		want = xasprintf("corrupt %s data (", codecs[c].name);
		check_damaged(what, path, want);
		free(what);
		free(want);
		free(path);
		buf_release(&z);
	}
}

/* Trailing zeros after a gzip member are padding, as gzip(1) says. */
static void test_gzip_padding(const struct buf *log)
{
	struct buf z = BUF_INIT;
	char zeros[1024] = { 0 };
	char *path;

	add_gzip(&z, log->data, log->len);
	buf_add(&z, zeros, sizeof(zeros));
	path = put("padded.gz", z.data, z.len);
	check_same("gzip with trailing zeros", path, log);
	free(path);
	buf_release(&z);
}

/* ---- what the head says ---- */

static void test_classify(void)
{
	char head[4096];

	CHECK_EQ(source_classify("Nov 21 kernel: x\n", 17), SOURCE_TEXT);
	CHECK_EQ(source_classify("", 0), SOURCE_TEXT);
	memset(head, 'a', sizeof(head));
	head[4000] = '\0';
	CHECK_EQ(source_classify(head, sizeof(head)), SOURCE_BINARY);
	/* a log with the hole a crash leaves (NUL bytes) is still a log;
	 * wtmp, with other control bytes, is not */
	memset(head, 0, sizeof(head));
	CHECK_EQ(source_classify(head, sizeof(head)), SOURCE_TEXT);
	for (size_t i = 2000; i + 40 < sizeof(head); i += 40)
		memcpy(head + i, "Nov 21 03:12:07 db1 kernel: [1.0] abc\r\n", 40);
	CHECK_EQ(source_classify(head, sizeof(head)), SOURCE_TEXT);
	memset(head + 3000, '\1', 100);
	CHECK_EQ(source_classify(head, sizeof(head)), SOURCE_BINARY);
	CHECK_EQ(source_classify("utmp\0\0\0\1\n", 9), SOURCE_BINARY);
	CHECK_EQ(source_classify("LPKSHHRH\0\0\0\0", 12), SOURCE_JOURNAL);
	CHECK(source_is_journal("LPKSHHRH", 8), "journal magic");
	CHECK(!source_is_journal("LPKSHHR", 7), "too short");
	/* "ustar" at 257 without a checksum that adds up is not a tar */
	memset(head, 'x', sizeof(head));
	memcpy(head + 257, "ustar", 5);
	CHECK_EQ(source_classify(head, sizeof(head)), SOURCE_TEXT);
}

static void test_name_order(void)
{
	static const char *const sorted[] = {
		"auth.log", "kern.log.10.gz", "kern.log.3.gz", "kern.log.2.gz",
		"kern.log.1", "kern.log", "messages-20261101.gz",
		"messages-20261108", "messages", "syslog-2026-10-01.xz",
		"syslog.2.zst", "syslog.1", "syslog",
	};
	size_t n = sizeof(sorted) / sizeof(sorted[0]);

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			int c = source_name_cmp(sorted[i], sorted[j]);

			CHECK(i < j ? c < 0 : i > j ? c > 0 : c == 0,
			      "%s vs %s: %d", sorted[i], sorted[j], c);
		}
	}
}

/* ---- walks ---- */

struct seen {
	struct buf paths;	/* "path|host|kind|events|error\n" per input */
	struct buf errors;	/* "where|path|msg\n" per error */
};

static int on_input(void *ctx, struct source *s)
{
	struct seen *sn = ctx;
	struct events ev = { 0 };
	int r = 0;

	if (s->kind == SOURCE_TEXT)
		r = scan_source(s, &ev);
	buf_addf(&sn->paths, "%s|%s|%d|%d|%s\n", s->path,
		 s->host ? s->host : "-", s->kind, ev.n,
		 r < 0 ? source_strerror(s, r) : "");
	if (ev.n)
		buf_addf(&sn->paths, "  host %s\n", ev.host ? ev.host : "-");
	free(ev.host);
	return 0;
}

static void on_error(void *ctx, enum source_error_where where,
		     const char *path, const char *msg)
{
	struct seen *sn = ctx;

	buf_addf(&sn->errors, "%d|%s|%s\n", where, path, msg);
}

static const struct source_walk_ops seen_ops = { on_input, on_error };

/* Walk path and compare what was seen with want (paths relative to
 * tmpdir: "@" in want stands for it). */
static void check_walk(const char *what, const char *path, unsigned flags,
		       const char *want, const char *want_errors)
{
	struct seen sn = { BUF_INIT, BUF_INIT };
	struct buf w = BUF_INIT;

	CHECK_EQ(source_walk(path, flags, &seen_ops, &sn), 0);
	for (const char *p = want; *p; p++) {
		if (*p == '@')
			buf_adds(&w, tmpdir);
		else
			buf_addch(&w, *p);
	}
	CHECK(!strcmp(sn.paths.data, w.data), "%s: saw\n%s\nwant\n%s", what,
	      sn.paths.data, w.data);
	buf_reset(&w);
	for (const char *p = want_errors; *p; p++) {
		if (*p == '@')
			buf_adds(&w, tmpdir);
		else
			buf_addch(&w, *p);
	}
	CHECK(!strcmp(sn.errors.data, w.data), "%s: errors\n%s\nwant\n%s",
	      what, sn.errors.data, w.data);
	buf_release(&w);
	buf_release(&sn.paths);
	buf_release(&sn.errors);
}

static void test_dir_order(void)
{
	static const char *const names[] = {
		"kern.log", "kern.log.1", "kern.log.2.gz", "kern.log.3.gz",
		"messages", "messages-20261101.gz", "messages-20261108",
	};
	char *dir = tmp_path("rot");

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *name = xasprintf("rot/%s", names[i]);

		free(put(name, "x\n", 2));
		free(name);
	}
	check_walk("rotated order", dir, 0,
		   "@/rot/kern.log.3.gz|-|0|0|\n"
		   "@/rot/kern.log.2.gz|-|0|0|\n"
		   "@/rot/kern.log.1|-|0|0|\n"
		   "@/rot/kern.log|-|0|0|\n"
		   "@/rot/messages-20261101.gz|-|0|0|\n"
		   "@/rot/messages-20261108|-|0|0|\n"
		   "@/rot/messages|-|0|0|\n", "");
	free(dir);
}

static void test_dir_hosts(const struct buf *dmesg)
{
	char *dir = tmp_path("fleet");
	char *sos = tmp_path("sos");

	free(put("fleet/web1/var/log/dmesg", dmesg->data, dmesg->len));
	free(put("fleet/web2/dmesg.1", dmesg->data, dmesg->len));
	free(put("fleet/loose.log", "x\n", 2));
	check_walk("--host-from-dir", dir, SOURCE_HOST_FROM_DIR,
		   "@/fleet/loose.log|-|0|0|\n"
		   "@/fleet/web1/var/log/dmesg|web1|0|1|\n  host web1\n"
		   "@/fleet/web2/dmesg.1|web2|0|1|\n  host web2\n", "");
	check_walk("no host without --host-from-dir", dir, 0,
		   "@/fleet/loose.log|-|0|0|\n"
		   "@/fleet/web1/var/log/dmesg|-|0|1|\n  host -\n"
		   "@/fleet/web2/dmesg.1|-|0|1|\n  host -\n", "");

	/* an unpacked sosreport, and a directory of them */
	free(put("sos/one/hostname", "db7\n", 4));
	free(put("sos/one/sos_commands/kernel/dmesg", dmesg->data, dmesg->len));
	free(put("sos/two/sos_commands/host/hostname", "db8.example.com\n", 16));
	free(put("sos/two/var/log/dmesg", dmesg->data, dmesg->len));
	check_walk("sosreport directories", sos, 0,
		   "@/sos/one/hostname|db7|0|0|\n"
		   "@/sos/one/sos_commands/kernel/dmesg|db7|0|1|\n  host db7\n"
		   "@/sos/two/sos_commands/host/hostname|db8.example.com|0|0|\n"
		   "@/sos/two/var/log/dmesg|db8.example.com|0|1|\n  host db8.example.com\n",
		   "");
	/* --host-from-dir is stronger than the sosreport's file */
	check_walk("--host-from-dir over sosreport", sos, SOURCE_HOST_FROM_DIR,
		   "@/sos/one/hostname|one|0|0|\n"
		   "@/sos/one/sos_commands/kernel/dmesg|one|0|1|\n  host one\n"
		   "@/sos/two/sos_commands/host/hostname|two|0|0|\n"
		   "@/sos/two/var/log/dmesg|two|0|1|\n  host two\n", "");
	free(dir);
	free(sos);
}

struct member_spec {
	const char *name;
	const void *data;
	size_t len;
};

/* A pax tar of the members, uncompressed. */
static void make_tar(struct buf *out, const struct member_spec *m, size_t n)
{
	struct archive *a = archive_write_new();
	size_t used = 0, need = 64 * 1024;

	archive_write_set_format_pax_restricted(a);
	archive_write_set_bytes_in_last_block(a, 1);
	for (size_t i = 0; i < n; i++)
		need += m[i].len + 4096;
	buf_grow(out, need);
	CHECK(archive_write_open_memory(a, out->data + out->len,
					out->alloc - out->len - 1,
					&used) == ARCHIVE_OK, "tar open");
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, m[i].name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)m[i].len);
		archive_entry_set_mtime(e, 1795305600, 0);
		CHECK(archive_write_header(a, e) == ARCHIVE_OK, "tar header %s: %s",
		      m[i].name, archive_error_string(a));
		CHECK(archive_write_data(a, m[i].data, m[i].len) ==
		      (la_ssize_t)m[i].len, "tar data");
		archive_entry_free(e);
	}
	CHECK(archive_write_close(a) == ARCHIVE_OK, "tar close");
	archive_write_free(a);
	out->len += used;
	out->data[out->len] = '\0';
}

static void test_archives(const struct buf *log, const struct buf *dmesg)
{
	struct buf gz = BUF_INIT, tar = BUF_INIT, outer = BUF_INIT;
	static const char binary[] = "\x7f" "ELF\0\0\0\1binary";
	static const char journal[] = "LPKSHHRH\0\0\0\0\0\0\0\0";
	static const char *const want =
		"@/%s:sosreport-db9-2026/hostname|db9|0|0|\n"
		"@/%s:sosreport-db9-2026/sos_commands/kernel/dmesg|db9|0|1|\n  host db9\n"
		"@/%s:sosreport-db9-2026/var/log/journal/x/system.journal|db9|2|0|\n"
		"@/%s:sosreport-db9-2026/var/log/kern.log.2.gz|db9|0|1|\n  host db1\n"
		"@/%s:sosreport-db9-2026/var/log/wtmp|db9|1|0|\n";
	struct member_spec m[5];
	char *path;

	add_gzip(&gz, log->data, log->len);
	m[0] = (struct member_spec){ "./sosreport-db9-2026/hostname", "db9\n", 4 };
	m[1] = (struct member_spec){ "sosreport-db9-2026/sos_commands/kernel/dmesg",
				     dmesg->data, dmesg->len };
	m[2] = (struct member_spec){ "sosreport-db9-2026/var/log/journal/x/system.journal",
				     journal, sizeof(journal) };
	m[3] = (struct member_spec){ "sosreport-db9-2026/var/log/kern.log.2.gz",
				     gz.data, gz.len };
	m[4] = (struct member_spec){ "sosreport-db9-2026/var/log/wtmp",
				     binary, sizeof(binary) };
	make_tar(&tar, m, 5);

	/* .tar, and the tar in each compression */
	for (size_t c = 0; c <= N_CODECS; c++) {
		struct buf z = BUF_INIT, w = BUF_INIT;
		const char *name = c == N_CODECS ? "sos.tar" : "sos.tar.z";

		if (c < N_CODECS)
			compress_parts(&z, codecs[c].add, tar.data, tar.len, 2);
		else
			buf_add(&z, tar.data, tar.len);
		path = put(name, z.data, z.len);
		for (const char *p = want; *p; p++) {
			if (p[0] == '%' && p[1] == 's') {
				buf_adds(&w, name);
				p++;
			} else {
				buf_addch(&w, *p);
			}
		}
		check_walk(c < N_CODECS ? codecs[c].name : "tar", path, 0,
			   w.data, "");
		free(path);
		buf_release(&z);
		buf_release(&w);
	}

	/* GNU tar's directory order: the hostname file after the dmesg
	 * that needs it, found by reading the file ahead */
	{
		struct member_spec late[3] = {
			{ "sosreport-db9-2026/sos_commands/kernel/dmesg",
			  dmesg->data, dmesg->len },
			{ "sosreport-db9-2026/sos_commands/host/hostname", "db9\n", 4 },
			{ "other/dmesg", dmesg->data, dmesg->len },
		};
		struct buf t = BUF_INIT, z = BUF_INIT;

		make_tar(&t, late, 3);
		add_xz(&z, t.data, t.len);
		path = put("late.tar.xz", z.data, z.len);
		check_walk("hostname after the logs", path, 0,
			   "@/late.tar.xz:sosreport-db9-2026/sos_commands/kernel/dmesg|db9|0|1|\n  host db9\n"
			   "@/late.tar.xz:sosreport-db9-2026/sos_commands/host/hostname|db9|0|0|\n"
			   "@/late.tar.xz:other/dmesg|-|0|1|\n  host -\n", "");
		free(path);
		buf_release(&t);
		buf_release(&z);
	}

	/* an archive in an archive */
	{
		struct member_spec o[2] = {
			{ "host3/sos.tar.gz", NULL, 0 },
			{ "host3/dmesg", dmesg->data, dmesg->len },
		};
		struct buf inner = BUF_INIT;

		add_gzip(&inner, tar.data, tar.len);
		o[0].data = inner.data;
		o[0].len = inner.len;
		make_tar(&outer, o, 2);
		path = put("outer.tar", outer.data, outer.len);
		check_walk("nested, --host-from-dir", path, SOURCE_HOST_FROM_DIR,
			   "@/outer.tar:host3/sos.tar.gz:sosreport-db9-2026/hostname|host3|0|0|\n"
			   "@/outer.tar:host3/sos.tar.gz:sosreport-db9-2026/sos_commands/kernel/dmesg|host3|0|1|\n  host host3\n"
			   "@/outer.tar:host3/sos.tar.gz:sosreport-db9-2026/var/log/journal/x/system.journal|host3|2|0|\n"
			   "@/outer.tar:host3/sos.tar.gz:sosreport-db9-2026/var/log/kern.log.2.gz|host3|0|1|\n  host db1\n"
			   "@/outer.tar:host3/sos.tar.gz:sosreport-db9-2026/var/log/wtmp|host3|1|0|\n"
			   "@/outer.tar:host3/dmesg|host3|0|1|\n  host host3\n", "");
		free(path);
		buf_release(&inner);
	}

	/* a .tar.gz cut in the middle of the dmesg member: that member
	 * fails with the gzip error, the walk ends there.  The decoder
	 * hands out every byte before the cut: the gzip of the tar up to
	 * the middle of dmesg, without its trailer */
	{
		struct buf z = BUF_INIT, cut = BUF_INIT;
		struct buf w = BUF_INIT;
		const char *at = memmem(tar.data, tar.len, dmesg->data, dmesg->len);

		CHECK(at != NULL, "dmesg in the tar");
		add_gzip(&z, tar.data, at ? (size_t)(at - tar.data) + dmesg->len / 2 : 0);
		buf_add(&cut, z.data, z.len - 8);
		path = put("cut.tar.gz", cut.data, cut.len);
		check_walk("cut .tar.gz", path, 0,
			   "@/cut.tar.gz:sosreport-db9-2026/hostname|db9|0|0|\n"
			   "@/cut.tar.gz:sosreport-db9-2026/sos_commands/kernel/dmesg|db9|0|0|"
			   "truncated gzip data (unexpected end of input)\n", "");
		free(path);
		buf_release(&z);
		buf_release(&cut);
		buf_release(&w);
	}

	/* garbage where the second header should be: that member is
	 * lost and said so, the walk goes on with the next one */
	{
		struct buf bad = BUF_INIT;

		buf_add(&bad, tar.data, tar.len);
		memset(bad.data + 1024, 'x', 512);
		path = put("bad.tar", bad.data, bad.len);
		check_walk("bad header", path, 0,
			   "@/bad.tar:sosreport-db9-2026/hostname|db9|0|0|\n"
			   "@/bad.tar:sosreport-db9-2026/var/log/journal/x/system.journal|db9|2|0|\n"
			   "@/bad.tar:sosreport-db9-2026/var/log/kern.log.2.gz|db9|0|1|\n  host db1\n"
			   "@/bad.tar:sosreport-db9-2026/var/log/wtmp|db9|1|0|\n",
			   "3|@/bad.tar|corrupt tar archive (Damaged tar archive)\n");
		free(path);
		buf_release(&bad);
	}
	buf_release(&gz);
	buf_release(&tar);
	buf_release(&outer);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

int main(void)
{
	const char *fixtures = getenv("FIXTURES");
	struct buf log = BUF_INIT, dmesg = BUF_INIT;
	const char *tmp = getenv("TMPDIR");
	char *tmpl, *path, *err = NULL;

	if (!fixtures)
		fixtures = "tests/fixtures";
	tmpl = xasprintf("%s/oomlens-source.XXXXXX", tmp ? tmp : "/tmp");
	tmpdir = mkdtemp(tmpl);
	if (!tmpdir || classify_new(&cls, &err) < 0) {
		fprintf(stderr, "setup: %s\n", err ? err : strerror(errno));
		return 1;
	}
	path = xasprintf("%s/postgres-6.8.kern.log", fixtures);
	read_all(path, &log);
	free(path);
	path = xasprintf("%s/postgres-6.8.dmesg", fixtures);
	read_all(path, &dmesg);
	free(path);

	test_classify();
	test_name_order();
	test_codecs(&log);
	test_corrupt(&log);
	test_gzip_padding(&log);
	test_dir_order();
	test_dir_hosts(&dmesg);
	test_archives(&log, &dmesg);

	classify_free(cls);
	buf_release(&log);
	buf_release(&dmesg);
	nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(tmpl);
	return check_done("test-source");
}
