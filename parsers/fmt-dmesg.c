/*
 * fmt-dmesg.c: util-linux dmesg output and the kernel's own console and
 * /proc/kmsg renderings (reference §4.2, §4.4).
 *
 *   dmesg       "[ 8123.456789] text"       kernel time since boot
 *   dmesg -r    "<6>[ 8123.456789] text"    plus the syslog priority; also
 *               "<6>text" (/proc/kmsg, klogd, printk.time=0)
 *   caller id   "[ 8123.456789][  T7310] text"  (CONFIG_PRINTK_CALLER)
 *   dmesg -T    "[Sat Nov 21 03:12:07 2026] text"  local wall clock; the
 *               day and month names follow the locale (German, French,
 *               Spanish, "六 11月" are read), so an unknown month leaves
 *               the time unknown but the line is still read.  A paste
 *               may have lost the '['.
 *
 * journalctl -o short-monotonic writes "[ 8123.456789] host kernel: text":
 * the same stamp, then a host and a tag, which dmesg text does not have.
 */
#include <string.h>

#include "fmt-fields.h"

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
		int code;

		if (!(i = fmt_priority(line, len, &code)))
			return 0;
		/* dmesg -r: "<facility * 8 + level>"; what a program wrote
		 * to /dev/kmsg has facility 1 (user), the kernel's 0 */
		pri = code >> 3 == 0 ? 1 : 2;
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
	out->kernel = pri != 2;
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

/* Month names of the locales dmesg -T is seen in (glibc's abmon): German,
 * French, Spanish; Chinese and Japanese "11月", Korean "11월". */
static int locale_month(const char *s, size_t n)
{
	static const struct { const char *name; int mon; } names[] = {
		{ "M\xc3\xa4r", 2 }, { "Mai", 4 }, { "Okt", 9 }, { "Dez", 11 },
		{ "janv.", 0 }, { "f\xc3\xa9vr.", 1 }, { "mars", 2 },
		{ "avr.", 3 }, { "avril", 3 }, { "mai", 4 }, { "juin", 5 }, { "juil.", 6 },
		{ "ao\xc3\xbbt", 7 }, { "sept.", 8 }, { "oct.", 9 },
		{ "nov.", 10 }, { "d\xc3\xa9\x63.", 11 },
		{ "ene", 0 }, { "abr", 3 }, { "ago", 7 }, { "dic", 11 },
	};
	int m;

	if (n == 3 && (m = fmt_month(s)) >= 0)
		return m;
	if (n == 3) {
		/* "feb", "mar", "may", "jun", "jul", "sep", "oct", "nov" */
		char up[3] = { (char)(s[0] & ~0x20), s[1], s[2] };

		if ((m = fmt_month(up)) >= 0)
			return m;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == n && !memcmp(s, names[i].name, n))
			return names[i].mon;
	/* "11月" (CJK), "11월" (Hangul): a number and three bytes */
	if (n >= 4 && n <= 5 &&
	    (!memcmp(s + n - 3, "\xe6\x9c\x88", 3) ||
	     !memcmp(s + n - 3, "\xec\x9b\x94", 3))) {
		m = fmt_digits(s, n - 3);
		return m >= 1 && m <= 12 ? m - 1 : -1;
	}
	return -1;
}

/* "[Sat Nov 21 03:12:07 2026] text"; a paste may have lost the '['. */
int fmt_dmesg_t(struct fmt_ctx *ctx, const char *line, size_t len,
		struct log_line *out)
{
	const char *end, *p, *tok[5];
	size_t toklen[5];
	int ntok = 0;
	int64_t us;

	end = memchr(line, ']', len < 48 ? len : 48);
	if (!end || line[0] == ' ' ||
	    (line[0] != '[' && (end + 1 >= line + len || end[1] != ' ')))
		return 0;
	/* "[Day Mon dd hh:mm:ss yyyy]": five blank-separated words */
	for (p = line + (line[0] == '['); p < end && ntok < 5;) {
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
	int mon = locale_month(tok[mtok], toklen[mtok]);

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
