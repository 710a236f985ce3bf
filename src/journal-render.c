/*
 * journal-render.c: one journal entry as syslog text, whatever it was read
 * from (see journal.h).  Only what the entry holds is written: an entry
 * without a wall clock is refused rather than dated 1970, a kernel entry
 * without its kernel time gets no "[...]" stamp.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "journal.h"
#include "number.h"
#include "story-event.h"

const char *const journal_story_identifiers[] = {
	"systemd",
	"systemd-oomd",
	"earlyoom",
	"nohang",
	"containerd",
	"kubelet",
	"node-problem-detector",
	"kernel",
	NULL,
};

const char *const journal_render_fields[] = {
	"MESSAGE",
	"__REALTIME_TIMESTAMP",
	"_SOURCE_MONOTONIC_TIMESTAMP",
	"_BOOT_ID",
	"_HOSTNAME",
	"_MACHINE_ID",
	"_TRANSPORT",
	"SYSLOG_IDENTIFIER",
	"_COMM",
	"_EXE",
	"_UID",
	"_SYSTEMD_UNIT",
	"_SYSTEMD_USER_UNIT",
	"_PID",
	"SYSLOG_PID",
	NULL,
};

static int is(const char *v, size_t n, const char *s)
{
	return n == strlen(s) && !memcmp(v, s, n);
}

_Static_assert(sizeof(journal_render_fields) / sizeof(*journal_render_fields)
	       == JOURNAL_RENDER_FIELDS + 1, "JOURNAL_RENDER_FIELDS");

int journal_render_field_index(const char *name, size_t len)
{
	for (int i = 0; journal_render_fields[i]; i++)
		if (is(name, len, journal_render_fields[i]))
			return i;
	return -1;
}

int journal_field_wanted(const char *name, size_t len)
{
	return journal_render_field_index(name, len) >= 0;
}

static int get(const struct journal_fields *f, const char *name,
	       const char **v, size_t *n)
{
	return f->get(f->ctx, name, v, n);
}

static int is_kernel(const struct journal_fields *f)
{
	const char *v;
	size_t n;

	return get(f, "_TRANSPORT", &v, &n) && is(v, n, "kernel");
}

int journal_story_identifier(const char *v, size_t n)
{
	for (size_t i = 0; journal_story_identifiers[i]; i++)
		if (is(v, n, journal_story_identifiers[i]))
			return 1;
	return 0;
}

int journal_entry_selected(const struct journal_fields *f)
{
	const char *v;
	size_t n;

	if (is_kernel(f))
		return 1;
	return get(f, "SYSLOG_IDENTIFIER", &v, &n) &&
	       journal_story_identifier(v, n);
}

static int starts(const char *v, size_t n, const char *prefix)
{
	size_t k = strlen(prefix);

	return n >= k && !memcmp(v, prefix, k);
}

/* A program file no user can replace: under a directory only root
 * writes (journald reads _EXE from /proc/PID/exe, a resolved path). */
static int system_exe(const char *v, size_t n)
{
	static const char *const dirs[] = {
		"/usr/", "/bin/", "/sbin/", "/lib/", "/lib64/", "/opt/",
		"/snap/", "/nix/store/", NULL,
	};

	for (size_t i = 0; dirs[i]; i++)
		if (starts(v, n, dirs[i]) && !memmem(v, n, "/../", 4))
			return 1;
	return 0;
}

/* Whether the entry came from a user's login session or user manager,
 * not from a system service (no user can put a process there). */
static int from_user(const struct journal_fields *f)
{
	const char *v;
	size_t n;

	if (!get(f, "_UID", &v, &n) || is(v, n, "0"))
		return 0;
	if (get(f, "_SYSTEMD_USER_UNIT", &v, &n))
		return 1;
	return get(f, "_SYSTEMD_UNIT", &v, &n) &&
	       (starts(v, n, "session-") || starts(v, n, "user@"));
}

/*
 * Whether an entry that names itself v (SYSLOG_IDENTIFIER, which any
 * program sets: logger -t earlyoom) came from another program than the
 * story's, by what journald itself adds: its process name (_COMM, 15
 * bytes at most) is another, its program file (_EXE) lies where a user
 * could have put it (a copy named earlyoom in /tmp), or it ran in a
 * user's session rather than as a service (the real program made to say
 * anything, LD_PRELOAD).  systemd and nohang also run per user: a user
 * manager reports the user's own units.
 */
