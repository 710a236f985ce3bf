/* story.c: see story.h. */
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "fmt.h"
#include "oom.h"
#include "story.h"
#include "xalloc.h"

/* nohang's victim block comes a few lines before its kill line: read this
 * many lines after "Victim status", no more. */
#define NOHANG_WINDOW 40
#define NOHANG_BLOCK "Victim status"
/* systemd-oomd dumps each candidate in a few lines: read this many lines
 * after its "Considered N cgroups" line per candidate, at most MAX. */
#define OOMD_LINES_PER_CANDIDATE 8
#define OOMD_WINDOW_MAX 200
/* Candidates taken from one line ("#012"-joined); oomd dumps ten. */
#define MAX_PENDING 16

struct story_ctx {
	struct classifier *c;
	char tag[64];		/* program of the last tagged line */
	char host[256];		/* and its host ("" when none): the record's
				 * later lines print neither */
	int64_t pid;		/* nohang: victim of the block being read */
	char *comm;
	int pid_known;
	unsigned window;	/* lines of nohang's block or oomd's candidate
				 * dump still to read */
	struct story_event *pending[MAX_PENDING];	/* for story_next() */
	size_t n_pending, next_pending;
};

struct story_ctx *story_new(struct classifier *c)
{
	struct story_ctx *s = xcalloc(1, sizeof(*s));

	s->c = c;
	return s;
}

static void nohang_forget(struct story_ctx *s)
{
	free(s->comm);
	s->comm = NULL;
	s->pid_known = 0;
	s->window = 0;
}

struct story_event *story_next(struct story_ctx *s)
{
	if (s->next_pending < s->n_pending)
		return s->pending[s->next_pending++];
	s->n_pending = s->next_pending = 0;
	return NULL;
}

void story_free(struct story_ctx *s)
{
	if (!s)
		return;
	nohang_forget(s);
	while (s->next_pending < s->n_pending)
		story_event_free(s->pending[s->next_pending++]);
	free(s);
}

int story_busy(const struct story_ctx *s)
{
	return s->window > 0;
}

static struct story_event *event_new(const struct story_ctx *s,
				     enum story_kind kind, const char *actor,
				     size_t actor_len,
				     const struct log_line *ll)
{
	struct story_event *e = xcalloc(1, sizeof(*e));

	e->kind = kind;
	e->actor = xstrndup(actor, actor_len);
	if (ll->host)
		e->host = xstrndup(ll->host, ll->host_len);
	else if (ll->fmt == FMT_CONT && s->host[0])
		e->host = xstrdup(s->host);
	if (ll->boot_id)
		e->boot_id = xstrdup(ll->boot_id);
	if (ll->known & LL_WALL) {
		e->wall_us = ll->wall_us;
		e->known |= SK_WALL;
	}
	if (ll->known & LL_LOCAL_TIME)
		e->known |= SK_LOCAL_TIME;
	if (ll->known & LL_YEAR_GUESSED)
		e->known |= SK_YEAR_GUESSED;
	e->line = ll->lineno;
	e->message = xstrndup(ll->body, ll->body_len);
	return e;
}

static void take_i64(const struct line_class *lc, const char *name,
		     int64_t *ret, unsigned *known, unsigned bit)
{
	if (lc_i64(lc, name, ret))
		*known |= bit;
}

/* A line of nohang's victim block, or its kill line. */
static struct story_event *nohang(struct story_ctx *s,
				  const struct log_line *ll,
				  const struct line_class *lc, const char *body,
				  size_t len)
{
	struct story_event *e;

	if (memmem(body, len, NOHANG_BLOCK, sizeof(NOHANG_BLOCK) - 1)) {
		nohang_forget(s);
		s->window = NOHANG_WINDOW;
	}
	if (lc->kind == LINE_STORY_NOHANG_VICTIM) {
		char *comm = lc_dup(lc, "comm");

		if (lc_i64(lc, "pid", &s->pid))
			s->pid_known = 1;
		if (comm) {
			free(s->comm);
			s->comm = comm;
		}
		return NULL;
	}
	if (lc->kind != LINE_STORY_NOHANG_KILL)
		return NULL;
	e = event_new(s, STORY_NOHANG_KILL, "nohang", 6, ll);
	e->signal = lc_dup(lc, "signal");
	if (s->window && s->pid_known) {
		e->pid = s->pid;
		e->known |= SK_PID;
	}
	if (s->window && s->comm)
		e->comm = xstrdup(s->comm);
	nohang_forget(s);
	return e;
}

