/* test-time.c: --since/--until times as journalctl takes them
 * (systemd.time(7)) and event times as it shows them.  The expected
 * values were computed with GNU date, not with this code; 'now' is fixed
 * and TZ is America/New_York so that local is not UTC, with 'now' the
 * day after the spring change (2026-03-08 had 23 hours). */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"
#include "timefmt.h"

#define S 1000000LL
/* 2026-03-09 12:00:00 EDT = 16:00:00Z */
#define NOW (1773072000LL * S)

static void expect(const char *s, int64_t want_us)
{
	int64_t got = -1;
	int rc = time_parse(s, NOW, &got);

	CHECK(rc == 0 && got == want_us, "'%s': rc %d, got %" PRId64
	      ", want %" PRId64, s, rc, got, want_us);
}

static void refuse(const char *s)
{
	int64_t got = 0;

	CHECK(time_parse(s, NOW, &got) == -EINVAL, "'%s' taken as %" PRId64,
	      s, got);
}

static void set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static void test_words(void)
{
	expect("now", NOW);
	expect("today", 1773028800LL * S);	/* 00:00 EDT */
	/* 00:00 EST: 23 hours before today, not 24 */
	expect("yesterday", 1772946000LL * S);
	expect("tomorrow", 1773115200LL * S);
	expect("today UTC", 1773014400LL * S);
	expect("03:00", 1773039600LL * S);	/* today, local */
	expect("14:00 UTC", 1773064800LL * S);
	expect("14:00Z", 1773064800LL * S);
}

static void test_relative(void)
{
	expect("-2h", NOW - 7200 * S);
	expect("2 hours ago", NOW - 7200 * S);
	expect("3h ago", NOW - 3 * 3600 * S);
	expect("+3h", NOW + 3 * 3600 * S);
	expect("1h 30min ago", NOW - 5400 * S);
	expect("1.5h ago", NOW - 5400 * S);
	expect("2 days ago", NOW - 2 * 86400 * S);
	expect("-1w", NOW - 7 * 86400 * S);
	/* oomlens's ages: a bare span is that long ago */
	expect("2h", NOW - 7200 * S);
	expect("30m", NOW - 1800 * S);
	expect("7d", NOW - 7 * 86400 * S);
	expect("30s", NOW - 30 * S);
}

static void test_dates(void)
{
	expect("2026-03-08", 1772946000LL * S);	/* EST midnight */
	expect("2026-03-08 12:00", 1772985600LL * S);	/* EDT noon */
	expect("2026-11-21 03:00", 1795248000LL * S);
	expect("2026-11-21T03:00", 1795248000LL * S);
	expect("2026-11-21 03:00 UTC", 1795230000LL * S);
	expect("2026-11-21T03:12:07Z", 1795230727LL * S);
	expect("2026-11-21 03:12:07 +02:00", 1795223527LL * S);
	expect("2026-11-21T03:12:07+0200", 1795223527LL * S);
	expect("2026-11-21 03:12:07.25 UTC", 1795230727LL * S + 250000);
	expect("2026-11-21 03:12:07.000001Z", 1795230727LL * S + 1);
	expect("2026-11-21", 1795237200LL * S);	/* 00:00 EST */
	expect("2026-11-21Z", 1795219200LL * S);
	/* the local zone's own names, as time_local() prints them; the
	 * hour repeated at the autumn change is told apart by them */
	expect("2026-11-21 03:00 EST", 1795248000LL * S);
	expect("2026-11-01 01:30 EDT", 1793511000LL * S);
	expect("2026-11-01 01:30 EST", 1793514600LL * S);
	expect("@1795230727", 1795230727LL * S);
	expect("@1795230727.5", 1795230727LL * S + 500000);
}

static void test_refused(void)
{
	static const char *const bad[] = {
		"", "yesterday-ish", "2026-02-30", "2026-13-01", "25:00",
		"2026-11-21 03:00 CET", "2h ahead", "@", "@x", "3 parsecs ago",
		"2026-11-21 03:00:07.", "tomorrow 3", "2026-11-21 03", "-",
		"ago", " ago", "+", "2026-11-21 03:00 +25:00", "99999999999999d",
		"1h 30min ago UTC", "now UTC x", "todayZ", "yesterday+02:00",
		"2026-11-21T", "2026-11-21 03:00 ", "9223372036854775807s",
		"@-5", "3hago",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		refuse(bad[i]);
}

static void test_show(void)
{
	char buf[64];
	int64_t back = 0;

	time_local(1795230727LL * S + 250000, buf, sizeof(buf));
	CHECK_STR(buf, "2026-11-20 22:12:07.250000 EST");
	time_local(NOW, buf, sizeof(buf));
	CHECK_STR(buf, "2026-03-09 12:00:00 EDT");
	/* what is shown is taken back as the same time */
	CHECK(time_parse(buf, 0, &back) == 0 && back == NOW, "%s", buf);
	time_rfc3339(1795230727LL * S, buf, sizeof(buf));
	CHECK_STR(buf, "2026-11-21T03:12:07Z");
	/* HEC's time: the floor, so the fraction is never negative */
	CHECK_EQ(time_epoch_seconds(1795230727LL * S + 250000, buf,
				    sizeof(buf)), 17);
	CHECK_STR(buf, "1795230727.250000");
	time_epoch_seconds(-1, buf, sizeof(buf));
	CHECK_STR(buf, "-1.999999");
	time_epoch_seconds(-S, buf, sizeof(buf));
	CHECK_STR(buf, "-1.000000");
	time_epoch_seconds(0, buf, sizeof(buf));
	CHECK_STR(buf, "0.000000");

	set_tz("UTC");
	time_local(1795230727LL * S, buf, sizeof(buf));
	CHECK_STR(buf, "2026-11-21 03:12:07 UTC");
	expect("2026-11-21", 1795219200LL * S);	/* as before: UTC here */
	expect("today", 1773014400LL * S);
}

int main(void)
{
	set_tz("America/New_York");
	test_words();
	test_relative();
	test_dates();
	test_refused();
	test_show();
	return check_done("test-time");
}
