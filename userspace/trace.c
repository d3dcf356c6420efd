// SPDX-License-Identifier: GPL-2.0
/*
 * oomdiag trace: attach the CO-RE probes of bpf/oomdiag.bpf.c (embedded as a
 * libbpf skeleton) and stream allocation failures, warn_alloc() calls, OOM
 * kills and victims and overcommit refusals; on exit print the latency
 * histograms and what was lost.
 *
 * libbpf-tools habits: open -> set rodata -> decide autoload -> load ->
 * attach, one cleanup path; libbpf's own messages only with -v.
 *
 * Exit codes: 0 ok, 1 failed (no probe could attach, load error), 2 usage,
 * 4 permission (needs root: CAP_BPF + CAP_PERFMON, or CAP_SYS_ADMIN).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <elf.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "oomdiag_event.h"
#include "../bpf/oomdiag_bpf.h"
#include "oomdiag.skel.h"
#include "cli.h"
#include "trace.h"
#include "ksyms.h"
#include "gfp.h"
#include "json.h"
#include "event.h"
#include "event_model.h"
#include "util.h"

static volatile sig_atomic_t stop;
static bool verbose;

struct trace_opts {
	struct od_opts common;	/* the global options (cli.h) */
	bool records;
	bool explain;
	double duration;
	int pid;
	const char *cgroup;
	unsigned int min_order;
	unsigned long slow_ms;
	bool latency;
	unsigned int samples;
};

enum pstate { P_UNAVAILABLE, P_ATTACHED, P_FALLBACK, P_OFF };

/* One probe as the user sees it: one or more BPF programs. */
struct probe {
	const char *name;
	enum pstate state;
	char target[96];	/* function or tracepoint attached to */
	char why[256];		/* detail printed after the state */
	struct bpf_link *links[3];
};

enum {
	PR_ALLOC_FAIL, PR_MEMCG, PR_NOLOCK, PR_ALLOC_LAT, PR_RECLAIM, PR_COMPACT, PR_RETRY,
	PR_WARN, PR_OOM_KILL, PR_MARK_VICTIM, PR_VM, PR_NR
};

struct tracer {
	struct trace_opts o;
	struct oomdiag_bpf *skel;
	struct ring_buffer *rb;
	struct ksyms *ks;
	const struct gfp_layout *gfp;
	struct btf *vmlinux_btf;
	char *ftrace_funcs;	/* available_filter_functions, "\nname\n" searchable */
	const char *tracefs;
	struct probe p[PR_NR];
	const char *alloc_fn;
	/* the slow path's call site: kprobes at slow_fn+slow_off and +5 */
	const char *slow_fn;
	unsigned long slow_off;
	char slow_why[160];	/* why the slow path's site is not used */
	const char *oom_kill_fn;
	bool nopage_rs_known;	/* warn_alloc's ratelimit state found in kallsyms */
	const char *dump_stack_fn;	/* dump_stack_lvl or dump_stack, NULL: none */
	unsigned int failed;	/* FAILED_*: alternatives that did not load or attach */
	unsigned long long delivered[OOMDIAG_KIND_MAX];
	unsigned long long nr_events;
	long long wall_offset_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	struct od_style st;	/* from the global options */
	struct od_event od;	/* scratch for rendering */
	/* the kill ledger sent just before its oom_kill event */
	bool have_ledger;
	struct oomdiag_ledger_rec ledger;
	unsigned long long ledgers_unmatched;	/* ledgers no oom_kill event took */
};

_Static_assert(sizeof(struct oomdiag_ledger_rec) != sizeof(struct oomdiag_event) &&
	       sizeof(struct oomdiag_ledger_rec) != offsetof(struct oomdiag_event, zones),
	       "ledger records are told apart from events by their size");

/* Preferred programs that failed to load or attach: detect() takes the next. */
#define FAILED_PAGE_ALLOC_BTF	0x01
#define FAILED_MARK_VICTIM_BTF	0x02
#define FAILED_MARK_VICTIM_KP	0x04
#define FAILED_VM_FEXIT		0x08
#define FAILED_DUMP_STACK	0x10
#define FAILED_SLOWPATH		0x20

/* Probes that produce events, as opposed to latency histograms only. */
static int event_probes_attached(const struct tracer *t)
{
	static const int ev[] = { PR_ALLOC_FAIL, PR_WARN, PR_OOM_KILL, PR_MARK_VICTIM, PR_VM };
	int n = 0;

	for (size_t i = 0; i < sizeof(ev) / sizeof(ev[0]); i++)
		n += t->p[ev[i]].state != P_UNAVAILABLE;
	return n;
}

/*
 * Kernel lockdown explains most refusals at once: under confidentiality
 * BPF may not read kernel memory and tracefs is closed.
 */
static const char *lockdown_hint(void)
{
	static char hint[160];
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/security/lockdown", "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	if (strstr(buf, "[confidentiality]"))
		return "; the kernel is in lockdown=confidentiality, which forbids BPF reads "
		       "of kernel memory and tracefs (boot with lockdown=integrity or none)";
	if (strstr(buf, "[integrity]")) {
		snprintf(hint, sizeof(hint), "; note: the kernel is in lockdown=integrity");
		return hint;
	}
	return "";
}

/* The program libbpf last failed to load, from its messages. */
static char failed_prog[64];

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	char msg[512];
	const char *p, *q;
	va_list ap;

	(void)level;
	va_copy(ap, args);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* "libbpf: prog 'NAME': BPF program load failed: ..." */
	p = strstr(msg, "prog '");
	if (p && strstr(msg, "load failed")) {
		p += 6;
		q = strchr(p, '\'');
		if (q && (size_t)(q - p) < sizeof(failed_prog)) {
			memcpy(failed_prog, p, q - p);
			failed_prog[q - p] = 0;
		}
	}
	if (!verbose)
		return 0;
	/* whole: a verifier log comes as one message of many kilobytes */
	return vfprintf(stderr, fmt, args);
}

/* Which probe a BPF program belongs to, -1 if none. */
static int probe_of_prog(const char *name)
{
	static const struct { const char *prog; int probe; } map[] = {
		{ "tp_page_alloc", PR_ALLOC_FAIL }, { "page_alloc_btf", PR_ALLOC_FAIL },
		{ "slow_call", PR_ALLOC_FAIL }, { "slow_return", PR_ALLOC_FAIL },
		{ "memcg_charge_fexit", PR_MEMCG }, { "nolock_fexit", PR_NOLOCK },
		{ "alloc_enter", PR_ALLOC_LAT }, { "alloc_exit", PR_ALLOC_LAT },
		{ "tp_reclaim_begin", PR_RECLAIM }, { "tp_reclaim_end", PR_RECLAIM },
		{ "tp_compact", PR_COMPACT }, { "tp_retry", PR_RETRY },
		{ "warn_alloc_enter", PR_WARN }, { "warn_alloc_exit", PR_WARN },
		{ "warn_alloc_only", PR_WARN }, { "oom_kill", PR_OOM_KILL },
		{ "tp_mark_victim", PR_MARK_VICTIM }, { "mark_victim_btf", PR_MARK_VICTIM },
		{ "mark_victim_kprobe", PR_MARK_VICTIM }, { "warn_dump_stack", PR_WARN },
		{ "vm_enough_enter", PR_VM }, { "vm_enough_exit", PR_VM },
		{ "vm_enough_fexit", PR_VM },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].prog, name))
			return map[i].probe;
	return -1;
}

/* The FAILED_* bit of a preferred program that has an alternative, else 0. */
static unsigned int fallback_of(const char *prog)
{
	static const struct { const char *prog; unsigned int bit; } map[] = {
		{ "page_alloc_btf", FAILED_PAGE_ALLOC_BTF },
		{ "slow_call", FAILED_SLOWPATH }, { "slow_return", FAILED_SLOWPATH },
		{ "mark_victim_btf", FAILED_MARK_VICTIM_BTF },
		{ "mark_victim_kprobe", FAILED_MARK_VICTIM_KP },
		{ "vm_enough_fexit", FAILED_VM_FEXIT },
		{ "warn_dump_stack", FAILED_DUMP_STACK },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i].prog, prog))
			return map[i].bit;
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* ---------------------------------------------------------------- */
/* Feature detection                                                 */

static const char *find_tracefs(void)
{
	static const char *dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	struct stat st;
	char p[128];

	for (size_t i = 0; i < 2; i++) {
		snprintf(p, sizeof(p), "%s/events", dirs[i]);
		if (!stat(p, &st))
			return dirs[i];
	}
	return NULL;
}

static bool tracepoint_exists(struct tracer *t, const char *cat, const char *name)
{
	struct stat st;
	char p[256];

	if (!t->tracefs)
		return false;
	snprintf(p, sizeof(p), "%s/events/%s/%s/id", t->tracefs, cat, name);
	return !stat(p, &st);
}

static void load_ftrace_funcs(struct tracer *t)
{
	char p[128];
	FILE *f;
	size_t cap = 1 << 20, len = 1;
	char line[512];

	if (!t->tracefs)
		return;
	snprintf(p, sizeof(p), "%s/available_filter_functions", t->tracefs);
	f = fopen(p, "r");
	if (!f)
		return;
	t->ftrace_funcs = malloc(cap);
	if (!t->ftrace_funcs)
		goto out;
	t->ftrace_funcs[0] = '\n';
	while (fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, " \n");

		if (len + n + 2 > cap) {
			char *q = realloc(t->ftrace_funcs, cap *= 2);

			if (!q)
				break;
			t->ftrace_funcs = q;
		}
		memcpy(t->ftrace_funcs + len, line, n);
		len += n;
		t->ftrace_funcs[len++] = '\n';
	}
	t->ftrace_funcs[len] = 0;
out:
	fclose(f);
}

/* Is NAME a function ftrace can hook (not notrace)?  -1: unknown. */
static int ftrace_has(struct tracer *t, const char *name)
{
	char pat[160];

	if (!t->ftrace_funcs)
		return -1;
	snprintf(pat, sizeof(pat), "\n%s\n", name);
	return strstr(t->ftrace_funcs, pat) != NULL;
}

static bool btf_has_func(struct tracer *t, const char *name)
{
	return t->vmlinux_btf && btf__find_by_name_kind(t->vmlinux_btf, name, BTF_KIND_FUNC) > 0;
}

