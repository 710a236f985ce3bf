/*
 * test-journal-text.c: the decoders of `journalctl -o export` and
 * `-o json` on hand-made streams: what is detected as which, the text an
 * entry becomes, and damage: each malformed entry is skipped with a
 * warning naming its line while the entries around it are read; a cut
 * stream keeps what came before the cut; values the JSON export gives as
 * byte arrays, repeated fields and json-seq separators; JSON lines of
 * other programs are passed over unparsed, damaged or not.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "check.h"
#include "journal.h"
#include "xalloc.h"

struct mem {
	const char *p;
	size_t left;
};

static ssize_t mem_read(void *ctx, void *buf, size_t n)
{
	struct mem *m = ctx;

	if (n > m->left)
		n = m->left;
	if (n > 100)
		n = 100;	/* cross the decoder's block edges */
	memcpy(buf, m->p, n);
	m->p += n;
	m->left -= n;
	return (ssize_t)n;
}

struct warned {
	uint64_t line[8];
	char msg[8][256];
	size_t n;
};

static void on_warn(void *ctx, uint64_t line, const char *msg)
{
	struct warned *w = ctx;

	if (w->n < 8) {
		w->line[w->n] = line;
		snprintf(w->msg[w->n], sizeof(w->msg[0]), "%s", msg);
	}
	w->n++;
}

/* Decode len bytes of fmt into text (caller releases). */
static void decode(enum journal_text_format fmt, const char *in, size_t len,
		   struct buf *text, struct warned *w)
{
	struct mem m = { in, len };
	struct scan_reader rd = { mem_read, &m };
	struct journal_text *t;
	struct scan_reader out;
	char block[64];
	ssize_t n;

	memset(w, 0, sizeof(*w));
	*text = (struct buf)BUF_INIT;
	t = journal_text_new(fmt, &rd, on_warn, w);
	out = journal_text_reader(t);
	while ((n = out.read(out.ctx, block, sizeof(block))) > 0)
		buf_add(text, block, (size_t)n);
	CHECK(n == 0, "no read error");
	journal_text_free(t);
}

#define KMSG(msg) "_TRANSPORT=kernel\n_HOSTNAME=h1\n_BOOT_ID=" \
	"0123456789abcdef0123456789abcdef\n_SOURCE_MONOTONIC_TIMESTAMP=5000000\n" \
	"MESSAGE=" msg "\n"

static void sniff(void)
{
	static const char export1[] = "__CURSOR=s=1\n__REALTIME_TIMESTAMP=1\n";
	static const char export2[] = "_TRANSPORT=kernel\n__REALTIME_TIMESTAMP=1\n";
	static const char json[] = "{\"__CURSOR\":\"s=1\",\"MESSAGE\":\"x\"}\n";
	static const char seq[] = "\x1e{\"__REALTIME_TIMESTAMP\":\"1\"}\n";
	static const char pretty[] = "{\n\t\"__CURSOR\" : \"s=1\",\n";
	static const char env[] = "PATH=/bin\nHOME=/root\n";
	static const char syslog[] = "Nov 21 03:12:07 db1 kernel: x\n";

	CHECK_EQ(journal_text_sniff(export1, strlen(export1)), JOURNAL_TEXT_EXPORT);
	CHECK_EQ(journal_text_sniff(export2, strlen(export2)), JOURNAL_TEXT_EXPORT);
	CHECK_EQ(journal_text_sniff(json, strlen(json)), JOURNAL_TEXT_JSON);
	CHECK_EQ(journal_text_sniff(seq, strlen(seq)), JOURNAL_TEXT_JSON);
	CHECK_EQ(journal_text_sniff(pretty, strlen(pretty)), JOURNAL_TEXT_NONE);
	CHECK_EQ(journal_text_sniff(env, strlen(env)), JOURNAL_TEXT_NONE);
	CHECK_EQ(journal_text_sniff(syslog, strlen(syslog)), JOURNAL_TEXT_NONE);
}

static void export_good(void)
{
	/* a binary MESSAGE of two lines, then a systemd entry, an sshd
	 * entry (not read) and a forged "kernel" one */
	static const char in[] =
		"__REALTIME_TIMESTAMP=1795230727000001\n_TRANSPORT=kernel\n"
		"_HOSTNAME=h1\n_BOOT_ID=0123456789abcdef0123456789abcdef\n"
		"_SOURCE_MONOTONIC_TIMESTAMP=8123456789\nMESSAGE\n"
		"\x0b\0\0\0\0\0\0\0line1\nline2\n\n"
		"__REALTIME_TIMESTAMP=1795230728000000\n_TRANSPORT=journal\n"
		"_HOSTNAME=h1\nSYSLOG_IDENTIFIER=systemd\n_PID=1\n"
		"MESSAGE=x.service: Failed with result 'oom-kill'.\n\n"
		"__REALTIME_TIMESTAMP=1795230728000000\n_TRANSPORT=syslog\n"
		"SYSLOG_IDENTIFIER=sshd\nMESSAGE=hello\n\n"
		"__REALTIME_TIMESTAMP=1795230729000000\n_TRANSPORT=syslog\n"
		"_HOSTNAME=h1\nSYSLOG_IDENTIFIER=kernel\nSYSLOG_PID=77\n"
		"MESSAGE=Out of memory: Killed process 1 (init)\n\n";
	static const char want[] =
		"-- Boot 0123456789abcdef0123456789abcdef --\n"
		"2026-11-21T03:12:07.000001+00:00 h1 kernel: [ 8123.456789] line1\n"
		/* later lines indented to the message, as journalctl does */
		"                                                           line2\n"
		"2026-11-21T03:12:08.000000+00:00 h1 systemd[1]: x.service: "
		"Failed with result 'oom-kill'.\n"
		"2026-11-21T03:12:09.000000+00:00 h1 kernel-userspace[77]: Out of "
		"memory: Killed process 1 (init)\n";
	struct buf text;
	struct warned w;

	decode(JOURNAL_TEXT_EXPORT, in, sizeof(in) - 1, &text, &w);
	CHECK_STR(text.data, want);
	CHECK_EQ(w.n, 0);
	buf_release(&text);
}

