/*
 * test-output.c: the shapes of the export formats, and text made safe.
 *
 * Without arguments: unit checks of out_escape(), the UTF-8 repair, CSV
 * quoting, the sql table, and the ECS, HEC, OTLP and CSV output of reports
 * whose names hold escape sequences and bytes that are not UTF-8.
 *
 * As `test-output --shape ecs|hec|otel|csv|ndjson [FILE]`: a checker for
 * the CLI tests (t0500-export.sh, t0510-sql.sh).  Every line of FILE (or
 * stdin) must parse and have its format's shape, as oomlens(1), EXPORT
 * FORMAT, promises; CSV is parsed as RFC 4180 records.  Python may be
 * absent on CI, cJSON is not.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "check.h"
#include "diagnosis.h"
#include "json-writer.h"
#include "oom.h"
#include "output-formats.h"
#include "output.h"
#include "text.h"
#include "xalloc.h"

static size_t lineno;	/* of the record being checked, for messages */

/* -- helpers ---------------------------------------------------------- */

static int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0, k; i < n; i += k)
		if ((k = utf8_seq(p + i, n - i)) == 0)
			return 0;
	return 1;
}

/* "2026-11-21T03:12:07Z" or with ".123456": 0 and *us, else -1. */
static int parse_rfc3339(const char *s, int64_t *us)
{
	struct tm tm = { 0 };
	const char *p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	int64_t frac = 0;

	if (!p || strlen(s) < 20)
		return -1;
	if (*p == '.') {
		int digits = 0;

		for (p++; isdigit((unsigned char)*p) && digits < 6; p++, digits++)
			frac = frac * 10 + (*p - '0');
		if (digits != 6)
			return -1;
	}
	if (strcmp(p, "Z") != 0)
		return -1;
	*us = (int64_t)timegm(&tm) * 1000000 + frac;
	return 0;
}

static int is_integer_text(const char *s)
{
	if (*s == '-')
		s++;
	if (!isdigit((unsigned char)*s))
		return 0;
	while (isdigit((unsigned char)*s))
		s++;
	return *s == '\0';
}

static int is_int(const cJSON *x)
{
	return x && (cJSON_IsRaw(x) ? is_integer_text(x->valuestring)
				    : cJSON_IsNumber(x) &&
					      x->valuedouble == (double)(int64_t)x->valuedouble);
}

static cJSON *get(const cJSON *o, const char *path)
{
	char *copy = xstrdup(path), *save = NULL;
	const cJSON *x = o;

	for (char *k = strtok_r(copy, ".", &save); k && x;
	     k = strtok_r(NULL, ".", &save))
		x = cJSON_GetObjectItemCaseSensitive(x, k);
	free(copy);
	return (cJSON *)x;
}

static int str_is(const cJSON *x, const char *want)
{
	return cJSON_IsString(x) && !strcmp(x->valuestring, want);
}

/* -- ECS -------------------------------------------------------------- */

/* Unknown is absent: no null anywhere; objects nested: no dotted key. */
static void check_tree(const cJSON *x, const char *where)
{
	const cJSON *it;

	CHECK(!cJSON_IsNull(x), "line %zu: null at %s", lineno, where);
	cJSON_ArrayForEach(it, x) {
		if (it->string)
			CHECK(!strchr(it->string, '.'),
			      "line %zu: dotted key '%s' in %s", lineno,
			      it->string, where);
		check_tree(it, it->string ? it->string : where);
	}
}

