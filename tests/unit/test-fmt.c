/* test-fmt.c: each container's prefix is read into time, host, caller and
 * body, and lines of one container are never mistaken for another's. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fmt.h"

static struct fmt_ctx ctx;
static struct log_line ll;
static uint64_t lineno;

/* Parse s as the next line of the current input. */
static void parse(const char *s)
{
	fmt_parse(&ctx, s, strlen(s), ++lineno, &ll);
}

static void check_body(const char *want)
{
	char got[512];
	size_t n = ll.body_len < sizeof(got) - 1 ? ll.body_len : sizeof(got) - 1;

	memcpy(got, ll.body, n);
	got[n] = '\0';
	CHECK_STR(got, want);
}

static void check_host(const char *want)
{
	char got[128] = "";

	if (ll.host)
		snprintf(got, sizeof(got), "%.*s", (int)ll.host_len, ll.host);
	if (!want)
		CHECK(ll.host == NULL, "host %s printed", got);
	else
		CHECK_STR(got, want);
}

static void check_caller(const char *want)
{
	char got[32] = "";

	if (ll.caller)
		snprintf(got, sizeof(got), "%.*s", (int)ll.caller_len, ll.caller);
	CHECK_STR(got, want);
}

static void fresh(void)
{
	fmt_release(&ctx);
	/* 2026-11-22T12:00:00Z: syslog dates without a year fall before */
	fmt_init(&ctx, 1795348800);
	lineno = 0;
}

static void test_dmesg(void)
{
	fresh();
	parse("[ 8123.456789] java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0");
	CHECK_EQ(ll.fmt, FMT_DMESG);
	CHECK_EQ(ll.ktime_us, 8123456789);
	CHECK(ll.known & LL_KTIME, "ktime known");
	CHECK(!(ll.known & LL_WALL), "no wall clock");
	CHECK(ll.kernel, "kernel");
	check_body("java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0");
	CHECK_EQ(ll.prefix_len, 15);

	/* continuation of a multi-line record: indented to the text column */
	parse("                active_file:95 inactive_file:44 isolated_file:0");
	CHECK_EQ(ll.fmt, FMT_CONT);
	CHECK_EQ(ll.ktime_us, 8123456789);
	/* less indentation is a wrapped piece, not a continuation */
	parse("   0 postgres");
	CHECK_EQ(ll.fmt, FMT_RAW);

	/* dmesg -r, with and without a stamp */
	parse("<4>[ 8123.456789] java invoked oom-killer: x");
	CHECK_EQ(ll.fmt, FMT_DMESG);
	check_body("java invoked oom-killer: x");
	parse("<6>Out of memory: Killed process 1 (a)");
	CHECK_EQ(ll.fmt, FMT_DMESG);
	CHECK(!(ll.known & LL_KTIME), "no stamp, no ktime");
	check_body("Out of memory: Killed process 1 (a)");

	/* caller ids, thread and CPU, with and without padding */
	parse("[ 8123.456800][  T7310] CPU: 5 PID: 7310 Comm: pytest");
	check_caller("T7310");
	check_body("CPU: 5 PID: 7310 Comm: pytest");
	parse("[ 8123.456801][    C3] Hardware name: x");
	check_caller("C3");
	parse("[T7310] Mem-Info:");
	CHECK_EQ(ll.fmt, FMT_DMESG);
	check_caller("T7310");
	check_body("Mem-Info:");

	/* a task row that lost its stamp is bare text */
	parse("[ 1201]    26  1201  2310456  1180240 10203136    52000             0 postgres");
	CHECK_EQ(ll.fmt, FMT_RAW);
	check_body("[ 1201]    26  1201  2310456  1180240 10203136    52000             0 postgres");
}

