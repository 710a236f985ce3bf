/*
 * cmd-show.c: everything about one event: who died, who asked, the scope,
 * the memory summary, and the task dump sorted by rss with the victim
 * marked.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "badness.h"
#include "buf.h"
#include "chart.h"
#include "cmd.h"
#include "diagnosis.h"
#include "memcg-stat.h"
#include "number.h"
#include "oom.h"
#include "oomlens.h"
#include "output.h"
#include "picture.h"
#include "show-tasks.h"
#include "store.h"
#include "table.h"
#include "story.h"

static int cmd_show_exec(struct cmd_ctx *ctx, const struct cmd_args *args);

static const struct option show_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "raw", no_argument, NULL, 'r' },
	CMD_UTC_OPTION,
	{ NULL, 0, NULL, 0 },
};

const struct cmd_entry cmd_show_entry = {
	.name = "show",
	.usage = "show [--json] [--raw] [--utc] EVENT",
	.summary = "show one OOM event in full",
	.options =
	"  --json   the event as one JSON document (the export shape)\n"
	"  --raw    also print the report's lines as read\n"
	"  --utc    times in UTC on a terminal too (else local there)\n"
	"  EVENT    an event id, as printed by 'oomlens list'\n",
	.flags = CMD_STORE_READ,
	.longopts = show_options,
	.min_args = 1, .max_args = 1,
	.too_few = "which event?", .too_many = "one event at a time",
	.exec = cmd_show_exec,
};

/* Where the kept copy came from, and whether other copies disagreed. */
static void show_provenance(FILE *out, const struct oom_report *r)
{
	static const char *const what[] = {
		[PROV_TEXT] = "syslog text (anyone can write such a line)",
		[PROV_TEXT_STAMPED] = "syslog text with the kernel's uptime "
				      "stamp",
		[PROV_KMSG] = "/dev/kmsg or dmesg",
		[PROV_JOURNAL] = "the journal, from the kernel "
				 "(_TRANSPORT=kernel)",
	};

	if (r->trust <= PROV_UNKNOWN || r->trust > PROV_JOURNAL)
		return;
	picture_label(out, "Origin:");
	fprintf(out, "%s (provenance %s)\n", what[r->trust],
		oom_provenance_name(r->trust));
	if (r->flags & REPORT_CONFLICTING_COPIES) {
		picture_label(out, "");
		fputs("another copy of this OOM says otherwise (a task, a "
		      "name or a number): these are the facts of the most "
		      "trusted copy\n", out);
	}
}

/* What other copies said otherwise (store-conflicts.c), by copy. */
static void show_conflicts(FILE *out, const struct copy_conflict *c,
			   size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct copy_conflict *x = &c[i];

		if (!i || x->first_line != c[i - 1].first_line ||
		    strcmp(x->path ? x->path : "", c[i - 1].path ?
			   c[i - 1].path : "")) {
			picture_label(out, "Also seen:");
			out_escaped(out, x->path ? x->path : "(input gone)");
			fprintf(out, ", line %" PRId64 " (provenance %s), "
				"saying otherwise:\n", x->first_line,
				x->provenance ? x->provenance : "unknown");
		}
		picture_label(out, "");
		fputs("  ", out);
		/* "victim", "rows", "task 812", "more": our words */
		fprintf(out, "%-10s", x->fact);
		fputc(' ', out);
		out_escaped(out, *x->other ? x->other : "no such row");
		if (strcmp(x->fact, "more")) {
			fputs(" (kept copy: ", out);
			out_escaped(out, *x->kept ? x->kept : "no such row");
			fputc(')', out);
		}
		fputc('\n', out);
	}
}

/* The kill line's figures of k, on a line of their own; none printed
 * (a victim named by another line): nothing. */
