/* test-table.c: output fitted to a width (src/table.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "picture.h"
#include "table.h"

/* CJK "database" (3 characters, 6 columns) */
#define CJK "\xe6\x95\xb0\xe6\x8d\xae\xe5\xba\x93"
#define ELLIPSIS "\xe2\x80\xa6"

static void test_width(void)
{
	CHECK_EQ(text_width("abc", 3), 3);
	CHECK_EQ(text_width(CJK, strlen(CJK)), 6);
	CHECK_EQ(text_width("a" ELLIPSIS, 4), 2);
	/* a colour takes no column */
	CHECK_EQ(text_width("\033[31mab\033[0m", 11), 2);
	/* what fits: never half a wide character */
	CHECK_EQ(text_fit(CJK, strlen(CJK), 5), 6);
	CHECK_EQ(text_fit(CJK, strlen(CJK), 1), 0);
	CHECK_EQ(text_fit("abcdef", 6, 4), 4);
}

/* Print the table of rows (3 columns: ID, HOST, PATH) at width into a
 * string (the caller frees it). */
static char *render(const char *const rows[][3], size_t n, size_t width,
		    const char *output)
{
	static const struct table_col cols[] = {
		{ .name = "ID", .flags = TABLE_RIGHT, .help = "id" },
		{ .name = "HOST", .flags = TABLE_TRUNC, .share = 0.5,
		  .help = "host" },
		{ .name = "PATH", .flags = TABLE_TRUNC, .share = 0.2,
		  .help = "path", .drop = 1 },
	};
	size_t sel[6] = { 0, 1, 2 }, n_sel = 3;
	char *s = NULL, *bad = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	struct table *t;

	if (output && table_parse_output(cols, 3, output, sel, &n_sel, 6,
					 &bad) != 0) {
		free(bad);
		fclose(f);
		free(s);
		return NULL;
	}
	t = table_new(cols, sel, n_sel, NULL);
	if (!output)
		table_allow_drop(t);
	for (size_t i = 0; i < n; i++) {
		table_add_row(t);
		for (size_t c = 0; c < 3; c++)
			table_set(t, c, rows[i][c]);
	}
	CHECK_EQ(table_print(t, f, width), 0);
	table_free(t);
	fclose(f);
	return s;
}

static size_t widest(const char *s)
{
	size_t max = 0;

	while (*s) {
		size_t n = strcspn(s, "\n"), w = text_width(s, n);

		if (w > max)
			max = w;
		s += n + (s[n] == '\n');
	}
	return max;
}

static void test_table(void)
{
	static const char *const rows[][3] = {
		{ "1", "ip-10-0-1-103.us-west-2.compute.internal",
		  "/system.slice/postgresql.service" },
		{ "22", CJK, "/" },
		{ "3", "bad\033]0;x\x07name", "-" },
	};
	char *s;

	/* unlimited: every value whole, no blank at a line's end */
	s = render(rows, 3, 0, NULL);
	CHECK(strstr(s, "ip-10-0-1-103.us-west-2.compute.internal ") != NULL,
	      "%s", s);
	CHECK(!strstr(s, " \n"), "%s", s);
	CHECK(!strstr(s, ELLIPSIS), "%s", s);
	/* escaped: no control byte reaches the terminal */
	CHECK(strstr(s, "bad\\x1b]0;x\\x07name") != NULL, "%s", s);
	CHECK(!strchr(s, '\033') && !strchr(s, '\a'), "%s", s);
	/* the CJK host takes 6 columns: PATH starts in one column */
	CHECK(strstr(s, "\n22 " CJK "                                   /\n")
	      != NULL, "%s", s);
	free(s);

	/* 70: the path is cut, the host keeps its share */
	s = render(rows, 3, 70, NULL);
	CHECK(widest(s) <= 70, "%zu: %s", widest(s), s);
	CHECK(strstr(s, "ip-10-0-1-103.us-west-2.compute.internal ") != NULL,
	      "%s", s);
	CHECK(strstr(s, "/system.sl") != NULL && strstr(s, ELLIPSIS "\n"),
	      "%s", s);
	free(s);
	/* 60: both cut, each marked */
	s = render(rows, 3, 60, NULL);
	CHECK(widest(s) <= 60, "%zu: %s", widest(s), s);
	CHECK(strstr(s, "ip-10-0-1-103.us-west-2.com") &&
	      strstr(s, ELLIPSIS " /system.sl") && strstr(s, ELLIPSIS "\n"),
	      "%s", s);
	free(s);

	/* 30: the host is cut too, never silently */
	s = render(rows, 3, 30, NULL);
	CHECK(widest(s) <= 30, "%zu: %s", widest(s), s);
	CHECK(strstr(s, "ip-10-0-1-1") && strstr(s, ELLIPSIS), "%s", s);
	free(s);

	/* 10: PATH left out (its drop), the host cut to what is left */
	s = render(rows, 3, 10, NULL);
	CHECK(widest(s) <= 10, "%zu: %s", widest(s), s);
	CHECK(!strstr(s, "PATH"), "%s", s);
	free(s);

	/* --output: those columns in that order, any case */
	s = render(rows, 3, 0, "path,id");
	CHECK(!strncmp(s, "PATH                             ID\n", 36), "%s", s);
	free(s);
	CHECK(render(rows, 3, 0, "id,nope") == NULL, "an unknown column");
}

