/*
 * snapshot.h: live samples kept for later (oomlens risk --record), and
 * who grew between a sample and a later sample or OOM report.
 */
#ifndef OOMLENS_SNAPSHOT_H
#define OOMLENS_SNAPSHOT_H

#include <stdint.h>

struct store;
struct oom_report;
struct proc_sample;

struct snapshot_growth {
	int64_t snapshot_id;
	int64_t wall_us;	/* of the snapshot */
	char *name;		/* the comm that grew most */
	int64_t kb;		/* by how much: its usage now minus then */
};

/* Store the sample (analysed) as a snapshot of its host. */
int snapshot_record(struct store *st, const struct proc_sample *s);

/* Compare r (analysed, with a host and a wall clock) with the host's last
 * snapshot taken before r's time: 0 and *g, -ENOENT when there is none. */
int snapshot_growth(struct store *st, const struct oom_report *r,
		    struct snapshot_growth *g);
void snapshot_growth_release(struct snapshot_growth *g);

#endif