static void export_damaged(void)
{
	/* line 1: a good entry; line 8: a lower-case name; line 13: good;
	 * line 20: a binary length past any field; then good at the end,
	 * and a last entry cut inside its MESSAGE */
	static const char in[] =
		"__REALTIME_TIMESTAMP=1000000\n" KMSG("one") "\n"
		"__REALTIME_TIMESTAMP=2000000\nnot a field\nMESSAGE=x\n\n"
		"__REALTIME_TIMESTAMP=3000000\n" KMSG("three") "\n"
		"__REALTIME_TIMESTAMP=4000000\nMESSAGE\n\xff\xff\xff\xff\xff\xff\xff\x7f"
		"zzz\n\n"
		"__REALTIME_TIMESTAMP=5000000\n" KMSG("five") "\n"
		"_TRANSPORT=kernel\nMESSAGE=no time\n\n"
		"__REALTIME_TIMESTAMP=6000000\n_TRANSPORT=kernel\nMESSAGE=cu";
	struct buf text;
	struct warned w;

	decode(JOURNAL_TEXT_EXPORT, in, sizeof(in) - 1, &text, &w);
	CHECK(strstr(text.data, "] one\n") && strstr(text.data, "] three\n") &&
	      strstr(text.data, "] five\n"), "good entries read: %s", text.data);
	CHECK(!strstr(text.data, " x\n") && !strstr(text.data, "no time") &&
	      !strstr(text.data, "cu"), "bad ones skipped: %s", text.data);
	CHECK_EQ(w.n, 4);
	CHECK_EQ(w.line[0], 9);
	CHECK(strstr(w.msg[0], "not a journal export field: 'not a field'") != NULL,
	      "%s", w.msg[0]);
	CHECK_EQ(w.line[1], 20);
	CHECK(strstr(w.msg[1], "impossible length") != NULL, "%s", w.msg[1]);
	CHECK(strstr(w.msg[2], "no valid __REALTIME_TIMESTAMP") != NULL, "%s",
	      w.msg[2]);
	CHECK(strstr(w.msg[3], "cut short") != NULL, "%s", w.msg[3]);
	buf_release(&text);
}

static void export_cut_binary(void)
{
	static const char in[] =
		"__REALTIME_TIMESTAMP=1000000\n" KMSG("one") "\n"
		"__REALTIME_TIMESTAMP=2000000\n_TRANSPORT=kernel\nMESSAGE\n"
		"\x10\0\0\0\0\0\0\0xyz";
	struct buf text;
	struct warned w;

	decode(JOURNAL_TEXT_EXPORT, in, sizeof(in) - 1, &text, &w);
	CHECK(strstr(text.data, "] one\n") != NULL, "%s", text.data);
	CHECK(strstr(text.data, "xyz") == NULL, "%s", text.data);
	CHECK_EQ(w.n, 1);
	CHECK(w.n && strstr(w.msg[0], "cut short"), "%s", w.msg[0]);
	buf_release(&text);
}

static void export_large(void)
{
	/* a kept field over 1 MiB skips its entry; a large field that is not
	 * kept (a core dump) costs nothing and the entry is read */
	size_t big = (1 << 20) + 10;
	struct buf in = BUF_INIT, text;
	struct warned w;
	uint64_t le = big;

	buf_adds(&in, "__REALTIME_TIMESTAMP=1000000\n_TRANSPORT=kernel\nMESSAGE=");
	for (size_t i = 0; i < big; i++)
		buf_addch(&in, 'a');
	buf_adds(&in, "\n\n__REALTIME_TIMESTAMP=2000000\n_TRANSPORT=kernel\n"
		 "COREDUMP\n");
	buf_add(&in, &le, 8);	/* little-endian hosts */
	for (size_t i = 0; i < big; i++)
		buf_addch(&in, '\n');
	buf_adds(&in, "\nMESSAGE=after the core\n\n");
	decode(JOURNAL_TEXT_EXPORT, in.data, in.len, &text, &w);
	CHECK_EQ(w.n, 1);
	CHECK(w.n && strstr(w.msg[0], "MESSAGE larger than 1 MiB"), "%s",
	      w.msg[0]);
	CHECK(strstr(text.data, "kernel: after the core\n") != NULL, "%s",
	      text.data);
	CHECK(text.len < 200, "the large value is not in the text");
	buf_release(&in);
	buf_release(&text);
}

