/* source-journal.c: see journal.h. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-journal.h>

#include "buf.h"
#include "cleanup.h"
#include "journal.h"
#include "xalloc.h"

struct journal_src {
	sd_journal *j;
	struct buf pending;	/* rendered text not yet handed out */
	size_t off;		/* of pending, handed out up to here */
	struct journal_render jr;
	char *cursor;		/* of the last entry rendered */
	int cursor_due;		/* ... which is the current entry, its
				 * cursor not asked for yet (settle_cursor()) */
	uint64_t given;		/* entries sd_journal_next() gave since the
				 * first handle's seek */
	int eof, err;
	char *resume;		/* the cursor resumed after, or NULL */
	char *resumed_at;	/* the same, kept */
	/* how to open it again (see ended_early()) */
	char **files;
	size_t n_files;
	int fd;			/* with fd_name: one open journal file */
	char *fd_name;
	char *dir;
	int matched;		/* sd-journal matches select the entries */
	uint32_t story_ids;	/* those of journal_story_identifiers[] */
	int story_ids_set;	/* ... chosen (story_ids()) */
	int filtered;		/* journal_entry_selected() does */
	const char *damage;	/* why the read ended early, or NULL */
	char *skip_to;		/* read again from the head: skip up to
				 * this cursor's entry (read before) */
	uint64_t settle_usec;	/* see struct journal_opts */
	const volatile sig_atomic_t *stop;
	/* for the field getter: the current entry's fields that the
	 * renderer reads (journal_render_fields[]), copied out in one pass
	 * over the entry (see load_fields()), and the pseudo-fields
	 * sd-journal keeps apart */
	int loaded;		/* fields[] are the current entry's */
	struct buf values;	/* their values, one after another */
	struct {
		size_t off, len;
		int set;
	} fields[JOURNAL_RENDER_FIELDS];
	char realtime[24];
	char boot[SD_ID128_STRING_MAX];
	sd_id128_t boot_id;	/* boot's, when boot[0] */
};

char *journal_resume_key(const char *dir)
{
	return dir ? xasprintf("journal:dir:%s", dir) : xstrdup("journal:local");
}

int journal_file_magic(const char *path)
{
	char magic[8];
	int fd = open(path, O_RDONLY | O_CLOEXEC), ok = 0;

	if (fd < 0)
		return 0;
	ok = read(fd, magic, 8) == 8 && !memcmp(magic, "LPKSHHRH", 8);
	close(fd);
	return ok;
}

#define ALL_STORY_IDS UINT32_MAX

/* _TRANSPORT=kernel, or SYSLOG_IDENTIFIER one of the story's (those in
 * the mask: bit i for journal_story_identifiers[i]): matches on one field
 * are OR'ed, a disjunction ORs the two groups. */
static int add_matches(sd_journal *j, uint32_t ids)
{
	int r = sd_journal_add_match(j, "_TRANSPORT=kernel", 0);

	if (r >= 0 && ids)
		r = sd_journal_add_disjunction(j);
	for (size_t i = 0; r >= 0 && journal_story_identifiers[i]; i++) {
		char *m;

		if (!(ids & UINT32_C(1) << i))
			continue;
		m = xasprintf("SYSLOG_IDENTIFIER=%s",
			      journal_story_identifiers[i]);
		r = sd_journal_add_match(j, m, 0);
		free(m);
	}
	return r;
}

/* A new sd-journal handle on what s names, without matches. */
static int open_source(const struct journal_src *s, sd_journal **ret)
{
	if (s->fd_name)
		return sd_journal_open_files_fd(ret, (int *)&s->fd, 1, 0);
	if (s->files)
		return sd_journal_open_files(ret, (const char **)s->files, 0);
	if (s->dir)
		return sd_journal_open_directory(ret, s->dir, 0);
	return sd_journal_open(ret, SD_JOURNAL_LOCAL_ONLY);
}

/* Is s one journal file that journald archived (header state 2: rotated,
 * never written again)? */
