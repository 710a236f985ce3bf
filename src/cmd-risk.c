/*
 * cmd-risk.c: before the next OOM: who would die now, and why.  Reads
 * /proc and the cgroup tree, ranks every process as the kernel would
 * (badness.c, the same engine as the post-mortems), shows the kernel's
 * own oom_score beside ours, the headroom of each limited cgroup, and
 * flags what people regret after the fact.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "badness.h"
#include "cmd.h"
#include "explain.h"
#include "number.h"
#include "oom.h"
#include "oomlens.h"
#include "output.h"
#include "proc.h"
#include "snapshot.h"
#include "store.h"
#include "table.h"

static int cmd_risk_exec(struct cmd_ctx *ctx, const struct cmd_args *args);

static const struct option risk_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "top", required_argument, NULL, 't' },
	{ "proc", required_argument, NULL, 'p' },
	{ "cgroup", required_argument, NULL, 'c' },
	{ "record", no_argument, NULL, 'r' },
	{ NULL, 0, NULL, 0 },
};

const struct cmd_entry cmd_risk_entry = {
	.name = "risk",
	.usage = "risk [--json] [--top N] [--proc DIR] [--cgroup DIR] [--record]",
	.summary = "rank the processes the OOM killer would kill now",
	.options =
	"  --top N       show the first N processes (default 10)\n"
	"  --proc DIR    read this copy of /proc (default /proc)\n"
	"  --cgroup DIR  read this copy of the cgroup tree (default\n"
	"                /sys/fs/cgroup)\n"
	"  --record      store the snapshot, so that 'why' can later show who\n"
	"                grew before an OOM of this host\n"
	"  --json        the ranking and the warnings as one JSON document\n",
	.flags = CMD_STORE_WRITE,
	.longopts = risk_options,
	.exec = cmd_risk_exec,
};

/* Names people run as databases and other long-lived state holders. */
static int is_database(const char *name)
{
	static const char *const names[] = {
		"postgres", "postmaster", "mysqld", "mariadbd", "mongod",
		"redis-server", "etcd", "clickhouse-serv", "elasticsearch",
		"cassandra", "influxd", "memcached", "slapd", "zookeeper",
		"kafka", "rabbitmq-server", "beam.smp", NULL,
	};

	for (size_t i = 0; names[i]; i++)
		if (!strcmp(name, names[i]))
			return 1;
	return 0;
}

struct risk {
	struct proc_sample *s;
	const struct oom_task **order;	/* ranked candidates */
	size_t n_order;
	size_t matched, compared;	/* our oom_score vs the kernel's */
	struct snapshot_growth growth;	/* since the last --record */
	int has_growth;
};

static int by_rank(const void *pa, const void *pb)
{
	const struct oom_task *a = *(const struct oom_task *const *)pa;
	const struct oom_task *b = *(const struct oom_task *const *)pb;

	return (a->rank > b->rank) - (a->rank < b->rank);
}

static size_t task_index(const struct oom_report *r, const struct oom_task *t)
{
	return (size_t)(t - r->tasks);
}

static void rank(struct risk *k)
{
	struct oom_report *r = k->s->r;

	badness_analyse(r);
	k->order = calloc(r->n_tasks ? r->n_tasks : 1, sizeof(*k->order));
	for (size_t i = 0; i < r->n_tasks; i++) {
		const struct oom_task *t = &r->tasks[i];

		if (t->known & TASK_POINTS)
			k->order[k->n_order++] = t;
		/* the kernel prints 0 for unkillable tasks, so do we */
		if (k->s->has_kernel_score[i]) {
			int64_t ours = t->known & TASK_OOM_SCORE ? t->oom_score : 0;

			k->compared++;
			/* rss counters are per-CPU approximations (6.2+) */
			if (llabs(ours - k->s->kernel_score[i]) <= 1)
				k->matched++;
		}
	}
	qsort(k->order, k->n_order, sizeof(*k->order), by_rank);
}

