/*
 * output-hec.c: the Splunk HTTP Event Collector envelope.  Each line can
 * be posted as is to /services/collector/event (several lines make one
 * batch); the ECS document is the event, so searches written for the
 * ECS export work on it.
 */
#include <inttypes.h>
#include <stdio.h>

#include "oom.h"
#include "output-formats.h"
#include "output.h"

cJSON *out_hec_event(cJSON *ecs, const struct oom_report *r,
		     const char *source, int64_t ingested_us)
{
	cJSON *o = cJSON_CreateObject();
	/* as @timestamp: without a wall clock, when oomlens read it */
	int64_t t = r->known & RK_WALL ? r->wall_us : ingested_us;

	if ((r->known & RK_WALL) || ingested_us > 0) {
		/* epoch seconds; the fraction keeps the microseconds of
		 * precise journal and dmesg -T times (floor, also before
		 * 1970, so the fraction is never negative) */
		int64_t s = t / 1000000, us = t % 1000000;
		char num[40];

		if (us < 0) {
			s--;
			us += 1000000;
		}
		snprintf(num, sizeof(num), "%" PRId64 ".%06" PRId64, s, us);
		cJSON_AddRawToObject(o, "time", num);
	}
	out_json_add_str(o, "host", r->host);
	out_json_add_str(o, "source", source);
	cJSON_AddStringToObject(o, "sourcetype", OUT_HEC_SOURCETYPE);
	cJSON_AddItemToObject(o, "event", ecs);
	return o;
}
