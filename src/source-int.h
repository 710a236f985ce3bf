/*
 * source-int.h: what src/source-*.c share and nobody else sees: the raw
 * input block, the decoders and the walk.
 */
#ifndef OOMLENS_SOURCE_INT_H
#define OOMLENS_SOURCE_INT_H

#include <stddef.h>
#include <sys/types.h>

#include "source.h"

/* Raw bytes are read in blocks of this size; decoders read from it. */
#define SOURCE_IN_SIZE (64 * 1024)
/* The head kept to classify a source (and replayed to its reader). */
#define SOURCE_HEAD_SIZE 4096

/* A source of raw bytes: path is stolen (freed by source_close()). */
struct source *source_new(char *path, const struct scan_reader *raw,
			  int64_t mtime);
/* Detect the codec, start the decoder, read the head, set kind.  Errors
 * are kept for the reader (see source_open()). */
void source_setup(struct source *s);
/* Set s->err to err and s->errmsg to the formatted text; returns err. */
int source_fail(struct source *s, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Make at least need raw bytes available unless the input ends first:
 * returns how many are, or -errno. */
ssize_t source_in_need(struct source *s, size_t need);

/* source-compress.c: the codec whose magic starts p (n bytes). */
enum source_codec source_sniff(const unsigned char *p, size_t n);
/* Start a decoder for s->codec over s->in; < 0 with s->errmsg set. */
int source_dec_new(struct source *s);
/* Decode into buf: bytes, 0 at the end, < 0 with s->errmsg set.  The
 * bytes decoded before damage come first, its error on the next call. */
ssize_t source_dec_read(struct source *s, void *buf, size_t n);
void source_dec_free(struct source_dec *d);

/* The gzip decoder of the sources started from now on: ISA-L's when the
 * build has it (the default then), else zlib's.  Not a user option:
 * tests hold both to the same output.  -ENOTSUP: ISA-L is not built in. */
enum source_gzip_impl { SOURCE_GZIP_ZLIB, SOURCE_GZIP_ISAL };
int source_gzip_use(enum source_gzip_impl impl);
/* Whether decoders run on a thread of their own, ahead of the reader,
 * from the reader's first read past the head: 1 always, 0 never, -1 (the
 * default) for files on disk while a processor is free for it.  For
 * tests, as above. */
void source_dec_ahead(int mode);

/* A walk in progress. */
struct source_walk {
	const struct source_walk_ops *ops;
	void *ctx;
	unsigned flags;
};

/* Hosts inherited from where a source was found. */
struct source_hosts {
	const char *dir;	/* from SOURCE_HOST_FROM_DIR: wins */
	const char *sos;	/* from the nearest sosreport hostname file */
};

/* Hand s to the walk: walk it when it is an archive (depth: how many
 * archives hold it), else set its host and call ops->input. */
int source_walk_input(struct source_walk *w, struct source *s,
		      const struct source_hosts *h, int depth);

/* source-archive.c: every regular member of the archive s. top: s was
 * given by the user (its first directory may name a host). */
int source_walk_archive(struct source_walk *w, struct source *s,
			const struct source_hosts *h, int depth, int top);

/* The first line of a hostname file's head, when it is a plausible host
 * name (letters, digits, '.', '-', '_', at most 253 bytes); the caller
 * frees it.  NULL otherwise. */
char *source_parse_hostname(const void *head, size_t n);

#endif
