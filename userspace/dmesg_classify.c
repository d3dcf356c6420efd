// SPDX-License-Identifier: GPL-2.0
/*
 * The line classifier (see dmesg_classify.h).  Most lines of a kernel log
 * are none of ours, so a two-byte filter over the message rules out lines
 * that contain no word a report line starts with before any strstr() runs.
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include "dmesg_classify.h"
#include "dmesg_parsers.h"
#include "dmesg_text.h"

/*
 * Words that one of the report lines contains ("Kernel panic - not syncing:
 * Out of memory" has "emory", "page allocation stalls" has "alloc", "SysRq :
 * Manual OOM execution" and "OOM killer disabled." have "OOM").  Their first
 * two bytes should be rare in kernel logs: every hit costs a compare.
 */
static const char *const trigger_words[] = {
	"oom", "alloc", "emory", "Kill", "kill", "suppressed", "Linux version", "vmap", "Task in ",
	"-- ", "OOM",
};
static uint8_t trigger_pairs[65536 / 8];
static bool trigger_init;

static bool maybe_trigger(const char *s)
{
	const size_t nw = sizeof(trigger_words) / sizeof(trigger_words[0]);

	if (!trigger_init) {
		for (size_t i = 0; i < nw; i++) {
			unsigned int pr = ((unsigned char)trigger_words[i][0] << 8) |
					  (unsigned char)trigger_words[i][1];

			trigger_pairs[pr >> 3] |= (uint8_t)(1u << (pr & 7));
		}
		trigger_init = true;
	}
	for (; s[0] && s[1]; s++) {
		unsigned int pr = ((unsigned char)s[0] << 8) | (unsigned char)s[1];

		if (!(trigger_pairs[pr >> 3] & (1u << (pr & 7))))
			continue;
		for (size_t i = 0; i < nw; i++)
			if (s[0] == trigger_words[i][0] && s[1] == trigger_words[i][1] &&
			    !strncmp(s, trigger_words[i], strlen(trigger_words[i])))
				return true;
	}
	return false;
}

static bool is_task_header(const char *s)
{
	return s[0] == '[' && (strstr(s, "pid ]") || strstr(s, "pid  ]")) && strstr(s, "uid");
}

/* "Node 0 DMA32 free:..", "Node 0 DMA32: 1*4kB ..", "Node 0 active_anon:..", "DMA free:.." */
static bool is_zone_line(const char *msg)
{
	const char *name, *end;
	long long node;

	return dmesg_zone_shape(msg, &node, &name, &end) != DZ_NONE;
}

bool dmesg_body_start(const char *s)
{
	switch (s[0]) {
	case 'M':
		return dm_starts(s, "Mem-Info:") || dm_starts(s, "Mem-info:") ||
		       dm_starts(s, "Memory cgroup stats for ");
	case 'm':
		return dm_starts(s, "memory: usage ");
	case 'N':
		if (dm_starts(s, "Node ") && (strstr(s, " free:") || strchr(s, '*')))
			return true;
		break;
	case 'T':
		return dm_starts(s, "Tasks state");
	case '[':
		return is_task_header(s);
	default:
		break;
	}
	/* non-NUMA zone and buddy lines "Normal free:540kB min:..", "DMA: 85*4kB (UME) .." */
	{
		size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

		if (n && n < 16 && dm_starts(s + n, " free:") && strstr(s + n, " min:"))
			return true;
		return n && n < 16 && s[n] == ':' && s[n + 1] == ' ' &&
		       s[n + 2] >= '0' && s[n + 2] <= '9' && strstr(s, "kB");
	}
}

/* Report starts and boundaries: lines with one of the trigger words. */
static bool classify_trigger(const char *msg, struct dmesg_class *c)
{
	const char *k;

#define IS(kind_, at_) do { c->kind = (kind_); c->at = (at_); return true; } while (0)
	if ((k = strstr(msg, " invoked oom-killer: ")))
		IS(DL_OOM_HEADER, k);
	if ((k = strstr(msg, "page allocation failure")) &&
	    (strstr(k, "order:") || strstr(k, "mode:"))) {
		/* "COMM: page allocation failure"; the comm may be lost to interleaving */
		IS(DL_ALLOC_HEADER, k - msg >= 2 && k[-2] == ':' && k[-1] == ' ' ? k - 2 : msg);
	}
	if ((k = strstr(msg, "page allocation stalls for ")) && strstr(k, "order:"))
		IS(DL_STALL_HEADER, k - msg >= 2 && k[-2] == ':' && k[-1] == ' ' ? k - 2 : msg);
	if ((k = strstr(msg, "vmalloc: allocation failure")) || (k = strstr(msg, "vmalloc error: "))) {
		if (strstr(k, "mode:") && k - msg >= 2 && k[-2] == ':')
			IS(DL_VMALLOC_HEADER, k - 2);
		IS(DL_VMALLOC, k);
	}
	if ((k = strstr(msg, "vmap allocation for size ")) && strstr(k, " failed"))
		IS(DL_VMAP, k);
	if (strstr(msg, " callbacks suppressed") || strstr(msg, " messages suppressed"))
		IS(DL_SUPPRESSED, msg);
	if (dm_starts(msg, "Linux version "))
		IS(DL_BANNER, msg + 14);
	if (dm_starts(msg, "-- Boot ") || dm_starts(msg, "-- Reboot --"))
		IS(DL_BOOT, msg);
	/* kernel/power/process.c around oom_killer_disable()/oom_killer_enable() */
	if (dm_starts(msg, "OOM killer disabled."))
		IS(DL_OOM_DISABLED, msg);
	if (dm_starts(msg, "OOM killer enabled."))
		IS(DL_OOM_ENABLED, msg);
	if ((k = strstr(msg, "Manual OOM execution")) &&
	    (dm_starts(msg, "sysrq") || dm_starts(msg, "SysRq")))
		IS(DL_SYSRQ_OOM, k);
	if ((k = strstr(msg, "Killed process ")))
		IS(DL_KILLED, k + 15);
	/* "Kill process N (comm) score N or sacrifice child", 2.6.32 "kill process" */
	if ((k = strstr(msg, "ill process ")) && k > msg && (k[-1] == 'K' || k[-1] == 'k') &&
	    (k - 1 == msg || k[-2] == ' ') && !strstr(msg, "sharing same memory"))
		IS(DL_KILL_SELECT, k + 12);
	if (dm_starts(msg, "oom-kill:"))
		IS(DL_OOM_KILL, msg);
	if (dm_starts(msg, "Task in ") && (k = strstr(msg, " killed as a result of limit of ")))
		IS(DL_TASK_IN, k);
	if (dm_starts(msg, "Out of memory and no killable processes"))
		IS(DL_NO_KILLABLE, msg);
#undef IS
	return false;
}

