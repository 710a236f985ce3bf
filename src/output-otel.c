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

static int is_skipped(const char *key)
{
	for (size_t i = 0; skipped[i]; i++)
		if (!strcmp(key, skipped[i]))
			return 1;
	return 0;
}

static cJSON *str_value(const char *s)
{
	cJSON *v = cJSON_CreateObject();

	cJSON_AddStringToObject(v, "stringValue", s);
	return v;
}

/* A JSON number as OTLP's intValue (a string) when it is an integer in
 * int64 range, else doubleValue. */
static cJSON *number_value(const cJSON *n)
{
	cJSON *v = cJSON_CreateObject();
	char num[32];

	if (cJSON_IsRaw(n)) {
		char *end;
		long long i;

		errno = 0;
		i = strtoll(n->valuestring, &end, 10);
		if (!errno && end != n->valuestring && !*end) {
			snprintf(num, sizeof(num), "%lld", i);
			cJSON_AddStringToObject(v, "intValue", num);
		} else {
			cJSON_AddRawToObject(v, "doubleValue", n->valuestring);
		}
	} else if (isfinite(n->valuedouble) &&
		   n->valuedouble == (double)(int64_t)n->valuedouble) {
		snprintf(num, sizeof(num), "%" PRId64, (int64_t)n->valuedouble);
		cJSON_AddStringToObject(v, "intValue", num);
	} else {
		cJSON_AddNumberToObject(v, "doubleValue", n->valuedouble);
	}
	return v;
}

static void flatten(cJSON *kvs, const char *prefix, const cJSON *obj,
		    int record);

/* The AnyValue of one JSON value; objects only occur inside arrays here
 * (elsewhere they are flattened) and become kvlistValue. */
static cJSON *any_value(const cJSON *x)
{
	cJSON *v, *list, *it;

	if (cJSON_IsString(x))
		return str_value(x->valuestring);
	if (cJSON_IsBool(x)) {
		v = cJSON_CreateObject();
		cJSON_AddBoolToObject(v, "boolValue", cJSON_IsTrue(x));
		return v;
	}
	if (cJSON_IsRaw(x) || cJSON_IsNumber(x))
		return number_value(x);
	v = cJSON_CreateObject();
	if (cJSON_IsArray(x)) {
		list = cJSON_AddArrayToObject(
			cJSON_AddObjectToObject(v, "arrayValue"), "values");
		cJSON_ArrayForEach(it, x)
			cJSON_AddItemToArray(list, any_value(it));
	} else if (cJSON_IsObject(x)) {
		list = cJSON_AddArrayToObject(
			cJSON_AddObjectToObject(v, "kvlistValue"), "values");
		flatten(list, NULL, x, 0);
	}
	/* null: an empty AnyValue, which OTLP reads as no value */
	return v;
}

static void add_kv(cJSON *kvs, const char *key, cJSON *value)
{
	cJSON *kv = cJSON_CreateObject();

	cJSON_AddStringToObject(kv, "key", key);
	cJSON_AddItemToObject(kv, "value", value);
	cJSON_AddItemToArray(kvs, kv);
}

/* obj's members as key/values; nested objects become dotted keys.  The
 * skipped keys are the record's own (record): a story line in an array
 * keeps its "host". */
static void flatten(cJSON *kvs, const char *prefix, const cJSON *obj,
		    int record)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, obj) {
		char *key = prefix ? xasprintf("%s.%s", prefix, it->string)
				   : xstrdup(it->string);

		if (record && is_skipped(key))
			;
		else if (cJSON_IsObject(it))
			flatten(kvs, key, it, record);
		else
			add_kv(kvs, key, any_value(it));
		free(key);
	}
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
static void add_nanos(cJSON *rec, const char *key, int64_t us)
{
	char num[32];

	if (us < 0 || us > INT64_MAX / 1000)
		return;
	snprintf(num, sizeof(num), "%" PRId64, us * 1000);
	cJSON_AddStringToObject(rec, key, num);
}

cJSON *out_otel_event(const cJSON *ecs, const struct oom_report *r,
		      const char *raw, int64_t ingested_us)
{
	cJSON *doc = cJSON_CreateObject(), *rl, *res, *sl, *rec, *attrs;
	struct buf body = BUF_INIT;

	rl = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "resourceLogs"), rl);
	res = cJSON_AddObjectToObject(rl, "resource");
	attrs = cJSON_AddArrayToObject(res, "attributes");
	for (size_t i = 0; i < sizeof(resource_keys) / sizeof(*resource_keys);
	     i++) {
		const char *v = ecs_string(ecs, resource_keys[i].ecs);

		if (v)
			add_kv(attrs, resource_keys[i].otel, str_value(v));
	}

	sl = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(rl, "scopeLogs"), sl);
	res = cJSON_AddObjectToObject(sl, "scope");
	cJSON_AddStringToObject(res, "name", "oomlens");
	cJSON_AddStringToObject(res, "version", OOMLENS_VERSION);

	rec = cJSON_CreateObject();
	cJSON_AddItemToArray(cJSON_AddArrayToObject(sl, "logRecords"), rec);
	/* the log's time when it has one; when oomlens read it always
	 * (the data model's observed time, which receivers use without
	 * the other) */
	if (r->known & RK_WALL)
		add_nanos(rec, "timeUnixNano", r->wall_us);
	if (ingested_us > 0)
		add_nanos(rec, "observedTimeUnixNano", ingested_us);
	cJSON_AddNumberToObject(rec, "severityNumber", OTEL_SEVERITY_WARN);
	cJSON_AddStringToObject(rec, "severityText", "WARN");
	out_event_summary(&body, r);
	cJSON_AddItemToObject(rec, "body", str_value(body.data));
	buf_release(&body);
	attrs = cJSON_AddArrayToObject(rec, "attributes");
	flatten(attrs, NULL, ecs, 1);
	if (raw)
		add_kv(attrs, "log.record.original", str_value(raw));
	return doc;
}
