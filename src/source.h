/*
 * source.h: inputs as byte streams: files, stdin, compressed files, tar
 * archives and directories walked for the files in them.
 *
 * A source is read through one stack, whatever it came from:
 *
 *	file / stdin / archive member	raw bytes (struct scan_reader)
 *	gzip, xz, zstd, bzip2 decoder	chosen by magic, never by name
 *	4 KiB head			peeked to tell logs from the rest
 *
 * Memory is bounded per source (a 64 KiB input block, the decoder's state
 * with xz and zstd windows capped at SOURCE_MAX_WINDOW, the 4 KiB head),
 * never by the size of the input.  Readers never print; they return
 * -errno, and source_strerror() says what went wrong.
 */
#ifndef OOMLENS_SOURCE_H
#define OOMLENS_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "scan.h"

/* Decoders refuse xz dictionaries and zstd windows above this. */
#define SOURCE_MAX_WINDOW (128u << 20)
/* Archives inside archives inside archives, and no deeper. */
#define SOURCE_MAX_NESTING 3

/* What the first 4 KiB (after decompression) say the source holds. */
enum source_kind {
	SOURCE_TEXT,		/* a log, or anything else without NUL bytes */
	SOURCE_BINARY,		/* NUL bytes in the head: not a text log */
	SOURCE_JOURNAL,		/* a systemd journal file, see source_is_journal() */
	SOURCE_ARCHIVE,		/* a tar archive: source_walk() reads its members */
	SOURCE_JOURNAL_EXPORT,	/* journalctl -o export (journal_text_new()) */
	SOURCE_JOURNAL_JSON,	/* journalctl -o json or json-seq */
};

enum source_codec {
	SOURCE_PLAIN,
	SOURCE_GZIP,		/* members may be concatenated */
	SOURCE_XZ,		/* streams may be concatenated */
	SOURCE_ZSTD,		/* any number of frames */
	SOURCE_BZIP2,		/* streams may be concatenated (pbzip2) */
};

struct source_dec;
struct source_arch;

struct source {
	char *path;		/* shown and stored: as given, "-" for stdin,
				 * "ARCHIVE:member/path" for an archive member */
	char *host;		/* for lines without a host field: from
				 * --host-from-dir or a sosreport hostname file;
				 * NULL when neither applies */
	int64_t mtime;		/* seconds: the file's or member's; now for pipes */
	enum source_kind kind;
	enum source_codec codec;

	/* private to src/source-*.c */
	int fd;			/* -1 for archive members */
	struct scan_reader raw;	/* compressed bytes */
	unsigned char *in;	/* SOURCE_IN_SIZE block of raw bytes */
	size_t in_pos, in_len;
	int in_eof;
	struct source_dec *dec;	/* NULL for SOURCE_PLAIN */
	unsigned char *head;	/* first bytes after decoding, replayed */
	size_t head_pos, head_len;
	int err;		/* sticky: once a read failed, it fails again */
	char errmsg[160];
	struct source_arch *arch;	/* the archive s is a member of */
	char *member;		/* its name in there */
	int on_disk;		/* a regular file opened by path */
	uint64_t dev, ino;
	int64_t raw_size, raw_mtime_ns;
};

/*
 * Open a file (or "-" for stdin), detect its compression and peek at its
 * head to set kind.  -EISDIR for a directory; other -errno from open(2).
 * A read or decoding error met while peeking is not returned here: the
 * reader returns it after the bytes that could be read, so an input is
 * reported the same way wherever its damage lies.
 */
int source_open(const char *path, struct source **ret);
/* Accepts NULL. */
void source_close(struct source *s);
/*
 * A plain file on disk, from where its reader is to its present end,
 * mapped private and writable (see source-map.c): 1 with *data and *len,
 * 0 when s is not such a file, is shorter than min_len or cannot be
 * mapped (read it instead).  source_map_step() is scan_map's step: it
 * hands back the pages before done and fails (s's error set) when the
 * file has shrunk below reach.
 */
struct source_map;
int source_map(struct source *s, uint64_t min_len, struct source_map **ret,
	       char **data, uint64_t *len);
int source_map_step(struct source_map *m, uint64_t reach, uint64_t done);
void source_unmap(struct source_map *m);

/* A reader for scan_stream() over s: the decompressed bytes. */
struct scan_reader source_reader(struct source *s);
/*
 * What a negative return of s's reader means, for "cannot read 'PATH': %s":
 * "corrupt gzip data (invalid distance too far back)", "truncated xz data
 * (unexpected end of input)", or strerror(-err).  Valid until s is closed.
 */
const char *source_strerror(const struct source *s, int err);
/*
 * The host for the lines of s that carry none: s->host, or, for a member
 * of a sosreport archive whose hostname file comes after it (GNU tar
 * writes in directory order), the host that file names, found by reading
 * the archive file ahead, once per archive.  Call it when a report lacks
 * a host, so inputs that do not need it never cost the second pass.  Not
 * possible on a pipe or inside a nested archive: NULL there, as when
 * nothing names a host.
 */
const char *source_host(struct source *s);
/*
 * What recognises a file read before, to resume it: a hash of its first
 * bytes after decoding (so kern.log.1 and the kern.log.2.gz logrotate
 * makes of it later share it), and the file itself as it is now.
 */