void dmesg_classify(const char *msg, bool in_report, struct dmesg_class *c)
{
	bool trig = maybe_trigger(msg);

	c->kind = DL_OTHER;
	c->at = msg;
	if (trig && classify_trigger(msg, c))
		return;
	/* outside a report only a few words matter */
	if (!in_report && !trig && !dmesg_body_start(msg))
		return;
#define IS(kind_) do { c->kind = (kind_); return; } while (0)
	/* by the first byte: most lines inside a report are stack frames */
	switch (msg[0]) {
	case '[':
		if (is_task_header(msg))
			IS(DL_TASKS_HEADER);
		break;
	case 'C':
		if (dm_starts(msg, "CPU: "))
			IS(DL_CPU);
		if (dm_starts(msg, "Call Trace"))
			IS(DL_NOISE);
		break;
	case 'P':
		if (dm_starts(msg, "Pid: ") || (dm_starts(msg, "PID: ") && strstr(msg, " Comm: ")))
			IS(DL_CPU);
		break;
	case 'M':
		if (dm_starts(msg, "Mem-Info:") || dm_starts(msg, "Mem-info:"))
			IS(DL_MEMINFO);
		if (dm_starts(msg, "Memory cgroup stats for "))
			IS(DL_MEMCG_STATS);
		if (dm_starts(msg, "Memory cgroup out of memory"))
			IS(DL_NOISE);
		break;
	case 'T':
		if (dm_starts(msg, "Tasks state"))
			IS(DL_TASKS_STATE);
		if (dm_starts(msg, "Total swap"))
			IS(DL_SWAP);
		if (dm_starts(msg, "Tasks in ") && strstr(msg, "memory.oom.group"))
			IS(DL_GROUP_KILL);
		break;
	case 'F':
		if (dm_starts(msg, "Free swap"))
			IS(DL_SWAP);
		break;
	case 'l':
		if (dm_starts(msg, "lowmem_reserve[]:"))
			IS(DL_LOWMEM);
		break;
	case 'm':
	case 's':
	case 'k':
		if (dm_starts(msg, "memory: usage") || dm_starts(msg, "memory+swap: usage") ||
		    dm_starts(msg, "swap: usage") || dm_starts(msg, "kmem: usage"))
			IS(DL_MEMCG_USAGE);
		break;
	case 'U':
		if (dm_starts(msg, "Unreclaimable slab info:"))
			IS(DL_SLAB_HEADER);
		break;
	case 'H':
		if (dm_starts(msg, "Hardware name"))
			IS(DL_NOISE);
		break;
	case 'O':
		if (dm_starts(msg, "Out of memory"))
			IS(DL_NOISE);
		break;
	default:
		if (isdigit((unsigned char)msg[0]) && strstr(msg, " pages"))
			IS(DL_PAGES);
		break;
	}
	if (is_zone_line(msg))
		IS(DL_ZONE);
	if (msg[0] == 'N' && strstr(msg, "hugepages_total="))
		IS(DL_HUGEPAGES);
	/* anywhere in the line: the panic (interleaved), memcg stack frames, the old cpuset line */
	if (!memchr(msg, '_', strlen(msg)) && !strchr(msg, 'K') && !strchr(msg, '='))
		return;
	if (strstr(msg, "Kernel panic - not syncing"))
		IS(DL_PANIC);
	/* the memcg OOM entry points: 3.x-4.x page faults end in the synchronize step */
	if (strstr(msg, "mem_cgroup_out_of_memory") || strstr(msg, "mem_cgroup_oom_synchronize"))
		IS(DL_MEMCG_STACK);
	if (strstr(msg, " cpuset=") && strstr(msg, "mems_allowed="))
		IS(DL_CPUSET);
#undef IS
}