static void text_header(FILE *out, const struct risk *k)
{
	const struct oom_report *r = k->s->r;
	char a[32], b[32];

	fputs("Host ", out);
	out_escaped(out, r->host ? r->host : "(unnamed)");
	if (r->kernel_release) {
		fputs(", kernel ", out);
		out_escaped(out, r->kernel_release);
		fprintf(out, " (badness era %s)", era_names[r->an.era]);
	}
	fputs(".\n", out);
	if (mem_has(r, MEM_RAM_PAGES)) {
		out_size_kb(a, sizeof(a), r->mem[MEM_RAM_PAGES] *
					  r->mem[MEM_PAGE_SIZE_KB]);
		out_size_kb(b, sizeof(b), mem_has(r, MEM_TOTAL_SWAP_KB)
						  ? r->mem[MEM_TOTAL_SWAP_KB] : 0);
		fprintf(out, "  RAM %s + swap %s = totalpages %" PRIu64 ".\n", a,
			b, r->totalpages);
	}
	if (k->s->has_psi)
		fprintf(out, "  Memory pressure (PSI) some avg10=%.2f avg60=%.2f "
			"avg300=%.2f, full avg10=%.2f.\n", k->s->psi_some[0],
			k->s->psi_some[1], k->s->psi_some[2], k->s->psi_full[0]);
	else
		fputs("  No /proc/pressure/memory (kernel without PSI).\n", out);
	if (k->s->has_vm_oom_kill)
		fprintf(out, "  OOM kills since boot: %" PRIu64 ".\n",
			k->s->vm_oom_kill);
}

/* Columns at least as wide as they were when padded by hand (two blanks
 * apart, numbers right-aligned): a pid, a size, points of any length
 * widen theirs; on a short terminal the name and the cgroup are cut, and
 * on a very short one KERNEL, ADJ and CGROUP left out. */
enum { RC_RANK, RC_PID, RC_NAME, RC_USAGE, RC_ADJ, RC_POINTS, RC_SCORE,
       RC_KERNEL, RC_CGROUP, RC_COUNT };

static const struct table_col rank_cols[RC_COUNT] = {
	[RC_RANK] = { .name = "RANK", .whint = 4,
		      .flags = TABLE_RIGHT | TABLE_STRICT },
	[RC_PID] = { .name = "PID", .whint = 7,
		     .flags = TABLE_RIGHT | TABLE_STRICT },
	[RC_NAME] = { .name = "NAME", .whint = 16, .share = 0.3,
		      .flags = TABLE_STRICT | TABLE_TRUNC },
	[RC_USAGE] = { .name = "USAGE", .whint = 9,
		       .flags = TABLE_RIGHT | TABLE_STRICT },
	[RC_ADJ] = { .name = "ADJ", .whint = 5, .drop = 2,
		     .flags = TABLE_RIGHT | TABLE_STRICT },
	[RC_POINTS] = { .name = "POINTS", .whint = 9,
			.flags = TABLE_RIGHT | TABLE_STRICT },
	[RC_SCORE] = { .name = "SCORE", .whint = 5,
		       .flags = TABLE_RIGHT | TABLE_STRICT },
	[RC_KERNEL] = { .name = "KERNEL", .whint = 5, .drop = 3,
			.flags = TABLE_RIGHT | TABLE_STRICT },
	[RC_CGROUP] = { .name = "CGROUP", .share = 0.5, .drop = 1,
			.flags = TABLE_TRUNC },
};