static void kill_figures(FILE *out, const struct oom_kill *k)
{
	static const struct {
		unsigned bit;
		const char *name;
		size_t off;
	} sizes[] = {
		{ KILL_ANON_RSS, "anon", offsetof(struct oom_kill, anon_rss_kb) },
		{ KILL_FILE_RSS, "file", offsetof(struct oom_kill, file_rss_kb) },
		{ KILL_SHMEM_RSS, "shmem",
		  offsetof(struct oom_kill, shmem_rss_kb) },
		{ KILL_PGTABLES, "page tables",
		  offsetof(struct oom_kill, pgtables_kb) },
	};
	const char *sep = "";
	char sz[32];

	if (!(k->known & (KILL_ANON_RSS | KILL_FILE_RSS | KILL_SHMEM_RSS |
			  KILL_PGTABLES | KILL_ADJ)))
		return;
	picture_label(out, "");
	/* any of them may be missing (a userspace killer prints none) */
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		if (!(k->known & sizes[i].bit))
			continue;
		out_size_kb(sz, sizeof(sz),
			    *(const uint64_t *)((const char *)k + sizes[i].off));
		fprintf(out, "%s%s %s", sep, sizes[i].name, sz);
		sep = ", ";
	}
	if (k->known & KILL_ADJ)
		fprintf(out, "%soom_score_adj %" PRId64, sep, k->oom_score_adj);
	fputc('\n', out);
}

/* The kill line of a userspace killer, as stored with the event. */
static const struct story_event *own_line(const struct store_action *a,
					  size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].link && !strcmp(a[i].link, "self"))
			return a[i].e;
	return NULL;
}

/*
 * A userspace killer's kill (earlyoom, nohang, systemd-oomd): there is no
 * kernel report, so no trigger and no scope; what the killer printed
 * stands in for the kill line.
 */
static void show_userspace_kill(FILE *out, const struct oom_report *r,
				const struct store_action *a, size_t n)
{
	const struct oom_kill *k = oom_report_victim(r);
	const struct story_event *e = own_line(a, n);
	const char *sep = "";
	char sz[32];

	fputs("Killed by ", out);
	out_escaped(out, r->killer);
	fputs(": ", out);
	if (k) {
		out_escaped(out, k->comm[0] ? k->comm : "(name not printed)");
		fprintf(out, " (pid %" PRId64, k->pid);
		if (k->known & KILL_UID)
			fprintf(out, ", uid %" PRId64, k->uid);
		fputc(')', out);
	} else {
		/* systemd-oomd kills a cgroup, every process in it */
		fputs("the cgroup ", out);
		out_escaped(out, r->task_memcg ? r->task_memcg
					       : "(not printed)");
	}
	fputc('\n', out);
	if (e && (e->signal || (e->known & (SK_SCORE | SK_ADJ | SK_RSS |
					     SK_COUNT)))) {
		picture_label(out, "");
		if (e->signal) {
			out_escaped(out, e->signal);
			sep = ", ";
		}
		if (e->known & SK_COUNT) {
			fprintf(out, "%s%" PRId64 " process%s", sep, e->count,
				e->count == 1 ? "" : "es");
			sep = ", ";
		}
		if (e->known & SK_SCORE) {
			fprintf(out, "%soom_score %" PRId64, sep, e->score);
			sep = ", ";
		}
		if (e->known & SK_ADJ) {
			fprintf(out, "%soom_score_adj %" PRId64, sep, e->adj);
			sep = ", ";
		}
		if (e->known & SK_RSS) {
			out_size_kb(sz, sizeof(sz), e->rss_kb);
			fprintf(out, "%sVmRSS %s", sep, sz);
		}
		fputc('\n', out);
	} else if (k) {
		kill_figures(out, k);
	}
	if (e && e->reason) {
		picture_label(out, "");
		/* earlyoom's is the command line; oomd's, the pressure */
		fputs(strcmp(r->killer, "earlyoom") ? "because " : "cmdline ",
		      out);
		out_escaped(out, e->reason);
		fputc('\n', out);
	}
	picture_label(out, "");
	out_escaped(out, r->killer);
	if (e) {
		fputs(" printed: ", out);
		out_escaped(out, e->message + strspn(e->message, " \t"));
		fputc('\n', out);
	} else {
		fputs("'s own line is not linked to the event\n", out);
	}
	picture_label(out, "Trigger:");
	fputs("none: ", out);
	out_escaped(out, r->killer);
	fputs(" killed on its own thresholds; the kernel's OOM killer did "
	      "not run and wrote no report\n", out);
}

