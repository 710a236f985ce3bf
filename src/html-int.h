/* html-int.h: what the files of the HTML report share (html.c). */
#ifndef OOMLENS_HTML_INT_H
#define OOMLENS_HTML_INT_H

#include <stdint.h>

#include "html.h"

/* The page's colours: the victim, the culprit, the others, the rest. */
#define RED "#d62728"
#define ORANGE "#ff7f0e"
#define BLUE "#4c78a8"
#define GREY "#9a9a9a"

/* "pytest (pid 3456)", escaped. */
void html_who(struct buf *b, const char *name, int64_t pid);
/* The section "Top tasks by points" (html-tasks.c). */
void html_tasks_chart(struct buf *b, const struct html_page *p);

#endif
