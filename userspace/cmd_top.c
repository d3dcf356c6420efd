// SPDX-License-Identifier: GPL-2.0
/*
 * oomdiag top [-n N] [--cgroup PATH | --cgroups | --cpuset PATH | --nodes LIST]:
 * the OOM badness ranking and the predicted victim, machine-wide, in one
 * memory cgroup's own OOM domain (its limit as totalpages, its subtree as
 * the candidates), or in the domain of a cpuset or mempolicy constrained
 * OOM (the allowed nodes' present pages plus swap as totalpages, the tasks
 * allowed on those nodes as the candidates).
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "cli.h"
#include "json.h"
#include "tasks.h"
#include "render.h"

static void help(FILE *f)
{
	fprintf(f,
		"Usage: oomdiag top [-n N] [--all] [--cgroup PATH | --cgroups | --cpuset PATH |\n"
		"                   --nodes LIST] [--json]\n"
		"\n"
		"Rank tasks as the OOM killer would (oom_badness: rss + swap + page tables,\n"
		"plus oom_score_adj x totalpages / 1000) and name the predicted next victim.\n"
		"Source: the module's tasks view (exact, in-kernel), or /proc/PID/oom_score\n"
		"and /proc/PID/status when the module is not loaded; the output says which.\n"
		"\n"
		"  -n N            show N tasks (default 10)\n"
		"  -a, --all       include exempt tasks (kernel threads, oom_score_adj -1000)\n"
		"  -c, --cgroup PATH\n"
		"                  rank as the OOM of memory cgroup PATH would: its tasks and\n"
		"                  its descendants' only, totalpages = its limit plus the swap\n"
		"                  it may use (mem_cgroup_get_max); PATH as /sys/fs/cgroup/X\n"
		"                  or /X\n"
		"      --cgroups   every memory cgroup: limit, usage, headroom, OOM kills and\n"
		"                  the victim its own OOM would choose\n"
		"      --cpuset PATH\n"
		"                  rank as a cpuset-constrained OOM of a task in cgroup PATH\n"
		"                  would (CONSTRAINT_CPUSET): totalpages = swap + the present\n"
		"                  pages of the nodes of its cpuset.mems.effective, candidates\n"
		"                  every task whose mems_allowed intersect them, inside the\n"
		"                  cpuset or not\n"
		"      --nodes LIST\n"
		"                  rank as a mempolicy-constrained OOM (CONSTRAINT_MEMORY_POLICY)\n"
		"                  of an allocation bound to nodes LIST (e.g. 1 or 0-1,3) would:\n"
		"                  totalpages = swap + those nodes' present pages, candidates\n"
		"                  every task no MPOL_BIND policy keeps off them (needs the\n"
		"                  module: /proc does not show a task's policy)\n"
		COMMON_HELP);
}

/* Long-only options ('C' is --no-color). */
#define OPT_CGROUPS 1000
#define OPT_CPUSET 1001
#define OPT_NODES 1002

static char *limit_str(char *buf, size_t len, uint64_t kb)
{
	if (kb == UINT64_MAX)
		snprintf(buf, len, "max");
	else
		human_kb(buf, len, kb);
	return buf;
}

/* The nearest memcg at or above @rel with a limit; its data into @m. */
static int limited_domain(const char *rel, struct od_memcg *m, char *err, size_t errlen)
{
	char p[OD_CGROUP_PATH_MAX];
	int r;

	snprintf(p, sizeof(p), "%s", rel);
	for (;;) {
		char *slash;

		r = cg_read_memcg(p, m, err, errlen);
		if (r || m->totalpages || !strcmp(p, "/"))
			return r;
		slash = strrchr(p, '/');
		if (slash == p)
			p[1] = '\0';
		else
			*slash = '\0';
	}
}

