/*
 * fmt-fields.h: the pieces the containers share (fmt-fields.c): times,
 * stamps, caller ids, a syslog line's host and tag.  The containers
 * (fmt-*.c) and the dispatcher (fmt.c) call these; these call none of
 * them, so the formats depend on one another only through here.
 */
#ifndef OOMLENS_FMT_FIELDS_H
#define OOMLENS_FMT_FIELDS_H

#include "fmt.h"

/* "Jan".."Dec" -> 0..11, -1 otherwise. */
int fmt_month(const char *s);
/* Local broken-down time -> UTC us via mktime (honours TZ). */
int fmt_local_to_utc(struct fmt_ctx *ctx, int year, int mon, int mday, int hour, int min, int sec,
		     int64_t usec, int64_t *ret_us);
/* Days since 1970-01-01 of a proleptic Gregorian date (m 1..12). */
int64_t fmt_days_from_civil(int y, int m, int d);
/* Parse exactly n digits at s; -1 if any is not a digit. */
int fmt_digits(const char *s, size_t n);
/* "[ 8123.456789]" at s (len n): microseconds and bytes used, or 0. */
size_t fmt_uptime_stamp(const char *s, size_t n, int64_t *ret_us);
/* "[  T7310]" or "[C3]" at s: bytes used (0 if none); the id without
 * brackets and blanks in *ret_id. */
size_t fmt_caller_id(const char *s, size_t n, const char **ret_id,
		     size_t *ret_len);
/* ".123456" (or ",123456") at s: microseconds, bytes used. */
size_t fmt_fraction(const char *s, size_t n, int64_t *ret_usec);
/* "+00:00", "+0000", "Z" at s; seconds east of UTC, bytes used or 0. */
size_t fmt_zone_offset(const char *s, size_t n, int *ret_off);
/* A date and a time of day as printed, month 1..12. */
struct fmt_civil {
	int y, mo, d, hh, mm, ss;
};
/* "2026-11-21?03:12:07" at s, ? being sep: 1 and *c when every field is
 * in range, else 0. */
int fmt_date_time(const char *s, size_t n, char sep, struct fmt_civil *c);
/* c at UTC offset off (seconds east), plus usec: microseconds since the
 * epoch. */
int64_t fmt_civil_us(const struct fmt_civil *c, int off, int64_t usec);
/* "2026-11-21T03:12:07[.frac](zone)" at s: UTC us and bytes used, or 0.
 * *ret_comma says the fraction was written with a comma (util-linux). */
size_t fmt_iso_time(const char *s, size_t n, int64_t *ret_us,
		    int *ret_comma);
/* The kernel text inside a syslog message: imklog keeps the kernel's
 * "[ 8123.456789] " (and caller id) in it; strips them into out. */
void fmt_kernel_text(struct log_line *out);
/* "host tag: " at line + i.  strict: the tag must be "kernel" or
 * "name[pid]", for shapes that could be mistaken for kernel text.  A
 * first word that already is the tag means no host was printed. */
int fmt_host_and_tag(const char *line, size_t len, size_t i, int strict,
		     struct log_line *out);

/* "<PRI>" at s (1 to 4 digits: facility * 8 + level): bytes used and
 * *ret_pri, or 0.  The kernel's facility is 0. */
size_t fmt_priority(const char *s, size_t n, int *ret_pri);

#endif
