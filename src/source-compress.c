/*
 * source-compress.c: streaming gzip, xz, zstd and bzip2 decoders over a
 * source's raw input block.
 *
 * Each decoder reads from s->in (SOURCE_IN_SIZE bytes) and writes straight
 * into the caller's buffer, so memory is the block plus the library's own
 * state: a 32 KiB window for gzip, about 3.6 MiB for bzip2, the
 * dictionary or window for xz and zstd, both capped at SOURCE_MAX_WINDOW.
 *
 * Damage is told apart from the end: a stream that stops before its end
 * marker is "truncated", bad data is "corrupt"; both are -EBADMSG.  Like
 * gzip(1) and bzip2(1), bytes after a complete member that do not start
 * another member are ignored (tape padding, trailing zeros).
 *
 * gzip has two decoders: ISA-L's inflate when the build found libisal
 * (HAVE_ISAL; two to three times zlib's speed, its CRC too), else zlib's.
 * Both follow the same rules above, member by member, and
 * tests/unit/test-compress.c holds them to the same bytes and errors.
 */
#include <bzlib.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <lzma.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>
#ifdef HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include "source-int.h"
#include "xalloc.h"

struct source_dec {
	enum source_codec codec;
	int in_stream;		/* inside a member, stream or frame */
	int done;		/* the last one ended; the rest is ignored */
	int isal;		/* gzip through ISA-L (u.isal), not zlib */
	struct ahead *ahead;	/* the thread decoding ahead, or NULL */
	int body;		/* the reader has read past the head */
	int counted;		/* in n_reading */
	union {
		z_stream z;
#ifdef HAVE_ISAL
		struct inflate_state *isal;	/* ~80 KiB: not in the union */
#endif
		lzma_stream x;
		ZSTD_DStream *zs;
		bz_stream bz;
	} u;
};

static const unsigned char gzip_magic[] = { 0x1f, 0x8b };
static const unsigned char xz_magic[] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };
static const unsigned char zstd_magic[] = { 0x28, 0xb5, 0x2f, 0xfd };
static const unsigned char bzip2_magic[] = { 'B', 'Z', 'h' };

static int starts(const unsigned char *p, size_t n, const unsigned char *m,
		  size_t mlen)
{
	return n >= mlen && !memcmp(p, m, mlen);
}

enum source_codec source_sniff(const unsigned char *p, size_t n)
{
	if (starts(p, n, gzip_magic, sizeof(gzip_magic)))
		return SOURCE_GZIP;
	if (starts(p, n, xz_magic, sizeof(xz_magic)))
		return SOURCE_XZ;
	if (starts(p, n, zstd_magic, sizeof(zstd_magic)))
		return SOURCE_ZSTD;
	/* pzstd and seekable zstd start with a skippable frame,
	 * magic 0x184D2A50..0x184D2A5F little-endian */
	if (n >= 4 && (p[0] & 0xf0) == 0x50 && p[1] == 0x2a && p[2] == 0x4d &&
	    p[3] == 0x18)
		return SOURCE_ZSTD;
	if (starts(p, n, bzip2_magic, sizeof(bzip2_magic)) && n >= 4 &&
	    p[3] >= '1' && p[3] <= '9')
		return SOURCE_BZIP2;
	return SOURCE_PLAIN;
}

const char *source_codec_name(enum source_codec codec)
{
	switch (codec) {
	case SOURCE_GZIP: return "gzip";
	case SOURCE_XZ: return "xz";
	case SOURCE_ZSTD: return "zstd";
	case SOURCE_BZIP2: return "bzip2";
	case SOURCE_PLAIN: break;
	}
	return "plain";
}

static int corrupt(struct source *s, const char *why)
{
	return source_fail(s, -EBADMSG, "corrupt %s data (%s)",
			   source_codec_name(s->codec), why);
}

static int truncated(struct source *s)
{
	return source_fail(s, -EBADMSG, "truncated %s data (unexpected end of input)",
			   source_codec_name(s->codec));
}

/*
 * After a member ended: does another one follow?  1: yes, the decoder
 * must restart; 0: no (end of input, or bytes that are not a member);
 * < 0: read error.
 */
static int next_member(struct source *s, const unsigned char *magic,
		       size_t mlen)
{
	ssize_t n = source_in_need(s, mlen);

	if (n < 0)
		return (int)n;
	return starts(s->in + s->in_pos, (size_t)n, magic, mlen);
}

