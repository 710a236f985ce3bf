/* chart.c: bars, stacked bars and gauges for a terminal (see chart.h). */
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "buf.h"
#include "chart.h"
#include "xalloc.h"

/* U+2588 and the left eighths U+258F (1/8) .. U+2589 (7/8) */
static const char *const eighths[9] = {
	"", "▏", "▎", "▍", "▌", "▋", "▊", "▉", "█",
};

static const char *const sgr[] = {
	[CHART_PLAIN] = "", [CHART_RED] = "\033[31m",
	[CHART_GREEN] = "\033[32m", [CHART_YELLOW] = "\033[33m",
	[CHART_BLUE] = "\033[34m", [CHART_MAGENTA] = "\033[35m",
	[CHART_CYAN] = "\033[36m", [CHART_GREY] = "\033[90m",
};

static int is_utf8_name(const char *s)
{
	return s && (strcasestr(s, "utf-8") || strcasestr(s, "utf8"));
}

unsigned chart_flags(const char *codeset, const char *env_locale, int tty,
		     const char *no_color)
{
	unsigned f = 0;

	/* a codeset means setlocale() worked: it has the last word; else
	 * the name the environment gives (C.UTF-8 on a system without it) */
	if (codeset ? is_utf8_name(codeset) : is_utf8_name(env_locale))
		f |= CHART_UNICODE;
	if (tty && !(no_color && *no_color))
		f |= CHART_COLOR;
	return f;
}

static const char *env_locale(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_CTYPE", "LANG" };

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return v;
	}
	return NULL;
}

unsigned chart_detect(int fd)
{
	const char *cur = setlocale(LC_CTYPE, NULL);
	char *saved = xstrdup(cur ? cur : "C");
	char *codeset = NULL;
	unsigned f;

	if (setlocale(LC_CTYPE, ""))
		codeset = xstrdup(nl_langinfo(CODESET));
	setlocale(LC_CTYPE, saved);
	f = chart_flags(codeset, env_locale(), isatty(fd), getenv("NO_COLOR"));
	free(codeset);
	free(saved);
	return f;
}

static void color_on(struct buf *b, enum chart_color c, unsigned flags)
{
	if ((flags & CHART_COLOR) && c != CHART_PLAIN)
		buf_adds(b, sgr[c]);
}

static void color_off(struct buf *b, enum chart_color c, unsigned flags)
{
	if ((flags & CHART_COLOR) && c != CHART_PLAIN)
		buf_adds(b, "\033[0m");
}

static void blanks(struct buf *b, int n)
{
	for (; n > 0; n--)
		buf_addch(b, ' ');
}

/* NaN and negatives are 0 (x != x is NaN; no libm here) */
static double clamp01(double x)
{
	return x != x || x < 0 ? 0 : x > 1 ? 1 : x;
}

/* x >= 0 rounded to nearest, halves up */
static long round_pos(double x)
{
	return (long)(x + 0.5);
}

void chart_bar(struct buf *b, double frac, int width, enum chart_color c,
	       unsigned flags)
{
	int full, part = 0, used;

	if (width <= 0)
		return;
	frac = clamp01(frac);
	if (flags & CHART_UNICODE) {
		long e = round_pos(frac * width * 8);

		full = (int)(e / 8);
		part = (int)(e % 8);
	} else {
		full = (int)round_pos(frac * width);
	}
	used = full + (part > 0);
	if (used)
		color_on(b, c, flags);
	for (int i = 0; i < full; i++)
		buf_adds(b, flags & CHART_UNICODE ? eighths[8] : "#");
	if (part)
		buf_adds(b, eighths[part]);
	if (used)
		color_off(b, c, flags);
	blanks(b, width - used);
}

/* cells of cum/total of width, rounded to nearest */
static int cells_at(uint64_t cum, uint64_t total, int width)
{
	if (cum >= total)
		return width;
	return (int)round_pos((double)cum / (double)total * width);
}

void chart_stack(struct buf *b, const struct chart_seg *s, size_t n,
		 uint64_t total, int width, unsigned flags)
{
	uint64_t cum = 0;
	int at = 0;

	if (width <= 0)
		return;
	for (size_t i = 0; i < n && total; i++) {
		int end;

		cum = s[i].value > UINT64_MAX - cum ? UINT64_MAX : cum + s[i].value;
		end = cells_at(cum, total, width);
		if (end <= at)
			continue;
		color_on(b, s[i].color, flags);
		for (; at < end; at++) {
			if (flags & CHART_UNICODE)
				buf_adds(b, s[i].glyph);
			else
				buf_addch(b, s[i].ascii);
		}
		color_off(b, s[i].color, flags);
	}
	blanks(b, width - at);
}

void chart_glyph(struct buf *b, const struct chart_seg *s, unsigned flags)
{
	color_on(b, s->color, flags);
	if (flags & CHART_UNICODE)
		buf_adds(b, s->glyph);
	else
		buf_addch(b, s->ascii);
	color_off(b, s->color, flags);
}

void chart_gauge(struct buf *b, uint64_t value, uint64_t mark,
		 uint64_t scale, int width, unsigned flags)
{
	enum chart_color c = value >= mark ? CHART_GREEN : CHART_RED;
	int fill, at;

	if (width <= 0)
		return;
	if (!scale) {
		blanks(b, width);
		return;
	}
	fill = cells_at(value, scale, width);
	at = cells_at(mark, scale, width);
	if (at >= width)
		at = width - 1;
	for (int i = 0; i < width; i++) {
		if (i == at) {
			color_on(b, CHART_YELLOW, flags);
			buf_adds(b, flags & CHART_UNICODE ? "┃" : "|");
			color_off(b, CHART_YELLOW, flags);
			continue;
		}
		if (i >= fill) {
			buf_addch(b, ' ');
			continue;
		}
		/* one escape per run of fill, not per cell */
		if (i == 0 || i == at + 1)
			color_on(b, c, flags);
		buf_adds(b, flags & CHART_UNICODE ? eighths[8] : "=");
		if (i + 1 == fill || i + 1 == at)
			color_off(b, c, flags);
	}
}

const char *chart_left(unsigned flags)
{
	return flags & CHART_UNICODE ? "▕" : "[";
}

const char *chart_right(unsigned flags)
{
	return flags & CHART_UNICODE ? "▏" : "]";
}
