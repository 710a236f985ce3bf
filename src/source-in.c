/*
 * source-in.c: the raw block under every source's decoder (source-int.h):
 * bytes read ahead, and the error the source keeps.  Apart from the read
 * stack (source-file.c) because the decoders (source-compress.c) need it
 * and the read stack needs the decoders.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "source-int.h"

int source_fail(struct source *s, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->errmsg, sizeof(s->errmsg), fmt, ap);
	va_end(ap);
	s->err = err;
	return err;
}

ssize_t source_in_need(struct source *s, size_t need)
{
	if (need > SOURCE_IN_SIZE)
		need = SOURCE_IN_SIZE;
	if (s->in_len - s->in_pos >= need || s->in_eof)
		return (ssize_t)(s->in_len - s->in_pos);
	memmove(s->in, s->in + s->in_pos, s->in_len - s->in_pos);
	s->in_len -= s->in_pos;
	s->in_pos = 0;
	while (s->in_len < need && !s->in_eof) {
		ssize_t r = s->raw.read(s->raw.ctx, s->in + s->in_len,
					SOURCE_IN_SIZE - s->in_len);

		if (r < 0) {
			if (!s->err)
				source_fail(s, (int)r, "%s", strerror((int)-r));
			return r;
		}
		if (r == 0)
			s->in_eof = 1;
		s->in_len += (size_t)r;
	}
	return (ssize_t)s->in_len;
}