static void check_ecs(const cJSON *doc)
{
	const cJSON *x, *it;
	int64_t us;

	CHECK(cJSON_IsObject(doc), "line %zu: not an object", lineno);
	check_tree(doc, "document");
	CHECK(str_is(get(doc, "event.kind"), "event"), "line %zu: event.kind",
	      lineno);
	CHECK(str_is(get(doc, "event.action"), "oom-kill"),
	      "line %zu: event.action", lineno);
	CHECK(str_is(get(doc, "event.dataset"), "linux.oom"),
	      "line %zu: event.dataset", lineno);
	x = get(doc, "event.category");
	CHECK(cJSON_GetArraySize(x) == 1 &&
	      str_is(cJSON_GetArrayItem(x, 0), "process"),
	      "line %zu: event.category", lineno);
	x = get(doc, "event.type");
	CHECK(cJSON_GetArraySize(x) == 1 &&
	      str_is(cJSON_GetArrayItem(x, 0), "end"),
	      "line %zu: event.type", lineno);
	x = get(doc, "event.original");
	CHECK(!x || cJSON_IsString(x), "line %zu: event.original", lineno);
	/* a data stream refuses a document without @timestamp */
	x = get(doc, "@timestamp");
	CHECK(cJSON_IsString(x) && parse_rfc3339(x->valuestring, &us) == 0,
	      "line %zu: @timestamp %s", lineno,
	      cJSON_IsString(x) ? x->valuestring : "?");
	CHECK(str_is(get(doc, "ecs.version"), OUT_ECS_VERSION),
	      "line %zu: ecs.version", lineno);
	x = get(doc, "event.created");
	CHECK(cJSON_IsString(x) && parse_rfc3339(x->valuestring, &us) == 0,
	      "line %zu: event.created", lineno);
	x = get(doc, "host");
	CHECK(!x || cJSON_IsString(get(x, "name")), "line %zu: host.name",
	      lineno);
	x = get(doc, "process");
	CHECK(!x || (is_int(get(x, "pid")) && cJSON_IsString(get(x, "name"))),
	      "line %zu: process", lineno);
	x = get(doc, "log");
	CHECK(!x || cJSON_IsString(get(x, "file.path")),
	      "line %zu: log.file.path", lineno);
	CHECK(is_int(get(doc, "linux.oom.event_id")),
	      "line %zu: linux.oom.event_id", lineno);
	x = get(doc, "linux.oom.killed");
	CHECK(cJSON_IsArray(x), "line %zu: linux.oom.killed", lineno);
	cJSON_ArrayForEach(it, x)
		CHECK(is_int(get(it, "pid")) && cJSON_IsString(get(it, "name")),
		      "line %zu: a killed task without pid or name", lineno);
	/* process is the first task killed */
	if (cJSON_GetArraySize(x) > 0)
		CHECK(cJSON_Compare(get(doc, "process.pid"),
				    get(cJSON_GetArrayItem(x, 0), "pid"), 1),
		      "line %zu: process.pid is not the first killed", lineno);
	x = get(doc, "linux.oom.tasks");
	CHECK(!x || cJSON_IsArray(x), "line %zu: linux.oom.tasks", lineno);
	cJSON_ArrayForEach(it, x)
		CHECK(is_int(get(it, "pid")) && cJSON_IsString(get(it, "name")),
		      "line %zu: a task without pid or name", lineno);
	x = get(doc, "linux.oom.flags");
	CHECK(cJSON_IsArray(x), "line %zu: linux.oom.flags", lineno);
	cJSON_ArrayForEach(it, x)
		CHECK(cJSON_IsString(it), "line %zu: a flag", lineno);
	CHECK(cJSON_IsBool(get(doc, "linux.oom.complete")),
	      "line %zu: linux.oom.complete", lineno);
	/* absent (no diagnosis: a userspace kill), or all of it */
	x = get(doc, "linux.oom.diagnosis");
	if (x) {
		const cJSON *k = get(x, "kind");

		CHECK(cJSON_IsString(k) &&
		      (!strcmp(k->valuestring, "none") ||
		       diag_kind_from_name(k->valuestring) != DIAG_NONE),
		      "line %zu: linux.oom.diagnosis.kind", lineno);
		CHECK(cJSON_IsArray(get(x, "also")),
		      "line %zu: linux.oom.diagnosis.also", lineno);
		cJSON_ArrayForEach(it, get(x, "also"))
			CHECK(cJSON_IsString(it) &&
			      diag_kind_from_name(it->valuestring) != DIAG_NONE,
			      "line %zu: linux.oom.diagnosis.also", lineno);
		CHECK(cJSON_IsString(get(x, "culprit.kind")),
		      "line %zu: linux.oom.diagnosis.culprit.kind", lineno);
		k = get(x, "culprit.name");
		CHECK(!k || cJSON_IsString(k),
		      "line %zu: linux.oom.diagnosis.culprit.name", lineno);
	}
}

/* -- HEC -------------------------------------------------------------- */

static void check_hec(const cJSON *doc, const char *line)
{
	static const char *const keys[] = { "time", "host", "source",
					    "sourcetype", "event", NULL };
	const cJSON *x, *it, *ev = get(doc, "event");
	int64_t us;

	CHECK(cJSON_IsObject(doc), "line %zu: not an object", lineno);
	cJSON_ArrayForEach(it, doc) {
		size_t k;

		for (k = 0; keys[k] && strcmp(keys[k], it->string); k++)
			;
		CHECK(keys[k] != NULL, "line %zu: unknown HEC key '%s'",
		      lineno, it->string);
	}
	CHECK(str_is(get(doc, "sourcetype"), OUT_HEC_SOURCETYPE),
	      "line %zu: sourcetype", lineno);
	CHECK(cJSON_IsString(get(doc, "source")), "line %zu: source", lineno);
	CHECK(cJSON_Compare(get(doc, "source"), get(ev, "log.file.path"), 1),
	      "line %zu: source is not log.file.path", lineno);
	CHECK(cJSON_IsObject(ev), "line %zu: event", lineno);
	if (ev)
		check_ecs(ev);
	x = get(doc, "host");
	CHECK(x ? cJSON_Compare(x, get(ev, "host.name"), 1)
		: !get(ev, "host"), "line %zu: host is not host.name", lineno);
	x = get(doc, "time");
	it = get(ev, "@timestamp");
	CHECK(!x == !it, "line %zu: time without @timestamp or back", lineno);
	if (x && cJSON_IsString(it) && parse_rfc3339(it->valuestring, &us) == 0) {
		/* the number as written: seconds, '.', six digits */
		const char *t = strstr(line, "\"time\":");
		char want[40];

		snprintf(want, sizeof(want), "\"time\":%lld.%06lld,",
			 (long long)(us / 1000000), (long long)(us % 1000000));
		CHECK(t && !strncmp(t, want, strlen(want)),
		      "line %zu: time is not %s", lineno, want);
	}
}

/* -- OTLP ------------------------------------------------------------- */

static void check_kvlist(const cJSON *kvs, const char *where);

static void check_any(const cJSON *v, const char *where)
{
	static const char *const kinds[] = { "stringValue", "intValue",
					     "doubleValue", "boolValue",
					     "arrayValue", "kvlistValue", NULL };
	const cJSON *x, *it;

	CHECK(cJSON_GetArraySize(v) == 1, "line %zu: %s: AnyValue with %d "
	      "members", lineno, where, cJSON_GetArraySize(v));
	if (cJSON_GetArraySize(v) != 1)
		return;
	x = v->child;
	for (size_t k = 0; kinds[k]; k++) {
		if (strcmp(x->string, kinds[k]))
			continue;
		switch (k) {
		case 0:
			CHECK(cJSON_IsString(x), "line %zu: %s", lineno, where);
			return;
		case 1:	/* int64 as a decimal string */
			CHECK(cJSON_IsString(x) && is_integer_text(x->valuestring),
			      "line %zu: %s: intValue", lineno, where);
			return;
		case 2:
			CHECK(cJSON_IsNumber(x) || cJSON_IsRaw(x),
			      "line %zu: %s: doubleValue", lineno, where);
			return;
		case 3:
			CHECK(cJSON_IsBool(x), "line %zu: %s", lineno, where);
			return;
		case 4:
			CHECK(cJSON_IsArray(get(x, "values")),
			      "line %zu: %s: arrayValue", lineno, where);
			cJSON_ArrayForEach(it, get(x, "values"))
				check_any(it, where);
			return;
		default:
			check_kvlist(get(x, "values"), where);
			return;
		}
	}
	CHECK(0, "line %zu: %s: unknown AnyValue '%s'", lineno, where, x->string);
}

