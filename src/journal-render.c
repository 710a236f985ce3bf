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
/* source-journal.c keeps a bit for each */
_Static_assert(sizeof(journal_story_identifiers) /
	       sizeof(*journal_story_identifiers) <= 33, "at most 32");

/* in the order of enum journal_field */
#define RENDER_FIELDS(X) \
	X("MESSAGE") \
	X("__REALTIME_TIMESTAMP") \
	X("_SOURCE_MONOTONIC_TIMESTAMP") \
	X("_BOOT_ID") \
	X("_HOSTNAME") \
	X("_MACHINE_ID") \
	X("_TRANSPORT") \
	X("SYSLOG_IDENTIFIER") \
	X("_COMM") \
	X("_EXE") \
	X("_UID") \
	X("_SYSTEMD_UNIT") \
	X("_SYSTEMD_USER_UNIT") \
	X("_PID") \
	X("SYSLOG_PID")
#define FIELD_NAME(s) s,
#define FIELD_LEN(s) sizeof(s) - 1,

const char *const journal_render_fields[] = { RENDER_FIELDS(FIELD_NAME) NULL };
/* their lengths: looked up for every field of every entry read */
static const unsigned char field_len[] = { RENDER_FIELDS(FIELD_LEN) };

static int is(const char *v, size_t n, const char *s)
{
	return n == strlen(s) && !memcmp(v, s, n);
}

_Static_assert(sizeof(journal_render_fields) / sizeof(*journal_render_fields)
	       == JOURNAL_RENDER_FIELDS + 1, "JOURNAL_RENDER_FIELDS");


int journal_render_field_index(const char *name, size_t len)
{
	for (int i = 0; i < JOURNAL_RENDER_FIELDS; i++)
		if (len == field_len[i] && name[0] == journal_render_fields[i][0] &&
		    !memcmp(name, journal_render_fields[i], len))
			return i;
	return -1;
}

static int get(const struct journal_fields *f, enum journal_field k,
	       const char **v, size_t *n)
{
	return f->get(f->ctx, k, v, n);
}

static int is_kernel(const struct journal_fields *f)
{
	const char *v;
	size_t n;

	return get(f, JF_TRANSPORT, &v, &n) && is(v, n, "kernel");
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
	return get(f, JF_SYSLOG_IDENTIFIER, &v, &n) &&
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

	if (!get(f, JF_UID, &v, &n) || is(v, n, "0"))
		return 0;
	if (get(f, JF_SYSTEMD_USER_UNIT, &v, &n))
		return 1;
	return get(f, JF_SYSTEMD_UNIT, &v, &n) &&
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
	if (get(f, JF_COMM, &x, &xn) &&
	    (xn != (n > 15 ? 15 : n) || memcmp(x, v, xn) != 0))
		return 1;	/* 15: TASK_COMM_LEN - 1, node-problem-de */
	if (get(f, JF_EXE, &x, &xn) && !system_exe(x, xn))
		return 1;
	return !is(v, n, "systemd") && !is(v, n, "nohang") && from_user(f);
}

/* v (n bytes) with each byte of the NUL-terminated set bad (and NUL)
 * made '_', written straight into b's room: the renderer's bytes. */
static void add_replaced(struct buf *b, const char *v, size_t n,
			 const char *bad)
{
	char *d;

	buf_grow(b, n);
	d = b->data + b->len;
	for (size_t i = 0; i < n; i++)
		d[i] = !v[i] || strchr(bad, v[i]) ? '_' : v[i];
	b->len += n;
	b->data[b->len] = '\0';
}

/* v (n bytes) with each NUL made ' '. */
static void add_replaced_nul(struct buf *b, const char *v, size_t n)
{
	size_t start = b->len;

	buf_add(b, v, n);
	for (char *z = memchr(b->data + start, '\0', n); z;
	     z = memchr(z, '\0', (size_t)(b->data + b->len - z)))
		*z = ' ';
}

/* n as decimal digits, at least width of them (zeros before), or padded
 * to width with spaces before when pad is ' '. */