static void test_dmesg_t(void)
{
	fresh();
	parse("[Sat Nov 21 03:12:07 2026] pytest invoked oom-killer: x");
	CHECK_EQ(ll.fmt, FMT_DMESG_T);
	CHECK_EQ(ll.wall_us, INT64_C(1795230727) * 1000000);
	CHECK(ll.known & LL_LOCAL_TIME, "local time");
	check_body("pytest invoked oom-killer: x");
	/* a locale's day and month names: read, time unknown */
	parse("[Di Aug 12 03:54:03 2025] php-fpm invoked oom-killer: x");
	CHECK_EQ(ll.fmt, FMT_DMESG_T);
	CHECK(ll.known & LL_WALL, "an English month is read");
	parse("[dim. 19 avril 18:03:30 2026] java invoked oom-killer: x");
	CHECK_EQ(ll.fmt, FMT_DMESG_T);
	CHECK(ll.known & LL_WALL, "a French month is read");
	/* Polish is not */
	parse("[sob. 21 lis 18:03:30 2026] java invoked oom-killer: x");
	CHECK_EQ(ll.fmt, FMT_DMESG_T);
	CHECK(!(ll.known & LL_WALL), "unknown month, no time");
	check_body("java invoked oom-killer: x");
	/* space-padded day */
	parse("[Sun Nov  1 03:12:07 2026] a");
	CHECK_EQ(ll.fmt, FMT_DMESG_T);
	/* dmesg --time-format iso */
	parse("2026-11-21T03:12:07,123456+00:00 pytest invoked oom-killer: x");
	CHECK_EQ(ll.fmt, FMT_DMESG_ISO);
	CHECK_EQ(ll.wall_us, INT64_C(1795230727123456));
	check_body("pytest invoked oom-killer: x");
	CHECK(ll.host == NULL, "no host");
}

static void test_kmsg(void)
{
	fresh();
	parse("4,9214,8123456789,-;java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0");
	CHECK_EQ(ll.fmt, FMT_KMSG);
	CHECK_EQ(ll.seq, 9214);
	CHECK_EQ(ll.ktime_us, 8123456789);
	CHECK(ll.kernel, "facility 0 is the kernel");
	CHECK_EQ(ll.cont, 0);
	check_body("java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0");
	/* escapes decoded, a multi-line record keeps its newlines */
	parse("4,9215,8123456800,-,caller=T7310;active_anon:1 inactive_anon:2 isolated_anon:0\\x0a active_file:3 inactive_file:4 isolated_file:0");
	check_caller("T7310");
	check_body("active_anon:1 inactive_anon:2 isolated_anon:0\n active_file:3 inactive_file:4 isolated_file:0");
	CHECK(!(ll.known & LL_GAP), "no gap");
	parse("6,9216,8123456801,-;[  99] 0 99 1 1 4096 0 0 a\\x5cb\\xc3\\xa9");
	check_body("[  99] 0 99 1 1 4096 0 0 a\\b\xc3\xa9");
	/* dictionary lines are not text */
	parse(" SUBSYSTEM=memory");
	CHECK_EQ(ll.fmt, FMT_META);
	CHECK(!ll.kernel, "meta is no kernel text");
	/* continuation flags */
	parse("6,9217,8123456802,c;Node 0 ");
	CHECK_EQ(ll.cont, 'c');
	parse("6,9218,8123456803,+;DMA32 free:1kB min:1kB");
	CHECK_EQ(ll.cont, '+');
	/* a jump in the sequence between adjacent lines: records lost */
	parse("6,9230,8123456900,-;x");
	CHECK(ll.known & LL_GAP, "gap flagged");
	/* userspace writing to /dev/kmsg is not the kernel */
	parse("30,9231,8123457000,-;systemd[1]: Started foo.");
	CHECK(!ll.kernel, "facility 3 is not the kernel");
	/* the sequence restarts: a new boot */
	parse("6,12,1000,-;Linux version 6.8.0");
	CHECK(ll.known & LL_BOOT, "seq restart is a boot");
}

