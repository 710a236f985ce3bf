/*
 * report-body.c: the parts of a report that are tables of numbers: the
 * Mem-Info block and the task dump.  Called by the assembler (report.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "fmt.h"
#include "number.h"
#include "oom.h"
#include "oomlens.h"
#include "report-int.h"
#include "xalloc.h"

/* ---- key:value scanning for Mem-Info lines ------------------------------ */

/* Calls fn for every "key:N" or "key:NkB" token in s.  Keys such as
 * "isolated(anon)" keep their parentheses. */
static void scan_kv(const char *s, size_t n,
		    void (*fn)(void *ctx, const char *k, size_t kl, uint64_t v),
		    void *ctx)
{
	size_t i = 0;

	while (i < n) {
		size_t k0, k1, v0;
		uint64_t v;

		while (i < n && s[i] == ' ')
			i++;
		k0 = i;
		while (i < n && s[i] != ':' && s[i] != ' ')
			i++;
		if (i >= n || s[i] != ':') {
			while (i < n && s[i] != ' ')
				i++;
			continue;
		}
		k1 = i++;
		while (i < n && s[i] == ' ' && k1 > k0 && i == k1 + 1)
			i++;	/* "shmem_thp: 0kB" before 6.x */
		v0 = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i > v0 && num_parse_u64(s + v0, i - v0, &v) == 0)
			fn(ctx, s + k0, k1 - k0, v);
		while (i < n && s[i] != ' ')
			i++;
	}
}

static int key_is(const char *k, size_t kl, const char *name)
{
	return name && strlen(name) == kl && !memcmp(k, name, kl);
}

static void mem_counter(void *ctx, const char *k, size_t kl, uint64_t v)
{
	struct oom_report *r = ctx;

	for (int f = MEM_ACTIVE_ANON; f <= MEM_FREE_CMA; f++)
		if (key_is(k, kl, mem_field_names[f])) {
			mem_set(r, f, v);
			return;
		}
}

struct dup_check {
	const struct oom_report *r;
	int dup;
};

static void mem_counter_dup(void *ctx, const char *k, size_t kl, uint64_t v)
{
	struct dup_check *d = ctx;

	(void)v;
	for (int f = MEM_ACTIVE_ANON; f <= MEM_FREE_CMA; f++)
		if (key_is(k, kl, mem_field_names[f]) && mem_has(d->r, f))
			d->dup = 1;
}

static void zone_value(void *ctx, const char *k, size_t kl, uint64_t v)
{
	struct oom_zone *z = ctx;

	for (int f = 0; f < ZONE_FIELD_COUNT; f++)
		if (key_is(k, kl, zone_field_names[f])) {
			z->values[f] = v;
			z->known |= 1u << f;
			return;
		}
}

/* ---- the task dump ------------------------------------------------------- */

enum col {
	COL_UID, COL_TGID, COL_TOTAL_VM, COL_RSS, COL_RSS_ANON, COL_RSS_FILE,
	COL_RSS_SHMEM, COL_PGTABLES, COL_NR_PTES, COL_NR_PMDS, COL_SWAPENTS,
	COL_CPU, COL_OOM_ADJ, COL_ADJ, COL_END = -1
};

