// SPDX-License-Identifier: GPL-2.0
/*
 * mm/oom_kill.c, the end of an OOM report: "Out of memory: Kill process N
 * (comm) score N or sacrifice child" (before 4.19, "kill process" in
 * 2.6.32), "Killed process N (comm) total-vm:..kB, anon-rss:..kB, ..."
 * (prefixed "Out of memory: " or "Memory cgroup out of memory: " since
 * 4.19), "oom-kill:constraint=..,..,task=..,pid=..,uid=.." (4.19+), the
 * memory.oom.group kills, and the panics: "Kernel panic - not syncing: Out
 * of memory: system-wide panic_on_oom is enabled" (or "compulsory"), "Out
 * of memory and no killable processes...".
 */
#include <ctype.h>
#include <string.h>
#include "dmesg_parsers.h"
#include "dmesg_text.h"

/* "... (comm) total-vm:..": comm between the first '(' and the ") " */
static const char *paren_comm(const char *s, char *dst, size_t n)
{
	const char *o = strchr(s, '('), *c;

	if (!o)
		return s;
	c = strstr(o, ") ");
	if (!c)
		c = strrchr(o, ')');
	if (!c)
		return s;
	dm_copy_span(dst, n, o + 1, c);
	return c + 1;
}

/* The comm of pid in the task dump, if it was kept. */
static void task_comm_of(const struct lp_report *r, int pid, char *dst, size_t n)
{
	for (int i = 0; i < r->nr_top_rss; i++)
		if (r->top_rss[i].pid == pid) {
			dm_copy_span(dst, n, r->top_rss[i].comm,
				     r->top_rss[i].comm + strlen(r->top_rss[i].comm));
			return;
		}
	for (int i = 0; i < r->nr_top_badness; i++)
		if (r->top_badness[i].pid == pid) {
			dm_copy_span(dst, n, r->top_badness[i].comm,
				     r->top_badness[i].comm + strlen(r->top_badness[i].comm));
			return;
		}
}

void dmesg_victim_killed(struct lp_report *r, const char *k)
{
	struct lp_victim *v = &r->victim;
	long long x;
	const char *s;
	char comm[LP_COMM_MAX] = "";

	if (!dm_parse_ll(k, &x, &s))
		return;
	r->nr_killed++;
	if (r->nr_killed > 1 && (r->seen & LP_SEEN_VICTIM))
		return;		/* group kill: the first one is the victim */
	if (v->pid > 0 && v->pid != (int)x && (r->seen & LP_SEEN_SELECT)) {
		/* "or sacrifice child": the child was killed, not the selected */
		v->selected_pid = v->pid;
		memcpy(v->selected_comm, v->comm, sizeof(v->comm));
		v->comm[0] = '\0';
	}
	v->pid = (int)x;
	if (!strncmp(s, ", UID ", 6) && dm_parse_ll(s + 6, &x, NULL))
		v->uid = (int)x;
	s = paren_comm(s, comm, sizeof(comm));
	if (comm[0])
		memcpy(v->comm, comm, sizeof(comm));
	else if (!v->comm[0])
		task_comm_of(r, v->pid, v->comm, sizeof(v->comm));	/* a cut line */
	v->killed = true;
	v->total_vm_kb = dm_kb_val(s, "total-vm:");
	v->anon_rss_kb = dm_kb_val(s, "anon-rss:");
	v->file_rss_kb = dm_kb_val(s, "file-rss:");
	v->shmem_rss_kb = dm_kb_val(s, "shmem-rss:");
	v->pgtables_kb = dm_kb_val(s, "pgtables:");
	if (dm_tok_num(s, "UID:", &x))
		v->uid = (int)x;
	if (dm_tok_num(s, "oom_score_adj:", &x))
		v->oom_score_adj = (int)x;
	r->seen |= LP_SEEN_VICTIM;
}

void dmesg_victim_selected(struct lp_report *r, const char *k)
{
	struct lp_victim *v = &r->victim;
	long long x;
	const char *s;

	if (!dm_parse_ll(k, &x, &s))
		return;
	v->pid = (int)x;
	s = paren_comm(s, v->comm, sizeof(v->comm));
	if (dm_num_after(s, "score ", &x))
		v->score = x;
	r->seen |= LP_SEEN_SELECT;
}

/* oom-kill:constraint=..,nodemask=..,cpuset=..,mems_allowed=..,oom_memcg=..,task_memcg=..,task=..,pid=..,uid=.. */
static const char *okv(const char *s, const char *key, char *dst, size_t n)
{
	size_t kl = strlen(key);
	const char *k = s, *e;

	while ((k = strstr(k, key))) {
		if (k[-1] == ':' || k[-1] == ',')
			break;
		k += kl;
	}
	if (!k)
		return NULL;
	k += kl;
	e = k;
	/* the value ends at a ',' that starts the next key (a letter) */
	while (*e && !(*e == ',' && isalpha((unsigned char)e[1])))
		e++;
	dm_copy_span(dst, n, k, e);
	return dst;
}

void dmesg_oom_kill_line(struct lp_report *r, const char *msg)
{
	char buf[LP_PATH_MAX];
	long long v;

	/* a value cut by the log ("constraint=CONST") is not a constraint */
	if (okv(msg, "constraint=", r->constraint, sizeof(r->constraint)) &&
	    strcmp(r->constraint, "CONSTRAINT_NONE") && strcmp(r->constraint, "CONSTRAINT_CPUSET") &&
	    strcmp(r->constraint, "CONSTRAINT_MEMORY_POLICY") &&
	    strcmp(r->constraint, "CONSTRAINT_MEMCG") && !strchr(msg, ','))
		r->constraint[0] = '\0';
	if (okv(msg, "nodemask=", buf, sizeof(buf)))
		dm_copy_span(r->nodemask, sizeof(r->nodemask), buf, buf + strlen(buf));
	okv(msg, "cpuset=", r->cpuset, sizeof(r->cpuset));
	if (okv(msg, "mems_allowed=", buf, sizeof(buf)))
		dm_copy_span(r->mems_allowed, sizeof(r->mems_allowed), buf, buf + strlen(buf));
	okv(msg, "oom_memcg=", r->memcg, sizeof(r->memcg));
	okv(msg, "task_memcg=", r->task_memcg, sizeof(r->task_memcg));
	if (strstr(msg, ",global_oom"))
		r->global_oom_flag = true;
	if (!(r->seen & (LP_SEEN_VICTIM | LP_SEEN_SELECT))) {
		if (okv(msg, "task=", buf, sizeof(buf)))
			dm_copy_span(r->victim.comm, sizeof(r->victim.comm), buf, buf + strlen(buf));
		if (okv(msg, "pid=", buf, sizeof(buf)) && dm_parse_ll(buf, &v, NULL))
			r->victim.pid = (int)v;
		if (okv(msg, "uid=", buf, sizeof(buf)) && dm_parse_ll(buf, &v, NULL))
			r->victim.uid = (int)v;
	}
	r->seen |= LP_SEEN_OOMKILL;
}

void dmesg_panic(struct lp_report *r, const char *msg)
{
	r->panic = true;
	if (strstr(msg, "panic_on_oom"))
		r->panic_on_oom = strstr(msg, "compulsory") ? 2 : 1;
}
