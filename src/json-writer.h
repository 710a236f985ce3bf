/*
 * json-writer.h: JSON written straight into a buffer, member by member,
 * without a cJSON tree (the export's ECS, HEC and OTel documents).
 *
 * Strings come out byte for byte as out_json_line_safe() prints a cJSON
 * string; keys are our own words and are not escaped.  The NUL after the
 * text is the caller's to put, once, at the end of a document.
 */
#ifndef OOMLENS_JSON_WRITER_H
#define OOMLENS_JSON_WRITER_H

#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "text.h"

#define JW_DEPTH 32

/* buf_add() without its call and its NUL after every byte: the NUL is
 * put once, at the end of the document (out_ecs_write()). */
static inline void put(struct buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->alloc)
		buf_grow(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static inline void putc1(struct buf *b, char c)
{
	if (b->len + 2 > b->alloc)
		buf_grow(b, 1);
	b->data[b->len++] = c;
}

static inline void puts0(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* A JSON writer: where a comma is due, one flag per open container. */
struct jw {
	struct buf *b;
	int depth;
	unsigned char more[JW_DEPTH];	/* the container has a member */
};

/*
 * The character at p (left bytes, at least 1) as out_json_line_safe()
 * prints it in a cJSON string: a byte of an invalid UTF-8 sequence as
 * U+FFFD (out_json_fix_utf8()), cJSON's escapes (", \, \b \f \n \r
 * \t, other C0 as \u00xx), DEL and the C1 controls as \u00xx, else
 * itself.  Puts its JSON (at most 6 bytes) in out and its length in
 * *out_len; returns the bytes of p it takes.  jw_string() and
 * out_json_string() share it, so that both write the same.
 */
static inline size_t jw_char(const unsigned char *p, size_t left,
			     char out[6], size_t *out_len)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c = p[0];
	size_t n = utf8_seq(p, left);

	out[0] = '\\';
	*out_len = 2;
	if (c == '"' || c == '\\') {
		out[1] = (char)c;
	} else if (c == '\b' || c == '\f' || c == '\n' || c == '\r' ||
		   c == '\t') {
		out[1] = c == '\b' ? 'b' : c == '\f' ? 'f' : c == '\n' ? 'n'
		       : c == '\r' ? 'r' : 't';
	} else if (c < 0x20 || c == 0x7f || utf8_is_c1(p, n)) {
		unsigned char x = n == 2 ? p[1] : c;

		memcpy(out + 1, "u00", 3);
		out[4] = hex[x >> 4];
		out[5] = hex[x & 15];
		*out_len = 6;
	} else if (n) {
		memcpy(out, p, n);
		*out_len = n;
	} else {
		memcpy(out, "\xef\xbf\xbd", 3);	/* U+FFFD */
		*out_len = 3;
	}
	return n ? n : 1;
}

/* s up to its NUL, as jw_char() writes each character. */
static inline void jw_string(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, run = 0;

	putc1(b, '"');
	while (i < len) {
		unsigned char c = p[i];
		char out[6];
		size_t out_len;

		/* the common case, printable ASCII, is copied a run at a time */
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			run++;
			i++;
			continue;
		}
		put(b, p + i - run, run);
		run = 0;
		i += jw_char(p + i, len - i, out, &out_len);
		put(b, out, out_len);
	}
	put(b, p + i - run, run);
	putc1(b, '"');
}

/* The comma and "key": before a member (key NULL: an array's). */
static inline void jw_key(struct jw *w, const char *key)
{
	if (w->more[w->depth])
		putc1(w->b, ',');
	w->more[w->depth] = 1;
	if (key) {
		/* keys are our own words: nothing to escape */
		putc1(w->b, '"');
		puts0(w->b, key);
		put(w->b, "\":", 2);
	}
}

static inline void jw_open(struct jw *w, const char *key, char bracket)
{
	jw_key(w, key);
	putc1(w->b, bracket);
	if (w->depth + 1 < JW_DEPTH)
		w->depth++;
	w->more[w->depth] = 0;
}

static inline void jw_obj(struct jw *w, const char *key)
{
	jw_open(w, key, '{');
}

static inline void jw_arr(struct jw *w, const char *key)
{
	jw_open(w, key, '[');
}

static inline void jw_close(struct jw *w, char bracket)
{
	putc1(w->b, bracket);
	if (w->depth)
		w->depth--;
}

static inline void jw_end(struct jw *w)
{
	jw_close(w, '}');
}

static inline void jw_end_arr(struct jw *w)
{
	jw_close(w, ']');
}

/* Nothing when s is NULL: unknown stays absent (out_json_add_str()). */
static inline void jw_str(struct jw *w, const char *key, const char *s)
{
	if (!s)
		return;
	jw_key(w, key);
	jw_string(w->b, s);
}

/* v in decimal, as "%" PRIu64 writes it: without snprintf(), which was
 * a tenth of writing a document */
static inline void put_u64(struct buf *b, uint64_t v)
{
	char t[20];
	size_t i = sizeof(t);

	do {
		t[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(b, t + i, sizeof(t) - i);
}

static inline void jw_u64(struct jw *w, const char *key, uint64_t v)
{
	jw_key(w, key);
	put_u64(w->b, v);
}

static inline void jw_i64(struct jw *w, const char *key, int64_t v)
{
	jw_key(w, key);
	if (v < 0)
		putc1(w->b, '-');
	/* the magnitude as unsigned: INT64_MIN too */
	put_u64(w->b, v < 0 ? -(uint64_t)v : (uint64_t)v);
}

static inline void jw_bool(struct jw *w, const char *key, int v)
{
	jw_key(w, key);
	puts0(w->b, v ? "true" : "false");
}

#endif
