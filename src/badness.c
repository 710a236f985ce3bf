/* badness.c: see badness.h. */
#include <string.h>

#include "badness.h"
#include "oom.h"

int badness_totalpages(struct oom_report *r)
{
	uint64_t ram, reserved, page_kb;

	if (!r->constraint || strcmp(r->constraint, CONSTRAINT_NONE_NAME) != 0)
		return 0;
	if (!mem_has(r, MEM_RAM_PAGES) || !mem_has(r, MEM_RESERVED_PAGES) ||
	    !mem_has(r, MEM_TOTAL_SWAP_KB) || !mem_has(r, MEM_PAGE_SIZE_KB))
		return 0;
	ram = r->mem[MEM_RAM_PAGES];
	reserved = r->mem[MEM_RESERVED_PAGES];
	page_kb = r->mem[MEM_PAGE_SIZE_KB];
	if (reserved > ram || page_kb == 0)
		return 0;
	/* totalram_pages = Σ managed = RAM − reserved (3.19+, RHEL 7);
	 * total_swap_pages from "Total swap" kB */
	r->totalpages = ram - reserved + r->mem[MEM_TOTAL_SWAP_KB] / page_kb;
	r->known |= RK_TOTALPAGES;
	return 1;
}
