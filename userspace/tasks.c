// SPDX-License-Identifier: GPL-2.0
/* OOM badness ranking of all tasks, see tasks.h. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "dbgtab.h"
#include "sysmem.h"
#include "tasks.h"
#include "util.h"

static struct od_task *task_add(struct od_tasks *ts)
{
	if (ts->nr == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 256;
		ts->t = xrealloc(ts->t, (size_t)ts->cap * sizeof(*ts->t));
	}
	memset(&ts->t[ts->nr], 0, sizeof(ts->t[0]));
	return &ts->t[ts->nr++];
}

void tasks_free(struct od_tasks *ts)
{
	free(ts->t);
	free(ts->node_present);
	memset(ts, 0, sizeof(*ts));
}

/* ---- node masks ---- */

bool node_isset(const od_nodemask *m, int nid)
{
	return nid >= 0 && nid < OD_MAX_NODES && (m->w[nid / 64] >> (nid % 64) & 1);
}

static void node_set(od_nodemask *m, int nid)
{
	m->w[nid / 64] |= 1ULL << (nid % 64);
}

bool nodes_intersect(const od_nodemask *a, const od_nodemask *b)
{
	for (int i = 0; i < OD_NODE_WORDS; i++)
		if (a->w[i] & b->w[i])
			return true;
	return false;
}

bool nodes_empty(const od_nodemask *m)
{
	for (int i = 0; i < OD_NODE_WORDS; i++)
		if (m->w[i])
			return false;
	return true;
}

int nodelist_parse(const char *s, od_nodemask *m)
{
	memset(m, 0, sizeof(*m));
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || *s == '\n')
		return 0;
	for (;;) {
		char *end;
		long a, b;

		if (!isdigit((unsigned char)*s))
			return -1;
		a = strtol(s, &end, 10);
		b = a;
		if (*end == '-') {
			if (!isdigit((unsigned char)end[1]))
				return -1;
			b = strtol(end + 1, &end, 10);
		}
		if (a < 0 || b < a || b >= OD_MAX_NODES)
			return -1;
		for (long n = a; n <= b; n++)
			node_set(m, (int)n);
		s = end;
		if (*s != ',')
			break;
		s++;
	}
	return *s && *s != '\n' ? -1 : 0;
}

char *nodelist_str(const od_nodemask *m, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int i = 0; i < OD_MAX_NODES && n < len; i++) {
		int j = i;

		if (!node_isset(m, i))
			continue;
		while (j + 1 < OD_MAX_NODES && node_isset(m, j + 1))
			j++;
		n += (size_t)(j > i ? snprintf(buf + n, len - n, "%s%d-%d", n ? "," : "", i, j) :
				      snprintf(buf + n, len - n, "%s%d", n ? "," : "", i));
		i = j;
	}
	return buf;
}

bool task_killable(const struct od_task *t)
{
	/* oom_evaluate_task(): origin is checked before oom_badness()'s
	 * exemptions, after init, kthreads and existing victims. */
	if (t->origin)
		return strcmp(t->exempt, "init") && strcmp(t->exempt, "kthread") &&
		       strcmp(t->exempt, "oom_victim");
	return !t->exempt[0];
}

static int cmp_task(const void *a, const void *b)
{
	const struct od_task *x = a, *y = b;
	bool kx = task_killable(x), ky = task_killable(y);

	if (kx != ky)
		return kx ? -1 : 1;
	if (x->origin != y->origin)
		return x->origin ? -1 : 1;
	if (x->oom_score != y->oom_score)
		return x->oom_score > y->oom_score ? -1 : 1;
	if (x->has_badness && y->has_badness && x->badness != y->badness)
		return x->badness > y->badness ? -1 : 1;
	/* the kernel keeps the later task of equal points (oom_evaluate_task
	 * replaces on >=): the module lists it first, /proc by higher pid */
	return x->tie < y->tie ? -1 : x->tie > y->tie;
}

/* Within one domain: origin, then the domain's points, then walk order. */
static int cmp_domain(const void *a, const void *b)
{
	const struct od_task *x = a, *y = b;
	bool kx = task_killable(x), ky = task_killable(y);

	if (kx != ky)
		return kx ? -1 : 1;
	if (x->origin != y->origin)
		return x->origin ? -1 : 1;
	if (x->has_badness != y->has_badness)
		return x->has_badness ? -1 : 1;
	if (x->badness != y->badness)
		return x->badness > y->badness ? -1 : 1;
	return x->tie < y->tie ? -1 : x->tie > y->tie;
}

