// SPDX-License-Identifier: GPL-2.0
/* OOM badness ranking of all tasks, see tasks.h. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	memset(ts, 0, sizeof(*ts));
}

static int cmp_task(const void *a, const void *b)
{
	const struct od_task *x = a, *y = b;
	bool kx = !x->exempt[0], ky = !y->exempt[0];

	if (kx != ky)
		return kx ? -1 : 1;
	if (x->oom_score != y->oom_score)
		return x->oom_score > y->oom_score ? -1 : 1;
	if (x->has_badness && y->has_badness && x->badness != y->badness)
		return x->badness > y->badness ? -1 : 1;
	/* the kernel keeps the later task of equal points (oom_evaluate_task
	 * replaces on >=): higher pid first */
	return x->pid > y->pid ? -1 : x->pid < y->pid;
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
	int c_memcg, c_exempt;
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
	if (c_pid < 0 || c_comm < 0) {
		dbgtab_free(&t);
		return -1;
	}
	s = dbgtab_summary(&t, "totalpages");
	ts->totalpages = s ? strtoull(s, NULL, 10) : 0;
	s = dbgtab_summary(&t, "truncated");
	ts->truncated = s && strcmp(s, "0");
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
	}
	dbgtab_free(&t);
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
		k->pgtables_kb = status_kb(st, "VmPTE") > 0 ? (uint64_t)status_kb(st, "VmPTE") : 0;
		k->oom_score = sc ? strtol(sc, NULL, 10) : 0;
		k->oom_score_adj = adj ? atoi(adj) : 0;
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