static bool btf_struct_has_member(struct tracer *t, const char *st, const char *member)
{
	const struct btf_type *ty;
	const struct btf_member *m;
	int id;

	if (!t->vmlinux_btf)
		return false;
	id = btf__find_by_name_kind(t->vmlinux_btf, st, BTF_KIND_STRUCT);
	if (id <= 0)
		return false;
	ty = btf__type_by_id(t->vmlinux_btf, id);
	m = btf_members(ty);
	for (int i = 0; i < btf_vlen(ty); i++, m++)
		if (!strcmp(btf__name_by_offset(t->vmlinux_btf, m->name_off), member))
			return true;
	return false;
}

static void set_p(struct probe *p, enum pstate s, const char *target, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void set_p(struct probe *p, enum pstate s, const char *target, const char *fmt, ...)
{
	va_list ap;

	p->state = s;
	if (target)
		snprintf(p->target, sizeof(p->target), "%s", target);
	va_start(ap, fmt);
	vsnprintf(p->why, sizeof(p->why), fmt, ap);
	va_end(ap);
}

/* A kprobe target: in kallsyms and hookable by ftrace. */
static bool kprobe_ok(struct tracer *t, struct probe *p, const char *fn, const char **real)
{
	const struct ksym *s = ksyms_func(t->ks, fn);
	int ft;

	if (!s) {
		set_p(p, P_UNAVAILABLE, fn, "%s not in /proc/kallsyms", fn);
		return false;
	}
	ft = ftrace_has(t, s->name);
	if (ft == 0) {
		set_p(p, P_UNAVAILABLE, s->name, "%s is notrace (not in available_filter_functions)",
		      s->name);
		return false;
	}
	*real = s->name;
	return true;
}

static void tp_probe(struct tracer *t, int idx, const char *name, const char *cat,
		     const char *ev, struct bpf_program *a, struct bpf_program *b)
{
	struct probe *p = &t->p[idx];
	char target[96];

	p->name = name;
	snprintf(target, sizeof(target), "%s:%s", cat, ev);
	if (!t->tracefs) {
		set_p(p, P_UNAVAILABLE, target, "tracefs not mounted (mount -t tracefs nodev /sys/kernel/tracing)");
	} else if (!tracepoint_exists(t, cat, ev)) {
		set_p(p, P_UNAVAILABLE, target, "tracepoint %s not in this kernel", target);
	} else {
		set_p(p, P_ATTACHED, target, "tracepoint");
		return;
	}
	bpf_program__set_autoload(a, false);
	if (b)
		bpf_program__set_autoload(b, false);
}

/*
 * A BTF-typed raw tracepoint (tp_btf) needs the btf_trace_NAME typedef in
 * the kernel's BTF; ARG (1-based, after the void *__data) must be a pointer
 * when PTR_ARG is set.  The oom:mark_victim prototype changed from (int pid)
 * to (struct task_struct *, uid_t) in 6.8 (Debian 6.1 has the backport).
 */
static bool btf_tracepoint(struct tracer *t, const char *name, int ptr_arg)
{
	char tn[128];
	const struct btf_type *ty;
	int id;

	if (!t->vmlinux_btf)
		return false;
	snprintf(tn, sizeof(tn), "btf_trace_%s", name);
	id = btf__find_by_name_kind(t->vmlinux_btf, tn, BTF_KIND_TYPEDEF);
	if (id <= 0)
		return false;
	if (!ptr_arg)
		return true;
	ty = btf__type_by_id(t->vmlinux_btf, btf__resolve_type(t->vmlinux_btf, id));
	if (!ty || !btf_is_ptr(ty))
		return false;
	ty = btf__type_by_id(t->vmlinux_btf, ty->type);
	if (!ty || !btf_is_func_proto(ty) || btf_vlen(ty) <= ptr_arg)
		return false;
	ty = btf__type_by_id(t->vmlinux_btf,
			     btf__resolve_type(t->vmlinux_btf, btf_params(ty)[ptr_arg].type));
	return ty && btf_is_ptr(ty);
}

/* fentry/fexit target: in BTF and hookable by ftrace */
static bool fentry_ok(struct tracer *t, const char *fn)
{
	return btf_has_func(t, fn) && ftrace_has(t, fn) != 0 && ksyms_name(t->ks, fn);
}

static void autoload(struct bpf_program *p, bool on)
{
	bpf_program__set_autoload(p, on);
}

/* LEN bytes of kernel memory at ADDR, from /proc/kcore; 0 or -errno. */
static int kcore_read(uint64_t addr, void *buf, size_t len)
{
	int fd = open("/proc/kcore", O_RDONLY | O_CLOEXEC);
	Elf64_Ehdr eh;
	int err = -ENOENT;

	if (fd < 0)
		return -errno;
	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(Elf64_Phdr)) {
		close(fd);
		return -EINVAL;
	}
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + (uint64_t)i * sizeof(ph)) != sizeof(ph))
			break;
		if (ph.p_type != PT_LOAD || addr < ph.p_vaddr || addr + len > ph.p_vaddr + ph.p_memsz)
			continue;
		err = pread(fd, buf, len, ph.p_offset + (addr - ph.p_vaddr)) == (ssize_t)len ? 0 :
		      -EIO;
		break;
	}
	close(fd);
	return err;
}

/*
 * __alloc_pages_slowpath() is notrace, but its caller, the allocator entry
 * function, is traceable, and a kprobe may sit on any instruction of a
 * traceable function: find the call (e8 rel32) of the slow path in the
 * entry function's code, read from /proc/kcore.  The target may be the
 * symbol or a few bytes around it (call-depth thunk before it, IBT landing
 * after the endbr).  Exactly one such call: t->slow_fn, t->slow_off.
 */
static bool find_slow_site(struct tracer *t)
{
	static const char *callers[] = { "__alloc_frozen_pages_noprof", "__alloc_pages_noprof",
					 "__alloc_pages", "__alloc_pages_nodemask" };
	const struct ksym *slow = ksyms_func(t->ks, "__alloc_pages_slowpath");
	char *why = t->slow_why;
	size_t wl = sizeof(t->slow_why);

	if (!slow) {
		snprintf(why, wl, "__alloc_pages_slowpath not in /proc/kallsyms (inlined)");
		return false;
	}
	snprintf(why, wl, "no traceable allocator entry function calls %s", slow->name);
	for (size_t i = 0; i < sizeof(callers) / sizeof(callers[0]); i++) {
		const struct ksym *f = ksyms_name(t->ks, callers[i]);
		unsigned char code[8192];
		uint64_t size = 0;
		int n = 0, err;

		if (!f || f->module || ftrace_has(t, f->name) == 0)
			continue;
		ksyms_addr(t->ks, f->addr, &size);
		if (size < 16 || size > sizeof(code))
			size = sizeof(code) < size ? sizeof(code) : size;
		if (size < 16)
			continue;
		err = kcore_read(f->addr, code, size);
		if (err) {
			snprintf(why, wl, "cannot read %s's code from /proc/kcore: %s", f->name,
				 strerror(-err));
			return false;
		}
		for (uint64_t off = 0; off + 5 <= size; off++) {
			int32_t rel;
			uint64_t to;

			if (code[off] != 0xe8)
				continue;
			memcpy(&rel, code + off + 1, 4);
			to = f->addr + off + 5 + (int64_t)rel;
			if (to + 32 >= slow->addr && to <= slow->addr + 16) {
				t->slow_off = off;
				n++;
			}
		}
		if (n == 1) {
			t->slow_fn = f->name;
			why[0] = 0;
			return true;
		}
		if (n > 1) {
			snprintf(why, wl, "%d calls of %s in %s (one expected)", n, slow->name,
				 f->name);
			return false;
		}
	}
	return false;
}

static void detect_alloc_fail(struct tracer *t)
{
	struct oomdiag_bpf *s = t->skel;
	struct probe *p = &t->p[PR_ALLOC_FAIL];
	struct probe *m = &t->p[PR_MEMCG];
	struct probe *nl = &t->p[PR_NOLOCK];
	static const char *nolock_fns[] = { "alloc_frozen_pages_nolock_noprof",
					    "alloc_pages_nolock_noprof" };
	const char *slow = NULL, *nolock = NULL;

	m->name = "memcg_charge";
	nl->name = "alloc_nolock";
	autoload(s->progs.nolock_fexit, false);
	for (size_t i = 0; !nolock && i < sizeof(nolock_fns) / sizeof(nolock_fns[0]); i++)
		if (fentry_ok(t, nolock_fns[i]))
			nolock = nolock_fns[i];
	autoload(s->progs.page_alloc_btf, false);
	autoload(s->progs.slow_call, false);
	autoload(s->progs.slow_return, false);
	autoload(s->progs.memcg_charge_fexit, false);
	t->slow_fn = NULL;
	if (!(t->failed & FAILED_SLOWPATH) && find_slow_site(t)) {
		const struct ksym *k = ksyms_func(t->ks, "__alloc_pages_slowpath");
		char target[96];

		slow = k ? k->name : "__alloc_pages_slowpath";
		p->name = "alloc_fail";
		snprintf(target, sizeof(target), "%s+0x%lx", t->slow_fn, t->slow_off);
		autoload(s->progs.tp_page_alloc, false);
		autoload(s->progs.slow_call, true);
		autoload(s->progs.slow_return, true);
		set_p(p, P_ATTACHED, target, "kprobes on the call of the notrace %s and the "
		      "instruction after it: slow requests only, NULL = failure", slow);
	} else {
		tp_probe(t, PR_ALLOC_FAIL, "alloc_fail", "kmem", "mm_page_alloc",
			 s->progs.tp_page_alloc, NULL);
	}
	if (slow) {
		/* the slow path does not see a failed kmem charge: fexit on the charge */
		uint64_t acct = t->gfp ? gfp_flag(t->gfp, "__GFP_ACCOUNT") : 0;

		if (!acct || acct > 0xffffffffULL)
			set_p(m, P_UNAVAILABLE, "__memcg_kmem_charge_page", "__GFP_ACCOUNT's bit "
			      "unknown on this kernel: failed kmem charges not seen");
		else if (!fentry_ok(t, "__memcg_kmem_charge_page"))
			set_p(m, P_UNAVAILABLE, "__memcg_kmem_charge_page", "no fexit on it "
			      "(not in BTF or notrace): failed kmem charges not seen");
		else {
			autoload(s->progs.memcg_charge_fexit, true);
			s->rodata->gfp_account = acct;
			set_p(m, P_ATTACHED, "__memcg_kmem_charge_page", "fexit: __GFP_ACCOUNT "
			      "pages whose kmem charge failed (alloc_fail the slow path misses)");
		}
		if (nolock) {
			autoload(s->progs.nolock_fexit, true);
			bpf_program__set_attach_target(s->progs.nolock_fexit, 0, nolock);
			set_p(nl, P_ATTACHED, nolock, "fexit: alloc_pages_nolock() requests, which "
			      "have no slow path (alloc_fail when NULL)");
		} else {
			set_p(nl, P_OFF, "-", "no traceable alloc_pages_nolock() (added in 6.15)");
		}
		return;
	}
	set_p(nl, P_OFF, nolock ? nolock : "-", "mm_page_alloc sees alloc_pages_nolock() too");
	if ((t->failed & FAILED_SLOWPATH) && !t->slow_why[0])
		snprintf(t->slow_why, sizeof(t->slow_why), "its BPF programs failed to load");
	set_p(m, P_OFF, "__memcg_kmem_charge_page", "mm_page_alloc sees failed kmem charges");
	if (p->state != P_ATTACHED)
		return;
	if (!(t->failed & FAILED_PAGE_ALLOC_BTF) && btf_tracepoint(t, "mm_page_alloc", 0)) {
		autoload(s->progs.tp_page_alloc, false);
		autoload(s->progs.page_alloc_btf, true);
		set_p(p, P_FALLBACK, "kmem:mm_page_alloc (tp_btf)", "runs on every allocation "
		      "(slow path's call site not usable: %s): no page = failure", t->slow_why);
	} else {
		set_p(p, P_FALLBACK, NULL, "runs on every allocation (slow path's call site not "
		      "usable: %s): tracepoint (no BTF raw tracepoint%s), pfn -1 = failure",
		      t->slow_why,
		      t->failed & FAILED_PAGE_ALLOC_BTF ? ": it failed to load" : "");
	}
}

