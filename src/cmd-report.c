/*
 * cmd-report.c: one OOM investigation as a self-contained HTML file to
 * attach to a ticket: the verdict, the kills over time, the tasks by
 * points, the memory, the settings that would have helped, the raw
 * report.  The page is built by html.c; here: the events and the file.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "badness.h"
#include "buf.h"
#include "cmd.h"
#include "explain.h"
#include "html.h"
#include "number.h"
#include "oom.h"
#include "oomlens.h"
#include "output.h"
#include "store.h"
#include "xalloc.h"

static int cmd_report_exec(struct cmd_ctx *ctx, const struct cmd_args *args);

static const struct option report_options[] = {
	{ "event", required_argument, NULL, 'e' },
	{ "output", required_argument, NULL, 'o' },
	CMD_BOOT_OPTION,
	CMD_FILTER_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

const struct cmd_entry cmd_report_entry = {
	.name = "report",
	.usage = "report [--event ID] [--host NAME] [--since TIME] [--until TIME] "
		 "[--boot [ID|-N]] -o FILE",
	.summary = "write an OOM investigation as one self-contained HTML file",
	.options =
	"  --event ID       explain this event; the timeline shows its host's\n"
	"  --host NAME      only events on this host\n"
	"  --since TIME     only events at or after TIME\n"
	"  --until TIME     only events before TIME\n"
	CMD_BOOT_HELP
	"  -o, --output FILE  the HTML file to write (- for stdout)\n",
	.flags = CMD_STORE_READ,
	.longopts = report_options,
	.shortopts = "b::o:",
	.exec = cmd_report_exec,
};

struct timeline {
	struct html_kill *k;
	size_t n, alloc;
};

static void timeline_release(struct timeline *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free((char *)t->k[i].host);
		free((char *)t->k[i].victim);
		free((char *)t->k[i].scope);
		free((char *)t->k[i].killer);
	}
	free(t->k);
	memset(t, 0, sizeof(*t));
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* The timeline's scope column: NULL when the report does not tell. */
static char *scope_text(const struct oom_report *r)
{
	const char *inferred = oom_report_scope_inferred(r) ? " (inferred)"
							     : "";

	switch (oom_report_scope(r)) {
	case SCOPE_UNKNOWN:
		return NULL;
	case SCOPE_MEMCG:
		return xasprintf("memcg %s%s", r->oom_memcg ? r->oom_memcg
							    : "(not printed)",
				 inferred);
	case SCOPE_GLOBAL:
		return xasprintf("global%s", inferred);
	default:
		return xasprintf("%s%s", oom_report_constraint(r), inferred);
	}
}

static int collect(struct cmd_ctx *ctx, int64_t id,
		   const struct oom_report *r, void *data)
{
	struct timeline *t = data;
	const struct oom_kill *v = oom_report_victim(r);
	struct html_kill *k;

	(void)ctx;
	if (t->n == t->alloc) {
		t->alloc = t->alloc ? 2 * t->alloc : 64;
		t->k = xrealloc(t->k, t->alloc * sizeof(*t->k));
	}
	k = &t->k[t->n++];
	memset(k, 0, sizeof(*k));
	k->id = id;
	k->has_wall = (r->known & RK_WALL) != 0;
	k->wall_us = r->wall_us;
	out_event_time_utc(r, k->when, sizeof(k->when));
	k->host = dup_or_null(r->host);
	k->killer = dup_or_null(r->killer);
	k->victim = v ? xstrdup(v->comm) : NULL;
	k->pid = v ? v->pid : 0;
	k->n_kills = r->n_kills;
	k->scope = scope_text(r);
	return 0;
}

/* The event explained: the newest that killed something. */
static int64_t pick_focus(const struct timeline *t)
{
	for (size_t i = t->n; i-- > 0;)
		if (t->k[i].victim)
			return t->k[i].id;
	return t->n ? t->k[t->n - 1].id : 0;
}

