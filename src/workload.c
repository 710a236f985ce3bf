/* workload.c: see workload.h. */
#include <string.h>

#include "workload.h"

struct comp {
	const char *s;
	size_t n;
};

static int has_prefix(struct comp c, const char *p)
{
	size_t n = strlen(p);

	return c.n >= n && !memcmp(c.s, p, n);
}

static int has_suffix(struct comp c, const char *p)
{
	size_t n = strlen(p);

	return c.n >= n && !memcmp(c.s + c.n - n, p, n);
}

static int is(struct comp c, const char *p)
{
	return c.n == strlen(p) && !memcmp(c.s, p, c.n);
}

static int all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	return n > 0;
}

static void copy(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* "<prefix><64hex>.scope": a container's scope under the systemd driver. */
static const struct {
	const char *prefix;
	const char *runtime;
} scopes[] = {
	{ "cri-containerd-", "containerd" },
	{ "crio-", "cri-o" },
	{ "docker-", "docker" },
	{ "libpod-", "podman" },
};

static int container_scope(struct comp c, struct workload *w)
{
	if (!has_suffix(c, ".scope"))
		return 0;
	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		size_t pl = strlen(scopes[i].prefix), idl;

		if (!has_prefix(c, scopes[i].prefix))
			continue;
		idl = c.n - pl - strlen(".scope");
		if (idl < 12 || idl > 64 || !all_hex(c.s + pl, idl))
			continue;
		copy(w->container_id, sizeof(w->container_id), c.s + pl, idl);
		w->runtime = scopes[i].runtime;
		return 1;
	}
	return 0;
}

/* A pod uid as Kubernetes prints it: 8-4-4-4-12 hex; the systemd driver
 * writes its dashes as underscores. */
static int pod_uid(const char *s, size_t n, struct workload *w)
{
	char uid[sizeof(w->pod_uid)];

	if (n != 36)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i] == '_' ? '-' : s[i];
		int dash = i == 8 || i == 13 || i == 18 || i == 23;

		if (dash ? ch != '-' : !all_hex(&ch, 1))
			return 0;
		uid[i] = ch;
	}
	uid[n] = '\0';
	memcpy(w->pod_uid, uid, n + 1);
	return 1;
}

static const char *qos_name(struct comp c)
{
	if (has_prefix(c, "burstable"))
		return "burstable";
	if (has_prefix(c, "besteffort"))
		return "besteffort";
	return NULL;
}

/* "kubepods-<qos>.slice", "kubepods-<qos>-pod<uid>.slice" or
 * "kubepods-pod<uid>.slice" (systemd driver). */
static void kubepods_slice(struct comp c, struct workload *w)
{
	struct comp rest = { c.s + 9, c.n - 9 - 6 };	/* "kubepods-", ".slice" */
	const char *q = qos_name(rest);
	const char *pod;

	if (q) {
		w->qos = q;
		rest.s += strlen(q);
		rest.n -= strlen(q);
		if (rest.n && rest.s[0] == '-') {
			rest.s++;
			rest.n--;
		}
	}
	pod = has_prefix(rest, "pod") ? rest.s + 3 : NULL;
	if (pod)
		pod_uid(pod, rest.n - 3, w);
}

int workload_from_cgroup(const char *path, struct workload *w)
{
	struct comp prev = { "", 0 };
	int k8s = 0, found = 0;

	memset(w, 0, sizeof(*w));
	w->uid = -1;
	if (!path)
		return 0;
	for (const char *p = path; *p;) {
		struct comp c;
		const char *slash;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		slash = strchr(p, '/');
		c.s = p;
		c.n = slash ? (size_t)(slash - p) : strlen(p);
		p += c.n;

		if (is(c, "kubepods") || is(c, "kubepods.slice")) {
			k8s = 1;
		} else if (k8s && has_prefix(c, "kubepods-") &&
			   has_suffix(c, ".slice") && c.n > 15) {
			kubepods_slice(c, w);
		} else if (k8s && (is(c, "burstable") || is(c, "besteffort"))) {
			w->qos = qos_name(c);
		} else if (k8s && has_prefix(c, "pod") && pod_uid(c.s + 3, c.n - 3, w)) {
			/* cgroupfs driver: pod<uid> */
		} else if (container_scope(c, w)) {
			/* the runtime is in the scope's name */
		} else if (c.n == 64 && all_hex(c.s, c.n)) {
			/* cgroupfs: the id alone; docker's parent names it */
			copy(w->container_id, sizeof(w->container_id), c.s, c.n);
			w->runtime = is(prev, "docker") ? "docker" : NULL;
		} else if (has_prefix(c, "lxc.payload.") && c.n > 12) {
			copy(w->container_id, sizeof(w->container_id), c.s + 12,
			     c.n - 12);
			w->runtime = "lxc";
		} else if (is(prev, "lxc") && !w->container_id[0]) {
			copy(w->container_id, sizeof(w->container_id), c.s, c.n);
			w->runtime = "lxc";
		} else if (has_prefix(c, "user-") && has_suffix(c, ".slice")) {
			int64_t uid = 0;
			size_t i;

			for (i = 5; i < c.n - 6 && c.s[i] >= '0' && c.s[i] <= '9'; i++)
				uid = uid * 10 + (c.s[i] - '0');
			if (i == c.n - 6 && i > 5 && i < 15)
				w->uid = uid;
		} else if (has_suffix(c, ".service") || has_suffix(c, ".scope")) {
			copy(w->unit, sizeof(w->unit), c.s, c.n);
		}
		prev = c;
	}
	if (w->pod_uid[0] && !w->qos)
		w->qos = "guaranteed";	/* guaranteed pods lack the level */
	found = w->unit[0] || w->container_id[0] || w->pod_uid[0] || w->uid >= 0;
	return found;
}

const char *workload_unit(const char *path, size_t *ret_len)
{
	static const char *const suffixes[] = { ".service", ".scope" };
	const char *end, *start;

	if (!path)
		return NULL;
	end = path + strlen(path);
	/* the innermost service or scope names what a person knows */
	while (end > path) {
		start = end;
		while (start > path && start[-1] != '/')
			start--;
		for (size_t i = 0; i < 2; i++) {
			size_t sl = strlen(suffixes[i]);

			if ((size_t)(end - start) > sl &&
			    !memcmp(end - sl, suffixes[i], sl)) {
				*ret_len = (size_t)(end - start);
				return start;
			}
		}
		end = start > path ? start - 1 : path;
	}
	return NULL;
}