static void detect_mark_victim(struct tracer *t)
{
	struct oomdiag_bpf *s = t->skel;
	struct probe *p = &t->p[PR_MARK_VICTIM];
	const char *fn;

	autoload(s->progs.mark_victim_btf, false);
	autoload(s->progs.mark_victim_kprobe, false);
	tp_probe(t, PR_MARK_VICTIM, "mark_victim", "oom", "mark_victim", s->progs.tp_mark_victim,
		 NULL);
	if (p->state != P_ATTACHED)
		return;
	if (!(t->failed & FAILED_MARK_VICTIM_BTF) && btf_tracepoint(t, "mark_victim", 1)) {
		autoload(s->progs.tp_mark_victim, false);
		autoload(s->progs.mark_victim_btf, true);
		set_p(p, P_ATTACHED, "oom:mark_victim (tp_btf)",
		      "BTF raw tracepoint: the victim task, victim_pid its tgid");
		return;
	}
	if (!(t->failed & FAILED_MARK_VICTIM_KP) && kprobe_ok(t, p, "mark_oom_victim", &fn)) {
		autoload(s->progs.tp_mark_victim, false);
		autoload(s->progs.mark_victim_kprobe, true);
		set_p(p, P_FALLBACK, fn, "kprobe (the tracepoint passes only a thread id before "
		      "6.8): the victim task, victim_pid its tgid");
		return;
	}
	set_p(p, P_FALLBACK, "oom:mark_victim", "old tracepoint layout (pid only): victim_pid "
	      "is the thread id, comm/rss/uid from oom_kill");
	if (!btf_struct_has_member(t, "trace_event_raw_mark_victim", "uid"))
		return;
	set_p(p, P_FALLBACK, NULL, "tracepoint record: victim_pid is the thread id");
}

static void detect(struct tracer *t)
{
	struct oomdiag_bpf *s = t->skel;
	static const char *alloc_fns[] = {
		"__alloc_frozen_pages_noprof",	/* 6.15+ */
		"__alloc_pages_noprof",		/* 6.10+ */
		"__alloc_pages",		/* 5.13+ */
		"__alloc_pages_nodemask",	/* <= 5.12 */
	};
	struct probe *p;
	const char *fn;
	size_t i;

	detect_alloc_fail(t);
	tp_probe(t, PR_RECLAIM, "reclaim", "vmscan", "mm_vmscan_direct_reclaim_begin",
		 s->progs.tp_reclaim_begin, s->progs.tp_reclaim_end);
	if (t->p[PR_RECLAIM].state == P_ATTACHED &&
	    !tracepoint_exists(t, "vmscan", "mm_vmscan_direct_reclaim_end")) {
		set_p(&t->p[PR_RECLAIM], P_UNAVAILABLE, NULL, "no mm_vmscan_direct_reclaim_end");
		autoload(s->progs.tp_reclaim_begin, false);
		autoload(s->progs.tp_reclaim_end, false);
	} else if (t->p[PR_RECLAIM].state == P_ATTACHED) {
		set_p(&t->p[PR_RECLAIM], P_ATTACHED, "vmscan:mm_vmscan_direct_reclaim_begin/end",
		      "tracepoints: reclaim stalls per order; with compaction, the start of a "
		      "slow request (stall_latency, slow_alloc)");
	}
	tp_probe(t, PR_COMPACT, "compaction", "compaction", "mm_compaction_try_to_compact_pages",
		 s->progs.tp_compact, NULL);
	tp_probe(t, PR_RETRY, "reclaim_retry", "oom", "reclaim_retry_zone", s->progs.tp_retry, NULL);
	detect_mark_victim(t);

	/* allocator entry function: fentry/fexit, only with --latency */
	p = &t->p[PR_ALLOC_LAT];
	p->name = "alloc_latency";
	t->alloc_fn = NULL;
	for (i = 0; i < sizeof(alloc_fns) / sizeof(alloc_fns[0]); i++) {
		if (fentry_ok(t, alloc_fns[i])) {
			t->alloc_fn = alloc_fns[i];
			break;
		}
	}
	if (t->alloc_fn && t->o.latency) {
		set_p(p, P_ATTACHED, t->alloc_fn, "fentry/fexit, latency per order (--latency)");
		bpf_program__set_attach_target(s->progs.alloc_enter, 0, t->alloc_fn);
		bpf_program__set_attach_target(s->progs.alloc_exit, 0, t->alloc_fn);
	} else {
		if (!t->alloc_fn)
			set_p(p, P_UNAVAILABLE, "-", "no traceable allocator entry in BTF "
			      "(__alloc_frozen_pages_noprof, __alloc_pages_noprof, __alloc_pages, "
			      "__alloc_pages_nodemask)");
		else
			set_p(p, P_OFF, t->alloc_fn, "runs on every allocation: --latency turns "
			      "it on");
		autoload(s->progs.alloc_enter, false);
		autoload(s->progs.alloc_exit, false);
	}

	/* warn_alloc: entry + return (+ dump_stack), or entry only */
	p = &t->p[PR_WARN];
	p->name = "warn_alloc";
	t->dump_stack_fn = NULL;
	if (kprobe_ok(t, p, "warn_alloc", &fn)) {
		struct probe tmp = { 0 };
		const char *ds;

		set_p(p, P_ATTACHED, fn, "kprobe+kretprobe");
		/*
		 * Called by warn_alloc() only when it prints: dump_stack()
		 * (dump_stack_lvl() since 5.13; notrace on Debian's kernels), or
		 * cpuset_print_current_mems_allowed() just before it.
		 */
		static const char *printed_fns[] = { "dump_stack_lvl", "dump_stack",
						     "cpuset_print_current_mems_allowed" };

		for (i = 0; !(t->failed & FAILED_DUMP_STACK) && !t->dump_stack_fn &&
			    i < sizeof(printed_fns) / sizeof(printed_fns[0]); i++)
			if (kprobe_ok(t, &tmp, printed_fns[i], &ds))
				t->dump_stack_fn = ds;
		if (!t->dump_stack_fn)
			autoload(s->progs.warn_dump_stack, false);
	} else {
		autoload(s->progs.warn_alloc_enter, false);
		autoload(s->progs.warn_alloc_exit, false);
		autoload(s->progs.warn_alloc_only, false);
		autoload(s->progs.warn_dump_stack, false);
	}

	p = &t->p[PR_OOM_KILL];
	p->name = "oom_kill";
	if (kprobe_ok(t, p, "oom_kill_process", &fn)) {
		t->oom_kill_fn = fn;
		if (strcmp(fn, "oom_kill_process"))
			set_p(p, P_FALLBACK, fn, "kprobe on the compiler clone %s", fn);
		else
			set_p(p, P_ATTACHED, fn, "kprobe");
	} else {
		autoload(s->progs.oom_kill, false);
	}

	p = &t->p[PR_VM];
	p->name = "vm_refused";
	autoload(s->progs.vm_enough_fexit, false);
	if (!(t->failed & FAILED_VM_FEXIT) && fentry_ok(t, "__vm_enough_memory")) {
		autoload(s->progs.vm_enough_enter, false);
		autoload(s->progs.vm_enough_exit, false);
		autoload(s->progs.vm_enough_fexit, true);
		set_p(p, P_ATTACHED, "__vm_enough_memory", "fexit");
	} else if (kprobe_ok(t, p, "__vm_enough_memory", &fn)) {
		set_p(p, P_FALLBACK, fn, "kprobe+kretprobe (no fexit%s)",
		      t->failed & FAILED_VM_FEXIT ? ": it failed" : " on this kernel");
	} else {
		autoload(s->progs.vm_enough_enter, false);
		autoload(s->progs.vm_enough_exit, false);
	}
}

static int attach_kprobe(struct bpf_program *prog, bool ret, const char *fn, struct bpf_link **l)
{
	*l = bpf_program__attach_kprobe(prog, ret, fn);
	return *l ? 0 : -errno;
}

static const struct oomdiag_bpf__bss *bpf_counters(struct tracer *t,
						   struct oomdiag_bpf__bss *copy);

static int attach_kprobe_off(struct bpf_program *prog, const char *fn, unsigned long off,
			     struct bpf_link **l)
{
	LIBBPF_OPTS(bpf_kprobe_opts, o, .offset = off);

	*l = bpf_program__attach_kprobe_opts(prog, fn, &o);
	return *l ? 0 : -errno;
}

/*
 * The slow path's return site must be reached from its call only: if the
 * compiler made it also the target of the fast path's jump (the "out:" of
 * the entry function), the kprobe would run on every allocation.  Fault
 * in 256 fresh pages (1 MB) and compare the kprobes' hits: returns beyond calls
 * mean it.  0 ok (or unknown: counters unreadable), -1 not usable.
 */
