/*
 * journal-text.c: `journalctl -o export` and `-o json` streams decoded
 * into the text the native reader renders (see journal.h).
 *
 * Export format: "NAME=value\n" lines; a value holding a newline or other
 * bytes as "NAME\n", its length as 64-bit little-endian, the bytes, "\n";
 * an empty line ends an entry.  JSON: one object a line, every value a
 * string, an array of byte numbers (not printable), null (too large for
 * journalctl to print), or an array of those (a repeated field: the first
 * one counts, as sd_journal_get_data() gives it).
 *
 * Streaming in bounded memory: input in 64 KiB blocks; only the fields the
 * renderer reads are kept, each up to FIELD_MAX; a JSON line up to
 * JSON_LINE_MAX.  Whatever breaks these rules skips its entry with a
 * warning naming the input line, and decoding goes on after it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "buf.h"
#include "journal.h"
#include "xalloc.h"

#define IN_SIZE (64 * 1024)
/* A kept field (MESSAGE, ...) larger than this skips its entry: kernel
 * records are at most a few KiB. */
#define FIELD_MAX (1024 * 1024)
#define JSON_LINE_MAX (4 * 1024 * 1024)
/* A binary field longer than this is taken for damage (journald stores
 * no field over 768 MiB). */
#define BINARY_MAX (UINT64_C(768) << 20)
#define NAME_MAX_LEN 64
/* Rendered entries whose input line is remembered for messages. */
#define LINE_MAP_SIZE 4096
/* Rendered text handed out in chunks of about this size. */
#define PENDING_LOW (64 * 1024)

struct field {
	int set;		/* the entry has it */
	size_t off, len;	/* of the value, in entry */
};

struct line_map {
	uint64_t text_line;	/* first rendered line of an entry */
	uint64_t input_line;	/* where the entry starts */
};

struct journal_text {
	enum journal_text_format fmt;
	struct scan_reader in;
	journal_warn_fn *warn;
	void *warn_ctx;

	char *block;		/* input */
	size_t pos, len;
	int eof, err;
	uint64_t line;		/* input line at pos, 1-based */

	struct buf entry;	/* values of the kept fields */
	struct field fields[JOURNAL_RENDER_FIELDS];	/* by enum journal_field */
	size_t n_fields;	/* of them set */
	struct buf line_buf;	/* a JSON line */

	struct journal_render jr;
	struct buf pending;	/* rendered text not yet handed out */
	size_t off;
	int done;
	/* the story identifiers as JSON strings, for json_may_select() */
	char quoted[16][40];
	size_t quoted_len[16], n_quoted;
	struct line_map map[LINE_MAP_SIZE];
	size_t n_map;		/* entries mapped so far (ring) */
};

/* ---- input ---- */

/* Make bytes available at pos: 1, 0 at the end, -errno. */
static int fill(struct journal_text *t)
{
	ssize_t r;

	if (t->pos < t->len)
		return 1;
	if (t->eof || t->err)
		return t->err ? t->err : 0;
	t->pos = t->len = 0;
	r = t->in.read(t->in.ctx, t->block, IN_SIZE);
	if (r < 0) {
		t->err = (int)r;
		return t->err;
	}
	if (r == 0) {
		t->eof = 1;
		return 0;
	}
	t->len = (size_t)r;
	return 1;
}

/*
 * Up to and without the next '\n' (or the end), appended to dst while it
 * holds less than cap bytes; *cut says if bytes were dropped.  1 when a
 * line was read, 0 at the end, -errno.  *nl: it ended with '\n'.
 */
static int get_line(struct journal_text *t, struct buf *dst, size_t cap,
		    int *cut, int *nl)
{
	int got = 0, r;

	*cut = *nl = 0;
	while ((r = fill(t)) > 0) {
		const char *p = t->block + t->pos;
		size_t n = t->len - t->pos;
		const char *e = memchr(p, '\n', n);
		size_t take = e ? (size_t)(e - p) : n;

		got = 1;
		if (dst) {
			size_t room = dst->len < cap ? cap - dst->len : 0;

			if (take > room)
				*cut = 1;
			buf_add(dst, p, take < room ? take : room);
		}
		t->pos += take;
		if (e) {
			t->pos++;
			t->line++;
			*nl = 1;
			return 1;
		}
	}
	return r < 0 ? r : got;
}

