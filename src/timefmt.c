/* timefmt.c: wall-clock times in and out, the way journalctl takes and
 * shows them (systemd.time(7)). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "timefmt.h"

#define USEC 1000000LL

/* us as whole seconds (returned) and microseconds *frac: the floor, so
 * that *frac is never negative, also before 1970. */
static int64_t split_us(int64_t us, int64_t *frac)
{
	int64_t s = us / USEC, f = us % USEC;

	if (f < 0) {
		f += USEC;
		s--;
	}
	*frac = f;
	return s;
}

void time_rfc3339(int64_t us, char *buf, size_t n)
{
	int64_t frac;
	time_t t = (time_t)split_us(us, &frac);
	struct tm tm;
	size_t len;

	gmtime_r(&t, &tm);
	len = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
	if (frac)
		snprintf(buf + len, n - len, ".%06lldZ", (long long)frac);
	else
		snprintf(buf + len, n - len, "Z");
}

int time_epoch_seconds(int64_t us, char *buf, size_t n)
{
	int64_t frac, s = split_us(us, &frac);

	return snprintf(buf, n, "%lld.%06lld", (long long)s, (long long)frac);
}

void time_local(int64_t us, char *buf, size_t n)
{
	int64_t frac;
	time_t t = (time_t)split_us(us, &frac);
	struct tm tm;
	size_t len;

	tzset();
	localtime_r(&t, &tm);
	len = strftime(buf, n, "%Y-%m-%d %H:%M:%S", &tm);
	if (frac && len < n)
		len += (size_t)snprintf(buf + len, n - len, ".%06lld",
					(long long)frac);
	if (len < n)
		strftime(buf + len, n - len, " %Z", &tm);
}

/* --- parsing --- */

/* 1 to max digits as a number in [lo, hi]; advances *p. */
static int digits(const char **p, int min, int max, int lo, int hi, int *ret)
{
	const char *s = *p;
	int v = 0, k = 0;

	while (k < max && isdigit((unsigned char)s[k]))
		v = v * 10 + (s[k++] - '0');
	if (k < min || v < lo || v > hi)
		return -1;
	*p = s + k;
	*ret = v;
	return 0;
}

/* ".123" after seconds: microseconds (digits past the sixth dropped). */
static int fraction(const char **p, int64_t *ret_us)
{
	const char *s = *p + 1;
	int64_t us = 0, scale = 100000;

	if (**p != '.' || !isdigit((unsigned char)*s))
		return -1;
	for (; isdigit((unsigned char)*s); s++, scale /= 10)
		us += (*s - '0') * scale;
	*p = s;
	*ret_us = us;
	return 0;
}

/* A span in systemd.time(7)'s units: "2h", "2 hours", "1h 30min", "1.5h". */
static const struct span_unit {
	const char *name;
	int64_t us;
} span_units[] = {
	{ "usec", 1 }, { "us", 1 }, { "µs", 1 },
	{ "msec", 1000 }, { "ms", 1000 },
	{ "seconds", USEC }, { "second", USEC }, { "sec", USEC },
	{ "s", USEC },
	{ "minutes", 60 * USEC }, { "minute", 60 * USEC },
	{ "min", 60 * USEC }, { "m", 60 * USEC },
	{ "hours", 3600 * USEC }, { "hour", 3600 * USEC },
	{ "hr", 3600 * USEC }, { "h", 3600 * USEC },
	{ "days", 86400 * USEC }, { "day", 86400 * USEC },
	{ "d", 86400 * USEC },
	{ "weeks", 604800 * USEC }, { "week", 604800 * USEC },
	{ "w", 604800 * USEC },
	/* systemd's average month and year */
	{ "months", 2629800 * USEC }, { "month", 2629800 * USEC },
	{ "M", 2629800 * USEC },
	{ "years", 31557600 * USEC }, { "year", 31557600 * USEC },
	{ "y", 31557600 * USEC },
};

