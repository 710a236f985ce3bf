/*
 * fmt-fields.c: see fmt-fields.h.  Moved out of fmt.c (the dispatcher)
 * and fmt-syslog.c, whose host-and-tag reader the dmesg and journal
 * formats borrow.
 */
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "fmt-fields.h"

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

int fmt_local_to_utc(struct fmt_ctx *ctx, int year, int mon, int mday,
		     int hour, int min, int sec, int64_t usec, int64_t *ret_us)
{
	struct tm tm = {
		.tm_year = year - 1900, .tm_mon = mon, .tm_mday = mday,
		.tm_hour = hour, .tm_isdst = -1,
	};

	if (mon < 0 || mon > 11 || mday < 1 || mday > 31 || hour > 23 ||
	    min > 59 || sec > 60)
		return -1;
	if (year != ctx->hour_year || mon != ctx->hour_mon ||
	    mday != ctx->hour_mday || hour != ctx->hour_hour) {
		time_t t = mktime(&tm);

		if (t == (time_t)-1)
			return -1;
		ctx->hour_year = year;
		ctx->hour_mon = mon;
		ctx->hour_mday = mday;
		ctx->hour_hour = hour;
		ctx->hour_utc = (int64_t)t;
	}
	*ret_us = (ctx->hour_utc + min * 60 + sec) * 1000000 + usec;
	return 0;
}

int64_t fmt_days_from_civil(int y, int m, int d)
{
	/* Howard Hinnant's algorithm: proleptic Gregorian, m 1..12 */
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
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

size_t fmt_caller_id(const char *s, size_t n, const char **ret_id,
		     size_t *ret_len)
{
	size_t i = 1, id;

	if (n < 3 || s[0] != '[')
		return 0;
	while (i < n && s[i] == ' ')
		i++;
	if (i >= n || (s[i] != 'T' && s[i] != 'C'))
		return 0;
	id = i;
	for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i == id + 1 || i >= n || s[i] != ']')
		return 0;
	*ret_id = s + id;
	*ret_len = i - id;
	return i + 1;
}

size_t fmt_fraction(const char *s, size_t n, int64_t *ret_usec)
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

size_t fmt_zone_offset(const char *s, size_t n, int *ret_off)
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

int fmt_date_time(const char *s, size_t n, char sep, struct fmt_civil *c)
{
	if (n < 19 || s[4] != '-' || s[7] != '-' || s[10] != sep ||
	    s[13] != ':' || s[16] != ':')
		return 0;
	c->y = fmt_digits(s, 4);
	c->mo = fmt_digits(s + 5, 2);
	c->d = fmt_digits(s + 8, 2);
	c->hh = fmt_digits(s + 11, 2);
	c->mm = fmt_digits(s + 14, 2);
	c->ss = fmt_digits(s + 17, 2);
	return c->y >= 0 && c->mo >= 1 && c->mo <= 12 && c->d >= 1 &&
	       c->d <= 31 && c->hh >= 0 && c->hh <= 23 && c->mm >= 0 &&
	       c->mm <= 59 && c->ss >= 0 && c->ss <= 60;
}

int64_t fmt_civil_us(const struct fmt_civil *c, int off, int64_t usec)
{
	return (fmt_days_from_civil(c->y, c->mo, c->d) * 86400 +
		c->hh * 3600 + c->mm * 60 + c->ss - off) * 1000000 + usec;
}

size_t fmt_iso_time(const char *s, size_t n, int64_t *ret_us, int *ret_comma)
{
	struct fmt_civil c;
	int off = 0;
	int64_t usec = 0;
	size_t i = 19, used;

	if (n < 20 || !fmt_date_time(s, n, 'T', &c))
		return 0;
	*ret_comma = s[i] == ',';
	if (s[i] == '.' || s[i] == ',')
		i += fmt_fraction(s + i, n - i, &usec);
	used = fmt_zone_offset(s + i, n - i, &off);
	if (!used)
		return 0;
	*ret_us = fmt_civil_us(&c, off, usec);
	return i + used;
}

