/*
 * why-text.h: why's answer for one kill, as text (why-text.c).
 */
#ifndef OOMLENS_WHY_TEXT_H
#define OOMLENS_WHY_TEXT_H

#include <stdint.h>
#include <stdio.h>

struct explain_why;
struct snapshot_growth;
struct store_action;

/* w's kill, id its event; g the victim's growth before it (or NULL); a
 * the n userspace lines around it; cf the colour flags of the pictures;
 * width the text's, for its tables (0: unlimited). */
void why_text(FILE *out, int64_t id, const struct explain_why *w,
	      const struct snapshot_growth *g, const struct store_action *a,
	      size_t n, unsigned cf, size_t width);

#endif
