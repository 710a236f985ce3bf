/* timefmt.h: wall-clock times in and out.  Times are int64_t UTC
 * microseconds since the epoch. */
#ifndef OOMLENS_TIMEFMT_H
#define OOMLENS_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/* "2026-11-21T03:12:07.123456Z" (fraction only when non-zero). */
void time_rfc3339(int64_t us, char *buf, size_t n);

/*
 * A point in time for --since/--until: "2026-11-21", "2026-11-21T03:12:07"
 * or with " " instead of "T" (both UTC unless a Z or +HH:MM zone follows),
 * "@1795230727" (epoch seconds), or an age such as "30m", "2h", "7d", "1w"
 * before now_us.  Returns 0 or -EINVAL.
 */
int time_parse(const char *s, int64_t now_us, int64_t *ret_us);

#endif