/* The kernel lines a report is known by: a userspace line that reads as
 * one of them is a forgery. */
static int kernel_look(struct classifier *c, const char *body, size_t len)
{
	struct line_class lc;

	switch (classify_line(c, body, len, &lc)) {
	case LINE_HEADER:
	case LINE_SELECT:
	case LINE_KILLED:
	case LINE_SUMMARY:
	case LINE_REAPED:
		return 1;
	default:
		return 0;
	}
}

static struct story_event *from_class(const struct story_ctx *s,
				      const struct line_class *lc,
				      const char *tag, size_t tag_len,
				      const struct log_line *ll)
{
	static const struct { enum line_kind line; enum story_kind story; }
	map[] = {
		{ LINE_STORY_UNIT_OOM, STORY_UNIT_OOM },
		{ LINE_STORY_UNIT_FAILED, STORY_UNIT_FAILED },
		{ LINE_STORY_UNIT_OOMD, STORY_UNIT_OOMD },
		{ LINE_STORY_OOMD_KILL, STORY_OOMD_KILL },
		{ LINE_STORY_OOMD_CANDIDATES, STORY_OOMD_CANDIDATES },
		{ LINE_STORY_OOMD_CANDIDATE, STORY_OOMD_CANDIDATE },
		{ LINE_STORY_EARLYOOM_KILL, STORY_EARLYOOM_KILL },
		{ LINE_STORY_TASK_OOM, STORY_TASK_OOM },
		{ LINE_STORY_SYSTEM_OOM, STORY_SYSTEM_OOM },
		{ LINE_STORY_NPD_OOM, STORY_NPD_OOM },
	};
	struct story_event *e = NULL;
	uint64_t rss_mib;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].line == lc->kind)
			e = event_new(s, map[i].story, tag, tag_len, ll);
	if (!e)
		return NULL;
	e->unit = lc_dup(lc, "unit");
	e->cgroup = lc_dup(lc, "cgroup");
	e->comm = lc_dup(lc, "comm");
	e->signal = lc_dup(lc, "signal");
	e->reason = lc_dup(lc, "reason");
	if (!e->reason)
		e->reason = lc_dup(lc, "cmdline");
	if (!(e->container_id = lc_dup(lc, "cid")))
		e->container_id = lc_dup(lc, "cid2");
	take_i64(lc, "pid", &e->pid, &e->known, SK_PID);
	take_i64(lc, "uid", &e->uid, &e->known, SK_UID);
	take_i64(lc, "score", &e->score, &e->known, SK_SCORE);
	take_i64(lc, "adj", &e->adj, &e->known, SK_ADJ);
	take_i64(lc, "count", &e->count, &e->known, SK_COUNT);
	if (lc_u64(lc, "rss", &rss_mib) && rss_mib < UINT64_MAX / 1024) {
		e->rss_kb = rss_mib * 1024;
		e->known |= SK_RSS;
	}
	return e;
}

/*
 * oomd's candidate dump.  In the journal its lines follow as lines of the
 * same record: keep reading for them.  rsyslog keeps the whole message on
 * one line ("#012" for each newline): take the candidates from it.
 */
static void oomd_candidates(struct story_ctx *s, const struct story_event *e,
			    const struct log_line *ll)
{
	static const char path[] = "Path: ";
	const char *p = ll->body, *end = ll->body + ll->body_len;
	unsigned lines = (e->known & SK_COUNT) && e->count > 0 &&
			 e->count < OOMD_WINDOW_MAX
		? (unsigned)e->count * OOMD_LINES_PER_CANDIDATE + 1
		: OOMD_WINDOW_MAX;

	s->window = lines < OOMD_WINDOW_MAX ? lines : OOMD_WINDOW_MAX;
	while (s->n_pending < MAX_PENDING &&
	       (p = memmem(p, (size_t)(end - p), path, sizeof(path) - 1))) {
		const char *c = p += sizeof(path) - 1, *ce = c;
		struct story_event *x;

		while (ce < end && *ce != ' ' && *ce != '#' && *ce != '\t')
			ce++;
		if (ce == c || *c != '/')
			continue;
		x = event_new(s, STORY_OOMD_CANDIDATE, e->actor, strlen(e->actor),
			      ll);
		x->cgroup = xstrndup(c, (size_t)(ce - c));
		s->pending[s->n_pending++] = x;
	}
}