/* The predicted victim for the shared renderer (render.h), its command line from /proc. */
static void task_victim(const struct od_task *t, struct od_victim *v, char *argv, size_t len)
{
	char path[64];
	FILE *f;

	victim_init(v);
	v->pid = t->pid;
	v->uid = t->uid;
	v->comm = t->comm;
	v->comm_len = sizeof(t->comm);
	v->anon_rss_kb = (int64_t)t->anon_kb;
	v->file_rss_kb = (int64_t)t->file_kb;
	v->shmem_rss_kb = (int64_t)t->shmem_kb;
	v->swap_kb = (int64_t)t->swap_kb;
	v->pgtables_kb = (int64_t)t->pgtables_kb;
	v->oom_score_adj = t->oom_score_adj;
	if (t->has_badness)
		v->points = t->badness;
	if (t->memcg[0]) {
		v->cgroup = t->memcg;
		v->cgroup_len = sizeof(t->memcg);
		v->cgroup_truncated = t->memcg_truncated;
	}
	snprintf(path, sizeof(path), "/proc/%d/cmdline", t->pid);
	f = fopen(path, "re");
	if (f) {
		size_t n = fread(argv, 1, len, f);
		int more = n == len && fgetc(f) != EOF;

		fclose(f);
		v->has_cmdline = true;
		v->cmdline_state = more ? "truncated" : "ok";
		v->argv = argv;
		v->argv_len = n;
	}
}

/* its command line under the predicted victim (the cgroup line is task_where's) */
static void victim_print_cmdline(const struct od_task *t)
{
	struct od_victim v;
	char argv[4096];

	task_victim(t, &v, argv, sizeof(argv));
	v.cgroup = NULL;
	fflush(stdout);
	victim_print_where(stdout, 2, &v);
}

static void json_victim(struct json_writer *w, const char *key, const struct od_task *t)
{
	struct od_victim v;
	char argv[4096];

	if (!t) {
		json_null(w, key);
		return;
	}
	task_victim(t, &v, argv, sizeof(argv));
	json_begin_object(w, key);
	victim_json_scalars(w, &v);
	if (t->has_badness)
		json_int(w, "badness", t->badness);
	json_int(w, "oom_score", t->oom_score);
	json_bool(w, "oom_origin", t->origin);
	json_string(w, "memcg", t->memcg[0] ? t->memcg : NULL);
	victim_json_where(w, &v);
	json_end_object(w);
}

static void json_memcg(struct json_writer *w, const struct od_memcg *m)
{
	json_string(w, "path", m->path);
	if (m->limit_kb == UINT64_MAX)
		json_null(w, "limit_kb");
	else
		json_uint(w, "limit_kb", m->limit_kb);
	json_uint(w, "usage_kb", m->usage_kb);
	if (m->limit_kb == UINT64_MAX)
		json_null(w, "headroom_kb");
	else
		json_int(w, "headroom_kb", (int64_t)m->limit_kb - (int64_t)m->usage_kb);
	json_uint(w, "swap_counted_kb", m->swap_kb);
	json_uint(w, "totalpages", m->totalpages);
	json_int(w, "oom_kill", m->oom_kill);
	json_int(w, "oom_kill_local", m->oom_kill_local);
	json_int(w, "oom_group_kill", m->oom_group_kill);
	json_bool(w, "oom_group", m->oom_group);
	container_json(w, m->path);
}

/* "tasks": the first @n killable tasks of @ts in rank order (all of them with @all). */
static void tasks_json(struct json_writer *w, const struct od_tasks *ts, int n, bool all)
{
	int shown = 0;

	json_begin_array(w, "tasks");
	for (int i = 0; i < ts->nr && shown < n; i++) {
		if (!task_killable(&ts->t[i]) && !all)
			continue;
		task_json(w, &ts->t[i]);
		shown++;
	}
	json_end_array(w);
}

