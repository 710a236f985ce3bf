/*
 * fuzz.h: what the libFuzzer harnesses share: the fuzz input as a scan
 * reader (collect.h's mem_read) and a cap on what one input may make a
 * decoder produce, so that a small decompression bomb costs a bounded
 * time instead of tripping libFuzzer's timeout.
 */
#ifndef OOMLENS_FUZZ_H
#define OOMLENS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "classify.h"
#include "collect.h"

/* Decoded bytes read from one input before a harness stops reading. */
#define FUZZ_MAX_DECODED (64u << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A bug the sanitizers cannot see (a broken invariant): crash so that
 * libFuzzer keeps the input. */
#define FUZZ_ASSERT(cond)                                                  \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: invariant broken: %s\n",   \
				__FILE__, __LINE__, #cond);                \
			abort();                                           \
		}                                                          \
	} while (0)

/* The classifier every scanning harness needs, compiled once in
 * LLVMFuzzerInitialize(); a failure is a setup bug: stop at once. */
static inline struct classifier *fuzz_classifier(void)
{
	struct classifier *c = NULL;
	char *err = NULL;

	if (classify_new(&c, &err) < 0) {
		fprintf(stderr, "classify_new: %s\n", err);
		abort();
	}
	return c;
}

#endif