/* A list of {"key", "value"}, keys unique. */
static void check_kvlist(const cJSON *kvs, const char *where)
{
	const cJSON *kv, *other;

	CHECK(cJSON_IsArray(kvs), "line %zu: %s: not a key/value list", lineno,
	      where);
	cJSON_ArrayForEach(kv, kvs) {
		const cJSON *key = get(kv, "key");

		CHECK(cJSON_IsString(key) && cJSON_GetArraySize(kv) == 2,
		      "line %zu: %s: a key/value without its key", lineno, where);
		if (!cJSON_IsString(key))
			continue;
		check_any(get(kv, "value"), key->valuestring);
		for (other = kv->next; other; other = other->next)
			CHECK(!str_is(get(other, "key"), key->valuestring),
			      "line %zu: key '%s' twice", lineno, key->valuestring);
	}
}

static const cJSON *attr(const cJSON *kvs, const char *key)
{
	const cJSON *kv;

	cJSON_ArrayForEach(kv, kvs)
		if (str_is(get(kv, "key"), key))
			return get(kv, "value");
	return NULL;
}

static void check_otel(const cJSON *doc)
{
	const cJSON *rl, *sl, *rec, *attrs, *x;

	CHECK(cJSON_IsObject(doc) && cJSON_GetArraySize(doc) == 1,
	      "line %zu: not {\"resourceLogs\": ...}", lineno);
	rl = cJSON_GetArrayItem(get(doc, "resourceLogs"), 0);
	CHECK(cJSON_GetArraySize(get(doc, "resourceLogs")) == 1 && rl,
	      "line %zu: resourceLogs", lineno);
	if (!rl)
		return;
	check_kvlist(get(rl, "resource.attributes"), "resource");
	x = attr(get(rl, "resource.attributes"), "host.name");
	CHECK(!x || cJSON_IsString(get(x, "stringValue")),
	      "line %zu: host.name", lineno);
	sl = cJSON_GetArrayItem(get(rl, "scopeLogs"), 0);
	CHECK(sl && str_is(get(sl, "scope.name"), "oomlens"),
	      "line %zu: scope", lineno);
	if (!sl)
		return;
	rec = cJSON_GetArrayItem(get(sl, "logRecords"), 0);
	CHECK(cJSON_GetArraySize(get(sl, "logRecords")) == 1 && rec,
	      "line %zu: logRecords", lineno);
	if (!rec)
		return;
	x = get(rec, "timeUnixNano");
	CHECK(!x || (cJSON_IsString(x) && is_integer_text(x->valuestring) &&
		     strlen(x->valuestring) >= 10),
	      "line %zu: timeUnixNano", lineno);
	CHECK(str_is(get(rec, "severityText"), "WARN"), "line %zu: severity",
	      lineno);
	x = get(rec, "severityNumber");
	CHECK(cJSON_IsNumber(x) && x->valueint == 13, "line %zu: severityNumber",
	      lineno);
	x = get(rec, "body.stringValue");
	CHECK(cJSON_IsString(x) && (!strncmp(x->valuestring, "oom-kill: ", 10) ||
				    !strncmp(x->valuestring, "oom: ", 5)),
	      "line %zu: body", lineno);
	attrs = get(rec, "attributes");
	check_kvlist(attrs, "attributes");
	CHECK(str_is(get(attr(attrs, "event.action"), "stringValue"), "oom-kill"),
	      "line %zu: event.action", lineno);
	x = get(attr(attrs, "linux.oom.event_id"), "intValue");
	CHECK(cJSON_IsString(x), "line %zu: linux.oom.event_id", lineno);
	CHECK(!attr(attrs, "linux.oom.tasks") && !attr(attrs, "@timestamp") &&
	      !attr(attrs, "host.name") && !attr(attrs, "event.original"),
	      "line %zu: an attribute that belongs elsewhere", lineno);
	/* the semantic conventions' resource attributes are the resource's,
	 * and ECS's names of them are not on the record */
	cJSON_ArrayForEach(x, attrs) {
		static const char *const ecs_only[] = {
			"ecs.", "event.created", "service.", "container.",
			"orchestrator.", "labels.", NULL,
		};
		const char *k = get(x, "key")->valuestring;

		for (size_t i = 0; ecs_only[i]; i++)
			CHECK(strncmp(k, ecs_only[i], strlen(ecs_only[i])),
			      "line %zu: %s on the record", lineno, k);
	}
	x = get(rec, "observedTimeUnixNano");
	CHECK(cJSON_IsString(x) && is_integer_text(x->valuestring),
	      "line %zu: observedTimeUnixNano", lineno);
	CHECK(cJSON_IsArray(get(attr(attrs, "linux.oom.killed"),
				"arrayValue.values")),
	      "line %zu: linux.oom.killed", lineno);
}

/* -- CSV -------------------------------------------------------------- */