/* Which tasks a domain holds: a memcg subtree, or the tasks a cpuset or
 * mempolicy OOM on some nodes may kill. */
struct domain_filter {
	const char *memcg;
	const od_nodemask *nodes;
	enum od_node_constraint how;
};

static bool in_domain(const struct od_task *t, const struct domain_filter *f)
{
	if (f->memcg)
		return cg_in_subtree(t->memcg, f->memcg);
	/* oom_cpuset_eligible(): some thread's nodes intersect the OOM's. */
	if (f->how == OD_CONSTRAINT_CPUSET)
		return !t->has_mems || nodes_intersect(&t->mems, f->nodes);
	return t->policy_any || nodes_intersect(&t->policy, f->nodes);
}

static void rank_filtered(const struct od_tasks *ts, const struct domain_filter *f,
			  uint64_t totalpages, struct od_tasks *out)
{
	long pk = sysconf(_SC_PAGESIZE) / 1024;

	memset(out, 0, sizeof(*out));
	if (pk <= 0)
		pk = 4;
	snprintf(out->source, sizeof(out->source), "%s", ts->source);
	out->totalpages = totalpages;
	out->truncated = ts->truncated;
	out->swap_pages = ts->swap_pages;
	out->mems_from_proc = ts->mems_from_proc;
	out->policy_known = ts->policy_known;
	for (int i = 0; i < ts->nr; i++) {
		const struct od_task *t = &ts->t[i];
		struct od_task *k;

		if (!in_domain(t, f))
			continue;
		k = task_add(out);
		*k = *t;
		if (!t->has_badness)
			continue;	/* oom_badness() says unkillable at any size */
		/* oom_badness(): pages, then adj * (totalpages / 1000), in long. */
		k->badness = (int64_t)((t->anon_kb + t->file_kb + t->shmem_kb + t->swap_kb +
					t->pgtables_kb) / (uint64_t)pk) +
			     (int64_t)t->oom_score_adj * (int64_t)(totalpages / 1000);
	}
	if (out->nr > 1)
		qsort(out->t, (size_t)out->nr, sizeof(out->t[0]), cmp_domain);
}

void tasks_rank_domain(const struct od_tasks *ts, const char *dom, uint64_t totalpages,
		       struct od_tasks *out)
{
	struct domain_filter f = { .memcg = dom };

	rank_filtered(ts, &f, totalpages, out);
}

void tasks_rank_nodes(const struct od_tasks *ts, const od_nodemask *nodes,
		      enum od_node_constraint how, uint64_t totalpages, struct od_tasks *out)
{
	struct domain_filter f = { .nodes = nodes, .how = how };

	rank_filtered(ts, &f, totalpages, out);
}

uint64_t tasks_nodes_totalpages(const struct od_tasks *ts, const od_nodemask *nodes,
				int *missing)
{
	uint64_t tp = ts->swap_pages;

	*missing = -1;
	for (int nid = 0; nid < OD_MAX_NODES; nid++) {
		if (!node_isset(nodes, nid))
			continue;
		if (!ts->node_present || !node_isset(&ts->nodes_known, nid)) {
			*missing = nid;
			return 0;
		}
		tp += ts->node_present[nid];
	}
	return tp;
}

/* "0:N,1:M" (the module's node_present_pages) into @ts. */
static void parse_node_present(struct od_tasks *ts, const char *s)
{
	ts->node_present = xcalloc(OD_MAX_NODES, sizeof(*ts->node_present));
	while (*s) {
		char *end;
		long nid = strtol(s, &end, 10);

		if (end == s || *end != ':' || nid < 0 || nid >= OD_MAX_NODES)
			return;
		ts->node_present[nid] = strtoull(end + 1, &end, 10);
		node_set(&ts->nodes_known, (int)nid);
		ts->has_nodes = true;
		if (*end != ',')
			return;
		s = end + 1;
	}
}

/* Without the module: node sizes as the sum of /proc/zoneinfo's "present"
 * per node (node_present_pages() is that sum), swap from SwapTotal. */
