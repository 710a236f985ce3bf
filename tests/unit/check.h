/*
 * check.h: the unit-test harness.  CHECK(cond, fmt, ...) and CHECK_EQ /
 * CHECK_STR print both sides on failure and go on; check_done() prints the
 * closing "N passed, N failed" line and returns the exit status.
 */
#ifndef OOMLENS_CHECK_H
#define OOMLENS_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (cond) {                                                \
			check_passed++;                                    \
		} else {                                                   \
			check_failed++;                                    \
			fprintf(stderr, "%s:%d: FAIL: %s: ", __FILE__,     \
				__LINE__, #cond);                          \
			fprintf(stderr, __VA_ARGS__);                      \
			fputc('\n', stderr);                               \
		}                                                          \
	} while (0)

#define CHECK_EQ(a, b)                                                     \
	do {                                                               \
		int64_t check_a_ = (int64_t)(a), check_b_ = (int64_t)(b);  \
		CHECK(check_a_ == check_b_, "%s = %" PRId64 ", %s = %" PRId64, \
		      #a, check_a_, #b, check_b_);                         \
	} while (0)

#define CHECK_STR(a, b)                                                    \
	do {                                                               \
		const char *check_a_ = (a), *check_b_ = (b);               \
		CHECK(check_a_ && check_b_ && !strcmp(check_a_, check_b_), \
		      "%s = \"%s\", %s = \"%s\"", #a,                      \
		      check_a_ ? check_a_ : "(null)", #b,                  \
		      check_b_ ? check_b_ : "(null)");                     \
	} while (0)

static inline int check_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, check_passed, check_failed);
	fflush(stdout);
	return check_failed ? 1 : 0;
}

#endif
