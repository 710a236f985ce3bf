/* proc.c: see proc.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "badness.h"
#include "number.h"
#include "proc.h"
#include "xalloc.h"

/*
 * A small file (status, meminfo) into buf; 0 or -errno, -EINVAL when it
 * is not a regular file.  The tree may be a copy someone else made (risk
 * --proc DIR): a FIFO in place of a file would block open() and read()
 * forever, a device would never end, so the open does not wait
 * (O_NONBLOCK) and only a regular file is read; the files of /proc and
 * of the cgroup tree all are.
 */
static int slurp(const char *path, char *buf, size_t cap)
{
	struct stat sb;
	size_t n = 0;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);

	buf[0] = '\0';
	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return -EINVAL;
	}
	while (n < cap - 1) {
		ssize_t k = read(fd, buf + n, cap - 1 - n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	buf[n] = '\0';
	close(fd);
	return 0;
}

/* The decimal number at s, after blanks, checked as the report parser
 * checks its columns: 1, or 0 when there is none or it does not fit. */
static int num_i64(const char *s, int64_t *ret)
{
	const char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + (*s == '-');
	while (*e >= '0' && *e <= '9')
		e++;
	return num_parse_i64(s, (size_t)(e - s), ret) == 0;
}

static int num_u64(const char *s, uint64_t *ret)
{
	const char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	for (e = s; *e >= '0' && *e <= '9'; e++)
		;
	return num_parse_u64(s, (size_t)(e - s), ret) == 0;
}

/* The line "Key:..." of a status/meminfo text: its value, or NULL. */
static const char *kv_find(const char *text, const char *key)
{
	size_t kl = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (!strncmp(p, key, kl) && p[kl] == ':')
			return p + kl + 1;
	return NULL;
}

/* "Key:   1234 kB": 1 and *ret, 0 when there is no such line, -1 when
 * its value is not a number that fits. */
static int kv_u64(const char *text, const char *key, uint64_t *ret)
{
	const char *v = kv_find(text, key);

	if (!v)
		return 0;
	return num_u64(v, ret) ? 1 : -1;
}

/* The same for a count of kB, in pages: -1 also past BADNESS_MAX_PAGES,
 * a size no machine has (it would overflow the badness sums, or vanish
 * from them unannounced). */
static int kv_pages(const char *text, const char *key, uint64_t page_kb,
		    uint64_t *ret)
{
	uint64_t kb;
	int r = kv_u64(text, key, &kb);

	if (r <= 0)
		return r;
	if (kb / page_kb >= BADNESS_MAX_PAGES)
		return -1;
	*ret = kb / page_kb;
	return 1;
}

static int kv_str(const char *text, const char *key, char *out, size_t cap)
{
	const char *v = kv_find(text, key), *e;

	if (!v)
		return 0;
	while (*v == '\t' || *v == ' ')
		v++;
	e = strchr(v, '\n');
	snprintf(out, cap, "%.*s", (int)(e ? e - v : (ptrdiff_t)strlen(v)), v);
	return 1;
}

/* A file holding one number: 1 and *ret, 0 when it is missing or not a
 * regular file, -1 when it holds no number that fits. */
static int read_num(const char *path, int64_t *ret)
{
	char buf[64];

	if (slurp(path, buf, sizeof(buf)) < 0)
		return 0;
	return num_i64(buf, ret) ? 1 : -1;
}

static int read_i64(const char *path, int64_t *ret)
{
	return read_num(path, ret) > 0;
}

/* The memory cgroup of a process: the v2 "0::" line, else v1 "memory". */
static char *task_cgroup(const char *pid_dir, int *version)
{
	char path[PATH_MAX + 64], buf[4096];
	char *v1 = NULL, *v2 = NULL;

	snprintf(path, sizeof(path), "%s/cgroup", pid_dir);
	if (slurp(path, buf, sizeof(buf)) < 0)
		return NULL;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

		if (!c2)
			continue;
		if (!strncmp(line, "0::", 3))
			v2 = c2 + 1;
		else if ((size_t)(c2 - c1 - 1) == 6 && !strncmp(c1 + 1, "memory", 6))
			v1 = c2 + 1;
	}
	if (v1) {
		*version = 1;
		return xstrdup(v1);
	}
	if (v2 && *version != 1) {
		*version = 2;
		return xstrdup(v2);
	}
	return NULL;
}

/*
 * The fields of /proc/PID/status into t.  Returns 1, 0 for a process
 * without an mm (kernel threads and zombies have no VmRSS: not
 * candidates), -1 when a field holds what no kernel writes: the process
 * is then left out and counted, as the report parser skips a damaged row.
 */
