/*
 * scan.h: one input stream -> OOM reports.
 *
 * Reads the stream in large blocks, and while no report is open looks only
 * at lines that hold an anchor string (memmem), so that lines unrelated to
 * OOM cost a byte scan and nothing more.  Inside a report every line is
 * recognised (fmt.h), classified (classify.h) and fed to the assembler
 * (report.h).
 */
#ifndef OOMLENS_SCAN_H
#define OOMLENS_SCAN_H

#include <stdint.h>
#include <sys/types.h>

struct classifier;
struct report_sink;

/* Where bytes come from: returns bytes read, 0 at end, -errno on error. */
struct scan_reader {
	ssize_t (*read)(void *ctx, void *buf, size_t n);
	void *ctx;
};

struct scan_stats {
	uint64_t bytes;
	uint64_t lines;
	uint64_t candidates;	/* lines the prefilter let through */
	uint64_t long_lines;	/* lines cut at MAX_LINE_LEN */
	/* Where a later read of the same stream may start: the end of a
	 * whole line (with its newline) where no report was open, and the
	 * lines before it. */
	uint64_t safe_bytes, safe_lines;
};

/*
 * Scan the whole stream.  ref_time (seconds) dates syslog lines that carry
 * no year.  Reports go to sink as they complete; at the end every open
 * report is closed and emitted.  Returns 0, or the reader's -errno (the
 * reports read so far have been emitted).
 */
int scan_stream(struct classifier *c, const struct scan_reader *rd,
		int64_t ref_time, const struct report_sink *sink,
		struct scan_stats *stats);
/* The same for a stream resumed after lines_before lines: line numbers
 * (messages, stored line ranges) go on from there; stats count what is
 * read now. */
int scan_stream_at(struct classifier *c, const struct scan_reader *rd,
		   int64_t ref_time, uint64_t lines_before,
		   const struct report_sink *sink, struct scan_stats *stats);

/*
 * A plain input in memory (a file mapped private and writable: the scanner
 * may write into it), scanned as scan_stream_at() would read it, with
 * the anchor search done ahead by threads (prefilter.h).  step, when set,
 * is called before each block (and once after the last) with the offset
 * its bytes reach and the offset before which no byte will be looked at
 * again; a negative return stops the scan with that error.
 */
struct scan_map {
	char *data;
	uint64_t len;
	unsigned threads;
	int (*step)(void *ctx, uint64_t reach, uint64_t done);
	void *ctx;
};

int scan_map_at(struct classifier *c, const struct scan_map *m,
		int64_t ref_time, uint64_t lines_before,
		const struct report_sink *sink, struct scan_stats *stats);

#endif
