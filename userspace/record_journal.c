// SPDX-License-Identifier: GPL-2.0
/*
 * oomdiag record: a parsed record as one journal entry, see record.h.
 * The MESSAGE_IDs are documented in debian/oomdiag.catalog (one entry per
 * kind for journalctl -x); generated once with systemd-id128 new, never
 * systemd's own.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cgroup.h"
#include "record.h"

static const struct {
	unsigned int kind;
	const char *id;
	int priority;
} kinds[] = {
	{ OOMDIAG_KIND_ALLOC_FAIL, "66b38c3cafe24090a71223e898c73c36", 5 },	/* notice */
	{ OOMDIAG_KIND_WARN_ALLOC, "f5755f0b0a55426d8f134a9eaf2f7455", 4 },	/* warning */
	{ OOMDIAG_KIND_OOM_KILL, "5812df3c93ec4e1dae2f281e682ed0d6", 3 },	/* err */
	{ OOMDIAG_KIND_OOM_VICTIM, "066c1850e07d4559baeeb7a14e410060", 5 },
	{ OOMDIAG_KIND_VM_REFUSED, "be34a0105e42464b987416595f9ecf56", 5 },
	{ OOMDIAG_KIND_SLOW_ALLOC, "4b0d9f69e343475dbf87c7df15a8290f", 6 },	/* info */
};

const char *rec_message_id(unsigned int kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].kind == kind)
			return kinds[i].id;
	return "";
}

int rec_priority(unsigned int kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].kind == kind)
			return kinds[i].priority;
	return 5;
}

static enum od_group group_of(unsigned int kind)
{
	if (event_is_alloc(kind))
		return OD_G_ALLOC;
	if (kind == OOMDIAG_KIND_OOM_KILL || kind == OOMDIAG_KIND_OOM_VICTIM)
		return OD_G_OOM;
	if (kind == OOMDIAG_KIND_VM_REFUSED)
		return OD_G_VM;
	return OD_G_ANY;
}

/* "victim_pid" -> "OOMDIAG_VICTIM_PID"; false when no valid name results. */
static bool field_name(char *buf, size_t len, const char *key, size_t klen)
{
	size_t n = strlen("OOMDIAG_");

	if (n + klen >= len)
		return false;
	memcpy(buf, "OOMDIAG_", n);
	for (size_t i = 0; i < klen; i++) {
		char ch = key[i];

		buf[n + i] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 'a' + 'A') :
			     ((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')) ? ch : '_';
	}
	buf[n + klen] = 0;
	return journal_field_name_ok(buf);
}

#define IS_SIGNED(x) _Generic((x), signed char: 1, short: 1, int: 1, long: 1, long long: 1, \
				     default: 0)

