/* html.c: the self-contained HTML page of 'oomlens report' (see html.h). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "badness.h"
#include "buf.h"
#include "diagnosis.h"
#include "explain.h"
#include "html-int.h"
#include "html.h"
#include "memcg-stat.h"
#include "oom.h"
#include "output-formats.h"
#include "output.h"
#include "store.h"
#include "story-event.h"
#include "text.h"
#include "timefmt.h"

#define TIMELINE_DOTS 400	/* past this, kills per time slot */
#define TIMELINE_ROWS 200	/* newest rows in the table */

static const char style[] =
	"body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;"
	"max-width:1100px;padding:0 1em;color:#222;background:#fff}"
	"h1{font-size:1.5em;margin-bottom:.2em}"
	"h2{font-size:1.15em;border-bottom:1px solid #ddd;padding-bottom:.2em;"
	"margin-top:1.8em}"
	".verdict{font-size:1.1em;background:#fff6e5;border-left:4px solid "
	"#e8a33d;padding:.7em 1em}"
	"table{border-collapse:collapse;margin:.5em 0}"
	"td,th{padding:.15em .7em;text-align:left;vertical-align:top}"
	"th{border-bottom:1px solid #ccc}"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}"
	/* a time or a host name broken across lines reads as two */
	"td.t{white-space:nowrap}"
	"tr.focus td{background:#fde8e8}"
	"svg{display:block;margin:.5em 0;max-width:100%}"
	"svg text{font:12px system-ui,sans-serif}"
	".key{display:inline-block;width:.9em;height:.9em;margin-right:.3em;"
	"vertical-align:-.1em}"
	"pre{background:#f6f6f6;padding:.7em;overflow-x:auto;font-size:12px}"
	"footer{margin-top:2em;color:#777;font-size:.85em}";


static void size_kb(struct buf *b, uint64_t kb)
{
	char a[32];

	out_size_kb(a, sizeof(a), kb);
	buf_adds(b, a);
}

/* " when the memory cgroup X hit its limit": the scope, and whether the
 * report printed it; nothing when it does not tell. */
static void scope_words(struct buf *b, const struct oom_report *r)
{
	switch (oom_report_scope(r)) {
	case SCOPE_UNKNOWN:
		return;
	case SCOPE_MEMCG:
		buf_adds(b, " when the memory cgroup <code>");
		html_escape(b, r->oom_memcg ? r->oom_memcg : "(not printed)");
		buf_adds(b, "</code> hit its limit");
		break;
	case SCOPE_GLOBAL:
		buf_adds(b, " when the whole machine ran out of memory");
		break;
	default:
		buf_adds(b, " under a ");
		html_escape(b, oom_report_constraint(r));
		buf_adds(b, " constraint");
	}
	if (oom_report_scope_inferred(r))
		buf_adds(b, " (inferred: the report prints no constraint)");
}

/* --- the verdict: one sentence, then the reason in one more --- */

/* A userspace killer's kill: what it killed and what it printed (its own
 * line, linked to the event as "self"); there is no kernel report. */
static void userspace_verdict(struct buf *b, const struct html_page *p,
			      const char *when)
{
	const struct oom_report *r = p->r;
	const struct oom_kill *k = oom_report_victim(r);

	buf_adds(b, "<b>");
	html_escape(b, r->killer);
	buf_adds(b, "</b>, a userspace OOM killer, killed <b>");
	if (k) {
		html_who(b, k->comm, k->pid);
	} else {
		buf_adds(b, "the cgroup <code>");
		html_escape(b, r->task_memcg ? r->task_memcg : "(not printed)");
		buf_adds(b, "</code>");
	}
	buf_adds(b, "</b> on ");
	html_escape(b, r->host ? r->host : "an unnamed host");
	buf_addf(b, " at %s, on its own thresholds: the kernel's OOM killer "
		 "did not run and wrote no report.", when);
	for (size_t i = 0; i < p->n_story; i++) {
		const struct story_event *e = p->story[i].e;

		if (!p->story[i].link || strcmp(p->story[i].link, "self"))
			continue;
		buf_adds(b, " Killed by ");
		html_escape(b, r->killer);
		buf_adds(b, ": <q>");
		html_escape(b, e->message + strspn(e->message, " \t"));
		buf_adds(b, "</q>");
		break;
	}
	buf_adds(b, "</p>\n");
}

