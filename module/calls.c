// SPDX-License-Identifier: GPL-2.0
/*
 * Calls in flight: which tasks are inside do_mmap(), sys_brk(),
 * do_brk_flags() or warn_alloc() right now, so that a hook further down
 * the same call (a refusal, warn_alloc's dump_stack) can tell the outer
 * call's return handler what it saw.
 *
 * Each slot keeps its state itself.  It must never point into the
 * kretprobe instance: when the recorder is disarmed while a task is inside
 * the call, the task returns without our handler and the kernel frees the
 * instance (rethook_recycle(), or kfree on 5.10), so anything left pointing
 * there would be written after free.  rec_calls_reset() empties a table
 * once its hooks are unregistered, so such orphans are not leaked either.
 *
 * Slots are hashed by task into buckets on cache lines of their own, so
 * mmap() on different CPUs does not contend on one line; a task whose bucket is
 * full is counted (shown in the events header) and its call is then
 * handled as if no inner hook had seen anything.
 */
#include <linux/atomic.h>
#include <linux/hash.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "recorder.h"

static struct rec_call_bucket *bucket_of(struct rec_calls *tab, struct task_struct *t)
{
	return &tab->buckets[hash_ptr(t, REC_CALL_BUCKET_BITS)];
}

struct rec_call *rec_call_enter(struct rec_calls *tab)
{
	struct rec_call_bucket *b = bucket_of(tab, current);
	unsigned int i;

	for (i = 0; i < REC_CALL_WAYS; i++) {
		struct rec_call *c = &b->slot[i];

		if (!cmpxchg(&c->task, NULL, current)) {
			c->ctx = rec_context();
			c->state = 0;
			memset(&c->deferred, 0, sizeof(c->deferred));
			return c;
		}
	}
	atomic64_inc(&tab->full);
	return NULL;
}

void rec_call_exit(struct rec_call *c)
{
	if (c)
		/* The owner's reads of the slot come before another's claim. */
		smp_store_release(&c->task, NULL);
}

/* A slot of current's own, at context level @ctx. */
static bool own_call(const struct rec_call *c, unsigned int ctx)
{
	return READ_ONCE(c->task) == current && READ_ONCE(c->ctx) == ctx;
}

unsigned int rec_call_update(struct rec_calls *tab, u32 set, u32 clear)
{
	struct rec_call *c = bucket_of(tab, current)->slot;
	unsigned int i, ctx = rec_context(), n = 0;

	/* Only current writes its own slots at this level: no atomics needed. */
	for (i = 0; i < REC_CALL_WAYS; i++, c++) {
		if (!own_call(c, ctx))
			continue;
		WRITE_ONCE(c->state, (c->state & ~clear) | set);
		n++;
	}
	return n;
}

unsigned int rec_call_defer(struct rec_calls *tab, const struct rec_deferred *d)
{
	struct rec_call *c = bucket_of(tab, current)->slot;
	unsigned int i, ctx = rec_context(), n = 0;

	for (i = 0; i < REC_CALL_WAYS; i++, c++) {
		if (!own_call(c, ctx))
			continue;
		c->deferred = *d;
		WRITE_ONCE(c->state, c->state | REC_CALL_DEFERRED);
		n++;
	}
	return n;
}

void rec_calls_reset(struct rec_calls *tab)
{
	memset(tab->buckets, 0, sizeof(tab->buckets));
}

/*
 * slots: how many (buckets x ways, a bucket is hash_ptr(task) >> (32 -
 * bits of buckets), tests/kmod's "bucket" file); used: taken now (a racy
 * count, as any snapshot of calls in flight); full: calls since load that
 * found their bucket full.
 */
void rec_calls_print(struct seq_file *m, const char *name, struct rec_calls *tab)
{
	unsigned int b, i, used = 0;

	for (b = 0; b < REC_CALL_BUCKETS; b++)
		for (i = 0; i < REC_CALL_WAYS; i++)
			used += !!READ_ONCE(tab->buckets[b].slot[i].task);
	seq_printf(m, "# calls_in_flight table=%s slots=%lu buckets=%lu ways=%d used=%u full=%lld\n",
		   name, REC_CALL_BUCKETS * REC_CALL_WAYS, REC_CALL_BUCKETS, REC_CALL_WAYS, used,
		   atomic64_read(&tab->full));
}
