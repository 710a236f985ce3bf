/*
 * diagnose.c: diagnose() (diagnosis.h): the cause of one report
 * (diagnosis.c), then the settings that would have changed it
 * (diagnosis-advice.c), over one worked-out memory model.
 */
#include <stdlib.h>
#include <string.h>

#include "diagnosis-int.h"
#include "diagnosis.h"

void diagnose(const struct oom_report *r, const struct oom_kill *k,
	      struct diagnosis *d)
{
	struct diag_ctx x = { .r = r, .k = k, .d = d };

	memset(d, 0, sizeof(*d));
	if (r->killer)
		return;		/* a userspace kill: no report to read */
	diag_cause(&x);
	if (d->kind != DIAG_NONE)
		diag_advise(&x);
	free(x.rows);
}