static const char export_header[] =
	"time,host,event_id,victim_pid,victim_name,trigger_pid,trigger_name,"
	"constraint,memcg,anon_rss_kb,file_rss_kb,shmem_rss_kb,oom_score_adj,"
	"totalpages,reconstructed_pid,agrees,diagnosis,diagnosis_also,"
	"culprit_kind,culprit_name";
#define EXPORT_FIELDS 20

#define CSV_MAX_FIELDS 64

/* One RFC 4180 record from *p: fields into f[] (malloc'd), their count
 * into *n.  Returns 0, or -1 for a malformed record (message printed). */
static int csv_record(const char **p, char **f, size_t *n)
{
	const char *s = *p;

	*n = 0;
	for (;;) {
		struct buf b = BUF_INIT;

		if (*s == '"') {
			for (s++;; s++) {
				if (!*s)
					goto bad;
				if (*s == '"' && s[1] == '"') {
					buf_addch(&b, '"');
					s++;
				} else if (*s == '"') {
					s++;
					break;
				} else {
					buf_addch(&b, *s);
				}
			}
		} else {
			for (; *s && *s != ',' && *s != '\r' && *s != '\n'; s++) {
				if (*s == '"')
					goto bad;
				buf_addch(&b, *s);
			}
		}
		if (*n == CSV_MAX_FIELDS)
			goto bad;
		f[(*n)++] = buf_detach(&b, NULL);
		if (*s == ',') {
			s++;
			continue;
		}
		if (s[0] == '\r' && s[1] == '\n') {
			*p = s + 2;
			return 0;
		}
	bad:
		buf_release(&b);
		CHECK(0, "record %zu: malformed (or no CRLF) at \"%.20s\"",
		      lineno, s);
		return -1;
	}
}

static int digits_or_empty(const char *s)
{
	return !*s || is_integer_text(s);
}

static void check_csv_export(char **f, size_t n)
{
	static const int numeric[] = { 2, 3, 5, 9, 10, 11, 12, 13, 14 };
	int64_t us;

	CHECK(n == EXPORT_FIELDS, "record %zu: %zu fields", lineno, n);
	if (n != EXPORT_FIELDS)
		return;
	CHECK(!*f[0] || parse_rfc3339(f[0], &us) == 0, "record %zu: time %s",
	      lineno, f[0]);
	for (size_t i = 0; i < sizeof(numeric) / sizeof(numeric[0]); i++)
		CHECK(digits_or_empty(f[numeric[i]]),
		      "record %zu: field %d is '%s'", lineno, numeric[i] + 1,
		      f[numeric[i]]);
	CHECK(*f[2] && *f[3] && *f[4], "record %zu: no event, pid or name",
	      lineno);
	CHECK(!*f[15] || !strcmp(f[15], "true") || !strcmp(f[15], "false"),
	      "record %zu: agrees '%s'", lineno, f[15]);
	/* the diagnosis: all empty (none), or a kind and a culprit kind */
	CHECK(!*f[16] == !*f[18], "record %zu: diagnosis '%s', culprit '%s'",
	      lineno, f[16], f[18]);
	CHECK(!*f[16] || !strcmp(f[16], "none") ||
	      diag_kind_from_name(f[16]) != DIAG_NONE,
	      "record %zu: diagnosis '%s'", lineno, f[16]);
	CHECK(*f[16] || (!*f[17] && !*f[19]),
	      "record %zu: no diagnosis, but also or a culprit name", lineno);
	for (const char *a = f[17]; *a; a += strcspn(a, ","), a += *a == ',') {
		char name[40];
		size_t len = strcspn(a, ",");

		snprintf(name, sizeof(name), "%.*s", (int)len, a);
		CHECK(diag_kind_from_name(name) != DIAG_NONE,
		      "record %zu: diagnosis_also '%s'", lineno, f[17]);
	}
	if (*f[18]) {
		int known = 0;

		for (int i = 0; i < CULPRIT_KIND_COUNT; i++)
			known |= !strcmp(f[18], culprit_kind_names[i]);
		CHECK(known, "record %zu: culprit_kind '%s'", lineno, f[18]);
	}
}

/* export --format csv (header fixed, 20 columns) or any CSV of sql. */
static void check_csv(const char *text, int export)
{
	const char *p = text;
	char *f[CSV_MAX_FIELDS];
	size_t n, width = 0;

	/* no control byte but TAB, LF and the CR of CRLF */
	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		CHECK(*c >= 0x20 || *c == '\t' || *c == '\n' ||
		      (*c == '\r' && c[1] == '\n'),
		      "byte 0x%02x at offset %zu", *c, (size_t)(c - (const unsigned char *)text));
	CHECK(utf8_valid(text, strlen(text)), "the CSV is not UTF-8");
	if (export)
		CHECK(!strncmp(text, export_header, strlen(export_header)) &&
		      !strncmp(text + strlen(export_header), "\r\n", 2),
		      "the header is not %s", export_header);
	for (lineno = 1; *p; lineno++) {
		if (csv_record(&p, f, &n) < 0)
			break;
		if (export && lineno > 1)
			check_csv_export(f, n);
		if (lineno == 1)
			width = n;
		CHECK(n == width, "record %zu: %zu fields, the header %zu",
		      lineno, n, width);
		for (size_t i = 0; i < n; i++)
			free(f[i]);
	}
}

/* -- the checker ------------------------------------------------------ */

static char *slurp(FILE *fp)
{
	struct buf b = BUF_INIT;
	char chunk[65536];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	return buf_detach(&b, NULL);
}

