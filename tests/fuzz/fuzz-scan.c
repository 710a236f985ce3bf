/*
 * fuzz-scan.c: the text path whole: every container (dmesg, syslog,
 * journal text, kmsg, RFC 5424, ...), the joiner of wrapped and
 * KERN_CONT lines and the report assembler, through scan_stream() over
 * the input in memory.
 *
 * The input is scanned three times, once in one piece, once handed out
 * in small chunks (a size taken from the input), and once in memory as a
 * mapped file is (scan_map_at(), its anchors found ahead by one to three
 * threads), and all must give the same reports: where the reader's blocks
 * end, or how the anchor search was split, must never change what is
 * parsed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "oom.h"

static struct classifier *cls;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	cls = fuzz_classifier();
	return 0;
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void same_reports(const struct got *x, const struct got *y)
{
	FUZZ_ASSERT(x->n == y->n);
	FUZZ_ASSERT(x->warnings == y->warnings);
	for (size_t i = 0; i < x->n; i++) {
		const struct oom_report *a = x->r[i], *b = y->r[i];

		FUZZ_ASSERT(a->n_tasks == b->n_tasks);
		FUZZ_ASSERT(a->n_kills == b->n_kills);
		FUZZ_ASSERT(a->first_line == b->first_line);
		FUZZ_ASSERT(a->last_line == b->last_line);
		FUZZ_ASSERT(a->raw_len == b->raw_len);
		FUZZ_ASSERT(same_str(a->trigger_comm, b->trigger_comm));
		FUZZ_ASSERT(same_str(a->selected_comm, b->selected_comm));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* 2026-11-22T12:00:00Z, the fixtures' reference time */
	const int64_t ref = 1795348800;
	static struct got whole, chunked, mapped;
	size_t chunk = size ? 1 + data[size - 1] % 97 : 1;

	got_scan(cls, (const char *)data, size, 0, ref, &whole);
	got_scan(cls, (const char *)data, size, chunk, ref, &chunked);
	got_map(cls, (const char *)data, size, size ? 1 + data[0] % 3 : 1, ref,
		&mapped);
	same_reports(&whole, &chunked);
	same_reports(&whole, &mapped);
	got_free(&whole);
	got_free(&chunked);
	got_free(&mapped);
	return 0;
}