static int slow_selftest(struct tracer *t)
{
	struct oomdiag_bpf__bss a, b;
	const size_t n = 256, pg = sysconf(_SC_PAGESIZE);
	unsigned long long calls, rets;
	char *m;

	if (!bpf_counters(t, &a))
		return 0;
	m = mmap(NULL, n * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return 0;
	madvise(m, n * pg, MADV_NOHUGEPAGE);
	for (size_t i = 0; i < n; i++)
		((volatile char *)m)[i * pg] = 1;
	munmap(m, n * pg);
	if (!bpf_counters(t, &b))
		return 0;
	calls = b.slow_calls - a.slow_calls;
	rets = b.slow_returns - a.slow_returns;
	if (rets <= calls + n / 4)
		return 0;
	snprintf(t->slow_why, sizeof(t->slow_why), "its return site ran %llu times for %llu "
		 "calls while %zu pages were faulted in: the fast path passes there", rets, calls,
		 n);
	return -1;
}

static void destroy_links(struct tracer *t)
{
	for (int i = 0; i < PR_NR; i++)
		for (int j = 0; j < 3; j++) {
			bpf_link__destroy(t->p[i].links[j]);
			t->p[i].links[j] = NULL;
		}
}

/*
 * Attach what detect() chose.  A preferred program that loads but does not
 * attach is marked in t->failed and 1 returned: the caller loads again and
 * detect() takes the next alternative.
 */
static int attach_all(struct tracer *t)
{
	struct oomdiag_bpf *s = t->skel;
	struct bpf_program *vic;
	struct probe *p;
	int err;

	struct { int idx; struct bpf_program *a, *b; unsigned int alt; } tps[] = {
		{ PR_ALLOC_FAIL, bpf_program__autoload(s->progs.page_alloc_btf) ?
		  s->progs.page_alloc_btf : s->progs.tp_page_alloc, NULL,
		  bpf_program__autoload(s->progs.page_alloc_btf) ? FAILED_PAGE_ALLOC_BTF : 0 },
		{ PR_RECLAIM, s->progs.tp_reclaim_begin, s->progs.tp_reclaim_end, 0 },
		{ PR_COMPACT, s->progs.tp_compact, NULL, 0 },
		{ PR_RETRY, s->progs.tp_retry, NULL, 0 },
		{ PR_ALLOC_LAT, s->progs.alloc_enter, s->progs.alloc_exit, 0 },
		{ PR_VM, s->progs.vm_enough_fexit, NULL, FAILED_VM_FEXIT },
		{ PR_MEMCG, s->progs.memcg_charge_fexit, NULL, 0 },
		{ PR_NOLOCK, s->progs.nolock_fexit, NULL, 0 },
	};

	p = &t->p[PR_ALLOC_FAIL];
	if (bpf_program__autoload(s->progs.slow_call)) {
		err = attach_kprobe_off(s->progs.slow_call, t->slow_fn, t->slow_off, &p->links[0]);
		if (!err)
			err = attach_kprobe_off(s->progs.slow_return, t->slow_fn, t->slow_off + 5,
						&p->links[1]);
		if (err)
			snprintf(t->slow_why, sizeof(t->slow_why), "kprobe at %s+0x%lx failed: %s",
				 t->slow_fn, t->slow_off + (p->links[0] ? 5 : 0), strerror(-err));
		if (err || slow_selftest(t)) {
			t->failed |= FAILED_SLOWPATH;
			return 1;
		}
	}
	for (size_t i = 0; i < sizeof(tps) / sizeof(tps[0]); i++) {
		p = &t->p[tps[i].idx];
		if (p->state == P_UNAVAILABLE || p->state == P_OFF ||
		    !bpf_program__autoload(tps[i].a))
			continue;
		p->links[0] = bpf_program__attach(tps[i].a);
		err = p->links[0] ? 0 : -errno;
		if (!err && tps[i].b) {
			p->links[1] = bpf_program__attach(tps[i].b);
			err = p->links[1] ? 0 : -errno;
		}
		if (err && tps[i].alt) {
			t->failed |= tps[i].alt;
			return 1;
		}
		if (err) {
			bpf_link__destroy(p->links[0]);
			p->links[0] = NULL;
			set_p(p, P_UNAVAILABLE, NULL, "attach failed: %s", strerror(-err));
		}
	}

	p = &t->p[PR_MARK_VICTIM];
	vic = bpf_program__autoload(s->progs.mark_victim_btf) ? s->progs.mark_victim_btf :
	      bpf_program__autoload(s->progs.mark_victim_kprobe) ? s->progs.mark_victim_kprobe :
	      s->progs.tp_mark_victim;
	if (p->state != P_UNAVAILABLE) {
		if (vic == s->progs.mark_victim_kprobe)
			err = attach_kprobe(vic, false, p->target, &p->links[0]);
		else
			err = (p->links[0] = bpf_program__attach(vic)) ? 0 : -errno;
		if (err && vic != s->progs.tp_mark_victim) {
			t->failed |= vic == s->progs.mark_victim_btf ? FAILED_MARK_VICTIM_BTF :
				     FAILED_MARK_VICTIM_KP;
			return 1;
		}
		if (err)
			set_p(p, P_UNAVAILABLE, NULL, "attach failed: %s", strerror(-err));
	}

	p = &t->p[PR_WARN];
	if (p->state != P_UNAVAILABLE && t->dump_stack_fn) {
		err = attach_kprobe(s->progs.warn_dump_stack, false, t->dump_stack_fn, &p->links[2]);
		if (err) {
			t->failed |= FAILED_DUMP_STACK;
			return 1;
		}
	}
	if (p->state != P_UNAVAILABLE) {
		/*
		 * Not s->rodata: when libbpf's probe for mmap-able arrays fails
		 * (ENOMEM under memory pressure) it loads .rodata by update and
		 * leaves the skeleton's pointer NULL.
		 */
		bool rs = t->nopage_rs_known;

		err = attach_kprobe(s->progs.warn_alloc_enter, false, p->target, &p->links[0]);
		if (!err)
			err = attach_kprobe(s->progs.warn_alloc_exit, true, p->target, &p->links[1]);
		if (!err && t->dump_stack_fn)
			set_p(p, P_ATTACHED, NULL, "kprobe+kretprobe, kprobe %s: printed or "
			      "ratelimited per call", t->dump_stack_fn);
		else if (!err && !rs)
			set_p(p, P_FALLBACK, NULL, "kprobe+kretprobe; no printing-path probe and "
			      "nopage_rs not in kallsyms: ratelimited reports not told apart");
		else if (!err)
			set_p(p, P_FALLBACK, NULL, "kprobe+kretprobe; no traceable dump_stack or "
			      "cpuset_print_current_mems_allowed: "
			      "ratelimited from nopage_rs.missed (approximate under concurrency)");
		if (err) {
			bpf_link__destroy(p->links[0]);
			p->links[0] = NULL;
			err = attach_kprobe(s->progs.warn_alloc_only, false, p->target, &p->links[0]);
			if (!err)
				set_p(p, P_FALLBACK, NULL, "kprobe only (kretprobe failed): "
				      "silent only from __GFP_NOWARN");
			else
				set_p(p, P_UNAVAILABLE, NULL, "kprobe attach failed: %s",
				      strerror(-err));
		}
	}
	p = &t->p[PR_OOM_KILL];
	if (p->state != P_UNAVAILABLE) {
		err = attach_kprobe(s->progs.oom_kill, false, p->target, &p->links[0]);
		if (err)
			set_p(p, P_UNAVAILABLE, NULL, "kprobe attach failed: %s", strerror(-err));
	}
	p = &t->p[PR_VM];
	if (p->state != P_UNAVAILABLE && bpf_program__autoload(s->progs.vm_enough_enter)) {
		err = attach_kprobe(s->progs.vm_enough_enter, false, p->target, &p->links[0]);
		if (!err)
			err = attach_kprobe(s->progs.vm_enough_exit, true, p->target, &p->links[1]);
		if (err) {
			bpf_link__destroy(p->links[0]);
			p->links[0] = NULL;
			set_p(p, P_UNAVAILABLE, NULL, "kprobe/kretprobe attach failed: %s",
			      strerror(-err));
		}
	}
	return 0;
}

static void print_probes(struct tracer *t)
{
	static const char *st[] = { "unavailable", "attached", "fallback", "off" };

	for (int i = 0; i < PR_NR; i++) {
		struct probe *p = &t->p[i];

		fprintf(stderr, "probe %-13s %-11s %s: %s\n", p->name, st[p->state],
			p->target[0] ? p->target : "-", p->why);
	}
}

/* ---------------------------------------------------------------- */
/* Events                                                            */

/*
 * The BPF side fills one fixed slot per node and zone type (see
 * bpf/zone_snap.h), nr_orders 0 when that zone is not populated: keep the
 * populated ones, in order, as the module's records list them, and clamp
 * the counters as the kernel's readers do (the BPF side has no branch for it).
 */
static void compact_zones(struct oomdiag_event *e)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < e->nr_zones && i < OOMDIAG_MAX_ZONES; i++) {
		struct oomdiag_zone_snap *z = &e->zones[i];

		if (!z->nr_orders)
			continue;
		/* zone_page_state(): per-CPU drift can leave vm_stat negative */
		if ((int64_t)z->free_pages < 0)
			z->free_pages = 0;
		if ((int64_t)z->free_cma_pages < 0)
			z->free_cma_pages = 0;
		e->zones[n++] = *z;
	}
	e->nr_zones = n;
	if (!n)
		e->flags &= ~OOMDIAG_F_SNAPSHOT;
}

/*
 * A BPF event as struct od_event, the shape of module records: what the
 * BPF side does not fill is not known; stack frames symbolised.
 */
static void to_od(struct tracer *t, const struct oomdiag_event *e, struct od_event *od)
{
	unsigned int n = e->nr_stack < OOMDIAG_STACK_DEPTH ? e->nr_stack : OOMDIAG_STACK_DEPTH;

	memset(od, 0, sizeof(*od));
	od->ev = *e;
	snprintf(od->source, sizeof(od->source), "bpf");
	if (e->kind == OOMDIAG_KIND_ALLOC_FAIL)
		event_set_unknown(od, OD_FIELD_LATENCY_NS);
	if (e->kind == OOMDIAG_KIND_OOM_VICTIM) {
		event_set_unknown(od, OD_FIELD_POINTS);
		event_set_unknown(od, OD_FIELD_TOTALPAGES);
	}
	if (e->kind == OOMDIAG_KIND_VM_REFUSED)
		event_set_unknown(od, OD_FIELD_LIMIT);
	for (unsigned int i = 0; i < n; i++)
		ksyms_format(t->ks, e->stack[i], od->stack_sym[i], OD_STACK_SYM_LEN);
	od->nstack_sym = n;
	event_decode_gfp(od, t->gfp);
}