static int archived_file(const struct journal_src *s)
{
	unsigned char state = 0;
	int fd = s->fd_name ? s->fd
		 : s->files && s->n_files == 1
		 ? open(s->files[0], O_RDONLY | O_CLOEXEC) : -1;

	if (fd < 0)
		return 0;
	if (pread(fd, &state, 1, 16) != 1)
		state = 0;
	if (!s->fd_name)
		close(fd);
	return state == 2;
}

/*
 * The story identifiers worth a match.  sd-journal looks every match up
 * again at each entry: eight identifiers most journals never hold cost a
 * tenth of a read.  A match that finds no entry adds none, so one that
 * finds none now is left out where no entry can come: in an archived
 * file.  Each is asked of a handle of its own; one that cannot tell
 * stays in.
 */
static uint32_t story_ids(const struct journal_src *s)
{
	sd_journal *j = NULL;
	uint32_t ids = 0;

	if (!archived_file(s) || open_source(s, &j) < 0)
		return ALL_STORY_IDS;
	for (size_t i = 0; journal_story_identifiers[i]; i++) {
		char *m = xasprintf("SYSLOG_IDENTIFIER=%s",
				    journal_story_identifiers[i]);

		sd_journal_flush_matches(j);
		if (sd_journal_add_match(j, m, 0) < 0 ||
		    sd_journal_seek_head(j) < 0 || sd_journal_next(j) != 0)
			ids |= UINT32_C(1) << i;
		free(m);
	}
	sd_journal_close(j);
	return ids;
}

/* Open s->j on what s names; matched: with the sd-journal matches.
 * 0, or -errno with *ret_err set. */
static int open_handle(struct journal_src *s, int matched, char **ret_err)
{
	int r;

	sd_journal_close(s->j);
	s->j = NULL;
	r = open_source(s, &s->j);
	if (r < 0) {
		const char *hint = r == -ENODATA ? " (shorter than its header "
			"says: truncated?)" : r == -EBADMSG ? " (damaged header)" : "";

		if (s->files || s->fd_name)
			*ret_err = xasprintf("cannot open journal file '%s': %s%s",
					     s->fd_name ? s->fd_name
							: s->files[0],
					     strerror(-r), hint);
		else
			*ret_err = xasprintf("cannot open the journal%s%s: %s%s",
					     s->dir ? " in " : "",
					     s->dir ? s->dir : "", strerror(-r),
					     hint);
		return r;
	}
	s->matched = matched;
	if (matched && !s->story_ids_set) {
		s->story_ids = story_ids(s);
		s->story_ids_set = 1;
	}
	if (matched && (r = add_matches(s->j, s->story_ids)) < 0) {
		*ret_err = xasprintf("journal match: %s", strerror(-r));
		return r;
	}
	/* follow mode: watch for changes from now on, not from the first
	 * wait (sd-journal sets up inotify lazily) */
	if (s->settle_usec && (r = sd_journal_get_fd(s->j)) < 0) {
		*ret_err = xasprintf("cannot watch the journal: %s",
				     strerror(-r));
		return r;
	}
	return 0;
}

/* Place s->j before the entry after cursor (NULL: the first). */
static int seek(struct journal_src *s, const char *cursor)
{
	free(s->resume);
	s->resume = NULL;
	if (!cursor)
		return sd_journal_seek_head(s->j);
	s->resume = xstrdup(cursor);
	return sd_journal_seek_cursor(s->j, cursor);
}


