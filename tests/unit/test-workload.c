/* test-workload.c: cgroup paths to units, containers and pods, for
 * systemd, docker, containerd and CRI-O on Kubernetes, cgroup v1 and v2
 * layouts, LXC, and paths that name nothing. */
#include <string.h>

#include "check.h"
#include "workload.h"

#define CID "0a09e1d7aadf6722ab2b7eca73a8fd580807c3f9c7261c96d4466419bc980537"
#define POD_U "6f1c2d3e_4a5b_4c6d_8e9f_0a1b2c3d4e5f"
#define POD "6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"

static void expect(const char *path, const char *unit, const char *cid,
		   const char *runtime, const char *pod, const char *qos,
		   int64_t uid)
{
	struct workload w;
	int found = workload_from_cgroup(path, &w);

	CHECK(found == (unit || cid || pod || uid >= 0), "found for %s", path);
	CHECK_STR(w.unit, unit ? unit : "");
	CHECK_STR(w.container_id, cid ? cid : "");
	CHECK(runtime ? w.runtime && !strcmp(w.runtime, runtime) : !w.runtime,
	      "runtime of %s: %s", path, w.runtime ? w.runtime : "(none)");
	CHECK_STR(w.pod_uid, pod ? pod : "");
	CHECK(qos ? w.qos && !strcmp(w.qos, qos) : !w.qos, "qos of %s: %s",
	      path, w.qos ? w.qos : "(none)");
	CHECK_EQ(w.uid, uid);
}

int main(void)
{
	/* systemd services, sessions, user apps (cgroup v2, and the v1
	 * memory controller's same names) */
	expect("/system.slice/postgresql.service", "postgresql.service", NULL,
	       NULL, NULL, NULL, -1);
	expect("/system.slice/system-postgresql.slice/postgresql@16-main.service",
	       "postgresql@16-main.service", NULL, NULL, NULL, NULL, -1);
	expect("/user.slice/user-1000.slice/session-4.scope", "session-4.scope",
	       NULL, NULL, NULL, NULL, 1000);
	expect("/user.slice/user-1000.slice/user@1000.service/app.slice/app-org.chromium.Chromium-4242.scope",
	       "app-org.chromium.Chromium-4242.scope", NULL, NULL, NULL, NULL,
	       1000);
	/* docker: systemd driver, cgroupfs driver (v1 and v2 alike) */
	expect("/system.slice/docker-" CID ".scope", NULL, CID, "docker", NULL,
	       NULL, -1);
	expect("/docker/" CID, NULL, CID, "docker", NULL, NULL, -1);
	/* podman */
	expect("/machine.slice/libpod-" CID ".scope", NULL, CID, "podman",
	       NULL, NULL, -1);
	/* Kubernetes, systemd driver (v2): containerd, CRI-O, guaranteed */
	expect("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
	       POD_U ".slice/cri-containerd-" CID ".scope", NULL, CID,
	       "containerd", POD, "burstable", -1);
	expect("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
	       POD_U ".slice/crio-" CID ".scope", NULL, CID, "cri-o", POD,
	       "besteffort", -1);
	expect("/kubepods.slice/kubepods-pod" POD_U ".slice/cri-containerd-" CID
	       ".scope", NULL, CID, "containerd", POD, "guaranteed", -1);
	/* the pod's own memcg, over its limit (oom_memcg=) */
	expect("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
	       POD_U ".slice", NULL, NULL, NULL, POD, "burstable", -1);
	/* Kubernetes, cgroupfs driver (v1): the runtime is not in the path */
	expect("/kubepods/burstable/pod" POD "/" CID, NULL, CID, NULL, POD,
	       "burstable", -1);
	expect("/kubepods/pod" POD "/" CID, NULL, CID, NULL, POD, "guaranteed",
	       -1);
	expect("/kubepods/besteffort/pod" POD, NULL, NULL, NULL, POD,
	       "besteffort", -1);
	/* LXC (Proxmox), v2 and v1 */
	expect("/lxc.payload.101", NULL, "101", "lxc", NULL, NULL, -1);
	expect("/lxc/101/ns/system.slice/nginx.service", "nginx.service", "101",
	       "lxc", NULL, NULL, -1);
	/* nothing to name */
	expect("/", NULL, NULL, NULL, NULL, NULL, -1);
	expect(NULL, NULL, NULL, NULL, NULL, NULL, -1);
	expect("/system.slice", NULL, NULL, NULL, NULL, NULL, -1);
	/* look-alikes: not a pod outside kubepods, not a container id
	 * unless 64 hex, not a uid past 10 digits */
	expect("/pod" POD, NULL, NULL, NULL, NULL, NULL, -1);
	expect("/docker/" "0a09e1d7aadf", NULL, NULL, NULL, NULL, NULL, -1);
	expect("/system.slice/docker-xyz.scope", "docker-xyz.scope", NULL, NULL,
	       NULL, NULL, -1);
	expect("/user.slice/user-99999999999999.slice", NULL, NULL, NULL, NULL,
	       NULL, -1);
	return check_done("test-workload");
}