static int write_file(const char *path, const struct buf *b, FILE *out)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "w") : out;

	if (!fp)
		return error("cannot write '%s': %s", path, strerror(errno));
	if (fwrite(b->data, 1, b->len, fp) != b->len || fflush(fp) != 0 ||
	    ferror(fp)) {
		int e = errno;

		if (fp != out)
			fclose(fp);
		return error("cannot write '%s': %s", path, strerror(e));
	}
	if (fp != out && fclose(fp) != 0)
		return error("cannot write '%s': %s", path, strerror(errno));
	return EXIT_OK;
}

/* Load, analyse and explain the focus event, then write the page. */
static int render(struct cmd_ctx *ctx, const struct timeline *t,
		  int64_t focus, const char *path)
{
	struct oom_report *r = NULL, *prev = NULL;
	int64_t prev_id = 0;
	struct explain_why w;
	const struct oom_kill *v;
	struct buf b = BUF_INIT;
	char *source = NULL;
	struct store_action *story = NULL;
	size_t n_story = 0;
	int status;

	if (store_load_event(ctx->st, focus, &r) < 0)
		return error("%s", store_errmsg(ctx->st));
	badness_analyse(r);
	if (r->host && (r->known & RK_WALL) &&
	    store_prev_event(ctx->st, r->host, r->wall_us, focus, &prev_id) == 0 &&
	    store_load_event(ctx->st, prev_id, &prev) == 0)
		badness_analyse(prev);
	v = oom_report_victim(r);
	if (v)
		explain_why(r, v, prev, prev_id, &w);
	store_event_source(ctx->st, focus, &source);
	if (store_event_actions(ctx->st, focus, &story, &n_story) < 0)
		n_story = 0;	/* the page is worth having without them */
	html_report(&b, &(struct html_page){
				.kills = t->k,
				.n_kills = t->n,
				.focus_id = focus,
				.r = r,
				.why = v ? &w : NULL,
				.source = source,
				.story = story,
				.n_story = n_story,
			});
	store_actions_free(story, n_story);
	status = write_file(path, &b, ctx->out);
	buf_release(&b);
	free(source);
	oom_report_free(prev);
	oom_report_free(r);
	return status;
}

static int cmd_report_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct event_filter f = { 0 };
	struct timeline t = { 0 };
	const char *path = args_get(args, 'o'), *event_arg = args_get(args, 'e');
	int64_t event = 0, focus;
	int status;

	if (event_arg && (num_parse_i64(event_arg, strlen(event_arg), &event) < 0 ||
			  event <= 0))
		return cmd_usage_error(&cmd_report_entry,
				       "'%s' is not an event id", event_arg);
	status = cmd_filter_args(&cmd_report_entry, args, &f);
	if (status >= 0)
		return status;
	if (!path)
		return cmd_usage_error(&cmd_report_entry,
				       "where to? give -o FILE (- for stdout)");
	status = cmd_open_store(ctx);
	if (status >= 0)
		return status;
	if (event) {
		struct oom_report *r;
		int e = store_load_event_parts(ctx->st, event, 0, &r);

		if (e == -ENOENT)
			return nothing("no event %" PRId64, event);
		if (e < 0)
			return error("%s", store_errmsg(ctx->st));
		/* its host's other kills give it context on the timeline */
		if (!f.host && r->host) {
			f.host = xstrdup(r->host);
			status = cmd_each_event(ctx, &f, 0, collect, &t);
			free((char *)f.host);
		} else if (!f.host) {
			status = collect(ctx, event, r, &t);
		} else {
			status = cmd_each_event(ctx, &f, 0, collect, &t);
		}
		oom_report_free(r);
		focus = event;
	} else {
		status = cmd_each_event(ctx, &f, 0, collect, &t);
		focus = pick_focus(&t);
	}
	if (status == EXIT_NOTHING || !t.n) {
		timeline_release(&t);
		return nothing("no OOM event matches");
	}
	if (status != EXIT_OK) {
		timeline_release(&t);
		return status;
	}
	status = render(ctx, &t, focus, path);
	timeline_release(&t);
	return status;
}