int journal_open(const struct journal_opts *o, struct journal_src **ret,
		 char **ret_err)
{
	_cleanup_(journal_closep) struct journal_src *s =
		xcalloc(1, sizeof(*s));
	int r;

	*ret = NULL;
	s->pending = (struct buf)BUF_INIT;
	s->values = (struct buf)BUF_INIT;
	s->settle_usec = o->settle_usec;
	s->stop = o->stop;
	if (o->fd_name) {
		s->fd = o->fd;
		s->fd_name = xstrdup(o->fd_name);
	} else if (o->files) {
		s->files = xcalloc(o->n_files + 1, sizeof(*s->files));
		for (size_t i = 0; i < o->n_files; i++)
			s->files[i] = xstrdup(o->files[i]);
		s->n_files = o->n_files;
	} else if (o->dir) {
		s->dir = xstrdup(o->dir);
	}
	r = open_handle(s, o->kernel_only, ret_err);
	if (r < 0)
		return r;
	if ((r = seek(s, o->after_cursor)) < 0) {
		*ret_err = xasprintf("cannot resume at cursor '%s': %s",
				     o->after_cursor, strerror(-r));
		return r;
	}
	if (o->after_cursor)
		s->resumed_at = xstrdup(o->after_cursor);
	*ret = TAKE_PTR(s);
	return 0;
}

void journal_close(struct journal_src *s)
{
	if (!s)
		return;
	sd_journal_close(s->j);
	buf_release(&s->pending);
	buf_release(&s->values);
	free(s->cursor);
	free(s->resume);
	free(s->resumed_at);
	free(s->skip_to);
	for (size_t i = 0; i < s->n_files; i++)
		free(s->files[i]);
	free(s->files);
	free(s->fd_name);
	free(s->dir);
	free(s);
}

/*
 * The handle of the read walked again to the entry it was on, for its
 * cursor: from the same start, with the same matches, the same entries
 * come in the same order (a file read while it grows gets entries after
 * them only).  For when sd-journal dropped the file, and so the position,
 * at damage after that entry.
 */
static char *cursor_walked(const struct journal_src *s)
{
	sd_journal *j = NULL;
	char *cursor = NULL;
	int r = open_source(s, &j);

	if (r >= 0 && s->matched)
		r = add_matches(j, s->story_ids);
	if (r >= 0)
		r = s->resumed_at ? sd_journal_seek_cursor(j, s->resumed_at)
				  : sd_journal_seek_head(j);
	for (uint64_t i = 0; r >= 0 && i < s->given; i++)
		r = sd_journal_next(j) > 0 ? 0 : -ENODATA;
	if (r >= 0 && sd_journal_get_cursor(j, &cursor) < 0)
		cursor = NULL;
	sd_journal_close(j);
	return cursor;
}

/*
 * The cursor of the last entry rendered, asked of sd-journal only when
 * it is needed: formatting one took a sixth of a read of short entries.
 * While every entry sd_journal_next() gives is rendered (the first
 * handle: the matches choose), the last one rendered is the current
 * entry until sd_journal_next() gives another (whose cursor then counts)
 * or none, which leaves the position where it was: settled there, before
 * anything else moves it.  When sd-journal dropped the file at damage it
 * has no position: the read is walked again (cursor_walked()).  When
 * this code chooses the entries (s->filtered, s->skip_to), an entry may
 * be passed over: each rendered one's cursor is asked at once.
 */
static void settle_cursor(struct journal_src *s)
{
	char *cursor = NULL;

	if (!s->cursor_due)
		return;
	s->cursor_due = 0;
	if (sd_journal_get_cursor(s->j, &cursor) < 0)
		cursor = s->filtered ? NULL : cursor_walked(s);
	if (cursor) {
		free(s->cursor);
		s->cursor = cursor;
	}
}

const char *journal_cursor(struct journal_src *s)
{
	settle_cursor(s);
	return s->cursor;
}

size_t journal_entries(const struct journal_src *s)
{
	return s->jr.entries;
}

size_t journal_kernel_entries(const struct journal_src *s)
{
	return s->jr.kernel_entries;
}

/*
 * sd_journal_wait() polls again when a signal interrupts it, so a signal
 * could not stop a wait: poll here, as sd-journal documents for event
 * loops, and let EINTR through.
 */
