/*
 * output-otel.c: OpenTelemetry log records in the OTLP/JSON encoding,
 * one ExportLogsServiceRequest per line, for an OTLP/HTTP receiver
 * (POST /v1/logs) or the collector's file receivers.
 *
 * OTLP/JSON writes 64-bit integers as decimal strings (timeUnixNano,
 * intValue) and enums as numbers; attributes are flat key/value lists
 * whose keys are dotted paths, as the semantic conventions name them
 * (host.name, process.pid, log.file.path).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json-writer.h"
#include "oom.h"
#include "oomlens.h"
#include "output-formats.h"
#include "output.h"
#include "xalloc.h"

/* SeverityNumber of WARN in the OpenTelemetry log data model. */
#define OTEL_SEVERITY_WARN 13

/* Not attributes: they have their own places in the record (@timestamp,
 * event.created) or the resource (host, and the workload: service,
 * container, orchestrator, labels), are ECS's own (ecs.version), or are
 * too big for one (the task dump and zones: read them from the ecs or hec
 * export), or are renamed (event.original). */
static const char *const skipped[] = {
	"@timestamp", "ecs", "event.created", "host", "service", "container",
	"orchestrator", "labels", "event.original", "linux.oom.tasks",
	"linux.oom.zones", NULL,
};

/* The resource attributes of the semantic conventions, from the ECS
 * document's fields of the same meaning: what ran the victim. */
static const struct {
	const char *otel, *ecs[4];
} resource_keys[] = {
	{ "host.name", { "host", "name" } },
	{ "service.name", { "service", "name" } },
	{ "container.id", { "container", "id" } },
	{ "container.runtime", { "container", "runtime" } },
	{ "k8s.pod.uid", { "orchestrator", "resource", "id" } },
};

/* The longest of them: a longer path is never one. */
static size_t skipped_max_len(void)
{
	size_t m = 0;

	for (size_t i = 0; skipped[i]; i++)
		if (strlen(skipped[i]) > m)
			m = strlen(skipped[i]);
	return m;
}

static int is_skipped(const char *key)
{
	for (size_t i = 0; skipped[i]; i++)
		if (!strcmp(key, skipped[i]))
			return 1;
	return 0;
}

/* OTLP's intValue: the integer as a string. */
static void put_int_value(struct jw *w, int64_t v)
{
	jw_key(w, "intValue");
	putc1(w->b, '"');
	if (v < 0)
		putc1(w->b, '-');
	put_u64(w->b, v < 0 ? -(uint64_t)v : (uint64_t)v);
	putc1(w->b, '"');
}

/* The AnyValue of one JSON number: intValue (a string) when it is an
 * integer in int64 range, else doubleValue, printed as cJSON prints it. */
static void put_number(struct jw *w, const cJSON *n)
{
	if (cJSON_IsRaw(n)) {
		char *end;
		long long i;

		errno = 0;
		i = strtoll(n->valuestring, &end, 10);
		if (!errno && end != n->valuestring && !*end) {
			put_int_value(w, (int64_t)i);
		} else {
			jw_key(w, "doubleValue");
			puts0(w->b, n->valuestring);
		}
	} else if (isfinite(n->valuedouble) &&
		   n->valuedouble == (double)(int64_t)n->valuedouble) {
		put_int_value(w, (int64_t)n->valuedouble);
	} else {
		/* rare (no field holds a fraction today): cJSON's own
		 * printing, its choice of %.15g or %.17g included */
		cJSON *t = cJSON_CreateNumber(n->valuedouble);
		char *p = t ? cJSON_PrintUnformatted(t) : NULL;

		jw_key(w, "doubleValue");
		puts0(w->b, p ? p : "null");
		cJSON_free(p);
		cJSON_Delete(t);
	}
}

static void put_kvs(struct jw *w, struct buf *key, const cJSON *obj,
		    size_t skip_max);

/* The AnyValue of one JSON value, as the member key (NULL: an array's
 * element); objects only occur inside arrays here (elsewhere they are
 * flattened) and become kvlistValue. */
static void put_any(struct jw *w, const char *key, const cJSON *x)
{
	const cJSON *it;

	jw_obj(w, key);
	if (cJSON_IsString(x)) {
		jw_str(w, "stringValue", x->valuestring);
	} else if (cJSON_IsBool(x)) {
		jw_bool(w, "boolValue", cJSON_IsTrue(x));
	} else if (cJSON_IsRaw(x) || cJSON_IsNumber(x)) {
		put_number(w, x);
	} else if (cJSON_IsArray(x)) {
		jw_obj(w, "arrayValue");
		jw_arr(w, "values");
		cJSON_ArrayForEach(it, x)
			put_any(w, NULL, it);
		jw_end_arr(w);
		jw_end(w);
	} else if (cJSON_IsObject(x)) {
		struct buf inner = BUF_INIT;

		jw_obj(w, "kvlistValue");
		jw_arr(w, "values");
		put_kvs(w, &inner, x, 0);
		jw_end_arr(w);
		jw_end(w);
		buf_release(&inner);
	}
	/* null: an empty AnyValue, which OTLP reads as no value */
	jw_end(w);
}

