/*
 * fuzz-scan.c: the text path whole: every container (dmesg, syslog,
 * journal text, kmsg, RFC 5424, ...), the joiner of wrapped and
 * KERN_CONT lines and the report assembler, through scan_stream() over
 * the input in memory.
 *
 * The input is scanned twice, once in one piece and once handed out in
 * small chunks (a size taken from the input), and both must give the
 * same reports: where the reader's blocks end must never change what is
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* 2026-11-22T12:00:00Z, the fixtures' reference time */
	const int64_t ref = 1795348800;
	static struct got whole, chunked;
	size_t chunk = size ? 1 + data[size - 1] % 97 : 1;

	got_scan(cls, (const char *)data, size, 0, ref, &whole);
	got_scan(cls, (const char *)data, size, chunk, ref, &chunked);
	FUZZ_ASSERT(whole.n == chunked.n);
	FUZZ_ASSERT(whole.warnings == chunked.warnings);
	for (size_t i = 0; i < whole.n; i++) {
		const struct oom_report *a = whole.r[i], *b = chunked.r[i];

		FUZZ_ASSERT(a->n_tasks == b->n_tasks);
		FUZZ_ASSERT(a->n_kills == b->n_kills);
		FUZZ_ASSERT(a->first_line == b->first_line);
		FUZZ_ASSERT(a->raw_len == b->raw_len);
		FUZZ_ASSERT(same_str(a->trigger_comm, b->trigger_comm));
		FUZZ_ASSERT(same_str(a->selected_comm, b->selected_comm));
	}
	got_free(&whole);
	got_free(&chunked);
	return 0;
}