static void show_kills(FILE *out, const struct oom_report *r)
{
	char sz[32];

	if (!r->n_kills) {
		picture_label(out, "Killed:");
		if (r->flags & REPORT_NO_KILLABLE)
			fputs("nothing: no killable process\n", out);
		else if (r->flags & REPORT_VICTIM_EXITING)
			fputs("nothing: the victim was already exiting\n", out);
		else if (r->flags & REPORT_WOULD_HAVE_KILLED)
			fputs("nothing: vm.would_have_oomkilled only named "
			      "the victim it selected\n", out);
		else
			fputs("not in the log (the report ends before its "
			      "kill line)\n", out);
	}
	for (size_t i = 0; i < r->n_kills; i++) {
		const struct oom_kill *k = &r->kills[i];

		picture_label(out, i ? "" : "Killed:");
		/* a kill line cut inside the name leaves none */
		if (k->comm[0])
			out_escaped(out, k->comm);
		else
			fputs("(name cut off)", out);
		fprintf(out, " (pid %" PRId64, k->pid);
		if (k->known & KILL_UID)
			fprintf(out, ", uid %" PRId64, k->uid);
		fputc(')', out);
		if (k->reason) {
			fputs(": ", out);
			out_escaped(out, k->reason);
		}
		fputc('\n', out);
		if (i == 0 && oom_victim_source(r)) {
			/* no kill line: which line named the victim */
			picture_label(out, "");
			fprintf(out, "named by %s: the kill line is not in the "
				"log\n", oom_victim_source(r));
		}
		kill_figures(out, k);
		if (k->reap == REAP_REAPED && (k->known & KILL_REAPED)) {
			picture_label(out, "");
			out_size_kb(sz, sizeof(sz), k->reaped_anon_kb);
			fprintf(out, "reaped: anon now %s", sz);
			out_size_kb(sz, sizeof(sz), k->reaped_shmem_kb);
			fprintf(out, ", shmem still %s\n", sz);
		} else if (k->reap == REAP_UNABLE) {
			picture_label(out, "");
			fputs("the oom_reaper could not reap it\n", out);
		}
	}
	if (r->group_kill_memcg) {
		picture_label(out, "");
		fputs("group kill of ", out);
		out_escaped(out, r->group_kill_memcg);
		fputs(" (memory.oom.group)\n", out);
	}
}

static void show_trigger(FILE *out, const struct oom_report *r)
{
	picture_label(out, "Trigger:");
	if (!r->trigger_comm) {
		fputs("not in the log (header rate limited or lost)\n", out);
		return;
	}
	out_escaped(out, r->trigger_comm);
	if (r->known & RK_TRIGGER_PID)
		fprintf(out, " (pid %" PRId64 ")", r->trigger_pid);
	if (r->known & RK_ORDER) {
		if (r->order < 0)
			fputs(" via SysRq-f (manual OOM)", out);
		else
			fprintf(out, " asked for %" PRId64 " page%s", 
				(int64_t)1 << (r->order > 30 ? 30 : r->order),
				r->order ? "s" : "");
	}
	if (r->gfp_mask) {
		fputs(", gfp_mask=", out);
		out_escaped(out, r->gfp_mask);
	}
	if (r->known & RK_TRIGGER_ADJ)
		fprintf(out, ", oom_score_adj %" PRId64, r->trigger_adj);
	fputc('\n', out);
}

/* "cgroup memory: anon 498.0 MiB, ..." and "cgroup kernel: ...": the
 * memcg's memory.stat as the report printed it, known items only. */