/* One KeyValue, an array's element. */
static void put_kv(struct jw *w, const char *key, const cJSON *value)
{
	jw_obj(w, NULL);
	jw_str(w, "key", key);
	put_any(w, "value", value);
	jw_end(w);
}

static void put_kv_str(struct jw *w, const char *key, const char *value)
{
	jw_obj(w, NULL);
	jw_str(w, "key", key);
	jw_obj(w, "value");
	jw_str(w, "stringValue", value);
	jw_end(w);
	jw_end(w);
}

/* obj's members as key/values; nested objects become dotted keys (key
 * holds the path so far, and is left as it was).  The skipped keys are
 * the record's own: skip_max is the longest of them there, 0 elsewhere (a
 * story line in an array keeps its "host"). */
static void put_kvs(struct jw *w, struct buf *key, const cJSON *obj,
		    size_t skip_max)
{
	const size_t at = key->len;
	const cJSON *it;

	cJSON_ArrayForEach(it, obj) {
		key->len = at;
		if (at)
			buf_addch(key, '.');
		buf_adds(key, it->string);
		if (key->len <= skip_max && is_skipped(key->data))
			;
		else if (cJSON_IsObject(it))
			put_kvs(w, key, it, skip_max);
		else
			put_kv(w, key->data, it);
	}
	key->len = at;
	if (key->data)
		key->data[at] = '\0';
}

void out_event_summary(struct buf *b, const struct oom_report *r)
{
	const struct oom_kill *v = oom_report_victim(r);

	if (v) {
		buf_addf(b, "oom-kill: %s (%" PRId64 ")", v->comm, v->pid);
		if (r->n_kills > 1)
			buf_addf(b, " and %zu other%s", r->n_kills - 1,
				 r->n_kills > 2 ? "s" : "");
	} else {
		buf_adds(b, "oom: no task killed");
	}
	if (r->host)
		buf_addf(b, " on %s", r->host);
}

/* The string at the path of keys in doc, or NULL. */
static const char *ecs_string(const cJSON *doc, const char *const *path)
{
	for (; *path && doc; path++)
		doc = cJSON_GetObjectItemCaseSensitive(doc, *path);
	return cJSON_IsString(doc) ? doc->valuestring : NULL;
}

/* A time in OTLP's nanoseconds (a string): absent before 1970 and past
 * 2262, where they overflow int64. */
static void put_nanos(struct jw *w, const char *key, int64_t us)
{
	char num[32];

	if (us < 0 || us > INT64_MAX / 1000)
		return;
	snprintf(num, sizeof(num), "%" PRId64, us * 1000);
	jw_str(w, key, num);
}

void out_otel_write(struct buf *b, const cJSON *ecs,
		    const struct oom_report *r, const char *raw,
		    int64_t ingested_us)
{
	struct jw w = { .b = b };
	struct buf s = BUF_INIT;

	jw_obj(&w, NULL);
	jw_arr(&w, "resourceLogs");
	jw_obj(&w, NULL);
	jw_obj(&w, "resource");
	jw_arr(&w, "attributes");
	for (size_t i = 0; i < sizeof(resource_keys) / sizeof(*resource_keys);
	     i++) {
		const char *v = ecs_string(ecs, resource_keys[i].ecs);

		if (v)
			put_kv_str(&w, resource_keys[i].otel, v);
	}
	jw_end_arr(&w);
	jw_end(&w);

	jw_arr(&w, "scopeLogs");
	jw_obj(&w, NULL);
	jw_obj(&w, "scope");
	jw_str(&w, "name", "oomlens");
	jw_str(&w, "version", OOMLENS_VERSION);
	jw_end(&w);
	jw_arr(&w, "logRecords");
	jw_obj(&w, NULL);
	/* the log's time when it has one; when oomlens read it always
	 * (the data model's observed time, which receivers use without
	 * the other) */
	if (r->known & RK_WALL)
		put_nanos(&w, "timeUnixNano", r->wall_us);
	if (ingested_us > 0)
		put_nanos(&w, "observedTimeUnixNano", ingested_us);
	jw_i64(&w, "severityNumber", OTEL_SEVERITY_WARN);
	jw_str(&w, "severityText", "WARN");
	out_event_summary(&s, r);
	jw_obj(&w, "body");
	jw_str(&w, "stringValue", s.data ? s.data : "");
	jw_end(&w);
	jw_arr(&w, "attributes");
	buf_reset(&s);
	put_kvs(&w, &s, ecs, skipped_max_len());
	if (raw)
		put_kv_str(&w, "log.record.original", raw);
	jw_end_arr(&w);
	jw_end(&w);	/* the record */
	jw_end_arr(&w);
	jw_end(&w);	/* the scope's logs */
	jw_end_arr(&w);
	jw_end(&w);	/* the resource's logs */
	jw_end_arr(&w);
	jw_end(&w);
	putc1(b, '\n');
	b->data[b->len] = '\0';
	buf_release(&s);
}