/* top --cgroup PATH */
static int top_domain(const struct od_tasks *ts, const char *path, int n, bool all,
		      const struct od_opts *o, const struct od_style *st)
{
	struct od_memcg *m = xcalloc(1, sizeof(*m)), *dom = xcalloc(1, sizeof(*dom));
	char rel[OD_CGROUP_PATH_MAX], err[512] = "";
	struct od_tasks d;
	const struct od_task *v;
	uint64_t totalpages;
	int r;

	r = cg_resolve(path, rel, sizeof(rel), err, sizeof(err));
	if (!r)
		r = cg_read_memcg(rel, m, err, sizeof(err));
	if (!r)
		r = limited_domain(rel, dom, err, sizeof(err));
	if (r) {
		od_err("failed to read memory cgroup %s: %s (is the memory controller "
		       "enabled for it?)", path, err);
		free(m);
		free(dom);
		return od_exit_for_errno(-r);
	}
	/* No limit up to the root: only a machine-wide OOM can reach it. */
	totalpages = dom->totalpages ? dom->totalpages : ts->totalpages;
	tasks_rank_domain(ts, rel, totalpages, &d);
	v = tasks_next_victim(&d);
	if (o->json) {
		struct json_writer w;

		json_init(&w, stdout);
		json_set_pretty(&w, o->pretty);
		json_begin_object(&w, NULL);
		json_string(&w, "source", ts->source);
		json_begin_object(&w, "cgroup");
		json_memcg(&w, m);
		json_end_object(&w);
		json_string(&w, "domain", dom->totalpages ? dom->path : NULL);
		json_uint(&w, "totalpages", totalpages);
		json_bool(&w, "truncated", ts->truncated);
		json_uint(&w, "nr_tasks", (uint64_t)d.nr);
		json_victim(&w, "next_victim", v);
		tasks_json(&w, &d, n, all);
		json_end_object(&w);
		json_newline(&w);
	} else {
		char a[16], b[16], c[16], h[16], where[1024];

		printf("OOM ranking in memory cgroup %s (source: %s)\n", m->path, ts->source);
		if (m->totalpages)
			printf("  limit %s + swap counted %s = totalpages %llu; usage %s, "
			       "headroom %s\n", limit_str(a, sizeof(a), m->limit_kb),
			       human_kb(b, sizeof(b), m->swap_kb),
			       (unsigned long long)m->totalpages,
			       human_kb(c, sizeof(c), m->usage_kb),
			       m->usage_kb > m->limit_kb ? "0" :
			       human_kb(h, sizeof(h), m->limit_kb - m->usage_kb));
		else if (dom->totalpages)
			printf("  no limit of its own: an OOM reaching it is %s's (totalpages %llu); "
			       "usage %s\n", dom->path, (unsigned long long)totalpages,
			       human_kb(c, sizeof(c), m->usage_kb));
		else
			printf("  no limit up to the root: only a machine-wide OOM (totalpages "
			       "%llu) can kill here; usage %s\n", (unsigned long long)totalpages,
			       human_kb(c, sizeof(c), m->usage_kb));
		task_table_print(&d, n, all, st);
		if (v) {
			char c2[40];

			od_escape(v->comm, sizeof(v->comm), c2, sizeof(c2));
			printf("\nPredicted victim of an OOM in %s: %s%s%s (pid %d), badness %lld, "
			       "oom_score_adj %d\n", dom->totalpages ? dom->path : "the machine",
			       od_c(st, C_BOLD), c2, od_c(st, C_RESET), v->pid,
			       (long long)v->badness, v->oom_score_adj);
			if (*task_where(v, where, sizeof(where)))
				printf("  %s\n", where);
			victim_print_cmdline(v);
		} else {
			printf("\nNo killable task in %s.\n", m->path);
		}
	}
	tasks_free(&d);
	free(m);
	free(dom);
	return EXIT_OK;
}

/* A node-constrained OOM's domain: what to rank and how it was sized. */
struct node_domain {
	enum od_node_constraint how;
	const char *cpuset;		/* --cpuset PATH as given, or NULL */
	char rel[OD_CGROUP_PATH_MAX];	/* its hierarchy-relative path */
	od_nodemask nodes;
	char list[256];			/* the nodes as a list */
	bool constrained;		/* false: every node with memory, a global OOM */
	uint64_t totalpages;
};

/*
 * constrained_alloc(): nodes that leave out a node with memory make a
 * cpuset (or mempolicy) OOM, sized swap + present pages of the nodes; all
 * of them make an unconstrained one, sized RAM + swap.
 */
static int size_node_domain(const struct od_tasks *ts, struct node_domain *nd)
{
	int missing;

	if (!ts->has_nodes) {
		od_err("failed to size the OOM domain: no node sizes in %s (an oomdiag.ko "
		       "older than this oomdiag, or no /proc/zoneinfo: load this version's "
		       "module, or use --no-module)", ts->source);
		return EXIT_FAIL;
	}
	nd->constrained = false;
	for (int nid = 0; nid < OD_MAX_NODES; nid++)
		if (node_isset(&ts->nodes_known, nid) && ts->node_present[nid] &&
		    !node_isset(&nd->nodes, nid))
			nd->constrained = true;
	nd->totalpages = tasks_nodes_totalpages(ts, &nd->nodes, &missing);
	if (!nd->totalpages) {
		od_err("failed to size the OOM domain: node %d is not a node of this machine "
		       "(its nodes: see /sys/devices/system/node/online)", missing);
		return EXIT_USAGE;
	}
	if (!nd->constrained)
		nd->totalpages = ts->totalpages;
	return EXIT_OK;
}

