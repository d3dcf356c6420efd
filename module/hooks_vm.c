// SPDX-License-Identifier: GPL-2.0
/*
 * Refused address-space requests ("malloc returns NULL with memory free"),
 * kind vm_refused, each with its reason:
 *
 * - overcommit: a kretprobe on __vm_enough_memory() returning -ENOMEM
 *   (pages asked, Committed_AS at that instant; the sysctls and CommitLimit
 *   are not exported and are read by the worker right after);
 * - rlimit_as / rlimit_data: a kretprobe on may_expand_vm() returning
 *   false, the rlimit told apart the way may_expand_vm() does;
 * - rlimit_data through brk(): sys_brk() checks RLIMIT_DATA itself
 *   (check_data_rlimit()) and refuses by returning the old break, not
 *   -ENOMEM; a kretprobe on __do_sys_brk() sees a break it did not move;
 * - max_map_count / other: kretprobes on do_mmap() and do_brk_flags()
 *   returning -ENOMEM when neither hook above refused inside the same call.
 *   Both check mm->map_count > sysctl_max_map_count, which is not
 *   exported: the record keeps the map count and the worker compares it
 *   with vm.max_map_count ("other": address space full, out of memory for
 *   the vma).
 *
 * One record per refused call: an rlimit refusal inside do_mmap(),
 * do_brk_flags() or sys_brk() is left to that call's return (calls.c),
 * because mmap_region() asks may_expand_vm() a second time after a first
 * "no" (MAP_FIXED: the pages it would unmap do not count), and only the
 * last answer decides.  Refusals outside those calls (mremap, stack
 * growth, fork) are recorded at once.
 */
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>

#include "recorder.h"

#define VM_REFUSED_INSIDE	0x1

static struct rec_calls vm_calls;

static void vm_record(struct rec_hook *h, unsigned int reason, u64 pages,
		      u64 limit, u64 usage)
{
	struct rec_build *b = rec_begin(OOMDIAG_KIND_VM_REFUSED);

	rec_call_update(&vm_calls, VM_REFUSED_INSIDE, 0);
	if (!b)
		return;
	b->ev.vm.reason = reason;
	b->ev.vm.pages = pages;
	b->ev.vm.limit = limit;
	b->ev.vm.current_usage = usage;
	if (reason == OOMDIAG_VM_OVERCOMMIT)
		b->ev.vm.committed_as_pages = vm_memory_committed();
	/* Unwinding from a return handler is exact on v5.14+ only. */
	rec_stack(&b->ev, 0, 0);
	b->meta.hook = h->name;
	b->meta.after_want = REC_AFTER_VM;
	atomic64_inc(&h->hits);
	rec_commit(b);
}

/* ---- __vm_enough_memory(mm, long pages, int cap_sys_admin) ---- */

struct vm_args {
	struct mm_struct *mm;
	unsigned long a1;
	unsigned long a2;
};

static int args_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct vm_args *a = (struct vm_args *)ri->data;

	a->mm = (struct mm_struct *)regs->di;
	a->a1 = regs->si;
	a->a2 = regs->dx;
	return 0;
}

static struct rec_hook hook_enough;

static int enough_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct vm_args *a = (struct vm_args *)ri->data;

	if ((int)regs_return_value(regs) == -ENOMEM)
		vm_record(&hook_enough, OOMDIAG_VM_OVERCOMMIT, a->a1, 0, 0);
	return 0;
}

static struct kretprobe krp_enough = {
	.entry_handler = args_entry,
	.handler = enough_ret,
	.data_size = sizeof(struct vm_args),
	.maxactive = 64,
};

static const char * const enough_syms[] = { "__vm_enough_memory", NULL };

static struct rec_hook hook_enough = {
	.name = "vm_enough_memory",
	.symbols = enough_syms,
	.krp = &krp_enough,
};

/* ---- may_expand_vm(mm, vm_flags_t flags, unsigned long npages) ---- */

static struct rec_hook hook_expand;

static int expand_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct vm_args *a = (struct vm_args *)ri->data;
	struct mm_struct *mm = a->mm;
	unsigned long npages = a->a2, as;
	struct rec_deferred d;

	if (!mm)
		return 0;
	if ((u8)regs_return_value(regs)) {
		/* A second answer (mmap_region(), MAP_FIXED) overrides a first "no". */
		rec_call_update(&vm_calls, 0, REC_CALL_DEFERRED);
		return 0;
	}
	/* The same order of checks as may_expand_vm(). */
	as = rlimit(RLIMIT_AS);
	d.pages = npages;
	if (mm->total_vm + npages > as >> PAGE_SHIFT) {
		d.reason = OOMDIAG_VM_RLIMIT_AS;
		d.limit = as;
		d.usage = mm->total_vm;
	} else {
		d.reason = OOMDIAG_VM_RLIMIT_DATA;
		d.limit = rlimit(RLIMIT_DATA);
		d.usage = mm->data_vm;
	}
	if (!rec_call_defer(&vm_calls, &d))
		vm_record(&hook_expand, d.reason, d.pages, d.limit, d.usage);
	return 0;
}

