// SPDX-License-Identifier: GPL-2.0
/* Memory cgroups as OOM domains and the containers they hold, see cgroup.h. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "modevents.h"
#include "sysmem.h"
#include "util.h"

/* ---- container names from a path ---- */

static bool all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

/* "<prefix><64 hex><suffix>" exactly: the id into @id. */
static bool id_between(const char *c, size_t n, const char *prefix, const char *suffix,
		       char *id, size_t idlen)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);

	if (n != pl + 64 + sl || strncmp(c, prefix, pl) || strncmp(c + pl + 64, suffix, sl))
		return false;
	if (!all_hex(c + pl, 64))
		return false;
	snprintf(id, idlen, "%.64s", c + pl);
	return true;
}

/*
 * A pod UID as the kubelet writes it: 36 characters 8-4-4-4-12 (the systemd
 * driver escapes '-' as '_'), or 32 hex digits (static pods: a config hash).
 * Into @uid with dashes.
 */
static bool pod_uid(const char *s, size_t n, char *uid, size_t len)
{
	char u[40];

	if (n == 32 && all_hex(s, 32)) {
		snprintf(uid, len, "%.32s", s);
		return true;
	}
	if (n != 36)
		return false;
	for (size_t i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		char ch = s[i];

		if (dash ? ch != '-' && ch != '_' : !isxdigit((unsigned char)ch))
			return false;
		u[i] = dash ? '-' : ch;
	}
	u[36] = '\0';
	snprintf(uid, len, "%s", u);
	return true;
}

static bool ends_with(const char *c, size_t n, const char *suffix)
{
	size_t sl = strlen(suffix);

	return n >= sl && !strncmp(c + n - sl, suffix, sl);
}

static void set_qos(struct od_container *k, const char *q, size_t n)
{
	if (n == 9 && !strncmp(q, "burstable", 9))
		snprintf(k->qos, sizeof(k->qos), "burstable");
	else if (n == 10 && !strncmp(q, "besteffort", 10))
		snprintf(k->qos, sizeof(k->qos), "besteffort");
}

/* One path component @c (@n bytes) whose parent is @parent (@pn bytes). */
static void component(struct od_container *k, const char *c, size_t n, const char *parent,
		      size_t pn)
{
	static const struct {
		const char *prefix, *suffix, *runtime;
	} scopes[] = {
		{ "docker-", ".scope", "docker" },
		{ "cri-containerd-", ".scope", "containerd" },
		{ "crio-conmon-", ".scope", "cri-o" },
		{ "crio-", ".scope", "cri-o" },
		{ "crio-", "", "cri-o" },
		{ "libpod-conmon-", ".scope", "podman" },
		{ "libpod-", ".scope", "podman" },
		{ "libpod-", "", "podman" },
	};
	char id[72];

	if (ends_with(c, n, ".service") || ends_with(c, n, ".scope"))
		snprintf(k->unit, sizeof(k->unit), "%.*s", (int)n, c);
	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		if (id_between(c, n, scopes[i].prefix, scopes[i].suffix, id, sizeof(id))) {
			snprintf(k->id, sizeof(k->id), "%s", id);
			snprintf(k->runtime, sizeof(k->runtime), "%s", scopes[i].runtime);
			return;
		}
	}
	/* cgroupfs driver: the bare id under docker/, a pod, or a namespace. */
	if (n == 64 && all_hex(c, 64)) {
		snprintf(k->id, sizeof(k->id), "%.64s", c);
		if (pn == 6 && !strncmp(parent, "docker", 6))
			snprintf(k->runtime, sizeof(k->runtime), "docker");
		else if (k->pod_uid[0] || (pn == 6 && !strncmp(parent, "k8s.io", 6)))
			k->runtime[0] = '\0';	/* the kubelet's runtime: not in the path */
		return;
	}
	/* systemd driver: kubepods[-QOS]-pod<UID>.slice, kubepods-QOS.slice */
	if (!strncmp(c, "kubepods", 8) && ends_with(c, n, ".slice")) {
		const char *s = c + 8, *e = c + n - 6;
		const char *pod = NULL;

		for (const char *p = s; p + 4 <= e; p++)
			if (!strncmp(p, "-pod", 4)) {
				pod = p;
				break;
			}
		if (!k->qos[0])
			snprintf(k->qos, sizeof(k->qos), "guaranteed");
		if (pod) {
			if (pod > s + 1)
				set_qos(k, s + 1, (size_t)(pod - s - 1));
			pod_uid(pod + 4, (size_t)(e - pod - 4), k->pod_uid, sizeof(k->pod_uid));
		} else if (e > s + 1) {
			set_qos(k, s + 1, (size_t)(e - s - 1));
		}
		return;
	}
	/* cgroupfs driver: kubepods/[burstable|besteffort/]pod<UID> */
	if (pn == 8 && !strncmp(parent, "kubepods", 8)) {
		snprintf(k->qos, sizeof(k->qos), "guaranteed");
		set_qos(k, c, n);
	}
	if (n > 3 && !strncmp(c, "pod", 3) && k->qos[0])
		pod_uid(c + 3, n - 3, k->pod_uid, sizeof(k->pod_uid));
}