static void show_memcg_stat(FILE *out, const struct oom_report *r)
{
	struct memcg_stat st;
	enum memcg_stat_item it[MCS_COUNT];
	char v[32];

	if (!memcg_stat_parse(r->memcg_stats, &st))
		return;
	for (int side = 0; side < 2; side++) {
		int n = memcg_stat_pick(&st, side, it);

		if (!n)
			continue;
		picture_label(out, "");
		fputs(side ? "cgroup kernel:" : "cgroup memory:", out);
		for (int i = 0; i < n; i++) {
			out_size_kb(v, sizeof(v), st.kb[it[i]]);
			fprintf(out, "%s %s %s", i ? "," : "",
				memcg_stat_names[it[i]], v);
		}
		if (!side && st.own_only)
			fputs(" (its own pages, not its children's)", out);
		fputc('\n', out);
	}
}

static void show_scope(FILE *out, const struct oom_report *r, unsigned cf)
{
	const struct memcg_usage *m = &r->memcg[MEMCG_MEMORY];
	enum oom_scope scope = oom_report_scope(r);
	char a[32], b[32];

	picture_label(out, "Scope:");
	switch (scope) {
	case SCOPE_MEMCG:
		fputs("memory cgroup ", out);
		out_escaped(out, r->oom_memcg ? r->oom_memcg : "(path not printed)");
		break;
	case SCOPE_GLOBAL:
		fputs("global (whole machine)", out);
		break;
	case SCOPE_UNKNOWN:
		fputs("not printed", out);
		break;
	default:
		out_escaped(out, oom_report_constraint(r));
	}
	if (scope != SCOPE_UNKNOWN && oom_report_scope_inferred(r))
		fputs(", inferred (no constraint printed)", out);
	fputc('\n', out);
	if (m->known) {
		picture_label(out, "");
		out_size_kb(a, sizeof(a), m->usage_kb);
		if (m->limit_kb >= MEMCG_UNLIMITED_KB)
			snprintf(b, sizeof(b), "no limit");
		else
			out_size_kb(b, sizeof(b), m->limit_kb);
		fprintf(out, "memcg usage %s of %s, failcnt %" PRIu64 "\n", a, b,
			m->failcnt);
		picture_memcg(out, r, cf);
	}
	show_memcg_stat(out, r);
	if (r->task_memcg) {
		picture_label(out, "");
		fputs("victim's cgroup ", out);
		out_escaped(out, r->task_memcg);
		fputc('\n', out);
	}
}

/* A page size other than 4 KiB: every page count shown is in it. */
static void show_page_size(FILE *out, const struct oom_report *r)
{
	if (!mem_has(r, MEM_PAGE_SIZE_KB) || r->mem[MEM_PAGE_SIZE_KB] == 4)
		return;
	picture_label(out, "Pages:");
	fprintf(out, "%" PRIu64 " KiB each, %s\n", r->mem[MEM_PAGE_SIZE_KB],
		r->flags & REPORT_PAGE_SIZE_INFERRED
			? "inferred: not printed, the report's kB figures "
			  "against its page counts say so"
			: "as the buddy lists print it");
}

