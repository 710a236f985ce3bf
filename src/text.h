/* text.h: text as a terminal shows it (text.c). */
#ifndef OOMLENS_TEXT_H
#define OOMLENS_TEXT_H

#include <locale.h>
#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (at most n bytes): 1 to 4, or
 * 0 when s does not start one (overlong forms, surrogates and code points
 * past U+10FFFF are invalid). */
size_t utf8_seq(const unsigned char *s, size_t n);
/* Whether s, a sequence of n bytes as utf8_seq() measured it, is a C1
 * control (U+0080..U+009F: C2 80..C2 9F), which a terminal acts on. */
static inline int utf8_is_c1(const unsigned char *s, size_t n)
{
	return n == 2 && s[0] == 0xc2 && s[1] < 0xa0;
}

/* The width of output fd: the terminal's, else COLUMNS, else 0
 * (unlimited: a pipe gets every byte). */
size_t term_width(int fd);
/* Columns that UTF-8 text s (escaped: printable only) takes on the screen. */
size_t text_width(const char *s, size_t len);
/* The bytes of s that fit in cols columns. */
size_t text_fit(const char *s, size_t len, size_t cols);

/* Measure under C.UTF-8 for this thread (wcwidth(), libsmartcols), and
 * back: text is printed as UTF-8 whatever the locale says. */
locale_t text_enter_utf8(void);
void text_leave_utf8(locale_t old);

#endif