void cg_container(const char *path, struct od_container *k)
{
	const char *c = path, *parent = "";
	size_t pn = 0;

	memset(k, 0, sizeof(*k));
	while (*c) {
		size_t n;

		while (*c == '/')
			c++;
		n = strcspn(c, "/");
		if (!n)
			break;
		component(k, c, n, parent, pn);
		parent = c;
		pn = n;
		c += n;
	}
}

char *cg_container_str(const struct od_container *k, char *buf, size_t len)
{
	struct sbuf sb;

	sbuf_init_fixed(&sb, buf, len);
	buf[0] = '\0';
	if (k->pod_uid[0])
		sbuf_printf(&sb, "pod=%s ", k->pod_uid);
	if (k->qos[0])
		sbuf_printf(&sb, "qos=%s ", k->qos);
	if (k->id[0])
		sbuf_printf(&sb, "container=%s%s%.12s ", k->runtime, k->runtime[0] ? ":" : "",
			    k->id);
	else if (k->unit[0])
		sbuf_printf(&sb, "unit=%s ", k->unit);
	if (sb.len && buf[sb.len - 1] == ' ')
		buf[sb.len - 1] = '\0';
	return buf;
}

/* ---- the memory hierarchy ---- */

/* mountinfo's octal escapes (\040 for a space) in place. */
static void unescape_octal(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

struct hierarchy {
	char mount[PATH_MAX];
	bool v1;
};

/* The hierarchy controller @ctrl ("memory", "cpuset") is on; 0 or -errno. */
static int ctrl_hierarchy(const char *ctrl, struct hierarchy *h, char *err, size_t errlen)
{
	char *text = read_file("/proc/self/mountinfo", NULL), *line, *save = NULL;
	char v2[PATH_MAX] = "";

	memset(h, 0, sizeof(*h));
	if (!text) {
		int e = errno;

		snprintf(err, errlen, "cannot read /proc/self/mountinfo: %s", strerror(e));
		return -e;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char mnt[PATH_MAX], fstype[64], opts[1024];
		const char *sep = strstr(line, " - ");

		if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
		    sscanf(sep + 3, "%63s %*s %1023s", fstype, opts) != 2)
			continue;
		unescape_octal(mnt);
		if (!strcmp(fstype, "cgroup2") && !v2[0]) {
			snprintf(v2, sizeof(v2), "%s", mnt);
		} else if (!strcmp(fstype, "cgroup")) {
			char *o, *os = NULL;

			for (o = strtok_r(opts, ",", &os); o; o = strtok_r(NULL, ",", &os))
				if (!strcmp(o, ctrl)) {
					snprintf(h->mount, sizeof(h->mount), "%s", mnt);
					h->v1 = true;
				}
		}
	}
	free(text);
	if (h->v1)
		return 0;
	if (v2[0]) {
		char path[PATH_MAX + 32], *ctl;

		snprintf(path, sizeof(path), "%s/cgroup.controllers", v2);
		ctl = read_file(path, NULL);
		if (ctl && strstr(ctl, ctrl)) {
			free(ctl);
			snprintf(h->mount, sizeof(h->mount), "%s", v2);
			return 0;
		}
		free(ctl);
	}
	snprintf(err, errlen, "no %s cgroup hierarchy is mounted (cgroup2 with the "
		 "%s controller, or cgroup v1 %s)", ctrl, ctrl, ctrl);
	return -ENOENT;
}