static void json(void)
{
	static const char in[] =
		"{\"__REALTIME_TIMESTAMP\":\"1000000\",\"_TRANSPORT\":\"kernel\","
		"\"_HOSTNAME\":\"h1\",\"MESSAGE\":[104,105,255,10,120]}\n"
		"\n"
		"{\"__REALTIME_TIMESTAMP\":\"2000000\",\"_TRANSPORT\":"
		"[\"kernel\",\"syslog\"],\"MESSAGE\":\"repeated\"}\n"
		"{\"__REALTIME_TIMESTAMP\":\"3000000\",\"_TRANSPORT\":\"kernel\","
		"\"MESSAGE\":\"broken\"\n"
		"\x1e{\"__REALTIME_TIMESTAMP\":\"4000000\",\"_TRANSPORT\":\"kernel\","
		"\"MESSAGE\":null}\n"
		"{\"__REALTIME_TIMESTAMP\":\"5000000\",\"_TRANSPORT\":\"kernel\","
		"\"MESSAGE\":{\"a\":1}}\n"
		"\x1e{\"__REALTIME_TIMESTAMP\":\"6000000\",\"_TRANSPORT\":\"kernel\","
		"\"MESSAGE\":\"seq \\\"quoted\\\" \\u00e9\"}\n"
		"{\"__REALTIME_TIMESTAMP\":\"8000000\",\"SYSLOG_IDENTIFIER\":"
		"\"sshd\",\"MESSAGE\":\"not read\"}\n"
		"{\"__REALTIME_TIMESTAMP\":\"8000000\",\"SYSLOG_IDENTIFIER\":"
		"\"sshd\",\"MESSAGE\":\"a \\\"kernel\\\" word, not read\"}\n"
		"{\"__REALTIME_TIMESTAMP\":\"8000000\",\"SYSLOG_IDENTIFIER\":"
		"\"sshd\",\"MESSAGE\":\"broken, not read\n"
		"{\"__REALTIME_TIMESTAMP\":\"7000000\",\"_TRANSPORT\":\"kernel\","
		"\"MESSAGE\":\"cut";
	static const char want[] =
		"1970-01-01T00:00:01.000000+00:00 h1 kernel: hi\xff\n"
		"                                            x\n"
		"1970-01-01T00:00:02.000000+00:00 - kernel: repeated\n"
		"1970-01-01T00:00:06.000000+00:00 - kernel: seq \"quoted\" \xc3\xa9\n";
	struct buf text;
	struct warned w;

	decode(JOURNAL_TEXT_JSON, in, sizeof(in) - 1, &text, &w);
	CHECK_STR(text.data, want);
	CHECK_EQ(w.n, 4);
	CHECK_EQ(w.line[0], 4);
	CHECK(strstr(w.msg[0], "not a journal JSON object") != NULL, "%s",
	      w.msg[0]);
	CHECK_EQ(w.line[1], 5);
	CHECK(strstr(w.msg[1], "MESSAGE is null") != NULL, "%s", w.msg[1]);
	CHECK_EQ(w.line[2], 6);
	CHECK(strstr(w.msg[2], "not a string or bytes") != NULL, "%s", w.msg[2]);
	CHECK_EQ(w.line[3], 11);
	CHECK(strstr(w.msg[3], "cut short") != NULL, "%s", w.msg[3]);
	buf_release(&text);
}

/* The parsers' line numbers lead back to the input's. */
static void line_map(void)
{
	static const char in[] =
		"__REALTIME_TIMESTAMP=1000000\n" KMSG("one") "\n"
		"__REALTIME_TIMESTAMP=2000000\n_TRANSPORT=kernel\n"
		"_BOOT_ID=0123456789abcdef0123456789abcdef\nMESSAGE\n"
		"\x08\0\0\0\0\0\0\0two\nmore\n\n";
	struct mem m = { in, sizeof(in) - 1 };
	struct scan_reader rd = { mem_read, &m };
	struct journal_text *t = journal_text_new(JOURNAL_TEXT_EXPORT, &rd,
						  NULL, NULL);
	struct scan_reader out = journal_text_reader(t);
	char block[4096];

	while (out.read(out.ctx, block, sizeof(block)) > 0)
		;
	/* text: 1 boot marker, 2 "one", 3 "two", 4 " more" */
	CHECK_EQ(journal_text_input_line(t, 2), 1);
	CHECK_EQ(journal_text_input_line(t, 3), 8);
	CHECK_EQ(journal_text_input_line(t, 4), 8);
	CHECK_EQ(journal_text_entries(t), 2);
	CHECK_EQ(journal_text_kernel_entries(t), 2);
	journal_text_free(t);
}

int main(void)
{
	sniff();
	export_good();
	export_damaged();
	export_cut_binary();
	export_large();
	json();
	line_map();
	return check_done("test-journal-text");
}