void fmt_kernel_text(struct log_line *out)
{
	int64_t us;
	size_t used = fmt_uptime_stamp(out->body, out->body_len, &us);

	if (used) {
		out->ktime_us = us;
		out->known |= LL_KTIME;
	}
	used += fmt_caller_id(out->body + used, out->body_len - used,
			      &out->caller, &out->caller_len);
	if (!used)
		return;
	out->body += used;
	out->body_len -= used;
	if (out->body_len && out->body[0] == ' ') {
		out->body++;
		out->body_len--;
	}
}

static int tag_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	       c == '/' || c == '@';
}

/* A syslog tag at s (n bytes, up to but without the ':'): "kernel",
 * "name", "name[pid]".  Returns 2 for "kernel", 1 for another valid tag
 * ("name[pid]" only when strict), 0 otherwise. */
static int tag_kind(const char *s, size_t n, int strict)
{
	size_t i = 0;

	if (n == 6 && !memcmp(s, "kernel", 6))
		return 2;
	while (i < n && tag_char(s[i]))
		i++;
	if (i == 0)
		return 0;
	if (i == n)
		return strict ? 0 : 1;
	if (s[i] != '[' || s[n - 1] != ']' || n - i < 3)
		return 0;
	for (i++; i < n - 1; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int fmt_host_and_tag(const char *line, size_t len, size_t i, int strict,
		     struct log_line *out)
{
	size_t w0, w1, t0, t1;
	int kind;

	if (i >= len || line[i] != ' ')
		return 0;
	w0 = ++i;
	while (i < len && line[i] != ' ')
		i++;
	w1 = i;
	if (w1 > w0 && line[w1 - 1] == ':' &&
	    (kind = tag_kind(line + w0, w1 - 1 - w0, 1)) != 0) {
		/* "kernel: text": no host printed */
		out->host = NULL;
		out->host_len = 0;
		t0 = w0;
		t1 = w1 - 1;
	} else {
		if (i >= len)
			return 0;
		if (w1 > w0 && memchr(line + w0, ':', w1 - w0) && strict)
			return 0;
		t0 = ++i;
		/* no host: the blanks around it, however many, are one */
		while (w1 == w0 && t0 < len && line[t0] == ' ')
			t0 = ++i;
		/* the tag runs to ": " */
		while (i < len && line[i] != ':' && line[i] != ' ')
			i++;
		if (i >= len || line[i] != ':')
			return 0;
		t1 = i;
		/* any word is a tag in a syslog file; "kernel" marks ours */
		if (strict)
			kind = tag_kind(line + t0, t1 - t0, 1);
		else
			kind = t1 - t0 == 6 && !memcmp(line + t0, "kernel", 6) ? 2 : 1;
		if (!kind)
			return 0;
		out->host = w1 > w0 ? line + w0 : NULL;
		out->host_len = w1 - w0;
	}
	i = t1 + 1;
	out->kernel = kind == 2;
	out->tag = line + t0;
	out->tag_len = t1 - t0;
	{
		const char *br = memchr(out->tag, '[', out->tag_len);

		if (br)
			out->tag_len = (size_t)(br - out->tag);
	}
	if (i < len && line[i] == ' ')
		i++;
	out->body = line + i;
	out->body_len = len - i;
	if (out->kernel)
		fmt_kernel_text(out);
	return 1;
}

size_t fmt_priority(const char *s, size_t n, int *ret_pri)
{
	size_t i = 1;
	int pri = 0;

	if (!n || s[0] != '<')
		return 0;
	for (; i < n && i < 5 && s[i] >= '0' && s[i] <= '9'; i++)
		pri = pri * 10 + (s[i] - '0');
	if (i == 1 || i >= n || s[i] != '>')
		return 0;
	*ret_pri = pri;
	return i + 1;
}
