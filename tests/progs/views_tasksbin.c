// SPDX-License-Identifier: GPL-2.0
/*
 * views_tasksbin BIN [FILE...]
 *
 * Read the module's binary "tasks.bin" view BIN and then every FILE, back to
 * back (as views_readall does), and only then print them, each after a line
 * "==> PATH <==".  BIN prints decoded into the text view's format (docs/
 * debugfs.md: the two header lines and one line per task, escaped, in the
 * OOM killer's order), so that a test can compare it line by line with the
 * text view and with /proc.  A decoder of its own, written from the format
 * description, not userspace/tasks.c's.  Exit 1 when BIN is malformed.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUF_SIZE (8 << 20)
#define MAX_FILES 8192

struct hdr {
	char magic[8];
	uint32_t version, hdr_size, rec_size, nr_tasks, node_words, nr_nodes;
	uint32_t nr_memcgs, memcg_len, nr_exempt, truncated, memcg_overflow, nr_batches;
	uint64_t totalpages, swap_pages, walk_ns, rcu_max_ns;
	uint64_t nodes_off, tasks_off, memcgs_off;
};

struct rec {
	int32_t pid;
	uint32_t uid;
	char comm[16];
	uint64_t anon_kb, file_kb, shmem_kb, swap_kb, pgtables_kb;
	int64_t badness;
	uint64_t oom_score;
	int16_t oom_score_adj;
	uint8_t exempt, origin, memcg_truncated, policy_unbound;
	uint16_t memcg;
};

static char *buf;
static size_t off[MAX_FILES + 1];
static const struct hdr *h;

static const char *const exempt_names[] = {
	"-", "init", "kthread", "no_mm", "adj_min", "oom_skip", "vfork", "oom_victim",
};

static const struct rec *rec_at(uint32_t i)
{
	return (const struct rec *)(buf + h->tasks_off + (size_t)i * h->rec_size);
}

static void put_escaped(const char *s, size_t max)
{
	size_t n = strnlen(s, max);

	if (!n) {
		putchar('-');
		return;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= ' ' || c == '\\' || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
}

static void put_nodes(const uint64_t *w, int none, char end)
{
	int first = 1, any = 0;

	for (uint32_t b = 0; !none && b < h->node_words * 64; b++) {
		uint32_t e = b;

		if (!(w[b / 64] >> (b % 64) & 1))
			continue;
		while (e + 1 < h->node_words * 64 && (w[(e + 1) / 64] >> ((e + 1) % 64) & 1))
			e++;
		printf(e > b ? "%s%u-%u" : "%s%u", first ? "" : ",", b, e);
		first = 0;
		any = 1;
		b = e;
	}
	if (!any)
		putchar('-');
	putchar(end);
}

static int candidate(const struct rec *r)
{
	if (r->exempt == 1 || r->exempt == 2 || r->exempt == 7)
		return 0;
	return r->origin || r->badness != INT64_MIN;
}

/* The kernel's order: candidates, origin, badness, later walked first. */
static int cmp(const void *a, const void *b)
{
	uint32_t i = *(const uint32_t *)a, j = *(const uint32_t *)b;
	const struct rec *x = rec_at(i), *y = rec_at(j);

	if (candidate(x) != candidate(y))
		return candidate(x) ? -1 : 1;
	if (x->origin != y->origin)
		return x->origin ? -1 : 1;
	if (x->badness != y->badness)
		return x->badness > y->badness ? -1 : 1;
	return i > j ? -1 : i < j;
}

