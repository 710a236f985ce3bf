/*
 * test-anchor: the multi-string search (parsers/anchor.c) finds the first
 * needle in a buffer exactly where a brute-force search does, with the
 * vector search and the Wu-Manber one: needles at the start, at the end,
 * cut by the end, overlapping, one starting before another that holds its
 * run earlier, 16 needles (more runs than buckets), random buffers; and
 * counts the newlines before what it found.
 */
#include <stdlib.h>
#include <string.h>

#include "anchor.h"
#include "check.h"

static const char *const scan_needles[] = {
	" invoked oom-killer: ", "oom-killer: gfp_mask=", "Killed process ",
	"ill process ", "oom_reaper: ", "tgid total_vm", "by the OOM killer",
	"result 'oom-kill'", "systemd-oomd", "sending SIG", "TaskOOM event",
	"OOM encountered", "to the victim",
};
/* 16 needles with little in common: many runs */
static const char *const many[] = {
	"alpha_one", "Bravo-two", "charlie3x", "DELTA four", "echo=five",
	"fox/trot6", "golf.seven", "HOTEL_8th", "india:nine", "juliet#10",
	"kilo (11)", "Lima[12]", "mike{13}", "nov_14_ber", "oscar+15",
	"PAPA-16-x",
};

static const char *brute(const char *const *nd, size_t n, const char *p,
			 size_t len)
{
	for (size_t s = 0; s < len; s++)
		for (size_t i = 0; i < n; i++)
			if (p[s] == nd[i][0] && s + strlen(nd[i]) <= len &&
			    !memcmp(p + s, nd[i], strlen(nd[i])))
				return p + s;
	return NULL;
}

static unsigned seed = 1;

static unsigned rnd(void)
{
	seed = seed * 1103515245 + 12345;
	return seed >> 16;
}

/* Both searches against brute force on buffers made of alphabet and
 * pieces of needles; returns the number of disagreements. */
static int random_cases(const char *const *nd, size_t n, const char *alphabet,
			int rounds)
{
	struct anchor_set a;
	char buf[300];
	int bad = 0, vector;

	anchor_init(&a, nd, n);
	vector = a.vector;
	for (int t = 0; t < rounds; t++) {
		size_t len = rnd() % sizeof(buf), k = rnd() % 4;

		for (size_t i = 0; i < len; i++)
			buf[i] = alphabet[rnd() % strlen(alphabet)];
		for (size_t j = 0; j < k; j++) {
			size_t i = rnd() % n, l = strlen(nd[i]);

			if (rnd() % 3 == 0)
				l = 1 + rnd() % l;	/* a piece */
			if (len >= l)
				memcpy(buf + rnd() % (len - l + 1), nd[i], l);
		}
		for (int v = 0; v <= vector; v++) {
			const char *want = brute(nd, n, buf, len), *got;
			uint64_t nl = 0, want_nl = 0;

			for (const char *q = buf; q < (want ? want : buf + len); q++)
				want_nl += *q == '\n';
			a.vector = v;
			got = anchor_find(&a, buf, len, &nl);
			if ((got != want || nl != want_nl) && ++bad <= 3)
				CHECK(0, "vector %d, len %zu: found %ld after %"
				      PRIu64 " newlines, want %ld after %" PRIu64,
				      v, len, got ? (long)(got - buf) : -1L, nl,
				      want ? (long)(want - buf) : -1L, want_nl);
		}
	}
	return bad;
}

static void fixed_cases(int vector)
{
	struct anchor_set a;
	char buf[200];
	size_t n;

	anchor_init(&a, scan_needles, 13);
	if (!vector)
		a.vector = 0;
	CHECK(anchor_find(&a, "", 0, NULL) == NULL, "empty");
	strcpy(buf, "oom_reaper: reaped");
	CHECK(anchor_find(&a, buf, strlen(buf), NULL) == buf, "at the start");
	memset(buf, 'x', sizeof(buf));
	memcpy(buf + 200 - 12, "oom_reaper: ", 12);
	CHECK(anchor_find(&a, buf, 200, NULL) == buf + 188, "at the very end");
	CHECK(anchor_find(&a, buf, 199, NULL) == NULL, "cut by the end");
	/* "ill process " (its run at 0) inside "Killed process "? no: but
	 * "Kill process " holds "ill process " one byte in */
	memset(buf, 'x', sizeof(buf));
	memcpy(buf + 70, "Kill process 12", 15);
	CHECK(anchor_find(&a, buf, 200, NULL) == buf + 71, "a needle inside a word");
	/* a needle found through a run late in it, after one found through
	 * a run early in it, must still win when it starts first */
	memset(buf, 'x', sizeof(buf));
	n = 40;
	memcpy(buf + n, "by the OOM killer", 17);
	memcpy(buf + n + 3, "the OOM", 7);
	memcpy(buf + 100, " invoked oom-killer: ", 21);
	memcpy(buf + 60, "tgid total_vm", 13);
	CHECK(anchor_find(&a, buf, 200, NULL) == buf + 40, "the first start wins");
	memset(buf, 'x', sizeof(buf));
	memcpy(buf + 30, "result 'oom-kill'", 17);
	memcpy(buf + 38, "oom-kill", 8);
	CHECK(anchor_find(&a, buf, 200, NULL) == buf + 30,
	      "the needle starting first, though its run comes later");
}

int main(void)
{
	struct anchor_set a;

	fixed_cases(0);
	anchor_init(&a, scan_needles, 13);
	if (a.vector)
		fixed_cases(1);
	CHECK_EQ(random_cases(scan_needles, 13, "oOmM-k_ilerpocsSIGvtaKd '\n", 1500), 0);
	CHECK_EQ(random_cases(scan_needles, 6, "oOmM-k_ilerpocsSIGvtaKd '\n", 1500), 0);
	CHECK_EQ(random_cases(many, 16, "abcdefghijklmnop_-. =#/\n", 1500), 0);
	anchor_init(&a, many, 16);
	CHECK(a.n_runs > 8, "16 unrelated needles need more runs than buckets "
	      "(%zu)", a.n_runs);
	return check_done("test-anchor");
}
