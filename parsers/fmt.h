/*
 * fmt.h: log containers.  Each physical line is recognised by the shape
 * of its prefix (dmesg "[ 8123.456789] ", dmesg -T "[Sat Nov 21 03:12:07
 * 2026] ", syslog "Nov 21 03:12:07 host kernel: ", journalctl's short
 * modes, RFC 3339 syslog) and stripped to the kernel message body, with
 * what the prefix said about time and host.  Lines are recognised one by
 * one, so concatenated or mixed files work too.
 */
#ifndef OOMLENS_FMT_H
#define OOMLENS_FMT_H

#include <stddef.h>
#include <stdint.h>

enum log_fmt {
	FMT_RAW = 0,		/* bare kernel text, no prefix */
	FMT_DMESG,		/* "[ 8123.456789] " (also -r "<6>" and caller id) */
	FMT_DMESG_T,		/* "[Sat Nov 21 03:12:07 2026] " */
	FMT_SYSLOG,		/* "Nov 21 03:12:07 host tag: " (+ journalctl short) */
	FMT_SYSLOG_ISO,		/* "2026-11-21T03:12:07.123456+00:00 host tag: " */
	FMT_MARKER,		/* journalctl "-- Boot ID --" and "-- Logs ..." */
	FMT_CONT,		/* indented continuation of the previous record */
};

enum log_line_known {
	LL_WALL = 1 << 0,	/* wall_us */
	LL_KTIME = 1 << 1,	/* ktime_us */
	LL_YEAR_GUESSED = 1 << 2,	/* syslog date without a year */
	LL_LOCAL_TIME = 1 << 3,	/* no zone printed: read as local time */
};

struct log_line {
	const char *raw;	/* the physical line, without its newline */
	size_t raw_len;
	const char *body;	/* the message after the container prefix */
	size_t body_len;
	uint64_t lineno;	/* 1-based */
	enum log_fmt fmt;
	unsigned known;		/* enum log_line_known */
	int64_t wall_us;	/* UTC */
	int64_t ktime_us;
	const char *host;	/* points into raw; NULL when not printed */
	size_t host_len;
	int kernel;		/* from the kernel (tag "kernel:" or no tag) */
	const char *boot_id;	/* last journalctl "-- Boot ID --", or NULL */
};

/* Per-input state: what a continuation line inherits, the year guess. */
struct fmt_ctx {
	int64_t ref_time;	/* seconds; syslog dates are not after this */
	struct log_line prev;	/* time and host of the last prefixed line */
	char boot_id[64];	/* from journalctl "-- Boot ID --"; "" if none */
	int boot_changed;	/* a marker since the last fmt_take_boot() */
};

/* ref_time: when the input was written (file mtime, or now for stdin). */
void fmt_init(struct fmt_ctx *ctx, int64_t ref_time);

/* Recognise one physical line (no newline) and fill *out.  Pointers in
 * *out point into line.  Never fails: unknown shapes are FMT_RAW. */
void fmt_parse(struct fmt_ctx *ctx, const char *line, size_t len,
	       uint64_t lineno, struct log_line *out);

/* The individual containers; each returns 1 and fills *out when the line
 * has its prefix, 0 otherwise (then *out is untouched). */
int fmt_dmesg(struct fmt_ctx *ctx, const char *line, size_t len,
	      struct log_line *out);
int fmt_dmesg_t(struct fmt_ctx *ctx, const char *line, size_t len,
		struct log_line *out);
int fmt_syslog(struct fmt_ctx *ctx, const char *line, size_t len,
	       struct log_line *out);
int fmt_syslog_iso(struct fmt_ctx *ctx, const char *line, size_t len,
		   struct log_line *out);
int fmt_journal_marker(struct fmt_ctx *ctx, const char *line, size_t len,
		       struct log_line *out);

/* Shared by the containers (fmt.c). */
/* "Jan".."Dec" -> 0..11, -1 otherwise. */
int fmt_month(const char *s);
/* Local broken-down time -> UTC us via mktime (honours TZ). */
int fmt_local_to_utc(int year, int mon, int mday, int hour, int min, int sec,
		     int64_t usec, int64_t *ret_us);
/* Parse exactly n digits at s; -1 if any is not a digit. */
int fmt_digits(const char *s, size_t n);
/* "[ 8123.456789]" at s (len n): microseconds and bytes used, or 0. */
size_t fmt_uptime_stamp(const char *s, size_t n, int64_t *ret_us);

#endif
