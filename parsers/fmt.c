/*
 * fmt.c: choose the container of each physical line by its first byte and
 * shape, let indented continuation lines inherit the previous record, and
 * notice what the containers say about lost lines and new boots.
 */
#include <string.h>
#include <time.h>

#include "fmt.h"

void fmt_init(struct fmt_ctx *ctx, int64_t ref_time)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->ref_time = ref_time;
	ctx->prev.kernel = 1;
	ctx->last_ktime = -1;
	ctx->dec = (struct buf)BUF_INIT;
	ctx->hour_year = -1;
	{
		time_t t = (time_t)ref_time;
		struct tm tm;

		localtime_r(&t, &tm);
		ctx->ref_year = tm.tm_year + 1900;
	}
}

void fmt_release(struct fmt_ctx *ctx)
{
	buf_release(&ctx->dec);
}

static void fmt_raw(const char *line, size_t len, struct log_line *out)
{
	out->fmt = FMT_RAW;
	out->body = line;
	out->body_len = len;
	out->prefix_len = 0;
	out->kernel = 1;
}

/* Mail quoting: ">", "> ", "> > " ... before the line.  Kernel text never
 * starts with '>', so this cannot eat a message. */
static size_t quote_marks(const char *line, size_t len)
{
	size_t i = 0, q = 0;

	while (i < len && line[i] == '>') {
		i++;
		if (i < len && line[i] == ' ')
			i++;
		q = i;
	}
	return q;
}

/* The indented 2nd and later lines of a multi-line record: dmesg and
 * journalctl indent them by the width of the prefix they print, with no
 * prefix of their own.  Less indentation is not theirs: it is a piece of
 * a line that something wrapped. */
static int continuation(struct fmt_ctx *ctx, const char *line, size_t len,
			struct log_line *out)
{
	size_t indent = 0;

	if (ctx->prev.fmt == FMT_RAW || ctx->prev.prefix_len == 0)
		return 0;
	while (indent < len && line[indent] == ' ')
		indent++;
	if (ctx->prev.fmt == FMT_KMSG && indent == 1 && indent < len &&
	    line[1] >= 'A' && line[1] <= 'Z' && memchr(line, '=', len)) {
		/* /dev/kmsg dictionary: " SUBSYSTEM=...", " DEVICE=..." */
		out->fmt = FMT_META;
		out->body = line;
		out->body_len = 0;
		out->kernel = 0;
		return 1;
	}
	if (indent < ctx->prev.prefix_len && !(indent && line[0] == '\t'))
		return 0;
	out->fmt = FMT_CONT;
	out->body = line;
	out->body_len = len;
	out->prefix_len = 0;
	out->known = ctx->prev.known & ~(LL_GAP | LL_BOOT | LL_SEQ);
	out->wall_us = ctx->prev.wall_us;
	out->ktime_us = ctx->prev.ktime_us;
	out->host = NULL;
	out->kernel = ctx->prev.kernel;
	out->boot_id = ctx->boot_id[0] ? ctx->boot_id : NULL;
	return 1;
}

static int parse_prefixed(struct fmt_ctx *ctx, const char *line, size_t len,
			  struct log_line *out)
{
	switch (line[0]) {
	case '[':
		return fmt_dmesg(ctx, line, len, out) ||
		       fmt_dmesg_t(ctx, line, len, out);
	case '<':
		return fmt_rfc5424(ctx, line, len, out) ||
		       fmt_dmesg(ctx, line, len, out);
	case '-':
		return fmt_journal_marker(ctx, line, len, out);
	default:
		if (line[0] >= '0' && line[0] <= '9')
			return fmt_syslog_iso(ctx, line, len, out) ||
			       fmt_kmsg(ctx, line, len, out) ||
			       fmt_journal_unix(ctx, line, len, out);
		if (line[0] >= 'A' && line[0] <= 'Z')
			return fmt_syslog(ctx, line, len, out) ||
			       fmt_journal_full(ctx, line, len, out) ||
			       fmt_dmesg_t(ctx, line, len, out);
		/* dmesg -T that lost its '[', in a locale's day name
		 * ("sam.", "六") */
		if ((line[0] >= 'a' && line[0] <= 'z') ||
		    (unsigned char)line[0] >= 0x80)
			return fmt_dmesg_t(ctx, line, len, out);
		return 0;
	}
}

