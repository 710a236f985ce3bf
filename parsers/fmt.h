/*
 * fmt.h: log containers.  Each physical line is recognised by the shape
 * of its prefix (dmesg "[ 8123.456789] ", dmesg -T "[Sat Nov 21 03:12:07
 * 2026] ", /dev/kmsg "6,1234,5678,-;", syslog "Nov 21 03:12:07 host
 * kernel: ", RFC 3339 and RFC 5424 syslog, journalctl's short modes) and
 * stripped to the kernel message body, with what the prefix said about
 * time, host, caller and sequence.  Lines are recognised one by one, so
 * concatenated or mixed files work too.  A line quoted for mail ("> ") is
 * read without its quote marks, and a paste's line numbers or indent
 * without them (fmt-paste.c, flagged LL_PASTE).
 *
 * A body may still hold several lines of one kernel record: /dev/kmsg's
 * "\x0a" (decoded here to "\n") and rsyslog's "#012".  The joiner (join.h)
 * splits them.
 */
#ifndef OOMLENS_FMT_H
#define OOMLENS_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

enum log_fmt {
	FMT_RAW = 0,		/* bare kernel text, no prefix */
	FMT_DMESG,		/* "[ 8123.456789] " (also -r "<6>" and caller id) */
	FMT_DMESG_T,		/* "[Sat Nov 21 03:12:07 2026] " */
	FMT_SYSLOG,		/* "Nov 21 03:12:07 host tag: " (+ journalctl short) */
	FMT_SYSLOG_ISO,		/* "2026-11-21T03:12:07.123456+00:00 host tag: " */
	FMT_MARKER,		/* journalctl "-- Boot ID --" and "-- Logs ..." */
	FMT_CONT,		/* indented continuation of the previous record */
	FMT_KMSG,		/* /dev/kmsg "6,1234,5678,-;text" */
	FMT_RFC5424,		/* "<4>1 2026-11-21T03:12:07Z host kernel - - - " */
	FMT_JOURNAL,		/* journalctl short-full, -unix, -monotonic */
	FMT_DMESG_ISO,		/* dmesg --time-format iso "2026-...,123456+00:00 " */
	FMT_META,		/* /dev/kmsg " KEY=value" dictionary line: no text */
};

enum log_line_known {
	LL_WALL = 1 << 0,	/* wall_us */
	LL_KTIME = 1 << 1,	/* ktime_us */
	LL_YEAR_GUESSED = 1 << 2,	/* syslog date without a year */
	LL_LOCAL_TIME = 1 << 3,	/* no zone printed: read as local time */
	LL_SEQ = 1 << 4,	/* seq (/dev/kmsg) */
	LL_GAP = 1 << 5,	/* records were lost right before this line */
	LL_BOOT = 1 << 6,	/* a new boot starts here (time or seq restarted) */
	LL_QUOTED = 1 << 7,	/* mail quote marks ("> ") were stripped */
	LL_JOINED = 1 << 8,	/* joiner: wrapped pieces were joined (a guess) */
	LL_PASTE = 1 << 9,	/* a paste's line number or indent was stripped */
};

/* What a paste put before every line (fmt-paste.c): an editor's or a
 * pager's line numbers ("cat -n", nl, vim ":set nu", "less -N"), or an
 * indent of the whole paste.  Learnt from a line whose rest reads as a
 * container; kept while the numbers go up and the indent stays. */
enum paste_kind { PASTE_NONE = 0, PASTE_INDENT, PASTE_NUMBER };

struct fmt_paste {
	enum paste_kind kind;
	size_t width;		/* indent: blanks; number: its padded column */
	char sep;		/* number: '\t' (cat -n, nl) or ' ' (vim, less) */
	uint64_t num;		/* number: the last one seen, */
	uint64_t lineno;	/* on this physical line */
};