/* oom_kill_process()'s walk: module/taskinfo.c's exempt names ("" for "-") */
static const char *const ledger_exempt_names[] = {
	[OOMDIAG_LX_NONE] = "", [OOMDIAG_LX_INIT] = "init", [OOMDIAG_LX_KTHREAD] = "kthread",
	[OOMDIAG_LX_NO_MM] = "no_mm", [OOMDIAG_LX_ADJ_MIN] = "adj_min",
	[OOMDIAG_LX_OOM_SKIP] = "oom_skip", [OOMDIAG_LX_VFORK] = "vfork",
	[OOMDIAG_LX_VICTIM] = "oom_victim",
};

/* oom_evaluate_task()'s order (module/ledger.c ranks_before()): best first */
static int ledger_rank_cmp(const void *pa, const void *pb)
{
	const struct oomdiag_ledger_row *a = pa, *b = pb;
	long long x = a->has_points ? a->points : LLONG_MIN;
	long long y = b->has_points ? b->points : LLONG_MIN;

	if (a->origin != b->origin)
		return a->origin ? -1 : 1;
	if (x != y)
		return x > y ? -1 : 1;
	return a->walk > b->walk ? -1 : a->walk < b->walk;
}

static unsigned long long ledger_row_pages(const struct oomdiag_ledger_row *r)
{
	return r->anon + r->file + r->shmem + r->swap + r->pgtables;
}

/* largest first */
static int ledger_size_cmp(const void *pa, const void *pb)
{
	unsigned long long x = ledger_row_pages(pa), y = ledger_row_pages(pb);

	return x > y ? -1 : x < y;
}

static void ledger_row_to_od(const struct oomdiag_ledger_row *s, int rank, struct od_ledger_row *r)
{
	memset(r, 0, sizeof(*r));
	r->rank = rank;
	r->pid = s->pid;
	r->anon_pages = s->anon;
	r->file_pages = s->file;
	r->shmem_pages = s->shmem;
	r->swap_pages = s->swap;
	r->pgtables_pages = s->pgtables;
	r->oom_score_adj = s->oom_score_adj;
	r->adj_points = s->adj_points;
	r->points = s->points;
	r->origin = s->origin;
	r->victim = s->victim;
	memcpy(r->comm, s->comm, sizeof(r->comm));
	r->comm[sizeof(r->comm) - 1] = 0;
	if (s->exempt < sizeof(ledger_exempt_names) / sizeof(ledger_exempt_names[0]))
		snprintf(r->exempt, sizeof(r->exempt), "%s", ledger_exempt_names[s->exempt]);
	else
		snprintf(r->exempt, sizeof(r->exempt), "?");
	if (!rank)
		r->unknown |= 1u << OD_LROW_RANK;
	if (!s->has_mm)	/* no thread with an mm was found: nothing to count */
		r->unknown |= 1u << OD_LROW_ANON | 1u << OD_LROW_FILE | 1u << OD_LROW_SHMEM |
			      1u << OD_LROW_SWAP | 1u << OD_LROW_PGTABLES;
	if (!s->has_points)
		r->unknown |= 1u << OD_LROW_ADJ_POINTS | 1u << OD_LROW_POINTS;
}

/* The BPF ledger as the module's, ranked (userspace/event.h struct od_ledger). */
static void ledger_to_od(const struct oomdiag_ledger_rec *l, struct od_ledger *o)
{
	struct oomdiag_ledger_row rows[OOMDIAG_LEDGER_ROWS], ex[OOMDIAG_LEDGER_EXEMPT];
	unsigned int nr = l->nr_rows < OOMDIAG_LEDGER_ROWS ? l->nr_rows : OOMDIAG_LEDGER_ROWS;
	unsigned int ne = l->nr_exempt < OOMDIAG_LEDGER_EXEMPT ? l->nr_exempt :
				OOMDIAG_LEDGER_EXEMPT;
	const char *c = oomdiag_name_of(oomdiag_constraint_names, l->constraint);

	memset(o, 0, sizeof(*o));
	o->present = true;
	snprintf(o->domain, sizeof(o->domain), "%s", l->memcg ? "memcg" : "all");
	o->constraint = c ? l->constraint : OOMDIAG_CONSTRAINT_UNKNOWN;
	o->totalpages = l->totalpages;
	o->walked = l->walked;
	o->candidates = l->candidates;
	o->exempt = l->exempt;
	o->nodes_checked = l->nodes_checked;
	if (l->walk_truncated) {
		/* the walk stopped early: its counts and ranking may miss tasks */
		o->unknown |= 1u << OD_LEDGER_CANDIDATES | 1u << OD_LEDGER_EXEMPT;
		snprintf(o->extra, sizeof(o->extra), "walk=truncated");
	}
	memcpy(rows, l->rows, nr * sizeof(rows[0]));
	memcpy(ex, l->ex, ne * sizeof(ex[0]));
	qsort(rows, nr, sizeof(rows[0]), ledger_rank_cmp);
	qsort(ex, ne, sizeof(ex[0]), ledger_size_cmp);
	for (unsigned int i = 0; i < nr; i++)
		ledger_row_to_od(&rows[i], i + 1, &o->rows[o->nr++]);
	for (unsigned int i = 0; i < ne && o->nr < OD_LEDGER_MAX_ROWS; i++)
		ledger_row_to_od(&ex[i], 0, &o->rows[o->nr++]);
}

static int handle_event(void *ctx, void *data, size_t len)
{
	struct tracer *t = ctx;
	struct oomdiag_event ev, *e = &ev;
	struct od_event *od = &t->od;

	if (len == sizeof(struct oomdiag_ledger_rec) &&
	    ((const struct oomdiag_ledger_rec *)data)->magic == OOMDIAG_LEDGER_MAGIC) {
		if (t->have_ledger)
			t->ledgers_unmatched++;
		memcpy(&t->ledger, data, sizeof(t->ledger));
		t->have_ledger = true;
		return 0;
	}
	/* records of kinds without a snapshot stop before zones[] */
	if (len < offsetof(struct oomdiag_event, zones))
		return 0;
	/* the ring's data pages are mapped read-only: work on a copy */
	memset(e, 0, sizeof(*e));
	memcpy(e, data, len < sizeof(*e) ? len : sizeof(*e));
	compact_zones(e);
	e->seq = t->nr_events;	/* delivery order; see event_new() in the BPF code */
	e->wall_ns = e->ts_ns + t->wall_offset_ns;
	if (e->kind < OOMDIAG_KIND_MAX)
		t->delivered[e->kind]++;
	t->nr_events++;
	/* the shared renderings of userspace/event.h, as for module records */
	to_od(t, e, od);
	/* the ledger the same program sent just before, on the same CPU */
	if (e->kind == OOMDIAG_KIND_OOM_KILL && t->have_ledger && t->ledger.cpu == e->cpu &&
	    t->ledger.victim_pid == e->oom.victim_pid) {
		ledger_to_od(&t->ledger, &od->ledger);
		t->have_ledger = false;
	}
	event_render(stdout, od, t->o.records, t->o.explain, &t->st);
	fflush(stdout);
	return 0;
}

/* ---------------------------------------------------------------- */
/* Exit summary                                                      */

/*
 * Missed kprobe/kretprobe hits of a link: bpf_link_info.perf_event.kprobe
 * .missed (kernel 6.7+, perf links).  libbpf 1.1's uapi headers predate it,
 * so the layout is spelled out: type, id, prog_id, then the union at 16:
 * perf_event.type (u32), pad, kprobe.func_name (u64), name_len, offset,
 * addr (u64), missed (u64).  -1 when the kernel does not say.
 */
static long long link_missed(struct bpf_link *l)
{
	unsigned char info[256];
	__u32 len = sizeof(info), type, ptype;
	__u64 missed;

	if (!l)
		return -1;
	memset(info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(bpf_link__fd(l), info, &len))
		return -1;
	memcpy(&type, info, 4);
	memcpy(&ptype, info + 16, 4);
	if (type != 7 /* BPF_LINK_TYPE_PERF_EVENT */ || len < 56 ||
	    (ptype != 3 && ptype != 4) /* BPF_PERF_EVENT_KPROBE, _KRETPROBE */)
		return -1;
	memcpy(&missed, info + 48, 8);
	return (long long)missed;
}

static void hist_sum(struct tracer *t, __u32 key, struct oomdiag_hist *out)
{
	int ncpu = libbpf_num_possible_cpus();
	struct oomdiag_hist *v;

	memset(out, 0, sizeof(*out));
	if (ncpu <= 0)
		return;
	v = calloc(ncpu, sizeof(*v));
	if (!v)
		return;
	if (!bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.hists), &key, v)) {
		for (int c = 0; c < ncpu; c++) {
			for (int i = 0; i < OOMDIAG_HIST_SLOTS; i++)
				out->slots[i] += v[c].slots[i];
			out->count += v[c].count;
			out->sum_ns += v[c].sum_ns;
			if (v[c].max_ns > out->max_ns)
				out->max_ns = v[c].max_ns;
		}
	}
	free(v);
}

static const char *hist_name[OOMDIAG_HIST_KINDS] = { "alloc_latency", "reclaim_latency",
						     "stall_latency" };
static const char *table_name[OOMDIAG_TABLE_MAX] = { "stall", "latency", "warn", "vm",
						     "bursts", "slow" };

/*
 * Bursts: every aggregation key with its count, first and last time, first
 * task and stack; text lines "burst kind=... count=N ..." with "  stack"
 * lines, or a JSON array.  Returns the number of keys.
 */
