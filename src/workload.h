/*
 * workload.h: what a person knows a cgroup path as.
 *
 * The kernel names the victim's memory cgroup (task_memcg=, "Task in"),
 * systemd-oomd the cgroup it killed.  People know them as a systemd unit,
 * a container, a Kubernetes pod.  These are naming conventions, not kernel
 * facts (reference §4.7):
 *
 *   /system.slice/postgresql.service                  unit
 *   /user.slice/user-1000.slice/session-4.scope      unit, uid
 *   /system.slice/docker-<64hex>.scope               docker container
 *   /docker/<64hex>                                   docker (cgroupfs)
 *   /kubepods.slice/kubepods-burstable.slice/
 *     kubepods-burstable-pod<uid_with_underscores>.slice/
 *     cri-containerd-<64hex>.scope                    pod, QoS, container
 *   /kubepods/burstable/pod<uid>/<64hex>              the same, cgroupfs
 *   /kubepods.slice/kubepods-pod<uid>.slice/...       a guaranteed pod
 *   /lxc.payload.101, /lxc/101                        an LXC container
 *
 * Nothing is guessed beyond them: a field the path does not show is empty.
 */
#ifndef OOMLENS_WORKLOAD_H
#define OOMLENS_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#define WORKLOAD_ID_MAX 65	/* a 64-hex container id and its NUL */

struct workload {
	char unit[256];		/* the last .service or .scope component */
	char container_id[WORKLOAD_ID_MAX];	/* hex, or an LXC name */
	const char *runtime;	/* "containerd", "cri-o", "docker",
				 * "podman", "lxc"; NULL when not shown */
	char pod_uid[40];	/* with dashes, as Kubernetes prints it */
	const char *qos;	/* "guaranteed", "burstable", "besteffort" */
	int64_t uid;		/* from user-UID.slice; -1 when not shown */
};

/* Read path (NULL allowed).  Returns 1 when anything was recognised. */
int workload_from_cgroup(const char *path, struct workload *w);

/* "postgresql.service" from ".../system.slice/postgresql.service": the
 * innermost .service or .scope of path, container scopes included (unlike
 * struct workload's unit); NULL when it names none.  Points into path. */
const char *workload_unit(const char *path, size_t *ret_len);

#endif