static void verdict(struct buf *b, const struct html_page *p)
{
	const struct oom_report *r = p->r;
	const struct explain_why *w = p->why;
	char when[40];

	out_event_time_utc(r, when, sizeof(when));
	buf_adds(b, "<p class=\"verdict\" id=\"verdict\">");
	if (r->killer) {
		userspace_verdict(b, p, when);
		return;
	}
	if (!w) {
		buf_adds(b, "The kernel ran out of memory on ");
		html_escape(b, r->host ? r->host : "an unnamed host");
		buf_addf(b, " at %s", when);
		scope_words(b, r);
		buf_adds(b, " and killed nothing");
		if (r->flags & REPORT_NO_KILLABLE)
			buf_adds(b, ": no task was killable");
		else if (r->flags & REPORT_VICTIM_EXITING)
			buf_adds(b, ": its victim was already exiting");
		else if (r->flags & REPORT_WOULD_HAVE_KILLED)
			buf_adds(b, ": vm.would_have_oomkilled only named the "
				    "victim it selected");
		else
			buf_adds(b, " that the log shows (the report ends "
				    "before its kill line)");
		buf_adds(b, ".</p>\n");
		return;
	}
	buf_adds(b, "The kernel OOM killer killed <b>");
	html_who(b, w->kill->comm, w->kill->pid);
	buf_adds(b, "</b> on ");
	html_escape(b, r->host ? r->host : "an unnamed host");
	buf_addf(b, " at %s", when);
	scope_words(b, r);
	buf_adds(b, ". ");
	{
		char line[512];

		out_diag_verdict(&w->diag, r, w->kill, line, sizeof(line));
		buf_adds(b, "<b>");
		html_escape(b, diag_kind_name(w->diag.kind));
		buf_adds(b, "</b>: ");
		html_escape(b, line);
	}
	buf_adds(b, "</p>\n");
}

/* --- the timeline --- */

static void timeline_svg(struct buf *b, const struct html_page *p)
{
	const int W = 1000, H = 90, L = 20, R = 20;
	int64_t lo = INT64_MAX, hi = INT64_MIN;
	size_t n = 0;

	for (size_t i = 0; i < p->n_kills; i++) {
		const struct html_kill *k = &p->kills[i];

		if (!k->has_wall)
			continue;
		lo = k->wall_us < lo ? k->wall_us : lo;
		hi = k->wall_us > hi ? k->wall_us : hi;
		n++;
	}
	if (!n) {
		buf_adds(b, "<p>No kill in this range has a wall-clock time "
			    "(only times since boot), so there is no time "
			    "axis.</p>\n");
		return;
	}
	buf_addf(b, "<svg id=\"timeline-chart\" width=\"%d\" height=\"%d\" "
		 "viewBox=\"0 0 %d %d\" role=\"img\">"
		 "<title>Kills over time</title>\n"
		 "<line x1=\"%d\" y1=\"40\" x2=\"%d\" y2=\"40\" "
		 "stroke=\"#999\"/>\n", W, H, W, H, L, W - R);
	for (size_t i = 0; i < p->n_kills; i++) {
		const struct html_kill *k = &p->kills[i];
		double x;
		int focus = k->id == p->focus_id;

		if (!k->has_wall)
			continue;
		if (n > TIMELINE_DOTS && !focus && i % (n / TIMELINE_DOTS + 1))
			continue;
		x = hi == lo ? W / 2.0
			     : L + (double)(k->wall_us - lo) / (double)(hi - lo) *
					   (W - L - R);
		buf_addf(b, "<circle cx=\"%.1f\" cy=\"40\" r=\"%d\" "
			 "fill=\"%s\" fill-opacity=\"0.8\"><title>event %"
			 PRId64 " %s: ", x, focus ? 8 : 5, focus ? RED : BLUE,
			 k->id, k->when);
		html_escape(b, k->victim ? k->victim : "nothing killed");
		if (k->host) {
			buf_adds(b, " on ");
			html_escape(b, k->host);
		}
		buf_adds(b, "</title></circle>\n");
		if (n <= 8 && k->victim) {
			/* centred on its dot, but not past the edges: a
			 * name is about 7 px a character */
			double half = 3.5 * (double)strlen(k->victim);
			const char *anchor = "middle";

			if (x - half < 0) {
				anchor = "start";
				x = x - 6 < 0 ? 0 : x - 6;
			} else if (x + half > W) {
				anchor = "end";
				x = x + 6 > W ? W : x + 6;
			}
			buf_addf(b, "<text x=\"%.1f\" y=\"22\" "
				 "text-anchor=\"%s\">", x, anchor);
			html_escape(b, k->victim);
			buf_adds(b, "</text>\n");
		}
	}
	buf_addf(b, "<text x=\"%d\" y=\"70\">%s</text>\n", L,
		 p->kills[0].has_wall ? p->kills[0].when : "");
	for (size_t i = p->n_kills; i-- > 0;)
		if (p->kills[i].has_wall) {
			if (hi != lo)
				buf_addf(b, "<text x=\"%d\" y=\"70\" "
					 "text-anchor=\"end\">%s</text>\n",
					 W - R, p->kills[i].when);
			break;
		}
	buf_adds(b, "</svg>\n");
}