static int print_bursts(struct tracer *t, struct json_writer *w)
{
	int fd = bpf_map__fd(t->skel->maps.bursts), n = 0;
	struct oomdiag_burst_key k, next, *prev = NULL;
	struct oomdiag_burst b;

	if (w)
		json_begin_array(w, "bursts");
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		char g[512], fl[128], sym[192];

		k = next;
		prev = &k;
		if (bpf_map_lookup_elem(fd, &k, &b))
			continue;
		n++;
		gfp_format(t->gfp, k.gfp, g, sizeof(g));
		event_flags_text(k.flags, fl, sizeof(fl));
		if (!fl[0])
			snprintf(fl, sizeof(fl), "-");
		if (w) {
			json_begin_object(w, NULL);
			json_string(w, "kind", event_kind_name(k.kind));
			json_string(w, "flags", fl);
			json_uint(w, "gfp", k.gfp);
			json_string(w, "gfp_names", g);
			if (k.order == ~0u)
				json_null(w, "order");
			else
				json_uint(w, "order", k.order);
			json_uint(w, "count", b.count);
			json_uint(w, "first_ts_ns", b.first_ns);
			json_uint(w, "last_ts_ns", b.last_ns);
			json_uint(w, "pid", b.pid);
			json_uint(w, "tgid", b.tgid);
			json_string(w, "comm", b.comm);
			json_begin_array(w, "stack");
		} else {
			printf("burst kind=%s flags=%s gfp=%#x gfp_names=%s order=", event_kind_name(k.kind),
			       fl, k.gfp, g[0] ? g : "-");
			if (k.order == ~0u)
				printf("-");
			else
				printf("%u", k.order);
			printf(" count=%llu first_ts_ns=%llu last_ts_ns=%llu pid=%u tgid=%u comm=",
			       (unsigned long long)b.count, (unsigned long long)b.first_ns,
			       (unsigned long long)b.last_ns, b.pid, b.tgid);
			debugfs_escape_put(stdout, b.comm, sizeof(b.comm));
			putchar('\n');
		}
		for (unsigned int i = 0; i < b.nr_stack && i < OOMDIAG_BURST_STACK; i++) {
			ksyms_format(t->ks, b.stack[i], sym, sizeof(sym));
			if (w)
				json_string(w, NULL, sym);
			else
				printf("  stack %s\n", sym);
		}
		if (w) {
			json_end_array(w);
			json_end_object(w);
		}
	}
	if (w)
		json_end_array(w);
	return n;
}

static void ns_text(unsigned long long ns, char *buf, size_t len)
{
	if (ns >= 1000000000ULL)
		snprintf(buf, len, "%llus", ns / 1000000000ULL);
	else if (ns >= 1000000)
		snprintf(buf, len, "%llums", ns / 1000000);
	else if (ns >= 1000)
		snprintf(buf, len, "%lluus", ns / 1000);
	else
		snprintf(buf, len, "%lluns", ns);
}

/*
 * The BPF side's counters, read by map lookup rather than through skel->bss:
 * libbpf leaves that pointer NULL when its probe for mmap-able arrays fails
 * (it does under memory pressure, ENOMEM).  NULL when the lookup fails.
 */
static const struct oomdiag_bpf__bss *bpf_counters(struct tracer *t, struct oomdiag_bpf__bss *copy)
{
	const struct bpf_map *map = t->skel->maps.bss;
	__u32 key = 0;
	int err;

	if (bpf_map__value_size(map) != sizeof(*copy)) {
		fprintf(stderr, "oomdiag: failed to read the BPF counters: map size %u, expected %zu\n",
			bpf_map__value_size(map), sizeof(*copy));
		return NULL;
	}
	err = bpf_map__lookup_elem(map, &key, sizeof(key), copy, sizeof(*copy), 0);
	if (err) {
		fprintf(stderr, "oomdiag: failed to read the BPF counters: %s\n", strerror(-err));
		return NULL;
	}
	return copy;
}

/*
 * Per program: how often it ran and for how long (only counted while
 * sysctl kernel.bpf_stats_enabled=1; under QEMU icount shift=0 the ns are
 * instructions), and how often the kernel skipped it because it was already
 * running on that CPU (recursion_misses, 5.12+; such a hit is lost, so it is
 * printed whenever it is not 0).  Text: "prog NAME run_cnt=N run_ns=N
 * ns_per_run=N recursion_misses=N"; JSON: an object per program.
 */
static void prog_stats(struct tracer *t, struct json_writer *w)
{
	struct bpf_program *prog;

	if (w)
		json_begin_object(w, "programs");
	bpf_object__for_each_program(prog, t->skel->obj) {
		struct bpf_prog_info info;
		__u32 len = sizeof(info);
		bool have_miss;

		if (bpf_program__fd(prog) < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len))
			continue;
		have_miss = len >= offsetof(struct bpf_prog_info, recursion_misses) +
				   sizeof(info.recursion_misses);
		if (!info.run_cnt && (!have_miss || !info.recursion_misses))
			continue;
		if (w) {
			json_begin_object(w, bpf_program__name(prog));
			json_uint(w, "run_cnt", info.run_cnt);
			json_uint(w, "run_ns", info.run_time_ns);
			if (have_miss)
				json_uint(w, "recursion_misses", info.recursion_misses);
			else
				json_null(w, "recursion_misses");
			json_end_object(w);
			continue;
		}
		printf("prog %s run_cnt=%llu run_ns=%llu ns_per_run=%llu", bpf_program__name(prog),
		       (unsigned long long)info.run_cnt, (unsigned long long)info.run_time_ns,
		       info.run_cnt ? (unsigned long long)(info.run_time_ns / info.run_cnt) : 0ULL);
		if (have_miss)
			printf(" recursion_misses=%llu\n", (unsigned long long)info.recursion_misses);
		else
			printf(" recursion_misses=unknown\n");
	}
	if (w)
		json_end_object(w);
}

/* One latency histogram (kind x order) of the exit summary; false when empty. */
static bool summary_hist(struct tracer *t, int k, int o, struct json_writer *w)
{
	struct oomdiag_hist h;
	int lo = -1, hi = -1;
	unsigned long long peak = 0;

	hist_sum(t, k * OOMDIAG_HIST_ORDERS + o, &h);
	if (!h.count)
		return false;
	for (int i = 0; i < OOMDIAG_HIST_SLOTS; i++) {
		if (!h.slots[i])
			continue;
		if (lo < 0)
			lo = i;
		hi = i;
		if (h.slots[i] > peak)
			peak = h.slots[i];
	}
	if (w) {
		json_begin_object(w, NULL);
		json_uint(w, "order", o);
		json_uint(w, "count", h.count);
		json_uint(w, "avg_ns", h.sum_ns / h.count);
		json_uint(w, "max_ns", h.max_ns);
		json_begin_array(w, "log2_ns_slots");
		for (int i = 0; i < OOMDIAG_HIST_SLOTS; i++)
			json_uint(w, NULL, h.slots[i]);
		json_end_array(w);
		json_end_object(w);
		return true;
	}
	printf("%s order=%d%s count=%llu avg_ns=%llu max_ns=%llu\n", hist_name[k], o,
	       o == OOMDIAG_HIST_ORDERS - 1 ? "+" : "", (unsigned long long)h.count,
	       (unsigned long long)(h.sum_ns / h.count), (unsigned long long)h.max_ns);
	for (int i = lo; i >= 0 && i <= hi; i++) {
		char a[16], b[16], bar[41];
		int n = peak ? (int)(h.slots[i] * 40 / peak) : 0;

		ns_text(1ULL << i, a, sizeof(a));
		ns_text(1ULL << (i + 1), b, sizeof(b));
		memset(bar, '*', n);
		bar[n] = 0;
		printf("  [%6s, %6s) %10llu |%-40s|\n", a, b, (unsigned long long)h.slots[i], bar);
	}
	return true;
}

/* {"0": n, ...} of the orders with a non-zero count */
static void json_per_order(struct json_writer *w, const char *key, const __u64 *v)
{
	json_begin_object(w, key);
	for (int o = 0; o < OOMDIAG_HIST_ORDERS; o++)
		if (v[o]) {
			char k[8];

			snprintf(k, sizeof(k), "%d", o);
			json_uint(w, k, v[o]);
		}
	json_end_object(w);
}

/* The BPF side's counters; bss NULL: unreadable (said on stderr), unknown not zero. */
static void summary_counters_json(struct tracer *t, const struct oomdiag_bpf__bss *bss,
				  struct json_writer *w)
{
	if (!bss) {
		json_null(w, "compaction_stalls");
		json_null(w, "reclaim_retries");
		json_null(w, "events");
		json_null(w, "map_full");
		return;
	}
	json_per_order(w, "compaction_stalls", bss->compact_stalls);
	json_per_order(w, "reclaim_retries", bss->reclaim_retries);
	json_begin_object(w, "events");
	for (int k = 1; k < OOMDIAG_KIND_MAX; k++) {
		json_begin_object(w, event_kind_name(k));
		json_uint(w, "produced", bss->produced[k]);
		json_uint(w, "delivered", t->delivered[k]);
		json_uint(w, "dropped", bss->dropped[k]);
		json_uint(w, "aggregated", bss->aggregated[k]);
		json_end_object(w);
	}
	json_end_object(w);
	json_begin_object(w, "map_full");
	for (int i = 0; i < OOMDIAG_TABLE_MAX; i++)
		json_uint(w, table_name[i], bss->map_full[i]);
	json_end_object(w);
	json_uint(w, "latency_untimed", bss->latency_untimed);
	json_begin_object(w, "ledger");
	json_uint(w, "produced", bss->ledger_produced);
	json_uint(w, "dropped", bss->ledger_dropped);
	json_uint(w, "truncated", bss->ledger_truncated);
	json_uint(w, "failed", bss->ledger_failed);
	json_uint(w, "unmatched", t->ledgers_unmatched + t->have_ledger);
	json_end_object(w);
	json_begin_object(w, "alloc_fail_route");
	if (t->slow_fn) {
		char site[128];

		snprintf(site, sizeof(site), "%s+0x%lx", t->slow_fn, t->slow_off);
		json_string(w, "route", "slowpath");
		json_string(w, "site", site);
		json_uint(w, "slow_calls", bss->slow_calls);
		json_uint(w, "slow_returns", bss->slow_returns);
		json_uint(w, "unmatched", bss->slow_unmatched);
	} else {
		json_string(w, "route", "mm_page_alloc");
	}
	json_end_object(w);
}

