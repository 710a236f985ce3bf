/*
 * text.c: text as a terminal shows it (text.h): valid UTF-8 sequences,
 * the columns a string takes, how much fits, the terminal's width.  Apart
 * from the escaping (output-text.c) and the tables (table.c), which both
 * need it.
 */
#include <errno.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>

#include "text.h"

size_t utf8_seq(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;	/* continuation byte, 0xc0, 0xc1, past 0xf4 */
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

/*
 * Text is printed as UTF-8 whatever the locale says (out_escape() keeps
 * valid UTF-8 and escapes the rest), so its width is UTF-8's: wcwidth()
 * and libsmartcols measure under C.UTF-8, set for this thread only while
 * they do.  NULL when there is none: then a code point is one column,
 * CJK and the like two, by the ranges below.
 */
static locale_t utf8_locale(void)
{
	static locale_t loc;
	static int tried;

	if (!tried) {
		tried = 1;
		loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
		if (!loc)
			loc = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", (locale_t)0);
	}
	return loc;
}

locale_t text_enter_utf8(void)
{
	locale_t loc = utf8_locale();

	return loc ? uselocale(loc) : (locale_t)0;
}

void text_leave_utf8(locale_t old)
{
	if (old)
		uselocale(old);
}

/* East Asian wide and fullwidth, for a system without a UTF-8 locale. */
static int wide_fallback(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	       (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	       (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	       (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
	       (cp >= 0x20000 && cp <= 0x3fffd);
}

/* The columns of the character at s (n its bytes, utf8_seq()). */
static size_t char_width(const unsigned char *s, size_t n, int have_locale)
{
	uint32_t cp;
	int w;

	if (n <= 1)
		return 1;
	cp = s[0] & (0xff >> (n + 1));
	for (size_t i = 1; i < n; i++)
		cp = cp << 6 | (s[i] & 0x3f);
	if (!have_locale)
		return wide_fallback(cp) ? 2 : 1;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : (size_t)w;
}

/* Walk s: the bytes that fit in max columns ((size_t)-1: all), their
 * columns into *cols. */
static size_t walk(const char *s, size_t len, size_t max, size_t *cols)
{
	const unsigned char *p = (const unsigned char *)s;
	locale_t old;
	int have;
	size_t i = 0, c = 0;

	/* plain ASCII (nearly every cell): a column a byte, no locale */
	while (i < len && p[i] < 0x80 && p[i] != 0x1b)
		i++;
	if (i == len) {
		*cols = len < max ? len : max;
		return *cols;
	}
	i = c = 0;
	old = text_enter_utf8();
	have = utf8_locale() != (locale_t)0;
	while (i < len) {
		size_t n = utf8_seq(p + i, len - i), w;

		n = n ? n : 1;
		w = char_width(p + i, n, have);
		if (p[i] == 0x1b && i + 1 < len && p[i + 1] == '[') {
			/* a colour of ours (a name's ESC is escaped: \x1b):
			 * no column, and never cut in two */
			for (n = 2; i + n < len && !(p[i + n] >= 0x40 &&
						     p[i + n] <= 0x7e); n++)
				;
			n += i + n < len;
			w = 0;
		}
		if (c + w > max)
			break;
		c += w;
		i += n;
	}
	text_leave_utf8(old);
	*cols = c;
	return i;
}

size_t text_width(const char *s, size_t len)
{
	size_t cols;

	walk(s, len, (size_t)-1, &cols);
	return cols;
}

size_t text_fit(const char *s, size_t len, size_t cols)
{
	size_t used;

	return walk(s, len, cols, &used);
}

size_t term_width(int fd)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	long v = 0;

	if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if (env && *env) {
		char *end;

		v = strtol(env, &end, 10);
		if (*end || v <= 0)
			v = 0;
	}
	if (v > 0)
		return (size_t)v;
	return isatty(fd) ? 80 : 0;
}
