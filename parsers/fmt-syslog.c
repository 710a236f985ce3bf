/*
 * fmt-syslog.c: syslog files and journalctl's short text modes (§4.5, §4.6).
 *
 *   BSD syslog / journalctl short   "Nov 21 03:12:07 host kernel: text"
 *                                    (also "<4>Nov 21 ..." with a PRI)
 *   journalctl short-precise         "Nov 21 03:12:07.123456 host kernel: "
 *   rsyslog imklog                   "... kernel: [ 8123.456789] text"
 *   RFC 3339 / short-iso             "2026-11-21T03:12:07.123456+00:00 host
 *                                     kernel: text" (also "+0000")
 *   dmesg --time-format iso          "2026-11-21T03:12:07,123456+00:00 text"
 *   RFC 5424                         "<4>1 2026-11-21T03:12:07.123456+00:00
 *                                     host kernel - - - text"
 *
 * The BSD date has no year and no zone: the year is the one that puts the
 * line at or before the input's reference time (its mtime), and the zone
 * is the local one (TZ).  Both guesses are flagged.  Only lines tagged
 * "kernel" are kernel lines; anything else logged the text itself.  An
 * empty host field (journald without a hostname, "  kernel:") is no host.
 */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "fmt-fields.h"

/* "Nov 21 03:12:07[.123456]" at line: fills wall time, returns bytes. */
static size_t bsd_time(struct fmt_ctx *ctx, const char *line, size_t len,
		       struct log_line *out)
{
	int mon, mday, hh, mm, ss, year;
	int64_t usec = 0, us;
	size_t i = 15;

	/* syslog pads the day with a blank, journalctl with a zero */
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
		i += fmt_fraction(line + i, len - i, &usec);
	if (ctx->shape_only)
		return i;
	year = ctx->ref_year;
	if (fmt_local_to_utc(ctx, year, mon, mday, hh, mm, ss, usec, &us) == 0) {
		/* a date after the file was written belongs to last year */
		if (us / 1000000 > ctx->ref_time + 86400)
			fmt_local_to_utc(ctx, year - 1, mon, mday, hh, mm, ss, usec, &us);
		out->wall_us = us;
		out->known |= LL_WALL | LL_LOCAL_TIME | LL_YEAR_GUESSED;
	}
	return i;
}

int fmt_syslog(struct fmt_ctx *ctx, const char *line, size_t len,
	       struct log_line *out)
{
	size_t i = bsd_time(ctx, line, len, out);

	/* "Nov 21 03:12:07  kernel:" (empty host): the second blank makes
	 * the host word empty */
	if (!i || !fmt_host_and_tag(line, len, i, 0, out))
		return 0;
	out->fmt = FMT_SYSLOG;
	return 1;
}

int fmt_syslog_iso(struct fmt_ctx *ctx, const char *line, size_t len,
		   struct log_line *out)
{
	int64_t us;
	int comma;
	size_t i = fmt_iso_time(line, len, &us, &comma);

	(void)ctx;
	if (!i)
		return 0;
	out->wall_us = us;
	out->known |= LL_WALL;
	if (fmt_host_and_tag(line, len, i, 0, out)) {
		out->fmt = FMT_SYSLOG_ISO;
		return 1;
	}
	/* util-linux writes the fraction with a comma: dmesg, no host */
	if (!comma || i >= len || line[i] != ' ')
		return 0;
	out->fmt = FMT_DMESG_ISO;
	out->body = line + i + 1;
	out->body_len = len - i - 1;
	out->kernel = 1;
	fmt_kernel_text(out);
	return 1;
}

/* SP-separated RFC 5424 header field at line + *i: [start, end). */
static int field(const char *line, size_t len, size_t *i, size_t *ret_start,
		 size_t *ret_end)
{
	if (*i >= len || line[*i] != ' ')
		return 0;
	*ret_start = ++*i;
	while (*i < len && line[*i] != ' ')
		(*i)++;
	*ret_end = *i;
	return *ret_end > *ret_start;
}

/* STRUCTURED-DATA: "-" or "[id k=\"v\"]..." with \] escapes in values. */
static int structured_data(const char *line, size_t len, size_t *i)
{
	if (*i >= len || line[*i] != ' ')
		return 0;
	(*i)++;
	if (*i < len && line[*i] == '-') {
		(*i)++;
		return 1;
	}
	while (*i < len && line[*i] == '[') {
		int quoted = 0;

		for ((*i)++; *i < len; (*i)++) {
			if (line[*i] == '\\' && quoted && *i + 1 < len)
				(*i)++;
			else if (line[*i] == '"')
				quoted = !quoted;
			else if (line[*i] == ']' && !quoted)
				break;
		}
		if (*i >= len)
			return 0;
		(*i)++;
	}
	return 1;
}

int fmt_rfc5424(struct fmt_ctx *ctx, const char *line, size_t len,
		struct log_line *out)
{
	int comma, pri = 0;
	size_t i = fmt_priority(line, len, &pri), h0, h1, a0, a1, x0, x1, used;
	int64_t us;

	if (!i)
		return 0;
	if (i < len && line[i] >= 'A' && line[i] <= 'Z') {
		/* RFC 3164 as sent on the wire: "<4>Nov 21 03:12:07 host" */
		if (!fmt_syslog(ctx, line + i, len - i, out))
			return 0;
		out->body_len = len - (size_t)(out->body - line);
		out->kernel = out->kernel && pri >> 3 == 0;
		return 1;
	}
	/* VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP
	 * STRUCTURED-DATA [SP MSG] */
	if (i >= len || line[i] < '1' || line[i] > '9')
		return 0;
	while (i < len && line[i] >= '0' && line[i] <= '9')
		i++;
	if (i >= len || line[i] != ' ')
		return 0;
	i++;
	if (i < len && line[i] == '-') {
		i++;
	} else {
		used = fmt_iso_time(line + i, len - i, &us, &comma);
		if (!used)
			return 0;
		out->wall_us = us;
		out->known |= LL_WALL;
		i += used;
	}
	if (!field(line, len, &i, &h0, &h1) || !field(line, len, &i, &a0, &a1) ||
	    !field(line, len, &i, &x0, &x1) || !field(line, len, &i, &x0, &x1) ||
	    !structured_data(line, len, &i))
		return 0;
	if (i < len && line[i] == ' ')
		i++;
	if (len - i >= 3 && !memcmp(line + i, "\xef\xbb\xbf", 3))
		i += 3;		/* the optional BOM of a UTF-8 MSG */
	out->fmt = FMT_RFC5424;
	out->host = h1 - h0 == 1 && line[h0] == '-' ? NULL : line + h0;
	out->host_len = out->host ? h1 - h0 : 0;
	/* the kernel logs with facility 0 (LOG_KERN); a program can call
	 * itself "kernel" (logger -t kernel) but not log with facility 0 */
	out->kernel = pri >> 3 == 0 && a1 - a0 == 6 &&
		      !memcmp(line + a0, "kernel", 6);
	if (!(a1 - a0 == 1 && line[a0] == '-')) {
		out->tag = line + a0;
		out->tag_len = a1 - a0;
	}
	out->body = line + i;
	out->body_len = len - i;
	if (out->kernel)
		fmt_kernel_text(out);
	return 1;
}