static void show_memory(FILE *out, const struct oom_report *r, unsigned cf)
{
	char a[32], b[32];

	if (mem_has(r, MEM_RAM_PAGES)) {
		picture_label(out, "Memory:");
		picture_size_pages(a, sizeof(a), r, r->mem[MEM_RAM_PAGES]);
		fprintf(out, "RAM %s", a);
		if (mem_has(r, MEM_RESERVED_PAGES)) {
			picture_size_pages(a, sizeof(a), r, r->mem[MEM_RESERVED_PAGES]);
			fprintf(out, " (%s reserved)", a);
		}
		if (mem_has(r, MEM_TOTAL_SWAP_KB)) {
			out_size_kb(a, sizeof(a), r->mem[MEM_TOTAL_SWAP_KB]);
			if (mem_has(r, MEM_FREE_SWAP_KB))
				out_size_kb(b, sizeof(b), r->mem[MEM_FREE_SWAP_KB]);
			else
				snprintf(b, sizeof(b), "?");
			fprintf(out, ", swap %s free of %s", b, a);
		}
		fputc('\n', out);
	}
	if (mem_has(r, MEM_ACTIVE_ANON) && mem_has(r, MEM_INACTIVE_ANON)) {
		static const struct {
			const char *name;
			enum mem_field f1, f2;
		} rows[] = {
			{ "anon", MEM_ACTIVE_ANON, MEM_INACTIVE_ANON },
			{ "file", MEM_ACTIVE_FILE, MEM_INACTIVE_FILE },
			{ "shmem", MEM_SHMEM, MEM_FIELD_COUNT },
			{ "slab", MEM_SLAB_RECLAIMABLE, MEM_SLAB_UNRECLAIMABLE },
			{ "page tables", MEM_PAGETABLES, MEM_FIELD_COUNT },
			{ "free", MEM_FREE, MEM_FIELD_COUNT },
		};
		int first = 1;

		picture_label(out, mem_has(r, MEM_RAM_PAGES) ? "" : "Memory:");
		for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
			uint64_t v;

			if (!mem_has(r, rows[i].f1))
				continue;
			v = r->mem[rows[i].f1];
			if (rows[i].f2 != MEM_FIELD_COUNT && mem_has(r, rows[i].f2))
				v += r->mem[rows[i].f2];
			picture_size_pages(a, sizeof(a), r, v);
			fprintf(out, "%s%s %s", first ? "" : ", ", rows[i].name, a);
			first = 0;
		}
		fputc('\n', out);
	}
	if (mem_has(r, MEM_HUGEPAGES_KB) && r->mem[MEM_HUGEPAGES_KB]) {
		picture_label(out, "");
		out_size_kb(a, sizeof(a), r->mem[MEM_HUGEPAGES_KB]);
		fprintf(out, "huge pages reserved %s\n", a);
	}
	picture_memory(out, r, cf);
	picture_zones(out, r, cf);
}

/* The cause, as diagnosis.c decided it (after badness_analyse). */
static void show_diagnosis(FILE *out, const struct oom_report *r)
{
	struct diagnosis d;
	char line[512];

	if (r->killer)
		return;
	diagnose(r, NULL, &d);
	out_diag_verdict(&d, r, oom_report_victim(r), line, sizeof(line));
	picture_label(out, "Diagnosis:");
	fputs(diag_kind_name(d.kind), out);
	fputs(": ", out);
	out_escaped(out, line);
	fputc('\n', out);
}

/* The time's guesses, which the flags alone would hide. */
static void show_time_guesses(FILE *out, const struct oom_report *r)
{
	unsigned f = r->flags & (REPORT_YEAR_GUESSED | REPORT_LOCAL_TIME);

	if (!f)
		return;
	picture_label(out, "Time:");
	if (f & REPORT_YEAR_GUESSED)
		fputs("year guessed (the log has none: the file's "
		      "modification time decided it)", out);
	if (f == (REPORT_YEAR_GUESSED | REPORT_LOCAL_TIME))
		fputs(", ", out);
	if (f & REPORT_LOCAL_TIME)
		fputs("read in the local time zone (the log has none)", out);
	fputc('\n', out);
}

