/*
 * html-text.c: text from the log made safe for the page (html.h,
 * html-int.h), for every section of the report.
 */
#include <inttypes.h>
#include <string.h>

#include "buf.h"
#include "html-int.h"
#include "output-formats.h"
#include "text.h"

void html_escape(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);

	while (*p) {
		size_t l;

		switch (*p) {
		case '&': buf_adds(b, "&amp;"); p++; n--; continue;
		case '<': buf_adds(b, "&lt;"); p++; n--; continue;
		case '>': buf_adds(b, "&gt;"); p++; n--; continue;
		case '"': buf_adds(b, "&quot;"); p++; n--; continue;
		case '\'': buf_adds(b, "&#39;"); p++; n--; continue;
		}
		if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f) {
			buf_adds(b, "\xef\xbf\xbd");
			p++, n--;
			continue;
		}
		l = utf8_seq(p, n);
		if (!l || utf8_is_c1(p, l) ||
		    out_bidi_control(p, l)) {
			/* no valid sequence, a C1 control, or a bidi control
			 * that would reorder the page's text */
			buf_adds(b, "\xef\xbf\xbd");
			l = l ? l : 1;
		} else {
			buf_add(b, p, l);
		}
		p += l;
		n -= l;
	}
}

/* "pytest (pid 3456)" */
void html_who(struct buf *b, const char *name, int64_t pid)
{
	html_escape(b, name);
	buf_addf(b, " (pid %" PRId64 ")", pid);
}