static void proc_node_present(struct od_tasks *ts, long pk)
{
	char *zi = read_file("/proc/zoneinfo", NULL), *line, *save = NULL;
	char *mi = read_file("/proc/meminfo", NULL);
	int nid = -1;

	if (mi) {
		int64_t sw = meminfo_get(mi, "SwapTotal");

		ts->swap_pages = sw > 0 ? (uint64_t)sw / (uint64_t)pk : 0;
		free(mi);
	}
	if (!zi)
		return;
	ts->node_present = xcalloc(OD_MAX_NODES, sizeof(*ts->node_present));
	for (line = strtok_r(zi, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long v;

		if (sscanf(line, "Node %d,", &nid) == 1) {
			if (nid >= 0 && nid < OD_MAX_NODES) {
				node_set(&ts->nodes_known, nid);
				ts->has_nodes = true;
			} else {
				nid = -1;
			}
		} else if (nid >= 0 && sscanf(line, " present %llu", &v) == 1) {
			ts->node_present[nid] += v;
		}
	}
	free(zi);
}

void tasks_sort(struct od_tasks *ts)
{
	if (ts->nr > 1)
		qsort(ts->t, (size_t)ts->nr, sizeof(ts->t[0]), cmp_task);
}

int tasks_parse_module(struct od_tasks *ts, const char *text)
{
	struct dbgtab t;
	int c_pid, c_uid, c_comm, c_anon, c_file, c_shmem, c_swap, c_pgt, c_adj, c_bad, c_score;
	int c_memcg, c_exempt, c_origin, c_cut, c_mems, c_pol;
	const char *s;

	if (dbgtab_parse(&t, text, "tasks"))
		return -1;
	c_pid = dbgtab_col(&t, "pid");
	c_uid = dbgtab_col(&t, "uid");
	c_comm = dbgtab_col(&t, "comm");
	c_anon = dbgtab_col(&t, "anon_kb");
	c_file = dbgtab_col(&t, "file_kb");
	c_shmem = dbgtab_col(&t, "shmem_kb");
	c_swap = dbgtab_col(&t, "swap_kb");
	c_pgt = dbgtab_col(&t, "pgtables_kb");
	c_adj = dbgtab_col(&t, "oom_score_adj");
	c_bad = dbgtab_col(&t, "badness");
	c_score = dbgtab_col(&t, "oom_score");
	c_memcg = dbgtab_col(&t, "memcg");
	c_exempt = dbgtab_col(&t, "exempt");
	c_origin = dbgtab_col(&t, "oom_origin");
	c_cut = dbgtab_col(&t, "memcg_truncated");
	c_mems = dbgtab_col(&t, "mems_allowed");
	c_pol = dbgtab_col(&t, "mempolicy_nodes");
	if (c_pid < 0 || c_comm < 0) {
		dbgtab_free(&t);
		return -1;
	}
	s = dbgtab_summary(&t, "totalpages");
	ts->totalpages = s ? strtoull(s, NULL, 10) : 0;
	s = dbgtab_summary(&t, "truncated");
	ts->truncated = s && strcmp(s, "0");
	s = dbgtab_summary(&t, "swap_pages");
	ts->swap_pages = s ? strtoull(s, NULL, 10) : 0;
	s = dbgtab_summary(&t, "node_present_pages");
	if (s)
		parse_node_present(ts, s);
	ts->policy_known = c_pol >= 0;
	for (int r = 0; r < t.nrows; r++) {
		struct od_task *k = task_add(ts);
		const char *bad;

		k->pid = atoi(dbgtab_cell(&t, r, c_pid));
		k->uid = (unsigned int)strtoul(dbgtab_cell(&t, r, c_uid), NULL, 10);
		snprintf(k->comm, sizeof(k->comm), "%s", dbgtab_cell(&t, r, c_comm));
		k->anon_kb = strtoull(dbgtab_cell(&t, r, c_anon), NULL, 10);
		k->file_kb = strtoull(dbgtab_cell(&t, r, c_file), NULL, 10);
		k->shmem_kb = strtoull(dbgtab_cell(&t, r, c_shmem), NULL, 10);
		k->swap_kb = strtoull(dbgtab_cell(&t, r, c_swap), NULL, 10);
		k->pgtables_kb = strtoull(dbgtab_cell(&t, r, c_pgt), NULL, 10);
		k->oom_score_adj = atoi(dbgtab_cell(&t, r, c_adj));
		bad = dbgtab_cell(&t, r, c_bad);
		if (*bad) {
			k->has_badness = true;
			k->badness = strtoll(bad, NULL, 10);
		}
		k->oom_score = strtol(dbgtab_cell(&t, r, c_score), NULL, 10);
		snprintf(k->memcg, sizeof(k->memcg), "%s", dbgtab_cell(&t, r, c_memcg));
		s = dbgtab_cell(&t, r, c_exempt);
		if (!strcmp(s, "no") || !strcmp(s, "none") || !strcmp(s, "0"))
			s = "";
		snprintf(k->exempt, sizeof(k->exempt), "%s", s);
		k->origin = c_origin >= 0 && !strcmp(dbgtab_cell(&t, r, c_origin), "1");
		k->memcg_truncated = c_cut >= 0 && !strcmp(dbgtab_cell(&t, r, c_cut), "1");
		k->tie = r;	/* the module lists tasks in the kernel's order */
		/* "-" reads as "": a mempolicy confines no thread to nodes */
		k->has_mems = c_mems >= 0 && !nodelist_parse(dbgtab_cell(&t, r, c_mems), &k->mems) &&
			      !nodes_empty(&k->mems);
		k->policy_any = c_pol < 0 || !*dbgtab_cell(&t, r, c_pol) ||
				nodelist_parse(dbgtab_cell(&t, r, c_pol), &k->policy);
	}
	dbgtab_free(&t);
	snprintf(ts->source, sizeof(ts->source), "module tasks");
	tasks_sort(ts);
	return 0;
}

const char *tasks_bin_exempt_name(unsigned int exempt)
{
	static const char *const names[] = {
		"", "init", "kthread", "no_mm", "adj_min", "oom_skip", "vfork", "oom_victim",
	};

	return exempt < sizeof(names) / sizeof(names[0]) ? names[exempt] : "?";
}

/* Node mask of @words u64 words at @p into @m (bits past OD_MAX_NODES dropped). */
static void bin_nodes(od_nodemask *m, const char *p, uint32_t words)
{
	memset(m, 0, sizeof(*m));
	memcpy(m->w, p, (words < OD_NODE_WORDS ? words : OD_NODE_WORDS) * sizeof(uint64_t));
}

int tasks_parse_bin(struct od_tasks *ts, const char *buf, size_t len)
{
	struct od_tasks_bin_hdr h;
	uint64_t nodes_end, tasks_end, memcgs_end;

	if (len < sizeof(h))
		return -1;
	memcpy(&h, buf, sizeof(h));
	if (memcmp(h.magic, "OOMDTASK", 8) || h.version != OD_TASKS_BIN_VERSION ||
	    h.hdr_size < sizeof(h) || h.node_words > 1024 || h.memcg_len == 0 ||
	    h.rec_size < sizeof(struct od_tasks_bin_rec) + 2 * (uint64_t)h.node_words * 8)
		return -1;
	nodes_end = h.nodes_off + (uint64_t)h.nr_nodes * sizeof(struct od_tasks_bin_node);
	tasks_end = h.tasks_off + (uint64_t)h.nr_tasks * h.rec_size;
	memcgs_end = h.memcgs_off + (uint64_t)h.nr_memcgs * h.memcg_len;
	if (h.nodes_off < h.hdr_size || nodes_end > len || h.tasks_off < h.hdr_size ||
	    tasks_end > len || h.memcgs_off < h.hdr_size || memcgs_end > len)
		return -1;
	ts->totalpages = h.totalpages;
	ts->truncated = h.truncated != 0;
	ts->swap_pages = h.swap_pages;
	ts->node_present = xcalloc(OD_MAX_NODES, sizeof(*ts->node_present));
	for (uint32_t i = 0; i < h.nr_nodes; i++) {
		struct od_tasks_bin_node nd;

		memcpy(&nd, buf + h.nodes_off + i * sizeof(nd), sizeof(nd));
		if (nd.nid >= OD_MAX_NODES)
			continue;
		ts->node_present[nd.nid] = nd.present_pages;
		node_set(&ts->nodes_known, (int)nd.nid);
		ts->has_nodes = true;
	}
	ts->policy_known = true;
	ts->cap = (int)h.nr_tasks;
	ts->t = xcalloc(h.nr_tasks ? h.nr_tasks : 1, sizeof(*ts->t));
	for (uint32_t i = 0; i < h.nr_tasks; i++) {
		const char *r = buf + h.tasks_off + (uint64_t)i * h.rec_size;
		struct od_tasks_bin_rec rec;
		struct od_task *k = &ts->t[ts->nr++];

		memcpy(&rec, r, sizeof(rec));
		k->pid = rec.pid;
		k->uid = rec.uid;
		snprintf(k->comm, sizeof(k->comm), "%.*s", (int)sizeof(rec.comm), rec.comm);
		k->anon_kb = rec.anon_kb;
		k->file_kb = rec.file_kb;
		k->shmem_kb = rec.shmem_kb;
		k->swap_kb = rec.swap_kb;
		k->pgtables_kb = rec.pgtables_kb;
		k->oom_score_adj = rec.oom_score_adj;
		k->has_badness = rec.badness != INT64_MIN;
		k->badness = k->has_badness ? rec.badness : 0;
		k->oom_score = (long)rec.oom_score;
		if (rec.memcg == OD_TASKS_BIN_NO_MEMCG || rec.memcg >= h.nr_memcgs) {
			snprintf(k->memcg, sizeof(k->memcg), "?");
		} else {
			const char *p = buf + h.memcgs_off + (uint64_t)rec.memcg * h.memcg_len;
			int n = (int)strnlen(p, h.memcg_len);

			/* "-" (no memory controller) reads as "" in the text view too */
			if (n == 1 && p[0] == '-')
				n = 0;
			snprintf(k->memcg, sizeof(k->memcg), "%.*s", n, p);
		}
		snprintf(k->exempt, sizeof(k->exempt), "%s", tasks_bin_exempt_name(rec.exempt));
		k->origin = rec.origin;
		k->memcg_truncated = rec.memcg_truncated;
		k->tie = -(int)i;	/* walk order: the kernel keeps the later of equals */
		bin_nodes(&k->mems, r + sizeof(rec), h.node_words);
		bin_nodes(&k->policy, r + sizeof(rec) + h.node_words * 8, h.node_words);
		k->has_mems = !nodes_empty(&k->mems);
		k->policy_any = rec.policy_unbound || nodes_empty(&k->policy);
	}
	snprintf(ts->source, sizeof(ts->source), "module tasks");
	tasks_sort(ts);
	return 0;
}

static char *proc_read(int pid, const char *file)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	return read_file(path, NULL);
}

