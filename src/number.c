/* number.c: see number.h. */
#include <errno.h>
#include <stdint.h>

#include "number.h"

int num_parse_u64(const char *s, size_t n, uint64_t *ret)
{
	uint64_t v = 0;

	if (n == 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*ret = v;
	return 0;
}

int num_parse_i64(const char *s, size_t n, int64_t *ret)
{
	int neg = n && s[0] == '-';
	uint64_t v;
	int r = num_parse_u64(s + neg, n - neg, &v);

	if (r < 0)
		return r;
	if (v > (uint64_t)INT64_MAX + neg)
		return -ERANGE;
	*ret = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}
