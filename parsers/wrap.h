/*
 * wrap.h: a log line that a terminal, fold(1), a mail program or a wiki
 * wrapped, put back together (issue 17, class 4).
 *
 * fold(1) and terminals cut every long line at one width, inside words; a
 * mail program or a wiki breaks at the last blank before its width and
 * may drop that blank; a person may split a line anywhere.  The pieces
 * have no container prefix.  A piece joins the line before it when a wrap
 * explains it (the widths) and it is no line of its own, or when it
 * completes a known pattern the line before left unfinished, on either
 * side of the wrap.  In bare text (no container) only the patterns can
 * tell.  The scanner (scan.c) looks back through pieces to their head
 * when an anchor sits on a later piece.
 */
#ifndef OOMLENS_WRAP_H
#define OOMLENS_WRAP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "fmt.h"

struct classifier;

/* A prefixed physical line this long may have been wrapped by a terminal,
 * fold(1) or a mail program: look at the next line. */
#define WRAP_MIN 60
/* A mail program or a wiki wraps at the last blank before its width
 * (70-78 columns), and may drop that blank: a shorter line may have been
 * wrapped too when the next line's first word would have made it longer
 * than this ("kernel: java" before a long "cpuset=docker-...scope"). */
#define MAIL_WIDTH 70
/* The shortest line taken for the head of a wrapped line whose anchor
 * is on the next line (a container's prefix alone before the text, a
 * line before a long word): the idle scanner looks back that far. */
#define WRAP_HEAD_MIN 24
/* Lines of one wrapped line the idle scanner looks back through. */
#define LOOK_BACK 8
/* fold(1) and terminals cut inside words, at 80 columns or more: a
 * blank is put back only at a shorter line's wrap. */
#define FOLD_WIDTH 80

struct wrap {
	struct classifier *c;
	struct fmt_ctx peek;	/* reads the next line without side effects */
	struct buf joined;	/* a wrapped line put back together */
	size_t width;		/* width fold(1) or a terminal cut at, once seen */
	int bare_wrapped;	/* bare text was seen wrapped by a mail program */
};

void wrap_init(struct wrap *w, struct classifier *c, int64_t ref_time);
void wrap_release(struct wrap *w);

/* Whether the line ll (len bytes) may be the head of a wrapped line at
 * all (not a journal marker, not bare text a mail program would have
 * wrapped); notes what bare text says of the input. */
int wrap_may_head(struct wrap *w, const struct log_line *ll, size_t len);

/* Whether a line len bytes long may have been wrapped before the line
 * [q, qe): it is long, or the next word would have made it long. */
int wrap_may(size_t len, const char *q, const char *qe);

/* A userspace killer's line ll split by hand where no width explains it:
 * whether the line [q, qe) (line number lineno) completes its story
 * pattern.  fmt: the input's container state. */
int wrap_story(struct wrap *w, const struct fmt_ctx *fmt,
	       const struct log_line *ll, const char *q, const char *qe,
	       uint64_t lineno);

/*
 * Join the pieces in [q, end) to the head line [line, line + len), which
 * fmt read as *ll: *ll becomes the whole (re-read by fmt, flagged
 * LL_JOINED) when any joined.  Returns where the next line starts, or
 * NULL when a piece may follow in bytes not read yet (!at_eof; fmt must
 * then be restored by the caller).
 */
const char *wrap_join(struct wrap *w, struct fmt_ctx *fmt, const char *line,
		      size_t len, struct log_line *ll, const char *q,
		      const char *end, int at_eof);

/* The start of the line before the one starting at q (q is p, or just
 * after a newline), or NULL when q is p. */
const char *wrap_line_before(const char *p, const char *q);

/* Where a line wrapped before q may start (see wrap.c); *ret_back gets
 * the lines gone back. */
const char *wrap_start(const char *p, const char *q, const char *end,
		       unsigned *ret_back);

#endif