/* Columns after "[ pid ]" for each layout (reference §2.8). */
static const enum col layout_cols[][12] = {
	[LAYOUT_UNKNOWN] = { COL_END },
	[LAYOUT_PGTABLES] = { COL_UID, COL_TGID, COL_TOTAL_VM, COL_RSS,
			      COL_PGTABLES, COL_SWAPENTS, COL_ADJ, COL_END },
	[LAYOUT_RSS_SPLIT] = { COL_UID, COL_TGID, COL_TOTAL_VM, COL_RSS,
			       COL_RSS_ANON, COL_RSS_FILE, COL_RSS_SHMEM,
			       COL_PGTABLES, COL_SWAPENTS, COL_ADJ, COL_END },
	[LAYOUT_NR_PMDS] = { COL_UID, COL_TGID, COL_TOTAL_VM, COL_RSS,
			     COL_NR_PTES, COL_NR_PMDS, COL_SWAPENTS, COL_ADJ,
			     COL_END },
	[LAYOUT_NR_PTES] = { COL_UID, COL_TGID, COL_TOTAL_VM, COL_RSS,
			     COL_NR_PTES, COL_SWAPENTS, COL_ADJ, COL_END },
	[LAYOUT_OOM_ADJ_SCORE] = { COL_UID, COL_TGID, COL_TOTAL_VM, COL_RSS,
				   COL_CPU, COL_OOM_ADJ, COL_ADJ, COL_END },
	[LAYOUT_OOM_ADJ] = { COL_UID, COL_TGID, COL_TOTAL_VM, COL_RSS, COL_CPU,
			     COL_OOM_ADJ, COL_END },
};

/* Whether norm[0, m) begins "<cols> name". */
static int begins_title(const char *norm, size_t m, const char *cols)
{
	size_t n = strlen(cols);

	if (m <= n)
		return !strncmp(norm, cols, m);
	return !strncmp(norm, cols, n) && !strncmp(norm + n, " name", m - n);
}

/* The header's column names (between "rss" and "name") -> layout. */
enum task_layout report_layout_from_header(const char *cols, size_t n,
					   int cut)
{
	static const struct {
		const char *cols;
		enum task_layout layout;
	} known[] = {
		{ "pgtables_bytes swapents oom_score_adj", LAYOUT_PGTABLES },
		{ "rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj",
		  LAYOUT_RSS_SPLIT },
		{ "nr_ptes nr_pmds swapents oom_score_adj", LAYOUT_NR_PMDS },
		{ "nr_ptes swapents oom_score_adj", LAYOUT_NR_PTES },
		{ "cpu oom_adj oom_score_adj", LAYOUT_OOM_ADJ_SCORE },
		{ "cpu oom_adj", LAYOUT_OOM_ADJ },
	};
	char norm[128];
	size_t m = 0;

	/* fold runs of blanks so column widths do not matter */
	for (size_t i = 0; i < n && m + 1 < sizeof(norm); i++) {
		if (cols[i] == ' ' && (m == 0 || norm[m - 1] == ' '))
			continue;
		norm[m++] = cols[i];
	}
	while (m && norm[m - 1] == ' ')
		m--;
	norm[m] = '\0';
	if (cut) {
		/* the names shown, the last maybe cut: the one layout whose
		 * names begin so ("nr_ptes " fits two: none) */
		enum task_layout found = LAYOUT_UNKNOWN;

		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (m && begins_title(norm, m, known[i].cols)) {
				if (found != LAYOUT_UNKNOWN)
					return LAYOUT_UNKNOWN;
				found = known[i].layout;
			}
		return found;
	}
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(norm, known[i].cols))
			return known[i].layout;
	return LAYOUT_UNKNOWN;
}

/* TASK_COMM_LEN - 1: the longest comm the kernel prints. */
#define COMM_MAX 15

/*
 * A row's name runs to the end of the line, and a reader's note after it
 * would run into it.  A comm is at most COMM_MAX bytes: a longer "name"
 * is a name and something else, told apart at the first run of blanks
 * within the comm's reach (a comm may hold single blanks).  Returns the
 * name's length, or 0 when no such split exists (the row is damage).
 */
static size_t row_name_len(const char *s, size_t n, int *annotated)
{
	if (n <= COMM_MAX)
		return n;
	for (size_t i = 1; i + 1 < n && i <= COMM_MAX; i++)
		if (s[i] == ' ' && (s[i + 1] == ' ' || s[i + 1] == '\t')) {
			*annotated = 1;
			return i;
		}
	return 0;
}