static struct kretprobe krp_expand = {
	.entry_handler = args_entry,
	.handler = expand_ret,
	.data_size = sizeof(struct vm_args),
	.maxactive = 64,
};

static const char * const expand_syms[] = { "may_expand_vm", NULL };

static struct rec_hook hook_expand = {
	.name = "may_expand_vm",
	.symbols = expand_syms,
	.krp = &krp_expand,
};

/* ---- do_mmap / do_brk_flags: what is left ---- */

struct map_data {
	struct rec_call *call;
	unsigned long len;	/* do_mmap() only */
	unsigned long prot;
	unsigned long flags;
};

static int map_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct map_data *d = (struct map_data *)ri->data;

	d->call = rec_call_enter(&vm_calls);
	return 0;
}

/* do_brk_flags(): its arguments differ between kernels; not needed. */
static int brk_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct map_data *d = (struct map_data *)ri->data;

	d->len = 0;
	d->prot = 0;
	d->flags = 0;
	return map_entry(ri, regs);
}

/* do_mmap(file, addr, len, prot, flags, ...): the same on every kernel. */
static int mmap_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct map_data *d = (struct map_data *)ri->data;

	d->len = regs->dx;
	d->prot = regs->cx;
	d->flags = regs->r8;
	return map_entry(ri, regs);
}

/*
 * The end of a call: its state, and the slot given back.  False when the
 * call was not tracked (its bucket was full, counted): then nothing is
 * known of what happened inside, and nothing is recorded for it.
 */
static bool call_done(struct rec_call *c, u32 *state, struct rec_deferred *d)
{
	if (!c)
		return false;
	*state = READ_ONCE(c->state);
	if (*state & REC_CALL_DEFERRED)
		*d = c->deferred;
	rec_call_exit(c);
	return true;
}

/*
 * True when the refusal was recorded inside, or here from what an inner
 * hook left (may_expand_vm()'s last answer).
 */
static bool refusal_known(u32 state, const struct rec_deferred *d)
{
	if (state & VM_REFUSED_INSIDE)
		return true;
	if (!(state & REC_CALL_DEFERRED))
		return false;
	vm_record(&hook_expand, d->reason, d->pages, d->limit, d->usage);
	return true;
}

/*
 * An ENOMEM no inner hook explained.  may_expand_vm() is inlined into
 * mmap_region() on some builds (Debian's 5.10): its checks are redone here
 * for do_mmap(), in its order; the rest is left to the worker (map count).
 */
static void map_done(struct rec_hook *h, struct kretprobe_instance *ri, long ret)
{
	struct map_data *d = (struct map_data *)ri->data;
	struct mm_struct *mm = current->mm;
	unsigned long npages = PAGE_ALIGN(d->len) >> PAGE_SHIFT;
	unsigned long as = rlimit(RLIMIT_AS), data = rlimit(RLIMIT_DATA);
	struct rec_deferred def;
	u32 state;

	if (!call_done(d->call, &state, &def) || ret != -ENOMEM || !mm)
		return;
	if (refusal_known(state, &def))
		return;
	if (npages && mm->total_vm + npages > as >> PAGE_SHIFT)
		vm_record(h, OOMDIAG_VM_RLIMIT_AS, npages, as, mm->total_vm);
	else if (npages && (d->prot & PROT_WRITE) && (d->flags & MAP_TYPE) == MAP_PRIVATE &&
		 !(d->flags & MAP_STACK) && mm->data_vm + npages > data >> PAGE_SHIFT)
		vm_record(h, OOMDIAG_VM_RLIMIT_DATA, npages, data, mm->data_vm);
	else
		vm_record(h, OOMDIAG_VM_OTHER, npages, 0, READ_ONCE(mm->map_count));
}

static struct rec_hook hook_mmap;
static struct rec_hook hook_brk;
static struct rec_hook hook_sys_brk;

struct sys_brk_data {
	struct map_data map;
	unsigned long want;
};

static struct kretprobe krp_sys_brk;

/*
 * __x64_sys_brk(const struct pt_regs *) is the syscall wrapper, taken when
 * __do_sys_brk is inlined into it (seen with the debug kernel's config).
 */
