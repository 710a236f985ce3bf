/*
 * report-mend.c: what a report still says when a paste lost or moved its
 * lines.  The assembler (report.c) calls these where a report closes, is
 * emitted, or meets a kill or reaper line it has no report for.
 *
 *  - No kill line: the selection line ("Kill process N (x) score S"), the
 *    oom-kill: summary (task=, pid=) or the reaper ("oom_reaper: reaped
 *    process N (x)") still names the victim.  The kill is made from that
 *    line alone, and the report says which line it was; what only the
 *    kill line prints (the rss figures, its reason) stays unknown.
 *  - Halves: the kill lines pasted in one block and the invocation,
 *    memory summary and dump in another, in either order, are one report
 *    when they are of one host and boot, printed within a few seconds,
 *    the kill after the invocation, and the victim is in the dump (or is
 *    the one the summary selected).
 */
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "fmt.h"
#include "oom.h"
#include "oomlens.h"
#include "report-int.h"
#include "xalloc.h"

/* The kernel prints a whole report within a second or two even on a slow
 * console; halves further apart are two reports. */
#define HALVES_US (5 * INT64_C(1000000))

/* Whether the string a is the n bytes at b (both NULL: the same). */
static int same_strn(const char *a, const char *b, size_t n)
{
	return (!a && !b) || (a && b && strlen(a) == n && !memcmp(a, b, n));
}

/* Whether r has a kill line of its victim: every kill but those of the
 * processes that shared the victim's memory ("sharing same memory"). */
static int has_victim_kill(const struct oom_report *r)
{
	for (size_t i = 0; i < r->n_kills; i++)
		if (!(r->kills[i].known & KILL_SHARES_MM))
			return 1;
	return 0;
}

/* A kill for the victim, put first; the sharing kills follow it. */
static struct oom_kill *victim_first(struct oom_report *r)
{
	struct oom_kill *k = oom_report_add_kill(r);

	memmove(r->kills + 1, r->kills, (r->n_kills - 1) * sizeof(*k));
	k = &r->kills[0];
	memset(k, 0, sizeof(*k));
	return k;
}

void report_victim_from_lines(struct oom_report *r)
{
	struct oom_kill *k;

	if (!(r->known & RK_SELECTED) ||
	    (r->flags & REPORT_NOT_KILLED))
		return;
	if (has_victim_kill(r)) {
		/* the reaper named the victim the selection names: the
		 * selection is the better witness (it has the uid) */
		k = &r->kills[0];
		if (!(r->flags & REPORT_VICTIM_FROM_REAPER) ||
		    k->pid != r->selected_pid)
			return;
		r->flags &= ~(unsigned)REPORT_VICTIM_FROM_REAPER;
	} else {
		k = victim_first(r);
		k->pid = r->selected_pid;
		k->comm = xstrdup(r->selected_comm ? r->selected_comm : "");
	}
	if ((r->known & RK_SELECTED_UID) && !(k->known & KILL_UID)) {
		k->uid = r->selected_uid;
		k->known |= KILL_UID;
	}
	/* "Kill process" prints the score (<= 5.0); the summary does not */
	r->flags |= REPORT_NO_KILL |
		    ((r->known & RK_SCORE) ? REPORT_VICTIM_FROM_SELECTION
					   : REPORT_VICTIM_FROM_SUMMARY);
}

int report_kill_from_reaper(struct oom_report *r, const struct line_class *lc)
{
	struct oom_kill *k;
	int64_t pid;

	if (r->n_kills || !lc_i64(lc, "pid", &pid) ||
	    (r->flags & REPORT_NOT_KILLED))
		return 0;
	/* the dump, or the selection, must know the task */
	if ((r->known & RK_SELECTED) ? r->selected_pid != pid
				     : !report_has_task(r, pid))
		return 0;
	k = oom_report_add_kill(r);
	k->pid = pid;
	k->comm = lc_dup(lc, "comm");
	if (!k->comm)
		k->comm = xstrdup("");
	r->flags |= REPORT_VICTIM_FROM_REAPER | REPORT_NO_KILL;
	return report_reaper_line(r, lc);
}

/* Whether time b (of a later line) is within the window after time a. */
static int after_within(int64_t a, int64_t b, int64_t window)
{
	return b >= a && b - a <= window;
}