/* top --cpuset PATH, top --nodes LIST */
static int top_nodes(const struct od_tasks *ts, struct node_domain *nd, int n, bool all,
		     const struct od_opts *o, const struct od_style *st)
{
	const char *kind = nd->how == OD_CONSTRAINT_CPUSET ? "cpuset" : "mempolicy";
	struct od_tasks d;
	const struct od_task *v;
	int r = size_node_domain(ts, nd);

	if (r)
		return r;
	if (nd->how == OD_CONSTRAINT_MEMPOLICY && !ts->policy_known) {
		od_err("failed to rank a mempolicy OOM: tasks' memory policies are not in /proc "
		       "(load oomdiag.ko: its tasks view has them; or rank the cpuset's "
		       "domain with --cpuset)");
		return EXIT_NOMODULE;
	}
	tasks_rank_nodes(ts, &nd->nodes, nd->how, nd->totalpages, &d);
	v = tasks_next_victim(&d);
	if (o->json) {
		struct json_writer w;

		json_init(&w, stdout);
		json_set_pretty(&w, o->pretty);
		json_begin_object(&w, NULL);
		json_string(&w, "source", ts->source);
		json_string(&w, "constraint", !nd->constrained ? "none" :
			    nd->how == OD_CONSTRAINT_CPUSET ? "cpuset" : "memory_policy");
		json_string(&w, "cpuset", nd->cpuset ? nd->rel : NULL);
		json_string(&w, "nodes", nd->list);
		json_uint(&w, "totalpages", nd->totalpages);
		json_uint(&w, "swap_pages", ts->swap_pages);
		json_begin_object(&w, "node_present_pages");
		for (int nid = 0; nid < OD_MAX_NODES; nid++) {
			char k[16];

			if (!node_isset(&nd->nodes, nid))
				continue;
			snprintf(k, sizeof(k), "%d", nid);
			json_uint(&w, k, ts->node_present[nid]);
		}
		json_end_object(&w);
		json_bool(&w, "truncated", ts->truncated);
		json_uint(&w, "nr_tasks", (uint64_t)d.nr);
		json_uint(&w, "nr_outside", (uint64_t)(ts->nr - d.nr));
		json_victim(&w, "next_victim", v);
		tasks_json(&w, &d, n, all);
		json_end_object(&w);
		json_newline(&w);
	} else {
		char where[1024], name[OD_CGROUP_PATH_MAX * 4 + 1];

		if (nd->cpuset)
			od_escape(nd->rel, strlen(nd->rel), name, sizeof(name));
		printf("OOM ranking for a %s-constrained OOM on nodes %s (%s%s%ssource: %s)\n",
		       kind, nd->list, nd->cpuset ? "cpuset " : "", nd->cpuset ? name : "",
		       nd->cpuset ? "; " : "", ts->source);
		if (nd->constrained) {
			printf("  totalpages %llu = swap %llu", (unsigned long long)nd->totalpages,
			       (unsigned long long)ts->swap_pages);
			for (int nid = 0; nid < OD_MAX_NODES; nid++)
				if (node_isset(&nd->nodes, nid))
					printf(" + node %d present %llu", nid,
					       (unsigned long long)ts->node_present[nid]);
			printf("\n");
		} else {
			printf("  the nodes hold all memory: not a constrained OOM, the kernel sizes "
			       "it machine-wide (totalpages %llu)\n",
			       (unsigned long long)nd->totalpages);
		}
		printf("  candidates: the %d tasks %s; %d outside\n", d.nr,
		       nd->how == OD_CONSTRAINT_CPUSET ?
		       "whose mems_allowed intersect the nodes" :
		       "no MPOL_BIND policy keeps off the nodes", ts->nr - d.nr);
		if (nd->how == OD_CONSTRAINT_CPUSET && ts->mems_from_proc)
			printf("%s(module not loaded: each task's main thread's Mems_allowed_list "
			       "from /proc)%s\n", od_c(st, C_DIM), od_c(st, C_RESET));
		task_table_print(&d, n, all, st);
		if (v) {
			char c2[40];

			od_escape(v->comm, sizeof(v->comm), c2, sizeof(c2));
			printf("\nPredicted victim of a %s OOM on nodes %s: %s%s%s (pid %d), "
			       "badness %lld, oom_score_adj %d\n", kind, nd->list, od_c(st, C_BOLD),
			       c2, od_c(st, C_RESET), v->pid, (long long)v->badness,
			       v->oom_score_adj);
			if (*task_where(v, where, sizeof(where)))
				printf("  %s\n", where);
			victim_print_cmdline(v);
		} else {
			printf("\nNo killable task may use nodes %s.\n", nd->list);
		}
	}
	tasks_free(&d);
	return EXIT_OK;
}

