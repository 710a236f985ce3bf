/* proc.c: see proc.h. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"
#include "xalloc.h"

/* A small file (status, meminfo) into buf; 0 or -errno. */
static int slurp(const char *path, char *buf, size_t cap)
{
	FILE *fp = fopen(path, "re");
	size_t n;

	if (!fp)
		return -errno;
	n = fread(buf, 1, cap - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return 0;
}

/* "Key:   1234 kB" in a status/meminfo text. */
static int kv_u64(const char *text, const char *key, uint64_t *ret)
{
	size_t kl = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (!strncmp(p, key, kl) && p[kl] == ':') {
			char *end;
			unsigned long long v = strtoull(p + kl + 1, &end, 10);

			if (end == p + kl + 1)
				return 0;
			*ret = v;
			return 1;
		}
	return 0;
}

static int kv_str(const char *text, const char *key, char *out, size_t cap)
{
	size_t kl = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (!strncmp(p, key, kl) && p[kl] == ':') {
			const char *v = p + kl + 1, *e;

			while (*v == '\t' || *v == ' ')
				v++;
			e = strchr(v, '\n');
			snprintf(out, cap, "%.*s", (int)(e ? e - v : (ptrdiff_t)strlen(v)), v);
			return 1;
		}
	return 0;
}

static int read_i64(const char *path, int64_t *ret)
{
	char buf[64];
	char *end;

	if (slurp(path, buf, sizeof(buf)) < 0)
		return 0;
	*ret = strtoll(buf, &end, 10);
	return end != buf;
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

static void read_task(struct proc_sample *s, const char *proc,
		      const char *pid_name, uint64_t page_kb)
{
	char dir[PATH_MAX], path[PATH_MAX + 64], status[8192], name[64];
	uint64_t rss, anon = 0, file = 0, shmem = 0, swap = 0, pte = 0, v;
	struct oom_task *t;
	struct oom_report *r = s->r;
	size_t i;
	int64_t adj, score = 0;

	snprintf(dir, sizeof(dir), "%s/%s", proc, pid_name);
	snprintf(path, sizeof(path), "%s/status", dir);
	/* kernel threads and zombies have no VmRSS: not candidates */
	if (slurp(path, status, sizeof(status)) < 0 ||
	    !kv_u64(status, "VmRSS", &rss))
		return;
	if (!kv_str(status, "Name", name, sizeof(name)))
		snprintf(name, sizeof(name), "?");
	t = oom_report_add_task(r);
	i = r->n_tasks - 1;
	t->pid = strtoll(pid_name, NULL, 10);
	t->name = xstrdup(name);
	if (kv_u64(status, "Tgid", &v)) {
		t->tgid = (int64_t)v;
		t->known |= TASK_TGID;
	}
	{
		char uid[64];

		if (kv_str(status, "Uid", uid, sizeof(uid))) {
			t->uid = strtoll(uid, NULL, 10);
			t->known |= TASK_UID;
		}
	}
	kv_u64(status, "RssAnon", &anon);
	kv_u64(status, "RssFile", &file);
	kv_u64(status, "RssShmem", &shmem);
	t->rss = rss / page_kb;
	t->known |= TASK_RSS;
	if (kv_u64(status, "RssAnon", &anon)) {
		t->rss_anon = anon / page_kb;
		t->rss_file = file / page_kb;
		t->rss_shmem = shmem / page_kb;
		/* the kernel's rss is the sum of its counters */
		t->rss = t->rss_anon + t->rss_file + t->rss_shmem;
		t->known |= TASK_RSS_SPLIT;
	}
	if (kv_u64(status, "VmSwap", &swap)) {
		t->swapents = swap / page_kb;
		t->known |= TASK_SWAPENTS;
	}
	if (kv_u64(status, "VmPTE", &pte)) {
		t->pgtables_bytes = pte * 1024;
		t->known |= TASK_PGTABLES;
	}
	if (kv_u64(status, "VmSize", &v)) {
		t->total_vm = v / page_kb;
		t->known |= TASK_TOTAL_VM;
	}
	snprintf(path, sizeof(path), "%s/oom_score_adj", dir);
	if (read_i64(path, &adj)) {
		t->oom_score_adj = adj;
		t->known |= TASK_ADJ;
	}
	s->cgroup = xrealloc(s->cgroup, r->n_tasks * sizeof(*s->cgroup));
	s->kernel_score = xrealloc(s->kernel_score,
				   r->n_tasks * sizeof(*s->kernel_score));
	s->has_kernel_score = xrealloc(s->has_kernel_score, r->n_tasks);
	s->cgroup[i] = task_cgroup(dir, &s->cgroup_version);
	snprintf(path, sizeof(path), "%s/oom_score", dir);
	s->has_kernel_score[i] = (unsigned char)read_i64(path, &score);
	s->kernel_score[i] = s->has_kernel_score[i] ? score : 0;
}

static int by_pid(const struct dirent **a, const struct dirent **b)
{
	long x = atol((*a)->d_name), y = atol((*b)->d_name);

	return (x > y) - (x < y);
}

static int is_pid(const struct dirent *d)
{
	for (const char *p = d->d_name; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return d->d_name[0] != '\0';
}

/* "max" or a number of bytes, in kB; 0 when unlimited or unreadable. */
static int read_limit(const char *dir, const char *file, uint64_t *ret_kb)
{
	char path[PATH_MAX + 64], buf[64];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (slurp(path, buf, sizeof(buf)) < 0 || !strncmp(buf, "max", 3))
		return 0;
	*ret_kb = strtoull(buf, NULL, 10) / 1024;
	return 1;
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
		char *q = strstr(buf, "oom_kill ");

		if (q) {
			cg->oom_kill = strtoull(q + 9, NULL, 10);
			cg->known |= CG_EVENTS;
		}
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
			char *p = strstr(buf, "oom "), *q = strstr(buf, "oom_kill ");

			if (p)
				cg.oom = strtoull(p + 4, NULL, 10);
			if (q)
				cg.oom_kill = strtoull(q + 9, NULL, 10);
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
}

int proc_sample(const struct proc_opts *o, struct proc_sample **ret,
		char **ret_err)
{
	struct proc_sample *s = xcalloc(1, sizeof(*s));
	struct oom_report *r;
	char path[PATH_MAX + 128], meminfo[8192], buf[256];
	struct dirent **names;
	uint64_t page_kb = o->page_kb, v;
	int n;

	*ret = NULL;
	if (!page_kb)
		page_kb = (uint64_t)sysconf(_SC_PAGESIZE) / 1024;
	snprintf(path, sizeof(path), "%s/meminfo", o->proc);
	if (slurp(path, meminfo, sizeof(meminfo)) < 0) {
		*ret_err = xasprintf("cannot read '%s': %s", path, strerror(errno));
		free(s);
		return -ENOENT;
	}
	r = s->r = oom_report_new();
	r->constraint = xstrdup(CONSTRAINT_NONE_NAME);
	r->layout = LAYOUT_RSS_SPLIT;	/* the columns we fill */
	mem_set(r, MEM_PAGE_SIZE_KB, page_kb);
	/* totalram_pages is MemTotal in pages; nothing is reserved on top */
	if (kv_u64(meminfo, "MemTotal", &v)) {
		mem_set(r, MEM_RAM_PAGES, v / page_kb);
		mem_set(r, MEM_RESERVED_PAGES, 0);
	}
	if (kv_u64(meminfo, "SwapTotal", &v))
		mem_set(r, MEM_TOTAL_SWAP_KB, v);
	if (kv_u64(meminfo, "SwapFree", &v))
		mem_set(r, MEM_FREE_SWAP_KB, v);
	if (kv_u64(meminfo, "MemFree", &v))
		mem_set(r, MEM_FREE, v / page_kb);
	if (kv_u64(meminfo, "Shmem", &v))
		mem_set(r, MEM_SHMEM, v / page_kb);
	if (kv_u64(meminfo, "MemAvailable", &s->mem_available_kb))
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
			char *p = strstr(vm, "\noom_kill ");

			if (p) {
				s->vm_oom_kill = strtoull(p + 10, NULL, 10);
				s->has_vm_oom_kill = 1;
			}
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
