/* test-chart.c: the terminal pictures of src/chart.c. */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "chart.h"
#include "check.h"

/* Columns of a picture: code points, ANSI escapes skipped. */
static int columns(const char *s)
{
	int n = 0;

	while (*s) {
		if (*s == '\033') {
			while (*s && *s != 'm')
				s++;
			if (*s)
				s++;
			continue;
		}
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
		s++;
	}
	return n;
}

static int count(const char *s, const char *needle)
{
	int n = 0;
	size_t l = strlen(needle);

	for (const char *p = strstr(s, needle); p; p = strstr(p + l, needle))
		n++;
	return n;
}

static void test_flags(void)
{
	CHECK_EQ(chart_flags("UTF-8", NULL, 0, NULL), CHART_UNICODE);
	CHECK_EQ(chart_flags("utf8", NULL, 0, NULL), CHART_UNICODE);
	CHECK_EQ(chart_flags("ANSI_X3.4-1968", "C", 0, NULL), 0);
	CHECK_EQ(chart_flags("ISO-8859-1", "de_DE", 0, NULL), 0);
	/* a codeset from setlocale() has the last word */
	CHECK_EQ(chart_flags("ANSI_X3.4-1968", "en_US.UTF-8", 0, NULL), 0);
	/* setlocale() failed (locale not installed): the name decides */
	CHECK_EQ(chart_flags(NULL, "en_US.UTF-8", 0, NULL), CHART_UNICODE);
	CHECK_EQ(chart_flags(NULL, "POSIX", 0, NULL), 0);
	CHECK_EQ(chart_flags(NULL, NULL, 0, NULL), 0);
	/* colour: a terminal, and NO_COLOR unset or empty */
	CHECK_EQ(chart_flags("UTF-8", NULL, 1, NULL),
		 CHART_UNICODE | CHART_COLOR);
	CHECK_EQ(chart_flags("UTF-8", NULL, 1, ""),
		 CHART_UNICODE | CHART_COLOR);
	CHECK_EQ(chart_flags("UTF-8", NULL, 1, "1"), CHART_UNICODE);
	CHECK_EQ(chart_flags("C", NULL, 1, NULL), CHART_COLOR);
}

static void test_bar(void)
{
	struct buf b = BUF_INIT;

	chart_bar(&b, 0.5, 10, CHART_RED, 0);
	CHECK_STR(b.data, "#####     ");
	buf_reset(&b);
	chart_bar(&b, 0, 4, CHART_RED, 0);
	CHECK_STR(b.data, "    ");
	buf_reset(&b);
	chart_bar(&b, 7.0, 4, CHART_RED, 0);	/* clamped */
	CHECK_STR(b.data, "####");
	buf_reset(&b);
	chart_bar(&b, -1, 3, CHART_RED, 0);
	CHECK_STR(b.data, "   ");
	buf_reset(&b);
	/* 0.34375 of 4 cells = 1 cell and 3/8 */
	chart_bar(&b, 0.34375, 4, CHART_RED, CHART_UNICODE);
	CHECK_STR(b.data, "█▍  ");
	CHECK_EQ(columns(b.data), 4);
	buf_reset(&b);
	chart_bar(&b, 1, 3, CHART_RED, CHART_UNICODE);
	CHECK_STR(b.data, "███");
	buf_reset(&b);
	/* colour wraps the fill only, and never without CHART_COLOR */
	chart_bar(&b, 0.5, 4, CHART_RED, CHART_COLOR);
	CHECK_STR(b.data, "\033[31m##\033[0m  ");
	CHECK_EQ(columns(b.data), 4);
	buf_reset(&b);
	chart_bar(&b, 0, 4, CHART_RED, CHART_COLOR);
	CHECK_STR(b.data, "    ");
	buf_release(&b);
}

static void test_stack(void)
{
	struct chart_seg s[3] = {
		{ 30, "█", '#', CHART_BLUE },
		{ 20, "▓", '%', CHART_MAGENTA },
		{ 10, "▒", '=', CHART_CYAN },
	};
	struct buf b = BUF_INIT;

	chart_stack(&b, s, 3, 100, 10, 0);
	CHECK_STR(b.data, "###%%=    ");
	buf_reset(&b);
	chart_stack(&b, s, 3, 100, 10, CHART_UNICODE);
	CHECK_STR(b.data, "███▓▓▒    ");
	CHECK_EQ(columns(b.data), 10);
	buf_reset(&b);
	/* more than the total: drawn as the total, never wider */
	chart_stack(&b, s, 3, 40, 8, 0);
	CHECK_STR(b.data, "######%%");
	buf_reset(&b);
	/* cumulative rounding: three thirds fill all the cells */
	s[0].value = s[1].value = s[2].value = 1;
	chart_stack(&b, s, 3, 3, 10, 0);
	CHECK_EQ(strlen(b.data), 10);
	CHECK_EQ(count(b.data, " "), 0);
	buf_reset(&b);
	chart_stack(&b, s, 3, 0, 5, 0);
	CHECK_STR(b.data, "     ");
	buf_reset(&b);
	chart_stack(&b, s, 3, 3, 6, CHART_COLOR);
	CHECK_STR(b.data, "\033[34m##\033[0m\033[35m%%\033[0m\033[36m==\033[0m");
	buf_reset(&b);
	chart_glyph(&b, &s[1], CHART_UNICODE);
	CHECK_STR(b.data, "▓");
	buf_release(&b);
}

static void test_gauge(void)
{
	struct buf b = BUF_INIT;

	/* free 30 of 100, min at 50: below the mark */
	chart_gauge(&b, 30, 50, 100, 10, 0);
	CHECK_STR(b.data, "===  |    ");
	buf_reset(&b);
	chart_gauge(&b, 80, 50, 100, 10, CHART_UNICODE);
	CHECK_STR(b.data, "█████┃██  ");
	CHECK_EQ(columns(b.data), 10);
	buf_reset(&b);
	/* the mark stays inside */
	chart_gauge(&b, 10, 100, 100, 4, 0);
	CHECK_STR(b.data, "   |");
	buf_reset(&b);
	chart_gauge(&b, 10, 10, 0, 4, 0);
	CHECK_STR(b.data, "    ");
	buf_reset(&b);
	/* red below the mark, green at or above it; balanced escapes */
	chart_gauge(&b, 30, 50, 100, 10, CHART_COLOR);
	CHECK(strstr(b.data, "\033[31m===\033[0m") != NULL, "%s", b.data);
	CHECK_EQ(columns(b.data), 10);
	buf_reset(&b);
	chart_gauge(&b, 80, 50, 100, 10, CHART_COLOR);
	CHECK_EQ(count(b.data, "\033[32m"), 2);
	CHECK_EQ(count(b.data, "\033[0m"), 3);
	CHECK_EQ(columns(b.data), 10);
	buf_release(&b);

	CHECK_STR(chart_left(0), "[");
	CHECK_STR(chart_right(CHART_UNICODE), "▏");
}

int main(void)
{
	test_flags();
	test_bar();
	test_stack();
	test_gauge();
	return check_done("test-chart");
}
