#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "timefmt.h"

void time_rfc3339(int64_t us, char *buf, size_t n)
{
	int64_t sec = us / 1000000, frac = us % 1000000;
	time_t t;
	struct tm tm;
	size_t len;

	if (frac < 0) {
		frac += 1000000;
		sec--;
	}
	t = (time_t)sec;
	gmtime_r(&t, &tm);
	len = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
	if (frac)
		snprintf(buf + len, n - len, ".%06lldZ", (long long)frac);
	else
		snprintf(buf + len, n - len, "Z");
}

static int parse_age(const char *s, int64_t now_us, int64_t *ret_us)
{
	char *end;
	long long v;
	int64_t unit;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || v < 0 || end[0] == '\0' || end[1] != '\0')
		return -EINVAL;
	switch (*end) {
	case 's': unit = 1; break;
	case 'm': unit = 60; break;
	case 'h': unit = 3600; break;
	case 'd': unit = 86400; break;
	case 'w': unit = 7 * 86400; break;
	default: return -EINVAL;
	}
	if (v > INT64_MAX / 1000000 / unit)
		return -EINVAL;
	*ret_us = now_us - (int64_t)v * unit * 1000000;
	return 0;
}

int time_parse(const char *s, int64_t now_us, int64_t *ret_us)
{
	struct tm tm = { 0 };
	const char *p;
	int off = 0;

	if (!s || !*s)
		return -EINVAL;
	if (s[0] == '@') {
		char *end;
		long long v;

		errno = 0;
		v = strtoll(s + 1, &end, 10);
		if (errno || end == s + 1 || *end)
			return -EINVAL;
		*ret_us = (int64_t)v * 1000000;
		return 0;
	}
	if (parse_age(s, now_us, ret_us) == 0)
		return 0;
	p = strptime(s, "%Y-%m-%d", &tm);
	if (!p)
		return -EINVAL;
	if (*p == 'T' || *p == ' ') {
		p = strptime(p + 1, "%H:%M", &tm);
		if (!p)
			return -EINVAL;
		if (*p == ':') {
			p = strptime(p + 1, "%S", &tm);
			if (!p)
				return -EINVAL;
		}
	}
	if (*p == 'Z') {
		p++;
	} else if ((*p == '+' || *p == '-') && strlen(p) >= 5) {
		int h, m, sign = *p == '-' ? -1 : 1;

		if (sscanf(p + 1, "%2d:%2d", &h, &m) == 2)
			p += 6;
		else if (sscanf(p + 1, "%2d%2d", &h, &m) == 2)
			p += 5;
		else
			return -EINVAL;
		off = sign * (h * 3600 + m * 60);
	}
	if (*p)
		return -EINVAL;
	*ret_us = ((int64_t)timegm(&tm) - off) * 1000000;
	return 0;
}
