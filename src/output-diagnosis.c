/*
 * output-diagnosis.c: the diagnosis (diagnosis.c) as people and programs
 * read it: one sentence for why, show and the HTML report, and the JSON
 * object of why --json and of the exports.  Nothing is decided here.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "diagnosis.h"
#include "output.h"

struct sentence {
	char *buf;
	size_t n, used;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(struct sentence *s, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (s->used >= s->n)
		return;
	va_start(ap, fmt);
	w = vsnprintf(s->buf + s->used, s->n - s->used, fmt, ap);
	va_end(ap);
	if (w > 0)
		s->used += (size_t)w < s->n - s->used ? (size_t)w
						     : s->n - s->used - 1;
}

static void culprit_phrase(struct sentence *s, const struct diagnosis *d)
{
	const struct diag_culprit *c = &d->culprit;
	char kb[32];

	out_size_kb(kb, sizeof(kb), c->private_kb);
	if (c->kind == CULPRIT_TASKS)
		put(s, "%" PRId64 " %s tasks together held %s%s", c->tasks,
		    c->name, kb, c->private_estimated ? " (estimated)" : "");
	else
		put(s, "%s (pid %" PRId64 ") held the most private memory, "
		    "%s%s", c->name, c->pid, kb,
		    c->private_estimated ? " (estimated)" : "");
}

void out_diag_verdict(const struct diagnosis *d, const struct oom_report *r,
		      const struct oom_kill *k, char *buf, size_t n)
{
	struct sentence s = { buf, n, 0 };
	const char *victim = k ? k->comm : "the victim";
	char a[32], b[32];

	if (n)
		buf[0] = '\0';
	out_size_kb(a, sizeof(a), d->culprit.private_kb);
	switch (d->kind) {
	case DIAG_NONE:
		put(&s, "The report does not say enough to name a cause.");
		break;
	case DIAG_MANUAL:
		put(&s, "A manual OOM kill (SysRq-f, order=-1), not a "
		    "shortage of memory.");
		break;
	case DIAG_CGROUP_LIMIT: {
		const struct memcg_usage *m = &r->memcg[MEMCG_MEMORY];

		put(&s, "The memory cgroup %s reached its own limit",
		    r->oom_memcg ? r->oom_memcg : "(not printed)");
		if (m->known && m->limit_kb < MEMCG_UNLIMITED_KB) {
			out_size_kb(b, sizeof(b), m->limit_kb);
			put(&s, " of %s", b);
		}
		if (d->culprit.kind != CULPRIT_NONE) {
			put(&s, "; inside it ");
			culprit_phrase(&s, d);
		}
		put(&s, ".");
		break;
	}
	case DIAG_FRAGMENTATION:
		out_size_kb(a, sizeof(a), d->free_kb);
		out_size_kb(b, sizeof(b), d->free_high_order_kb);
		put(&s, "A high-order allocation failed with %s free but only "
		    "%s in blocks large enough: memory was fragmented, not "
		    "short.", a, b);
		break;
	case DIAG_LOWMEM:
		put(&s, "The zones this allocation could use ran out while "
		    "other zones had memory free.");
		break;
	case DIAG_CHILD_SACRIFICED:
		put(&s, "The kernel chose %s (pid %" PRId64 ") and killed its "
		    "child %s instead.", d->culprit.name, d->culprit.pid,
		    victim);
		break;
	case DIAG_ADJ_SHIELDED:
		culprit_phrase(&s, d);
		put(&s, ", but its negative oom_score_adj moved the kill onto "
		    "%s.", victim);
		break;
	case DIAG_ADJ_TARGETED:
		out_size_kb(b, sizeof(b), d->victim_private * d->page_kb);
		put(&s, "%s was chosen for its positive oom_score_adj though it "
		    "held only %s of its own; ", victim, b);
		culprit_phrase(&s, d);
		put(&s, ".");
		break;
	case DIAG_SHARED_MEMORY:
		out_size_kb(b, sizeof(b), d->victim_shared * d->page_kb);
		culprit_phrase(&s, d);
		put(&s, "; %s's points were inflated by %s of shared memory, "
		    "which its death barely frees.", victim, b);
		break;
	case DIAG_PROCESS_GROUP:
		culprit_phrase(&s, d);
		put(&s, "; no single task stands out.");
		break;
	case DIAG_KERNEL_MEMORY:
		put(&s, "The kernel's own memory (unreclaimable slab and page "
		    "tables) held %s; no task is to blame.", a);
		break;
	case DIAG_TMPFS:
		put(&s, "Files in tmpfs or shared memory held %s that no task "
		    "maps; no task is to blame.", a);
		break;
	case DIAG_HUGETLB_RESERVED:
		out_size_kb(b, sizeof(b), d->hugetlb_free_kb);
		put(&s, "Huge pages reserved %s (%s of it free) took memory "
		    "away from every task.", a, b);
		break;
	case DIAG_LARGEST_CONSUMER:
		put(&s, "%s held the most private memory, %s%s: the kernel "
		    "chose right.", victim, a,
		    d->culprit.private_estimated ? " (estimated)" : "");
		break;
	case DIAG_KIND_COUNT:
		break;
	}
	if (d->n_also) {
		put(&s, " Also: ");
		for (size_t i = 0; i < d->n_also; i++)
			put(&s, "%s%s", i ? ", " : "",
			    diag_kind_name(d->also[i]));
		put(&s, ".");
	}
}

/* {"kind", "also", "culprit": {"kind", "name", ...}}; with the culprit's
 * figures and the advice when full (why --json), without for a SIEM. */
static cJSON *diagnosis_object(const struct diagnosis *d, int full)
{
	cJSON *o = cJSON_CreateObject(), *arr, *c;

	out_json_add_str(o, "kind", diag_kind_name(d->kind));
	arr = cJSON_AddArrayToObject(o, "also");
	for (size_t i = 0; i < d->n_also && i < DIAG_MAX_ALSO; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(
					 diag_kind_name(d->also[i])));
	c = cJSON_AddObjectToObject(o, "culprit");
	out_json_add_str(c, "kind", culprit_kind_name(d->culprit.kind));
	if (d->culprit.name[0])
		out_json_add_str(c, "name", d->culprit.name);
	if (!full)
		return o;
	if (d->culprit.kind == CULPRIT_TASK)
		out_json_add_i64(c, "pid", d->culprit.pid);
	if (d->culprit.kind == CULPRIT_TASKS)
		out_json_add_i64(c, "tasks", d->culprit.tasks);
	if (d->culprit.has_private) {
		out_json_add_u64(c, "private_kb", d->culprit.private_kb);
		cJSON_AddBoolToObject(c, "estimated",
				      d->culprit.private_estimated != 0);
	}
	arr = cJSON_AddArrayToObject(o, "advice");
	for (size_t i = 0; i < d->n_advice; i++) {
		cJSON *a = cJSON_CreateObject();

		out_json_add_str(a, "setting", d->advice[i].setting);
		out_json_add_str(a, "target", d->advice[i].target);
		out_json_add_str(a, "value", d->advice[i].value);
		out_json_add_str(a, "why", d->advice[i].why);
		cJSON_AddItemToArray(arr, a);
	}
	return o;
}

cJSON *out_diagnosis_json(const struct diagnosis *d)
{
	return diagnosis_object(d, 1);
}

void out_ecs_add_diagnosis(cJSON *doc, const struct diagnosis *d)
{
	cJSON *oom = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "linux"),
					 "oom");

	if (oom && d)
		cJSON_AddItemToObject(oom, "diagnosis",
				      diagnosis_object(d, 0));
}
