// SPDX-License-Identifier: GPL-2.0
/* The module's flight recorder file, see modevents.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "modevents.h"
#include "util.h"

struct ctx {
	struct od_event_list *l;
	const struct gfp_layout *layout;
};

static int add_rec(const char *rec, size_t len, void *arg)
{
	struct ctx *c = arg;
	struct od_event_list *l = c->l;

	if (l->nr == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->ev = xrealloc(l->ev, l->cap * sizeof(*l->ev));
	}
	if (!event_parse_module_record(rec, len, &l->ev[l->nr], c->layout))
		l->nr++;
	return 0;
}

static void parse_summary(struct od_event_list *l, const char *text, size_t len)
{
	const char *nl = memchr(text, '\n', len);
	char *line, *tok, *save;

	if (len < 10 || strncmp(text, "# oomdiag ", 10))
		return;
	line = xstrndup(text, nl ? (size_t)(nl - text) : len);
	for (tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq || l->nsum >= 32)
			continue;
		*eq = 0;
		snprintf(l->sum_key[l->nsum], sizeof(l->sum_key[0]), "%s", tok);
		l->sum_val[l->nsum++] = strtoull(eq + 1, NULL, 0);
	}
	free(line);
}

void modevents_parse(struct od_event_list *l, const char *text, size_t len,
		     const struct gfp_layout *layout)
{
	struct ctx c = { l, layout };
	int64_t abi;

	memset(l, 0, sizeof(*l));
	parse_summary(l, text, len);
	abi = modevents_summary(l, "abi");
	l->abi = abi >= 0 && abi <= 1000000 ? (int)abi : -1;
	if (l->abi >= 0 && l->abi != OOMDIAG_ABI_VERSION)
		return;	/* records of another vocabulary: not read */
	event_split_records(text, len, add_rec, &c);
}

void modevents_abi_error(const struct od_event_list *l)
{
	fprintf(stderr, "oomdiag: failed to read events: module ABI %d, this oomdiag reads ABI %d\n"
		"oomdiag: hint: load the oomdiag.ko built with this oomdiag (rmmod oomdiag; insmod "
		"oomdiag.ko), or use the oomdiag built with the loaded module\n",
		l->abi, OOMDIAG_ABI_VERSION);
}

int modevents_read(struct od_event_list *l)
{
	char path[512];
	size_t len;
	char *text = read_file(od_debugfs_path(path, sizeof(path), "events"), &len);

	memset(l, 0, sizeof(*l));
	if (!text)
		return -errno;
	modevents_parse(l, text, len, NULL);
	free(text);
	if (l->abi >= 0 && l->abi != OOMDIAG_ABI_VERSION)
		return -EPROTO;
	return 0;
}

void modevents_free(struct od_event_list *l)
{
	free(l->ev);
	memset(l, 0, sizeof(*l));
}

int64_t modevents_summary(const struct od_event_list *l, const char *key)
{
	for (int i = 0; i < l->nsum; i++)
		if (!strcmp(l->sum_key[i], key))
			return (int64_t)l->sum_val[i];
	return -1;
}
