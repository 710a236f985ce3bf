/*
 * fmt-journal.c: the journalctl text modes that syslog does not share
 * (reference §4.6), and its markers.
 *
 *   short-full        "Sat 2026-11-21 03:12:07 UTC host kernel: text"
 *   short-unix        "1795230727.123456 host kernel: text"
 *   short-monotonic   "[ 8123.456789] host kernel: text" (fmt-dmesg.c)
 *   markers           "-- Boot 4f9c... --", "-- Logs begin at ... --"
 *
 * journalctl prints no host when the entry has none ("... kernel: text"),
 * and indents the 2nd and later lines of a multi-line message to the
 * message column (fmt.c).  short-full names the zone: UTC and numeric
 * offsets are exact, other abbreviations are read in the local zone (TZ),
 * flagged.
 */
#include <string.h>

#include "fmt-fields.h"

int fmt_journal_full(struct fmt_ctx *ctx, const char *line, size_t len,
		     struct log_line *out)
{
	struct fmt_civil c;
	int off;
	int64_t usec = 0, us;
	size_t i = 23, z0;

	/* "Sat 2026-11-21 03:12:07" */
	if (len < 26 || line[3] != ' ' ||
	    !fmt_date_time(line + 4, len - 4, ' ', &c))
		return 0;
	if (line[i] == '.')
		i += fmt_fraction(line + i, len - i, &usec);
	if (i >= len || line[i] != ' ')
		return 0;
	z0 = ++i;
	while (i < len && line[i] != ' ')
		i++;
	if (i == z0 || i - z0 > 6)
		return 0;
	off = 0;
	if ((i - z0 == 3 && (!memcmp(line + z0, "UTC", 3) ||
			     !memcmp(line + z0, "GMT", 3))) ||
	    fmt_zone_offset(line + z0, i - z0, &off) == i - z0) {
		us = fmt_civil_us(&c, off, usec);
	} else if (ctx->shape_only) {
		us = 0;
	} else if (fmt_local_to_utc(ctx, c.y, c.mo - 1, c.d, c.hh, c.mm,
					c.ss, usec, &us) == 0) {
		out->known |= LL_LOCAL_TIME;
	} else {
		return 0;
	}
	if (!fmt_host_and_tag(line, len, i, 0, out))
		return 0;
	out->wall_us = us;
	out->known |= LL_WALL;
	out->fmt = FMT_JOURNAL;
	return 1;
}

int fmt_journal_unix(struct fmt_ctx *ctx, const char *line, size_t len,
		     struct log_line *out)
{
	int64_t sec = 0, usec = 0;
	size_t i = 0;

	(void)ctx;
	/* "%10llu.%06llu": seconds since the epoch */
	for (; i < len && i < 12 && line[i] >= '0' && line[i] <= '9'; i++)
		sec = sec * 10 + (line[i] - '0');
	if (i < 9 || i >= len || line[i] != '.')
		return 0;
	i += fmt_fraction(line + i, len - i, &usec);
	if (!fmt_host_and_tag(line, len, i, 0, out))
		return 0;
	out->wall_us = sec * 1000000 + usec;
	out->known |= LL_WALL;
	out->fmt = FMT_JOURNAL;
	return 1;
}

int fmt_journal_marker(struct fmt_ctx *ctx, const char *line, size_t len,
		       struct log_line *out)
{
	if (len < 6 || memcmp(line, "-- ", 3) != 0 ||
	    memcmp(line + len - 3, " --", 3) != 0)
		return 0;
	if (len > 11 && !memcmp(line, "-- Boot ", 8)) {
		size_t n = len - 11;

		if (n >= sizeof(ctx->boot_id))
			n = sizeof(ctx->boot_id) - 1;
		memcpy(ctx->boot_id, line + 8, n);
		ctx->boot_id[n] = '\0';
		ctx->boot_changed = 1;
		out->known |= LL_BOOT;
	}
	out->fmt = FMT_MARKER;
	out->body = line;
	out->body_len = 0;
	out->kernel = 0;
	return 1;
}