/* Refill the input block when it is empty: 0 or -errno. */
static int refill(struct source *s)
{
	ssize_t n = 0;

	if (s->in_pos == s->in_len && !s->in_eof)
		n = source_in_need(s, 1);
	return n < 0 ? (int)n : 0;
}

static size_t in_avail(const struct source *s)
{
	return s->in_len - s->in_pos;
}

/* ---- gzip ---- */

#ifdef HAVE_ISAL
static enum source_gzip_impl gzip_impl = SOURCE_GZIP_ISAL;
#else
static enum source_gzip_impl gzip_impl = SOURCE_GZIP_ZLIB;
#endif

int source_gzip_use(enum source_gzip_impl impl)
{
#ifndef HAVE_ISAL
	if (impl == SOURCE_GZIP_ISAL)
		return -ENOTSUP;
#endif
	gzip_impl = impl;
	return 0;
}

static int gz_new(struct source_dec *d)
{
#ifdef HAVE_ISAL
	if (gzip_impl == SOURCE_GZIP_ISAL) {
		d->isal = 1;
		/* zeroed: on a distance too far back, ISA-L copies from its
		 * window buffer before it says so; stale heap there would be
		 * another file's text */
		d->u.isal = xcalloc(1, sizeof(*d->u.isal));
		isal_inflate_init(d->u.isal);
		/* the gzip header and trailer, CRC-32 and size checked */
		d->u.isal->crc_flag = ISAL_GZIP;
		return 0;
	}
#endif
	/* 16 + MAX_WBITS: a gzip header and trailer, not zlib's */
	return inflateInit2(&d->u.z, 16 + MAX_WBITS) == Z_OK ? 0 : -ENOMEM;
}

#ifdef HAVE_ISAL
static const char *isal_why(int ret)
{
	switch (ret) {
	case ISAL_INVALID_BLOCK: return "invalid block";
	case ISAL_INVALID_SYMBOL: return "invalid code";
	case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
	case ISAL_INVALID_WRAPPER: return "incorrect header check";
	case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
	case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
	}
	return "bad data";
}

/* The same walk as zlib's below: member by member, the same errors. */
static int isal_read(struct source *s, unsigned char *out, size_t n,
		   size_t *got)
{
	struct source_dec *d = s->dec;
	struct inflate_state *st = d->u.isal;

	while (*got < n && !d->done) {
		int r = refill(s), ret;
		uint32_t before_in, before_out;

		if (r < 0)
			return r;
		st->next_in = s->in + s->in_pos;
		st->avail_in = (uint32_t)in_avail(s);
		st->next_out = out + *got;
		st->avail_out = (uint32_t)(n - *got);
		before_in = st->avail_in;
		before_out = st->avail_out;
		ret = isal_inflate(st);
		s->in_pos += before_in - st->avail_in;
		*got += before_out - st->avail_out;
		if (ret < 0 || ret == ISAL_NEED_DICT)
			return corrupt(s, isal_why(ret));
		if (st->block_state == ISAL_BLOCK_FINISH) {
			/* isal_inflate() hands back what it read past the
			 * trailer: s->in_pos is at the member's end */
			r = next_member(s, gzip_magic, sizeof(gzip_magic));
			if (r < 0)
				return r;
			if (r == 0) {
				d->done = 1;
			} else {
				isal_inflate_reset(st);
				st->crc_flag = ISAL_GZIP;
			}
		} else if (before_in == st->avail_in &&
			   before_out == st->avail_out) {
			/* no progress: only the end of input explains it */
			if (s->in_eof && !in_avail(s))
				return truncated(s);
		}
	}
	return 0;
}
#endif