/* n bytes, kept in dst when it is not NULL: 1, 0 when the input ends
 * first, -errno. */
static int get_bytes(struct journal_text *t, uint64_t n, struct buf *dst)
{
	int r;

	while (n) {
		size_t k;
		const char *p;

		if ((r = fill(t)) <= 0)
			return r;
		p = t->block + t->pos;
		k = t->len - t->pos;
		if (k > n)
			k = (size_t)n;
		if (dst)
			buf_add(dst, p, k);
		for (const char *q = p; (q = memchr(q, '\n', k - (size_t)(q - p)));
		     q++)
			t->line++;
		t->pos += k;
		n -= k;
	}
	return 1;
}

/* ---- the entry's kept fields ---- */

static void reset_entry(struct journal_text *t)
{
	buf_reset(&t->entry);
	memset(t->fields, 0, sizeof(t->fields));
	t->n_fields = 0;
}

/* Keep value as field k's, unless the entry has it already (the first
 * of a repeated field counts, as for sd_journal_get_data()). */
static void keep(struct journal_text *t, enum journal_field k, const void *v,
		 size_t n)
{
	if (t->fields[k].set)
		return;
	t->fields[k] = (struct field){ 1, t->entry.len, n };
	t->n_fields++;
	buf_add(&t->entry, v, n);
}

static int get_kept(void *ctx, enum journal_field k, const char **ret,
		    size_t *ret_len)
{
	struct journal_text *t = ctx;

	if (!t->fields[k].set)
		return 0;
	*ret = t->entry.data + t->fields[k].off;
	*ret_len = t->fields[k].len;
	return 1;
}

static void warnf(struct journal_text *t, uint64_t line, const char *fmt,
		  ...) __attribute__((format(printf, 3, 4)));
static void warnf(struct journal_text *t, uint64_t line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!t->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	t->warn(t->warn_ctx, line, msg);
}

/* Render the entry read (when selected), remembering where it began. */
static void emit(struct journal_text *t, uint64_t input_line)
{
	struct journal_fields f = { get_kept, t };
	uint64_t first = t->jr.lines + 1;
	const char *why = NULL;

	if (!t->n_fields || !journal_entry_selected(&f))
		return;
	if (journal_render_entry(&t->jr, &f, &t->pending, &why) < 0) {
		warnf(t, input_line, "journal entry skipped: %s", why);
		return;
	}
	t->map[t->n_map++ % LINE_MAP_SIZE] =
		(struct line_map){ first, input_line };
}

/* ---- export format ---- */

/* A journal field name: A-Z, 0-9 and '_', not starting with a digit. */
static int valid_name(const char *p, size_t n)
{
	if (!n || n > NAME_MAX_LEN || (p[0] >= '0' && p[0] <= '9'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= 'A' && p[i] <= 'Z') ||
		      (p[i] >= '0' && p[i] <= '9') || p[i] == '_'))
			return 0;
	return 1;
}

/* Skip to the line after the next empty one (the end of a damaged
 * entry): 1, or -errno. */
static int skip_entry(struct journal_text *t)
{
	struct buf probe = BUF_INIT;
	int cut, nl, r;

	do {
		buf_reset(&probe);
		r = get_line(t, &probe, 1, &cut, &nl);
	} while (r > 0 && (probe.len || cut));
	buf_release(&probe);
	return r < 0 ? r : 1;
}

/*
 * A binary field after its name line: 64-bit little-endian length, the
 * bytes, a newline.  Kept when name is not NULL.  1 when read, 0 when the
 * entry must be skipped (said why), -ENODATA when the input ended inside
 * it, other -errno.
 */
