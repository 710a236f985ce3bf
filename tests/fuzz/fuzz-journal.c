/*
 * fuzz-journal.c: the journal text decoders: journalctl -o export (the
 * binary-safe Journal Export Format) and -o json / json-seq, as a stream
 * over the input in memory, then the scanner over the text they render.
 *
 * The format is the one the head shows, else the input's last byte picks
 * one, so both decoders see every input.  Each input is decoded twice,
 * whole and in small reads, and both must render the same text.
 */
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "fuzz.h"
#include "journal.h"

static struct classifier *cls;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	cls = fuzz_classifier();
	return 0;
}

struct warn_count {
	unsigned n;
	uint64_t last_line;
};

static void on_warn(void *ctx, uint64_t lineno, const char *msg)
{
	struct warn_count *w = ctx;

	FUZZ_ASSERT(msg && *msg);
	w->n++;
	w->last_line = lineno;
}

/* Decode size bytes, read chunk at a time (0: as they come), into out;
 * returns the reader's last result (0 or -errno). */
static ssize_t decode(enum journal_text_format fmt, const uint8_t *data,
		      size_t size, size_t chunk, struct buf *out,
		      struct warn_count *w)
{
	struct mem m = { (const char *)data, size, chunk };
	struct scan_reader in = { mem_read, &m };
	struct journal_text *t = journal_text_new(fmt, &in, on_warn, w);
	struct scan_reader rd = journal_text_reader(t);
	char block[8192];
	ssize_t n;

	while ((n = rd.read(rd.ctx, block, 1 + out->len % sizeof(block))) > 0) {
		buf_add(out, block, (size_t)n);
		if (out->len > FUZZ_MAX_DECODED)
			break;
	}
	FUZZ_ASSERT(journal_text_kernel_entries(t) <= journal_text_entries(t));
	(void)journal_text_input_line(t, 1);
	journal_text_free(t);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum journal_text_format fmt = journal_text_sniff(data, size);
	struct buf whole = BUF_INIT, part = BUF_INIT;
	struct warn_count w1 = { 0, 0 }, w2 = { 0, 0 };
	ssize_t r1, r2;
	static struct got g;

	if (fmt == JOURNAL_TEXT_NONE)
		fmt = size && (data[size - 1] & 1) ? JOURNAL_TEXT_JSON
						   : JOURNAL_TEXT_EXPORT;
	r1 = decode(fmt, data, size, 0, &whole, &w1);
	r2 = decode(fmt, data, size, size ? 1 + data[0] % 13 : 1, &part, &w2);
	FUZZ_ASSERT(r1 == r2);
	if (whole.len <= FUZZ_MAX_DECODED) {
		FUZZ_ASSERT(whole.len == part.len);
		FUZZ_ASSERT(!whole.len ||
			    memcmp(whole.data, part.data, whole.len) == 0);
		FUZZ_ASSERT(w1.n == w2.n);
	}
	got_scan(cls, whole.data ? whole.data : "", whole.len, 0, 0, &g);
	got_free(&g);
	buf_release(&whole);
	buf_release(&part);
	return 0;
}
