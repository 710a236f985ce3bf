/*
 * struct buf: a growable byte string.
 *  - data is never NULL and always NUL-terminated, even when len == 0;
 *  - set up with BUF_INIT; buf_release() frees and leaves it as if new.
 * Depends on xalloc only.
 */
#ifndef OOMLENS_BUF_H
#define OOMLENS_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	size_t alloc;
	size_t len;
	char *data;
};
extern char buf_empty[];
#define BUF_INIT { 0, 0, buf_empty }

void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
void buf_reset(struct buf *b);
/* Cut to len bytes (len <= b->len). */
void buf_truncate(struct buf *b, size_t len);
void buf_release(struct buf *b);
/* The caller free()s the result; b is left as if new. */
char *buf_detach(struct buf *b, size_t *ret_len);

#endif