static int memory_hierarchy(struct hierarchy *h, char *err, size_t errlen)
{
	return ctrl_hierarchy("memory", h, err, errlen);
}

/*
 * @path (absolute under @h's mount, or relative to its root starting with
 * /) as a path relative to the root in @rel, without a trailing slash; the
 * directory must exist.  @what names it in the error ("no @what DIR").
 */
static int resolve_in(const struct hierarchy *h, const char *what, const char *path,
		      char *rel, size_t len, char *err, size_t errlen)
{
	char full[PATH_MAX * 2];
	size_t ml = strlen(h->mount);
	struct stat sb;

	if (path[0] != '/') {
		snprintf(err, errlen, "bad cgroup path '%s' (absolute under %s, or relative to "
			 "its root starting with /)", path, h->mount);
		return -EINVAL;
	}
	if (!strncmp(path, h->mount, ml) && (path[ml] == '/' || !path[ml]))
		path += ml;
	snprintf(rel, len, "%s", *path ? path : "/");
	for (size_t n = strlen(rel); n > 1 && rel[n - 1] == '/'; n--)
		rel[n - 1] = '\0';
	snprintf(full, sizeof(full), "%s%s", h->mount, rel);
	if (stat(full, &sb) || !S_ISDIR(sb.st_mode)) {
		int e = errno ? errno : ENOTDIR;

		snprintf(err, errlen, "no %s %s: %s", what, full, strerror(e));
		return -e;
	}
	return 0;
}

int cg_read_cpuset(const char *path, char *rel, size_t len, char *mems, size_t memslen,
		   char *err, size_t errlen)
{
	struct hierarchy h;
	char full[PATH_MAX * 2], at[PATH_MAX];
	int r = ctrl_hierarchy("cpuset", &h, err, errlen);

	if (!r)
		r = resolve_in(&h, "cgroup", path, rel, len, err, errlen);
	if (r)
		return r;
	/*
	 * The nodes its tasks may allocate from (their mems_allowed): v2's
	 * cpuset.mems.effective, v1's cpuset.effective_mems.  A v2 cgroup
	 * without the cpuset controller has its nearest ancestor's with it.
	 */
	snprintf(at, sizeof(at), "%s", rel);
	for (;;) {
		char *text, *slash;

		if (snprintf(full, sizeof(full), "%s%s/%s", h.mount, strcmp(at, "/") ? at : "",
			     h.v1 ? "cpuset.effective_mems" : "cpuset.mems.effective") >=
		    (int)sizeof(full)) {
			snprintf(err, errlen, "cgroup path too long: %s%s", h.mount, at);
			return -ENAMETOOLONG;
		}
		text = read_file(full, NULL);
		if (text) {
			text[strcspn(text, "\n")] = '\0';
			snprintf(mems, memslen, "%s", text);
			free(text);
			return 0;
		}
		if (h.v1 || errno != ENOENT || !strcmp(at, "/")) {
			int e = errno;

			snprintf(err, errlen, "cannot read %s: %s", full, strerror(e));
			return -e;
		}
		slash = strrchr(at, '/');
		if (slash == at)
			at[1] = '\0';
		else
			*slash = '\0';
	}
}

int cg_resolve(const char *path, char *rel, size_t len, char *err, size_t errlen)
{
	struct hierarchy h;
	int r = memory_hierarchy(&h, err, errlen);

	return r ? r : resolve_in(&h, "memory cgroup", path, rel, len, err, errlen);
}

/* A file of memcg @rel as one number: "max" and v1's "unlimited" as
 * UINT64_MAX; -errno when absent. */
static int read_u64(const struct hierarchy *h, const char *rel, const char *file,
		    uint64_t *v)
{
	char path[PATH_MAX * 2];
	char *text, *end;
	int r = 0;

	snprintf(path, sizeof(path), "%s%s/%s", h->mount, strcmp(rel, "/") ? rel : "", file);
	text = read_file(path, NULL);
	if (!text)
		return -errno;
	if (!strncmp(text, "max", 3)) {
		*v = UINT64_MAX;
	} else {
		errno = 0;
		*v = strtoull(text, &end, 10);
		if (errno || end == text)
			r = -EINVAL;
	}
	free(text);
	return r;
}

