/*
 * output-hec.c: the Splunk HTTP Event Collector envelope.  Each line can
 * be posted as is to /services/collector/event (several lines make one
 * batch); the ECS document is the event, so searches written for the
 * ECS export work on it.
 */
#include <stdio.h>

#include "oom.h"
#include "output-formats.h"
#include "output.h"
#include "timefmt.h"

cJSON *out_hec_event(cJSON *ecs, const struct oom_report *r,
		     const char *source, int64_t ingested_us)
{
	cJSON *o = cJSON_CreateObject();
	/* as @timestamp: without a wall clock, when oomlens read it */
	int64_t t = r->known & RK_WALL ? r->wall_us : ingested_us;

	if ((r->known & RK_WALL) || ingested_us > 0) {
		/* epoch seconds; the fraction keeps the microseconds of
		 * precise journal and dmesg -T times */
		char num[40];

		time_epoch_seconds(t, num, sizeof(num));
		cJSON_AddRawToObject(o, "time", num);
	}
	out_json_add_str(o, "host", r->host);
	out_json_add_str(o, "source", source);
	cJSON_AddStringToObject(o, "sourcetype", OUT_HEC_SOURCETYPE);
	cJSON_AddItemToObject(o, "event", ecs);
	return o;
}