static int export_binary(struct journal_text *t, int k, uint64_t at)
{
	const char *name = k >= 0 ? journal_render_fields[k] : NULL;
	const char *shown = name ? name : "(not kept)";
	struct buf bytes = BUF_INIT;
	uint64_t n = 0;
	int ok = 1, r = get_bytes(t, 8, &bytes);

	if (r <= 0)
		goto out;
	for (size_t i = 8; i > 0; i--)
		n = n << 8 | (unsigned char)bytes.data[i - 1];
	buf_reset(&bytes);
	if (n > BINARY_MAX) {
		/* no way to know where the field ends: skip to a blank line */
		warnf(t, at, "journal field %s: impossible length %llu, entry "
		      "skipped", shown, (unsigned long long)n);
		buf_release(&bytes);
		return 0;
	}
	if (name && n > FIELD_MAX) {
		warnf(t, at, "journal field %s larger than 1 MiB, entry "
		      "skipped", shown);
		name = NULL;
		ok = 0;
	}
	r = get_bytes(t, n, name ? &bytes : NULL);
	if (r > 0) {
		size_t kept = bytes.len;

		r = get_bytes(t, 1, &bytes);
		if (r > 0 && bytes.data[kept] != '\n') {
			warnf(t, at, "journal field %s: no newline after its "
			      "bytes, entry skipped", shown);
			ok = 0;
		}
		if (r > 0 && ok && name)
			keep(t, (enum journal_field)k, bytes.data, kept);
	}
out:
	buf_release(&bytes);
	if (r == 0)
		return -ENODATA;
	return r < 0 ? r : ok;
}

/*
 * One entry of the export format: 1 when an entry (good or skipped) was
 * consumed, 0 at the end, -errno.
 */
static int export_entry(struct journal_text *t)
{
	struct buf *line = &t->line_buf;
	uint64_t start = t->line;
	int r, cut, nl, fields = 0;

	reset_entry(t);
	for (;;) {
		uint64_t at = t->line;
		const char *eq, *name;
		size_t name_len;
		int k;

		buf_reset(line);
		r = get_line(t, line, NAME_MAX_LEN + 1 + FIELD_MAX, &cut, &nl);
		if (r < 0)
			return r;
		if (r == 0 && !fields)
			return 0;	/* the end, between entries */
		if (r == 0 || !nl) {
			/* every entry ends with an empty line: without it,
			 * fields may be missing */
			warnf(t, start, "journal export entry cut short at the "
			      "end of the input, skipped");
			return 1;
		}
		if (!line->len) {
			if (fields)
				break;
			start = t->line;	/* blank lines between entries */
			continue;
		}
		fields = 1;
		eq = memchr(line->data, '=', line->len);
		name_len = eq ? (size_t)(eq - line->data) : line->len;
		if (!valid_name(line->data, name_len)) {
			warnf(t, at, "not a journal export field: '%.*s', entry "
			      "skipped", (int)(name_len < 40 ? name_len : 40),
			      line->data);
			return skip_entry(t);
		}
		k = journal_render_field_index(line->data, name_len);
		name = k >= 0 ? journal_render_fields[k] : NULL;
		if (!eq) {
			r = export_binary(t, k, at);
			if (r == -ENODATA) {
				warnf(t, start, "journal export entry cut short "
				      "at the end of the input, skipped");
				return 1;
			}
			if (r <= 0)
				return r < 0 ? r : skip_entry(t);
		} else if (name && (cut || line->len - name_len - 1 > FIELD_MAX)) {
			warnf(t, at, "journal field %s larger than 1 MiB, entry "
			      "skipped", name);
			return skip_entry(t);
		} else if (name) {
			keep(t, (enum journal_field)k, eq + 1,
			     line->len - name_len - 1);
		}
	}
	emit(t, start);
	return 1;
}

/* ---- JSON ---- */

/* A JSON value as bytes, into out: 1, 0 for null (absent), -1 when it is
 * not a journal value. */