int report_task_row(struct oom_report *r, const struct log_line *ll,
		    const struct line_class *lc)
{
	const enum col *cols = layout_cols[r->layout];
	struct oom_task t = { 0 };
	const char *s, *end;
	size_t n;

	if (r->layout == LAYOUT_UNKNOWN)
		return -1;	/* header lost: the columns are a guess */
	if (!lc_i64(lc, "pid", &t.pid) || !lc_get(lc, "cols", &s, &n))
		return -1;
	end = s + n;
	for (; *cols != COL_END; cols++) {
		const char *f;
		int64_t v;

		while (s < end && *s == ' ')
			s++;
		f = s;
		while (s < end && *s != ' ')
			s++;
		if (num_parse_i64(f, (size_t)(s - f), &v) < 0)
			return -1;
		/* every column but the adjustments is a count */
		if (v < 0 && *cols != COL_ADJ && *cols != COL_OOM_ADJ &&
		    *cols != COL_PGTABLES && *cols != COL_NR_PTES &&
		    *cols != COL_NR_PMDS)
			return -1;
		/* the kernel keeps the adjustments in range (include/uapi/
		 * linux/oom.h): oom_score_adj in [OOM_SCORE_ADJ_MIN,
		 * OOM_SCORE_ADJ_MAX] = [-1000, 1000], oom_adj in
		 * [OOM_DISABLE, OOM_ADJUST_MAX] = [-17, 15]; past them the
		 * row is damage, and the badness shifts and multiplies by
		 * them */
		if ((*cols == COL_ADJ && (v < -1000 || v > 1000)) ||
		    (*cols == COL_OOM_ADJ && (v < -17 || v > 15)))
			return -1;
		switch (*cols) {
		case COL_UID: t.uid = v; t.known |= TASK_UID; break;
		case COL_TGID: t.tgid = v; t.known |= TASK_TGID; break;
		case COL_TOTAL_VM: t.total_vm = v; t.known |= TASK_TOTAL_VM; break;
		case COL_RSS: t.rss = v; t.known |= TASK_RSS; break;
		case COL_RSS_ANON: t.rss_anon = v; t.known |= TASK_RSS_SPLIT; break;
		case COL_RSS_FILE: t.rss_file = v; break;
		case COL_RSS_SHMEM: t.rss_shmem = v; break;
		case COL_PGTABLES: t.pgtables_bytes = v; t.known |= TASK_PGTABLES; break;
		case COL_NR_PTES: t.nr_ptes = v; t.known |= TASK_NR_PTES; break;
		case COL_NR_PMDS: t.nr_pmds = v; t.known |= TASK_NR_PMDS; break;
		case COL_SWAPENTS: t.swapents = v; t.known |= TASK_SWAPENTS; break;
		case COL_CPU: t.cpu = v; t.known |= TASK_CPU; break;
		case COL_OOM_ADJ: t.oom_adj = v; t.known |= TASK_OOM_ADJ; break;
		case COL_ADJ: t.oom_score_adj = v; t.known |= TASK_ADJ; break;
		case COL_END: break;
		}
	}
	/* "%5hd %s": exactly one blank before the name, which may itself
	 * start with or hold blanks */
	if (s >= end || *s != ' ' || s + 1 >= end)
		return -1;
	s++;
	{
		int annotated = 0;
		size_t nl = row_name_len(s, (size_t)(end - s), &annotated);

		if (!nl)
			return -1;
		end = s + nl;
		if (annotated)
			r->flags |= REPORT_ANNOTATED;
	}
	if (r->n_tasks >= MAX_TASKS_PER_REPORT) {
		r->flags |= REPORT_TOO_LONG;
		return 0;
	}
	t.name = xstrndup(s, (size_t)(end - s));
	t.line = ll->lineno;
	*oom_report_add_task(r) = t;
	return 0;
}

