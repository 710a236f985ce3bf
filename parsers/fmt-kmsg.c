/*
 * fmt-kmsg.c: /dev/kmsg records as read by cat, saved by collectors, or
 * dumped by tools (reference §4.3):
 *
 *   "<prio>,<seq>,<usec>,<flag>[,caller=T123][,<more>];<text>"
 *   " KEY=VALUE" dictionary lines after it (fmt.c skips them)
 *
 * prio is (facility << 3) | level: facility 0 is the kernel, anything else
 * was written to /dev/kmsg by userspace.  flag is '-', or in 3.5-5.9 'c'
 * for the first and '+' for the later pieces of a KERN_CONT line that
 * could not be merged.  Bytes < 0x20, >= 0x7f and '\' in the text arrive
 * as "\xNN": decoded here, so a multi-line record ("\x0a") becomes a body
 * with real newlines for the joiner to split, and a comm with odd bytes
 * reads as the kernel wrote it.
 */
#include <string.h>

#include "fmt.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decimal at line + *i up to a ',' or ';'; 0 when there is none. */
static int number(const char *line, size_t len, size_t *i, uint64_t *ret)
{
	size_t i0 = *i;
	uint64_t v = 0;

	for (; *i < len && line[*i] >= '0' && line[*i] <= '9'; (*i)++) {
		if (*i - i0 >= 19)
			return 0;
		v = v * 10 + (uint64_t)(line[*i] - '0');
	}
	*ret = v;
	return *i > i0;
}

int fmt_kmsg(struct fmt_ctx *ctx, const char *line, size_t len,
	     struct log_line *out)
{
	uint64_t prio, seq, usec;
	size_t i = 0, t;
	const char *semi;
	char flag;

	if (!number(line, len, &i, &prio) || i >= len || line[i++] != ',' ||
	    !number(line, len, &i, &seq) || i >= len || line[i++] != ',' ||
	    !number(line, len, &i, &usec) || i + 1 >= len || line[i++] != ',')
		return 0;
	flag = line[i++];
	if (flag != '-' && flag != 'c' && flag != '+')
		return 0;
	if (i >= len || (line[i] != ';' && line[i] != ','))
		return 0;
	semi = memchr(line + i, ';', len - i);
	if (!semi)
		return 0;
	/* optional fields: "caller=T123"; others are ignored */
	while (i < (size_t)(semi - line) && line[i] == ',') {
		size_t f0 = ++i;

		while (i < (size_t)(semi - line) && line[i] != ',')
			i++;
		if (i - f0 > 7 && !memcmp(line + f0, "caller=", 7)) {
			out->caller = line + f0 + 7;
			out->caller_len = i - f0 - 7;
		}
	}
	t = (size_t)(semi + 1 - line);
	buf_reset(&ctx->dec);
	for (size_t k = t; k < len;) {
		const char *bs = memchr(line + k, '\\', len - k);
		size_t run = bs ? (size_t)(bs - line) - k : len - k;
		int hi, lo;

		buf_add(&ctx->dec, line + k, run);
		k += run;
		if (k >= len)
			break;
		if (k + 3 < len && line[k + 1] == 'x' &&
		    (hi = hexval(line[k + 2])) >= 0 &&
		    (lo = hexval(line[k + 3])) >= 0) {
			buf_addch(&ctx->dec, (char)(hi << 4 | lo));
			k += 4;
		} else {
			buf_addch(&ctx->dec, line[k++]);
		}
	}
	out->fmt = FMT_KMSG;
	out->body = ctx->dec.data;
	out->body_len = ctx->dec.len;
	out->prefix_len = t;
	out->kernel = (prio >> 3) == 0;
	out->seq = seq;
	out->ktime_us = (int64_t)usec;
	out->known |= LL_SEQ | LL_KTIME;
	out->cont = flag == '-' ? 0 : flag;
	return 1;
}