/* "earlyoom-forged": journal-render.c's tag for an impostor's entry. */
static int forged_tag(const char *tag, size_t n)
{
	const size_t k = sizeof(STORY_FORGED_SUFFIX) - 1;

	return n > k && !memcmp(tag + n - k, STORY_FORGED_SUFFIX, k);
}

struct story_event *story_line(struct story_ctx *s, const struct log_line *ll)
{
	struct line_class lc;
	const char *tag = ll->tag;
	size_t tag_len = ll->tag_len;

	if (ll->kernel)
		return NULL;
	if (s->window)
		s->window--;
	if (tag) {
		size_t n = tag_len < sizeof(s->tag) - 1 ? tag_len
							: sizeof(s->tag) - 1;

		memcpy(s->tag, tag, n);
		s->tag[n] = '\0';
		n = ll->host_len < sizeof(s->host) - 1 ? ll->host_len
						       : sizeof(s->host) - 1;
		memcpy(s->host, ll->host ? ll->host : "", ll->host ? n : 0);
		s->host[ll->host ? n : 0] = '\0';
	} else if (ll->fmt == FMT_CONT && s->tag[0]) {
		/* a later line of the same record */
		tag = s->tag;
		tag_len = strlen(s->tag);
	} else {
		s->tag[0] = '\0';
		return NULL;
	}
	if (forged_tag(tag, tag_len)) {
		/* another program's entry in a story program's name: what
		 * it claims is recorded as forged, never as a kill */
		size_t real = tag_len - (sizeof(STORY_FORGED_SUFFIX) - 1);

		classify_story(s->c, tag, real, ll->body, ll->body_len, &lc);
		return lc.kind != LINE_NONE ? event_new(s, STORY_FORGED, tag,
							tag_len, ll)
					    : NULL;
	}
	classify_story(s->c, tag, tag_len, ll->body, ll->body_len, &lc);
	if (tag_len == 6 && !memcmp(tag, "nohang", 6))
		return nohang(s, ll, &lc, ll->body, ll->body_len);
	if (lc.kind != LINE_NONE) {
		struct story_event *e = from_class(s, &lc, tag, tag_len, ll);

		if (e && e->kind == STORY_OOMD_CANDIDATES)
			oomd_candidates(s, e, ll);
		return e;
	}
	/* continuation lines of a forged record are part of it */
	if (ll->fmt != FMT_CONT && kernel_look(s->c, ll->body, ll->body_len))
		return event_new(s, STORY_FORGED, tag, tag_len, ll);
	return NULL;
}

struct oom_report *story_kill_report(const struct story_event *e)
{
	struct oom_report *r;
	struct oom_kill *k;

	if (!story_kind_is_kill(e->kind))
		return NULL;
	r = oom_report_new();
	r->killer = xstrdup(e->actor);
	r->host = e->host ? xstrdup(e->host) : NULL;
	r->boot_id = e->boot_id ? xstrdup(e->boot_id) : NULL;
	if (e->known & SK_WALL) {
		r->wall_us = e->wall_us;
		r->known |= RK_WALL;
	}
	if (e->known & SK_LOCAL_TIME)
		r->flags |= REPORT_LOCAL_TIME;
	if (e->known & SK_YEAR_GUESSED)
		r->flags |= REPORT_YEAR_GUESSED;
	r->first_line = r->last_line = e->line;
	/* what a kernel report would hold is not there, and says so */
	r->flags |= REPORT_NO_DUMP | REPORT_NO_MEMINFO;
	if (e->cgroup)
		r->task_memcg = xstrdup(e->cgroup);
	r->raw = xstrdup(e->message);
	r->raw_len = strlen(r->raw);
	/* oomd names a cgroup, not a process; a kill row needs both */
	if (!(e->known & SK_PID) || !e->comm)
		return r;
	k = r->kills = xcalloc(1, sizeof(*k));
	r->n_kills = 1;
	k->line = e->line;
	k->comm = xstrdup(e->comm);
	k->pid = e->pid;
	if (e->known & SK_UID) {
		k->uid = e->uid;
		k->known |= KILL_UID;
	}
	if (e->known & SK_ADJ) {
		k->oom_score_adj = e->adj;
		k->known |= KILL_ADJ;
	}
	return r;
}