static void show_text(FILE *out, size_t width, int64_t id,
		      const struct oom_report *r,
		      const char *source, int raw, unsigned cf,
		      const struct copy_conflict *conflicts, size_t n_conflicts,
		      const struct store_action *acts, size_t n_acts)
{
	char when[40];

	out_event_time(r, when, sizeof(when));
	fprintf(out, "Event %" PRId64 " at %s on ", id, when);
	out_escaped(out, r->host ? r->host : "(host not in the log)");
	fputc('\n', out);
	show_time_guesses(out, r);
	if (source) {
		picture_label(out, "Source:");
		out_escaped(out, source);
		if (r->first_line == r->last_line)
			fprintf(out, ", line %" PRIu64 "\n", r->first_line);
		else
			fprintf(out, ", lines %" PRIu64 "-%" PRIu64 "\n",
				r->first_line, r->last_line);
	}
	show_provenance(out, r);
	show_conflicts(out, conflicts, n_conflicts);
	if (r->killer) {
		show_userspace_kill(out, r, acts, n_acts);
	} else {
		show_kills(out, r);
		show_diagnosis(out, r);
		show_trigger(out, r);
		show_scope(out, r, cf);
	}
	if (r->kernel_release) {
		picture_label(out, "Kernel:");
		out_escaped(out, r->kernel_release);
		if (r->hardware) {
			fputs(" on ", out);
			out_escaped(out, r->hardware);
		}
		fputc('\n', out);
	}
	show_page_size(out, r);
	show_memory(out, r, cf);
	if (r->flags) {
		picture_label(out, "Flags:");
		for (int b = 0, first = 1; report_flag_names[b]; b++)
			if (r->flags & (1u << b)) {
				fprintf(out, "%s%s", first ? "" : " ",
					report_flag_names[b]);
				first = 0;
			}
		fputc('\n', out);
	}
	show_tasks(out, r, cf, width);
	if (raw && r->raw) {
		fputs("\nReport as logged:\n", out);
		for (const char *p = r->raw; *p;) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			char *line = strndup(p, n);

			fputs("  ", out);
			out_escaped(out, line ? line : "");
			fputc('\n', out);
			free(line);
			p += n + (nl != NULL);
		}
	}
}

static int cmd_show_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	int json = args_has(args, 'j') > 0, raw = args_has(args, 'r') > 0;
	const char *arg = args->argv[0];
	int r, status;
	int64_t id;
	struct oom_report *rep;
	char *source = NULL;
	int64_t ingested = 0;
	struct copy_conflict *conflicts = NULL;
	size_t n_conflicts = 0;

	if (num_parse_i64(arg, strlen(arg), &id) < 0 || id <= 0)
		return cmd_usage_error(&cmd_show_entry,
				       "'%s' is not an event id", arg);
	status = cmd_open_store(ctx);
	if (status >= 0)
		return status;
	r = store_load_event(ctx->st, id, &rep);
	if (r == -ENOENT)
		return nothing("no event %" PRId64, id);
	if (r < 0)
		return error("%s", store_errmsg(ctx->st));
	store_event_origin(ctx->st, id, &source, &ingested);
	if (store_event_conflicts(ctx->st, id, &conflicts, &n_conflicts) < 0)
		n_conflicts = 0;
	if (json) {
		cJSON *doc = out_ecs_event(rep, id, source, ingested);
		struct diagnosis d;

		/* the one stored at ingest, as the export gives it */
		if (store_load_diagnosis(ctx->st, id, &d) == 0)
			out_ecs_add_diagnosis(doc, &d);
		out_ecs_add_conflicts(doc, conflicts, n_conflicts);

		if (raw && rep->raw)
			cJSON_AddStringToObject(cJSON_GetObjectItem(doc, "event"),
						"original", rep->raw);
		out_json_line(ctx->out, doc);
		cJSON_Delete(doc);
	} else {
		struct store_action *acts = NULL;
		size_t n_acts = 0;
		/* the look is the terminal's; the text wrapped, the tasks
		 * and pictures fitted to its width */
		unsigned cf = chart_detect(fileno(ctx->out));
		struct text_out wrap;
		FILE *out = text_out_begin(&wrap, ctx->out);

		/* a userspace kill's own line is its kill line */
		if (rep->killer &&
		    store_event_actions(ctx->st, id, &acts, &n_acts) < 0)
			n_acts = 0;
		/* the analysis gives points and totalpages for the pictures */
		badness_analyse(rep);
		picture_fit(wrap.width);
		show_text(out, wrap.width, id, rep, source, raw, cf, conflicts,
			  n_conflicts, acts, n_acts);
		text_out_end(&wrap);
		store_actions_free(acts, n_acts);
	}
	copy_conflicts_free(conflicts, n_conflicts);
	free(source);
	oom_report_free(rep);
	return EXIT_OK;
}
