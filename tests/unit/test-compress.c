/*
 * test-compress.c: the two gzip decoders (ISA-L's and zlib's, see
 * source-compress.c) give the same bytes and the same errors.  Inputs are
 * made here with zlib: one member and several, empty members, headers with
 * a name, comment, extra field and header CRC, bytes after the last member
 * (zeros, junk, a lone magic), every cut of a small file and many of a
 * large one, and single flipped bytes.  Each goes through the whole read
 * stack (source_reader()) once per decoder, on the caller's thread and on
 * a thread decoding ahead, the raw bytes handed out in whole blocks as
 * from a file and in odd pieces as from a pipe.
 *
 * Without ISA-L in the build it says so and checks zlib alone against
 * the originals.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "buf.h"
#include "check.h"
#include "source-int.h"
#include "xalloc.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- inputs ---- */

static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}

/* n bytes of syslog-like text: compresses, but not to nothing */
static void make_text(struct buf *out, size_t n)
{
	static const char *const words[] = {
		"kernel:", "sshd[812]:", "Out", "of", "memory:", "Killed",
		"process", "postgres", "total-vm:", "anon-rss:", "oom_score_adj",
		"systemd[1]:", "Started", "session", "for", "user", "root",
	};
	char line[256];

	while (out->len < n) {
		int k = snprintf(line, sizeof(line), "Nov 21 03:%02u:%02u db1",
				 rnd() % 60, rnd() % 60);

		for (unsigned w = 3 + rnd() % 9; w; w--)
			k += snprintf(line + k, sizeof(line) - (size_t)k, " %s%u",
				      words[rnd() % ARRAY_LEN(words)], rnd() % 1000);
		line[k++] = '\n';
		buf_add(out, line, (size_t)k < n - out->len ? (size_t)k
							    : n - out->len);
	}
}

/* Append one gzip member of p at level; hdr: name, comment, extra field
 * and header CRC (the header fields a decoder must skip). */
static void add_member(struct buf *out, const void *p, size_t n, int level,
		       int hdr)
{
	z_stream z = { 0 };
	gz_header h = { 0 };
	size_t cap;

	CHECK(deflateInit2(&z, level, Z_DEFLATED, 16 + MAX_WBITS, 8,
			   Z_DEFAULT_STRATEGY) == Z_OK, "deflateInit2");
	if (hdr) {
		h.name = (Bytef *)"kern.log";
		h.comment = (Bytef *)"made by test-compress";
		h.extra = (Bytef *)"AB\004\000xyzw";
		h.extra_len = 8;
		h.hcrc = 1;
		h.time = 1795305600;
		CHECK(deflateSetHeader(&z, &h) == Z_OK, "deflateSetHeader");
	}
	cap = deflateBound(&z, n) + 128;
	buf_grow(out, cap);
	z.next_in = (unsigned char *)p;
	z.avail_in = (uInt)n;
	z.next_out = (unsigned char *)out->data + out->len;
	z.avail_out = (uInt)cap;
	CHECK(deflate(&z, Z_FINISH) == Z_STREAM_END, "deflate");
	out->len += cap - z.avail_out;
	deflateEnd(&z);
}

/* ---- reading ---- */

struct mem {
	const unsigned char *p;
	size_t len, pos, piece;	/* piece: most handed out per read */
};

static ssize_t mem_read(void *ctx, void *buf, size_t n)
{
	struct mem *m = ctx;
	size_t k = m->len - m->pos;

	if (k > n)
		k = n;
	if (k > m->piece)
		k = m->piece;
	memcpy(buf, m->p + m->pos, k);
	m->pos += k;
	return (ssize_t)k;
}

struct result {
	struct buf out;
	int rc;			/* 0 or the read's error */
	char *msg;		/* its text up to " (": "corrupt gzip data" */
};

/* All of z (len bytes) through the read stack with impl's decoder. */
static void decode(enum source_gzip_impl impl, const void *z, size_t len,
		   size_t piece, struct result *res)
{
	struct mem m = { z, len, 0, piece };
	struct scan_reader raw = { mem_read, &m };
	struct source *s;
	struct scan_reader rd;
	char chunk[70000];	/* more than a raw block: decoders loop */

	CHECK_EQ(source_gzip_use(impl), 0);
	*res = (struct result){ BUF_INIT, 0, NULL };
	s = source_new(xstrdup("test.gz"), &raw, 0);
	source_setup(s);
	rd = source_reader(s);
	for (;;) {
		ssize_t n = rd.read(rd.ctx, chunk, sizeof(chunk));

		if (n <= 0) {
			res->rc = (int)n;
			break;
		}
		buf_add(&res->out, chunk, (size_t)n);
	}
	if (res->rc < 0) {
		const char *t = source_strerror(s, res->rc);

		res->msg = xstrndup(t, strcspn(t, "("));
	}
	source_close(s);
}