struct log_line {
	const char *raw;	/* the physical line, without its newline */
	size_t raw_len;
	const char *body;	/* the message after the container prefix; may
				 * point into the fmt_ctx's decode buffer */
	size_t body_len;
	size_t prefix_len;	/* bytes of raw before the body (quote marks
				 * included); 0 for FMT_RAW */
	uint64_t lineno;	/* 1-based */
	uint64_t lineno_last;	/* joiner: the last physical line it spans */
	enum log_fmt fmt;
	unsigned known;		/* enum log_line_known */
	int64_t wall_us;	/* UTC */
	int64_t ktime_us;
	uint64_t seq;		/* /dev/kmsg sequence number */
	const char *host;	/* points into raw; NULL when not printed */
	size_t host_len;
	const char *caller;	/* printk caller id "T1234" or "C3", in raw */
	size_t caller_len;
	char cont;		/* /dev/kmsg flag: 'c' first piece of a KERN_CONT
				 * line, '+' a later piece, 0 otherwise */
	unsigned part;		/* joiner: 0 for the first line of a physical
				 * line, 1.. for the lines split off it */
	int kernel;		/* from the kernel (tag "kernel:" or no tag) */
	const char *tag;	/* the syslog tag's program name, without its
				 * "[pid]", in raw; NULL when none printed */
	size_t tag_len;
	const char *boot_id;	/* last journalctl "-- Boot ID --", or NULL */
};

/* Per-input state: what a continuation line inherits, the year guess. */
struct fmt_ctx {
	int64_t ref_time;	/* seconds; syslog dates are not after this */
	struct log_line prev;	/* time and host of the last prefixed line */
	char boot_id[64];	/* from journalctl "-- Boot ID --"; "" if none */
	int boot_changed;	/* a marker since the last fmt_take_boot() */
	uint64_t prev_lineno;	/* line number of the last parsed line */
	int64_t last_ktime;	/* of the last line with one; -1 before */
	uint64_t last_seq;	/* of the last /dev/kmsg record */
	int have_seq;
	struct buf dec;		/* decoded /dev/kmsg text */
	int shape_only;		/* only tell the container: no local times
				 * (mktime() is the costly part) */
	int ref_year;		/* local year of ref_time */
	/* the last local hour converted: mktime() reads the zone file each
	 * call, and an hour maps to UTC alike for all its minutes */
	int hour_year, hour_mon, hour_mday, hour_hour;
	int64_t hour_utc;	/* seconds; hour_year is -1 when unset */
	struct fmt_paste paste;	/* a paste's prefix before the container */
};

/* ref_time: when the input was written (file mtime, or now for stdin). */
void fmt_init(struct fmt_ctx *ctx, int64_t ref_time);
void fmt_release(struct fmt_ctx *ctx);

/* Recognise one physical line (no newline) and fill *out.  Pointers in
 * *out point into line, or into ctx (valid until the next call).  Never
 * fails: unknown shapes are FMT_RAW. */
void fmt_parse(struct fmt_ctx *ctx, const char *line, size_t len,
	       uint64_t lineno, struct log_line *out);

/* The individual containers; each returns 1 and fills *out when the line
 * has its prefix, 0 otherwise (then *out may hold partial results that
 * the caller discards). */
int fmt_dmesg(struct fmt_ctx *ctx, const char *line, size_t len,
	      struct log_line *out);
int fmt_dmesg_t(struct fmt_ctx *ctx, const char *line, size_t len,
		struct log_line *out);
int fmt_syslog(struct fmt_ctx *ctx, const char *line, size_t len,
	       struct log_line *out);
int fmt_syslog_iso(struct fmt_ctx *ctx, const char *line, size_t len,
		   struct log_line *out);
int fmt_rfc5424(struct fmt_ctx *ctx, const char *line, size_t len,
		struct log_line *out);
int fmt_kmsg(struct fmt_ctx *ctx, const char *line, size_t len,
	     struct log_line *out);
int fmt_journal_full(struct fmt_ctx *ctx, const char *line, size_t len,
		     struct log_line *out);
int fmt_journal_unix(struct fmt_ctx *ctx, const char *line, size_t len,
		     struct log_line *out);
int fmt_journal_marker(struct fmt_ctx *ctx, const char *line, size_t len,
		       struct log_line *out);

/* A paste's prefix (fmt-paste.c).  fmt_paste_known(): bytes of the
 * prefix ctx->paste learnt at line (n bytes), or 0; it follows the
 * numbers.  fmt_paste_shape(): bytes of what may be a prefix at line, or
 * 0, described in *ret (fmt.c learns it when the rest is a container). */
size_t fmt_paste_known(struct fmt_ctx *ctx, const char *line, size_t n,
		       uint64_t lineno);
size_t fmt_paste_shape(const char *line, size_t n, uint64_t lineno,
		       struct fmt_paste *ret);

#endif