static void test_wrap(void)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	const char *text = "  one two three four five six seven\nshort\n"
			   "  a-very-long-word-indeed x\n";

	text_wrap(f, text, strlen(text), 14);
	fclose(f);
	CHECK_STR(s, "  one two\n  three four\n  five six\n  seven\nshort\n"
		     "  a-very-long-\n  word-indeed\n  x\n");
	free(s);

	/* unlimited: as it is */
	s = NULL;
	f = open_memstream(&s, &len);
	text_wrap(f, text, strlen(text), 0);
	fclose(f);
	CHECK_STR(s, text);
	free(s);

	/* under a label's text; a word too long for any line cut where it
	 * stands */
	s = NULL;
	f = open_memstream(&s, &len);
	text = "Time:   one two three four\nSource: /a/very/long/path/name\n";
	text_wrap(f, text, strlen(text), 16);
	fclose(f);
	CHECK_STR(s, "Time:   one two\n        three\n        four\n"
		     "Source: /a/very/\n        long/pat\n        h/name\n");
	free(s);

	/* CJK counts two columns a character */
	s = NULL;
	f = open_memstream(&s, &len);
	text_wrap(f, CJK " " CJK " " CJK, strlen(CJK) * 3 + 2, 13);
	fclose(f);
	CHECK_STR(s, CJK " " CJK "\n" CJK "\n");
	free(s);
}

/* Label layouts measure what they pad: a CJK character takes two
 * columns, so a CJK label is padded less than its bytes would say. */
static void test_pad(void)
{
	static const struct table_col cols[] = {
		{ .name = CJK, .help = "cjk" },
		{ .name = "ID", .help = "id" },
	};
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	text_pad(f, CJK ":", 10);
	fputs("|\n", f);
	text_pad(f, "Victim:", 10);
	fputs("|\n", f);
	text_pad(f, "a-label-too-wide", 10);
	fputs("|\n", f);
	picture_label(f, CJK ":");
	fputs("|\n", f);
	table_list_columns(f, cols, 2);
	fclose(f);
	CHECK_STR(s, CJK ":   |\n"
		     "Victim:   |\n"
		     "a-label-too-wide|\n"
		     CJK ":    |\n"
		     "Available columns:\n"
		     "  " CJK "      cjk\n"
		     "  ID          id\n");
	free(s);
}

/* A column right-aligned from the next print on (sql's numbers). */
static void test_right(void)
{
	static const struct table_col cols[] = {
		{ .name = "N", .help = "n" },
		{ .name = "T", .help = "t" },
	};
	size_t sel[] = { 0, 1 };
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	struct table *t = table_new(cols, sel, 2, "  ");

	table_add_row(t);
	table_set(t, 0, "12345");
	table_set(t, 1, "x");
	table_add_row(t);
	table_set(t, 0, "7");
	table_set(t, 1, "\x1b[2J");
	table_set_right(t, 0, 1);
	CHECK_EQ(table_flush(t, f, 0), 0);
	table_add_row(t);
	table_set(t, 0, "1234567");
	table_flush(t, f, 0);
	table_free(t);
	fclose(f);
	CHECK_STR(s, "    N  T\n"
		     "12345  x\n"
		     "    7  \\x1b[2J\n"
		     "1234567\n");
	free(s);
}

int main(void)
{
	test_width();
	test_table();
	test_wrap();
	test_pad();
	test_right();
	return check_done("test-table");
}
