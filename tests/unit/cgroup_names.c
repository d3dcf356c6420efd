// SPDX-License-Identifier: GPL-2.0
/*
 * Container names from cgroup paths (userspace/cgroup.c): the path shapes
 * of the kubelet (systemd and cgroupfs drivers, every QoS class), docker,
 * containerd, CRI-O and podman, systemd services and user scopes, on the
 * v2 and the v1 memory hierarchy (same layout below the mount).
 */
#include <string.h>

#include "cgroup.h"
#include "tap.h"

#define ID "0f3e8c1d2b4a59687766554433221100ffeeddccbbaa99887766554433221100"
#define UID "8f0b7a4c-2d1e-4b7a-9c3d-1a2b3c4d5e6f"
#define UID_ "8f0b7a4c_2d1e_4b7a_9c3d_1a2b3c4d5e6f"

struct tcase {
	const char *path, *pod, *qos, *runtime, *id, *unit, *str;
};

static const struct tcase cases[] = {
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
	  ".slice/cri-containerd-" ID ".scope",
	  UID, "burstable", "containerd", ID, "cri-containerd-" ID ".scope",
	  "pod=" UID " qos=burstable container=containerd:0f3e8c1d2b4a" },
	{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_
	  ".slice/crio-" ID ".scope",
	  UID, "besteffort", "cri-o", ID, "crio-" ID ".scope", NULL },
	{ "/kubepods.slice/kubepods-pod" UID_ ".slice/crio-" ID ".scope",
	  UID, "guaranteed", "cri-o", ID, NULL, NULL },
	{ "/kubepods.slice/kubepods-pod" UID_ ".slice/docker-" ID ".scope",
	  UID, "guaranteed", "docker", ID, NULL, NULL },
	/* cgroupfs driver: the runtime is not in the path */
	{ "/kubepods/burstable/pod" UID "/" ID, UID, "burstable", "", ID, "", NULL },
	{ "/kubepods/besteffort/pod" UID "/" ID, UID, "besteffort", "", ID, "", NULL },
	{ "/kubepods/pod" UID "/" ID, UID, "guaranteed", "", ID, "",
	  "pod=" UID " qos=guaranteed container=0f3e8c1d2b4a" },
	/* a pod's own cgroup, and a QoS class cgroup */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_ ".slice",
	  UID, "burstable", "", "", "", "pod=" UID " qos=burstable" },
	{ "/kubepods.slice/kubepods-besteffort.slice", "", "besteffort", "", "", "",
	  "qos=besteffort" },
	{ "/kubepods/besteffort", "", "besteffort", "", "", "", NULL },
	/* static pod: the UID is a 32-digit config hash */
	{ "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod"
	  "0123456789abcdef0123456789abcdef.slice/cri-containerd-" ID ".scope",
	  "0123456789abcdef0123456789abcdef", "burstable", "containerd", ID, NULL, NULL },
	/* docker alone: systemd and cgroupfs drivers */
	{ "/system.slice/docker-" ID ".scope", "", "", "docker", ID, "docker-" ID ".scope",
	  "container=docker:0f3e8c1d2b4a" },
	{ "/docker/" ID, "", "", "docker", ID, "", NULL },
	/* containerd's own namespace (nerdctl, cgroupfs) */
	{ "/k8s.io/" ID, "", "", "", ID, "", NULL },
	/* podman: the container's scope and its inner cgroup (v2) */
	{ "/machine.slice/libpod-" ID ".scope/container", "", "", "podman", ID,
	  "libpod-" ID ".scope", NULL },
	{ "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID ".scope",
	  "", "", "podman", ID, NULL, NULL },
	/* systemd services and scopes */
	{ "/system.slice/nginx.service", "", "", "", "", "nginx.service",
	  "unit=nginx.service" },
	{ "/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-firefox-4242.scope",
	  "", "", "", "", "app-gnome-firefox-4242.scope", NULL },
	{ "/system.slice/system-getty.slice/getty@tty1.service", "", "", "", "",
	  "getty@tty1.service", NULL },
	/* nothing to name; look-alikes that are not */
	{ "/", "", "", "", "", "", "" },
	{ "-", "", "", "", "", "", "" },
	{ "/system.slice/docker-abc123.scope", "", "", "", "", "docker-abc123.scope", NULL },
	{ "/kubepods-not/pod" UID "/" ID, "", "", "", ID, "", NULL },
	{ "/mygroup/podcast", "", "", "", "", "", "" },
};

int main(void)
{
	printf("1..%zu\n", sizeof(cases) / sizeof(cases[0]) + 6);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcase *t = &cases[i];
		struct od_container c;
		char s[512];
		bool good;

		cg_container(t->path, &c);
		cg_container_str(&c, s, sizeof(s));
		good = !strcmp(c.pod_uid, t->pod) && !strcmp(c.qos, t->qos) &&
		       !strcmp(c.runtime, t->runtime) && !strcmp(c.id, t->id) &&
		       (!t->unit || !strcmp(c.unit, t->unit)) && (!t->str || !strcmp(s, t->str));
		ok(good, "%.60s%s -> %s", t->path, strlen(t->path) > 60 ? "..." : "", s);
		if (!good)
			printf("# pod '%s' qos '%s' runtime '%s' id '%s' unit '%s'\n", c.pod_uid,
			       c.qos, c.runtime, c.id, c.unit);
	}
	ok(cg_in_subtree("/a/b", "/a"), "/a/b is in /a");
	ok(cg_in_subtree("/a", "/a"), "/a is in /a");
	ok(!cg_in_subtree("/ab", "/a"), "/ab is not in /a");
	ok(cg_in_subtree("/ab", "/"), "everything is in /");
	ok(!cg_in_subtree("-", "/"), "no memcg ('-') is in no domain");
	{
		struct od_container c;
		char s[16];

		cg_container("/kubepods/pod" UID "/" ID, &c);
		cg_container_str(&c, s, sizeof(s));
		ok(strlen(s) < sizeof(s), "a short buffer is cut, not overrun ('%s')", s);
	}
	return failed ? 1 : 0;
}
