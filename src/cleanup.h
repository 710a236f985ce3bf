/*
 * cleanup.h: owned locals freed on every return, as systemd does it.
 *
 *	_cleanup_(oom_report_freep) struct oom_report *r = NULL;
 *	...			(early returns free r)
 *	*ret = TAKE_PTR(r);	(handed out: not freed)
 *
 * The cleanup attribute is a GCC/Clang extension; both build oomlens.
 */
#ifndef OOMLENS_CLEANUP_H
#define OOMLENS_CLEANUP_H

#include <stdlib.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

/* The value of p, and p set to NULL: ownership leaves the scope. */
#define TAKE_PTR(p)                                                     \
	({                                                              \
		__typeof__(p) *_pp = &(p), _v = *_pp;                    \
		*_pp = NULL;                                            \
		_v;                                                     \
	})

/* A cleanup function named f##p calling f on a pointer of type t. */
#define DEFINE_POINTER_CLEANUP(t, f)                                    \
	static inline void f##p(t **p)                                  \
	{                                                               \
		if (*p)                                                 \
			f(*p);                                          \
	}

static inline void freep(void *p)
{
	free(*(void **)p);
}

#endif
