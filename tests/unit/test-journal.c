/*
 * test-journal.c: native journal files, built at test time with
 * systemd-journal-remote from Journal Export Format text made from the
 * seed fixture: the report comes out as from the text logs, with the boot
 * id and kernel time of the entries; a userspace entry that imitates a
 * kernel kill line is not an event; a second read after the cursor finds
 * nothing new.  Skipped when systemd-journal-remote is not installed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

static void field(FILE *fp, const char *k, const char *v, size_t n)
{
	if (memchr(v, '\n', n)) {
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

		entry(fp, mono + 1000000, "syslog", "kernel", fake,
		      sizeof(fake) - 1);
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
	struct report_sink sink = { emit, NULL, g };
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