static int span_unit(const char **p, int64_t *ret_us)
{
	const char *s = *p;
	size_t len = 0;

	while (isalpha((unsigned char)s[len]) || (unsigned char)s[len] >= 0x80)
		len++;
	for (size_t i = 0; i < sizeof(span_units) / sizeof(span_units[0]); i++)
		if (strlen(span_units[i].name) == len &&
		    !strncmp(span_units[i].name, s, len)) {
			*p = s + len;
			*ret_us = span_units[i].us;
			return 0;
		}
	return -1;
}

/* The span from s to end (exclusive) in microseconds. */
static int span(const char *s, const char *end, int64_t *ret_us)
{
	int64_t total = 0;
	int parts = 0;

	while (s < end) {
		int64_t whole = 0, frac = 0, unit;

		while (s < end && *s == ' ')
			s++;
		if (s == end)
			break;
		if (!isdigit((unsigned char)*s))
			return -1;
		for (; isdigit((unsigned char)*s); s++) {
			if (whole > INT64_MAX / 10 / USEC)
				return -1;
			whole = whole * 10 + (*s - '0');
		}
		if (*s == '.' && fraction(&s, &frac) < 0)
			return -1;
		while (*s == ' ')
			s++;
		if (s > end || span_unit(&s, &unit) < 0 || s > end)
			return -1;
		/* a unit up to a year times whole may overflow; + 1 for
		 * the fraction */
		if (whole + 1 > (INT64_MAX - total) / unit)
			return -1;
		total += whole * unit + (int64_t)((double)frac / USEC * unit);
		parts++;
	}
	if (!parts)
		return -1;
	*ret_us = total;
	return 0;
}

/* "+3h", "-2h", "2 hours ago", "3h ago", and oomlens's own "2h" (ago). */
static int relative(const char *s, int64_t now_us, int64_t *ret_us)
{
	size_t len = strlen(s);
	int sign = -1;
	int64_t d;

	if (*s == '+' || *s == '-') {
		sign = *s == '+' ? 1 : -1;
		s++;
		len--;
	} else if (len > 4 && !strcmp(s + len - 4, " ago")) {
		len -= 4;
	}
	if (span(s, s + len, &d) < 0)
		return -EINVAL;
	if (sign > 0 ? now_us > INT64_MAX - d : now_us < INT64_MIN + d)
		return -EINVAL;
	*ret_us = now_us + sign * d;
	return 0;
}

/* A zone after the time: "Z", "UTC", "+02:00", "+0200", "-05", or the
 * local zone's own abbreviation (what time_local() prints).  Sets
 * *off (seconds east of UTC) and *utc, or *isdst for a local name. */
static int zone(const char *z, int *utc, int *off, int *isdst)
{
	tzset();
	if (!strcmp(z, "Z") || !strcasecmp(z, "UTC") || !strcmp(z, "GMT")) {
		*utc = 1;
		return 0;
	}
	for (int i = 0; i < 2; i++)
		if (tzname[i] && *tzname[i] && !strcmp(z, tzname[i])) {
			/* one name for both halves of the year: mktime
			 * decides, as without a zone */
			*isdst = tzname[1 - i] && !strcmp(z, tzname[1 - i])
				 ? -1 : i;
			return 0;
		}
	if (*z == '+' || *z == '-') {
		const char *p = z + 1;
		int h, m = 0;

		if (digits(&p, 2, 2, 0, 23, &h) < 0)
			return -1;
		if (*p == ':')
			p++;
		if (*p && digits(&p, 2, 2, 0, 59, &m) < 0)
			return -1;
		if (*p)
			return -1;
		*utc = 1;
		*off = (*z == '-' ? -1 : 1) * (h * 3600 + m * 60);
		return 0;
	}
	return -1;
}

static int days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* "HH:MM[:SS[.frac]]" into tm and *frac. */
static int clock_time(const char **p, struct tm *tm, int64_t *frac)
{
	if (digits(p, 1, 2, 0, 23, &tm->tm_hour) < 0 || **p != ':')
		return -1;
	(*p)++;
	if (digits(p, 2, 2, 0, 59, &tm->tm_min) < 0)
		return -1;
	if (**p != ':')
		return 0;
	(*p)++;
	if (digits(p, 2, 2, 0, 60, &tm->tm_sec) < 0)
		return -1;
	if (**p == '.')
		return fraction(p, frac);
	return 0;
}

