/*
 * fmt-syslog.c: syslog files and journalctl's short text modes (§4.5, §4.6).
 *
 *   BSD syslog / journalctl short   "Nov 21 03:12:07 host kernel: text"
 *   journalctl short-precise         "Nov 21 03:12:07.123456 host kernel: "
 *   rsyslog imklog                   "... kernel: [ 8123.456789] text"
 *   RFC 3339 / short-iso             "2026-11-21T03:12:07.123456+00:00 host
 *                                     kernel: text" (also "+0000")
 *   journalctl markers               "-- Boot 4f9c... --", "-- Logs begin"
 *
 * The BSD date has no year and no zone: the year is the one that puts the
 * line at or before the input's reference time (its mtime), and the zone
 * is the local one (TZ).  Both guesses are flagged.  Only lines tagged
 * "kernel:" are kernel lines; anything else logged the text itself.
 */
#include <string.h>
#include <time.h>

#include "fmt.h"

/* "host tag: " after the time stamp; fills host, kernel, body. */
static int host_and_tag(const char *line, size_t len, size_t i,
			struct log_line *out)
{
	size_t h0, h1, t0;

	if (i >= len || line[i] != ' ')
		return 0;
	h0 = ++i;
	while (i < len && line[i] != ' ')
		i++;
	h1 = i;
	if (i >= len)
		return 0;
	t0 = ++i;
	/* the tag runs to ": "; "kernel:" marks kernel lines */
	while (i < len && line[i] != ':' && line[i] != ' ')
		i++;
	if (i >= len || line[i] != ':')
		return 0;
	out->kernel = (i - t0 == 6 && !memcmp(line + t0, "kernel", 6));
	i++;
	if (i < len && line[i] == ' ')
		i++;
	out->host = h1 > h0 ? line + h0 : NULL;
	out->host_len = h1 - h0;
	out->body = line + i;
	out->body_len = len - i;
	/* imklog leaves the kernel's "[ 8123.456789] " inside the text */
	if (out->kernel) {
		int64_t us;
		size_t used = fmt_uptime_stamp(out->body, out->body_len, &us);

		if (used) {
			out->ktime_us = us;
			out->known |= LL_KTIME;
			out->body += used;
			out->body_len -= used;
			if (out->body_len && out->body[0] == ' ') {
				out->body++;
				out->body_len--;
			}
		}
	}
	return 1;
}

/* ".123456" (or ",123456") at s: microseconds, bytes used. */
static size_t fraction(const char *s, size_t n, int64_t *ret_usec)
{
	int64_t usec = 0;
	int digits = 0;
	size_t i;

	for (i = 1; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		if (digits++ < 6)
			usec = usec * 10 + (s[i] - '0');
	for (; digits < 6; digits++)
		usec *= 10;
	*ret_usec = usec;
	return i;
}

static int year_of(int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	return tm.tm_year + 1900;
}

int fmt_syslog(struct fmt_ctx *ctx, const char *line, size_t len,
	       struct log_line *out)
{
	int mon, mday, hh, mm, ss, year;
	int64_t usec = 0, us;
	size_t i = 15;

	/* "Nov 21 03:12:07" (syslog pads the day with a blank, journalctl
	 * with a zero) */
	if (len < 17 || line[3] != ' ' || line[6] != ' ' || line[9] != ':' ||
	    line[12] != ':')
		return 0;
	mon = fmt_month(line);
	mday = line[4] == ' ' ? fmt_digits(line + 5, 1) : fmt_digits(line + 4, 2);
	hh = fmt_digits(line + 7, 2);
	mm = fmt_digits(line + 10, 2);
	ss = fmt_digits(line + 13, 2);
	if (mon < 0 || mday < 1 || hh < 0 || mm < 0 || ss < 0)
		return 0;
	if (line[i] == '.')	/* short-precise */
		i += fraction(line + i, len - i, &usec);
	if (!host_and_tag(line, len, i, out))
		return 0;
	out->fmt = FMT_SYSLOG;
	year = year_of(ctx->ref_time);
	if (fmt_local_to_utc(year, mon, mday, hh, mm, ss, usec, &us) == 0) {
		/* a date after the file was written belongs to last year */
		if (us / 1000000 > ctx->ref_time + 86400)
			fmt_local_to_utc(year - 1, mon, mday, hh, mm, ss, usec, &us);
		out->wall_us = us;
		out->known |= LL_WALL | LL_LOCAL_TIME | LL_YEAR_GUESSED;
	}
	return 1;
}

/* "+00:00", "+0000", "Z" at s; seconds east of UTC, bytes used. */
static size_t zone_offset(const char *s, size_t n, int *ret_off)
{
	int sign, h, m;

	if (n >= 1 && s[0] == 'Z') {
		*ret_off = 0;
		return 1;
	}
	if (n < 5 || (s[0] != '+' && s[0] != '-'))
		return 0;
	sign = s[0] == '-' ? -1 : 1;
	h = fmt_digits(s + 1, 2);
	if (h < 0)
		return 0;
	if (s[3] == ':' && n >= 6) {
		m = fmt_digits(s + 4, 2);
		if (m < 0)
			return 0;
		*ret_off = sign * (h * 3600 + m * 60);
		return 6;
	}
	m = fmt_digits(s + 3, 2);
	if (m < 0)
		return 0;
	*ret_off = sign * (h * 3600 + m * 60);
	return 5;
}

static int64_t days_from_civil(int y, int m, int d)
{
	/* Howard Hinnant's algorithm: proleptic Gregorian, m 1..12 */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

int fmt_syslog_iso(struct fmt_ctx *ctx, const char *line, size_t len,
		   struct log_line *out)
{
	int y, mo, d, hh, mm, ss, off = 0;
	int64_t usec = 0;
	size_t i = 19, used;

	(void)ctx;
	if (len < 21 || line[4] != '-' || line[7] != '-' || line[10] != 'T' ||
	    line[13] != ':' || line[16] != ':')
		return 0;
	y = fmt_digits(line, 4);
	mo = fmt_digits(line + 5, 2);
	d = fmt_digits(line + 8, 2);
	hh = fmt_digits(line + 11, 2);
	mm = fmt_digits(line + 14, 2);
	ss = fmt_digits(line + 17, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || hh < 0 ||
	    mm < 0 || ss < 0)
		return 0;
	if (line[i] == '.' || line[i] == ',')
		i += fraction(line + i, len - i, &usec);
	used = zone_offset(line + i, len - i, &off);
	if (!used)
		return 0;
	i += used;
	if (!host_and_tag(line, len, i, out))
		return 0;
	out->fmt = FMT_SYSLOG_ISO;
	out->wall_us = ((days_from_civil(y, mo, d) * 86400 + hh * 3600 +
			 mm * 60 + ss - off) * 1000000) + usec;
	out->known |= LL_WALL;
	return 1;
}

int fmt_journal_marker(struct fmt_ctx *ctx, const char *line, size_t len,
		       struct log_line *out)
{
	if (len < 6 || memcmp(line, "-- ", 3) != 0 ||
	    memcmp(line + len - 3, " --", 3) != 0)
		return 0;
	if (len > 11 && !memcmp(line, "-- Boot ", 8)) {
		size_t n = len - 11;

		if (n >= sizeof(ctx->boot_id))
			n = sizeof(ctx->boot_id) - 1;
		memcpy(ctx->boot_id, line + 8, n);
		ctx->boot_id[n] = '\0';
		ctx->boot_changed = 1;
	}
	out->fmt = FMT_MARKER;
	out->body = line;
	out->body_len = 0;
	out->kernel = 0;
	return 1;
}