static void test_syslog(void)
{
	fresh();
	parse("Nov 21 03:12:07 db1 kernel: [ 8123.456789] pytest invoked oom-killer: x");
	CHECK_EQ(ll.fmt, FMT_SYSLOG);
	CHECK_EQ(ll.wall_us, INT64_C(1795230727) * 1000000);
	CHECK(ll.known & LL_YEAR_GUESSED, "year guessed");
	CHECK_EQ(ll.ktime_us, 8123456789);
	check_host("db1");
	check_body("pytest invoked oom-killer: x");
	/* imklog with a caller id */
	parse("Nov 21 03:12:07 db1 kernel: [ 8123.456789][ T7310] Mem-Info:");
	check_caller("T7310");
	check_body("Mem-Info:");
	/* journalctl without a hostname; syslog with an empty one */
	parse("Nov 21 03:12:07 kernel: Mem-Info:");
	CHECK_EQ(ll.fmt, FMT_SYSLOG);
	check_host(NULL);
	CHECK(ll.kernel, "kernel tag");
	check_body("Mem-Info:");
	parse("Nov 21 03:12:07  kernel: Mem-Info:");
	check_host(NULL);
	CHECK(ll.kernel, "kernel tag after an empty host");
	/* userspace lines, with and without a host */
	parse("Nov 21 03:12:08 db1 systemd[1]: postgresql.service: A process of this unit has been killed by the OOM killer.");
	CHECK(!ll.kernel, "systemd is not the kernel");
	check_host("db1");
	parse("Nov 21 03:12:08 systemd[1]: x");
	CHECK(!ll.kernel, "no host, not the kernel");
	check_host(NULL);
	/* journalctl short-precise, day zero-padded */
	parse("Nov 01 03:12:07.123456 db1 kernel: x");
	CHECK_EQ(ll.fmt, FMT_SYSLOG);
	CHECK_EQ(ll.wall_us % 1000000, 123456);
	/* PRI-prefixed RFC 3164 */
	parse("<4>Nov 21 03:12:07 db1 kernel: Mem-Info:");
	CHECK_EQ(ll.fmt, FMT_SYSLOG);
	check_host("db1");
	check_body("Mem-Info:");
	/* mail quoting */
	parse("> > Nov 21 03:12:07 db1 kernel: Mem-Info:");
	CHECK(ll.known & LL_QUOTED, "quoted");
	check_body("Mem-Info:");
	CHECK_EQ(ll.raw_len, strlen("> > Nov 21 03:12:07 db1 kernel: Mem-Info:"));
}

static void test_iso(void)
{
	fresh();
	parse("2026-11-21T03:12:07.123456+00:00 db1 kernel: [ 8123.456789] x");
	CHECK_EQ(ll.fmt, FMT_SYSLOG_ISO);
	CHECK_EQ(ll.wall_us, INT64_C(1795230727123456));
	CHECK_EQ(ll.ktime_us, 8123456789);
	check_host("db1");
	check_body("x");
	parse("2026-11-21T04:12:07+0100 db1 kernel: x");
	CHECK_EQ(ll.wall_us, INT64_C(1795230727) * 1000000);
	/* RFC 5424, with structured data and without */
	parse("<4>1 2026-11-21T03:12:07.123456+00:00 db1 kernel - - - pytest invoked oom-killer: x");
	CHECK_EQ(ll.fmt, FMT_RFC5424);
	CHECK_EQ(ll.wall_us, INT64_C(1795230727123456));
	check_host("db1");
	CHECK(ll.kernel, "APP-NAME kernel");
	check_body("pytest invoked oom-killer: x");
	parse("<6>1 2026-11-21T03:12:07Z db1 kernel - - [timeQuality tzKnown=\"1\" isSynced=\"1\"][meta sequenceId=\"7\\]\"] \xef\xbb\xbf[ 8123.456789] Mem-Info:");
	CHECK_EQ(ll.fmt, FMT_RFC5424);
	CHECK_EQ(ll.ktime_us, 8123456789);
	check_body("Mem-Info:");
	parse("<30>1 2026-11-21T03:12:08Z - systemd 1 - - Started x.");
	CHECK(!ll.kernel, "systemd");
	check_host(NULL);
	/* logger -t kernel: facility user (1), whatever APP-NAME it gives */
	parse("<13>1 2026-11-21T03:12:07Z db1 kernel - - - Killed process 1 (x)");
	CHECK_EQ(ll.fmt, FMT_RFC5424);
	CHECK(!ll.kernel, "RFC 5424, user facility: not the kernel");
	parse("<14>Nov 21 03:12:07 db1 kernel: Killed process 1 (x)");
	CHECK(!ll.kernel, "RFC 3164 with PRI, user facility: not the kernel");
	parse("<4>Nov 21 03:12:07 db1 kernel: Killed process 1 (x)");
	CHECK(ll.kernel, "RFC 3164 with PRI, facility 0: the kernel");
	/* dmesg -r: a program's write to /dev/kmsg has facility 1 */
	parse("<14>[ 8123.456789] Killed process 1 (x)");
	CHECK_EQ(ll.fmt, FMT_DMESG);
	CHECK(!ll.kernel, "dmesg -r, user facility: not the kernel");
	parse("<4>[ 8123.456789] Killed process 1 (x)");
	CHECK(ll.kernel, "dmesg -r, facility 0: the kernel");
}