static int impostor(const struct journal_fields *f, const char *v, size_t n)
{
	const char *x;
	size_t xn;

	if (!journal_story_identifier(v, n) || is(v, n, "kernel"))
		return 0;
	if (get(f, "_COMM", &x, &xn) &&
	    (xn != (n > 15 ? 15 : n) || memcmp(x, v, xn) != 0))
		return 1;	/* 15: TASK_COMM_LEN - 1, node-problem-de */
	if (get(f, "_EXE", &x, &xn) && !system_exe(x, xn))
		return 1;
	return !is(v, n, "systemd") && !is(v, n, "nohang") && from_user(f);
}

/* A tag that cannot be mistaken for another program, or for "kernel". */
static void add_tag(struct buf *b, const struct journal_fields *f, int kernel)
{
	const char *v;
	size_t n;

	if (kernel) {
		buf_adds(b, "kernel");
		return;
	}
	if (!get(f, "SYSLOG_IDENTIFIER", &v, &n) && !get(f, "_COMM", &v, &n)) {
		v = "unknown";
		n = 7;
	}
	for (size_t i = 0; i < n; i++)
		buf_addch(b, (v[i] == ' ' || v[i] == ':' || v[i] == '\n' ||
			      v[i] == '\0') ? '_' : v[i]);
	/* userspace "kernel" is a forgery: keep it apart; so is a story
	 * program's name in another program's entry (story.c reads the
	 * "-forged" tag's lines as forged) */
	if (is(v, n, "kernel"))
		buf_adds(b, "-userspace");
	else if (impostor(f, v, n))
		buf_adds(b, STORY_FORGED_SUFFIX);
	/* journalctl shows _PID, else the PID the program claimed */
	if (get(f, "_PID", &v, &n) || get(f, "SYSLOG_PID", &v, &n)) {
		buf_addch(b, '[');
		for (size_t i = 0; i < n; i++)
			if (v[i] >= '0' && v[i] <= '9')
				buf_addch(b, v[i]);
		buf_addch(b, ']');
	}
}

int journal_render_entry(struct journal_render *jr,
			 const struct journal_fields *f, struct buf *b,
			 const char **why)
{
	const char *v, *msg;
	size_t n, msg_len, line_start, col;
	uint64_t usec, mono;
	int kernel;
	char ts[32];
	struct tm tm;
	time_t t;

	if (!get(f, "MESSAGE", &msg, &msg_len))
		return 0;
	if (!get(f, "__REALTIME_TIMESTAMP", &v, &n) ||
	    num_parse_u64(v, n, &usec) < 0) {
		*why = "no valid __REALTIME_TIMESTAMP";
		return -EINVAL;
	}
	t = (time_t)(usec / 1000000);
	if (!gmtime_r(&t, &tm) ||
	    !strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm)) {
		*why = "__REALTIME_TIMESTAMP out of range";
		return -EINVAL;
	}
	if (get(f, "_BOOT_ID", &v, &n) && n == 32 && memcmp(v, jr->boot, 32)) {
		memcpy(jr->boot, v, 32);
		jr->boot[32] = '\0';
		buf_addf(b, "-- Boot %s --\n", jr->boot);
		jr->lines++;
	}
	kernel = is_kernel(f);
	line_start = b->len;
	buf_addf(b, "%s.%06" PRIu64 "+00:00 ", ts, usec % 1000000);
	/* a journal copied from a host that had no name still says which
	 * machine it was: its machine id stands for the host */
	if ((get(f, "_HOSTNAME", &v, &n) && n) ||
	    (get(f, "_MACHINE_ID", &v, &n) && n)) {
		for (size_t i = 0; i < n; i++)
			buf_addch(b, (v[i] == ' ' || v[i] == '\n' ||
				      v[i] == '\0') ? '_' : v[i]);
	} else {
		buf_addch(b, '-');
	}
	buf_addch(b, ' ');
	add_tag(b, f, kernel);
	buf_adds(b, ": ");
	if (kernel && get(f, "_SOURCE_MONOTONIC_TIMESTAMP", &v, &n) &&
	    num_parse_u64(v, n, &mono) == 0)
		buf_addf(b, "[%5" PRIu64 ".%06" PRIu64 "] ", mono / 1000000,
			 mono % 1000000);
	/* a multi-line MESSAGE: later lines indented to the message, as
	 * journalctl does, so that they read as lines of this record */
	col = b->len - line_start;
	for (size_t i = 0; i < msg_len; i++) {
		if (msg[i] == '\n') {
			if (i + 1 < msg_len) {
				buf_addch(b, '\n');
				for (size_t k = 0; k < col; k++)
					buf_addch(b, ' ');
				jr->lines++;
			}
		} else {
			buf_addch(b, msg[i] ? msg[i] : ' ');
		}
	}
	buf_addch(b, '\n');
	jr->lines++;
	jr->entries++;
	if (kernel)
		jr->kernel_entries++;
	return 1;
}