static int json_value(const cJSON *v, struct buf *out)
{
	if (cJSON_IsNull(v))
		return 0;
	if (cJSON_IsString(v)) {
		buf_adds(out, v->valuestring);
		return 1;
	}
	if (!cJSON_IsArray(v))
		return -1;
	if (cJSON_IsNumber(v->child) || !v->child) {
		for (const cJSON *c = v->child; c; c = c->next) {
			double d = c->valuedouble;

			if (!cJSON_IsNumber(c) || d < 0 || d > 255 ||
			    d != (double)(int)d)
				return -1;
			buf_addch(out, (char)(int)d);
		}
		return 1;
	}
	/* a repeated field: the first value */
	if (cJSON_IsArray(v->child) || cJSON_IsString(v->child) ||
	    cJSON_IsNull(v->child))
		return json_value(v->child, out);
	return -1;
}

/*
 * Can this line be a selected entry (journal_entry_selected())?  It then
 * holds "kernel" (_TRANSPORT, and a story identifier) or another story
 * identifier as a JSON string:
 * journalctl writes printable values as strings, and a repeated field as
 * an array of them.  Most of a journal is other programs' entries: they
 * cost a few memmem() calls instead of a parse.
 */
static int json_may_select(const struct journal_text *t, const char *p,
			   size_t n)
{
	for (size_t i = 0; i < t->n_quoted; i++)
		if (memmem(p, n, t->quoted[i], t->quoted_len[i]))
			return 1;
	return 0;
}

static int json_entry(struct journal_text *t)
{
	struct buf *line = &t->line_buf;
	uint64_t at = t->line;
	const char *p;
	size_t n;
	cJSON *doc;
	int r, cut, nl;

	reset_entry(t);
	buf_reset(line);
	r = get_line(t, line, JSON_LINE_MAX, &cut, &nl);
	if (r <= 0)
		return r;
	if (cut) {
		warnf(t, at, "JSON line longer than 4 MiB, entry skipped");
		return 1;
	}
	p = line->data;
	n = line->len;
	/* json-seq puts a record separator before each object */
	while (n && (*p == '\x1e' || *p == ' ' || *p == '\t' || *p == '\r')) {
		p++;
		n--;
	}
	if (!n)
		return 1;
	if (!nl) {
		warnf(t, at, "JSON entry cut short at the end of the input, "
		      "skipped");
		return 1;
	}
	if (!json_may_select(t, p, n))
		return 1;	/* another program's: not worth parsing */
	doc = cJSON_ParseWithLength(p, n);
	if (!cJSON_IsObject(doc)) {
		warnf(t, at, "not a journal JSON object, entry skipped");
		cJSON_Delete(doc);
		return 1;
	}
	for (size_t i = 0; journal_render_fields[i]; i++) {
		const char *name = journal_render_fields[i];
		cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, name);
		struct buf val = BUF_INIT;
		int k;

		if (!v)
			continue;
		k = json_value(v, &val);
		if (k < 0 || val.len > FIELD_MAX) {
			warnf(t, at, "journal field %s %s, entry skipped", name,
			      k < 0 ? "is not a string or bytes"
				    : "larger than 1 MiB");
			buf_release(&val);
			cJSON_Delete(doc);
			return 1;
		}
		if (k > 0)
			keep(t, (enum journal_field)i, val.data, val.len);
		else if (!strcmp(name, "MESSAGE"))
			warnf(t, at, "MESSAGE is null (journalctl leaves out "
			      "values over 4 KiB unless run with --all), entry "
			      "skipped");
		buf_release(&val);
	}
	cJSON_Delete(doc);
	emit(t, at);
	return 1;
}

/* ---- the reader ---- */

static ssize_t text_read(void *ctx, void *out, size_t cap)
{
	struct journal_text *t = ctx;
	size_t got = 0;

	while (got < cap) {
		if (t->off < t->pending.len) {
			size_t n = t->pending.len - t->off;

			if (n > cap - got)
				n = cap - got;
			memcpy((char *)out + got, t->pending.data + t->off, n);
			t->off += n;
			got += n;
			continue;
		}
		buf_reset(&t->pending);
		t->off = 0;
		if (t->done)
			break;
		while (t->pending.len < PENDING_LOW) {
			int r = t->fmt == JOURNAL_TEXT_JSON ? json_entry(t)
							    : export_entry(t);

			if (r < 0) {
				/* the text before the damage first */
				t->done = 1;
				if (!t->pending.len)
					return got ? (ssize_t)got : r;
				break;
			}
			if (r == 0) {
				t->done = 1;
				break;
			}
		}
	}
	if (!got && t->err && t->done && t->off >= t->pending.len)
		return t->err;
	return (ssize_t)got;
}

