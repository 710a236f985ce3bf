/*
 * chart.h: terminal pictures: bars, stacked bars and gauges drawn with
 * Unicode block characters, or with plain ASCII where the locale is C,
 * POSIX or not UTF-8, and with ANSI colours only on a terminal without
 * NO_COLOR.  Every function appends to a struct buf; none prints.
 *
 * A picture of width w always takes exactly w columns (the caller can
 * align what follows), assuming one column per block character.
 */
#ifndef OOMLENS_CHART_H
#define OOMLENS_CHART_H

#include <stddef.h>
#include <stdint.h>

struct buf;

enum chart_flag {
	CHART_UNICODE = 1 << 0,	/* block characters; else '#', '=', ... */
	CHART_COLOR = 1 << 1,	/* ANSI colour escapes */
};

enum chart_color {
	CHART_PLAIN = 0,
	CHART_RED,
	CHART_GREEN,
	CHART_YELLOW,
	CHART_BLUE,
	CHART_MAGENTA,
	CHART_CYAN,
	CHART_GREY,
};

/*
 * The flags for output on fd: CHART_UNICODE when the locale's codeset is
 * UTF-8 (setlocale(LC_CTYPE, "") and nl_langinfo(CODESET); the caller's
 * LC_CTYPE is restored afterwards, so nothing else changes), CHART_COLOR
 * when fd is a terminal and NO_COLOR is unset or empty.
 */
unsigned chart_detect(int fd);

/*
 * The decision itself, for tests: codeset as nl_langinfo() gives it (NULL
 * when setlocale() failed), then the locale the environment names
 * (LC_ALL, else LC_CTYPE, else LANG; may be NULL) as a fallback for a
 * UTF-8 locale that is not installed; tty nonzero for a terminal;
 * no_color the value of NO_COLOR (NULL when unset).
 */
unsigned chart_flags(const char *codeset, const char *env_locale, int tty,
		     const char *no_color);

/* A bar of frac (clamped to 0..1) of width cells, padded with blanks to
 * width.  Unicode draws eighths of a cell; ASCII rounds to whole '#'s. */
void chart_bar(struct buf *b, double frac, int width, enum chart_color c,
	       unsigned flags);

/* One part of a stacked bar. */
struct chart_seg {
	uint64_t value;
	const char *glyph;	/* its cell in Unicode ("█", "▓", ...) */
	char ascii;		/* ... and in ASCII ('#', '=', ...) */
	enum chart_color color;
};

/*
 * Segments of total side by side across width cells, in order; the rest
 * (total minus their sum) is left blank.  Cell edges are the cumulative
 * sums rounded, so the cells always add up; a sum above total is drawn
 * as total.  total 0 draws blanks.
 */
void chart_stack(struct buf *b, const struct chart_seg *s, size_t n,
		 uint64_t total, int width, unsigned flags);

/* The cell of one segment alone, for a legend. */
void chart_glyph(struct buf *b, const struct chart_seg *s, unsigned flags);

/*
 * A gauge: filled up to value/scale of width, with a mark ("┃" or '|')
 * in the cell of mark/scale (a watermark).  The fill is green at or above
 * the mark and red below it, when coloured.  scale 0: blanks.
 */
void chart_gauge(struct buf *b, uint64_t value, uint64_t mark,
		 uint64_t scale, int width, unsigned flags);

/* The frame around a picture: "▕" and "▏", or "[" and "]". */
const char *chart_left(unsigned flags);
const char *chart_right(unsigned flags);

#endif
