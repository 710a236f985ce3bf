/*
 * output-csv.c: CSV after RFC 4180, for spreadsheets and `oomlens sql
 * --csv`: one row per killed task in export.  Unknown is an empty field.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "buf.h"
#include "diagnosis.h"
#include "oom.h"
#include "output-formats.h"
#include "output.h"
#include "timefmt.h"

/* Whether the text (len bytes) is a plain decimal number ("-500", "+1",
 * "0.25"): a spreadsheet reads it as a number, never as a formula. */
static int plain_number(const char *s, size_t len)
{
	int digits = 0, dot = 0;
	size_t i = 0;

	if (len && (s[0] == '-' || s[0] == '+'))
		i++;
	for (; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] == '.' && !dot)
			dot = 1;
		else
			return 0;
	}
	return digits > 0;
}

/* Whether a spreadsheet would run the cell as a formula: it starts with
 * "=", "+", "-", "@" or a tab (OWASP, CSV injection; a carriage return
 * is escaped) and is not a plain number.  Such a cell gets a "'" in
 * front: the spreadsheet shows the text, and runs nothing.  A host or a
 * task name is what the log says, and anyone can write a log. */
static int formula_like(const char *s, size_t len)
{
	return (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
		s[0] == '\t') && !plain_number(s, len);
}

/* The bytes of s at most n, not ending inside a UTF-8 sequence (a
 * sequence cut in two would be escaped as invalid bytes). */
static size_t whole_sequences(const char *s, size_t len, size_t n)
{
	size_t k = n;

	if (n >= len)
		return len;
	while (k > n - 4 && ((unsigned char)s[k] & 0xc0) == 0x80)
		k--;
	return k > n - 4 ? k : n;
}

/* s escaped for the terminal (a CSV is read on one too), quotes doubled,
 * a chunk at a time: a value of hundreds of MB is never copied whole. */
static int csv_escaped(FILE *fp, const char *s, size_t len)
{
	struct buf b = BUF_INIT;
	int r = 0;

	for (size_t i = 0, n; i < len && r == 0; i += n) {
		n = whole_sequences(s + i, len - i, 64 * 1024);
		buf_reset(&b);
		out_escape(&b, s + i, n, OUT_ESC_KEEP_LF | OUT_ESC_KEEP_TAB);
		for (size_t k = 0; k < b.len && r == 0; k++)
			if ((b.data[k] == '"' && fputc('"', fp) == EOF) ||
			    fputc(b.data[k], fp) == EOF)
				r = -EIO;
	}
	buf_release(&b);
	return r;
}

int out_csv_field(FILE *fp, const char *s, size_t len, int first)
{
	int quote, r = 0;

	if (!first && fputc(',', fp) == EOF)
		r = -EIO;
	if (!s || !len)
		return r;
	/* escaping writes only printable ASCII for what it changes: the
	 * quoting needs are those of s */
	quote = memchr(s, ',', len) || memchr(s, '"', len) ||
		memchr(s, '\n', len);
	if (quote && fputc('"', fp) == EOF)
		r = -EIO;
	if (formula_like(s, len) && fputc('\'', fp) == EOF)
		r = -EIO;
	if (r == 0)
		r = csv_escaped(fp, s, len);
	if (quote && fputc('"', fp) == EOF)
		r = -EIO;
	return r;
}

int out_csv_end(FILE *fp)
{
	return fputs("\r\n", fp) == EOF ? -EIO : 0;
}

static const char *const export_columns[] = {
	"time", "host", "event_id", "victim_pid", "victim_name",
	"trigger_pid", "trigger_name", "constraint", "memcg", "anon_rss_kb",
	"file_rss_kb", "shmem_rss_kb", "oom_score_adj", "totalpages",
	"reconstructed_pid", "agrees", "diagnosis", "diagnosis_also",
	"culprit_kind", "culprit_name",
};

int out_csv_export_header(FILE *fp)
{
	size_t n = sizeof(export_columns) / sizeof(export_columns[0]);
	int r = 0;

	for (size_t i = 0; i < n; i++)
		if (out_csv_field(fp, export_columns[i],
				  strlen(export_columns[i]), i == 0) < 0)
			r = -EIO;
	return out_csv_end(fp) < 0 ? -EIO : r;
}

/* Fields are appended to a row, each known or empty. */
struct row {
	FILE *fp;
	int n;
	int rc;
};

static void field(struct row *w, const char *s)
{
	if (out_csv_field(w->fp, s, s ? strlen(s) : 0, w->n++ == 0) < 0)
		w->rc = -EIO;
}

static void field_i64(struct row *w, int known, int64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRId64, v);
	field(w, known ? num : NULL);
}

static void field_u64(struct row *w, int known, uint64_t v)
{
	char num[24];

	snprintf(num, sizeof(num), "%" PRIu64, v);
	field(w, known ? num : NULL);
}

/* The diagnosis' four fields, empty without one. */
static void diagnosis_fields(struct row *w, const struct diagnosis *d)
{
	char also[DIAG_MAX_ALSO * 24];

	if (!d) {
		for (int i = 0; i < 4; i++)
			field(w, NULL);
		return;
	}
	field(w, diag_kind_name(d->kind));
	diag_also_string(d, also, sizeof(also));
	field(w, also);
	field(w, culprit_kind_name(d->culprit.kind));
	field(w, d->culprit.name);
}

static int export_row(FILE *fp, const struct oom_report *r, int64_t id,
		      const struct oom_kill *k, const struct diagnosis *d)
{
	struct row w = { fp, 0, 0 };
	char ts[40];

	if (r->known & RK_WALL)
		time_rfc3339(r->wall_us, ts, sizeof(ts));
	field(&w, r->known & RK_WALL ? ts : NULL);
	field(&w, r->host);
	field_i64(&w, 1, id);
	field_i64(&w, 1, k->pid);
	field(&w, k->comm);
	field_i64(&w, r->known & RK_TRIGGER_PID, r->trigger_pid);
	field(&w, r->trigger_comm);
	field(&w, oom_report_constraint(r));
	field(&w, out_memcg(r));
	field_u64(&w, k->known & KILL_ANON_RSS, k->anon_rss_kb);
	field_u64(&w, k->known & KILL_FILE_RSS, k->file_rss_kb);
	field_u64(&w, k->known & KILL_SHMEM_RSS, k->shmem_rss_kb);
	field_i64(&w, k->known & KILL_ADJ, k->oom_score_adj);
	field_u64(&w, r->known & RK_TOTALPAGES, r->totalpages);
	field_i64(&w, r->known & RK_PREDICTED, r->an.predicted_pid);
	field(&w, !(r->known & RK_AGREES) ? NULL
	      : r->an.agrees ? "true" : "false");
	diagnosis_fields(&w, d);
	if (out_csv_end(fp) < 0)
		w.rc = -EIO;
	return w.rc;
}

int out_csv_export_rows(FILE *fp, const struct oom_report *r, int64_t id,
			const char *victim, const struct diagnosis *d)
{
	int rc = 0;

	for (size_t i = 0; i < r->n_kills; i++) {
		if (victim && strcmp(r->kills[i].comm, victim) != 0)
			continue;
		if (export_row(fp, r, id, &r->kills[i], d) < 0)
			rc = -EIO;
	}
	return rc;
}