static int parse_status(const char *status, uint64_t page_kb,
			struct oom_task *t)
{
	uint64_t anon = 0, file = 0, shmem = 0, v = 0;
	char uid[64];
	int r, bad = 0;

	r = kv_pages(status, "VmRSS", page_kb, &t->rss);
	if (r == 0)
		return 0;
	bad |= r < 0;
	t->known |= TASK_RSS;
	r = kv_u64(status, "Tgid", &v);
	bad |= r < 0 || (r > 0 && v > INT32_MAX);
	if (r > 0) {
		t->tgid = (int64_t)v;
		t->known |= TASK_TGID;
	}
	if (kv_str(status, "Uid", uid, sizeof(uid))) {
		v = 0;
		bad |= !num_u64(uid, &v) || v > UINT32_MAX;
		t->uid = (int64_t)v;
		t->known |= TASK_UID;
	}
	r = kv_pages(status, "RssAnon", page_kb, &anon);
	bad |= r < 0 || kv_pages(status, "RssFile", page_kb, &file) < 0 ||
	       kv_pages(status, "RssShmem", page_kb, &shmem) < 0;
	if (r > 0) {
		t->rss_anon = anon;
		t->rss_file = file;
		t->rss_shmem = shmem;
		/* the kernel's rss is the sum of its counters */
		t->rss = anon + file + shmem;
		t->known |= TASK_RSS_SPLIT;
		bad |= t->rss >= BADNESS_MAX_PAGES;
	}
	r = kv_pages(status, "VmSwap", page_kb, &t->swapents);
	bad |= r < 0;
	if (r > 0)
		t->known |= TASK_SWAPENTS;
	/* in kB, as bytes: bounded in kB so that the bytes fit */
	r = kv_u64(status, "VmPTE", &v);
	bad |= r < 0 || (r > 0 && v >= BADNESS_MAX_PAGES);
	if (r > 0) {
		t->pgtables_bytes = v * 1024;
		t->known |= TASK_PGTABLES;
	}
	r = kv_pages(status, "VmSize", page_kb, &t->total_vm);
	bad |= r < 0;
	if (r > 0)
		t->known |= TASK_TOTAL_VM;
	return bad ? -1 : 1;
}

static void read_task(struct proc_sample *s, const char *proc,
		      const char *pid_name, uint64_t page_kb)
{
	char dir[PATH_MAX], path[PATH_MAX + 64], status[8192], name[64];
	struct oom_task parsed = { 0 }, *t;
	struct oom_report *r = s->r;
	size_t i;
	int64_t pid = 0, adj, score = 0;
	int ok, got;

	snprintf(dir, sizeof(dir), "%s/%s", proc, pid_name);
	snprintf(path, sizeof(path), "%s/status", dir);
	if (slurp(path, status, sizeof(status)) < 0)
		return;
	ok = parse_status(status, page_kb, &parsed);
	if (ok == 0)
		return;
	snprintf(path, sizeof(path), "%s/oom_score_adj", dir);
	got = read_num(path, &adj);
	if (got < 0)
		ok = -1;
	if (got > 0) {
		/* the badness multiplies by it: out of range is damage */
		if (adj < BADNESS_ADJ_MIN || adj > BADNESS_ADJ_MAX)
			ok = -1;
		parsed.oom_score_adj = adj;
		parsed.known |= TASK_ADJ;
	}
	/* PID_MAX_LIMIT is 2^22 */
	if (num_parse_i64(pid_name, strlen(pid_name), &pid) < 0 || pid > INT32_MAX) {
		pid = 0;
		ok = -1;
	}
	if (ok < 0) {
		if (!s->n_left_out++)
			s->left_out_pid = pid;
		return;
	}
	if (!kv_str(status, "Name", name, sizeof(name)))
		snprintf(name, sizeof(name), "?");
	t = oom_report_add_task(r);
	i = r->n_tasks - 1;
	*t = parsed;
	t->pid = pid;
	t->name = xstrdup(name);
	s->cgroup = xrealloc(s->cgroup, r->n_tasks * sizeof(*s->cgroup));
	s->kernel_score = xrealloc(s->kernel_score,
				   r->n_tasks * sizeof(*s->kernel_score));
	s->has_kernel_score = xrealloc(s->has_kernel_score, r->n_tasks);
	s->cgroup[i] = task_cgroup(dir, &s->cgroup_version);
	snprintf(path, sizeof(path), "%s/oom_score", dir);
	/* 0 to 2000 in every era (E4: adj shifts it by up to 1000) */
	s->has_kernel_score[i] = read_i64(path, &score) && score >= 0 &&
				 score <= 2000;
	s->kernel_score[i] = s->has_kernel_score[i] ? score : 0;
}

