/* timefmt.h: wall-clock times in and out.  Times are int64_t UTC
 * microseconds since the epoch. */
#ifndef OOMLENS_TIMEFMT_H
#define OOMLENS_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

/* "2026-11-21T03:12:07.123456Z" (fraction only when non-zero). */
void time_rfc3339(int64_t us, char *buf, size_t n);

/* "1795230727.250000": epoch seconds with six decimals, as Splunk's HEC
 * takes a time (the floor, also before 1970, so the fraction is never
 * negative).  Returns the length written, as snprintf(). */
int time_epoch_seconds(int64_t us, char *buf, size_t n);

/* Local time (TZ) with the zone's abbreviation, as journalctl shows it:
 * "2026-11-21 04:12:07 CET", "2026-11-21 04:12:07.250000 CET". */
void time_local(int64_t us, char *buf, size_t n);

/*
 * A point in time for --since/--until, as systemd.time(7) and journalctl
 * take it:
 *   "2026-11-21", "2026-11-21 03:00", "2026-11-21 03:00:07.25" (or "T"
 *   for the space), "03:00[:07]" (today), "now", "today", "yesterday",
 *   "tomorrow" (midnight), "+3h", "-2h", "2 hours ago", "1h 30min ago",
 *   "@1795230727[.5]" (epoch seconds), and oomlens's own ages such as
 *   "30m", "2h", "7d" (that long before now_us).
 * A zone may follow a date or time: "Z", "UTC", "+02:00", "+0200", or the
 * local zone's abbreviation ("CET"); without one the time is local (TZ),
 * as in journalctl.  Returns 0 or -EINVAL; never prints.
 */
int time_parse(const char *s, int64_t now_us, int64_t *ret_us);

#endif