/* "key N" of a flat-keyed file (memory.events, memory.oom_control). */
static int64_t read_key(const struct hierarchy *h, const char *rel, const char *file,
			const char *key)
{
	char path[PATH_MAX * 2];
	char *text, *p;
	int64_t v = -1;
	size_t kl = strlen(key);

	snprintf(path, sizeof(path), "%s%s/%s", h->mount, strcmp(rel, "/") ? rel : "", file);
	text = read_file(path, NULL);
	if (!text)
		return -1;
	for (p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, key, kl) && p[kl] == ' ') {
			v = strtoll(p + kl + 1, NULL, 10);
			break;
		}
	free(text);
	return v;
}

/* v1 shows "no limit" as PAGE_COUNTER_MAX pages in bytes. */
static uint64_t v1_limit(uint64_t bytes)
{
	return bytes >= (uint64_t)(LONG_MAX / 4096) * 4096 ? UINT64_MAX : bytes;
}

int cg_read_memcg(const char *rel, struct od_memcg *m, char *err, size_t errlen)
{
	struct hierarchy h;
	uint64_t limit, usage = 0, swap = UINT64_MAX, v, swappiness = 60, og = 0;
	uint64_t pk = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t swap_total = 0;
	char *mi;
	int r = memory_hierarchy(&h, err, errlen);

	if (r)
		return r;
	memset(m, 0, sizeof(*m));
	snprintf(m->path, sizeof(m->path), "%s", rel);
	m->v1 = h.v1;
	if (h.v1) {
		if (read_u64(&h, rel, "memory.limit_in_bytes", &limit)) {
			snprintf(err, errlen, "cannot read %s%s/memory.limit_in_bytes", h.mount, rel);
			return -ENOENT;
		}
		limit = v1_limit(limit);
		read_u64(&h, rel, "memory.usage_in_bytes", &usage);
		/* do_memsw_account(): memsw.limit - limit is the swap it may use. */
		if (!read_u64(&h, rel, "memory.memsw.limit_in_bytes", &v))
			swap = v1_limit(v) == UINT64_MAX || limit == UINT64_MAX ? UINT64_MAX :
			       v - limit;
		read_u64(&h, rel, "memory.swappiness", &swappiness);
		m->oom_kill_local = read_key(&h, rel, "memory.oom_control", "oom_kill");
		m->oom_kill = -1;
		m->oom_group_kill = -1;
	} else {
		/* The root has no memory.max: no limit of its own. */
		if (read_u64(&h, rel, "memory.max", &limit))
			limit = UINT64_MAX;
		if (read_u64(&h, rel, "memory.current", &usage))
			usage = 0;
		/* Without swap accounting memcg->swap.max stays "max". */
		read_u64(&h, rel, "memory.swap.max", &swap);
		/* cgroup v2 has no per-cgroup swappiness: vm.swappiness. */
		mi = read_file("/proc/sys/vm/swappiness", NULL);
		if (mi)
			swappiness = strtoull(mi, NULL, 10);
		free(mi);
		m->oom_kill = read_key(&h, rel, "memory.events", "oom_kill");
		m->oom_group_kill = read_key(&h, rel, "memory.events", "oom_group_kill");
		m->oom_kill_local = read_key(&h, rel, "memory.events.local", "oom_kill");
		if (!read_u64(&h, rel, "memory.oom.group", &og))
			m->oom_group = og == 1;
	}
	mi = read_file("/proc/meminfo", NULL);
	if (mi) {
		int64_t s = meminfo_get(mi, "SwapTotal");

		swap_total = s > 0 ? (uint64_t)s * 1024 / pk : 0;
		free(mi);
	}
	m->limit_kb = limit == UINT64_MAX ? UINT64_MAX : limit / 1024;
	m->usage_kb = usage / 1024;
	/* mem_cgroup_get_max(): max + min(swap it may use, total_swap_pages). */
	if (limit != UINT64_MAX) {
		uint64_t sp = swap == UINT64_MAX ? UINT64_MAX : swap / pk;

		if (!swappiness)
			sp = 0;
		if (sp > swap_total)
			sp = swap_total;
		m->totalpages = limit / pk + sp;
		m->swap_kb = sp * pk / 1024;
	}
	return 0;
}