int journal_wait(struct journal_src *s, uint64_t usec)
{
	struct pollfd p = { .fd = sd_journal_get_fd(s->j) };
	uint64_t until;
	int r = sd_journal_get_events(s->j), ms;

	if (p.fd < 0)
		return p.fd;
	if (r < 0)
		return r;
	p.events = (short)r;
	/* sd-journal may want to look again sooner (an absolute time) */
	if (sd_journal_get_timeout(s->j, &until) >= 0 && until != UINT64_MAX) {
		struct timespec now;
		uint64_t now_us;

		clock_gettime(CLOCK_MONOTONIC, &now);
		now_us = (uint64_t)now.tv_sec * 1000000 +
			 (uint64_t)now.tv_nsec / 1000;
		if (until - now_us < usec || until <= now_us)
			usec = until > now_us ? until - now_us : 0;
	}
	ms = usec > INT32_MAX * UINT64_C(1000) ? INT32_MAX
					       : (int)((usec + 999) / 1000);
	r = poll(&p, 1, ms);
	if (r < 0)
		return -errno;
	r = sd_journal_process(s->j);
	if (r < 0)
		return r;
	return r != SD_JOURNAL_NOP;
}

/*
 * The current entry's wanted fields, in one pass over its items.  Asking
 * sd_journal_get_data() for each field the renderer reads walks the
 * entry's items (and loads each data object) once per field asked, and
 * the renderer asks some twenty times, half of them for fields the entry
 * does not have; one enumeration loads each object once.  The values are
 * copied: sd-journal reuses its decompression buffer.  As
 * sd_journal_get_data() does, the first item of a field wins, and a
 * damaged or undecodable item is left out (enumerate_available_data()).
 */
static void load_fields(struct journal_src *s)
{
	const void *data;
	size_t len;

	buf_reset(&s->values);
	memset(s->fields, 0, sizeof(s->fields));
	s->loaded = 1;
	sd_journal_restart_data(s->j);
	while (sd_journal_enumerate_available_data(s->j, &data, &len) > 0) {
		const char *d = data, *eq = memchr(d, '=', len);
		int k = eq ? journal_render_field_index(d, (size_t)(eq - d)) : -1;

		if (k < 0 || s->fields[k].set)
			continue;
		s->fields[k].set = 1;
		s->fields[k].off = s->values.len;
		s->fields[k].len = len - (size_t)(eq + 1 - d);
		buf_add(&s->values, eq + 1, s->fields[k].len);
	}
}

/* The field getter over the current entry.  The wall clock and the boot
 * id live in the entry's header: they are given as the export format
 * names them. */
static int get_field(void *ctx, enum journal_field k, const char **ret,
		     size_t *ret_len)
{
	struct journal_src *s = ctx;
	uint64_t usec;
	sd_id128_t boot;

	if (!s->loaded)
		load_fields(s);
	if (s->fields[k].set) {
		*ret = s->values.data + s->fields[k].off;
		*ret_len = s->fields[k].len;
		return 1;
	}
	if (k == JF_REALTIME &&
	    sd_journal_get_realtime_usec(s->j, &usec) >= 0) {
		char *e = s->realtime + sizeof(s->realtime), *d = e;

		do
			*--d = (char)('0' + usec % 10);
		while (usec /= 10);
		*ret = d;
		*ret_len = (size_t)(e - d);
		return 1;
	}
	if (k == JF_BOOT_ID &&
	    sd_journal_get_monotonic_usec(s->j, NULL, &boot) >= 0) {
		/* the same boot entry after entry: converted once */
		if (!s->boot[0] || !sd_id128_equal(boot, s->boot_id)) {
			sd_id128_to_string(boot, s->boot);
			s->boot_id = boot;
		}
		*ret = s->boot;
		*ret_len = strlen(s->boot);
		return 1;
	}
	return 0;
}

/* One entry as text lines, appended to s->pending. */
static void render(struct journal_src *s)
{
	struct journal_fields f = { get_field, s };
	const char *why;

	/* an entry without a wall clock (never written by journald) is
	 * left out rather than dated */
	journal_render_entry(&s->jr, &f, &s->pending, &why);
	s->cursor_due = 1;
	if (s->filtered || s->skip_to)
		settle_cursor(s);
}

/* The wall clock of a cursor ("...;t=HEX;..."), 0 when it has none. */
static uint64_t cursor_time(const char *c)
{
	const char *t = c ? strstr(c, ";t=") : NULL;

	return t ? strtoull(t + 3, NULL, 16) : 0;
}

