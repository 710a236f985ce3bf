/*
 * fuzz-source.c: the compressed-source stack: codec by magic (gzip, xz,
 * zstd, bzip2, plain), the decoder over the raw block, the 4 KiB head
 * and its classification, and the reader that replays it, over an input
 * in memory.  A damaged stream must end in an error with a message, not
 * in a crash or a hang.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "source-int.h"
#include "xalloc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[SOURCE_IN_SIZE];
	struct mem m = { (const char *)data, size, 0 };
	struct scan_reader raw = { mem_read, &m };
	struct source *s = source_new(xstrdup("fuzz-input"), &raw, 0);
	struct scan_reader rd;
	size_t total = 0;
	ssize_t n;

	source_setup(s);
	/* the last kind of enum source_kind: journalctl's export and json
	 * streams are told by content too, after the tar and journal marks */
	FUZZ_ASSERT(s->kind <= SOURCE_JOURNAL_JSON);
	FUZZ_ASSERT(s->codec <= SOURCE_BZIP2);
	rd = source_reader(s);
	/* odd read sizes, to cross the head and the decoder's blocks */
	while ((n = rd.read(rd.ctx, buf, 1 + (total * 7919) % sizeof(buf))) > 0) {
		total += (size_t)n;
		if (total > FUZZ_MAX_DECODED)
			break;
	}
	if (n < 0) {
		const char *why = source_strerror(s, (int)n);

		FUZZ_ASSERT(why && *why);
		/* a failed reader stays failed */
		FUZZ_ASSERT(rd.read(rd.ctx, buf, sizeof(buf)) < 0);
	}
	source_close(s);
	return 0;
}
