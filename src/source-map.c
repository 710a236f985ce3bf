/*
 * source-map.c: a plain file on disk mapped into memory, so that its bytes
 * are scanned where the page cache holds them instead of copied out by
 * read(2) (scan_map_at()).
 *
 * A mapped file that shrinks under us (logrotate's copytruncate) would
 * raise SIGBUS where read(2) returns a short count.  Two guards: before
 * each block the file's size is looked at again, and the scan stops with
 * an error when the block would pass the end; and for the moment between
 * that look and the read, a SIGBUS handler maps pages of newlines where
 * the file's were (as systemd's sd-journal maps zeros for its own
 * mappings), flags it, and the next step, or the last one after the scan,
 * fails the read.  A fault outside our mappings goes to the handler that
 * was there before (sd-journal's), or kills the process as it would have.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source-int.h"
#include "xalloc.h"

#define MAX_MAPS 64
/* What the SIGBUS handler puts in place at a time (page multiple). */
#define REPAIR_SIZE (64 * 1024)

struct source_map {
	struct source *s;
	char *base;		/* page-aligned */
	size_t map_len;
	uint64_t skew;		/* bytes of base before the data */
	uint64_t released;	/* bytes of base handed back */
	uint64_t pos;		/* the file offset of the data */
	int slot;
};

/* The mappings the handler may repair: [start, end), and whether it did. */
static struct {
	_Atomic uintptr_t start, end;
	atomic_int shrank;
} maps[MAX_MAPS];
static struct sigaction before;
static pthread_once_t guard_once = PTHREAD_ONCE_INIT;
static uintptr_t page_size;	/* read before the handler can run */
static uintptr_t repair_size;	/* REPAIR_SIZE, or a page when larger */

static void on_sigbus(int sig, siginfo_t *si, void *uctx)
{
	uintptr_t at = (uintptr_t)si->si_addr;

	for (int i = 0; i < MAX_MAPS; i++) {
		uintptr_t start = atomic_load(&maps[i].start);
		uintptr_t end = atomic_load(&maps[i].end);

		if (!start || at < start || at >= end)
			continue;
		at &= ~(page_size - 1);
		if (end - at > repair_size)
			end = at + repair_size;
		/* newlines where the file was: the scan stops at its next
		 * step.  Not zeros: the truncation took pages the scanner had
		 * already read, and a newline it found there must still be
		 * one (every byte may turn into a newline, none into another
		 * byte).  A window at a time: a fault past it comes here. */
		if (mmap((void *)at, end - at, PROT_READ | PROT_WRITE,
			 MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
		    MAP_FAILED)
			break;
		memset((void *)at, '\n', end - at);
		atomic_store(&maps[i].shrank, 1);
		return;
	}
	if ((before.sa_flags & SA_SIGINFO) && before.sa_sigaction) {
		before.sa_sigaction(sig, si, uctx);
		return;
	}
	if (before.sa_handler != SIG_DFL && before.sa_handler != SIG_IGN) {
		before.sa_handler(sig);
		return;
	}
	/* the fault happens again, without us */
	signal(SIGBUS, SIG_DFL);
}

static void install_guard(void)
{
	struct sigaction sa;

	page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
	repair_size = page_size > REPAIR_SIZE ? page_size : REPAIR_SIZE;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &before);
}

static int take_slot(uintptr_t start, uintptr_t end)
{
	for (int i = 0; i < MAX_MAPS; i++) {
		uintptr_t free_slot = 0;

		if (atomic_compare_exchange_strong(&maps[i].start, &free_slot,
						   start)) {
			atomic_store(&maps[i].shrank, 0);
			atomic_store(&maps[i].end, end);
			return i;
		}
	}
	return -1;
}

int source_map(struct source *s, uint64_t min_len, struct source_map **ret,
	       char **data, uint64_t *len)
{
	long page = sysconf(_SC_PAGESIZE);
	struct source_map *m;
	struct stat st;
	off_t at;
	uint64_t pos, from;
	void *base;

	*ret = NULL;
	if (s->dec || s->fd < 0 || !s->on_disk || s->err || s->arch ||
	    s->kind != SOURCE_TEXT)
		return 0;
	at = lseek(s->fd, 0, SEEK_CUR);
	if (at < 0 || fstat(s->fd, &st) < 0)
		return 0;
	/* where the reader is: the fd's offset less what it holds */
	pos = (uint64_t)at - (s->in_len - s->in_pos) -
	      (s->head_len - s->head_pos);
	if ((uint64_t)st.st_size <= pos ||
	    (uint64_t)st.st_size - pos < min_len ||
	    (uint64_t)st.st_size - pos > SIZE_MAX / 2)
		return 0;
	pthread_once(&guard_once, install_guard);
	m = xcalloc(1, sizeof(*m));
	from = pos & ~(uint64_t)(page - 1);
	m->skew = pos - from;
	m->pos = pos;
	m->map_len = (size_t)((uint64_t)st.st_size - from);
	/* private and writable: the scanner cuts over-long lines in place */
	base = mmap(NULL, m->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE,
		    s->fd, (off_t)from);
	if (base == MAP_FAILED) {
		free(m);
		return 0;
	}
	m->base = base;
	m->s = s;
	/* the handler's range: whole pages (a vector load near the end
	 * reads the last page's tail) */
	m->slot = take_slot((uintptr_t)base,
			    ((uintptr_t)base + m->map_len + (uintptr_t)page - 1) &
				    ~((uintptr_t)page - 1));
	if (m->slot < 0) {
		munmap(base, m->map_len);
		free(m);
		return 0;
	}
	madvise(base, m->map_len, MADV_SEQUENTIAL);
	*data = m->base + m->skew;
	*len = (uint64_t)st.st_size - pos;
	*ret = m;
	return 1;
}

int source_map_step(struct source_map *m, uint64_t reach, uint64_t done)
{
	/* page_size: install_guard() ran before the map was made */
	uint64_t drop = (m->skew + done) & ~(uint64_t)(page_size - 1);
	struct stat st;

	if (atomic_load(&maps[m->slot].shrank) ||
	    (fstat(m->s->fd, &st) == 0 &&
	     (uint64_t)st.st_size < m->pos + reach))
		goto shrank;
	/* pages behind the scan go back: resident memory stays a block and
	 * the prefilter's stretch, whatever the file's size */
	if (drop > m->released) {
		madvise(m->base + m->released, (size_t)(drop - m->released),
			MADV_DONTNEED);
		m->released = drop;
	}
	return 0;
shrank:
	return source_fail(m->s, -EIO, "the file shrank while it was read "
			   "(truncated by log rotation?): read it again");
}

void source_unmap(struct source_map *m)
{
	if (!m)
		return;
	munmap(m->base, m->map_len);
	atomic_store(&maps[m->slot].end, 0);
	atomic_store(&maps[m->slot].start, 0);
	free(m);
}