static int gz_read(struct source *s, unsigned char *out, size_t n,
		   size_t *got)
{
	struct source_dec *d = s->dec;
	z_stream *z = &d->u.z;

	while (*got < n && !d->done) {
		int r = refill(s), ret;
		size_t before_in, before_out;

		if (r < 0)
			return r;
		z->next_in = s->in + s->in_pos;
		z->avail_in = (uInt)in_avail(s);
		z->next_out = out + *got;
		z->avail_out = (uInt)(n - *got);
		before_in = z->avail_in;
		before_out = z->avail_out;
		ret = inflate(z, Z_NO_FLUSH);
		s->in_pos += before_in - z->avail_in;
		*got += before_out - z->avail_out;
		if (ret == Z_STREAM_END) {
			r = next_member(s, gzip_magic, sizeof(gzip_magic));
			if (r < 0)
				return r;
			if (r == 0)
				d->done = 1;
			else if (inflateReset(z) != Z_OK)
				return corrupt(s, "cannot restart the decoder");
		} else if (ret == Z_BUF_ERROR || (ret == Z_OK &&
			   before_in == z->avail_in && before_out == z->avail_out)) {
			/* no progress: only the end of input explains it */
			if (s->in_eof && !in_avail(s))
				return truncated(s);
		} else if (ret == Z_MEM_ERROR) {
			return source_fail(s, -ENOMEM, "out of memory decoding gzip data");
		} else if (ret != Z_OK) {
			return corrupt(s, z->msg ? z->msg : "bad data");
		}
	}
	return 0;
}

/* ---- xz ---- */

static int xz_new(struct source_dec *d)
{
	lzma_stream init = LZMA_STREAM_INIT;

	d->u.x = init;
	/* CONCATENATED: "xz -c a >f; xz -c b >>f" decodes whole, like xz(1) */
	return lzma_stream_decoder(&d->u.x, SOURCE_MAX_WINDOW,
				   LZMA_CONCATENATED) == LZMA_OK ? 0 : -ENOMEM;
}

static int xz_read(struct source *s, unsigned char *out, size_t n,
		   size_t *got)
{
	struct source_dec *d = s->dec;
	lzma_stream *x = &d->u.x;

	while (*got < n && !d->done) {
		int r = refill(s);
		lzma_ret ret;
		size_t before_in;

		if (r < 0)
			return r;
		x->next_in = s->in + s->in_pos;
		x->avail_in = in_avail(s);
		x->next_out = out + *got;
		x->avail_out = n - *got;
		before_in = x->avail_in;
		ret = lzma_code(x, s->in_eof && !in_avail(s) ? LZMA_FINISH
							       : LZMA_RUN);
		s->in_pos += before_in - x->avail_in;
		*got = n - x->avail_out;
		switch (ret) {
		case LZMA_OK:
			break;
		case LZMA_STREAM_END:
			d->done = 1;
			break;
		case LZMA_BUF_ERROR:	/* no progress twice, at LZMA_FINISH */
			return truncated(s);
		case LZMA_MEMLIMIT_ERROR:
			return source_fail(s, -ENOMEM,
					   "xz data needs %" PRIu64 " MiB to decode, more than the %u MiB allowed",
					   (uint64_t)lzma_memusage(x) >> 20,
					   SOURCE_MAX_WINDOW >> 20);
		case LZMA_MEM_ERROR:
			return source_fail(s, -ENOMEM, "out of memory decoding xz data");
		case LZMA_FORMAT_ERROR:
			return corrupt(s, "not in xz format");
		case LZMA_OPTIONS_ERROR:
			return corrupt(s, "unsupported options");
		case LZMA_DATA_ERROR:
			return corrupt(s, "compressed data is corrupt");
		default:
			return corrupt(s, "decoder error");
		}
	}
	return 0;
}

/* ---- zstd ---- */

static int zstd_new(struct source_dec *d)
{
	unsigned wlog = 10;

	d->u.zs = ZSTD_createDStream();
	if (!d->u.zs)
		return -ENOMEM;
	while ((1u << (wlog + 1)) <= SOURCE_MAX_WINDOW)
		wlog++;
	ZSTD_DCtx_setParameter(d->u.zs, ZSTD_d_windowLogMax, (int)wlog);
	return 0;
}

