/*
 * xalloc.h: allocation that never returns NULL.  Running out of memory is
 * the one failure we do not try to survive: abort() is the only way out,
 * and it lives here.
 */
#ifndef OOMLENS_XALLOC_H
#define OOMLENS_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Grow *p (nmemb elements of size) to hold at least need; doubles. */
void *xgrow(void *p, size_t *alloc, size_t need, size_t size);

#endif