static int shape_main(const char *format, const char *path)
{
	FILE *fp = path ? fopen(path, "r") : stdin;
	char *text, *line, *save = NULL;
	size_t n = 0, killed = 0;

	if (!fp) {
		perror(path);
		return 2;
	}
	text = slurp(fp);
	if (path)
		fclose(fp);
	if (!strcmp(format, "csv") || !strcmp(format, "sqlcsv")) {
		check_csv(text, !strcmp(format, "csv"));
		free(text);
		return check_done("shape-csv");
	}
	CHECK(!*text || text[strlen(text) - 1] == '\n', "no final newline");
	lineno = 0;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		cJSON *doc;

		lineno++;
		CHECK(utf8_valid(line, strlen(line)), "line %zu: not UTF-8",
		      lineno);
		doc = cJSON_Parse(line);
		CHECK(doc != NULL, "line %zu: does not parse: %.60s", lineno,
		      line);
		if (!doc)
			continue;
		n++;
		if (!strcmp(format, "ecs")) {
			check_ecs(doc);
			killed += (size_t)cJSON_GetArraySize(
				get(doc, "linux.oom.killed"));
		}
		else if (!strcmp(format, "hec"))
			check_hec(doc, line);
		else if (!strcmp(format, "otel"))
			check_otel(doc);
		else
			CHECK(cJSON_IsObject(doc), "line %zu: not an object",
			      lineno);
		cJSON_Delete(doc);
	}
	/* for the CLI tests: ecs documents and CSV rows must agree */
	printf("%zu documents, %zu tasks killed\n", n, killed);
	free(text);
	return check_done("shape");
}

/* -- unit checks ------------------------------------------------------ */

static void check_escape(const char *in, size_t len, unsigned flags,
			 const char *want, size_t want_width)
{
	struct buf b = BUF_INIT;
	size_t w = out_escape(&b, in, len, flags);

	CHECK_STR(b.data, want);
	CHECK_EQ(w, want_width);
	buf_release(&b);
}

static void test_escape(void)
{
	check_escape("postgres", 8, 0, "postgres", 8);
	check_escape("\x1b[2Jx", 5, 0, "\\x1b[2Jx", 8);
	check_escape("a\x07" "b", 3, 0, "a\\x07b", 6);
	check_escape("a\\b", 3, 0, "a\\b", 3);
	check_escape("a\\b", 3, OUT_ESC_BACKSLASH, "a\\\\b", 4);
	/* a name that reads as an escape stays told apart from one */
	check_escape("a\\x1b\x1b", 6, OUT_ESC_BACKSLASH, "a\\\\x1b\\x1b", 10);
	check_escape("a\nb\tc", 5, 0, "a\\x0ab\\x09c", 11);
	check_escape("a\nb\tc", 5, OUT_ESC_KEEP_LF | OUT_ESC_KEEP_TAB,
		     "a\nb\tc", 5);
	check_escape("a\0b", 3, 0, "a\\x00b", 6);
	check_escape("\x7f", 1, 0, "\\x7f", 4);
	/* UTF-8 passes, one column per character */
	check_escape("J\xc3\xbcrgen \xe2\x82\xac", 11, 0,
		     "J\xc3\xbcrgen \xe2\x82\xac", 8);
	/* C1 controls: U+009B is CSI to a terminal */
	check_escape("\xc2\x9b" "2J", 4, 0, "\\xc2\\x9b2J", 10);
	check_escape("\xc2\xa0", 2, 0, "\xc2\xa0", 1);
	/* bytes of no valid sequence: a lone 8-bit CSI, overlong, cut */
	check_escape("\x9b" "2J", 3, 0, "\\x9b2J", 6);
	check_escape("\xc0\xaf", 2, 0, "\\xc0\\xaf", 8);
	check_escape("ab\xe2\x82", 4, 0, "ab\\xe2\\x82", 10);
	check_escape("\xed\xa0\x80", 3, 0, "\\xed\\xa0\\x80", 12);
	check_escape("\xf4\x90\x80\x80", 4, 0, "\\xf4\\x90\\x80\\x80", 16);
	CHECK_EQ(utf8_seq((const unsigned char *)"\xf0\x9f\x98\x80", 4), 4);
	CHECK_EQ(utf8_seq((const unsigned char *)"\xf0\x9f\x98", 3), 0);
	CHECK_EQ(utf8_seq((const unsigned char *)"\xe0\x80\x80", 3), 0);
}

static void test_fix_utf8(void)
{
	cJSON *doc = cJSON_CreateObject(), *arr;
	char *s;

	cJSON_AddStringToObject(doc, "ok", "J\xc3\xbcrgen");
	cJSON_AddStringToObject(doc, "bad", "a\xff" "b\xc3");
	arr = cJSON_AddArrayToObject(cJSON_AddObjectToObject(doc, "o"), "a");
	cJSON_AddItemToArray(arr, cJSON_CreateString("\x1b[2J\xfe"));
	out_json_fix_utf8(doc);
	CHECK_STR(get(doc, "ok")->valuestring, "J\xc3\xbcrgen");
	CHECK_STR(get(doc, "bad")->valuestring,
		  "a\xef\xbf\xbd" "b\xef\xbf\xbd");
	CHECK_STR(cJSON_GetArrayItem(get(doc, "o.a"), 0)->valuestring,
		  "\x1b[2J\xef\xbf\xbd");
	s = cJSON_PrintUnformatted(doc);
	CHECK(s && !strchr(s, 0x1b) && utf8_valid(s, strlen(s)), "%s", s);
	CHECK(s && strstr(s, "\\u001b[2J"), "ESC as \\u001b: %s", s);
	cJSON_free(s);
	cJSON_Delete(doc);
}

static char *captured(FILE *fp);