static const struct {
	const char *what;
	enum mem_field f;
} page_counts[] = {
		{ "total pagecache pages", MEM_PAGECACHE_PAGES },
		{ "pages in swap cache", MEM_SWAPCACHE_PAGES },
		{ "pages RAM", MEM_RAM_PAGES },
		{ "pages HighMem/MovableOnly", MEM_HIGHMEM_PAGES },
		{ "pages reserved", MEM_RESERVED_PAGES },
		{ "pages cma reserved", MEM_CMA_RESERVED_PAGES },
		{ "pages hwpoisoned", MEM_HWPOISONED_PAGES },
};
#define N_PAGE_COUNTS (sizeof(page_counts) / sizeof(page_counts[0]))

/* The field an "N pages ..." line sets, or -1 (kept, not stored). */
static int page_count_field(const struct line_class *lc)
{
	const char *s;
	size_t n;

	if (!lc_get(lc, "what", &s, &n))
		return -1;
	for (size_t i = 0; i < N_PAGE_COUNTS; i++)
		if (key_is(s, n, page_counts[i].what))
			return (int)page_counts[i].f;
	return -1;
}

static void page_count_line(struct oom_report *r, const struct line_class *lc)
{
	int f = page_count_field(lc);
	uint64_t v;

	if (f >= 0 && f < MEM_FIELD_COUNT && lc_u64(lc, "n", &v))
		mem_set(r, (enum mem_field)f, v);
}

static int swap_field(const struct line_class *lc)
{
	const char *s;
	size_t n;

	if (!lc_get(lc, "what", &s, &n))
		return -1;
	return s[0] == 'F' ? MEM_FREE_SWAP_KB : MEM_TOTAL_SWAP_KB;
}

int report_meminfo_dup(const struct oom_report *r,
		       const struct line_class *lc)
{
	struct dup_check d = { r, 0 };
	const char *z;
	size_t zn;
	int64_t node = -1;
	int f;

	switch (lc->kind) {
	case LINE_MEM_COUNTERS:
		scan_kv(lc->text, lc->len, mem_counter_dup, &d);
		return d.dup;
	case LINE_ZONE:
		if (!lc_get(lc, "zone", &z, &zn))
			return 0;
		lc_i64(lc, "node", &node);
		for (size_t i = 0; i < r->n_zones; i++)
			if (r->zones[i].node == node &&
			    key_is(z, zn, r->zones[i].name))
				return 1;
		return 0;
	case LINE_PAGE_COUNT:
		f = page_count_field(lc);
		return f >= 0 && mem_has(r, (enum mem_field)f);
	case LINE_SWAP_LINE:
		f = swap_field(lc);
		return f >= 0 && mem_has(r, (enum mem_field)f);
	default:
		return 0;
	}
}

/*
 * "Node 0 Normal: 1127*4kB (UME) 571*8kB ... = 19952kB": the count of free
 * blocks per order, kept on the zone line of the same node and name as
 * "1127 571 ...", for the fragmentation diagnosis.  A buddy line without
 * its zone line (a cut Mem-Info) is not kept: a zone is more than this.
 */
static void buddy_line(struct oom_report *r, const struct line_class *lc)
{
	struct oom_zone *z = NULL;
	const char *name, *p, *end = lc->text + lc->len;
	size_t nl, out = 0;
	int64_t node = -1;
	char buf[256];

	if (!lc_get(lc, "zone", &name, &nl))
		return;
	lc_i64(lc, "node", &node);
	for (size_t i = 0; i < r->n_zones && !z; i++)
		if (r->zones[i].node == node && !r->zones[i].buddy &&
		    key_is(name, nl, r->zones[i].name))
			z = &r->zones[i];
	if (!z)
		return;
	/* each "N*SIZEkB": the digits before a '*' */
	for (p = name + nl; p < end && out + 22 < sizeof(buf); p++) {
		const char *q = p;

		if (*p < '0' || *p > '9' || (p > lc->text && p[-1] >= '0' &&
					       p[-1] <= '9'))
			continue;
		while (q < end && *q >= '0' && *q <= '9')
			q++;
		if (q < end && *q == '*' && q - p < 20) {
			out += (size_t)snprintf(buf + out, sizeof(buf) - out,
						"%s%.*s", out ? " " : "",
						(int)(q - p), p);
			p = q;
		}
	}
	if (out)
		z->buddy = xstrdup(buf);
}

