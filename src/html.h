/*
 * html.h: one OOM investigation as a self-contained HTML page: inline CSS
 * and SVG, no script and no URL, so it opens offline and can be mailed.
 * Everything from the log (task names, cgroup paths, hosts, the raw
 * report) is escaped: it is hostile input.  Builds into a struct buf;
 * never prints.
 */
#ifndef OOMLENS_HTML_H
#define OOMLENS_HTML_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct explain_why;
struct store_action;
struct oom_report;

/* One kill on the timeline: what the page needs of an event, so that a
 * long range does not keep every report in memory.  Strings are owned by
 * the caller. */
struct html_kill {
	int64_t id;
	int has_wall;
	int64_t wall_us;
	char when[40];		/* out_event_time() */
	const char *host;	/* NULL: not in the log */
	const char *victim;	/* first task killed; NULL: none */
	int64_t pid;
	size_t n_kills;
	const char *scope;	/* "global", "memcg", ...; NULL: not printed */
	const char *killer;	/* a userspace killer; NULL: the kernel */
};

struct html_page {
	const struct html_kill *kills;	/* the timeline, oldest first */
	size_t n_kills;
	int64_t focus_id;		/* the event explained */
	const struct oom_report *r;	/* that event, analysed */
	const struct explain_why *why;	/* its first kill; NULL: none */
	const char *source;		/* its log file, or NULL */
	const struct store_action *story;	/* what userspace said of it */
	size_t n_story;
};

/* s as HTML text or attribute value: & < > " ' escaped, control bytes
 * other than tab and newline and bytes that are not UTF-8 as U+FFFD. */
void html_escape(struct buf *b, const char *s);

/* The whole page: verdict, timeline, tasks by points, memory, advice,
 * and the raw report folded away. */
void html_report(struct buf *b, const struct html_page *p);

#endif