/* Where a zone starts after a date or time that ends at p: a "Z" or
 * "+02:00" right after its last digit, or anything after one space. */
static const char *zone_start(const char *p)
{
	if (*p == ' ')
		return p[1] ? p + 1 : NULL;
	if (!isdigit((unsigned char)p[-1]))
		return NULL;
	return *p == 'Z' || *p == '+' || *p == '-' ? p : NULL;
}

/* "@EPOCH[.frac]" after the '@': 0 and *ret_us, or -EINVAL. */
static int epoch_time(const char *s, int64_t *ret_us)
{
	const char *p;
	int64_t frac = 0;
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || !isdigit((unsigned char)s[0]) ||
	    v > INT64_MAX / USEC - 1)
		return -EINVAL;
	p = end;
	if (*p == '.' && fraction(&p, &frac) < 0)
		return -EINVAL;
	if (*p)
		return -EINVAL;
	*ret_us = (int64_t)v * USEC + frac;
	return 0;
}

int time_parse(const char *s, int64_t now_us, int64_t *ret_us)
{
	struct tm tm = { 0 };
	const char *p = s, *z;
	int64_t frac = 0, sec;
	enum { DAY, CLOCK, DATE } form = DAY;	/* today..., HH:MM, a date */
	int utc = 0, off = 0, isdst = -1, day_shift = 0;
	time_t now_t;

	if (!s || !*s || strlen(s) > 256)
		return -EINVAL;
	if (s[0] == '@')
		return epoch_time(s + 1, ret_us);
	if (!strcmp(s, "now")) {
		*ret_us = now_us;
		return 0;
	}
	if (relative(s, now_us, ret_us) == 0)
		return 0;

	now_t = (time_t)(now_us / USEC);
	if (!strncmp(p, "today", 5)) {
		p += 5;
	} else if (!strncmp(p, "yesterday", 9)) {
		p += 9;
		day_shift = -1;
	} else if (!strncmp(p, "tomorrow", 8)) {
		p += 8;
		day_shift = 1;
	} else if (isdigit((unsigned char)p[0]) &&
		   isdigit((unsigned char)p[1]) &&
		   isdigit((unsigned char)p[2]) &&
		   isdigit((unsigned char)p[3]) && p[4] == '-') {
		int y, m, d;

		if (digits(&p, 4, 4, 1, 9999, &y) < 0 || *p++ != '-' ||
		    digits(&p, 1, 2, 1, 12, &m) < 0 || *p++ != '-' ||
		    digits(&p, 1, 2, 1, 31, &d) < 0 ||
		    d > days_in_month(y, m))
			return -EINVAL;
		tm.tm_year = y - 1900;
		tm.tm_mon = m - 1;
		tm.tm_mday = d;
		if ((*p == 'T' || *p == ' ') &&
		    isdigit((unsigned char)p[1])) {
			p++;
			if (clock_time(&p, &tm, &frac) < 0)
				return -EINVAL;
		}
		form = DATE;
	} else {
		/* "HH:MM[:SS]": that time today */
		if (clock_time(&p, &tm, &frac) < 0)
			return -EINVAL;
		form = CLOCK;
	}
	if (*p) {
		z = zone_start(p);
		if (!z || zone(z, &utc, &off, &isdst) < 0)
			return -EINVAL;
	}
	if (form != DATE) {
		/* today's date where the time is read: here, or in the
		 * zone given */
		struct tm today;
		time_t shifted = now_t + off;

		if (utc)
			gmtime_r(&shifted, &today);
		else
			localtime_r(&now_t, &today);
		tm.tm_year = today.tm_year;
		tm.tm_mon = today.tm_mon;
		tm.tm_mday = today.tm_mday + day_shift;
		if (form == DAY)
			tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	}
	if (utc) {
		sec = (int64_t)timegm(&tm) - off;
	} else {
		tm.tm_isdst = isdst;
		sec = (int64_t)mktime(&tm);
	}
	*ret_us = sec * USEC + frac;
	return 0;
}
