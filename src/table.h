/*
 * table.h: output fitted to the terminal.  Tables are libsmartcols' (as
 * lsblk's and findmnt's): columns sized to what they hold, shrunk to the
 * width when it is short, a cut value ending in "…"; --output picks the
 * columns.  Prose is wrapped at word boundaries.  Widths count columns
 * on the screen (wcwidth: a CJK character takes two).
 *
 * The width of an output is the terminal's when it is one, else $COLUMNS
 * when set, else unlimited (0): a pipe or a file gets every value whole.
 */
#ifndef OOMLENS_TABLE_H
#define OOMLENS_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "text.h"

enum table_col_flags {
	TABLE_TRUNC = 1 << 0,	/* may be cut (with "…") to fit the width */
	TABLE_RIGHT = 1 << 1,	/* right-aligned (numbers) */
	TABLE_STRICT = 1 << 2,	/* never narrower than its whint (unless
				 * cut to fit a short width) */
};

struct table_col {
	const char *name;	/* the heading, and the name --output takes */
	double whint;		/* with TABLE_STRICT: the least width */
	unsigned flags;		/* enum table_col_flags */
	const char *help;	/* one line for --output help */
	/* When even cut the columns do not fit: the one of the highest
	 * drop (> 0) is left out first (table_allow_drop()). */
	unsigned char drop;
	/* The share of a short width a column that may be cut keeps before
	 * the others are cut to theirs (0: none). */
	double share;
};

/* The columns of an --output spec (comma-separated names, any case) into
 * sel (indexes into cols, at most max).  Returns 0, 1 for "help", or -1
 * (*bad: the unknown name, to free) for a name not in cols. */
int table_parse_output(const struct table_col *cols, size_t n,
		       const char *spec, size_t *sel, size_t *n_sel,
		       size_t max, char **bad);
/* "Available columns:" and a line for each, on fp. */
void table_list_columns(FILE *fp, const struct table_col *cols, size_t n);

struct table;

/* A table of the columns sel (indexes into cols, which must outlive it),
 * separated by sep. */
struct table *table_new(const struct table_col *cols, const size_t *sel,
			size_t n_sel, const char *sep);
/* Start a row; then table_set() its cells (those not set stay empty). */
void table_add_row(struct table *t);
/* The cell of column col (an index into cols: ignored when not
 * selected) of the last row: s escaped (out_escape()), NULL empty. */
void table_set(struct table *t, size_t col, const char *s);
/* The same for text escaped already (out_escape(): printable only). */
void table_set_escaped(struct table *t, size_t col, const char *s);
/* The colour (a name: "red", "blue", ...) of the last row's cell of
 * column col, when it is shown on a terminal that takes colours. */
void table_set_color(struct table *t, size_t col, const char *color);
/* Align column col (an index into cols) right, or left, from the next
 * print on: for a command that learns from its rows what they hold. */
void table_set_right(struct table *t, size_t col, int right);
/* Start every line with prefix (blanks: an indent). */
void table_indent(struct table *t, const char *prefix);
/* No heading line. */
void table_no_headings(struct table *t);
size_t table_n_rows(const struct table *t);
/* Let table_print() leave columns out, by their drop, when the width is
 * too short for them all (the columns the user chose are all shown). */
void table_allow_drop(struct table *t);
/* Leave column col out (heading too) when it is empty in every row. */
void table_hide_if_empty(struct table *t, size_t col);
/* Print the heading and the rows to fp fitted to width (0: unlimited):
 * no line is wider (what still is gets cut, ending in "…"), no blank at
 * a line's end.  0 or -EIO (-ENOMEM). */
int table_print(struct table *t, FILE *fp, size_t width);
/* The same for the rows so far, then forgets them: the heading is not
 * printed again and the columns stay at least as wide as printed, so a
 * long listing goes out a chunk at a time in flat memory, later rows
 * aligned under the first (wider only where a value must be).  0 or
 * -EIO (-ENOMEM). */
int table_flush(struct table *t, FILE *fp, size_t width);
void table_free(struct table *t);

/* A label layout ("Victim:   postgres"): s (printable: escaped, or our
 * words) to fp, then blanks to width columns on the screen, a CJK
 * character taking two; none when s is as wide already. */
void text_pad(FILE *fp, const char *s, size_t width);
/* n blanks to fp. */
void text_blanks(FILE *fp, size_t n);

/* Copy text to fp, each line longer than width (0: none is) broken at
 * spaces, its pieces indented as it is. */
void text_wrap(FILE *fp, const char *text, size_t len, size_t width);

/* A command's prose wrapped to its output's width: print to what
 * text_out_begin() returns, then text_out_end() wraps it onto real and
 * returns real.  Nothing is held back when the width is unlimited. */
struct text_out {
	FILE *real, *mem;
	char *data;
	size_t len, width;
};
FILE *text_out_begin(struct text_out *o, FILE *real);
FILE *text_out_end(struct text_out *o);

#endif