static void test_journal(void)
{
	fresh();
	parse("Sat 2026-11-21 03:12:07 UTC db1 kernel: Mem-Info:");
	CHECK_EQ(ll.fmt, FMT_JOURNAL);
	CHECK_EQ(ll.wall_us, INT64_C(1795230727) * 1000000);
	CHECK(!(ll.known & LL_LOCAL_TIME), "UTC is exact");
	check_host("db1");
	check_body("Mem-Info:");
	parse("Sat 2026-11-21 04:12:07 CET db1 kernel: x");
	CHECK(ll.known & LL_LOCAL_TIME, "a zone name is read as local");
	/* short-monotonic: the dmesg stamp, then host and tag */
	parse("[ 8123.456789] db1 kernel: Mem-Info:");
	CHECK_EQ(ll.fmt, FMT_JOURNAL);
	CHECK_EQ(ll.ktime_us, 8123456789);
	check_host("db1");
	check_body("Mem-Info:");
	parse("[ 8123.456790] kernel: Mem-Info:");
	CHECK_EQ(ll.fmt, FMT_JOURNAL);
	check_host(NULL);
	parse("[ 8124.000000] db1 systemd[1]: x");
	CHECK(!ll.kernel, "systemd");
	/* but dmesg text with colons stays dmesg */
	parse("[ 8124.000001] e1000e 0000:00:1f.6 eth0: NIC Link is Up");
	CHECK_EQ(ll.fmt, FMT_DMESG);
	parse("[ 8124.000002] audit: type=1400 audit(1.2:3): x");
	CHECK_EQ(ll.fmt, FMT_DMESG);
	/* short-unix */
	parse("1795230727.123456 db1 kernel: Mem-Info:");
	CHECK_EQ(ll.fmt, FMT_JOURNAL);
	CHECK_EQ(ll.wall_us, INT64_C(1795230727123456));
	/* markers */
	parse("-- Boot 4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1 --");
	CHECK_EQ(ll.fmt, FMT_MARKER);
	CHECK(ll.known & LL_BOOT, "a boot marker is a boot");
	CHECK_STR(ll.boot_id, "4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1");
}

static void test_boots(void)
{
	fresh();
	parse("[ 8123.000000] a");
	CHECK(!(ll.known & LL_BOOT), "first line");
	parse("[ 8123.500000] b");
	CHECK(!(ll.known & LL_BOOT), "forward");
	parse("[ 8123.400000] c");
	CHECK(!(ll.known & LL_BOOT), "a little back: reordering, not a boot");
	parse("[    0.000000] Linux version 6.8.0");
	CHECK(ll.known & LL_BOOT, "back to zero");
	parse("[    5.000000] x");
	parse("[    1.000000] y");
	CHECK(ll.known & LL_BOOT, "seconds back");
}