/* The memory controller's line of /proc/PID/cgroup (v1), else v2's "0::". */
static void proc_memcg(int pid, char *buf, size_t len)
{
	char *text = proc_read(pid, "cgroup"), *line, *save = NULL;

	buf[0] = '\0';
	if (!text)
		return;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		bool mem;

		if (!c2)
			continue;
		*c2 = '\0';
		mem = strstr(c1 + 1, "memory") != NULL;
		if (mem || (!buf[0] && !strncmp(line, "0:", 2) && c1 + 1 == c2))
			snprintf(buf, len, "%s", c2 + 1);
		if (mem)
			break;
	}
	free(text);
}

static int64_t status_kb(const char *st, const char *key)
{
	return meminfo_get(st, key);
}

int tasks_read(struct od_tasks *ts, bool no_module, char *err, size_t errlen)
{
	char path[512];
	char *text;
	DIR *d;
	struct dirent *de;
	long pk = sysconf(_SC_PAGESIZE) / 1024;

	memset(ts, 0, sizeof(*ts));
	if (!no_module) {
		size_t len;

		/* The binary view when the module has it (cheaper to make and
		 * to parse); an older module has only the text view. */
		od_debugfs_path(path, sizeof(path), "tasks.bin");
		text = read_file(path, &len);
		if (text) {
			int r = tasks_parse_bin(ts, text, len);

			free(text);
			if (!r)
				return 0;
			tasks_free(ts);
		}
		od_debugfs_path(path, sizeof(path), "tasks");
		text = read_file(path, NULL);
		if (!text)
			od_note_fallback(path, errno);
		if (text) {
			int r = tasks_parse_module(ts, text);

			free(text);
			if (!r)
				return 0;
			tasks_free(ts);
		}
	}
	if (pk <= 0)
		pk = 4;
	proc_node_present(ts, pk);
	ts->mems_from_proc = true;
	text = read_file("/proc/meminfo", NULL);
	if (text) {
		int64_t mt = meminfo_get(text, "MemTotal"), sw = meminfo_get(text, "SwapTotal");

		ts->totalpages = (uint64_t)((mt > 0 ? mt : 0) + (sw > 0 ? sw : 0)) / (uint64_t)pk;
		free(text);
	}
	d = opendir("/proc");
	if (!d) {
		int e = errno;

		snprintf(err, errlen, "cannot read /proc: %s", strerror(e));
		return -e;
	}
	while ((de = readdir(d))) {
		struct od_task *k;
		char *st, *sc, *adj, *p;
		int pid;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = atoi(de->d_name);
		st = proc_read(pid, "status");
		if (!st)
			continue;	/* exited meanwhile */
		sc = proc_read(pid, "oom_score");
		adj = proc_read(pid, "oom_score_adj");
		k = task_add(ts);
		k->pid = pid;
		p = strstr(st, "Name:\t");
		if (p) {
			size_t n = strcspn(p + 6, "\n");

			snprintf(k->comm, sizeof(k->comm), "%.*s", (int)n, p + 6);
		}
		p = strstr(st, "\nUid:");
		if (p)
			k->uid = (unsigned int)strtoul(p + 5, NULL, 10);
		if (status_kb(st, "RssAnon") >= 0) {
			k->anon_kb = (uint64_t)status_kb(st, "RssAnon");
			k->file_kb = (uint64_t)status_kb(st, "RssFile");
			k->shmem_kb = (uint64_t)status_kb(st, "RssShmem");
		} else if (status_kb(st, "VmRSS") >= 0) {
			k->anon_kb = (uint64_t)status_kb(st, "VmRSS");	/* no split before 4.5 */
		}
		k->swap_kb = status_kb(st, "VmSwap") > 0 ? (uint64_t)status_kb(st, "VmSwap") : 0;
		/* The main thread's only; a task's mempolicy is not in /proc. */
		p = strstr(st, "\nMems_allowed_list:");
		if (p) {
			char nl[4096];
			size_t n;

			p += strlen("\nMems_allowed_list:");
			p += strspn(p, " \t");
			n = strcspn(p, "\n");
			snprintf(nl, sizeof(nl), "%.*s", (int)(n < sizeof(nl) ? n : sizeof(nl) - 1), p);
			k->has_mems = !nodelist_parse(nl, &k->mems) && !nodes_empty(&k->mems);
		}
		k->policy_any = true;
		k->pgtables_kb = status_kb(st, "VmPTE") > 0 ? (uint64_t)status_kb(st, "VmPTE") : 0;
		k->oom_score = sc ? strtol(sc, NULL, 10) : 0;
		k->oom_score_adj = adj ? atoi(adj) : 0;
		k->tie = -pid;	/* later forks usually have higher pids */
		proc_memcg(pid, k->memcg, sizeof(k->memcg));
		if (status_kb(st, "VmRSS") < 0)
			snprintf(k->exempt, sizeof(k->exempt), "kthread");
		else if (pid == 1)
			snprintf(k->exempt, sizeof(k->exempt), "init");
		else if (k->oom_score_adj == -1000)
			snprintf(k->exempt, sizeof(k->exempt), "unkillable");
		if (!k->exempt[0]) {
			/* oom_badness(): rss + swap + pgtables, plus adj share */
			int64_t pts = (int64_t)((k->anon_kb + k->file_kb + k->shmem_kb + k->swap_kb +
						 k->pgtables_kb) / (uint64_t)pk);

			pts += (int64_t)k->oom_score_adj * (int64_t)(ts->totalpages / 1000);
			k->badness = pts;
			k->has_badness = true;
		}
		free(st);
		free(sc);
		free(adj);
	}
	closedir(d);
	snprintf(ts->source, sizeof(ts->source), "/proc/PID/{oom_score,status}");
	tasks_sort(ts);
	return 0;
}