void report_meminfo_line(struct oom_report *r, const struct line_class *lc)
{
	uint64_t v, size;
	const char *s;
	size_t n;

	switch (lc->kind) {
	case LINE_MEM_COUNTERS:
		scan_kv(lc->text, lc->len, mem_counter, r);
		break;
	case LINE_ZONE: {
		struct oom_zone *z = oom_report_add_zone(r);
		int64_t node;

		z->name = lc_dup(lc, "zone");
		if (lc_i64(lc, "node", &node))
			z->node = node;
		lc_get(lc, "zone", &s, &n);
		scan_kv(s + n, lc->len - (size_t)(s + n - lc->text),
			zone_value, z);
		break;
	}
	case LINE_BUDDY:
		if (!mem_has(r, MEM_PAGE_SIZE_KB) && lc_u64(lc, "pgkb", &v))
			mem_set(r, MEM_PAGE_SIZE_KB, v);
		/* a cut list lacks the high orders: not known, rather than
		 * read as none free there */
		if (!(lc->damage & LC_TAIL_DROPPED))
			buddy_line(r, lc);
		break;
	case LINE_HUGEPAGES:
		if (lc_u64(lc, "total", &v) && lc_u64(lc, "size", &size)) {
			mem_set(r, MEM_HUGEPAGES_TOTAL,
				r->mem[MEM_HUGEPAGES_TOTAL] + v);
			mem_set(r, MEM_HUGEPAGES_KB,
				r->mem[MEM_HUGEPAGES_KB] + v * size);
		}
		if (lc_u64(lc, "free", &v))
			mem_set(r, MEM_HUGEPAGES_FREE,
				r->mem[MEM_HUGEPAGES_FREE] + v);
		break;
	case LINE_PAGE_COUNT:
		page_count_line(r, lc);
		break;
	case LINE_SWAP_LINE: {
		int f = swap_field(lc);

		if (f >= 0 && f < MEM_FIELD_COUNT && lc_u64(lc, "kb", &v))
			mem_set(r, (enum mem_field)f, v);
		break;
	}
	default:
		break;
	}
}

/* The layouts with seven numbers after the pid, told apart by the
 * kernel release (the CPU line's), else by the fifth number: page-table
 * bytes are whole pages, a count of page-table pages rarely is. */
static enum task_layout seven_columns(const char *release, int64_t fifth)
{
	int major, minor, patch;

	if (oom_release_version(release, &major, &minor, &patch)) {
		if (major == 2)
			return LAYOUT_OOM_ADJ_SCORE;
		if (major == 3)
			return LAYOUT_NR_PTES;
		if (major > 4 || (major == 4 && minor >= 15))
			return LAYOUT_PGTABLES;
		return LAYOUT_UNKNOWN;	/* 4.0-4.14 print eight */
	}
	return fifth > 0 && fifth % 4096 == 0 ? LAYOUT_PGTABLES
					     : LAYOUT_UNKNOWN;
}

enum task_layout report_layout_from_row(const char *cols, size_t n,
					const char *release)
{
	const char *s = cols, *end = cols + n;
	int64_t v, fifth = -1;
	int count = 0;

	for (;;) {
		const char *f;

		while (s < end && *s == ' ')
			s++;
		f = s;
		while (s < end && *s != ' ')
			s++;
		if (s == f || s == end || num_parse_i64(f, (size_t)(s - f), &v) < 0)
			break;	/* the name (the last field) is not counted */
		if (++count == 5)
			fifth = v;
	}
	switch (count) {
	case 10:
		return LAYOUT_RSS_SPLIT;
	case 8:
		return LAYOUT_NR_PMDS;
	case 7:
		return seven_columns(release, fifth);
	case 6:
		return LAYOUT_OOM_ADJ;
	default:
		return LAYOUT_UNKNOWN;
	}
}