/* top --cgroups */
static int top_all_cgroups(const struct od_tasks *ts, const struct od_opts *o)
{
	struct od_memcg *m = xcalloc(1, sizeof(*m));
	struct json_writer w;
	int nr, r = EXIT_OK;
	char **l = cg_list_memcgs(&nr);

	if (!l) {
		od_err("failed to list memory cgroups: no memory cgroup hierarchy is mounted "
		       "(mount cgroup2 with the memory controller)");
		free(m);
		return EXIT_FAIL;
	}
	if (o->json) {
		json_init(&w, stdout);
		json_set_pretty(&w, o->pretty);
		json_begin_object(&w, NULL);
		json_string(&w, "source", ts->source);
		json_begin_array(&w, "cgroups");
	} else {
		printf("Memory cgroups as OOM domains (source: %s)\n", ts->source);
		printf("%-28s %9s %9s %9s %5s %7s %-16s %s\n", "CGROUP", "LIMIT", "USAGE",
		       "HEADROOM", "KILLS", "VICTIM", "COMM", "CONTAINER");
	}
	for (int i = 0; i < nr; i++) {
		struct od_tasks d;
		const struct od_task *v = NULL;
		char err[256], a[16], b[16], c[16], cn[400], pc[40], name[300];
		struct od_container k;

		if (cg_read_memcg(l[i], m, err, sizeof(err)))
			continue;
		/* Only a memcg with a limit has an OOM of its own. */
		memset(&d, 0, sizeof(d));
		if (m->totalpages) {
			tasks_rank_domain(ts, l[i], m->totalpages, &d);
			v = tasks_next_victim(&d);
		}
		if (o->json) {
			json_begin_object(&w, NULL);
			json_memcg(&w, m);
			json_victim(&w, "next_victim", v);
			json_end_object(&w);
		} else {
			cg_container(l[i], &k);
			cg_container_str(&k, cn, sizeof(cn));
			od_escape(l[i], strlen(l[i]), name, sizeof(name));
			if (v)
				od_escape(v->comm, sizeof(v->comm), pc, sizeof(pc));
			/* A long path on a line of its own, the numbers below it. */
			if (strlen(name) > 28)
				printf("%s\n%-28s", name, "");
			else
				printf("%-28s", name);
			printf(" %9s %9s %9s %5lld %7s %-16.16s %s\n",
			       limit_str(a, sizeof(a), m->limit_kb),
			       human_kb(b, sizeof(b), m->usage_kb),
			       m->limit_kb == UINT64_MAX ? "-" :
			       m->usage_kb > m->limit_kb ? "0" :
			       human_kb(c, sizeof(c), m->limit_kb - m->usage_kb),
			       (long long)(m->v1 ? m->oom_kill_local : m->oom_kill),
			       v ? (snprintf(c, sizeof(c), "%d", v->pid), c) : "-",
			       v ? pc : "-", cn);
		}
		tasks_free(&d);
	}
	if (o->json) {
		json_end_array(&w);
		json_end_object(&w);
		json_newline(&w);
	}
	cg_free_list(l, nr);
	free(m);
	return r;
}

