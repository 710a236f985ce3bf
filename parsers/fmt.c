/*
 * fmt.c: choose the container of each physical line by its first byte and
 * shape, and let indented continuation lines inherit the previous record.
 */
#include <string.h>
#include <time.h>

#include "fmt.h"

void fmt_init(struct fmt_ctx *ctx, int64_t ref_time)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->ref_time = ref_time;
	ctx->prev.kernel = 1;
}

int fmt_month(const char *s)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	for (int i = 0; i < 12; i++)
		if (!memcmp(s, names + 3 * i, 3))
			return i;
	return -1;
}

int fmt_digits(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int fmt_local_to_utc(int year, int mon, int mday, int hour, int min, int sec,
		     int64_t usec, int64_t *ret_us)
{
	struct tm tm = {
		.tm_year = year - 1900, .tm_mon = mon, .tm_mday = mday,
		.tm_hour = hour, .tm_min = min, .tm_sec = sec, .tm_isdst = -1,
	};
	time_t t;

	if (mon < 0 || mon > 11 || mday < 1 || mday > 31 || hour > 23 ||
	    min > 59 || sec > 60)
		return -1;
	t = mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	*ret_us = (int64_t)t * 1000000 + usec;
	return 0;
}

size_t fmt_uptime_stamp(const char *s, size_t n, int64_t *ret_us)
{
	size_t i = 1;
	int64_t sec = 0, usec = 0;
	int digits = 0, frac = 0;

	if (n < 4 || s[0] != '[')
		return 0;
	while (i < n && s[i] == ' ')
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9' && digits < 12; i++, digits++)
		sec = sec * 10 + (s[i] - '0');
	if (!digits || i >= n || s[i] != '.')
		return 0;
	for (i++; i < n && s[i] >= '0' && s[i] <= '9' && frac < 9; i++, frac++)
		usec = usec * 10 + (s[i] - '0');
	if (!frac || i >= n || s[i] != ']')
		return 0;
	for (; frac < 6; frac++)
		usec *= 10;
	for (; frac > 6; frac--)
		usec /= 10;
	*ret_us = sec * 1000000 + usec;
	return i + 1;
}

static void fmt_raw(const char *line, size_t len, struct log_line *out)
{
	out->fmt = FMT_RAW;
	out->body = line;
	out->body_len = len;
	out->kernel = 1;
}

void fmt_parse(struct fmt_ctx *ctx, const char *line, size_t len,
	       uint64_t lineno, struct log_line *out)
{
	int ok = 0;

	memset(out, 0, sizeof(*out));
	out->raw = line;
	out->raw_len = len;
	out->lineno = lineno;
	if (len == 0) {
		fmt_raw(line, len, out);
		return;
	}
	switch (line[0]) {
	case '[':
		ok = fmt_dmesg(ctx, line, len, out) ||
		     fmt_dmesg_t(ctx, line, len, out);
		break;
	case '<':
		ok = fmt_dmesg(ctx, line, len, out);
		break;
	case '-':
		ok = fmt_journal_marker(ctx, line, len, out);
		break;
	case ' ':
	case '\t':
		/* dmesg and journalctl indent the 2nd and later lines of a
		 * multi-line record with no prefix of their own. */
		if (ctx->prev.fmt != FMT_RAW) {
			out->fmt = FMT_CONT;
			out->body = line;
			out->body_len = len;
			out->known = ctx->prev.known;
			out->wall_us = ctx->prev.wall_us;
			out->ktime_us = ctx->prev.ktime_us;
			out->host = NULL;
			out->kernel = ctx->prev.kernel;
			out->boot_id = ctx->boot_id[0] ? ctx->boot_id : NULL;
			return;
		}
		break;
	default:
		if (line[0] >= '0' && line[0] <= '9')
			ok = fmt_syslog_iso(ctx, line, len, out);
		else if (line[0] >= 'A' && line[0] <= 'Z')
			ok = fmt_syslog(ctx, line, len, out);
		break;
	}
	if (!ok)
		fmt_raw(line, len, out);
	out->boot_id = ctx->boot_id[0] ? ctx->boot_id : NULL;
	if (out->fmt != FMT_MARKER) {
		ctx->prev = *out;
		ctx->prev.host = NULL;	/* points into a line about to go */
	}
}