static void result_free(struct result *r)
{
	buf_release(&r->out);
	free(r->msg);
}

static int have_isal;
static int compared;

/* a is b, or (prefix) one of them starts the other */
static int same_bytes(const struct buf *a, const struct buf *b, int prefix)
{
	size_t n = a->len < b->len ? a->len : b->len;

	if (!prefix && a->len != b->len)
		return 0;
	return !memcmp(a->data, b->data, n);
}

/* a and b (decoded as la and lb) end the same way, with the same bytes
 * or, when they failed, one's bytes starting the other's. */
static void agree(const char *what, size_t piece, const char *la,
		  const struct result *a, const char *lb,
		  const struct result *b)
{
	CHECK(a->rc == b->rc, "%s (piece %zu): %s %d \"%s\", %s %d \"%s\"",
	      what, piece, la, a->rc, a->msg ? a->msg : "", lb, b->rc,
	      b->msg ? b->msg : "");
	CHECK((!a->msg && !b->msg) ||
	      (a->msg && b->msg && !strcmp(a->msg, b->msg)),
	      "%s (piece %zu): %s \"%s\", %s \"%s\"", what, piece, la,
	      a->msg ? a->msg : "", lb, b->msg ? b->msg : "");
	CHECK(same_bytes(&a->out, &b->out, a->rc < 0),
	      "%s (piece %zu): %s %zu bytes, %s %zu", what, piece, la,
	      a->out.len, lb, b->out.len);
}

/* r (decoded as name) is want; or fails with bytes that start orig. */
static void expect(const char *what, const char *name,
		   const struct result *r, const struct buf *want,
		   const struct buf *orig)
{
	if (want)
		CHECK(r->rc == 0 && same_bytes(&r->out, want, 0),
		      "%s: %s: %zu bytes, want %zu: %s", what, name,
		      r->out.len, want->len, r->msg);
	else if (orig)
		CHECK(r->rc < 0 && r->out.len <= orig->len &&
		      same_bytes(&r->out, orig, 1),
		      "%s: %s: %d, %zu bytes", what, name, r->rc, r->out.len);
}

/* Both decoders over z (len bytes of it), on the caller's thread and
 * decoding ahead: the same error and the same bytes.  want: the bytes of
 * a good input; NULL: damaged, they end alike.  Before the error, the
 * bytes may stop short in one of them: decoding ahead hands out whole
 * blocks, ISA-L keeps the last bits of a cut stream, and on bad data
 * decodes ahead of a small read (the 4 KiB head), finding the damage a
 * read sooner than zlib.  orig (damaged inputs): when known, they must
 * fail, and their bytes before the error start orig. */
static void same(const char *what, const struct buf *z, size_t len,
		 const struct buf *want, const struct buf *orig)
{
	static const size_t pieces[] = { SOURCE_IN_SIZE, 4093 };

	for (size_t i = 0; i < ARRAY_LEN(pieces); i++) {
		struct result r[2][2];	/* [isa-l][ahead] */
		static const char *const name[2][2] = {
			{ "zlib", "zlib ahead" }, { "isa-l", "isa-l ahead" } };

		for (int isal = 0; isal <= have_isal; isal++) {
			for (int ahead = 0; ahead < 2; ahead++) {
				source_dec_ahead(ahead);
				decode(isal ? SOURCE_GZIP_ISAL : SOURCE_GZIP_ZLIB,
				       z->data, len, pieces[i], &r[isal][ahead]);
				expect(what, name[isal][ahead], &r[isal][ahead],
				       want, orig);
			}
			agree(what, pieces[i], name[isal][0], &r[isal][0],
			      name[isal][1], &r[isal][1]);
		}
		source_dec_ahead(-1);
		for (int ahead = 0; ahead < 2 && have_isal; ahead++)
			agree(what, pieces[i], name[0][ahead], &r[0][ahead],
			      name[1][ahead], &r[1][ahead]);
		for (int isal = 0; isal <= have_isal; isal++)
			for (int ahead = 0; ahead < 2; ahead++)
				result_free(&r[isal][ahead]);
		if (have_isal)
			compared++;
	}
}

/* ---- cases ---- */