static int decode(const char *path, size_t len)
{
	uint32_t *order;

	h = (const struct hdr *)buf;
	if (len < sizeof(*h) || memcmp(h->magic, "OOMDTASK", 8) || h->version != 1 ||
	    h->hdr_size != sizeof(*h) || h->rec_size != sizeof(struct rec) + 16 * h->node_words ||
	    h->nodes_off + h->nr_nodes * 16ULL > h->tasks_off ||
	    h->tasks_off + (uint64_t)h->nr_tasks * h->rec_size != h->memcgs_off ||
	    h->memcgs_off + (uint64_t)h->nr_memcgs * h->memcg_len != len) {
		fprintf(stderr, "views_tasksbin: %s: malformed (%zu bytes)\n", path, len);
		return 1;
	}
	printf("==> %s <==\n", path);
	printf("# oomdiag tasks v1 totalpages=%llu tasks=%u exempt=%u truncated=%u memcg_overflow=%u walk_ns=%llu batches=%u rcu_max_ns=%llu swap_pages=%llu node_present_pages",
	       (unsigned long long)h->totalpages, h->nr_tasks, h->nr_exempt, h->truncated,
	       h->memcg_overflow, (unsigned long long)h->walk_ns, h->nr_batches,
	       (unsigned long long)h->rcu_max_ns, (unsigned long long)h->swap_pages);
	for (uint32_t i = 0; i < h->nr_nodes; i++) {
		const uint64_t *nd = (const uint64_t *)(buf + h->nodes_off + 16 * (size_t)i);

		printf("%c%u:%llu", i ? ',' : '=', (uint32_t)nd[0], (unsigned long long)nd[1]);
	}
	printf("\n# pid uid comm anon_kb file_kb shmem_kb swap_kb pgtables_kb oom_score_adj badness oom_score memcg exempt oom_origin memcg_truncated mems_allowed mempolicy_nodes\n");
	order = calloc(h->nr_tasks + 1, sizeof(*order));
	if (!order)
		return 1;
	for (uint32_t i = 0; i < h->nr_tasks; i++)
		order[i] = i;
	qsort(order, h->nr_tasks, sizeof(*order), cmp);
	for (uint32_t k = 0; k < h->nr_tasks; k++) {
		const struct rec *r = rec_at(order[k]);
		const uint64_t *nodes = (const uint64_t *)(r + 1);

		printf("%d %u ", r->pid, r->uid);
		put_escaped(r->comm, sizeof(r->comm));
		printf(" %llu %llu %llu %llu %llu %d ", (unsigned long long)r->anon_kb,
		       (unsigned long long)r->file_kb, (unsigned long long)r->shmem_kb,
		       (unsigned long long)r->swap_kb, (unsigned long long)r->pgtables_kb,
		       r->oom_score_adj);
		if (r->badness == INT64_MIN)
			printf("-");
		else
			printf("%lld", (long long)r->badness);
		printf(" %llu ", (unsigned long long)r->oom_score);
		if (r->memcg >= h->nr_memcgs)
			printf("?");
		else
			put_escaped(buf + h->memcgs_off + (size_t)r->memcg * h->memcg_len,
				    h->memcg_len);
		printf(" %s %d %d ", r->exempt < 8 ? exempt_names[r->exempt] : "?", r->origin,
		       r->memcg_truncated);
		put_nodes(nodes, 0, ' ');
		put_nodes(nodes + h->node_words, r->policy_unbound, '\n');
	}
	free(order);
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc - 1, i, rc;

	if (n < 1 || n > MAX_FILES) {
		fprintf(stderr, "usage: views_tasksbin BIN [FILE...]\n");
		return 2;
	}
	buf = malloc(BUF_SIZE);
	if (!buf)
		return 2;
	memset(buf, 1, BUF_SIZE);
	for (i = 0; i < n; i++) {
		int fd = open(argv[i + 1], O_RDONLY);
		ssize_t r;

		off[i + 1] = off[i];
		if (fd < 0) {
			if (i == 0) {
				perror(argv[1]);
				return 1;
			}
			continue;
		}
		while (off[i + 1] < BUF_SIZE &&
		       (r = read(fd, buf + off[i + 1], BUF_SIZE - off[i + 1])) > 0)
			off[i + 1] += (size_t)r;
		close(fd);
	}
	rc = decode(argv[1], off[1]);
	for (i = 1; i < n; i++) {
		printf("==> %s <==\n", argv[i + 1]);
		fwrite(buf + off[i], 1, off[i + 1] - off[i], stdout);
	}
	return rc;
}