/* Does the journal list, among the values of FIELD, one that WANTED
 * takes?  1, 0, or < 0 when it cannot tell: an error, or no value at all
 * (every entry journald writes has _TRANSPORT; a damaged file's lists can
 * read as empty, without an error).  A field's list of values is a chain
 * of its own, apart from the hash chain a match looks its value up by. */
static int lists_value(sd_journal *j, const char *field,
		       int (*wanted)(const char *v, size_t n))
{
	size_t skip = strlen(field) + 1, len;
	const void *data;
	int r = sd_journal_query_unique(j, field), any = 0;

	if (r < 0)
		return r;
	SD_JOURNAL_FOREACH_UNIQUE(j, data, len) {
		any = 1;
		if (len >= skip && wanted((const char *)data + skip, len - skip))
			return 1;
	}
	return any ? 0 : -ENODATA;
}

static int is_kernel_value(const char *v, size_t n)
{
	return n == 6 && !memcmp(v, "kernel", 6);
}

/* Has the journal any entry at all, matched or not?  Asked of a handle
 * of its own without matches: the one read may have dropped the file at
 * its damage, and then lists nothing at all. */
static int has_any_entry(const struct journal_src *s)
{
	sd_journal *j = NULL;
	int any = open_source(s, &j) >= 0 && sd_journal_seek_head(j) >= 0 &&
		  sd_journal_next(j) > 0;

	sd_journal_close(j);
	return any;
}

/*
 * Did the matched read miss what the journal has?  A match finds nothing,
 * and sd-journal does not say, when damage lies in the hash chain that
 * leads to its value ("_TRANSPORT=kernel").  No kernel entry read where
 * the journal lists that value, or nothing read where it lists a story
 * identifier, tells.  When the lists cannot be read either: nothing read
 * from a journal that has entries.  Not asked on a resumed read: nothing
 * new is the common case there.
 */
static int match_lost(struct journal_src *s)
{
	int kernel = 0, story;

	if (s->resumed_at)
		return 0;
	if (!s->jr.kernel_entries &&
	    (kernel = lists_value(s->j, "_TRANSPORT", is_kernel_value)) > 0)
		return 1;
	if (s->cursor)
		return 0;
	story = lists_value(s->j, "SYSLOG_IDENTIFIER", journal_story_identifier);
	if (story > 0)
		return 1;
	return kernel < 0 || story < 0 ? has_any_entry(s) : 0;
}

/*
 * Did the read end before the journal's end?  sd-journal drops a file
 * from the read when it meets damage in it, and says nothing: the journal
 * then seems to end there.  Its tail tells: gone, or older than the last
 * entry read.  (Newer is fine: entries may have come meanwhile.)
 * Or a match found nothing (match_lost()).  Moves the read position.
 */
static int ended_early(struct journal_src *s)
{
	const char *last = s->cursor ? s->cursor : s->resumed_at;
	uint64_t tail;
	int r;

	if (s->matched && !s->filtered && match_lost(s))
		return 1;
	r = sd_journal_seek_tail(s->j);

	if (r >= 0)
		r = sd_journal_previous(s->j);
	if (r < 0)
		return 1;
	if (r == 0)
		return last != NULL;	/* it had entries, now has none */
	if (!last)
		return 1;		/* it has some, none were read */
	if (sd_journal_get_realtime_usec(s->j, &tail) < 0)
		return 1;
	return tail < cursor_time(last);
}

/*
 * The journal ended early: with matches, read it again from the last
 * entry read without them (the damage may lie in the entry arrays of the
 * matched fields, the file's own array may still lead past it), choosing
 * the entries here.  Else give up: s->damage says why.  1 when reading
 * goes on.
 */