static void test_json_line_safe(void)
{
	cJSON *doc = cJSON_CreateObject();
	FILE *fp = tmpfile();
	char *s;

	cJSON_AddStringToObject(doc, "a", "\x1b[2J\xc2\x9b\x7f\xff\xc2\xa0");
	CHECK_EQ(out_json_line_safe(fp, doc), 0);
	s = captured(fp);
	CHECK_STR(s, "{\"a\":\"\\u001b[2J\\u009b\\u007f\xef\xbf\xbd\xc2\xa0\"}\n");
	free(s);
	cJSON_Delete(doc);
}

/* What fn writes to a FILE, as a string (caller frees). */
static char *captured(FILE *fp)
{
	char *s;

	fflush(fp);
	rewind(fp);
	s = slurp(fp);
	fclose(fp);
	return s;
}

/* s (len bytes, no NUL) as a JSON string, three ways: a cJSON string
 * printed by out_json_line_safe(), out_json_string() (sql --json) and
 * jw_string() (the export's documents).  All three must agree. */
static int json_writers_agree(const char *s, size_t len)
{
	char *cs = xstrndup(s, len), *a = NULL, *b = NULL;
	size_t an = 0, bn = 0;
	cJSON *doc = cJSON_CreateString(cs);
	FILE *fa = open_memstream(&a, &an), *fb = open_memstream(&b, &bn);
	struct buf c = BUF_INIT;
	int same;

	out_json_line_safe(fa, doc);
	fclose(fa);
	out_json_string(fb, s, len);
	fclose(fb);
	jw_string(&c, cs);
	same = an == bn + 1 && a[bn] == '\n' && !memcmp(a, b, bn) &&
	       c.len == bn && !memcmp(c.data, b, bn);
	if (!same)
		fprintf(stderr, "cJSON %.*s, out_json_string %s, jw %.*s\n",
			(int)an, a, b, (int)c.len, c.data);
	cJSON_Delete(doc);
	buf_release(&c);
	free(a);
	free(b);
	free(cs);
	return same;
}

static void test_json_writers(void)
{
	static const unsigned char some[] = {
		0x01, 0x08, 0x09, 0x0a, 0x1b, ' ', '"', 'a', '\\', 0x7f,
		0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xe2, 0xed,
		0xef, 0xf0, 0xf4, 0xf5, 0xff,
	};
	size_t bad = 0, n = sizeof(some);
	unsigned char t[4];

	/* every one or two bytes */
	for (unsigned i = 1; i < 256; i++) {
		t[0] = (unsigned char)i;
		bad += !json_writers_agree((char *)t, 1);
		for (unsigned j = 1; j < 256; j++) {
			t[1] = (unsigned char)j;
			bad += !json_writers_agree((char *)t, 2);
		}
	}
	/* three and four of the bytes that begin, continue or end a
	 * sequence, or are escaped */
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < n; j++)
			for (size_t k = 0; k < n; k++) {
				t[0] = some[i], t[1] = some[j], t[2] = some[k];
				bad += !json_writers_agree((char *)t, 3);
				t[3] = 0x80;
				bad += !json_writers_agree((char *)t, 4);
			}
	CHECK_EQ(bad, 0);
}

static void test_csv_field(void)
{
	FILE *fp = tmpfile();
	char *s;

	out_csv_field(fp, "plain", 5, 1);
	out_csv_field(fp, "a,b", 3, 0);
	out_csv_field(fp, "say \"hi\"", 8, 0);
	out_csv_field(fp, "two\nlines", 9, 0);
	out_csv_field(fp, NULL, 0, 0);
	out_csv_field(fp, "\x1b[2J", 4, 0);
	out_csv_field(fp, "cr\r", 3, 0);
	out_csv_end(fp);
	s = captured(fp);
	CHECK_STR(s, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,"
		     "\\x1b[2J,cr\\x0d\r\n");
	free(s);
}

/* A report as a hostile log would leave it: names with ESC, BEL, bytes
 * that are not UTF-8; a second kill of the same group. */
static struct oom_report *hostile_report(void)
{
	struct oom_report *r = oom_report_new();
	struct oom_kill *k;

	r->known = RK_WALL | RK_TRIGGER_PID | RK_TOTALPAGES | RK_PREDICTED |
		   RK_AGREES;
	r->wall_us = 1795230727123456;
	r->host = xstrdup("db\x1b[2J1");
	r->trigger_comm = xstrdup("ev\x07il\xff");
	r->trigger_pid = 66;
	r->constraint = xstrdup("memcg");
	r->oom_memcg = xstrdup("/a,b/\"q\"/\x1b]0;t\x07");
	r->totalpages = 1000;
	r->an.predicted_pid = 7;
	r->an.agrees = 1;
	k = oom_report_add_kill(r);
	k->pid = 7;
	k->comm = xstrdup("\x1b[2Jx\xc2\x9b");
	k->known = KILL_ANON_RSS | KILL_ADJ;
	k->anon_rss_kb = 1024;
	k->oom_score_adj = -17;
	k = oom_report_add_kill(r);
	k->pid = 8;
	k->comm = xstrdup("plain");
	r->raw = xstrdup("line one \x1b[2J\nline two \xff");
	return r;
}

/* doc printed as oomlens prints it (into *ret_line, cJSON_free() it),
 * and parsed back, as a pipeline reads it. */
static cJSON *reparsed(cJSON *doc, char **ret_line)
{
	char *s;

	out_json_fix_utf8(doc);
	s = cJSON_PrintUnformatted(doc);
	cJSON_Delete(doc);
	CHECK(s && !strchr(s, '\n') && !strchr(s, 0x1b), "one safe line");
	doc = s ? cJSON_Parse(s) : NULL;
	CHECK(doc && utf8_valid(s, strlen(s)), "parses, UTF-8: %s", s);
	*ret_line = s;
	return doc;
}

/* When the test's events were read: 2026-11-22T00:00:00.5Z. */
#define INGESTED_US 1795305600500000