struct source_identity {
	char head_hash[33];	/* 128 bits, hex */
	size_t head_len;	/* bytes hashed: 4 KiB, or the whole file */
	int64_t raw_size;	/* of the file on disk (compressed) */
	int64_t raw_mtime_ns;
	uint64_t dev, ino;
};
/* 0 and *id for a regular file opened by path; -ENOTSUP for stdin, pipes
 * and archive members (they are not appended to). */
int source_identity(const struct source *s, struct source_identity *id);
/* 1 when the whole input is in its head (under 4 KiB) and holds nothing
 * but white space: no line to recognise it by. */
int source_is_blank(const struct source *s);
/*
 * A hash of the (up to) 4 KiB before offset in a plain file on disk, read
 * with pread(): what a later ingest compares before it trusts that a file
 * with the same head is the same file grown.  0 and out, or -ENOTSUP for
 * compressed files, stdin, pipes and archive members; -errno.
 */
int source_tail_hash(const struct source *s, uint64_t offset, char out[33]);
/*
 * Skip the first n decoded bytes, before anything is read: a plain file
 * seeks, a compressed one is decoded and the bytes dropped.  Returns how
 * many were skipped (fewer than n when the input is shorter), or -errno
 * (then the reader returns the error too).  tail (may be NULL) gets the
 * hash of the (up to) 4 KiB skipped last, as source_tail_hash() makes it
 * of a plain file ("-" when a plain file's cannot be read): what shows
 * that a compressed file holds the bytes a plain one held.
 */
int64_t source_skip(struct source *s, uint64_t n, char tail[33]);

/* "gzip", "xz", ...; "plain" for SOURCE_PLAIN. */
const char *source_codec_name(enum source_codec codec);

/* The kind a head of n bytes (at most 4 KiB of a file's start) shows. */
enum source_kind source_classify(const void *head, size_t n);
/*
 * A systemd journal file ("LPKSHHRH" at offset 0).  source_walk() hands
 * them over as SOURCE_JOURNAL; the ingest engine reads them with
 * sd-journal (a member of an archive through a temporary copy).
 */
int source_is_journal(const void *head, size_t n);

/*
 * Order of names within one directory: rotated logs oldest first, so a
 * walk reads events in time order: kern.log.3.gz, kern.log.2.gz,
 * kern.log.1, kern.log; messages-20261101.gz, messages-20261108, messages.
 * A name is its base (compression suffix and rotation suffix removed) plus
 * a rotation age: ".N" (N < 8 digits, larger is older) or "-YYYYMMDD[HH]",
 * "-YYYY-MM-DD", ".YYYYMMDD" (a date, smaller is older).  Bases sort
 * bytewise; under one base dated names come first, then numbered ones,
 * then the current file.  Returns <0, 0, >0 like strcmp().
 */
int source_name_cmp(const char *a, const char *b);

enum source_walk_flag {
	/* the first directory below a given directory (or archive) names
	 * the host of everything under it */
	SOURCE_HOST_FROM_DIR = 1 << 0,
};

enum source_error_where {
	SOURCE_ERR_OPEN,	/* a file that cannot be opened */
	SOURCE_ERR_DIR,		/* a directory that cannot be listed */
	SOURCE_ERR_ARCHIVE,	/* an archive cut short: its remaining
				 * members are lost */
	SOURCE_ERR_SKIPPED,	/* a damaged stretch of an archive: what it
				 * held is lost, the walk goes on after it */
	SOURCE_NOTE_DIR_LINK,	/* not an error: a symbolic link to a
				 * directory, not followed (see source_walk) */
};

/* What source_walk_ops.input returns when it keeps the source it got. */
#define SOURCE_INPUT_KEPT 1

struct source_walk_ops {
	/*
	 * One input, open and with host set: a text log, or a binary or
	 * journal file the caller may skip (archives are walked, never
	 * handed over).  s belongs to the walk, except that the input may
	 * keep a file on disk (s->on_disk, not in an archive) by returning
	 * SOURCE_INPUT_KEPT, and close it when it is done with it.  < 0
	 * stops the walk and is returned by source_walk().
	 */
	int (*input)(void *ctx, struct source *s);
	/* Something that could not be read; the walk goes on. */
	void (*error)(void *ctx, enum source_error_where where,
		      const char *path, const char *msg);
};

/*
 * Call ops->input for path, or for every input in it:
 *  - a directory: every regular file below it, in source_name_cmp() order
 *    per directory (symbolic links to directories not followed, so a link
 *    loop cannot trap the walk);
 *  - a tar archive (plain or compressed, a file or stdin, or a member of
 *    another archive): every regular member, as "ARCHIVE:member/path",
 *    in archive order;
 *  - anything else: path itself.
 *
 * Hosts, for lines that carry none (the strongest first):
 *  - SOURCE_HOST_FROM_DIR: the first directory below path, when path is
 *    a directory or an archive ("logs/web1/var/log/syslog" -> web1);
 *  - a sosreport: a "hostname" or "sos_commands/host/hostname" file at
 *    the top of a directory or archive, or one directory below it (sos
 *    archives hold one "sosreport-HOST-DATE/" directory): its first line
 *    names the host of everything below that top (in an archive, see
 *    source_host() for members before it);
 *  - an OpenShift must-gather: "must-gather.../IMAGE/nodes/NODE/..." is
 *    NODE's.
 */
int source_walk(const char *path, unsigned flags,
		const struct source_walk_ops *ops, void *ctx);

#endif