/* Whether the kill printed at (ktime, wall) can be the kill of body:
 * one machine and boot, printed a little after body's invocation. */
static int kill_follows(const struct oom_report *body, const char *host,
			size_t host_len, const char *boot_id, unsigned known,
			int64_t ktime, int64_t wall)
{
	if (!same_strn(body->host, host, host_len) ||
	    (body->boot_id && boot_id && strcmp(body->boot_id, boot_id)))
		return 0;
	if ((body->known & RK_KTIME) && (known & RK_KTIME))
		return after_within(body->ktime_us, ktime, HALVES_US);
	if ((body->known & RK_WALL) && (known & RK_WALL))
		/* syslog stamps have whole seconds */
		return after_within(body->wall_us - 1000000, wall,
				    HALVES_US + 1000000);
	return 0;
}

/* A body that still waits for its kill: it ended without one (not for
 * want of a victim) and holds a dump or a selection to tell it by. */
static int awaits_kill(const struct oom_report *r)
{
	return !r->n_kills && !(r->flags & REPORT_NO_HEADER) &&
	       !(r->flags & (REPORT_NOT_KILLED | REPORT_PANIC)) &&
	       (r->n_tasks || (r->known & RK_SELECTED));
}

static int names_task(const struct oom_report *body, int64_t pid)
{
	return (body->known & RK_SELECTED) ? body->selected_pid == pid
					   : report_has_task(body, pid);
}

int report_late_kill(struct oom_report *body, const struct log_line *ll,
		     const struct line_class *lc)
{
	unsigned known = 0;
	int64_t pid;

	if (!awaits_kill(body) || !lc_i64(lc, "pid", &pid) ||
	    !names_task(body, pid))
		return 0;
	if (ll->known & LL_KTIME)
		known |= RK_KTIME;
	if (ll->known & LL_WALL)
		known |= RK_WALL;
	if (!kill_follows(body, ll->host, ll->host_len, ll->boot_id, known,
			  ll->ktime_us, ll->wall_us) ||
	    !report_add_kill(body, ll, lc))
		return 0;
	body->flags &= ~(unsigned)(REPORT_NO_KILL | REPORT_CUT);
	body->flags |= REPORT_REASSEMBLED;
	if (ll->lineno_last > body->last_line)
		body->last_line = ll->lineno_last;
	return 1;
}

/* A report made of kill lines alone: rate limited, or a paste's half. */
static int kills_only(const struct oom_report *r)
{
	return r->n_kills && (r->flags & REPORT_NO_HEADER) && !r->n_tasks &&
	       (r->flags & REPORT_NO_MEMINFO) && !(r->flags & REPORT_NO_KILL);
}

int report_join_halves(struct oom_report *body, struct oom_report *kills)
{
	struct buf raw = BUF_INIT;

	if (!awaits_kill(body) || !kills_only(kills) ||
	    !names_task(body, kills->kills[0].pid) ||
	    !kill_follows(body, kills->host,
			  kills->host ? strlen(kills->host) : 0, kills->boot_id,
			  kills->known, kills->ktime_us, kills->wall_us))
		return 0;
	for (size_t i = 0; i < kills->n_kills; i++) {
		struct oom_kill *k = oom_report_add_kill(body);

		*k = kills->kills[i];
		kills->kills[i].comm = NULL;
		kills->kills[i].reason = NULL;
	}
	kills->n_kills = 0;
	if (!body->constraint && kills->constraint) {
		body->constraint = kills->constraint;
		kills->constraint = NULL;
	}
	/* the text as logged: the body, then the kill lines */
	buf_add(&raw, body->raw ? body->raw : "", body->raw_len);
	if (raw.len && kills->raw_len)
		buf_addch(&raw, '\n');
	buf_add(&raw, kills->raw ? kills->raw : "", kills->raw_len);
	free(body->raw);
	body->raw = buf_detach(&raw, &body->raw_len);
	if (kills->first_line < body->first_line)
		body->first_line = kills->first_line;
	if (kills->last_line > body->last_line)
		body->last_line = kills->last_line;
	body->flags &= ~(unsigned)(REPORT_NO_KILL | REPORT_CUT);
	body->flags |= REPORT_REASSEMBLED |
		       (kills->flags & (REPORT_LINES_JOINED | REPORT_TRUNCATED |
					REPORT_ANNOTATED | REPORT_PASTE_PREFIX));
	return 1;
}