static void test_members(const struct buf *text)
{
	struct buf z = BUF_INIT, want = BUF_INIT;
	char zeros[700] = { 0 };

	add_member(&z, text->data, text->len, 1, 0);
	same("one member, -1", &z, z.len, text, NULL);

	/* several, one of them empty, one with every header field, one
	 * stored (level 0) */
	buf_add(&want, text->data, text->len);
	add_member(&z, "", 0, 6, 0);
	add_member(&z, text->data, 5000, 9, 1);
	buf_add(&want, text->data, 5000);
	add_member(&z, text->data + 100, 70000, 0, 0);
	buf_add(&want, text->data + 100, 70000);
	add_member(&z, "", 0, 6, 1);
	same("several members", &z, z.len, &want, NULL);

	/* after the last member: zeros, junk, one magic byte */
	buf_add(&z, zeros, sizeof(zeros));
	same("trailing zeros", &z, z.len, &want, NULL);
	z.len -= sizeof(zeros);
	buf_add(&z, "this is not gzip\n", 17);
	same("trailing junk", &z, z.len, &want, NULL);
	z.len -= 17;
	buf_add(&z, "\037", 1);
	same("a lone magic byte after", &z, z.len, &want, NULL);
	z.len -= 1;

	/* a magic that starts no member is damage, not padding */
	buf_add(&z, "\037\213", 2);
	same("a magic and nothing", &z, z.len, NULL, &want);
	buf_add(&z, "\010\000junkjunkjunk", 14);
	same("a magic and a bad member", &z, z.len, NULL, &want);
	buf_release(&z);

	add_member(&z, "", 0, 6, 0);
	buf_release(&want);
	same("only an empty member", &z, z.len, &want, NULL);
	buf_release(&z);
}

/* Every cut of a small two-member file, then cuts across a large one:
 * "truncated" from all, after bytes that start the original; a cut at the
 * end of the first member (or one byte into the next) is that member
 * whole.  (Under two bytes, no gzip magic: a plain file.) */
static void test_cuts(const struct buf *text)
{
	struct buf z = BUF_INIT, orig = BUF_INIT, first = BUF_INIT;
	size_t n, end1;

	add_member(&z, text->data, 3000, 6, 1);
	end1 = z.len;
	add_member(&z, text->data + 3000, 3000, 1, 0);
	buf_add(&first, text->data, 3000);
	buf_add(&orig, text->data, 6000);
	n = z.len;
	for (size_t len = 2; len < n; len++) {
		char what[64];

		snprintf(what, sizeof(what), "small cut at %zu of %zu", len, n);
		/* the first member, and maybe a lone magic byte after it */
		if (len == end1 || len == end1 + 1)
			same(what, &z, len, &first, NULL);
		else
			same(what, &z, len, NULL, &orig);
	}
	buf_release(&z);

	add_member(&z, text->data, text->len, 1, 0);
	n = z.len;
	for (size_t len = 2; len < n; len += 1 + rnd() % 9973) {
		char what[64];

		snprintf(what, sizeof(what), "large cut at %zu of %zu", len, n);
		same(what, &z, len, NULL, text);
	}
	buf_release(&z);
	buf_release(&orig);
	buf_release(&first);
}

/* One byte changed at a time: header, data, trailer. */
static void test_flips(const struct buf *text)
{
	struct buf z = BUF_INIT, bad = BUF_INIT;
	size_t n;

	add_member(&z, text->data, 20000, 6, 1);
	add_member(&z, text->data + 20000, 20000, 1, 0);
	n = z.len;
	buf_add(&bad, z.data, n);
	for (size_t i = 0; i < n; i += 1 + (i < 64 || i + 16 > n ? 0 : rnd() % 37)) {
		for (int f = 0; f < 2; f++) {
			unsigned char x = f ? 0xff : (unsigned char)(1u << (i % 8));
			char what[64];

			bad.data[i] ^= x;
			snprintf(what, sizeof(what), "byte %zu of %zu ^ 0x%02x", i, n, x);
			same(what, &bad, n, NULL, NULL);
			bad.data[i] ^= x;
		}
	}
	buf_release(&z);
	buf_release(&bad);
}

int main(void)
{
	struct buf text = BUF_INIT;

	have_isal = source_gzip_use(SOURCE_GZIP_ISAL) == 0;
	if (!have_isal)
		printf("test-compress: built without ISA-L: zlib alone\n");
	make_text(&text, 300000);	/* several 64 KiB raw blocks */
	test_members(&text);
	test_cuts(&text);
	test_flips(&text);
	if (have_isal)
		printf("test-compress: %d inputs through both decoders\n", compared);
	source_gzip_use(SOURCE_GZIP_ISAL);
	buf_release(&text);
	return check_done("test-compress");
}