static void summary_counters_text(struct tracer *t, const struct oomdiag_bpf__bss *bss)
{
	if (!bss) {
		printf("compaction_stalls=unknown\nreclaim_retries=unknown\n");
		for (int k = 1; k < OOMDIAG_KIND_MAX; k++)
			printf("events kind=%s produced=unknown delivered=%llu dropped=unknown\n",
			       event_kind_name(k), t->delivered[k]);
		return;
	}
	printf("compaction_stalls");
	for (int o = 0; o < OOMDIAG_HIST_ORDERS; o++)
		printf("%c%llu", o ? ',' : '=', (unsigned long long)bss->compact_stalls[o]);
	printf("\nreclaim_retries");
	for (int o = 0; o < OOMDIAG_HIST_ORDERS; o++)
		printf("%c%llu", o ? ',' : '=', (unsigned long long)bss->reclaim_retries[o]);
	printf("\n");
	for (int k = 1; k < OOMDIAG_KIND_MAX; k++)
		printf("events kind=%s produced=%llu delivered=%llu dropped=%llu "
		       "aggregated=%llu\n", event_kind_name(k),
		       (unsigned long long)bss->produced[k], t->delivered[k],
		       (unsigned long long)bss->dropped[k],
		       (unsigned long long)bss->aggregated[k]);
	printf("map_full");
	for (int i = 0; i < OOMDIAG_TABLE_MAX; i++)
		printf(" %s=%llu", table_name[i], (unsigned long long)bss->map_full[i]);
	printf(" latency_untimed=%llu\n", (unsigned long long)bss->latency_untimed);
	/* kill ledgers: built, lost to a full ring, walks cut short, without init_task, unmatched */
	printf("ledger produced=%llu dropped=%llu truncated=%llu failed=%llu unmatched=%llu\n",
	       (unsigned long long)bss->ledger_produced, (unsigned long long)bss->ledger_dropped,
	       (unsigned long long)bss->ledger_truncated, (unsigned long long)bss->ledger_failed,
	       t->ledgers_unmatched + t->have_ledger);
	/* which program reported alloc_fail, and how often the slow path ran */
	if (t->slow_fn)
		printf("alloc_fail route=slowpath site=%s+0x%lx progs=slow_call,slow_return%s%s "
		       "slow_calls=%llu slow_returns=%llu unmatched=%llu\n", t->slow_fn,
		       t->slow_off, t->p[PR_MEMCG].state == P_ATTACHED ? ",memcg_charge_fexit" : "",
		       t->p[PR_NOLOCK].state == P_ATTACHED ? ",nolock_fexit" : "",
		       (unsigned long long)bss->slow_calls, (unsigned long long)bss->slow_returns,
		       (unsigned long long)bss->slow_unmatched);
	else
		printf("alloc_fail route=mm_page_alloc progs=%s (every allocation)\n",
		       t->skel && bpf_program__autoload(t->skel->progs.page_alloc_btf) ?
		       "page_alloc_btf" : "tp_page_alloc");
}

/*
 * The exit summary: histograms, the BPF counters, the bursts, the programs'
 * run statistics and the kprobes' missed hits; "# summary" lines, or one
 * JSON object of kind "summary".
 */
static void summary(struct tracer *t)
{
	struct oomdiag_bpf__bss copy;
	const struct oomdiag_bpf__bss *bss = bpf_counters(t, &copy);
	long long miss[4] = {
		link_missed(t->p[PR_WARN].links[1]), link_missed(t->p[PR_VM].links[1]),
		link_missed(t->p[PR_WARN].links[0]), link_missed(t->p[PR_OOM_KILL].links[0]),
	};
	static const char *miss_name[4] = { "warn_alloc_ret", "vm_enough_ret", "warn_alloc",
					    "oom_kill" };
	struct json_writer w, *wp = t->st.json ? &w : NULL;

	if (wp) {
		json_init(wp, stdout);
		json_begin_object(wp, NULL);
		json_string(wp, "source", "bpf");
		json_string(wp, "kind", "summary");
		json_begin_object(wp, "histograms");
	} else {
		printf("# summary\n");
	}
	for (int k = 0; k < OOMDIAG_HIST_KINDS; k++) {
		if (wp)
			json_begin_array(wp, hist_name[k]);
		for (int o = 0; o < OOMDIAG_HIST_ORDERS; o++)
			summary_hist(t, k, o, wp);
		if (wp)
			json_end_array(wp);
	}
	if (wp) {
		json_end_object(wp);
		summary_counters_json(t, bss, wp);
	} else {
		summary_counters_text(t, bss);
	}
	print_bursts(t, wp);
	prog_stats(t, wp);
	if (wp) {
		json_begin_object(wp, "kprobe_missed");
		for (int i = 0; i < 4; i++)
			if (miss[i] < 0)
				json_null(wp, miss_name[i]);
			else
				json_int(wp, miss_name[i], miss[i]);
		json_end_object(wp);
		json_end_object(wp);
		json_newline(wp);
		return;
	}
	printf("kprobe_missed");
	for (int i = 0; i < 4; i++) {
		if (miss[i] < 0)
			printf(" %s=unknown", miss_name[i]);
		else
			printf(" %s=%lld", miss_name[i], miss[i]);
	}
	printf("\n");
}

/* ---------------------------------------------------------------- */

static int have_caps(void)
{
	char line[256];
	unsigned long long eff = 0;
	FILE *f;

	if (geteuid() == 0)
		return 1;
	f = fopen("/proc/self/status", "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	/* CAP_SYS_ADMIN 21, or CAP_PERFMON 38 + CAP_BPF 39 */
	return (eff >> 21 & 1) || ((eff >> 38 & 1) && (eff >> 39 & 1));
}

/* measured with tests/bench/bpf_overhead_vm.sh (docs/bpf-probes.md) */
#define TRACE_LATENCY_COST "660-890 instructions per allocation:\n" \
	"                  alloc_pages(0)+free 1.14-1.18x, page faults 1.10-1.13x\n" \
	"                  (5.10-7.2 under QEMU icount; the default mode 1.00x)"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: oomdiag trace [--json | --records] [--explain] [--duration S] [--pid P]\n"
		"                     [--cgroup PATH] [--min-order N] [--slow-ms MS] [--samples N]\n"
		"                     [--latency] [-v] [--no-color]\n"
		"Attach the CO-RE probes and print one line per allocation failure,\n"
		"warn_alloc() call, OOM kill and victim, overcommit refusal and slow\n"
		"allocation; on exit (Ctrl-C, SIGTERM or --duration) print the stall\n"
		"histograms, the bursts and what was lost.  By default only what fires on\n"
		"failures, stalls and kills is attached: allocation failures from the slow\n"
		"path's call site, nothing on an allocation the fast path serves (where\n"
		"that site cannot be used, the mm_page_alloc tracepoint; the probe lines\n"
		"and the summary say which).\n"
		"  --records       key=value records like the module's debugfs events file\n"
		"  --explain       under each event its likely causes, with evidence and\n"
		"                  advice, as 'oomdiag explain' gives them for dmesg reports;\n"
		"                  with --json each object has \"causes\" and \"missing\"\n"
		"  --duration S    stop after S seconds\n"
		"  --pid P         only events of process P (or with victim P)\n"
		"  --cgroup PATH   only events of cgroup v2 PATH (or OOMs in/of it)\n"
		"  --min-order N   ignore allocations of order < N\n"
		"  --slow-ms MS    report requests stalled in reclaim/compaction longer than MS\n"
		"                  (default 100, 0: off)\n"
		"  --samples N     events sent per burst (same kind, flags, gfp, order, stack);\n"
		"                  the rest are counted (default 8)\n"
		"  --latency       also time every allocation, fast path included (fentry/fexit\n"
		"                  on the allocator): " TRACE_LATENCY_COST "\n"
		"  -v              libbpf debug output\n"
		COMMON_HELP
		"With --json one JSON object per event, on its own line (JSON Lines, the schema\n"
		"of all event sources; --pretty does not indent them).\n");
}