static int recover(struct journal_src *s)
{
	char *err = NULL;
	char *last = s->cursor ? xstrdup(s->cursor) :
		     s->resumed_at ? xstrdup(s->resumed_at) : NULL;
	int r = -1;

	if (s->matched && !s->filtered) {
		/* from the head, not by seeking the cursor: a seek bisects
		 * the entry arrays and may land in the damage again */
		r = open_handle(s, 0, &err);
		if (r >= 0)
			r = sd_journal_seek_head(s->j);
		s->filtered = 1;
		free(s->skip_to);
		s->skip_to = last;
		last = NULL;
	}
	free(err);
	free(last);
	if (r < 0) {
		s->damage = "the journal ends early: sd-journal stopped reading "
			    "a damaged file; the entries before the damage "
			    "were read";
		return 0;
	}
	return 1;
}

/*
 * The next entry: 1, 0 at the end, -errno.  In follow mode the end is
 * when nothing came for settle_usec, so that a report still being written
 * is read whole.
 */
static int next_given(struct journal_src *s)
{
	int r = sd_journal_next(s->j);

	if (r > 0)
		s->given++;
	else if (r == 0)
		settle_cursor(s);	/* still on the last entry given */
	return r;
}

static int next_entry(struct journal_src *s)
{
	int r = next_given(s);

	while (r == 0 && s->settle_usec && !(s->stop && *s->stop)) {
		int w = journal_wait(s, s->settle_usec);

		if (w < 0 && w != -EINTR)
			return w;
		r = next_given(s);
		if (w == 0)
			break;	/* quiet for settle_usec: the end */
	}
	if (r == 0 && !(s->stop && *s->stop) && ended_early(s) && recover(s))
		return next_entry(s);
	return r;
}

/* Was the current entry read before recover()?  Ends the skip at the
 * entry of s->skip_to, or at the first later one when it is gone. */
static int skip_read(struct journal_src *s)
{
	uint64_t t;
	int read_before;

	if (sd_journal_get_realtime_usec(s->j, &t) < 0)
		return 1;
	/* entries of the same time come before it or after it: those
	 * before were read, those after come once it is found */
	read_before = t <= cursor_time(s->skip_to);
	if (!read_before || sd_journal_test_cursor(s->j, s->skip_to) > 0) {
		free(s->skip_to);
		s->skip_to = NULL;
	}
	return read_before;
}

static ssize_t journal_read(void *ctx, void *out, size_t cap)
{
	struct journal_src *s = ctx;
	struct journal_fields f = { get_field, s };
	size_t got = 0;

	while (got < cap) {
		if (s->off < s->pending.len) {
			size_t n = s->pending.len - s->off;

			if (n > cap - got)
				n = cap - got;
			memcpy((char *)out + got, s->pending.data + s->off, n);
			s->off += n;
			got += n;
			continue;
		}
		buf_reset(&s->pending);
		s->off = 0;
		if (s->eof) {
			/* all handed out, the cursor settled: let go of the
			 * files' mappings now, not when the input is stored
			 * (the workers read ahead of the writer) */
			sd_journal_close(s->j);
			s->j = NULL;
			break;
		}
		/* fill a few entries at a time, stop at the end */
		while (s->pending.len < 64 * 1024) {
			int r = s->stop && *s->stop ? 0 : next_entry(s);

			if (r <= 0) {
				/* a stop: still on the last entry given */
				settle_cursor(s);
				/* what was rendered first, the error next */
				s->err = r;
				s->eof = 1;
				break;
			}
			s->loaded = 0;
			if (s->resume) {
				/* seeking lands on the entry already read */
				int same = sd_journal_test_cursor(s->j, s->resume) > 0;

				free(s->resume);
				s->resume = NULL;
				if (same)
					continue;
			}
			if (s->skip_to && skip_read(s))
				continue;
			if (s->filtered && !journal_entry_selected(&f))
				continue;
			render(s);
		}
	}
	if (!got && s->err < 0)
		return s->err;
	return (ssize_t)got;
}

const char *journal_damage(const struct journal_src *s)
{
	return s->damage;
}

struct scan_reader journal_reader(struct journal_src *s)
{
	return (struct scan_reader){ .read = journal_read, .ctx = s };
}
