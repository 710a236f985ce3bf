/*
 * test-journal.c: native journal files, built at test time with
 * systemd-journal-remote from Journal Export Format text made from the
 * seed fixture: the report comes out as from the text logs, with the boot
 * id and kernel time of the entries; a userspace entry that imitates a
 * kernel kill line is not an event; a second read after the cursor finds
 * nothing new; `journalctl -o export` and `-o json` of the same file
 * decode to the same text as the native reader, byte for byte (binary
 * and multi-line values, story identifiers read, other programs not).
 * Skipped when systemd-journal-remote is not installed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "check.h"
#include "classify.h"
#include "journal.h"
#include "oom.h"
#include "report.h"
#include "scan.h"
#include "xalloc.h"

#define BOOT "4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1"
/* 2026-11-21T03:12:07Z minus the report's kernel time, 8123.456789 s */
#define BOOT_US (INT64_C(1795230727) * 1000000 - INT64_C(8123456789))

static const char *const remote_paths[] = {
	"/lib/systemd/systemd-journal-remote",
	"/usr/lib/systemd/systemd-journal-remote",
};

/* Text form unless a byte needs the binary one (journalctl's rule). */
static void field(FILE *fp, const char *k, const char *v, size_t n)
{
	int binary = 0;

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)v[i] < ' ' || (unsigned char)v[i] >= 0x7f)
			binary = 1;
	if (binary) {
		uint64_t le = n;	/* little-endian hosts only: x86, arm */

		fprintf(fp, "%s\n", k);
		fwrite(&le, 8, 1, fp);
		fwrite(v, 1, n, fp);
		fputc('\n', fp);
	} else {
		fprintf(fp, "%s=%.*s\n", k, (int)n, v);
	}
}

static void entry(FILE *fp, int64_t mono, const char *transport,
		  const char *ident, const char *msg, size_t n)
{
	fprintf(fp, "__REALTIME_TIMESTAMP=%lld\n", (long long)(BOOT_US + mono));
	fprintf(fp, "__MONOTONIC_TIMESTAMP=%lld\n", (long long)mono);
	fprintf(fp, "_BOOT_ID=" BOOT "\n_HOSTNAME=db1\n");
	fprintf(fp, "_TRANSPORT=%s\nSYSLOG_IDENTIFIER=%s\n", transport, ident);
	if (!strcmp(transport, "kernel"))
		fprintf(fp, "_SOURCE_MONOTONIC_TIMESTAMP=%lld\n", (long long)mono);
	else
		fprintf(fp, "_PID=4242\n");
	field(fp, "MESSAGE", msg, n);
	fputc('\n', fp);
}

/* The dmesg fixture as export text: one entry per record, indented
 * continuation lines joined into a multi-line MESSAGE. */
static int write_export(const char *dmesg, const char *out)
{
	FILE *in = fopen(dmesg, "r"), *fp = fopen(out, "w");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	char msg[65536];
	size_t msg_len = 0;
	int64_t mono = 0;

	if (!in || !fp)
		return -1;
	while ((n = getline(&line, &cap, in)) > 0) {
		long sec, usec;
		int used = 0;

		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (sscanf(line, "[%ld.%ld]%n", &sec, &usec, &used) == 2 && used) {
			if (msg_len)
				entry(fp, mono, "kernel", "kernel", msg, msg_len);
			mono = sec * 1000000 + usec;
			msg_len = 0;
			if (line[used] == ' ')
				used++;
			msg_len = (size_t)snprintf(msg, sizeof(msg), "%s",
						   line + used);
		} else if (msg_len && (line[0] == ' ')) {
			const char *p = line;

			while (*p == ' ')
				p++;
			msg_len += (size_t)snprintf(msg + msg_len,
						    sizeof(msg) - msg_len,
						    "\n %s", p);
		}
	}
	if (msg_len)
		entry(fp, mono, "kernel", "kernel", msg, msg_len);
	/* a shell's imitation, as `logger -t kernel` makes it */
	{
		static const char fake[] = "Out of memory: Killed process 1 (init) "
			"total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB";

		static const char unit[] = "postgresql.service: A process of "
			"this unit has been killed by the OOM killer.";
		static const char other[] = "Accepted publickey for root";
		static const char odd[] = "odd bytes \xff\x01 and a NUL \0 end";

		entry(fp, mono + 1000000, "syslog", "kernel", fake,
		      sizeof(fake) - 1);
		entry(fp, mono + 1100000, "journal", "systemd", unit,
		      sizeof(unit) - 1);
		entry(fp, mono + 1200000, "syslog", "sshd", other,
		      sizeof(other) - 1);
		entry(fp, mono + 1300000, "kernel", "kernel", odd,
		      sizeof(odd) - 1);
	}
	free(line);
	fclose(in);
	return fclose(fp);
}

