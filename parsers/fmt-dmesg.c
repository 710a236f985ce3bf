/*
 * fmt-dmesg.c: util-linux dmesg output and the kernel's own console and
 * /proc/kmsg renderings (reference §4.2, §4.4).
 *
 *   dmesg       "[ 8123.456789] text"       kernel time since boot
 *   dmesg -r    "<6>[ 8123.456789] text"    plus the syslog priority; also
 *               "<6>text" (/proc/kmsg, klogd, printk.time=0)
 *   caller id   "[ 8123.456789][  T7310] text"  (CONFIG_PRINTK_CALLER)
 *   dmesg -T    "[Sat Nov 21 03:12:07 2026] text"  local wall clock; the
 *               day and month names follow the locale, so an unknown month
 *               leaves the time unknown but the line is still read.
 *
 * journalctl -o short-monotonic writes "[ 8123.456789] host kernel: text":
 * the same stamp, then a host and a tag, which dmesg text does not have.
 */
#include <string.h>

#include "fmt.h"

/* journalctl short-monotonic: the stamp is followed by "host tag: ". */
static int short_monotonic(const char *line, size_t len, size_t i,
			   struct log_line *out)
{
	struct log_line j = *out;

	if (!fmt_host_and_tag(line, len, i, 1, &j))
		return 0;
	*out = j;
	out->fmt = FMT_JOURNAL;
	return 1;
}

int fmt_dmesg(struct fmt_ctx *ctx, const char *line, size_t len,
	      struct log_line *out)
{
	size_t i = 0, used;
	int64_t us;
	int pri = 0;

	(void)ctx;
	if (line[0] == '<') {
		for (i = 1; i < len && i < 5 && line[i] >= '0' && line[i] <= '9'; i++)
			;
		if (i == 1 || i >= len || line[i] != '>')
			return 0;
		pri = 1;
		i++;
	}
	used = fmt_uptime_stamp(line + i, len - i, &us);
	if (used) {
		i += used;
		out->ktime_us = us;
		out->known |= LL_KTIME;
		if (!pri && i < len && line[i] == ' ' &&
		    short_monotonic(line, len, i, out))
			return 1;
	} else if (!pri && !fmt_caller_id(line, len, &out->caller,
					  &out->caller_len)) {
		return 0;
	}
	i += fmt_caller_id(line + i, len - i, &out->caller, &out->caller_len);
	if (i < len && line[i] == ' ')
		i++;
	out->fmt = FMT_DMESG;
	out->body = line + i;
	out->body_len = len - i;
	out->kernel = 1;
	return 1;
}

/* "21", "1", "12.": the day of the month, or -1. */
static int mday_token(const char *s, size_t n)
{
	if (n && s[n - 1] == '.')
		n--;
	if (n < 1 || n > 2)
		return -1;
	return fmt_digits(s, n);
}

int fmt_dmesg_t(struct fmt_ctx *ctx, const char *line, size_t len,
		struct log_line *out)
{
	const char *end, *p, *tok[5];
	size_t toklen[5];
	int ntok = 0;
	int64_t us;

	end = memchr(line, ']', len < 48 ? len : 48);
	if (!end || line[0] != '[')
		return 0;
	/* "[Day Mon dd hh:mm:ss yyyy]": five blank-separated words */
	for (p = line + 1; p < end && ntok < 5;) {
		while (p < end && *p == ' ')
			p++;
		if (p == end)
			break;
		tok[ntok] = p;
		while (p < end && *p != ' ')
			p++;
		toklen[ntok] = (size_t)(p - tok[ntok]);
		ntok++;
	}
	while (p < end && *p == ' ')
		p++;
	if (ntok != 5 || p != end || toklen[3] != 8 || toklen[4] != 4 ||
	    tok[3][2] != ':' || tok[3][5] != ':')
		return 0;

	/* the day comes before or after the month name ("Nov 21", French
	 * "19 avril", German "12. Aug") */
	int dtok = mday_token(tok[2], toklen[2]) >= 0 ? 2 : 1;
	int year = fmt_digits(tok[4], 4), mday = mday_token(tok[dtok], toklen[dtok]);
	int hh = fmt_digits(tok[3], 2), mm = fmt_digits(tok[3] + 3, 2);
	int ss = fmt_digits(tok[3] + 6, 2);
	int mtok = 3 - dtok;
	int mon = toklen[mtok] == 3 ? fmt_month(tok[mtok]) : -1;

	if (year < 0 || mday < 0 || hh < 0 || mm < 0 || ss < 0)
		return 0;
	out->fmt = FMT_DMESG_T;
	out->body = end + 1;
	out->body_len = len - (size_t)(end + 1 - line);
	out->body_len -= fmt_caller_id(out->body, out->body_len, &out->caller,
				       &out->caller_len);
	out->body = line + len - out->body_len;
	if (out->body_len && out->body[0] == ' ') {
		out->body++;
		out->body_len--;
	}
	out->kernel = 1;
	if (mon >= 0 && !ctx->shape_only &&
	    fmt_local_to_utc(ctx, year, mon, mday, hh, mm, ss, 0, &us) == 0) {
		out->wall_us = us;
		out->known |= LL_WALL | LL_LOCAL_TIME;
	}
	return 1;
}