/* A paste's line numbers and indent (issue 17, class 3): stripped before
 * the container, and never taken from kernel text that starts with
 * digits or blanks. */
static void test_paste(void)
{
	/* cat -n: numbers and a tab; the record's continuation inside */
	fresh();
	parse("     1\t[ 8123.456789] java invoked oom-killer: x");
	CHECK_EQ(ll.fmt, FMT_DMESG);
	CHECK(ll.known & LL_PASTE, "cat -n prefix stripped");
	check_body("java invoked oom-killer: x");
	parse("     2\t[ 8123.456790] active_anon:1 inactive_anon:2 isolated_anon:0");
	parse("     3\t                active_file:95 inactive_file:44 isolated_file:0");
	CHECK_EQ(ll.fmt, FMT_CONT);
	CHECK(ll.known & LL_PASTE, "continuation's prefix stripped");
	parse("     4\t[ 8123.456791] 4194173 pages RAM");
	check_body("4194173 pages RAM");
	/* an empty line, numbered, its tab trimmed by a copy or not */
	parse("     5\t");
	CHECK(ll.known & LL_PASTE, "empty numbered line");
	CHECK_EQ(ll.body_len, 0);
	parse("     6");
	CHECK(ll.known & LL_PASTE, "empty numbered line, no tab");
	CHECK_EQ(ll.body_len, 0);
	/* a number that jumps ahead of the lines is kernel text */
	parse("    58\tpages in swap cache");
	CHECK_EQ(ll.fmt, FMT_RAW);
	CHECK(!(ll.known & LL_PASTE), "58 after 6 is no line number");
	check_body("    58\tpages in swap cache");

	/* kernel text starting with digits, in no numbered paste */
	fresh();
	parse("4194173 pages RAM");
	CHECK_EQ(ll.fmt, FMT_RAW);
	check_body("4194173 pages RAM");
	parse("[ 8123.456789] x");
	parse("0 pages HighMem/MovableOnly");
	CHECK_EQ(ll.fmt, FMT_RAW);
	check_body("0 pages HighMem/MovableOnly");
	parse("6,1234,5678,-;Mem-Info:");
	CHECK_EQ(ll.fmt, FMT_KMSG);
	CHECK(!(ll.known & LL_PASTE), "kmsg is no line number");
	parse("2026-11-21T03:12:07.123456+00:00 db1 kernel: x");
	CHECK_EQ(ll.fmt, FMT_SYSLOG_ISO);
	parse("1795230727.123456 db1 kernel: x");
	CHECK_EQ(ll.fmt, FMT_JOURNAL);
	CHECK(!(ll.known & LL_PASTE), "short-unix is no line number");

	/* vim :set nu, then nl's numbers skipping a blank line */
	fresh();
	parse("  1 6,1234,5678,-;Mem-Info:");
	CHECK_EQ(ll.fmt, FMT_KMSG);
	CHECK(ll.known & LL_PASTE, "vim prefix stripped");
	parse("  2 4194173 pages RAM");
	CHECK_EQ(ll.fmt, FMT_RAW);
	check_body("4194173 pages RAM");
	parse("");
	parse("  3 6,1235,5679,-;x");
	CHECK_EQ(ll.fmt, FMT_KMSG);
	/* the same number again is not the next line's: before bare text
	 * it stays (a line whose rest is a container learns it anew) */
	parse("  3 4194173 pages RAM");
	CHECK(!(ll.known & LL_PASTE), "a number repeated");
	check_body("  3 4194173 pages RAM");
	/* a number past the padded width: less -N after line 9999999 */
	fresh();
	parse("9999999 [ 1.000000] a");
	CHECK(ll.known & LL_PASTE, "unpadded number");
	parse("10000000 [ 1.000001] b");
	CHECK(ll.known & LL_PASTE, "wider number");
	check_body("b");

	/* a paste indented by 4: a dmesg record's continuation is indented
	 * by the prefix's width on top of it */
	fresh();
	parse("    [ 8123.456789] active_anon:1 inactive_anon:2 isolated_anon:0");
	CHECK_EQ(ll.fmt, FMT_DMESG);
	CHECK(ll.known & LL_PASTE, "indent stripped");
	parse("                   active_file:95 inactive_file:44 isolated_file:0");
	CHECK_EQ(ll.fmt, FMT_CONT);
	parse("    Nov 21 03:12:08 db1 systemd[1]: x.service: Failed with result 'oom-kill'.");
	CHECK_EQ(ll.fmt, FMT_SYSLOG);
	CHECK(!ll.kernel, "systemd");
	/* the paste is over: the next record's continuation is its own */
	parse("[ 8123.456800] active_anon:1 inactive_anon:2 isolated_anon:0");
	CHECK(!(ll.known & LL_PASTE), "not indented");
	parse("                active_file:95 inactive_file:44 isolated_file:0");
	CHECK_EQ(ll.fmt, FMT_CONT);
	/* a tab */
	fresh();
	parse("\tNov 21 03:12:07 db1 kernel: Mem-Info:");
	CHECK_EQ(ll.fmt, FMT_SYSLOG);
	CHECK(ll.known & LL_PASTE, "tab stripped");
	check_body("Mem-Info:");
	/* 9 blanks is a continuation's indent, never a paste's */
	fresh();
	parse("         [ 8123.456789] x");
	CHECK_EQ(ll.fmt, FMT_RAW);

	/* journalctl or syslog without a host, blanks of any width */
	fresh();
	parse("Nov 21 03:12:07     kernel: Mem-Info:");
	CHECK_EQ(ll.fmt, FMT_SYSLOG);
	check_host(NULL);
	CHECK(ll.kernel, "kernel after blanks");
	check_body("Mem-Info:");

	/* dmesg -T without its '[', and in other locales */
	parse("Sat Nov 21 03:12:07 2026] postgres invoked oom-killer: x");
	CHECK_EQ(ll.fmt, FMT_DMESG_T);
	CHECK_EQ(ll.wall_us, INT64_C(1795230727) * 1000000);
	check_body("postgres invoked oom-killer: x");
	parse("[\xe5\x85\xad 11\xe6\x9c\x88 21 03:12:07 2026] postgres invoked oom-killer: x");
	CHECK_EQ(ll.fmt, FMT_DMESG_T);
	CHECK_EQ(ll.wall_us, INT64_C(1795230727) * 1000000);
	parse("\xe5\x85\xad 11\xe6\x9c\x88 21 03:12:07 2026] a");
	CHECK_EQ(ll.fmt, FMT_DMESG_T);
	CHECK_EQ(ll.wall_us, INT64_C(1795230727) * 1000000);
	parse("[Sa Nov 21 03:12:07 2026] a");
	CHECK_EQ(ll.wall_us, INT64_C(1795230727) * 1000000);
	parse("[Sa M\xc3\xa4r 21 03:12:07 2026] a");
	CHECK_EQ(ll.wall_us, INT64_C(1774062727) * 1000000);
	parse("[sam. nov. 21 03:12:07 2026] a");
	CHECK_EQ(ll.wall_us, INT64_C(1795230727) * 1000000);
	parse("[s\xc3\xa1\x62 nov 21 03:12:07 2026] a");
	CHECK_EQ(ll.wall_us, INT64_C(1795230727) * 1000000);
	/* kernel text with a ']' is no date */
	parse("oom_reaper: reaped process 1 (a]) now x");
	CHECK_EQ(ll.fmt, FMT_RAW);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	fmt_init(&ctx, 0);
	test_dmesg();
	test_dmesg_t();
	test_kmsg();
	test_syslog();
	test_iso();
	test_journal();
	test_boots();
	test_paste();
	fmt_release(&ctx);
	return check_done("test-fmt");
}