struct got {
	struct oom_report *r[8];
	size_t n;
};

static void emit(void *ctx, struct oom_report *r)
{
	struct got *g = ctx;

	if (g->n < 8)
		g->r[g->n++] = r;
	else
		oom_report_free(r);
}

static void scan_journal(struct classifier *cls, const char *file,
			 const char *after, struct got *g, char **ret_cursor)
{
	const char *files[] = { file };
	struct journal_opts o = { .files = files, .n_files = 1,
				  .after_cursor = after, .kernel_only = 0 };
	struct report_sink sink = { emit, NULL, g, NULL };
	struct journal_src *j = NULL;
	struct scan_stats st;
	struct scan_reader rd;
	char *err = NULL;

	memset(g, 0, sizeof(*g));
	CHECK(journal_open(&o, &j, &err) == 0, "journal_open: %s", err);
	free(err);
	if (!j)
		return;
	rd = journal_reader(j);
	CHECK(scan_stream(cls, &rd, 0, &sink, &st) == 0, "scan");
	if (ret_cursor)
		*ret_cursor = journal_cursor(j) ? xstrdup(journal_cursor(j)) : NULL;
	journal_close(j);
}

/* All the text a reader hands out. */
static void read_all(struct scan_reader rd, struct buf *out)
{
	char block[1000];	/* small: cross entry edges */
	ssize_t n;

	while ((n = rd.read(rd.ctx, block, sizeof(block))) > 0)
		buf_add(out, block, (size_t)n);
	CHECK(n == 0, "reader error %zd", n);
}

struct chunks {
	const char *p;
	size_t left;
};

/* 777 bytes a read: entries and fields cross the block edges */
static ssize_t chunk_read(void *ctx, void *buf, size_t n)
{
	struct chunks *c = ctx;

	if (n > c->left)
		n = c->left;
	if (n > 777)
		n = 777;
	memcpy(buf, c->p, n);
	c->p += n;
	c->left -= n;
	return (ssize_t)n;
}

/* journalctl's text export of file, through journal_text_new(). */
static void decode_export(const char *file, const char *mode,
			  enum journal_text_format want, struct buf *out)
{
	struct buf all = BUF_INIT;
	struct chunks c;
	struct scan_reader in = { chunk_read, &c };
	struct journal_text *t;
	char *cmd = xasprintf("journalctl --file '%s' -o %s", file, mode);
	FILE *p = popen(cmd, "r");
	char block[65536];
	size_t n;

	free(cmd);
	if (!p)
		return;
	while ((n = fread(block, 1, sizeof(block), p)) > 0)
		buf_add(&all, block, n);
	CHECK(pclose(p) == 0, "journalctl -o %s", mode);
	CHECK(journal_text_sniff(all.data, all.len < 4096 ? all.len : 4096) ==
	      want, "journalctl -o %s is recognised", mode);
	c.p = all.data;
	c.left = all.len;
	t = journal_text_new(want, &in, NULL, NULL);
	read_all(journal_text_reader(t), out);
	CHECK_EQ(journal_text_entries(t), 87 + 3);
	journal_text_free(t);
	buf_release(&all);
}

/* The native reader's text of file (the selected entries, as ingest). */
static void native_text(const char *file, struct buf *out)
{
	const char *files[] = { file };
	struct journal_opts o = { .files = files, .n_files = 1,
				  .kernel_only = 1 };
	struct journal_src *j = NULL;
	char *err = NULL;

	CHECK(journal_open(&o, &j, &err) == 0, "journal_open: %s", err);
	free(err);
	if (!j)
		return;
	read_all(journal_reader(j), out);
	CHECK_EQ(journal_entries(j), 87 + 3);	/* kernel, forged, systemd */
	CHECK_EQ(journal_kernel_entries(j), 87 + 1);
	journal_close(j);
}