static void text_ranking(FILE *out, const struct risk *k, size_t top,
			 size_t width)
{
	static const size_t sel[RC_COUNT] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
	const struct oom_report *r = k->s->r;
	uint64_t pk = r->mem[MEM_PAGE_SIZE_KB];
	struct table *t = table_new(rank_cols, sel, RC_COUNT, "  ");

	fputs("\nIf the OOM killer ran now (whole machine), it would kill, in "
	      "order:\n", out);
	table_indent(t, "  ");
	for (size_t i = 0; i < k->n_order && i < top; i++) {
		const struct oom_task *ta = k->order[i];
		size_t x = task_index(r, ta);
		char usage[32], kernel[24] = "-", num[24];

		table_add_row(t);
		snprintf(num, sizeof(num), "%" PRId64, ta->rank);
		table_set(t, RC_RANK, num);
		snprintf(num, sizeof(num), "%" PRId64, ta->pid);
		table_set(t, RC_PID, num);
		table_set(t, RC_NAME, ta->name);
		out_size_kb(usage, sizeof(usage), badness_usage(r, ta) * pk);
		table_set(t, RC_USAGE, usage);
		snprintf(num, sizeof(num), "%" PRId64,
			 ta->known & TASK_ADJ ? ta->oom_score_adj : 0);
		table_set(t, RC_ADJ, num);
		snprintf(num, sizeof(num), "%" PRId64, ta->points);
		table_set(t, RC_POINTS, num);
		snprintf(num, sizeof(num), "%" PRId64, ta->oom_score);
		table_set(t, RC_SCORE, num);
		if (k->s->has_kernel_score[x])
			snprintf(kernel, sizeof(kernel), "%" PRId64,
				 k->s->kernel_score[x]);
		table_set(t, RC_KERNEL, kernel);
		table_set(t, RC_CGROUP, k->s->cgroup[x] ? k->s->cgroup[x] : "-");
	}
	table_allow_drop(t);
	if (table_print(t, out, width) < 0)
		output_failed();
	table_free(t);
	if (k->compared)
		fprintf(out, "  (SCORE is ours, KERNEL is /proc/PID/oom_score: "
			"they agree for %zu of %zu processes, +-1.)\n",
			k->matched, k->compared);
}

/* Limited cgroups: headroom and who would die inside each. */
static void text_cgroups(FILE *out, const struct risk *k)
{
	int shown = 0;

	for (size_t i = 0; i < k->s->n_cgroups; i++) {
		const struct proc_cgroup *cg = &k->s->cgroups[i];
		struct oom_report *m = proc_memcg_report(k->s, cg);
		const struct oom_task *v;
		char a[32], b[32], c[32];

		if (!m)
			continue;
		if (!shown++)
			fputs("\nMemory cgroups with a limit:\n", out);
		badness_analyse(m);
		v = badness_predicted(m);
		out_size_kb(a, sizeof(a), cg->current_kb);
		out_size_kb(b, sizeof(b), cg->max_kb);
		out_size_kb(c, sizeof(c), cg->max_kb > cg->current_kb
					  ? cg->max_kb - cg->current_kb : 0);
		fputs("  ", out);
		out_escaped(out, cg->path);
		fprintf(out, ": %s of %s, headroom %s", a, b, c);
		if (v) {
			fputs("; would kill ", out);
			out_escaped(out, v->name);
			fprintf(out, " (pid %" PRId64 ")", v->pid);
		}
		if (cg->known & CG_EVENTS && cg->oom_kill)
			fprintf(out, "; %" PRIu64 " OOM kill%s so far", cg->oom_kill,
				cg->oom_kill == 1 ? "" : "s");
		if (cg->oom_group)
			fputs("; memory.oom.group: kills the whole group", out);
		fputc('\n', out);
		oom_report_free(m);
	}
}