/* Time going backwards, or the kmsg sequence restarting, is a new boot;
 * a jump in the sequence between adjacent lines is lost records. */
static void boot_and_gaps(struct fmt_ctx *ctx, struct log_line *out)
{
	if (out->known & LL_SEQ) {
		if (ctx->have_seq && out->seq < ctx->last_seq)
			out->known |= LL_BOOT;
		else if (ctx->have_seq && out->seq > ctx->last_seq + 1 &&
			 out->lineno == ctx->prev_lineno + 1)
			out->known |= LL_GAP;
		ctx->last_seq = out->seq;
		ctx->have_seq = 1;
	}
	if ((out->known & LL_KTIME) && out->fmt != FMT_CONT) {
		if (ctx->last_ktime >= 0 &&
		    (out->ktime_us + 1000000 < ctx->last_ktime ||
		     (out->ktime_us == 0 && ctx->last_ktime > 0)))
			out->known |= LL_BOOT;
		ctx->last_ktime = out->ktime_us;
	}
}

/* A paste's line number or indent before the container (fmt-paste.c):
 * the one learnt before, or a new one when the rest of the line reads as
 * a container (then *out holds that reading, to be redone). */
static size_t paste_prefix(struct fmt_ctx *ctx, const char *p, size_t n,
			   uint64_t lineno, struct log_line *out)
{
	struct fmt_paste cand;
	size_t k = fmt_paste_known(ctx, p, n, lineno);

	if (k || !n || !(p[0] == ' ' || p[0] == '\t' ||
			 (p[0] >= '0' && p[0] <= '9')))
		return k;
	k = fmt_paste_shape(p, n, lineno, &cand);
	if (!k || !parse_prefixed(ctx, p + k, n - k, out)) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	memset(out, 0, sizeof(*out));
	ctx->paste = cand;
	return k;
}

void fmt_parse(struct fmt_ctx *ctx, const char *line, size_t len,
	       uint64_t lineno, struct log_line *out)
{
	const char *p = line;
	size_t n = len, q, pk;

	memset(out, 0, sizeof(*out));
	q = len && line[0] == '>' ? quote_marks(line, len) : 0;
	p += q;
	n -= q;
	pk = paste_prefix(ctx, p, n, lineno, out);
	p += pk;
	n -= pk;
	if (n && (p[0] == ' ' || p[0] == '\t') && continuation(ctx, p, n, out)) {
		/* inherits what the record's first line said */
	} else if (n && parse_prefixed(ctx, p, n, out)) {
		/* prefix_len: where the body starts in the unquoted line (a
		 * decoded kmsg body is elsewhere: fmt_kmsg() sets it) */
		if (out->body >= p && out->body <= p + n)
			out->prefix_len = (size_t)(out->body - p);
	} else {
		/* a container that failed half-way may have left fields */
		memset(out, 0, sizeof(*out));
		fmt_raw(p, n, out);
	}
	out->raw = line;
	out->raw_len = len;
	out->lineno = out->lineno_last = lineno;
	if (q)
		out->known |= LL_QUOTED;
	if (pk)
		out->known |= LL_PASTE;
	else if (out->fmt != FMT_RAW && out->fmt != FMT_CONT &&
		 out->fmt != FMT_META)
		ctx->paste.kind = PASTE_NONE;	/* the paste is over */
	out->boot_id = ctx->boot_id[0] ? ctx->boot_id : NULL;
	boot_and_gaps(ctx, out);
	ctx->prev_lineno = lineno;
	/* Only prefixed lines set what continuation lines inherit: a stray
	 * unprefixed line (a wrapped piece, a garbled line) does not end the
	 * record around it. */
	if (out->fmt != FMT_MARKER && out->fmt != FMT_META &&
	    out->fmt != FMT_CONT && (out->fmt != FMT_RAW ||
				     ctx->prev.fmt == FMT_RAW)) {
		ctx->prev = *out;
		ctx->prev.host = NULL;	/* points into a line about to go */
		ctx->prev.caller = NULL;
		ctx->prev.body = NULL;
		ctx->prev.raw = NULL;
		ctx->prev.tag = NULL;
		ctx->prev.tag_len = 0;
	}
}