static int zstd_read(struct source *s, unsigned char *out, size_t n,
		   size_t *got)
{
	struct source_dec *d = s->dec;

	while (*got < n && !d->done) {
		int r = refill(s);
		ZSTD_inBuffer ib = { s->in + s->in_pos, in_avail(s), 0 };
		ZSTD_outBuffer ob = { out + *got, n - *got, 0 };
		size_t ret;

		if (r < 0)
			return r;
		if (!ib.size && s->in_eof && !d->in_stream) {
			d->done = 1;	/* every frame ended */
			break;
		}
		ret = ZSTD_decompressStream(d->u.zs, &ob, &ib);
		s->in_pos += ib.pos;
		*got += ob.pos;
		if (ZSTD_isError(ret)) {
			if (ZSTD_getErrorCode(ret) ==
			    ZSTD_error_frameParameter_windowTooLarge)
				return source_fail(s, -ENOMEM,
						   "zstd data needs a window larger than the %u MiB allowed",
						   SOURCE_MAX_WINDOW >> 20);
			return corrupt(s, ZSTD_getErrorName(ret));
		}
		/* 0: a frame ended and is flushed; the next may follow */
		d->in_stream = ret != 0;
		if (!ib.pos && !ob.pos && s->in_eof && !in_avail(s))
			return truncated(s);
	}
	return 0;
}

/* ---- bzip2 ---- */

static int bz_new(struct source_dec *d)
{
	memset(&d->u.bz, 0, sizeof(d->u.bz));
	return BZ2_bzDecompressInit(&d->u.bz, 0, 0) == BZ_OK ? 0 : -ENOMEM;
}

static int bz_read(struct source *s, unsigned char *out, size_t n,
		   size_t *got)
{
	struct source_dec *d = s->dec;
	bz_stream *bz = &d->u.bz;

	while (*got < n && !d->done) {
		int r = refill(s), ret;
		unsigned before_in, before_out;

		if (r < 0)
			return r;
		bz->next_in = (char *)s->in + s->in_pos;
		bz->avail_in = (unsigned)in_avail(s);
		bz->next_out = (char *)out + *got;
		bz->avail_out = (unsigned)(n - *got);
		before_in = bz->avail_in;
		before_out = bz->avail_out;
		ret = BZ2_bzDecompress(bz);
		s->in_pos += before_in - bz->avail_in;
		*got += before_out - bz->avail_out;
		if (ret == BZ_STREAM_END) {
			/* pbzip2 writes one stream per block of input */
			BZ2_bzDecompressEnd(bz);
			r = next_member(s, bzip2_magic, sizeof(bzip2_magic));
			if (r < 0)
				return r;
			if (r == 0) {
				d->done = 1;
				memset(bz, 0, sizeof(*bz));
			} else if (bz_new(d) < 0) {
				return source_fail(s, -ENOMEM, "out of memory decoding bzip2 data");
			}
		} else if (ret == BZ_OK) {
			if (before_in == bz->avail_in &&
			    before_out == bz->avail_out && s->in_eof &&
			    !in_avail(s))
				return truncated(s);
		} else if (ret == BZ_MEM_ERROR) {
			return source_fail(s, -ENOMEM, "out of memory decoding bzip2 data");
		} else {
			return corrupt(s, ret == BZ_DATA_ERROR_MAGIC ? "bad magic"
							       : "data integrity error");
		}
	}
	return 0;
}

/* ---- decoding ahead ----
 *
 * On a file, when a processor would otherwise idle, the decoder runs on a
 * thread of its own, AHEAD_BLOCKS blocks ahead of the reader, so decoding
 * and the scan overlap (gzip -1: ISA-L's inflate takes about as long as
 * the scan).  It starts at the first read past the head, the reader's
 * (the head is read when the source is opened, perhaps long before and on
 * another thread), and only while the files being read and the threads
 * decoding ahead leave a processor for it: with -j N on N busy workers,
 * a thread more would only add the copy and the switches.
 *
 * The thread works on a copy of the source (sh): its input block position
 * and its error are its own; the reader sees the error after the bytes
 * decoded before it, as without the thread.  Pipes, stdin and archive
 * members are decoded on the reader's thread: a thread blocked in read(2)
 * on a pipe could not be stopped.
 */
#define AHEAD_BLOCK (256 * 1024)
#define AHEAD_BLOCKS 4

struct ahead {
	pthread_t thread;
	pthread_mutex_t lock;
	/* Each side waits for half the ring (free blocks, or filled ones
	 * or the end), not one block: a switch per half ring, not two per
	 * block, when one side is faster */
	pthread_cond_t to_reader, to_thread;
	int reader_waits, thread_waits;
	struct source sh;		/* the thread's view of the source */
	unsigned char *block[AHEAD_BLOCKS];
	size_t len[AHEAD_BLOCKS];
	unsigned long put, got;		/* blocks filled, and handed out */
	size_t pos;			/* in the block got % AHEAD_BLOCKS */
	int end;			/* the thread is done: rc says why */
	int stop;			/* the reader is done */
	ssize_t rc;			/* 0: the end of the data, or -errno */
};