/* What people regret after the fact. */
static size_t warnings(FILE *out, cJSON *arr, const struct risk *k)
{
	const struct oom_report *r = k->s->r;
	size_t n = 0, no_max = 0;
	char line[512];

#define WARN(...)                                                          \
	do {                                                               \
		snprintf(line, sizeof(line), __VA_ARGS__);                 \
		if (out) {                                                 \
			if (!n)                                            \
				fputs("\nWarnings:\n", out);               \
			fputs("  ! ", out);                                \
			out_escaped(out, line);                            \
			fputc('\n', out);                                  \
		}                                                          \
		if (arr)                                                   \
			cJSON_AddItemToArray(arr, cJSON_CreateString(line)); \
		n++;                                                       \
	} while (0)

	for (size_t i = 0; i < k->n_order && i < 3; i++) {
		const struct oom_task *t = k->order[i];

		if (is_database(t->name))
			WARN("%s (pid %" PRId64 "), a database, is #%" PRId64
			     " in line: give it a negative OOMScoreAdjust, or "
			     "cap the others", t->name, t->pid, t->rank);
	}
	if (oom_swap_exhausted(r))
		WARN("swap is %.0f%% used",
		     100.0 - 100.0 * (double)r->mem[MEM_FREE_SWAP_KB] /
				     (double)r->mem[MEM_TOTAL_SWAP_KB]);
	if (k->s->has_psi && k->s->psi_some[0] > 1.0 &&
	    k->s->psi_some[0] > k->s->psi_some[1] &&
	    k->s->psi_some[1] >= k->s->psi_some[2])
		WARN("memory pressure is rising: some avg10 %.2f > avg60 %.2f "
		     ">= avg300 %.2f", k->s->psi_some[0], k->s->psi_some[1],
		     k->s->psi_some[2]);
	for (size_t i = 0; i < k->s->n_cgroups; i++) {
		const struct proc_cgroup *cg = &k->s->cgroups[i];
		size_t len = strlen(cg->path);

		if (len > 8 && !strcmp(cg->path + len - 8, ".service") &&
		    !(cg->known & CG_MAX))
			no_max++;
	}
	if (no_max)
		WARN("%zu service%s run without MemoryMax: one leak can take "
		     "the whole machine", no_max, no_max == 1 ? "" : "s");
	for (size_t i = 0; i < k->s->n_cgroups; i++) {
		const struct proc_cgroup *cg = &k->s->cgroups[i];

		/* a share of 0 is no share: said, not divided by */
		if ((cg->known & CG_MAX) && !cg->max_kb && cg->current_kb)
			WARN("%s has a limit of 0 and uses %" PRIu64 " kB",
			     cg->path, cg->current_kb);
		else if ((cg->known & CG_MAX) &&
			 cg->current_kb * 10 > cg->max_kb * 9)
			WARN("%s is at %.0f%% of its limit",
			     cg->path, 100.0 * (double)cg->current_kb /
					       (double)cg->max_kb);
	}
	if (k->s->n_left_out)
		WARN("%zu process%s left out of the ranking: /proc/PID/status or "
		     "oom_score_adj held what no kernel writes (out of range, "
		     "past any memory or not a number; pid %" PRId64 " first)",
		     k->s->n_left_out, k->s->n_left_out == 1 ? "" : "es",
		     k->s->left_out_pid);
	if (k->has_growth && k->growth.kb > 0)
		WARN("%s grew fastest since the last recorded snapshot: +%.1f "
		     "MiB", k->growth.name, (double)k->growth.kb / 1024);
#undef WARN
	return n;
}

static cJSON *risk_json(const struct risk *k, size_t top)
{
	const struct oom_report *r = k->s->r;
	cJSON *doc = cJSON_CreateObject(), *arr;

	out_json_add_str(doc, "host", r->host);
	out_json_add_str(doc, "kernel_release", r->kernel_release);
	out_json_add_str(doc, "era", era_names[r->an.era]);
	if (r->known & RK_TOTALPAGES)
		out_json_add_u64(doc, "totalpages", r->totalpages);
	if (k->s->has_psi) {
		cJSON *p = cJSON_AddObjectToObject(doc, "psi");

		cJSON_AddNumberToObject(p, "some_avg10", k->s->psi_some[0]);
		cJSON_AddNumberToObject(p, "some_avg60", k->s->psi_some[1]);
		cJSON_AddNumberToObject(p, "some_avg300", k->s->psi_some[2]);
		cJSON_AddNumberToObject(p, "full_avg10", k->s->psi_full[0]);
	}
	if (k->s->has_vm_oom_kill)
		out_json_add_u64(doc, "oom_kills_since_boot", k->s->vm_oom_kill);
	arr = cJSON_AddArrayToObject(doc, "ranking");
	for (size_t i = 0; i < k->n_order && i < top; i++) {
		const struct oom_task *t = k->order[i];
		size_t x = task_index(r, t);
		cJSON *o = cJSON_CreateObject();

		out_json_add_i64(o, "rank", t->rank);
		out_json_add_i64(o, "pid", t->pid);
		out_json_add_str(o, "name", t->name);
		out_json_add_u64(o, "usage_kb", badness_usage(r, t) *
					    r->mem[MEM_PAGE_SIZE_KB]);
		if (t->known & TASK_ADJ)
			out_json_add_i64(o, "oom_score_adj", t->oom_score_adj);
		out_json_add_i64(o, "points", t->points);
		if (t->known & TASK_OOM_SCORE)
			out_json_add_i64(o, "oom_score", t->oom_score);
		if (k->s->has_kernel_score[x])
			out_json_add_i64(o, "kernel_oom_score", k->s->kernel_score[x]);
		out_json_add_str(o, "cgroup", k->s->cgroup[x]);
		cJSON_AddItemToArray(arr, o);
	}
	out_json_add_u64(doc, "scores_compared", k->compared);
	out_json_add_u64(doc, "scores_matched", k->matched);
	arr = cJSON_AddArrayToObject(doc, "cgroups");
	for (size_t i = 0; i < k->s->n_cgroups; i++) {
		const struct proc_cgroup *cg = &k->s->cgroups[i];
		struct oom_report *m = proc_memcg_report(k->s, cg);
		cJSON *o;

		if (!m)
			continue;
		badness_analyse(m);
		o = cJSON_CreateObject();
		out_json_add_str(o, "path", cg->path);
		out_json_add_u64(o, "current_kb", cg->current_kb);
		out_json_add_u64(o, "max_kb", cg->max_kb);
		if (cg->known & CG_HIGH)
			out_json_add_u64(o, "high_kb", cg->high_kb);
		if (cg->known & CG_EVENTS)
			out_json_add_u64(o, "oom_kill", cg->oom_kill);
		if (badness_predicted(m)) {
			out_json_add_i64(o, "victim_pid", badness_predicted(m)->pid);
			out_json_add_str(o, "victim_name", badness_predicted(m)->name);
		}
		cJSON_AddItemToArray(arr, o);
		oom_report_free(m);
	}
	arr = cJSON_AddArrayToObject(doc, "warnings");
	warnings(NULL, arr, k);
	return doc;
}