static int parse_args(int argc, char **argv, struct trace_opts *o)
{
	static const struct option lo[] = {
		OD_COMMON_LONGOPTS,
		{ "records", no_argument, NULL, 'r' },
		{ "explain", no_argument, NULL, 'x' },
		{ "duration", required_argument, NULL, 'd' },
		{ "pid", required_argument, NULL, 'p' },
		{ "cgroup", required_argument, NULL, 'c' },
		{ "min-order", required_argument, NULL, 'm' },
		{ "slow-ms", required_argument, NULL, 's' },
		{ "latency", no_argument, NULL, 'l' },
		{ "samples", required_argument, NULL, 'S' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	o->slow_ms = 100;
	o->samples = 8;
	od_opts_init(&o->common);
	optind = 1;
	while ((c = getopt_long(argc, argv, "rxd:p:c:m:s:vhlS:", lo, NULL)) != -1) {
		if (od_opts_common(&o->common, c))
			continue;
		switch (c) {
		case 'r': o->records = true; break;
		case 'x': o->explain = true; break;
		case 'd':
			o->duration = strtod(optarg, &end);
			if (*end || o->duration <= 0)
				goto bad;
			break;
		case 'p':
			o->pid = strtol(optarg, &end, 10);
			if (*end || o->pid <= 0)
				goto bad;
			break;
		case 'c': o->cgroup = optarg; break;
		case 'm':
			o->min_order = strtoul(optarg, &end, 10);
			if (*end || o->min_order > 10)
				goto bad;
			break;
		case 's':
			o->slow_ms = strtoul(optarg, &end, 10);
			if (*end)
				goto bad;
			break;
		case 'l': o->latency = true; break;
		case 'S':
			o->samples = strtoul(optarg, &end, 10);
			if (*end || !*optarg || o->samples > 100000)
				goto bad;
			break;
		case 'v': verbose = true; break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "oomdiag: trace: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "oomdiag: trace: bad value '%s' for -%c\n", optarg, c);
	return -1;
}

/*
 * A kernel cpulist ("0-3,8-11", as in /sys/devices/system/cpu/possible)
 * into a bitmap of WORDS 64-bit words; *ids gets the highest CPU id + 1
 * (the kernel's nr_cpu_ids), which is not the number of CPUs when the list
 * has holes.  0, or -1 for a malformed list or an id past the bitmap.
 */
int trace_cpulist(const char *s, uint64_t *mask, size_t words, unsigned int *ids)
{
	unsigned long a, b;
	char *end;

	memset(mask, 0, words * sizeof(*mask));
	*ids = 0;
	while (*s && *s != '\n') {
		if (*s < '0' || *s > '9')
			return -1;
		a = b = strtoul(s, &end, 10);
		if (*end == '-') {
			if (end[1] < '0' || end[1] > '9')
				return -1;
			b = strtoul(end + 1, &end, 10);
		}
		if (b < a || b >= words * 64)
			return -1;
		for (unsigned long c = a; c <= b; c++)
			mask[c / 64] |= 1ULL << (c % 64);
		if (b + 1 > *ids)
			*ids = b + 1;
		s = end;
		if (*s == ',')
			s++;
		else if (*s && *s != '\n')
			return -1;
	}
	return *ids ? 0 : -1;
}

/* The possible CPUs, for exact per-CPU sums (bpf/core_compat.h). */
static int possible_cpus(struct tracer *t)
{
	static const char path[] = "/sys/devices/system/cpu/possible";
	char buf[4096] = "";
	uint64_t mask[sizeof(t->skel->rodata->cpu_possible) / sizeof(uint64_t)];
	unsigned int ids;
	FILE *f = fopen(path, "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
	}
	if (trace_cpulist(buf, mask, sizeof(mask) / sizeof(mask[0]), &ids)) {
		fprintf(stderr, "oomdiag: failed to read the possible CPUs from %s: '%.40s' "
			"(is sysfs mounted?)\n", path, buf);
		return -1;
	}
	t->skel->rodata->cpu_ids = ids;
	memcpy((void *)t->skel->rodata->cpu_possible, mask, sizeof(mask));
	return 0;
}

/*
 * The kill ledger's two facts about the running kernel: oom_badness() sums
 * the rss percpu counters since 6.19 (get_mm_rss_sum()), and with one
 * node online oom_cpuset_eligible() lets every task compete.
 */
static void ledger_config(struct tracer *t)
{
	struct utsname u;
	unsigned int maj = 0, min = 0;
	char buf[64] = "";
	FILE *f;

	if (!uname(&u) && sscanf(u.release, "%u.%u", &maj, &min) == 2)
		t->skel->rodata->rss_sum = maj > 6 || (maj == 6 && min >= 19);
	f = fopen("/sys/devices/system/node/online", "r");
	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = 0;
		fclose(f);
		t->skel->rodata->single_node = !strcmp(buf, "0\n");
	} else {
		/* no node directory: a kernel without NUMA, one node */
		t->skel->rodata->single_node = errno == ENOENT;
	}
}

/* rodata of a freshly opened skeleton; 0 or an exit code */
static int configure(struct tracer *t)
{
	const struct ksym *rs;

	t->skel->rodata->targ_tgid = t->o.pid;
	t->skel->rodata->min_order = t->o.min_order;
	t->skel->rodata->slow_ns = t->o.slow_ms * 1000000ULL;
	t->skel->rodata->page_shift = __builtin_ctzl(sysconf(_SC_PAGESIZE));
	t->skel->rodata->latency_mode = t->o.latency;
	t->skel->rodata->burst_samples = t->o.samples;
	if (possible_cpus(t))
		return EXIT_FAIL;
	ledger_config(t);
	/* nopage_rs.N: warn_alloc()'s static ratelimit state (needs KALLSYMS_ALL) */
	rs = ksyms_var(t->ks, "nopage_rs");
	t->skel->rodata->nopage_rs_addr = rs ? rs->addr : 0;
	t->nopage_rs_known = rs != NULL;
	if (t->o.cgroup) {
		struct stat st;
		char path[PATH_MAX];

		if (t->o.cgroup[0] == '/' && strncmp(t->o.cgroup, "/sys/fs/cgroup", 14))
			snprintf(path, sizeof(path), "/sys/fs/cgroup%s", t->o.cgroup);
		else
			snprintf(path, sizeof(path), "%s", t->o.cgroup);
		if (stat(path, &st)) {
			fprintf(stderr, "oomdiag: failed to find cgroup %s: %s "
				"(give a cgroup v2 path, e.g. /sys/fs/cgroup/NAME)\n",
				path, strerror(errno));
			return EXIT_USAGE;
		}
		t->skel->rodata->targ_cgid = st.st_ino;
	}
	return 0;
}

/*
 * open -> rodata -> autoload -> load -> attach, until every probe is
 * attached or said unavailable: 0, or an exit code (t->skel may be left for
 * the caller's cleanup).
 */
static int load_attach(struct tracer *t)
{
	char dead[PR_NR][200] = { { 0 } };
	int err, rc = EXIT_FAIL;

	/*
	 * open -> rodata -> autoload -> load; when a program fails to load
	 * (verifier, or a program type this kernel lacks), turn its probe off
	 * and try again with the rest, saying why.
	 */
	for (int attempt = 0;; attempt++) {
		struct bpf_program *prog;

		t->skel = oomdiag_bpf__open();
		if (!t->skel) {
			fprintf(stderr, "oomdiag: failed to open BPF object: %s\n", strerror(errno));
			return rc;
		}
		err = configure(t);
		if (err)
			return err;
		detect(t);
		for (int i = 0; i < PR_NR; i++) {
			if (!dead[i][0])
				continue;
			bpf_object__for_each_program(prog, t->skel->obj)
				if (probe_of_prog(bpf_program__name(prog)) == i)
					bpf_program__set_autoload(prog, false);
			set_p(&t->p[i], P_UNAVAILABLE, NULL, "%s", dead[i]);
		}
		t->skel->rodata->have_dump_stack = t->dump_stack_fn != NULL;
		failed_prog[0] = 0;
		err = oomdiag_bpf__load(t->skel);
		if (!err) {
			if (!attach_all(t))
				break;
			/* a preferred program did not attach: next alternative */
			destroy_links(t);
		} else if (failed_prog[0] && fallback_of(failed_prog) &&
			   !(t->failed & fallback_of(failed_prog))) {
			t->failed |= fallback_of(failed_prog);
		} else {
			int i = failed_prog[0] ? probe_of_prog(failed_prog) : -1;

			if (i < 0 || dead[i][0] || attempt >= 2 * PR_NR) {
				fprintf(stderr, "oomdiag: failed to load BPF programs: %s (run with -v "
					"for the verifier log)\n", strerror(-err));
				return rc;
			}
			snprintf(dead[i], sizeof(dead[i]), "BPF program %s failed to load: %s "
				 "(-v shows the verifier log)", failed_prog, strerror(-err));
		}
		if (attempt >= 2 * PR_NR) {
			fprintf(stderr, "oomdiag: failed to attach BPF programs: no alternative "
				"left (run with -v)\n");
			return rc;
		}
		oomdiag_bpf__destroy(t->skel);
		t->skel = NULL;
	}
	return 0;
}

/* Print events until Ctrl-C, SIGTERM or --duration: 0, or -1 when polling failed. */
static int stream(struct tracer *t)
{
	struct timespec t0, now, rt;
	int err;

	fprintf(stderr, "tracing%s... (Ctrl-C to stop)\n", t->o.common.json ? " (json)" : "");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	clock_gettime(CLOCK_REALTIME, &rt);
	t->wall_offset_ns = (rt.tv_sec - t0.tv_sec) * 1000000000LL + rt.tv_nsec - t0.tv_nsec;
	while (!stop) {
		err = ring_buffer__poll(t->rb, 100);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "oomdiag: failed to poll ring buffer: %s\n", strerror(-err));
			return -1;
		}
		if (t->o.duration > 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if ((now.tv_sec - t0.tv_sec) + (now.tv_nsec - t0.tv_nsec) / 1e9 >=
			    t->o.duration)
				break;
		}
	}
	return 0;
}

int cmd_trace(int argc, char **argv)
{
	struct tracer t;
	int rc = EXIT_FAIL, attached = 0;

	memset(&t, 0, sizeof(t));
	if (parse_args(argc, argv, &t.o))
		return EXIT_USAGE;
	if (t.o.common.json && t.o.records) {
		fprintf(stderr, "oomdiag: trace: --json and --records exclude each other\n");
		return EXIT_USAGE;
	}
	if (t.o.explain && t.o.records) {
		fprintf(stderr, "oomdiag: trace: --explain and --records exclude each other\n");
		return EXIT_USAGE;
	}
	od_style_from(&t.st, &t.o.common, stdout);
	if (t.o.records)
		t.st.color = false;
	if (!have_caps()) {
		fprintf(stderr, "oomdiag: failed to start trace: needs root "
			"(CAP_BPF and CAP_PERFMON, or CAP_SYS_ADMIN)\n");
		return EXIT_PERM;
	}
	/*
	 * Handlers first: a background job starts with SIGINT ignored, and a
	 * SIGINT during the (slow) load must stop us, not be lost.
	 */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	libbpf_set_print(libbpf_print);
	setvbuf(stdout, NULL, _IOLBF, 0);

	t.ks = ksyms_load(NULL);
	if (!t.ks) {
		fprintf(stderr, "oomdiag: failed to read /proc/kallsyms: %s (run as root)\n",
			strerror(errno));
		return errno == EPERM ? EXIT_PERM : EXIT_FAIL;
	}
	t.gfp = gfp_layout_running();
	t.tracefs = find_tracefs();
	load_ftrace_funcs(&t);
	t.vmlinux_btf = btf__load_vmlinux_btf();
	if (!t.vmlinux_btf) {
		fprintf(stderr, "oomdiag: failed to start trace: kernel has no BTF "
			"(/sys/kernel/btf/vmlinux; needs CONFIG_DEBUG_INFO_BTF)\n");
		goto cleanup;
	}

	rc = load_attach(&t);
	if (rc)
		goto cleanup;
	rc = EXIT_FAIL;
	print_probes(&t);
	for (int i = 0; i < PR_NR; i++)
		attached += t.p[i].state != P_UNAVAILABLE;
	if (!attached) {
		fprintf(stderr, "oomdiag: failed to start trace: no probe could attach on "
			"this kernel (see the probe lines above)%s\n", lockdown_hint());
		goto cleanup;
	}
	/* Histograms alone are no incident trace: say so rather than stream nothing. */
	if (!event_probes_attached(&t)) {
		fprintf(stderr, "oomdiag: failed to start trace: none of the event probes "
			"(alloc_fail, warn_alloc, oom_kill, mark_victim, vm_refused) could attach "
			"(see the probe lines above)%s\n", lockdown_hint());
		goto cleanup;
	}

	t.rb = ring_buffer__new(bpf_map__fd(t.skel->maps.events), handle_event, &t, NULL);
	if (!t.rb) {
		fprintf(stderr, "oomdiag: failed to create ring buffer: %s\n", strerror(errno));
		goto cleanup;
	}
	if (stop) {	/* interrupted while loading */
		rc = EXIT_OK;
		goto cleanup;
	}
	if (stream(&t))
		goto cleanup;
	ring_buffer__consume(t.rb);
	summary(&t);
	rc = EXIT_OK;
cleanup:
	ring_buffer__free(t.rb);
	destroy_links(&t);
	oomdiag_bpf__destroy(t.skel);
	btf__free(t.vmlinux_btf);
	free(t.ftrace_funcs);
	ksyms_free(t.ks);
	return rc;
}
