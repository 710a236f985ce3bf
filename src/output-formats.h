/*
 * output-formats.h: the export formats beside ECS (Splunk HEC, OTLP/JSON
 * log records, CSV), text made safe for terminals and for strict JSON
 * readers, and the aligned table of `oomlens sql`.
 *
 * The shapes are a contract, documented in oomlens(1), EXPORT FORMAT:
 * fields are added in later versions, never renamed.  Nothing here prints
 * anywhere but to the FILE it is given.
 */
#ifndef OOMLENS_OUTPUT_FORMATS_H
#define OOMLENS_OUTPUT_FORMATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

struct buf;
struct diagnosis;
struct oom_report;

/* The HEC "sourcetype" of every event. */
#define OUT_HEC_SOURCETYPE "linux:oom"

/*
 * Splunk HTTP Event Collector envelope around ecs, the event's ECS
 * document (out_ecs_event()), whose ownership passes to the result:
 * {"time", "host", "source", "sourcetype", "event"}.  time (epoch seconds
 * with six decimals) is @timestamp's: the wall clock, else ingested_us
 * (absent when that is 0 too); host is absent when unknown; source is the
 * input the event was read from (may be NULL: absent).
 */
cJSON *out_hec_event(cJSON *ecs, const struct oom_report *r,
		     const char *source, int64_t ingested_us);

/*
 * One OTLP/JSON logs document ({"resourceLogs": [...]}) holding one log
 * record for the event: the resource attributes of the semantic
 * conventions (host.name, service.name, container.id, container.runtime,
 * k8s.pod.uid: each when known), scope "oomlens", timeUnixNano (a string,
 * absent when unknown), observedTimeUnixNano (ingested_us, when oomlens
 * read it; absent when 0), severity WARN, a one-line body, and as
 * attributes the ECS document's fields flattened to dotted keys, without
 * what is above, ecs.version, and the task dump and zones.  raw (may be
 * NULL) becomes log.record.original.  ecs is only read.  Appended to b,
 * as one line (its newline, and a NUL after it), written as it goes: byte
 * for byte what out_json_line_safe() printed of the tree it once built.
 */
void out_otel_write(struct buf *b, const cJSON *ecs,
		    const struct oom_report *r, const char *raw,
		    int64_t ingested_us);

/* The one-line summary used as the OTLP body, into b (appended):
 * "oom-kill: postgres (1201) on db1". */
void out_event_summary(struct buf *b, const struct oom_report *r);

/*
 * Strict JSON readers (Elasticsearch, protobuf) refuse text that is not
 * UTF-8.  Replace each byte of an invalid sequence in every string value
 * of doc (recursively) by U+FFFD.  Control characters are left to cJSON,
 * which writes them as \u00XX.
 */
void out_json_fix_utf8(cJSON *doc);

/*
 * out_json_line() for text from the log: doc's strings made valid UTF-8
 * (out_json_fix_utf8(), so doc changes), then one line in which DEL and
 * the C1 controls are written \u007f and \u0080 to \u009f too (cJSON
 * escapes only C0): JSON shown on a terminal cannot drive it.  0, -ENOMEM
 * or -EIO.
 */
int out_json_line_safe(FILE *fp, cJSON *doc);
/* s (len bytes, NULs included) as a JSON string on fp, escaped as
 * out_json_line_safe() escapes (invalid UTF-8 bytes as U+FFFD, C0, DEL
 * and C1 as \u00XX), streamed: no copy of s, however long.  0 or -EIO. */
int out_json_string(FILE *fp, const char *s, size_t len);

/* Whether the UTF-8 sequence s (n bytes, as utf8_seq() measured it)
 * is a bidirectional control (U+061C, U+200E/F, U+202A-E, U+2066-9):
 * text output and HTML escape it like other control characters. */
int out_bidi_control(const unsigned char *s, size_t n);

enum out_escape_flags {
	/* also write '\' as \\, so that escapes cannot be forged: every
	 * backslash shown starts \\ or \xNN (the terminal form, as
	 * out_escaped()) */
	OUT_ESC_BACKSLASH = 1 << 0,
	/* leave LF as it is (a CSV field may hold one, quoted) */
	OUT_ESC_KEEP_LF = 1 << 1,
	/* leave TAB as it is */
	OUT_ESC_KEEP_TAB = 1 << 2,
};

/*
 * Append s (len bytes) to b with every byte a terminal may act on written
 * as \xNN: C0 controls (ESC, BEL, CR, ...), DEL, the C1 controls U+0080
 * to U+009F (CSI is U+009B), and each byte of an invalid UTF-8 sequence.
 * Returns the display width added (one column per character, four per
 * \xNN, two per \\).
 */
size_t out_escape(struct buf *b, const char *s, size_t len, unsigned flags);

/*
 * CSV, RFC 4180: records end in CRLF; a field holding a comma, a quote,
 * CR or LF is quoted, quotes doubled.  Fields go through out_escape()
 * (keeping LF and TAB) first, so no control byte reaches a terminal.
 * Each returns 0 or -EIO.
 */
int out_csv_field(FILE *fp, const char *s, size_t len, int first);
int out_csv_end(FILE *fp);

/* The header of export --format csv, and the rows of one event: one per
 * killed task, only those named victim unless it is NULL.  d is the
 * event's diagnosis (diagnosis, diagnosis_also, culprit_kind and
 * culprit_name: the names of diagnosis.h, also comma-separated); NULL:
 * none, the fields are empty. */
int out_csv_export_header(FILE *fp);
int out_csv_export_rows(FILE *fp, const struct oom_report *r, int64_t id,
			const char *victim, const struct diagnosis *d);

#endif