/* The OTel line of ecs (out_otel_write()), checked as reparsed() checks
 * a tree's, parsed; *ret_line is the line without its newline. */
static cJSON *otel_line(const cJSON *ecs, const struct oom_report *r,
			const char *raw, char **ret_line)
{
	struct buf b = BUF_INIT;
	char *s;
	cJSON *doc;

	out_otel_write(&b, ecs, r, raw, INGESTED_US);
	CHECK(b.len && b.data[b.len - 1] == '\n' && b.data[b.len] == '\0',
	      "one line, its newline last");
	s = buf_detach(&b, NULL);
	if (s && *s)
		s[strlen(s) - 1] = '\0';
	CHECK(s && !strchr(s, '\n') && !strchr(s, 0x1b), "one safe line");
	doc = s ? cJSON_Parse(s) : NULL;
	CHECK(doc && utf8_valid(s, strlen(s)), "parses, UTF-8: %s", s);
	*ret_line = s;
	return doc;
}

/* A diagnosis filled by hand (not diagnose()'s): two contributing
 * kinds, a culprit whose name is hostile. */
static void hostile_diagnosis(struct diagnosis *d)
{
	memset(d, 0, sizeof(*d));
	d->kind = DIAG_SHARED_MEMORY;
	d->also[d->n_also++] = DIAG_HUGETLB_RESERVED;
	d->also[d->n_also++] = DIAG_TMPFS;
	d->culprit.kind = CULPRIT_TASK;
	snprintf(d->culprit.name, sizeof(d->culprit.name), "ru,n\x1b[2Jner");
	d->culprit.pid = 77;
}