static int cmd_risk_exec(struct cmd_ctx *ctx, const struct cmd_args *args)
{
	struct proc_opts po = { .proc = "/proc", .cgroup = "/sys/fs/cgroup" };
	struct risk k = { 0 };
	int use_json = args_has(args, 'j') > 0, record = args_has(args, 'r') > 0;
	int status = EXIT_OK;
	const char *top_arg = args_get(args, 't');
	int64_t top = 10;
	char *err = NULL;

	if (args_get(args, 'p'))
		po.proc = args_get(args, 'p');
	if (args_get(args, 'c'))
		po.cgroup = args_get(args, 'c');
	if (top_arg && (num_parse_i64(top_arg, strlen(top_arg), &top) < 0 ||
			top <= 0))
		return cmd_usage_error(&cmd_risk_entry,
				       "--top '%s': not a count", top_arg);
	/* a copy of /proc has another machine's pages: assume 4 KiB */
	if (strcmp(po.proc, "/proc"))
		po.page_kb = 4;
	if (proc_sample(&po, &k.s, &err) < 0) {
		status = error("%s", err);
		free(err);
		return status;
	}
	rank(&k);
	if (record) {
		status = cmd_open_store(ctx);
		if (status >= 0)
			goto out;
		status = EXIT_OK;
		k.has_growth = snapshot_growth(ctx->st, k.s->r, &k.growth) == 0;
		if (snapshot_record(ctx->st, k.s) < 0) {
			status = error("cannot record the snapshot: %s",
				       store_errmsg(ctx->st));
			goto out;
		}
	}
	if (use_json) {
		cJSON *doc = risk_json(&k, (size_t)top);

		cJSON_AddBoolToObject(doc, "recorded", record);
		out_json_line(ctx->out, doc);
		cJSON_Delete(doc);
	} else {
		/* the prose wrapped, the table fitted, to the terminal */
		struct text_out wrap;
		FILE *out = text_out_begin(&wrap, ctx->out);

		text_header(out, &k);
		text_ranking(out, &k, (size_t)top, wrap.width);
		text_cgroups(out, &k);
		warnings(out, NULL, &k);
		if (record)
			fputs("\nSnapshot recorded.\n", out);
		text_out_end(&wrap);
	}
out:
	snapshot_growth_release(&k.growth);
	free(k.order);
	proc_sample_free(k.s);
	return status;
}