static const char * const sys_brk_syms[] = {
	"__do_sys_brk", "__se_sys_brk", "__x64_sys_brk", NULL
};

#define SYS_BRK_WRAPPER (sys_brk_syms[2])

static int sys_brk_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct sys_brk_data *d = (struct sys_brk_data *)ri->data;

	/* __do_sys_brk(unsigned long brk), or the wrapper's (struct pt_regs *) */
	if (krp_sys_brk.kp.symbol_name == SYS_BRK_WRAPPER)
		d->want = ((const struct pt_regs *)regs->di)->di;
	else
		d->want = regs->di;
	d->map.call = rec_call_enter(&vm_calls);
	return 0;
}

static int sys_brk_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct sys_brk_data *d = (struct sys_brk_data *)ri->data;
	unsigned long got = regs_return_value(regs), data, rlim, used;
	struct mm_struct *mm = current->mm;
	struct rec_deferred def;
	u32 state;

	if (!call_done(d->map.call, &state, &def))
		return 0;
	/* brk(0) asks; a refusal leaves the break where it was. */
	if (!d->want || got == d->want || !mm || d->want < got)
		return 0;
	if (refusal_known(state, &def))
		return 0;
	/* check_data_rlimit(): new break plus the data segment. */
	rlim = rlimit(RLIMIT_DATA);
	data = (d->want - mm->start_brk) + (mm->end_data - mm->start_data);
	used = (got - mm->start_brk) + (mm->end_data - mm->start_data);
	if (rlim < RLIM_INFINITY && data > rlim)
		vm_record(&hook_sys_brk, OOMDIAG_VM_RLIMIT_DATA, (d->want - got) >> PAGE_SHIFT,
			  rlim, used >> PAGE_SHIFT);
	else
		vm_record(&hook_sys_brk, OOMDIAG_VM_OTHER, (d->want - got) >> PAGE_SHIFT, 0,
			  READ_ONCE(mm->map_count));
	return 0;
}

static struct kretprobe krp_sys_brk = {
	.entry_handler = sys_brk_entry,
	.handler = sys_brk_ret,
	.data_size = sizeof(struct sys_brk_data),
	.maxactive = 64,
};

static struct rec_hook hook_sys_brk = {
	.name = "sys_brk",
	.symbols = sys_brk_syms,
	.krp = &krp_sys_brk,
};

static int mmap_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	map_done(&hook_mmap, ri, (long)regs_return_value(regs));
	return 0;
}

static int brk_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	map_done(&hook_brk, ri, (int)regs_return_value(regs));
	return 0;
}

static struct kretprobe krp_mmap = {
	.entry_handler = mmap_entry,
	.handler = mmap_ret,
	.data_size = sizeof(struct map_data),
	.maxactive = 64,
};

static struct kretprobe krp_brk = {
	.entry_handler = brk_entry,
	.handler = brk_ret,
	.data_size = sizeof(struct map_data),
	.maxactive = 64,
};

static const char * const mmap_syms[] = { "do_mmap", NULL };
static const char * const brk_syms[] = { "do_brk_flags", NULL };

static struct rec_hook hook_mmap = {
	.name = "do_mmap",
	.symbols = mmap_syms,
	.krp = &krp_mmap,
};

static struct rec_hook hook_brk = {
	.name = "do_brk_flags",
	.symbols = brk_syms,
	.krp = &krp_brk,
};

int rec_hooks_vm_register(void)
{
	int n = 0;

	n += !rec_hook_register(&hook_sys_brk);
	n += !rec_hook_register(&hook_mmap);
	n += !rec_hook_register(&hook_brk);
	n += !rec_hook_register(&hook_enough);
	n += !rec_hook_register(&hook_expand);
	return n;
}

void rec_hooks_vm_unregister(void)
{
	rec_hook_unregister(&hook_expand);
	rec_hook_unregister(&hook_enough);
	rec_hook_unregister(&hook_brk);
	rec_hook_unregister(&hook_mmap);
	rec_hook_unregister(&hook_sys_brk);
	/* No handler runs now: calls still in flight return without one. */
	rec_calls_reset(&vm_calls);
}

void rec_hooks_vm_print(struct seq_file *m)
{
	rec_calls_print(m, "vm", &vm_calls);
	rec_hook_print(m, &hook_enough);
	rec_hook_print(m, &hook_expand);
	rec_hook_print(m, &hook_mmap);
	rec_hook_print(m, &hook_brk);
	rec_hook_print(m, &hook_sys_brk);
}