/* The key of the resource or record attribute list kvs holds, or NULL. */
static const char *kv_str(const cJSON *kvs, const char *key)
{
	const cJSON *v = get(attr(kvs, key), "stringValue");

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/*
 * A dmesg report without a boot time (no wall clock) of a Kubernetes
 * container: ECS's @timestamp is the ingest time, flagged, as
 * event.created; OTel's resource is the container's, by the semantic
 * conventions' names, and its record has no ECS names of them.
 */
static void test_ingest_time_and_resource(void)
{
	struct oom_report *r = oom_report_new();
	struct oom_kill *k;
	cJSON *doc, *flags, *rl, *rec, *x;
	char *s;
	int flagged = 0;

	r->known = RK_KTIME;
	r->ktime_us = 8123456789;
	r->host = xstrdup("node7");
	r->task_memcg = xstrdup("/kubepods.slice/kubepods-burstable.slice/"
		"kubepods-burstable-pod0f3c2b1a_4d5e_6f70_8192_a3b4c5d6e7f8"
		".slice/cri-containerd-"
		"4a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
		".scope");
	k = oom_report_add_kill(r);
	k->pid = 31;
	k->comm = xstrdup("java");

	doc = reparsed(out_ecs_event(r, 5, "k.dmesg", INGESTED_US), &s);
	cJSON_free(s);
	if (doc) {
		check_ecs(doc);
		CHECK_STR(get(doc, "@timestamp")->valuestring,
			  "2026-11-22T00:00:00.500000Z");
		CHECK_STR(get(doc, "event.created")->valuestring,
			  "2026-11-22T00:00:00.500000Z");
		flags = get(doc, "linux.oom.flags");
		cJSON_ArrayForEach(x, flags)
			flagged += str_is(x, "time_from_ingest");
		CHECK_EQ(flagged, 1);
		CHECK_STR(get(doc, "container.id")->valuestring,
			  "4a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9");
		cJSON_Delete(doc);
	}

	doc = reparsed(out_hec_event(out_ecs_event(r, 5, "k.dmesg",
						   INGESTED_US),
				     r, "k.dmesg", INGESTED_US), &s);
	if (doc) {
		check_hec(doc, s);
		CHECK(strstr(s, "{\"time\":1795305600.500000,") == s, "%s", s);
		cJSON_Delete(doc);
	}
	cJSON_free(s);

	doc = out_ecs_event(r, 5, "k.dmesg", INGESTED_US);
	x = doc;
	doc = otel_line(x, r, NULL, &s);
	cJSON_Delete(x);
	cJSON_free(s);
	if (doc) {
		check_otel(doc);
		rl = cJSON_GetArrayItem(get(doc, "resourceLogs"), 0);
		x = get(rl, "resource.attributes");
		CHECK_STR(kv_str(x, "host.name"), "node7");
		CHECK_STR(kv_str(x, "k8s.pod.uid"),
			  "0f3c2b1a-4d5e-6f70-8192-a3b4c5d6e7f8");
		CHECK_STR(kv_str(x, "container.id"),
			  "4a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9");
		CHECK_STR(kv_str(x, "container.runtime"), "containerd");
		CHECK(!attr(x, "service.name"), "no unit, no service.name");
		rec = cJSON_GetArrayItem(get(cJSON_GetArrayItem(get(rl,
			"scopeLogs"), 0), "logRecords"), 0);
		CHECK(!get(rec, "timeUnixNano"), "no wall clock, no time");
		CHECK_STR(get(rec, "observedTimeUnixNano")->valuestring,
			  "1795305600500000000");
		CHECK(kv_str(get(rec, "attributes"), "linux.oom.workload.pod_uid")
		      != NULL, "linux.oom.workload stays on the record");
		cJSON_Delete(doc);
	}
	oom_report_free(r);
}

static void test_formats(void)
{
	struct oom_report *r = hostile_report();
	cJSON *ecs, *doc, *attrs, *x;
	struct diagnosis d;
	struct buf b = BUF_INIT;
	FILE *fp;
	char *s;

	hostile_diagnosis(&d);
	lineno = 1;
	ecs = out_ecs_event(r, 42, "/var/log/kern.log", INGESTED_US);
	out_ecs_add_diagnosis(ecs, &d);
	cJSON_AddStringToObject(cJSON_GetObjectItem(ecs, "event"), "original",
				r->raw);
	doc = reparsed(out_hec_event(ecs, r, "/var/log/kern.log", INGESTED_US),
		       &s);
	if (doc) {
		check_hec(doc, s);
		CHECK(strstr(s, "{\"time\":1795230727.123456,") == s, "%s", s);
		CHECK_STR(get(doc, "host")->valuestring, "db\x1b[2J1");
		CHECK_STR(get(doc, "event.process.name")->valuestring,
			  "\x1b[2Jx\xc2\x9b");
		CHECK_STR(get(doc, "event.linux.oom.diagnosis.kind")->valuestring,
			  "shared-memory");
		x = get(doc, "event.linux.oom.diagnosis.also");
		CHECK_EQ(cJSON_GetArraySize(x), 2);
		CHECK_STR(cJSON_GetArrayItem(x, 1)->valuestring, "tmpfs");
		CHECK_STR(get(doc, "event.linux.oom.diagnosis.culprit.kind")
				  ->valuestring, "task");
		CHECK_STR(get(doc, "event.linux.oom.diagnosis.culprit.name")
				  ->valuestring, "ru,n\x1b[2Jner");
		cJSON_Delete(doc);
	}
	cJSON_free(s);

	ecs = out_ecs_event(r, 42, "/var/log/kern.log", INGESTED_US);
	out_ecs_add_diagnosis(ecs, &d);
	doc = otel_line(ecs, r, r->raw, &s);
	cJSON_Delete(ecs);
	cJSON_free(s);
	if (doc) {
		check_otel(doc);
		attrs = get(cJSON_GetArrayItem(get(cJSON_GetArrayItem(get(
					cJSON_GetArrayItem(get(doc, "resourceLogs"), 0),
					"scopeLogs"), 0), "logRecords"), 0), "attributes");
		CHECK_STR(get(attr(attrs, "process.pid"), "intValue")->valuestring,
			  "7");
		CHECK_STR(get(attr(attrs, "linux.oom.memcg.path"),
			      "stringValue")->valuestring,
			  "/a,b/\"q\"/\x1b]0;t\x07");
		CHECK_STR(get(attr(attrs, "log.record.original"),
			      "stringValue")->valuestring,
			  "line one \x1b[2J\nline two \xef\xbf\xbd");
		CHECK(cJSON_IsTrue(get(attr(attrs, "linux.oom.reconstructed.agrees"),
				       "boolValue")), "agrees");
		CHECK_STR(get(attr(attrs, "linux.oom.diagnosis.kind"),
			      "stringValue")->valuestring, "shared-memory");
		x = get(attr(attrs, "linux.oom.diagnosis.also"),
			"arrayValue.values");
		CHECK_EQ(cJSON_GetArraySize(x), 2);
		CHECK_STR(get(cJSON_GetArrayItem(x, 0), "stringValue")
				  ->valuestring, "hugetlb-reserved");
		CHECK_STR(get(attr(attrs, "linux.oom.diagnosis.culprit.kind"),
			      "stringValue")->valuestring, "task");
		CHECK_STR(get(attr(attrs, "linux.oom.diagnosis.culprit.name"),
			      "stringValue")->valuestring, "ru,n\x1b[2Jner");
		CHECK_STR(get(cJSON_GetArrayItem(get(doc, "resourceLogs"), 0),
			      "resource.attributes")->child->child->valuestring,
			  "host.name");
		cJSON_Delete(doc);
	}
	out_event_summary(&b, r);
	CHECK_STR(b.data, "oom-kill: \x1b[2Jx\xc2\x9b (7) and 1 other on db\x1b[2J1");
	buf_release(&b);

	fp = tmpfile();
	out_csv_export_header(fp);
	out_csv_export_rows(fp, r, 42, NULL, &d);
	out_csv_export_rows(fp, r, 42, "plain", NULL);
	s = captured(fp);
	CHECK(!strchr(s, 0x1b) && !strchr(s, 0x07), "no ESC or BEL in CSV");
	check_csv(s, 1);
	CHECK(strstr(s, "\r\n2026-11-21T03:12:07.123456Z,db\\x1b[2J1,42,7,"
		      "\\x1b[2Jx\\xc2\\x9b,66,ev\\x07il\\xff,memcg,"
		      "\"/a,b/\"\"q\"\"/\\x1b]0;t\\x07\",1024,,,-17,1000,7,true,"
		      "shared-memory,\"hugetlb-reserved,tmpfs\",task,"
		      "\"ru,n\\x1b[2Jner\"\r\n")
	      != NULL, "the hostile row: %s", s);
	CHECK(strstr(s, ",42,8,plain,") != NULL, "the group's second kill");
	CHECK(strstr(s, ",7,true,,,,\r\n") != NULL,
	      "no diagnosis: four empty fields: %s", s);
	free(s);
	oom_report_free(r);
}

int main(int argc, char **argv)
{
	setenv("TZ", "UTC", 1);
	if (argc >= 3 && !strcmp(argv[1], "--shape"))
		return shape_main(argv[2], argc > 3 ? argv[3] : NULL);
	if (argc > 1) {
		fprintf(stderr, "usage: test-output [--shape "
				"ecs|hec|otel|csv|sqlcsv|ndjson [FILE]]\n");
		return 2;
	}
	test_escape();
	test_fix_utf8();
	test_json_line_safe();
	test_json_writers();
	test_csv_field();
	test_formats();
	test_ingest_time_and_resource();
	return check_done("test-output");
}
