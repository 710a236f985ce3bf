/* error.c: how commands talk to the user on stderr. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "buf.h"
#include "cmd.h"
#include "oomlens.h"
#include "output-formats.h"

/* A message may quote what an input holds (a path, an archive member's
 * name, a line): escaped for the terminal like every name, so that no
 * escape sequence or bidi control in it reaches the user's screen. */
static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	struct buf msg = BUF_INIT, safe = BUF_INIT;

	buf_vaddf(&msg, fmt, ap);
	out_escape(&safe, msg.data, msg.len, OUT_ESC_KEEP_TAB);
	fprintf(stderr, "oomlens: %s%s\n", prefix, safe.data);
	buf_release(&msg);
	buf_release(&safe);
}

static int first_output_errno;

void output_failed(void)
{
	if (!first_output_errno)
		first_output_errno = errno;
}

int output_errno(void)
{
	return first_output_errno ? first_output_errno : errno;
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
	return EXIT_RUNTIME;
}

int nothing(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
	return EXIT_NOTHING;
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

int cmd_usage_error(const struct cmd_entry *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
	if (e)
		fprintf(stderr, "usage: oomlens %s\n", e->usage);
	else
		fputs("usage: oomlens [--db PATH] <command> [<args>]\n", stderr);
	return EXIT_USAGE;
}
