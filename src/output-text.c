/*
 * output-text.c: hostile text made harmless.  Task names and cgroup paths
 * come from the log, so from whoever named a process: they may hold
 * escape sequences, BEL, C1 controls and bytes that are not UTF-8.  For a
 * terminal they are escaped; for JSON, made valid UTF-8.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json-writer.h"
#include "output-formats.h"
#include "text.h"

static void add_hex(struct buf *b, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };

	buf_add(b, e, 4);
}

size_t out_escape(struct buf *b, const char *s, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t width = 0;

	for (size_t i = 0; i < len;) {
		unsigned char c = p[i];
		size_t n = utf8_seq(p + i, len - i);

		if ((c == '\n' && (flags & OUT_ESC_KEEP_LF)) ||
		    (c == '\t' && (flags & OUT_ESC_KEEP_TAB)) ||
		    (c >= 0x20 && c < 0x7f &&
		     (c != '\\' || !(flags & OUT_ESC_BACKSLASH)))) {
			buf_addch(b, (char)c);
			width++;
			i++;
		} else if (c == '\\') {
			/* a backslash of the text, told from an escape by
			 * being doubled: readable, as in C and JSON */
			buf_add(b, "\\\\", 2);
			width += 2;
			i++;
		} else if (n >= 2 && !utf8_is_c1(p + i, n) &&
			   !out_bidi_control(p + i, n)) {
			/* a printable character; C2 80..C2 9F are C1, and a
			 * bidi control would reorder what follows it on the
			 * terminal (a name shown backwards, "Trojan Source") */
			buf_add(b, p + i, n);
			width++;
			i += n;
		} else {
			/* C0, DEL, C1 (each of its two bytes),
			 * a bidi control, or a byte of no valid sequence */
			n = n ? n : 1;
			for (size_t k = 0; k < n; k++)
				add_hex(b, p[i + k]);
			width += 4 * n;
			i += n;
		}
	}
	return width;
}

int out_bidi_control(const unsigned char *s, size_t n)
{
	/* U+061C ALM: D8 9C */
	if (n == 2)
		return s[0] == 0xd8 && s[1] == 0x9c;
	if (n != 3)
		return 0;
	/* U+200E LRM, U+200F RLM, U+202A-U+202E embeddings and overrides:
	 * E2 80 8E/8F, E2 80 AA-AE; U+2066-U+2069 isolates: E2 81 A6-A9 */
	return s[0] == 0xe2 &&
	       ((s[1] == 0x80 && (s[2] == 0x8e || s[2] == 0x8f ||
				  (s[2] >= 0xaa && s[2] <= 0xae))) ||
		(s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9));
}

/* s with each byte of an invalid sequence replaced by U+FFFD, or NULL
 * when s is valid as it is. */
static char *utf8_fixed(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, n;
	struct buf b = BUF_INIT;

	while (i < len && (n = utf8_seq(p + i, len - i)) > 0)
		i += n;
	if (i == len)
		return NULL;
	buf_add(&b, s, i);
	while (i < len) {
		n = utf8_seq(p + i, len - i);
		if (n) {
			buf_add(&b, p + i, n);
			i += n;
		} else {
			buf_adds(&b, "\xef\xbf\xbd");
			i++;
		}
	}
	return buf_detach(&b, NULL);
}

void out_json_fix_utf8(cJSON *doc)
{
	cJSON *it;

	if (cJSON_IsString(doc) && doc->valuestring) {
		char *fixed = utf8_fixed(doc->valuestring);

		/* cJSON_SetValuestring() copies with cJSON's allocator, so
		 * the document stays its own */
		if (fixed)
			cJSON_SetValuestring(doc, fixed);
		free(fixed);
	}
	cJSON_ArrayForEach(it, doc)
		out_json_fix_utf8(it);
}

int out_json_line_safe(FILE *fp, cJSON *doc)
{
	const unsigned char *p;
	char *s;
	int r = 0;

	out_json_fix_utf8(doc);
	s = cJSON_PrintUnformatted(doc);
	if (!s)
		return -ENOMEM;
	/* valid UTF-8 now, so C2 80..C2 9F are exactly the C1 controls,
	 * and they and DEL occur only inside strings; the runs between
	 * them are written whole */
	p = (const unsigned char *)s;
	while (*p && r == 0) {
		const unsigned char *q = p;

		while (*q && *q != 0x7f &&
		       !(*q == 0xc2 && q[1] >= 0x80 && q[1] <= 0x9f))
			q++;
		if (q > p && fwrite(p, 1, (size_t)(q - p), fp) != (size_t)(q - p))
			r = -EIO;
		if (!*q || r)
			break;
		if (*q == 0x7f) {
			if (fputs("\\u007f", fp) == EOF)
				r = -EIO;
			p = q + 1;
		} else {
			if (fprintf(fp, "\\u%04x", q[1]) < 0)
				r = -EIO;
			p = q + 2;
		}
	}
	if (r == 0 && fputc('\n', fp) == EOF)
		r = -EIO;
	cJSON_free(s);
	return r;
}

/* Bytes for out_json_string(), written a chunk at a time. */
struct json_sink {
	FILE *fp;
	char chunk[4096];
	size_t n;
	int err;
};

static void sink_add(struct json_sink *k, const void *p, size_t n)
{
	if (k->n + n > sizeof(k->chunk)) {
		if (fwrite(k->chunk, 1, k->n, k->fp) != k->n)
			k->err = -EIO;
		k->n = 0;
	}
	memcpy(k->chunk + k->n, p, n);
	k->n += n;
}

int out_json_string(FILE *fp, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	struct json_sink k = { .fp = fp };

	sink_add(&k, "\"", 1);
	for (size_t i = 0; i < len && !k.err;) {
		char out[6];
		size_t out_len;

		i += jw_char(p + i, len - i, out, &out_len);
		sink_add(&k, out, out_len);
	}
	sink_add(&k, "\"", 1);
	if (!k.err && fwrite(k.chunk, 1, k.n, fp) != k.n)
		k.err = -EIO;
	return k.err;
}
