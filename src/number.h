/*
 * number.h: decimal numbers read with every check, for the parsers, the
 * commands and /proc alike: digits only (a sign for the signed one),
 * nothing before or after, no overflow.  strtoll() takes blanks, a '+',
 * trailing junk and clamps on overflow; a log is not to be trusted so.
 */
#ifndef OOMLENS_NUMBER_H
#define OOMLENS_NUMBER_H

#include <stddef.h>
#include <stdint.h>

/* s (n bytes, not terminated): 0 and *ret, -EINVAL for anything but
 * digits (or none), -ERANGE past 2^64 - 1. */
int num_parse_u64(const char *s, size_t n, uint64_t *ret);
/* The same with an optional leading '-', within int64_t. */
int num_parse_i64(const char *s, size_t n, int64_t *ret);

#endif