int cmd_top(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "cgroups", no_argument, NULL, OPT_CGROUPS },
		{ "cpuset", required_argument, NULL, OPT_CPUSET },
		{ "nodes", required_argument, NULL, OPT_NODES },
		OD_COMMON_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct od_opts o;
	struct od_style st;
	struct od_tasks ts;
	char err[256] = "";
	const char *cgroup = NULL, *cpuset = NULL, *nodes = NULL;
	struct node_domain nd;
	long n = 10;
	bool all = false, cgroups = false;
	int c, r;

	od_opts_init(&o);
	while ((c = getopt_long(argc, argv, "n:ac:h", lo, NULL)) != -1) {
		if (od_opts_common(&o, c))
			continue;
		switch (c) {
		case 'n':
			n = od_parse_uint(optarg, 1000000);
			if (n < 0)
				return od_usage_error("top", "bad count '%s'", optarg);
			break;
		case 'a':
			all = true;
			break;
		case 'c':
			cgroup = optarg;
			break;
		case OPT_CGROUPS:
			cgroups = true;
			break;
		case OPT_CPUSET:
			cpuset = optarg;
			break;
		case OPT_NODES:
			nodes = optarg;
			break;
		case 'h':
			help(stdout);
			return EXIT_OK;
		default:
			return od_usage_error("top", "bad option");
		}
	}
	if (optind < argc)
		return od_usage_error("top", "unexpected argument '%s'", argv[optind]);
	if (!!cgroup + cgroups + !!cpuset + !!nodes > 1)
		return od_usage_error("top", "--cgroup, --cgroups, --cpuset and --nodes exclude "
				      "each other");
	memset(&nd, 0, sizeof(nd));
	if (nodes) {
		nd.how = OD_CONSTRAINT_MEMPOLICY;
		if (nodelist_parse(nodes, &nd.nodes) || nodes_empty(&nd.nodes))
			return od_usage_error("top", "bad node list '%s' (give node numbers and "
					      "ranges, e.g. 1 or 0-1,3)", nodes);
	}
	if (cpuset) {
		char mems[4096];

		nd.how = OD_CONSTRAINT_CPUSET;
		nd.cpuset = cpuset;
		r = cg_read_cpuset(cpuset, nd.rel, sizeof(nd.rel), mems, sizeof(mems), err,
				   sizeof(err));
		if (!r && (nodelist_parse(mems, &nd.nodes) || nodes_empty(&nd.nodes))) {
			snprintf(err, sizeof(err), "its effective mems '%.200s' are no node list",
				 mems);
			r = -EINVAL;
		}
		if (r) {
			od_err("failed to read the cpuset of %s: %s (is the cpuset controller "
			       "enabled? cgroup v2: echo +cpuset > PARENT/cgroup.subtree_control)",
			       cpuset, err);
			return od_exit_for_errno(-r);
		}
	}
	if (nodes || cpuset)
		nodelist_str(&nd.nodes, nd.list, sizeof(nd.list));
	od_style_from(&st, &o, stdout);
	r = tasks_read(&ts, o.no_module, err, sizeof(err));
	if (r) {
		od_err("%s%s", err, r == -13 ? " (run as root)" : "");
		return od_exit_for_errno(-r);
	}
	if (cgroup || cgroups || cpuset || nodes) {
		r = cgroup ? top_domain(&ts, cgroup, (int)n, all, &o, &st) :
		    cgroups ? top_all_cgroups(&ts, &o) :
			      top_nodes(&ts, &nd, (int)n, all, &o, &st);
		tasks_free(&ts);
		return r;
	}
	if (o.json) {
		struct json_writer w;
		const struct od_task *v = tasks_next_victim(&ts);

		json_init(&w, stdout);
		json_set_pretty(&w, o.pretty);
		json_begin_object(&w, NULL);
		json_string(&w, "source", ts.source);
		json_uint(&w, "totalpages", ts.totalpages);
		json_bool(&w, "truncated", ts.truncated);
		json_uint(&w, "nr_tasks", (uint64_t)ts.nr);
		json_victim(&w, "next_victim", v);
		tasks_json(&w, &ts, n, all);
		json_end_object(&w);
		json_newline(&w);
	} else {
		const struct od_task *v = tasks_next_victim(&ts);
		char c2[40], where[1024];

		printf("OOM badness ranking (source: %s; totalpages %llu)\n", ts.source,
		       (unsigned long long)ts.totalpages);
		if (strstr(ts.source, "proc"))
			printf("%s(module not loaded: oom_score from /proc, badness estimated "
			       "from /proc/PID/status)%s\n", od_c(&st, C_DIM), od_c(&st, C_RESET));
		task_table_print(&ts, (int)n, all, &st);
		if (v) {
			od_escape(v->comm, sizeof(v->comm), c2, sizeof(c2));
			printf("\nPredicted next victim: %s%s%s (pid %d), oom_score %ld, "
			       "oom_score_adj %d\n", od_c(&st, C_BOLD), c2, od_c(&st, C_RESET),
			       v->pid, v->oom_score, v->oom_score_adj);
			if (*task_where(v, where, sizeof(where)))
				printf("  %s\n", where);
			victim_print_cmdline(v);
		} else {
			printf("\nNo killable task found.\n");
		}
		if (ts.truncated)
			printf("(the module's task list was truncated)\n");
	}
	tasks_free(&ts);
	return EXIT_OK;
}
