/* error.c: how commands talk to the user on stderr. */
#include <stdarg.h>
#include <stdio.h>

#include "cmd.h"
#include "oomlens.h"

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	fputs("oomlens: ", stderr);
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("", fmt, ap);
	va_end(ap);
	return EXIT_RUNTIME;
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