static void add_u64(struct buf *b, uint64_t n, int width, char pad)
{
	char tmp[24];
	int k = 0;

	do {
		tmp[k++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	buf_grow(b, (size_t)(k > width ? k : width));
	for (int i = k; i < width; i++)
		b->data[b->len++] = pad;
	while (k)
		b->data[b->len++] = tmp[--k];
	b->data[b->len] = '\0';
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
	if (!get(f, JF_SYSLOG_IDENTIFIER, &v, &n) && !get(f, JF_COMM, &v, &n)) {
		v = "unknown";
		n = 7;
	}
	add_replaced(b, v, n, " :\n");
	/* userspace "kernel" is a forgery: keep it apart; so is a story
	 * program's name in another program's entry (story.c reads the
	 * "-forged" tag's lines as forged) */
	if (is(v, n, "kernel"))
		buf_adds(b, "-userspace");
	else if (impostor(f, v, n))
		buf_adds(b, STORY_FORGED_SUFFIX);
	/* journalctl shows _PID, else the PID the program claimed */
	if (get(f, JF_PID, &v, &n) || get(f, JF_SYSLOG_PID, &v, &n)) {
		buf_grow(b, n + 2);
		b->data[b->len++] = '[';
		for (size_t i = 0; i < n; i++)
			if (v[i] >= '0' && v[i] <= '9')
				b->data[b->len++] = v[i];
		b->data[b->len++] = ']';
		b->data[b->len] = '\0';
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

	if (!get(f, JF_MESSAGE, &msg, &msg_len))
		return 0;
	if (!get(f, JF_REALTIME, &v, &n) ||
	    num_parse_u64(v, n, &usec) < 0) {
		*why = "no valid __REALTIME_TIMESTAMP";
		return -EINVAL;
	}
	if (!jr->ts_valid || jr->ts_sec != usec / 1000000) {
		t = (time_t)(usec / 1000000);
		if (!gmtime_r(&t, &tm) ||
		    !strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm)) {
			*why = "__REALTIME_TIMESTAMP out of range";
			return -EINVAL;
		}
		memcpy(jr->ts, ts, sizeof(ts));
		jr->ts_sec = usec / 1000000;
		jr->ts_valid = 1;
	}
	if (get(f, JF_BOOT_ID, &v, &n) && n == 32 && memcmp(v, jr->boot, 32)) {
		memcpy(jr->boot, v, 32);
		jr->boot[32] = '\0';
		buf_addf(b, "-- Boot %s --\n", jr->boot);
		jr->lines++;
	}
	kernel = is_kernel(f);
	line_start = b->len;
	buf_adds(b, jr->ts);
	buf_addch(b, '.');
	add_u64(b, usec % 1000000, 6, '0');
	buf_add(b, "+00:00 ", 7);
	/* a journal copied from a host that had no name still says which
	 * machine it was: its machine id stands for the host */
	if ((get(f, JF_HOSTNAME, &v, &n) && n) ||
	    (get(f, JF_MACHINE_ID, &v, &n) && n))
		add_replaced(b, v, n, " \n");
	else
		buf_addch(b, '-');
	buf_addch(b, ' ');
	add_tag(b, f, kernel);
	buf_add(b, ": ", 2);
	if (kernel && get(f, JF_SOURCE_MONOTONIC, &v, &n) &&
	    num_parse_u64(v, n, &mono) == 0) {
		buf_addch(b, '[');
		add_u64(b, mono / 1000000, 5, ' ');
		buf_addch(b, '.');
		add_u64(b, mono % 1000000, 6, '0');
		buf_add(b, "] ", 2);
	}
	/* a multi-line MESSAGE: later lines indented to the message, as
	 * journalctl does, so that they read as lines of this record; a
	 * NUL read as a space */
	col = b->len - line_start;
	for (size_t i = 0; i < msg_len;) {
		const char *nl = memchr(msg + i, '\n', msg_len - i);
		size_t end = nl ? (size_t)(nl - msg) : msg_len;

		add_replaced_nul(b, msg + i, end - i);
		i = end + 1;
		if (nl && i < msg_len) {
			buf_grow(b, col + 1);
			b->data[b->len++] = '\n';
			memset(b->data + b->len, ' ', col);
			b->len += col;
			b->data[b->len] = '\0';
			jr->lines++;
		}
	}
	buf_addch(b, '\n');
	jr->lines++;
	jr->entries++;
	if (kernel)
		jr->kernel_entries++;
	return 1;
}