struct scan_reader journal_text_reader(struct journal_text *t)
{
	return (struct scan_reader){ .read = text_read, .ctx = t };
}

struct journal_text *journal_text_new(enum journal_text_format fmt,
				      const struct scan_reader *in,
				      journal_warn_fn *warn, void *warn_ctx)
{
	struct journal_text *t = xcalloc(1, sizeof(*t));

	t->fmt = fmt;
	t->in = *in;
	t->warn = warn;
	t->warn_ctx = warn_ctx;
	t->block = xmalloc(IN_SIZE);
	for (size_t i = 0; journal_story_identifiers[i] && i < 16; i++) {
		int k = snprintf(t->quoted[i], sizeof(t->quoted[i]), "\"%s\"",
				 journal_story_identifiers[i]);

		if (k > 0 && (size_t)k < sizeof(t->quoted[i]))
			t->quoted_len[t->n_quoted++] = (size_t)k;
	}
	t->line = 1;
	t->entry = (struct buf)BUF_INIT;
	t->line_buf = (struct buf)BUF_INIT;
	t->pending = (struct buf)BUF_INIT;
	return t;
}

void journal_text_free(struct journal_text *t)
{
	if (!t)
		return;
	free(t->block);
	buf_release(&t->entry);
	buf_release(&t->line_buf);
	buf_release(&t->pending);
	free(t);
}

uint64_t journal_text_input_line(const struct journal_text *t,
				 uint64_t lineno)
{
	size_t n = t->n_map < LINE_MAP_SIZE ? t->n_map : LINE_MAP_SIZE;

	/* newest first: the parsers ask about lines just read */
	for (size_t i = 0; i < n; i++) {
		const struct line_map *m =
			&t->map[(t->n_map - 1 - i) % LINE_MAP_SIZE];

		if (m->text_line <= lineno)
			return m->input_line;
	}
	return 0;
}

size_t journal_text_entries(const struct journal_text *t)
{
	return t->jr.entries;
}

size_t journal_text_kernel_entries(const struct journal_text *t)
{
	return t->jr.kernel_entries;
}

/* ---- detection ---- */

static int export_head(const char *p, size_t n)
{
	const char *nl = memchr(p, '\n', n);
	const char *eq;
	size_t first;

	if (!nl)
		return 0;
	first = (size_t)(nl - p);
	eq = memchr(p, '=', first);
	if (!valid_name(p, eq ? (size_t)(eq - p) : first))
		return 0;
	/* journalctl starts with __CURSOR; hand-made streams at least
	 * date their entries */
	return (n >= 9 && !memcmp(p, "__CURSOR=", 9)) ||
	       (n >= 21 && !memcmp(p, "__REALTIME_TIMESTAMP=", 21)) ||
	       memmem(p, n, "\n__REALTIME_TIMESTAMP=", 22);
}

static int json_head(const char *p, size_t n)
{
	const char *nl;

	while (n && (*p == '\x1e' || *p == ' ' || *p == '\t' || *p == '\n' ||
		     *p == '\r')) {
		p++;
		n--;
	}
	if (!n || *p != '{')
		return 0;
	/* one object a line (not json-pretty): the keys are on the first */
	if ((nl = memchr(p, '\n', n)))
		n = (size_t)(nl - p);
	return memmem(p, n, "\"__CURSOR\"", 10) ||
	       memmem(p, n, "\"__REALTIME_TIMESTAMP\"", 22);
}

enum journal_text_format journal_text_sniff(const void *head, size_t n)
{
	if (export_head(head, n))
		return JOURNAL_TEXT_EXPORT;
	if (json_head(head, n))
		return JOURNAL_TEXT_JSON;
	return JOURNAL_TEXT_NONE;
}