static int ahead_mode = -1;	/* source_dec_ahead() */
static atomic_int n_reading;	/* files past their head, decoders made */
static atomic_int n_ahead;	/* threads decoding ahead */

void source_dec_ahead(int mode)
{
	ahead_mode = mode;
}

static int cpus(void)
{
	cpu_set_t set;

	return sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;
}

static ssize_t dec_read(struct source *s, void *buf, size_t n);

static void *ahead_run(void *arg)
{
	struct ahead *a = arg;

	for (;;) {
		unsigned char *b;
		ssize_t r;

		pthread_mutex_lock(&a->lock);
		while (a->put - a->got == AHEAD_BLOCKS && !a->stop) {
			a->thread_waits = 1;
			pthread_cond_wait(&a->to_thread, &a->lock);
		}
		b = a->block[a->put % AHEAD_BLOCKS];
		if (a->stop) {
			pthread_mutex_unlock(&a->lock);
			return NULL;
		}
		pthread_mutex_unlock(&a->lock);
		r = dec_read(&a->sh, b, AHEAD_BLOCK);
		pthread_mutex_lock(&a->lock);
		if (r > 0) {
			a->len[a->put % AHEAD_BLOCKS] = (size_t)r;
			a->put++;
		} else {
			a->end = 1;
			a->rc = r;
		}
		if (a->reader_waits &&
		    (a->end || a->put - a->got >= AHEAD_BLOCKS / 2)) {
			a->reader_waits = 0;
			pthread_cond_signal(&a->to_reader);
		}
		pthread_mutex_unlock(&a->lock);
		if (r <= 0)
			return NULL;
	}
}

/* Start the thread over s (its decoder made): 0, or < 0 to decode on the
 * caller's thread. */
static int ahead_start(struct source *s)
{
	struct ahead *a = xcalloc(1, sizeof(*a));
	sigset_t all, old;
	int r;

	a->sh = *s;
	for (int i = 0; i < AHEAD_BLOCKS; i++)
		a->block[i] = xmalloc(AHEAD_BLOCK);
	pthread_mutex_init(&a->lock, NULL);
	pthread_cond_init(&a->to_reader, NULL);
	pthread_cond_init(&a->to_thread, NULL);
	/* signals stay with the threads that handle them */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	r = -pthread_create(&a->thread, NULL, ahead_run, a);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r < 0) {
		for (int i = 0; i < AHEAD_BLOCKS; i++)
			free(a->block[i]);
		pthread_mutex_destroy(&a->lock);
		pthread_cond_destroy(&a->to_reader);
		pthread_cond_destroy(&a->to_thread);
		free(a);
		return r;
	}
	s->dec->ahead = a;
	atomic_fetch_add(&n_ahead, 1);
	return 0;
}

/* The reader's first read past the head: decode ahead from here on? */
static void ahead_maybe(struct source *s)
{
	struct source_dec *d = s->dec;
	int reading;

	d->body = 1;
	if (ahead_mode == 0 || (ahead_mode < 0 && !s->on_disk))
		return;
	d->counted = 1;
	reading = atomic_fetch_add(&n_reading, 1) + 1;
	if (ahead_mode > 0 || reading + atomic_load(&n_ahead) < cpus())
		ahead_start(s);	/* when it cannot, this thread decodes */
}

static ssize_t ahead_read(struct source *s, unsigned char *out, size_t n)
{
	struct ahead *a = s->dec->ahead;
	size_t done = 0;

	pthread_mutex_lock(&a->lock);
	while (done < n) {
		size_t k;

		while (a->got == a->put && !a->end && !done) {
			a->reader_waits = 1;
			pthread_cond_wait(&a->to_reader, &a->lock);
		}
		if (a->got == a->put)
			break;
		/* block got is the reader's until got moves on */
		pthread_mutex_unlock(&a->lock);
		k = a->len[a->got % AHEAD_BLOCKS] - a->pos;
		if (k > n - done)
			k = n - done;
		memcpy(out + done, a->block[a->got % AHEAD_BLOCKS] + a->pos, k);
		done += k;
		a->pos += k;
		pthread_mutex_lock(&a->lock);
		if (a->pos == a->len[a->got % AHEAD_BLOCKS]) {
			a->pos = 0;
			a->got++;
			if (a->thread_waits &&
			    a->put - a->got <= AHEAD_BLOCKS / 2) {
				a->thread_waits = 0;
				pthread_cond_signal(&a->to_thread);
			}
		}
	}
	pthread_mutex_unlock(&a->lock);
	if (done || !a->rc)
		return (ssize_t)done;
	return source_fail(s, a->sh.err ? a->sh.err : (int)a->rc, "%s",
			   a->sh.errmsg);
}

