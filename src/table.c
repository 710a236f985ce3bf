/* table.c: see table.h. */
#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libsmartcols/libsmartcols.h>

#include "buf.h"
#include "output-formats.h"
#include "table.h"
#include "text.h"
#include "xalloc.h"

#define ELLIPSIS "\xe2\x80\xa6"		/* U+2026 */

int table_parse_output(const struct table_col *cols, size_t n,
		       const char *spec, size_t *sel, size_t *n_sel,
		       size_t max, char **bad)
{
	const char *p = spec;

	*n_sel = 0;
	*bad = NULL;
	if (!strcasecmp(spec, "help"))
		return 1;
	for (;;) {
		size_t len = strcspn(p, ","), k;

		for (k = 0; k < n; k++)
			if (strlen(cols[k].name) == len &&
			    !strncasecmp(cols[k].name, p, len))
				break;
		if (k == n || *n_sel == max) {
			*bad = xstrndup(p, len);
			return -1;
		}
		sel[(*n_sel)++] = k;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

void table_list_columns(FILE *fp, const struct table_col *cols, size_t n)
{
	fputs("Available columns:\n", fp);
	for (size_t i = 0; i < n; i++) {
		fputs("  ", fp);
		text_pad(fp, cols[i].name, 11);
		fprintf(fp, " %s\n", cols[i].help);
	}
}

/* -- the table --------------------------------------------------------- */

struct table {
	const struct table_col *cols;
	size_t *sel, n_sel;
	struct libscols_table *tb;
	struct libscols_line **lines;
	size_t n_lines, alloc;
	int may_drop;
	const char *indent;
	size_t *widest;		/* per selected column: its widest value,
				 * measured once per print (measure()) */
};

struct table *table_new(const struct table_col *cols, const size_t *sel,
			size_t n_sel, const char *sep)
{
	struct table *t = xcalloc(1, sizeof(*t));

	t->cols = cols;
	t->n_sel = n_sel;
	t->sel = xmalloc((n_sel ? n_sel : 1) * sizeof(*t->sel));
	t->widest = xcalloc(n_sel ? n_sel : 1, sizeof(*t->widest));
	memcpy(t->sel, sel, n_sel * sizeof(*sel));
	t->tb = scols_new_table();
	if (!t->tb)
		abort();	/* out of memory, as xmalloc() */
	/* the cells are escaped already: no second encoding */
	scols_table_enable_noencoding(t->tb, 1);
	scols_table_enable_minout(t->tb, 1);
	if (sep)
		scols_table_set_column_separator(t->tb, sep);
	for (size_t i = 0; i < n_sel; i++) {
		const struct table_col *c = &cols[sel[i]];
		int fl = 0;

		if (c->flags & TABLE_TRUNC)
			fl |= SCOLS_FL_TRUNC;
		if (c->flags & TABLE_RIGHT)
			fl |= SCOLS_FL_RIGHT;
		/* (libsmartcols 2.38 aligns no value right in a strict
		 * column as wide as its heading: the heading makes it as wide
		 * anyway) */
		if ((c->flags & TABLE_STRICT) &&
		    c->whint > (double)text_width(c->name, strlen(c->name)))
			fl |= SCOLS_FL_STRICTWIDTH;
		if (!scols_table_new_column(t->tb, c->name, c->whint, fl))
			abort();
	}
	return t;
}

void table_add_row(struct table *t)
{
	struct libscols_line *ln = scols_table_new_line(t->tb, NULL);

	if (!ln)
		abort();
	t->lines = xgrow(t->lines, &t->alloc, t->n_lines + 1,
			 sizeof(*t->lines));
	t->lines[t->n_lines++] = ln;
}

void table_set(struct table *t, size_t col, const char *s)
{
	struct buf b = BUF_INIT;

	if (!t->n_lines || !s)
		return;
	for (size_t i = 0; i < t->n_sel; i++) {
		if (t->sel[i] != col)
			continue;
		out_escape(&b, s, strlen(s), OUT_ESC_BACKSLASH);
		buf_addch(&b, '\0');
		if (scols_line_set_data(t->lines[t->n_lines - 1], i, b.data))
			abort();
		buf_reset(&b);
	}
	buf_release(&b);
}

void table_set_escaped(struct table *t, size_t col, const char *s)
{
	if (!t->n_lines || !s)
		return;
	for (size_t i = 0; i < t->n_sel; i++)
		if (t->sel[i] == col &&
		    scols_line_set_data(t->lines[t->n_lines - 1], i, s))
			abort();
}

void table_set_color(struct table *t, size_t col, const char *color)
{
	if (!t->n_lines)
		return;
	scols_table_enable_colors(t->tb, 1);
	for (size_t i = 0; i < t->n_sel; i++)
		if (t->sel[i] == col &&
		    scols_cell_set_color(scols_line_get_cell(
				t->lines[t->n_lines - 1], i), color))
			abort();
}

void table_set_right(struct table *t, size_t col, int right)
{
	for (size_t i = 0; i < t->n_sel; i++) {
		struct libscols_column *cl = scols_table_get_column(t->tb, i);
		int fl;

		if (t->sel[i] != col || !cl)
			continue;
		fl = scols_column_get_flags(cl) & ~SCOLS_FL_RIGHT;
		scols_column_set_flags(cl, right ? fl | SCOLS_FL_RIGHT : fl);
	}
}

void table_indent(struct table *t, const char *prefix)
{
	t->indent = prefix;
}

void table_no_headings(struct table *t)
{
	scols_table_enable_noheadings(t->tb, 1);
}

size_t table_n_rows(const struct table *t)
{
	return t->n_lines;
}

static void hide_column(struct libscols_column *cl)
{
	scols_column_set_flags(cl, scols_column_get_flags(cl) |
			       SCOLS_FL_HIDDEN);
}

void table_allow_drop(struct table *t)
{
	t->may_drop = 1;
}

void table_hide_if_empty(struct table *t, size_t col)
{
	for (size_t i = 0; i < t->n_sel; i++) {
		struct libscols_column *cl = scols_table_get_column(t->tb, i);
		size_t r;

		if (t->sel[i] != col || !cl)
			continue;
		for (r = 0; r < t->n_lines; r++) {
			struct libscols_cell *ce =
				scols_line_get_cell(t->lines[r], i);
			const char *d = ce ? scols_cell_get_data(ce) : NULL;

			if (d && *d)
				break;
		}
		if (r == t->n_lines)
			hide_column(cl);
	}
}

static const char *cell(const struct table *t, size_t row, size_t i)
{
	struct libscols_cell *ce = scols_line_get_cell(t->lines[row], i);
	const char *d = ce ? scols_cell_get_data(ce) : NULL;

	return d ? d : "";
}

/*
 * The layout on a line of width columns, in w (per selected column; a
 * hidden one 0): libsmartcols 2.38 would cut a value silently, so the
 * widths are chosen here and the values cut to them, each ending in "…",
 * before it prints.  Each column starts as wide as its widest value (and
 * heading, and strict hint); while the line is too long a column that
 * may be cut loses a column, first the one furthest past its share of the
 * width, then the one widest for its share, never below its heading;
 * then (table_allow_drop()) the column of the highest drop goes, and the
 * layout starts over.
 */
/* The widest value of each selected column, in t->widest: measured once
 * for the layout, the cuts and the next chunk's widths. */
static void measure(struct table *t)
{
	for (size_t i = 0; i < t->n_sel; i++) {
		t->widest[i] = 0;
		for (size_t r = 0; r < t->n_lines; r++) {
			const char *d = cell(t, r, i);
			size_t dw = text_width(d, strlen(d));

			if (dw > t->widest[i])
				t->widest[i] = dw;
		}
	}
}

static void layout(struct table *t, size_t width, size_t *w)
{
	size_t n = t->n_sel, *min = xcalloc(n ? n : 1, sizeof(*min));
	const char *sep = scols_table_get_column_separator(t->tb);
	size_t sep_w = sep ? text_width(sep, strlen(sep)) : 1;
	int headings = !scols_table_is_noheadings(t->tb);

	for (;;) {
		size_t total = 0, shown = 0, best = n;
		unsigned best_drop = 0;

		for (size_t i = 0; i < n; i++) {
			struct libscols_column *cl =
				scols_table_get_column(t->tb, i);
			const struct table_col *c = &t->cols[t->sel[i]];
			size_t head = headings ? text_width(c->name,
							    strlen(c->name)) : 0;

			w[i] = 0;
			if (scols_column_is_hidden(cl))
				continue;
			w[i] = head > t->widest[i] ? head : t->widest[i];
			if ((c->flags & TABLE_STRICT) && c->whint >= 1 &&
			    w[i] < (size_t)c->whint)
				w[i] = (size_t)c->whint;
			min[i] = c->flags & TABLE_TRUNC ? (head ? head : 1) : w[i];
			if (min[i] > w[i])
				min[i] = w[i];
			total += w[i];
			shown++;
		}
		total += shown ? (shown - 1) * sep_w : 0;
		while (total > width) {
			size_t k = n, over = 0;
			double ratio = 0;

			/* the column furthest past its share */
			for (size_t i = 0; i < n; i++) {
				size_t hint = (size_t)(t->cols[t->sel[i]].share *
						       (double)width);

				if (hint < min[i])
					hint = min[i];
				if (w[i] > hint && w[i] - hint > over) {
					k = i;
					over = w[i] - hint;
				}
			}
			/* then the one widest for its share (without one:
			 * first) */
			for (size_t i = 0; !over && i < n; i++) {
				double sh = t->cols[t->sel[i]].share * (double)width;
				double q = sh >= 1 ? (double)w[i] / sh
						   : 1e9 + (double)w[i];

				if (w[i] > min[i] && q >= ratio) {
					k = i;
					ratio = q;
				}
			}
			if (k == n)
				break;
			w[k]--;
			total--;
		}
		if (total <= width || !t->may_drop)
			break;
		for (size_t i = 0; i < n; i++)
			if (w[i] && t->cols[t->sel[i]].drop > best_drop) {
				best = i;
				best_drop = t->cols[t->sel[i]].drop;
			}
		if (best == n)
			break;
		hide_column(scols_table_get_column(t->tb, best));
	}
	free(min);
}

/* Cut each value wider than its column to it, ending in "…"; the
 * columns as wide as that (libsmartcols then cuts nothing). */
static void fit(struct table *t, size_t width)
{
	size_t *w = xcalloc(t->n_sel ? t->n_sel : 1, sizeof(*w));
	struct buf b = BUF_INIT;

	layout(t, width, w);
	for (size_t i = 0; i < t->n_sel; i++) {
		struct libscols_column *cl = scols_table_get_column(t->tb, i);

		if (!w[i])
			continue;
		if (scols_column_is_strict_width(cl) &&
		    scols_column_get_whint(cl) > (double)w[i]) {
			const char *h = t->cols[t->sel[i]].name;

			scols_column_set_whint(cl, (double)w[i]);
			if (w[i] <= text_width(h, strlen(h)))	/* as above */
				scols_column_set_flags(cl, scols_column_get_flags(cl) &
						       ~SCOLS_FL_STRICTWIDTH);
		}
		for (size_t r = 0; r < t->n_lines && t->widest[i] > w[i]; r++) {
			const char *d = cell(t, r, i);
			size_t len = strlen(d);

			if (text_width(d, len) <= w[i])
				continue;
			buf_reset(&b);
			buf_add(&b, d, text_fit(d, len, w[i] - 1));
			buf_adds(&b, ELLIPSIS);
			buf_addch(&b, '\0');
			if (scols_line_set_data(t->lines[r], i, b.data))
				abort();
		}
	}
	buf_release(&b);
	free(w);
}

/* s to fp, each line after indent, no blank before a newline, no line
 * wider than width (0: no limit). */
static void put_trimmed(FILE *fp, const char *s, const char *indent,
			size_t width)
{
	size_t in = indent ? text_width(indent, strlen(indent)) : 0;

	width = width > in ? width - in : width ? 1 : 0;
	while (*s) {
		size_t n = strcspn(s, "\n"), end = n;

		while (end && s[end - 1] == ' ')
			end--;
		if (indent && end)
			fputs(indent, fp);
		if (width && text_width(s, end) > width) {
			fwrite(s, 1, text_fit(s, end, width - 1), fp);
			fputs(ELLIPSIS, fp);
		} else {
			fwrite(s, 1, end, fp);
		}
		if (s[n] == '\n')
			fputc('\n', fp);
		s += n + (s[n] == '\n');
	}
}

int table_print(struct table *t, FILE *fp, size_t width)
{
	locale_t old = text_enter_utf8();
	char *s = NULL;
	int r;

	measure(t);
	if (width) {
		size_t in = t->indent ? text_width(t->indent, strlen(t->indent)) : 0;

		fit(t, width > in + 1 ? width - in : 1);
	}
	/* the values fit: libsmartcols only aligns them */
	scols_table_set_termforce(t->tb, SCOLS_TERMFORCE_NEVER);
	r = scols_print_table_to_string(t->tb, &s);
	text_leave_utf8(old);
	if (r)
		return -ENOMEM;
	put_trimmed(fp, s, t->indent, width);
	if (s && *s && s[strlen(s) - 1] != '\n')
		fputc('\n', fp);
	free(s);
	return ferror(fp) ? -EIO : 0;
}

int table_flush(struct table *t, FILE *fp, size_t width)
{
	int r;

	if (!t->n_lines)
		return 0;
	r = table_print(t, fp, width);
	for (size_t i = 0; i < t->n_sel; i++) {
		struct libscols_column *cl = scols_table_get_column(t->tb, i);
		const char *h = t->cols[t->sel[i]].name;
		size_t w = scols_table_is_noheadings(t->tb)
				   ? 0 : text_width(h, strlen(h));

		/* as printed: the widest value, or cut to the terminal */
		if (!width && t->widest[i] > w)
			w = t->widest[i];
		for (size_t row = 0; width && row < t->n_lines; row++) {
			const char *d = cell(t, row, i);
			size_t dw = text_width(d, strlen(d));

			w = dw > w ? dw : w;
		}
		/* a width hint is the least width of a column that may be
		 * wider: the next rows align under these */
		if ((double)w > scols_column_get_whint(cl))
			scols_column_set_whint(cl, (double)w);
	}
	scols_table_remove_lines(t->tb);
	t->n_lines = 0;
	scols_table_enable_noheadings(t->tb, 1);
	return r;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	scols_unref_table(t->tb);
	free(t->lines);
	free(t->sel);
	free(t->widest);
	free(t);
}

/* -- prose ------------------------------------------------------------- */

void text_blanks(FILE *fp, size_t n)
{
	static const char blanks[] = "                                ";

	while (n) {
		size_t k = n < sizeof(blanks) - 1 ? n : sizeof(blanks) - 1;

		fwrite(blanks, 1, k, fp);
		n -= k;
	}
}

void text_pad(FILE *fp, const char *s, size_t width)
{
	size_t len = strlen(s), w = text_width(s, len);

	fwrite(s, 1, len, fp);
	text_blanks(fp, w < width ? width - w : 0);
}

/*
 * Where the pieces of a wrapped line start: under its text after a label
 * ("Time:      year guessed ...", "    victim     java ..."), a first
 * word followed by two blanks or more, or ending in ':', near the start;
 * else under its first character.
 */
static size_t hanging_indent(const char *s, size_t len, size_t lead,
			     size_t width)
{
	size_t i = lead, col;

	while (i < len && s[i] != ' ')
		i++;
	/* "Label:  text", or "Diagnosis: text" (a label as long as
	 * picture_label()'s column leaves one blank) */
	if ((i + 1 < len && s[i + 1] == ' ') ||
	    (i > lead && s[i - 1] == ':' && i < 12)) {
		while (i < len && s[i] == ' ')
			i++;
		col = text_width(s, i);
		if (i < len && i <= 24 && col * 2 <= width)
			return col;
	}
	return lead;
}

/* One line (no newline) to fp, wrapped to width. */
static void wrap_line(FILE *fp, const char *s, size_t len, size_t width)
{
	size_t lead = strspn(s, " "), hang, start, col, i;

	if (lead > len)
		lead = len;
	if (lead * 2 > width)
		lead = 0;
	hang = hanging_indent(s, len, lead, width);
	fwrite(s, 1, lead, fp);
	start = col = i = lead;
	while (i < len) {
		size_t gap = 0, word, ww;

		while (i + gap < len && s[i + gap] == ' ')
			gap++;
		if (i + gap == len)
			break;		/* blanks at the end: dropped */
		for (word = 0; i + gap + word < len && s[i + gap + word] != ' ';
		     word++)
			;
		ww = text_width(s + i + gap, word);
		if (col > start && col + gap + ww <= width) {
			fwrite(s + i, 1, gap + word, fp);
			col += gap + ww;
			i += gap + word;
			continue;
		}
		if (col > start && hang + ww > width && col + gap < width) {
			/* too long for any line: cut from here on */
			fwrite(s + i, 1, gap, fp);
			start = col += gap;
		} else if (col > start) {
			fputc('\n', fp);
			text_blanks(fp, hang);
			start = col = hang;
		}
		i += gap;
		/* a word longer than a line: cut where the line ends */
		while (start + ww > width) {
			size_t n = text_fit(s + i, word, width - start);

			n = n ? n : 1;
			fwrite(s + i, 1, n, fp);
			fputc('\n', fp);
			text_blanks(fp, hang);
			start = hang;
			i += n;
			word -= n;
			ww = text_width(s + i, word);
		}
		fwrite(s + i, 1, word, fp);
		col = start + ww;
		i += word;
	}
	fputc('\n', fp);
}

void text_wrap(FILE *fp, const char *text, size_t len, size_t width)
{
	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t n = nl ? (size_t)(nl - text) : len;

		if (!width || text_width(text, n) <= width) {
			fwrite(text, 1, n, fp);
			if (nl)
				fputc('\n', fp);
		} else {
			wrap_line(fp, text, n, width);
		}
		n += nl != NULL;
		text += n;
		len -= n;
	}
}

FILE *text_out_begin(struct text_out *o, FILE *real)
{
	*o = (struct text_out){ .real = real, .width = term_width(fileno(real)) };
	if (!o->width)
		return real;
	o->mem = open_memstream(&o->data, &o->len);
	return o->mem ? o->mem : real;
}

FILE *text_out_end(struct text_out *o)
{
	if (o->mem) {
		if (fclose(o->mem) == 0)
			text_wrap(o->real, o->data, o->len, o->width);
		free(o->data);
		o->mem = NULL;
		o->data = NULL;
	}
	return o->real;
}
