/* snapshot.c: see snapshot.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "badness.h"
#include "oom.h"
#include "proc.h"
#include "snapshot.h"
#include "store.h"
#include "xalloc.h"

int snapshot_record(struct store *st, const struct proc_sample *s)
{
	return store_save_snapshot(st, s->r, s->cgroup, s->kernel_score,
				   s->has_kernel_score, NULL);
}

struct grow_ctx {
	const struct oom_report *r;
	uint64_t page_kb;
	struct snapshot_growth *g;
	int seen;
};

/* now - then for one comm of the snapshot (comms that went away cannot
 * have grown; one that started since has no "then" to compare with). */
static void one(void *ctx, const char *name, int64_t then_kb)
{
	struct grow_ctx *c = ctx;
	int64_t now_kb = 0;

	for (size_t i = 0; i < c->r->n_tasks; i++)
		if (!strcmp(c->r->tasks[i].name, name))
			now_kb += (int64_t)(badness_usage(c->r, &c->r->tasks[i]) *
					    c->page_kb);
	if (!c->g->name || now_kb - then_kb > c->g->kb) {
		free(c->g->name);
		c->g->name = xstrdup(name);
		c->g->kb = now_kb - then_kb;
	}
	c->seen = 1;
}

int snapshot_growth(struct store *st, const struct oom_report *r,
		    struct snapshot_growth *g)
{
	struct grow_ctx c = { .r = r, .g = g };
	uint64_t snap_page_kb;
	int rc;

	memset(g, 0, sizeof(*g));
	if (!r->host || !(r->known & RK_WALL))
		return -ENOENT;
	rc = store_last_snapshot(st, r->host, r->wall_us, &g->snapshot_id,
				 &g->wall_us, &snap_page_kb);
	if (rc < 0)
		return rc;
	c.page_kb = badness_page_kb(r) ? badness_page_kb(r) : snap_page_kb;
	rc = store_snapshot_usage(st, g->snapshot_id, one, &c);
	if (rc < 0 || !c.seen) {
		snapshot_growth_release(g);
		return rc < 0 ? rc : -ENOENT;
	}
	return 0;
}

void snapshot_growth_release(struct snapshot_growth *g)
{
	free(g->name);
	g->name = NULL;
}