static void ahead_free(struct ahead *a)
{
	pthread_mutex_lock(&a->lock);
	a->stop = 1;
	pthread_cond_signal(&a->to_thread);
	pthread_mutex_unlock(&a->lock);
	pthread_join(a->thread, NULL);
	for (int i = 0; i < AHEAD_BLOCKS; i++)
		free(a->block[i]);
	pthread_mutex_destroy(&a->lock);
	pthread_cond_destroy(&a->to_reader);
	pthread_cond_destroy(&a->to_thread);
	free(a);
}

int source_dec_new(struct source *s)
{
	struct source_dec *d = xcalloc(1, sizeof(*d));
	int r = -EINVAL;

	d->codec = s->codec;
	switch (s->codec) {
	case SOURCE_GZIP: r = gz_new(d); break;
	case SOURCE_XZ: r = xz_new(d); break;
	case SOURCE_ZSTD: r = zstd_new(d); break;
	case SOURCE_BZIP2: r = bz_new(d); break;
	case SOURCE_PLAIN: break;
	}
	if (r < 0) {
		free(d);
		return source_fail(s, r, "cannot start the %s decoder: %s",
				   source_codec_name(s->codec), strerror(-r));
	}
	d->in_stream = 1;
	s->dec = d;
	return 0;
}

/* Decode on this thread: the bytes decoded before damage first, its
 * error (kept in s->err) on the next call. */
static ssize_t dec_read(struct source *s, void *buf, size_t n)
{
	size_t got = 0;
	int r = -EINVAL;

	if (s->err)
		return s->err;
	/* zlib and bzip2 count in unsigned int */
	if (n > UINT_MAX / 2)
		n = UINT_MAX / 2;
	switch (s->codec) {
	case SOURCE_GZIP:
#ifdef HAVE_ISAL
		if (s->dec->isal) {
			r = isal_read(s, buf, n, &got);
			break;
		}
#endif
		r = gz_read(s, buf, n, &got);
		break;
	case SOURCE_XZ: r = xz_read(s, buf, n, &got); break;
	case SOURCE_ZSTD: r = zstd_read(s, buf, n, &got); break;
	case SOURCE_BZIP2: r = bz_read(s, buf, n, &got); break;
	case SOURCE_PLAIN: break;
	}
	return got ? (ssize_t)got : r;
}

ssize_t source_dec_read(struct source *s, void *buf, size_t n)
{
	/* source_setup() reads the head with head_pos at 0; the reader's
	 * reads replay it first */
	if (!s->dec->body && s->head_pos > 0 && !s->err)
		ahead_maybe(s);
	if (s->dec->ahead)
		return ahead_read(s, buf, n);
	return dec_read(s, buf, n);
}

void source_dec_free(struct source_dec *d)
{
	if (!d)
		return;
	if (d->ahead) {
		ahead_free(d->ahead);
		atomic_fetch_sub(&n_ahead, 1);
	}
	if (d->counted)
		atomic_fetch_sub(&n_reading, 1);
	switch (d->codec) {
	case SOURCE_GZIP:
#ifdef HAVE_ISAL
		if (d->isal) {
			free(d->u.isal);
			break;
		}
#endif
		inflateEnd(&d->u.z);
		break;
	case SOURCE_XZ: lzma_end(&d->u.x); break;
	case SOURCE_ZSTD: ZSTD_freeDStream(d->u.zs); break;
	case SOURCE_BZIP2:
		if (!d->done)
			BZ2_bzDecompressEnd(&d->u.bz);
		break;
	case SOURCE_PLAIN: break;
	}
	free(d);
}