bool cg_in_subtree(const char *p, const char *dom)
{
	size_t n = strlen(dom);

	if (!strcmp(dom, "/"))
		return p[0] == '/';
	return !strncmp(p, dom, n) && (p[n] == '\0' || p[n] == '/');
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_add(char ***l, int *n, int *cap, const char *s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*l = xrealloc(*l, (size_t)*cap * sizeof(**l));
	}
	(*l)[(*n)++] = xstrdup(s);
}

/* Pre-order below @rel: directories that have the memory files. */
static void walk(const struct hierarchy *h, const char *rel, char ***l, int *n, int *cap,
		 int depth)
{
	char path[PATH_MAX * 2];
	char **kids = NULL;
	int nk = 0, ck = 0;
	DIR *d;
	struct dirent *de;

	snprintf(path, sizeof(path), "%s%s", h->mount, strcmp(rel, "/") ? rel : "");
	d = opendir(path);
	if (!d || depth > 64) {
		if (d)
			closedir(d);
		return;
	}
	while ((de = readdir(d))) {
		char sub[PATH_MAX * 2], probe[PATH_MAX * 3 + 64];
		struct stat sb;

		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", strcmp(rel, "/") ? rel : "", de->d_name);
		snprintf(probe, sizeof(probe), "%s%s/%s", h->mount, sub,
			 h->v1 ? "memory.limit_in_bytes" : "memory.max");
		if (!stat(probe, &sb))
			list_add(&kids, &nk, &ck, sub);
	}
	closedir(d);
	if (nk > 1)
		qsort(kids, (size_t)nk, sizeof(*kids), cmp_str);
	for (int i = 0; i < nk; i++) {
		list_add(l, n, cap, kids[i]);
		walk(h, kids[i], l, n, cap, depth + 1);
		free(kids[i]);
	}
	free(kids);
}

char **cg_list_memcgs(int *n)
{
	struct hierarchy h;
	char err[256];
	char **l = NULL;
	int cap = 0;

	*n = 0;
	if (memory_hierarchy(&h, err, sizeof(err)))
		return NULL;
	list_add(&l, n, &cap, "/");
	walk(&h, "/", &l, n, &cap, 0);
	return l;
}

void cg_free_list(char **l, int n)
{
	for (int i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

/* ---- kill accounting ---- */

int cg_read_kill_counts(struct od_kill_counts *k)
{
	char path[512];
	char *text, *p;
	int r = 0;

	k->recorded = k->kills = k->recounted = k->marked_only = -1;
	k->vmstat_at_arm = k->vmstat_now = k->kernel = -1;
	text = read_file("/proc/vmstat", NULL);
	if (text) {
		p = strstr(text, "\noom_kill ");
		if (p)
			k->vmstat_now = strtoll(p + 10, NULL, 10);
		free(text);
	}
	od_debugfs_path(path, sizeof(path), "events");
	text = read_file(path, NULL);
	if (!text)
		return -errno;
	p = strstr(text, "# oom_kills ");
	if (p) {
		char line[256], *f, *save = NULL;

		snprintf(line, sizeof(line), "%.*s", (int)strcspn(p, "\n"), p);
		/* "victims=V kills=K marked_only=M vmstat_oom_kill_at_arm=B", "-" unknown */
		for (f = strtok_r(line, " ", &save); f; f = strtok_r(NULL, " ", &save)) {
			char *eq = strchr(f, '=');
			int64_t v;

			if (!eq)
				continue;
			*eq = '\0';
			v = isdigit((unsigned char)eq[1]) ? strtoll(eq + 1, NULL, 10) : -1;
			if (!strcmp(f, "victims"))
				k->recorded = v;
			else if (!strcmp(f, "kills"))
				k->kills = v;
			else if (!strcmp(f, "marked_only"))
				k->marked_only = v;
			else if (!strcmp(f, "vmstat_oom_kill_at_arm"))
				k->vmstat_at_arm = v;
		}
		if (k->kills >= 0 && k->recorded >= 0)
			k->recounted = k->kills - k->recorded;
	} else {
		r = -ENOENT;
	}
	free(text);
	if (k->vmstat_now >= 0 && k->vmstat_at_arm >= 0)
		k->kernel = k->vmstat_now - k->vmstat_at_arm;
	return r;
}

static struct od_cg_kills *kills_slot(struct od_cg_kills **l, int *n, int *cap, const char *path)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp((*l)[i].path, path))
			return &(*l)[i];
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		*l = xrealloc(*l, (size_t)*cap * sizeof(**l));
	}
	memset(&(*l)[*n], 0, sizeof(**l));
	snprintf((*l)[*n].path, sizeof((*l)[*n].path), "%s", path);
	(*l)[*n].kernel = -1;
	return &(*l)[(*n)++];
}

