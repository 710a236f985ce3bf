/*
 * fmt-paste.c: what a paste puts before every line of a log (issue 17,
 * class 3), under the container's own prefix:
 *
 *   cat -n, nl        "     1\t[ 8123.456789] text"   number, then a tab
 *   vim :set nu       "  1 [ 8123.456789] text"       number, then a blank
 *   less -N           "      1 [ 8123.456789] text"
 *   an indented paste "    [ 8123.456789] text"       2-8 blanks (a tab)
 *
 * Kernel text may itself start with digits ("4194173 pages RAM") or
 * blanks (the 2nd line of a multi-line record), so a prefix is only
 * learnt from a line whose rest reads as a container (fmt.c does that
 * test), and then only taken from the lines after it while it fits: the
 * same indent, or numbers that go up no faster than the lines do (nl
 * skips blank lines; the scanner skips lines while no report is open).
 */
#include <string.h>

#include "fmt.h"

/* Longest indent taken for a paste's: more is a record's continuation. */
#define MAX_INDENT 8

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "   12\t" or "  12 " at line: bytes of the prefix, and its number, its
 * padded width, whether it was padded and its separator in *ret. */
static size_t number_shape(const char *line, size_t n, struct fmt_paste *ret,
			   int *ret_padded)
{
	size_t i = 0, d;
	uint64_t v = 0;

	while (i < n && i < 12 && line[i] == ' ')
		i++;
	for (d = i; i < n && i - d < 10 && is_digit(line[i]); i++)
		v = v * 10 + (uint64_t)(line[i] - '0');
	/* an empty line numbered by cat -n is "     5\t", or "     5" when
	 * a copy trimmed the blank */
	if (i == d || (i < n && line[i] != '\t' && line[i] != ' '))
		return 0;
	ret->kind = PASTE_NUMBER;
	ret->width = i;
	ret->sep = i < n ? line[i] : 0;
	ret->num = v;
	*ret_padded = d > 0;
	return i < n ? i + 1 : i;
}

/* 1-8 blanks, or a tab, before a non-blank byte. */
static size_t indent_shape(const char *line, size_t n, struct fmt_paste *ret)
{
	size_t i = 0;

	if (n && line[0] == '\t') {
		i = 1;
	} else {
		while (i < n && i <= MAX_INDENT && line[i] == ' ')
			i++;
		if (i > MAX_INDENT)
			return 0;
	}
	if (!i || i >= n || line[i] == ' ' || line[i] == '\t')
		return 0;
	ret->kind = PASTE_INDENT;
	ret->width = i;
	ret->sep = line[0];
	return i;
}

size_t fmt_paste_shape(const char *line, size_t n, uint64_t lineno,
		       struct fmt_paste *ret)
{
	size_t k;
	int padded;

	memset(ret, 0, sizeof(*ret));
	ret->lineno = lineno;
	if (!n)
		return 0;
	k = number_shape(line, n, ret, &padded);
	if (k)
		return k < n ? k : 0;	/* something must follow to learn from */
	return indent_shape(line, n, ret);
}

size_t fmt_paste_known(struct fmt_ctx *ctx, const char *line, size_t n,
		       uint64_t lineno)
{
	struct fmt_paste *ps = &ctx->paste, c;
	size_t k;
	int padded;

	switch (ps->kind) {
	case PASTE_INDENT:
		if (n <= ps->width)
			return 0;
		for (k = 0; k < ps->width; k++)
			if (line[k] != ps->sep)
				return 0;
		return ps->width;
	case PASTE_NUMBER:
		k = number_shape(line, n, &c, &padded);
		if (!k || (c.sep != ps->sep && c.sep) ||
		    !(c.width == ps->width || (!padded && c.width > ps->width)))
			return 0;
		if (lineno == ps->lineno && c.num == ps->num)
			return k;	/* the same line, read again */
		if (lineno <= ps->lineno || c.num <= ps->num ||
		    c.num - ps->num > lineno - ps->lineno)
			return 0;
		ps->num = c.num;
		ps->lineno = lineno;
		ps->width = c.width;
		return k;
	case PASTE_NONE:
		break;
	}
	return 0;
}