static int by_pid(const struct dirent **a, const struct dirent **b)
{
	/* digits only (is_pid), of any length: atol() could overflow */
	const char *x = (*a)->d_name, *y = (*b)->d_name;
	size_t nx, ny;

	while (*x == '0' && x[1])
		x++;
	while (*y == '0' && y[1])
		y++;
	nx = strlen(x);
	ny = strlen(y);
	if (nx != ny)
		return nx < ny ? -1 : 1;
	return strcmp(x, y);
}

static int is_pid(const struct dirent *d)
{
	for (const char *p = d->d_name; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return d->d_name[0] != '\0';
}

/*
 * "max" or a number of bytes, in kB; 0 when unlimited or unreadable.  A
 * size of BADNESS_MAX_PAGES kB or more is past any memory: as a limit it
 * is none (cgroup v1 writes "unlimited" as 2^63 - 4096), as a usage it is
 * unknown, never a "16384 PiB" that overflows the sums made of it.
 */
static int read_limit(const char *dir, const char *file, uint64_t *ret_kb)
{
	char path[PATH_MAX + 64], buf[64];
	uint64_t v;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (slurp(path, buf, sizeof(buf)) < 0 || !strncmp(buf, "max", 3) ||
	    !num_u64(buf, &v) || v / 1024 >= BADNESS_MAX_PAGES)
		return 0;
	*ret_kb = v / 1024;
	return 1;
}

/* The count after "key " in a text (memory.events, vmstat): 1 or 0. */
static int count_after(const char *text, const char *key, uint64_t *ret)
{
	const char *p = strstr(text, key);

	return p && num_u64(p + strlen(key), ret);
}

/* cgroup v1's memory controller: other file names, "unlimited" is a
 * huge number, the OOM counters sit in memory.oom_control. */
static void read_v1_files(const char *dir, struct proc_cgroup *cg)
{
	char path[PATH_MAX + 64], buf[1024];
	uint64_t kb;

	if (read_limit(dir, "memory.usage_in_bytes", &cg->current_kb))
		cg->known |= CG_CURRENT;
	if (read_limit(dir, "memory.limit_in_bytes", &kb) &&
	    kb < MEMCG_UNLIMITED_KB) {
		cg->max_kb = kb;
		cg->known |= CG_MAX;
	}
	if (read_limit(dir, "memory.soft_limit_in_bytes", &kb) &&
	    kb < MEMCG_UNLIMITED_KB) {
		cg->high_kb = kb;
		cg->known |= CG_HIGH;
	}
	if (read_limit(dir, "memory.memsw.limit_in_bytes", &kb) &&
	    kb < MEMCG_UNLIMITED_KB && (cg->known & CG_MAX) && kb >= cg->max_kb) {
		cg->swap_max_kb = kb - cg->max_kb;
		cg->known |= CG_SWAP_MAX;
	}
	snprintf(path, sizeof(path), "%s/memory.oom_control", dir);
	if (slurp(path, buf, sizeof(buf)) == 0) {
		if (count_after(buf, "oom_kill ", &cg->oom_kill))
			cg->known |= CG_EVENTS;
	}
}

static void read_cgroup_dir(struct proc_sample *s, const char *root,
			    const char *rel, int depth, int v1)
{
	char dir[PATH_MAX], path[PATH_MAX + 64], buf[1024];
	struct proc_cgroup cg = { 0 };
	DIR *d;
	struct dirent *e;

	snprintf(dir, sizeof(dir), "%s%s", root, rel);
	if (v1)
		read_v1_files(dir, &cg);
	else if (read_limit(dir, "memory.current", &cg.current_kb))
		cg.known |= CG_CURRENT;
	if (cg.known && v1) {
		cg.path = xstrdup(*rel ? rel : "/");
		s->cgroups = xrealloc(s->cgroups,
				      (s->n_cgroups + 1) * sizeof(*s->cgroups));
		s->cgroups[s->n_cgroups++] = cg;
	} else if (cg.known) {
		if (read_limit(dir, "memory.max", &cg.max_kb))
			cg.known |= CG_MAX;
		if (read_limit(dir, "memory.high", &cg.high_kb))
			cg.known |= CG_HIGH;
		if (read_limit(dir, "memory.swap.max", &cg.swap_max_kb))
			cg.known |= CG_SWAP_MAX;
		if (read_limit(dir, "memory.swap.current", &cg.swap_current_kb))
			cg.known |= CG_SWAP_CURRENT;
		snprintf(path, sizeof(path), "%s/memory.events", dir);
		if (slurp(path, buf, sizeof(buf)) == 0) {
			if (!count_after(buf, "oom ", &cg.oom))
				cg.oom = 0;
			if (!count_after(buf, "oom_kill ", &cg.oom_kill))
				cg.oom_kill = 0;
			cg.known |= CG_EVENTS;
		}
		{
			int64_t g;

			snprintf(path, sizeof(path), "%s/memory.oom.group", dir);
			if (read_i64(path, &g)) {
				cg.oom_group = g != 0;
				cg.known |= CG_OOM_GROUP;
			}
		}
		cg.path = xstrdup(*rel ? rel : "/");
		s->cgroups = xrealloc(s->cgroups,
				      (s->n_cgroups + 1) * sizeof(*s->cgroups));
		s->cgroups[s->n_cgroups++] = cg;
	}
	if (depth > 32 || !(d = opendir(dir)))
		return;
	while ((e = readdir(d))) {
		char sub[PATH_MAX];

		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", rel, e->d_name);
		read_cgroup_dir(s, root, sub, depth + 1, v1);
	}
	closedir(d);
}

static void read_psi(struct proc_sample *s, const char *proc)
{
	char path[PATH_MAX + 64], buf[512];
	const char *some, *full;

	snprintf(path, sizeof(path), "%s/pressure/memory", proc);
	if (slurp(path, buf, sizeof(buf)) < 0)
		return;
	some = strstr(buf, "some ");
	full = strstr(buf, "full ");
	if (some && sscanf(some, "some avg10=%lf avg60=%lf avg300=%lf",
			   &s->psi_some[0], &s->psi_some[1], &s->psi_some[2]) == 3)
		s->has_psi = 1;
	if (full)
		sscanf(full, "full avg10=%lf avg60=%lf avg300=%lf",
		       &s->psi_full[0], &s->psi_full[1], &s->psi_full[2]);
	/* shares of time, in percent: "inf" and "nan" scan as doubles */
	for (int i = 0; i < 3; i++) {
		if (!(s->psi_some[i] >= 0 && s->psi_some[i] <= 100))
			s->has_psi = 0;
		if (!(s->psi_full[i] >= 0 && s->psi_full[i] <= 100))
			s->psi_full[i] = 0;
	}
}

/* A kB count of meminfo, below BADNESS_MAX_PAGES pages: 1 or 0. */
static int kv_kb(const char *text, const char *key, uint64_t page_kb,
		 uint64_t *ret)
{
	uint64_t pages;

	return kv_pages(text, key, page_kb, &pages) > 0 &&
	       kv_u64(text, key, ret) > 0;
}

int proc_sample(const struct proc_opts *o, struct proc_sample **ret,
		char **ret_err)
{
	struct proc_sample *s = xcalloc(1, sizeof(*s));
	struct oom_report *r;
	char path[PATH_MAX + 128], meminfo[8192], buf[256];
	struct dirent **names;
	uint64_t page_kb = o->page_kb, v;
	int n, rc;

	*ret = NULL;
	if (!page_kb)
		page_kb = (uint64_t)sysconf(_SC_PAGESIZE) / 1024;
	snprintf(path, sizeof(path), "%s/meminfo", o->proc);
	rc = slurp(path, meminfo, sizeof(meminfo));
	if (rc < 0) {
		*ret_err = xasprintf("cannot read '%s': %s", path,
				     rc == -EINVAL ? "not a regular file"
						   : strerror(-rc));
		free(s);
		return -ENOENT;
	}
	r = s->r = oom_report_new();
	r->constraint = xstrdup(CONSTRAINT_NONE_NAME);
	r->layout = LAYOUT_RSS_SPLIT;	/* the columns we fill */
	mem_set(r, MEM_PAGE_SIZE_KB, page_kb);
	/* totalram_pages is MemTotal in pages; nothing is reserved on top */
	/* a count past any memory is unknown, as a missing line */
	if (kv_pages(meminfo, "MemTotal", page_kb, &v) > 0) {
		mem_set(r, MEM_RAM_PAGES, v);
		mem_set(r, MEM_RESERVED_PAGES, 0);
	}
	if (kv_kb(meminfo, "SwapTotal", page_kb, &v))
		mem_set(r, MEM_TOTAL_SWAP_KB, v);
	if (kv_kb(meminfo, "SwapFree", page_kb, &v))
		mem_set(r, MEM_FREE_SWAP_KB, v);
	if (kv_pages(meminfo, "MemFree", page_kb, &v) > 0)
		mem_set(r, MEM_FREE, v);
	if (kv_pages(meminfo, "Shmem", page_kb, &v) > 0)
		mem_set(r, MEM_SHMEM, v);
	if (kv_kb(meminfo, "MemAvailable", page_kb, &s->mem_available_kb))
		s->has_mem_available = 1;
	snprintf(path, sizeof(path), "%s/sys/kernel/osrelease", o->proc);
	if (slurp(path, buf, sizeof(buf)) == 0) {
		buf[strcspn(buf, "\n")] = '\0';
		r->kernel_release = xstrdup(buf);
	}
	snprintf(path, sizeof(path), "%s/sys/kernel/hostname", o->proc);
	if (slurp(path, buf, sizeof(buf)) == 0) {
		buf[strcspn(buf, "\n")] = '\0';
		r->host = xstrdup(buf);
	}
	{
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		r->wall_us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
		r->known |= RK_WALL;
	}
	/* for_each_process order is creation order: pids ascend, mostly */
	n = scandir(o->proc, &names, is_pid, by_pid);
	for (int i = 0; i < n; i++) {
		/* the global init is never a candidate, nor in a task dump */
		if (strcmp(names[i]->d_name, "1"))
			read_task(s, o->proc, names[i]->d_name, page_kb);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	read_psi(s, o->proc);
	snprintf(path, sizeof(path), "%s/vmstat", o->proc);
	{
		char *vm = xmalloc(65536);

		if (slurp(path, vm, 65536) == 0) {
			if (count_after(vm, "\noom_kill ", &s->vm_oom_kill))
				s->has_vm_oom_kill = 1;
		}
		free(vm);
	}
	if (o->cgroup) {
		char v1root[PATH_MAX + 64];

		/* v2 has memory.current in its groups; a v1 (or hybrid)
		 * tree has the memory controller in its own directory */
		snprintf(v1root, sizeof(v1root), "%s/memory", o->cgroup);
		snprintf(path, sizeof(path), "%s/memory.usage_in_bytes", v1root);
		if (access(path, R_OK) == 0)
			read_cgroup_dir(s, v1root, "", 0, 1);
		else
			read_cgroup_dir(s, o->cgroup, "", 0, 0);
	}
	*ret = s;
	return 0;
}

void proc_sample_free(struct proc_sample *s)
{
	if (!s)
		return;
	for (size_t i = 0; s->r && i < s->r->n_tasks; i++)
		free(s->cgroup[i]);
	oom_report_free(s->r);
	free(s->cgroup);
	free(s->kernel_score);
	free(s->has_kernel_score);
	for (size_t i = 0; i < s->n_cgroups; i++)
		free(s->cgroups[i].path);
	free(s->cgroups);
	free(s);
}

/* Is task path in group (the group itself or below it)? */
static int in_group(const char *task, const char *group)
{
	size_t n = strlen(group);

	if (!task)
		return 0;
	if (!strcmp(group, "/"))
		return 1;
	return !strncmp(task, group, n) && (task[n] == '\0' || task[n] == '/');
}

struct oom_report *proc_memcg_report(const struct proc_sample *s,
				     const struct proc_cgroup *cg)
{
	struct oom_report *r;

	if (!(cg->known & CG_MAX))
		return NULL;
	r = oom_report_new();
	r->constraint = xstrdup(CONSTRAINT_MEMCG_NAME);
	r->oom_memcg = xstrdup(cg->path);
	r->layout = s->r->layout;
	r->kernel_release = s->r->kernel_release ? xstrdup(s->r->kernel_release)
						 : NULL;
	mem_set(r, MEM_PAGE_SIZE_KB, s->r->mem[MEM_PAGE_SIZE_KB]);
	/* the host's swap bounds what the group may swap (§3.6) */
	if (mem_has(s->r, MEM_TOTAL_SWAP_KB))
		mem_set(r, MEM_TOTAL_SWAP_KB, s->r->mem[MEM_TOTAL_SWAP_KB]);
	r->memcg[MEMCG_MEMORY] = (struct memcg_usage){
		1, cg->current_kb, cg->max_kb, 0 };
	r->memcg[MEMCG_SWAP] = (struct memcg_usage){
		1, cg->swap_current_kb,
		cg->known & CG_SWAP_MAX ? cg->swap_max_kb : MEMCG_UNLIMITED_KB, 0 };
	for (size_t i = 0; i < s->r->n_tasks; i++) {
		struct oom_task *t;

		if (!in_group(s->cgroup[i], cg->path))
			continue;
		t = oom_report_add_task(r);
		*t = s->r->tasks[i];
		t->name = xstrdup(s->r->tasks[i].name);
	}
	return r;
}