/* What userspace said about the event explained (story.h). */
static void reactions(struct buf *b, const struct html_page *p)
{
	if (!p->n_story)
		return;
	buf_addf(b, "<h3 id=\"reactions\">What userspace said about event %"
		 PRId64 "</h3>\n<table><tr><th>Time</th><th>After</th>"
		 "<th>Who</th><th>Message</th></tr>\n", p->focus_id);
	for (size_t i = 0; i < p->n_story; i++) {
		const struct story_event *e = p->story[i].e;
		char ts[40] = "-", after[32] = "-";

		if (e->known & SK_WALL) {
			time_rfc3339(e->wall_us, ts, sizeof(ts));
			if (p->r->known & RK_WALL)
				snprintf(after, sizeof(after), "%+.1f s",
					 (double)(e->wall_us - p->r->wall_us) / 1e6);
		}
		buf_addf(b, "<tr><td class=\"t\">%s</td><td class=\"n\">%s</td>"
			 "<td>", ts, after);
		html_escape(b, e->actor);
		buf_adds(b, "</td><td>");
		html_escape(b, e->message);
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</table>\n");
}

static void timeline(struct buf *b, const struct html_page *p)
{
	size_t first = p->n_kills > TIMELINE_ROWS ? p->n_kills - TIMELINE_ROWS
						  : 0;

	buf_addf(b, "<section id=\"timeline\"><h2>Timeline: %zu OOM "
		 "event%s</h2>\n", p->n_kills, p->n_kills == 1 ? "" : "s");
	timeline_svg(b, p);
	if (first)
		buf_addf(b, "<p>The newest %d of them:</p>\n", TIMELINE_ROWS);
	buf_adds(b, "<table><tr><th>Event</th><th>Time</th><th>Host</th>"
		    "<th>Killed</th><th>Scope</th></tr>\n");
	for (size_t i = first; i < p->n_kills; i++) {
		const struct html_kill *k = &p->kills[i];

		buf_addf(b, "<tr%s><td class=\"n\">%" PRId64 "</td>"
			 "<td class=\"t\">%s</td><td class=\"t\">",
			 k->id == p->focus_id ? " class=\"focus\"" : "",
			 k->id, k->when);
		html_escape(b, k->host ? k->host : "-");
		buf_adds(b, "</td><td>");
		if (k->victim) {
			html_who(b, k->victim, k->pid);
			if (k->n_kills > 1)
				buf_addf(b, " and %zu more", k->n_kills - 1);
		} else {
			buf_adds(b, k->killer ? "a cgroup" : "nothing");
		}
		if (k->killer) {
			buf_adds(b, " (by ");
			html_escape(b, k->killer);
			buf_adds(b, ")");
		}
		buf_adds(b, "</td><td>");
		html_escape(b, k->scope ? k->scope : "-");
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</table>\n");
	reactions(b, p);
	buf_adds(b, "</section>\n");
}

/* --- memory --- */

struct seg {
	const char *name;
	const char *color;
	uint64_t kb;
};

static void stacked(struct buf *b, const char *id, const struct seg *s,
		    size_t n, uint64_t total_kb, const char *what)
{
	const int W = 900;
	double x = 0;

	buf_addf(b, "<svg id=\"%s\" width=\"%d\" height=\"34\" viewBox=\"0 0 "
		 "%d 34\" role=\"img\">"
		 "<title>%s</title><rect x=\"0\" y=\"2\" width=\"%d\" "
		 "height=\"30\" fill=\"#eee\" stroke=\"#bbb\"/>\n", id, W, W,
		 what, W);
	for (size_t i = 0; i < n && total_kb; i++) {
		double wd = (double)s[i].kb / (double)total_kb * W;

		if (x + wd > W)
			wd = W - x;
		if (wd <= 0)
			continue;
		buf_addf(b, "<rect x=\"%.1f\" y=\"2\" width=\"%.1f\" "
			 "height=\"30\" fill=\"%s\"><title>%s: ", x, wd,
			 s[i].color, s[i].name);
		size_kb(b, s[i].kb);
		buf_adds(b, "</title></rect>\n");
		x += wd;
	}
	buf_adds(b, "</svg>\n<table>");
	for (size_t i = 0; i < n; i++) {
		buf_addf(b, "<tr><td><span class=\"key\" style=\"background:%s"
			 "\"></span>%s</td><td class=\"n\">", s[i].color,
			 s[i].name);
		size_kb(b, s[i].kb);
		buf_adds(b, "</td></tr>");
	}
	buf_adds(b, "<tr><td>of</td><td class=\"n\">");
	size_kb(b, total_kb);
	buf_addf(b, "</td><td>%s</td></tr></table>\n", what);
}

static uint64_t page_kb(const struct oom_report *r)
{
	uint64_t kb = mem_has(r, MEM_PAGE_SIZE_KB) ? r->mem[MEM_PAGE_SIZE_KB]
						   : badness_page_kb(r);

	return kb ? kb : 4;
}

/* The memcg's memory.stat as the report printed it: known items only. */
static void memcg_stat_table(struct buf *b, const struct oom_report *r)
{
	struct memcg_stat st;
	enum memcg_stat_item it[MCS_COUNT];

	if (!memcg_stat_parse(r->memcg_stats, &st))
		return;
	buf_adds(b, "<table id=\"memcg-stat\"><caption>The cgroup's memory."
		    "stat");
	if (st.own_only)
		buf_adds(b, " (its own pages, not its children's)");
	buf_adds(b, "</caption>\n");
	for (int side = 0; side < 2; side++)
		for (int i = 0, n = memcg_stat_pick(&st, side, it); i < n;
		     i++) {
			buf_addf(b, "<tr><td>%s</td><td class=\"n\">",
				 memcg_stat_names[it[i]]);
			size_kb(b, st.kb[it[i]]);
			buf_adds(b, "</td></tr>\n");
		}
	buf_adds(b, "</table>\n");
}

static void memory_global(struct buf *b, const struct oom_report *r)
{
	struct seg s[6] = {
		{ "anon (without shmem)", BLUE, 0 },
		{ "shmem", "#b279a2", 0 },
		{ "file", "#72b7b2", 0 },
		{ "page tables", "#eeca3b", 0 },
		{ "slab", "#9d755d", 0 },
		{ "swap in use", RED, 0 },
	};
	uint64_t pk = page_kb(r), anon;

	anon = r->mem[MEM_ACTIVE_ANON] + r->mem[MEM_INACTIVE_ANON];
	if (mem_has(r, MEM_SHMEM)) {
		s[1].kb = r->mem[MEM_SHMEM] * pk;
		anon -= anon > r->mem[MEM_SHMEM] ? r->mem[MEM_SHMEM] : anon;
	}
	s[0].kb = anon * pk;
	if (mem_has(r, MEM_ACTIVE_FILE) && mem_has(r, MEM_INACTIVE_FILE))
		s[2].kb = (r->mem[MEM_ACTIVE_FILE] + r->mem[MEM_INACTIVE_FILE]) *
			  pk;
	if (mem_has(r, MEM_PAGETABLES))
		s[3].kb = r->mem[MEM_PAGETABLES] * pk;
	if (mem_has(r, MEM_SLAB_RECLAIMABLE) &&
	    mem_has(r, MEM_SLAB_UNRECLAIMABLE))
		s[4].kb = (r->mem[MEM_SLAB_RECLAIMABLE] +
			   r->mem[MEM_SLAB_UNRECLAIMABLE]) * pk;
	if (mem_has(r, MEM_TOTAL_SWAP_KB) && mem_has(r, MEM_FREE_SWAP_KB) &&
	    r->mem[MEM_TOTAL_SWAP_KB] >= r->mem[MEM_FREE_SWAP_KB])
		s[5].kb = r->mem[MEM_TOTAL_SWAP_KB] - r->mem[MEM_FREE_SWAP_KB];
	stacked(b, "memory-chart", s, 6, r->totalpages * pk,
		"totalpages (RAM and swap the OOM killer shares out)");
}

static void zones(struct buf *b, const struct oom_report *r)
{
	int any = 0;

	for (size_t i = 0; i < r->n_zones; i++) {
		const struct oom_zone *z = &r->zones[i];
		unsigned need = 1u << ZONE_FREE | 1u << ZONE_MIN;
		uint64_t f, m, top;

		if ((z->known & need) != need)
			continue;
		if (!any++)
			buf_adds(b, "<table id=\"zones\"><tr><th>Zone</th>"
				    "<th>Free</th><th>Min watermark</th>"
				    "<th>Free against min</th></tr>\n");
		f = z->values[ZONE_FREE];
		m = z->values[ZONE_MIN];
		top = z->known & (1u << ZONE_HIGH) ? z->values[ZONE_HIGH]
						   : m + m / 2;
		top = top < f ? f : top < m ? m : top;
		buf_adds(b, "<tr><td>");
		if (z->node >= 0)
			buf_addf(b, "node %" PRId64 " ", z->node);
		html_escape(b, z->name);
		buf_adds(b, "</td><td class=\"n\">");
		size_kb(b, f);
		buf_adds(b, "</td><td class=\"n\">");
		size_kb(b, m);
		buf_addf(b, "</td><td><svg width=\"300\" height=\"16\" "
			 "><rect "
			 "width=\"300\" height=\"16\" fill=\"#eee\"/><rect "
			 "width=\"%.1f\" height=\"16\" fill=\"%s\"/><rect "
			 "x=\"%.1f\" width=\"3\" height=\"16\" fill=\"#333\"/>"
			 "</svg>%s</td></tr>\n",
			 top ? 300.0 * (double)f / (double)top : 0,
			 f < m ? RED : "#54a24b",
			 top ? 297.0 * (double)m / (double)top : 0,
			 f < m ? " below the min watermark" : "");
	}
	if (any)
		buf_adds(b, "</table>\n");
}

static void memory(struct buf *b, const struct oom_report *r)
{
	if (r->killer) {
		buf_adds(b, "<section id=\"memory\"><h2>Memory breakdown</h2>\n"
			    "<p>");
		html_escape(b, r->killer);
		buf_adds(b, " prints no memory summary.</p>\n</section>\n");
		return;
	}
	const struct memcg_usage *m = &r->memcg[MEMCG_MEMORY];
	int any = 0;

	buf_adds(b, "<section id=\"memory\"><h2>Memory breakdown</h2>\n");
	if (oom_report_is_memcg(r) && m->known &&
	    m->limit_kb < MEMCG_UNLIMITED_KB) {
		struct seg s = { "cgroup usage", RED, m->usage_kb };

		stacked(b, "memory-chart", &s, 1, m->limit_kb,
			"the memory cgroup's limit");
		buf_addf(b, "<p>failcnt %" PRIu64 ": the times the cgroup hit "
			 "its limit.</p>\n", m->failcnt);
		memcg_stat_table(b, r);
		any = 1;
	} else if ((r->known & RK_TOTALPAGES) && r->totalpages &&
		   mem_has(r, MEM_ACTIVE_ANON) &&
		   mem_has(r, MEM_INACTIVE_ANON)) {
		memory_global(b, r);
		any = 1;
	}
	if (mem_has(r, MEM_FREE)) {
		buf_adds(b, "<p>Free: ");
		size_kb(b, r->mem[MEM_FREE] * page_kb(r));
		buf_adds(b, ".</p>\n");
		any = 1;
	}
	zones(b, r);
	if (!any && !r->n_zones)
		buf_adds(b, "<p>The report prints no memory summary.</p>\n");
	buf_adds(b, "</section>\n");
}

/* --- advice: the diagnosis's settings, as 'oomlens why' gives them --- */

static void advice(struct buf *b, const struct html_page *p)
{
	const struct diagnosis *d = p->why ? &p->why->diag : NULL;
	size_t n = d ? d->n_advice : 0;

	buf_adds(b, "<section id=\"advice\"><h2>Recommended settings</h2>\n"
		    "<ol>\n");
	for (size_t i = 0; i < n; i++) {
		const struct diag_advice *a = &d->advice[i];

		buf_adds(b, "<li><code>");
		html_escape(b, a->setting);
		buf_adds(b, "=");
		html_escape(b, a->value);
		buf_adds(b, "</code> for <code>");
		html_escape(b, a->target);
		buf_adds(b, "</code>: ");
		html_escape(b, a->why);
		buf_adds(b, ".</li>\n");
	}
	buf_adds(b, "</ol>\n");
	if (!n && p->r->killer) {
		buf_adds(b, "<p>");
		html_escape(b, p->r->killer);
		buf_adds(b, " chose by its own rules, not the kernel's: "
			    "<code>oomlens why</code> says how to steer "
			    "it.</p>\n");
	} else if (!n) {
		buf_adds(b, "<p>The report does not give enough to compute a "
			    "setting.</p>\n");
	}
	buf_adds(b, "</section>\n");
}

static void raw(struct buf *b, const struct html_page *p)
{
	const struct oom_report *r = p->r;
	size_t lines = 0;

	if (!r->raw)
		return;
	for (const char *s = r->raw; *s; s++)
		lines += *s == '\n';
	lines += r->raw_len && r->raw[r->raw_len - 1] != '\n';
	buf_addf(b, "<section id=\"raw\"><h2>The report as logged</h2>\n"
		 "<details><summary>Raw report (%zu line%s", lines,
		 lines == 1 ? "" : "s");
	if (p->source) {
		buf_adds(b, " from ");
		html_escape(b, p->source);
		if (r->first_line == r->last_line)
			buf_addf(b, ", line %" PRIu64, r->first_line);
		else
			buf_addf(b, ", lines %" PRIu64 "-%" PRIu64,
				 r->first_line, r->last_line);
	}
	buf_adds(b, ")</summary>\n<pre>");
	html_escape(b, r->raw);
	buf_adds(b, "</pre></details></section>\n");
}

void html_report(struct buf *b, const struct html_page *p)
{
	const struct oom_report *r = p->r;
	char when[40];

	out_event_time_utc(r, when, sizeof(when));
	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
		    "<meta charset=\"utf-8\">"
		    "<meta name=\"viewport\" content=\"width=device-width\">"
		    "<title>OOM on ");
	html_escape(b, r->host ? r->host : "an unnamed host");
	buf_addf(b, " at %s: oomlens</title>\n<style>%s</style></head>"
		 "<body>\n<h1>OOM kill on ", when, style);
	html_escape(b, r->host ? r->host : "an unnamed host");
	buf_addf(b, ", event %" PRId64 "</h1>\n", p->focus_id);
	if (r->kernel_release) {
		buf_adds(b, "<p>Kernel ");
		html_escape(b, r->kernel_release);
		buf_addf(b, ", %s.</p>\n", when);
	}
	verdict(b, p);
	timeline(b, p);
	html_tasks_chart(b, p);
	memory(b, r);
	advice(b, p);
	raw(b, p);
	if (r->killer) {
		buf_adds(b, "<footer>Made by oomlens from ");
		html_escape(b, r->killer);
		buf_adds(b, "'s log line.</footer>\n</body></html>\n");
	} else {
		buf_adds(b, "<footer>Made by oomlens from the kernel's OOM "
			    "report; figures are the kernel's own, "
			    "recomputed.</footer>\n</body></html>\n");
	}
}
