/* picture.c: see picture.h. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "badness.h"
#include "buf.h"
#include "chart.h"
#include "oom.h"
#include "output.h"
#include "picture.h"
#include "table.h"

static int fitted_width = PICTURE_WIDTH;

void picture_fit(size_t cols)
{
	/* the 10-column label and its blank, the picture's two ends */
	size_t room = cols > 13 + 10 ? cols - 13 : 10;

	fitted_width = !cols || room >= PICTURE_WIDTH ? PICTURE_WIDTH
						       : (int)room;
}

int picture_width(void)
{
	return fitted_width;
}

void picture_label(FILE *out, const char *l)
{
	/* measured: a label of wide characters lines up too */
	text_pad(out, l, 10);
	fputc(' ', out);
}

void picture_put(FILE *out, struct buf *b)
{
	fwrite(b->data, 1, b->len, out);
	buf_reset(b);
}

void picture_size_pages(char *buf, size_t n, const struct oom_report *r,
			uint64_t pages)
{
	if (mem_has(r, MEM_PAGE_SIZE_KB))
		out_size_kb(buf, n, pages * r->mem[MEM_PAGE_SIZE_KB]);
	else
		snprintf(buf, n, "%" PRIu64 " pages", pages);
}

static uint64_t page_kb(const struct oom_report *r)
{
	uint64_t kb = mem_has(r, MEM_PAGE_SIZE_KB) ? r->mem[MEM_PAGE_SIZE_KB]
						   : badness_page_kb(r);

	return kb ? kb : 4;
}

/* One legend entry: "█ anon 11.2 GiB". */
static void legend(struct buf *b, const struct chart_seg *s, const char *name,
		   uint64_t kb, unsigned cf)
{
	char a[32];

	out_size_kb(a, sizeof(a), kb);
	if (b->len)
		buf_adds(b, "  ");
	chart_glyph(b, s, cf);
	buf_addf(b, " %s %s", name, a);
}

/*
 * The memory the OOM killer shared out, stacked against totalpages: anon
 * without shmem (the kernel keeps shmem on the anon lists), shmem, file,
 * page tables and swap in use; the blank rest is free, slab and the like.
 */
void picture_memory(FILE *out, const struct oom_report *r, unsigned cf)
{
	static const char *const names[] = { "anon", "shmem", "file",
					     "page tables", "swap" };
	struct chart_seg s[5] = {
		{ 0, "█", '#', CHART_BLUE },
		{ 0, "▓", '%', CHART_MAGENTA },
		{ 0, "▒", '=', CHART_CYAN },
		{ 0, "░", '+', CHART_YELLOW },
		{ 0, "▞", '~', CHART_RED },
	};
	uint64_t pk = page_kb(r);
	struct buf b = BUF_INIT;
	char a[32];

	if (!(r->known & RK_TOTALPAGES) || !r->totalpages ||
	    !mem_has(r, MEM_ACTIVE_ANON) || !mem_has(r, MEM_INACTIVE_ANON) ||
	    oom_report_is_memcg(r))
		return;
	s[0].value = r->mem[MEM_ACTIVE_ANON] + r->mem[MEM_INACTIVE_ANON];
	if (mem_has(r, MEM_SHMEM)) {
		s[1].value = r->mem[MEM_SHMEM];
		s[0].value -= s[0].value > s[1].value ? s[1].value : s[0].value;
	}
	if (mem_has(r, MEM_ACTIVE_FILE) && mem_has(r, MEM_INACTIVE_FILE))
		s[2].value = r->mem[MEM_ACTIVE_FILE] + r->mem[MEM_INACTIVE_FILE];
	if (mem_has(r, MEM_PAGETABLES))
		s[3].value = r->mem[MEM_PAGETABLES];
	if (mem_has(r, MEM_TOTAL_SWAP_KB) && mem_has(r, MEM_FREE_SWAP_KB) &&
	    r->mem[MEM_TOTAL_SWAP_KB] >= r->mem[MEM_FREE_SWAP_KB])
		s[4].value = (r->mem[MEM_TOTAL_SWAP_KB] -
			      r->mem[MEM_FREE_SWAP_KB]) / pk;
	picture_label(out, "");
	buf_adds(&b, chart_left(cf));
	chart_stack(&b, s, 5, r->totalpages, picture_width(), cf);
	buf_adds(&b, chart_right(cf));
	picture_size_pages(a, sizeof(a), r, r->totalpages);
	buf_addf(&b, " of totalpages %s\n", a);
	picture_put(out, &b);
	for (size_t i = 0; i < 5; i++)
		if (s[i].value)
			legend(&b, &s[i], names[i], s[i].value * pk, cf);
	picture_label(out, "");
	buf_addch(&b, '\n');
	picture_put(out, &b);
	buf_release(&b);
}

/* Free against the min watermark, on a scale up to the high watermark
 * (or free, when more): below the mark is where the allocation failed. */
void picture_zone(FILE *out, const struct oom_zone *z, unsigned cf)
{
	uint64_t free = z->values[ZONE_FREE], min = z->values[ZONE_MIN];
	uint64_t top = z->known & (1u << ZONE_HIGH) ? z->values[ZONE_HIGH]
						    : min + min / 2;
	struct buf b = BUF_INIT;

	if (top < free)
		top = free;
	if (top < min)
		top = min;
	picture_label(out, "");
	buf_adds(&b, chart_left(cf));
	chart_gauge(&b, free, min, top, picture_width(), cf);
	buf_adds(&b, chart_right(cf));
	buf_addf(&b, " free, %s min\n", cf & CHART_UNICODE ? "┃" : "|");
	picture_put(out, &b);
	buf_release(&b);
}

void picture_memcg(FILE *out, const struct oom_report *r, unsigned cf)
{
	const struct memcg_usage *m = &r->memcg[MEMCG_MEMORY];
	struct buf pic = BUF_INIT;

	if (!m->known || !m->limit_kb || m->limit_kb >= MEMCG_UNLIMITED_KB)
		return;
	picture_label(out, "");
	buf_adds(&pic, chart_left(cf));
	chart_bar(&pic, (double)m->usage_kb / (double)m->limit_kb,
		  picture_width(), CHART_RED, cf);
	buf_addf(&pic, "%s usage of the limit\n", chart_right(cf));
	picture_put(out, &pic);
	buf_release(&pic);
}

void picture_zones(FILE *out, const struct oom_report *r, unsigned cf)
{
	char a[32], b[32];

	for (size_t i = 0; i < r->n_zones; i++) {
		const struct oom_zone *z = &r->zones[i];
		unsigned need = 1u << ZONE_FREE | 1u << ZONE_MIN;

		if ((z->known & need) != need)
			continue;
		picture_label(out, i ? "" : "Zones:");
		if (z->node >= 0)
			fprintf(out, "node %" PRId64 " ", z->node);
		out_escaped(out, z->name);
		out_size_kb(a, sizeof(a), z->values[ZONE_FREE]);
		out_size_kb(b, sizeof(b), z->values[ZONE_MIN]);
		fprintf(out, ": free %s, min %s%s\n", a, b,
			z->values[ZONE_FREE] < z->values[ZONE_MIN]
				? "  (below the min watermark)" : "");
		picture_zone(out, z, cf);
	}
}