/* Every numeric key of the record's kind, as the record spells it. */
#define NUM_FIELD(id, key, grp, member)						\
	if ((grp) == OD_G_ANY || (grp) == g) {					\
		bool neg_ = IS_SIGNED(e->ev.member);				\
		char v_[32];							\
		if (!event_known(e, OD_FIELD_##id))				\
			snprintf(v_, sizeof(v_), "-");				\
		else if (!strcmp(key, "gfp"))					\
			snprintf(v_, sizeof(v_), "0x%" PRIx64, (uint64_t)e->ev.member); \
		else if ((uint64_t)e->ev.member == OD_UNLIMITED && sizeof(e->ev.member) == 8) \
			snprintf(v_, sizeof(v_), "unlimited");			\
		else if (neg_)							\
			snprintf(v_, sizeof(v_), "%" PRId64, (int64_t)e->ev.member); \
		else								\
			snprintf(v_, sizeof(v_), "%" PRIu64, (uint64_t)e->ev.member); \
		if (field_name(name, sizeof(name), key, strlen(key)))		\
			jmsg_add_str(m, name, v_);				\
	}

static void add_numbers(struct journal_msg *m, const struct od_event *e)
{
	enum od_group g = group_of(e->ev.kind);
	char name[80];

	OD_RECORD_NUMS(NUM_FIELD)
}
#undef NUM_FIELD

/* The record's other keys (extra: "k=v k=v"), each as its own field. */
static void add_extra(struct journal_msg *m, const char *extra)
{
	const char *p = extra;

	while (*p) {
		const char *end = strchr(p, ' '), *eq;
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char name[80];

		eq = memchr(p, '=', n);
		if (eq && field_name(name, sizeof(name), p, (size_t)(eq - p)))
			jmsg_add(m, name, eq + 1, n - (size_t)(eq - p) - 1);
		p += n;
		while (*p == ' ')
			p++;
	}
}

static void message(struct journal_msg *m, const struct od_event *e)
{
	const struct oomdiag_event *ev = &e->ev;
	const char *gfp = e->gfp_text[0] ? e->gfp_text : "-";
	char task[48];

	snprintf(task, sizeof(task), "%.16s[%u]", ev->comm, ev->tgid);
	switch (ev->kind) {
	case OOMDIAG_KIND_ALLOC_FAIL:
		jmsg_addf(m, "MESSAGE", "page allocation failure: order %d, gfp %s, by %s",
			  event_order(e), gfp, task);
		break;
	case OOMDIAG_KIND_WARN_ALLOC:
		jmsg_addf(m, "MESSAGE", "warn_alloc: order %d, gfp %s, by %s%s", event_order(e),
			  gfp, task, (ev->flags & OOMDIAG_F_SILENT) ? " (not printed by the kernel)" :
			  "");
		break;
	case OOMDIAG_KIND_OOM_KILL:
		jmsg_addf(m, "MESSAGE",
			  "OOM killer killed %.16s[%u]: anon-rss %" PRIu64 " kB, oom_score_adj %d, "
			  "constraint %s, domain %s", ev->oom.victim_comm, ev->oom.victim_pid,
			  (uint64_t)ev->oom.anon_rss_kb, ev->oom.oom_score_adj,
			  event_constraint_name(ev->oom.constraint),
			  ev->oom.memcg[0] ? ev->oom.memcg : "/");
		break;
	case OOMDIAG_KIND_OOM_VICTIM:
		jmsg_addf(m, "MESSAGE", "OOM victim marked: %.16s[%u]%s", ev->oom.victim_comm,
			  ev->oom.victim_pid, (ev->flags & OOMDIAG_F_GROUP_KILL) ?
			  " (group kill)" : "");
		break;
	case OOMDIAG_KIND_VM_REFUSED:
		jmsg_addf(m, "MESSAGE", "address space request refused (%s): %" PRIu64
			  " pages, by %s", event_vm_reason_name(ev->vm.reason),
			  (uint64_t)ev->vm.pages, task);
		break;
	case OOMDIAG_KIND_SLOW_ALLOC:
		jmsg_addf(m, "MESSAGE", "slow page allocation: order %d, %" PRIu64 " ms, by %s",
			  event_order(e), (uint64_t)ev->alloc.latency_ns / 1000000, task);
		break;
	default:
		jmsg_addf(m, "MESSAGE", "oomdiag record of kind %u, seq %" PRIu64, ev->kind,
			  (uint64_t)ev->seq);
	}
}

void rec_journal_entry(struct journal_msg *m, const struct od_event *e, const char *raw,
		       size_t rawlen, const char *boot_id)
{
	const struct oomdiag_event *ev = &e->ev;
	const char *id = rec_message_id(ev->kind);
	char flags[128];

	(void)boot_id;
	jmsg_reset(m);
	message(m, e);
	if (id[0])
		jmsg_add_str(m, "MESSAGE_ID", id);
	jmsg_addf(m, "PRIORITY", "%d", rec_priority(ev->kind));
	jmsg_add_str(m, "SYSLOG_IDENTIFIER", "oomdiag");
	jmsg_add_str(m, "DOCUMENTATION", "man:oomdiag(1)");
	jmsg_add_str(m, "OOMDIAG_KIND", event_kind_name(ev->kind));
	jmsg_add_str(m, "OOMDIAG_CONTEXT", event_context_name(ev->context));
	jmsg_add(m, "OOMDIAG_COMM", ev->comm, strnlen(ev->comm, sizeof(ev->comm)));
	event_flags_text(ev->flags, flags, sizeof(flags));
	jmsg_add_str(m, "OOMDIAG_FLAGS", flags[0] ? flags : "-");
	add_numbers(m, e);
	if (event_is_alloc(ev->kind) || group_of(ev->kind) == OD_G_OOM)
		jmsg_add_str(m, "OOMDIAG_GFP_NAMES", e->gfp_text[0] ? e->gfp_text : "-");
	if (group_of(ev->kind) == OD_G_OOM) {
		struct od_container k;

		jmsg_add(m, "OOMDIAG_VICTIM_COMM", ev->oom.victim_comm,
			 strnlen(ev->oom.victim_comm, sizeof(ev->oom.victim_comm)));
		jmsg_add_str(m, "OOMDIAG_CONSTRAINT", event_constraint_name(ev->oom.constraint));
		jmsg_add(m, "OOMDIAG_MEMCG", ev->oom.memcg,
			 strnlen(ev->oom.memcg, sizeof(ev->oom.memcg)));
		jmsg_add(m, "OOMDIAG_VICTIM_MEMCG", ev->oom.victim_memcg,
			 strnlen(ev->oom.victim_memcg, sizeof(ev->oom.victim_memcg)));
		cg_container(ev->oom.victim_memcg, &k);
		if (k.unit[0])
			jmsg_add_str(m, "OOMDIAG_VICTIM_UNIT", k.unit);
		if (k.id[0])
			jmsg_add_str(m, "OOMDIAG_VICTIM_CONTAINER_ID", k.id);
		if (k.pod_uid[0])
			jmsg_add_str(m, "OOMDIAG_VICTIM_POD_UID", k.pod_uid);
		if (e->ledger.present) {
			char why[512];

			if (event_ledger_why(e, why, sizeof(why)))
				jmsg_add_str(m, "OOMDIAG_WHY", why);
		}
	}
	if (ev->kind == OOMDIAG_KIND_VM_REFUSED)
		jmsg_add_str(m, "OOMDIAG_REASON", event_vm_reason_name(ev->vm.reason));
	if (e->after[0])
		jmsg_add_str(m, "OOMDIAG_AFTER_DETAIL", e->after);
	add_extra(m, e->extra);
	if (e->nstack_sym) {
		char st[OOMDIAG_STACK_DEPTH * OD_STACK_SYM_LEN];
		size_t n = 0;

		for (unsigned int i = 0; i < e->nstack_sym && n < sizeof(st); i++)
			n += (size_t)snprintf(st + n, sizeof(st) - n, "%s%s", i ? "\n" : "",
					      e->stack_sym[i]);
		jmsg_add(m, "OOMDIAG_STACK", st, n < sizeof(st) ? n : sizeof(st) - 1);
	}
	if (raw) {
		while (rawlen && raw[rawlen - 1] == '\n')
			rawlen--;
		jmsg_add(m, "OOMDIAG_RECORD", raw, rawlen);
	}
}
