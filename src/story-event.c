/* story-event.c: see story-event.h. */
#include <stdlib.h>
#include <string.h>

#include "story-event.h"

static const char *const kind_names[STORY_KIND_MAX] = {
	[STORY_UNIT_OOM] = "unit-oom",
	[STORY_UNIT_FAILED] = "unit-failed",
	[STORY_UNIT_OOMD] = "unit-oomd",
	[STORY_OOMD_KILL] = "oomd-kill",
	[STORY_OOMD_CANDIDATES] = "oomd-candidates",
	[STORY_OOMD_CANDIDATE] = "oomd-candidate",
	[STORY_EARLYOOM_KILL] = "earlyoom-kill",
	[STORY_NOHANG_KILL] = "nohang-kill",
	[STORY_TASK_OOM] = "task-oom",
	[STORY_SYSTEM_OOM] = "system-oom",
	[STORY_NPD_OOM] = "npd-oom",
	[STORY_FORGED] = "forged",
};

const char *story_kind_name(enum story_kind k)
{
	return k > 0 && k < STORY_KIND_MAX ? kind_names[k] : "unknown";
}

enum story_kind story_kind_from_name(const char *name)
{
	for (int k = 1; name && k < STORY_KIND_MAX; k++)
		if (!strcmp(kind_names[k], name))
			return (enum story_kind)k;
	return 0;
}

int story_kind_is_kill(enum story_kind k)
{
	return k == STORY_OOMD_KILL || k == STORY_EARLYOOM_KILL ||
	       k == STORY_NOHANG_KILL;
}

void story_event_free(struct story_event *e)
{
	if (!e)
		return;
	free(e->actor);
	free(e->host);
	free(e->boot_id);
	free(e->unit);
	free(e->cgroup);
	free(e->container_id);
	free(e->comm);
	free(e->signal);
	free(e->reason);
	free(e->message);
	free(e);
}