static int cmp_kills(const void *a, const void *b)
{
	return strcmp(((const struct od_cg_kills *)a)->path, ((const struct od_cg_kills *)b)->path);
}

/* memory.oom.group=1 on @victim's cgroup or an ancestor up to @domain. */
static bool group_kill_set(const char *victim, const char *domain)
{
	struct hierarchy h;
	char p[OOMDIAG_CGROUP_PATH_LEN + 1], err[256], dom[OOMDIAG_CGROUP_PATH_LEN + 1];

	if (memory_hierarchy(&h, err, sizeof(err)) || h.v1)
		return false;
	snprintf(p, sizeof(p), "%s", victim);
	snprintf(dom, sizeof(dom), "%.*s", OOMDIAG_CGROUP_PATH_LEN, domain);
	if (dom[0] != '/')
		snprintf(dom, sizeof(dom), "/");	/* a global OOM: up to the root */
	while (strcmp(p, "/")) {
		uint64_t g = 0;
		char *slash;

		if (!read_u64(&h, p, "memory.oom.group", &g) && g == 1)
			return true;
		if (!strcmp(p, dom))
			break;
		slash = strrchr(p, '/');
		if (slash == p)
			break;
		*slash = '\0';
	}
	return false;
}

int cg_reconcile(const struct od_event_list *el, struct od_cg_kills **out)
{
	struct od_cg_kills *l = NULL;
	struct od_memcg *m = xcalloc(1, sizeof(*m));
	int n = 0, cap = 0, nr = 0;
	char **cgs = cg_list_memcgs(&nr);

	for (size_t i = 0; el && i < el->nr; i++) {
		const struct oomdiag_event *e = &el->ev[i].ev;
		char path[OOMDIAG_CGROUP_PATH_LEN + 1];
		struct od_cg_kills *k;

		if (e->kind != OOMDIAG_KIND_OOM_KILL &&
		    !(e->kind == OOMDIAG_KIND_OOM_VICTIM && (e->flags & OOMDIAG_F_GROUP_KILL)))
			continue;
		snprintf(path, sizeof(path), "%.*s", (int)sizeof(e->oom.victim_memcg),
			 e->oom.victim_memcg);
		if (path[0] != '/')
			continue;
		k = kills_slot(&l, &n, &cap, path);
		k->recorded++;
		if (e->kind == OOMDIAG_KIND_OOM_KILL && group_kill_set(path, e->oom.memcg))
			k->recounted++;
	}
	for (int i = 0; i < nr; i++) {
		char err[256];
		struct od_cg_kills *k;

		if (cg_read_memcg(cgs[i], m, err, sizeof(err)) || m->oom_kill_local < 0)
			continue;
		if (!m->oom_kill_local) {
			bool seen = false;

			for (int j = 0; j < n && !seen; j++)
				seen = !strcmp(l[j].path, cgs[i]);
			if (!seen)
				continue;
		}
		k = kills_slot(&l, &n, &cap, cgs[i]);
		k->kernel = m->oom_kill_local;
	}
	cg_free_list(cgs, nr);
	free(m);
	if (n > 1)
		qsort(l, (size_t)n, sizeof(*l), cmp_kills);
	*out = l;
	return n;
}