static void same_text(const char *jfile)
{
	static const char odd_text[] =
		"db1 kernel: [ 8307.202113] odd bytes \xff\x01 and a NUL   end\n";

	struct buf native = BUF_INIT, exp = BUF_INIT, json = BUF_INIT;

	native_text(jfile, &native);
	decode_export(jfile, "export", JOURNAL_TEXT_EXPORT, &exp);
	decode_export(jfile, "json", JOURNAL_TEXT_JSON, &json);
	CHECK(native.len > 0 && exp.len == native.len &&
	      !memcmp(exp.data, native.data, native.len),
	      "export text equals native text (%zu, %zu bytes)", exp.len,
	      native.len);
	CHECK(json.len == native.len && !memcmp(json.data, native.data,
						 native.len),
	      "json text equals native text (%zu, %zu bytes)", json.len,
	      native.len);
	CHECK(strstr(native.data, " db1 systemd[4242]: postgresql.service: A "
		     "process") != NULL, "a story identifier is read");
	CHECK(strstr(native.data, " db1 kernel-userspace[4242]: Out of memory")
	      != NULL, "a forged kernel line is kept apart");
	CHECK(strstr(native.data, "Accepted publickey") == NULL,
	      "other programs are not read");
	CHECK(memmem(native.data, native.len, odd_text, sizeof(odd_text) - 1)
	      != NULL, "bytes kept, NUL as a blank");
	buf_release(&native);
	buf_release(&exp);
	buf_release(&json);
}

int main(void)
{
	const char *fixtures = getenv("FIXTURES"), *remote = NULL;
	char dir[] = "/tmp/oomlens-journal.XXXXXX";
	char *dmesg, *exp, *jfile, *cursor = NULL, *err = NULL;
	struct classifier *cls;
	struct got g;
	pid_t pid;
	int status;

	setenv("TZ", "UTC", 1);
	/* the native reader gives these two from the entry's header, the
	 * renderer asks by the enum */
	CHECK_STR(journal_render_fields[JF_REALTIME],
		  "__REALTIME_TIMESTAMP");
	CHECK_STR(journal_render_fields[JF_BOOT_ID], "_BOOT_ID");
	CHECK_STR(journal_render_fields[JF_SYSLOG_PID], "SYSLOG_PID");
	CHECK(journal_render_fields[JOURNAL_RENDER_FIELDS] == NULL, "count");
	for (size_t i = 0; i < 2; i++)
		if (access(remote_paths[i], X_OK) == 0)
			remote = remote_paths[i];
	if (!remote) {
		printf("test-journal: skipping: systemd-journal-remote is not "
		       "installed (Debian package systemd-journal-remote)\n");
		return check_done("test-journal");
	}
	if (!fixtures)
		fixtures = "tests/fixtures";
	if (!mkdtemp(dir) || classify_new(&cls, &err) < 0)
		return 1;
	dmesg = xasprintf("%s/postgres-6.8.dmesg", fixtures);
	exp = xasprintf("%s/in.export", dir);
	jfile = xasprintf("%s/db1.journal", dir);
	CHECK(write_export(dmesg, exp) == 0, "export text");
	pid = fork();
	if (pid == 0) {
		execl(remote, remote, "-o", jfile, exp, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "systemd-journal-remote exit %d", status);
	CHECK(journal_file_magic(jfile), "journal magic");
	CHECK(!journal_file_magic(dmesg), "a text file is not a journal");

	scan_journal(cls, jfile, NULL, &g, &cursor);
	CHECK_EQ(g.n, 1);
	if (g.n == 1) {
		struct oom_report *r = g.r[0];

		CHECK_STR(r->host, "db1");
		CHECK_STR(r->boot_id, BOOT);
		CHECK_EQ(r->ktime_us, INT64_C(8123456789));
		CHECK_EQ(r->wall_us, INT64_C(1795230727) * 1000000);
		CHECK(!(r->flags & REPORT_LOCAL_TIME), "journal time is UTC");
		CHECK_EQ(r->n_tasks, 25);
		CHECK(r->n_kills == 1 && r->kills[0].pid == 1201, "victim 1201");
		CHECK(mem_has(r, MEM_ACTIVE_FILE), "multi-line MESSAGE joined");
		CHECK(r->kills && r->kills[0].reap == REAP_REAPED, "reaper");
	}
	for (size_t i = 0; i < g.n; i++)
		oom_report_free(g.r[i]);
	CHECK(cursor != NULL, "a cursor to resume from");

	/* resuming after the last entry finds nothing new */
	scan_journal(cls, jfile, cursor, &g, NULL);
	CHECK_EQ(g.n, 0);
	for (size_t i = 0; i < g.n; i++)
		oom_report_free(g.r[i]);

	if (access("/usr/bin/journalctl", X_OK) == 0 ||
	    access("/bin/journalctl", X_OK) == 0)
		same_text(jfile);
	else
		printf("test-journal: journalctl missing: text exports not "
		       "compared\n");

	free(cursor);
	unlink(exp);
	unlink(jfile);
	rmdir(dir);
	free(dmesg);
	free(exp);
	free(jfile);
	classify_free(cls);
	return check_done("test-journal");
}
