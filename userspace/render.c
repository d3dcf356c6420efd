// SPDX-License-Identifier: GPL-2.0
/* The renderers shared by the commands: zones, gfp names, wrapped text, causes (render.h). */
#include <stdlib.h>
#include <string.h>

#include "causes.h"
#include "cli.h"
#include "render.h"

void zone_json_open(struct json_writer *w, const struct zone_fields *z)
{
	uint64_t pk = z->page_kb;

	json_begin_object(w, NULL);
	json_int(w, "node", z->node);
	json_string_len(w, "name", z->name, strnlen(z->name, z->name_len));
	json_uint(w, "free_kb", z->free_pages * pk);
	if (z->has_wmark) {
		json_uint(w, "min_kb", z->min_pages * pk);
		json_uint(w, "low_kb", z->low_pages * pk);
		json_uint(w, "high_kb", z->high_pages * pk);
		json_uint(w, "managed_kb", z->managed_pages * pk);
		json_uint(w, "free_cma_kb", z->free_cma_pages * pk);
	}
	json_begin_array(w, "free_blocks");
	for (unsigned int o = 0; o < z->nr_orders && o < OD_ZONE_ORDERS; o++)
		json_uint(w, NULL, z->free_blocks[o]);
	json_end_array(w);
	json_int(w, "highest_free_order", z->highest_free_order);
}

void zones_json(struct json_writer *w, const struct od_zones *zs)
{
	json_string(w, "source", zs->source);
	json_int(w, "page_kb", zs->page_kb);
	json_begin_array(w, "migratetypes");
	for (int mt = 0; mt < zs->nr_mt; mt++)
		json_string(w, NULL, zs->mt_names[mt]);
	json_end_array(w);
	if (!zs->has_mt && zs->mt_error[0])
		json_string(w, "migratetypes_error", zs->mt_error);
	json_begin_array(w, "zones");
	for (int i = 0; i < zs->nr; i++) {
		const struct od_zone *z = &zs->z[i];
		uint64_t pk = (uint64_t)zs->page_kb;

		struct zone_fields f = {
			.node = z->node, .name = z->name, .name_len = strlen(z->name), .page_kb = pk,
			.free_pages = zone_total_free_pages(z), .min_pages = z->min_pages,
			.low_pages = z->low_pages, .high_pages = z->high_pages,
			.managed_pages = z->managed_pages, .free_cma_pages = z->free_cma_pages,
			.has_wmark = z->has_wmark, .highest_free_order = zone_highest_order(z),
		};

		for (int o = 0; o < z->nr_orders && o < OD_ZONE_ORDERS; o++)
			f.free_blocks[f.nr_orders++] = z->free_blocks[o];
		zone_json_open(w, &f);
		json_begin_array(w, "frag_index");
		for (int o = 0; o < z->nr_orders; o++)
			json_double(w, NULL, zone_frag_index(z, o) / 1000.0);
		json_end_array(w);
		if (z->nr_mt) {
			json_begin_object(w, "migratetypes");
			for (int mt = 0; mt < z->nr_mt && mt < zs->nr_mt; mt++) {
				json_begin_array(w, zs->mt_names[mt]);
				for (int o = 0; o < z->nr_orders; o++)
					json_uint(w, NULL, z->mt_blocks[mt][o]);
				json_end_array(w);
			}
			json_end_object(w);
		}
		json_end_object(w);
	}
	json_end_array(w);
}

void gfp_json_flags(struct json_writer *w, const char *key, const char *names)
{
	char *dup = xstrdup(names ? names : ""), *tok, *save = NULL;

	json_begin_array(w, key);
	for (tok = strtok_r(dup, "|", &save); tok; tok = strtok_r(NULL, "|", &save))
		json_string(w, NULL, tok);
	json_end_array(w);
	free(dup);
}

static bool is_unit(const char *s)
{
	return (s[0] == 'k' || s[0] == 'M' || s[0] == 'G' || s[0] == 'T') && s[1] == 'B' &&
	       (!s[2] || s[2] == ' ' || s[2] == ',' || s[2] == ';' || s[2] == ')');
}

void od_wrap(FILE *f, int indent, int first_col, const char *text)
{
	int col = first_col;
	const char *s = text;

	while (*s) {
		size_t wl;

		while (*s == ' ')
			s++;
		wl = strcspn(s, " ");
		if (!wl)
			break;
		/* keep "32.2 MB" together */
		while (s[wl] == ' ' && is_unit(s + wl + 1))
			wl += 1 + strcspn(s + wl + 1, " ");
		if (col > indent && col + 1 + (int)wl > OD_WIDTH) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		} else if (col < indent) {
			fprintf(f, "%*s", indent - col, "");
			col = indent;
		}
		while (col + (int)wl > OD_WIDTH) {
			size_t room = (size_t)(OD_WIDTH - col), cut = room;

			for (size_t i = room; i > room / 2; i--)
				if (s[i - 1] == '/') {
					cut = i;
					break;
				}
			fwrite(s, 1, cut, f);
			fprintf(f, "\n%*s", indent, "");
			col = indent;
			s += cut;
			wl -= cut;
		}
		fwrite(s, 1, wl, f);
		col += (int)wl;
		s += wl;
	}
	fputc('\n', f);
}

void causes_print(FILE *f, const struct od_style *st, const struct analysis *a,
			  bool truncated)
{
	if (a->nr_causes) {
		fprintf(f, "  %scauses%s\n", od_c(st, C_BOLD), od_c(st, C_RESET));
		for (int i = 0; i < a->nr_causes; i++) {
			const struct cause *c = &a->causes[i];

			fprintf(f, "    %s%s%s:", od_c(st, C_YELLOW), c->id, od_c(st, C_RESET));
			od_wrap(f, 6, 5 + (int)strlen(c->id), c->evidence);
			fprintf(f, "      %sadvice:%s", od_c(st, C_DIM), od_c(st, C_RESET));
			od_wrap(f, 8, 13, c->advice);
		}
	} else {
		fprintf(f, "  %scauses%s      none recognised\n", od_c(st, C_BOLD), od_c(st, C_RESET));
	}
	if (truncated || a->nr_missing) {
		fprintf(f, "  %s%s%s\n", od_c(st, C_BOLD),
			truncated ? "truncated report; not known:" : "not known:", od_c(st, C_RESET));
		for (int i = 0; i < a->nr_missing; i++) {
			fprintf(f, "    -");
			od_wrap(f, 6, 5, a->missing[i]);
		}
	}
}

void causes_json(struct json_writer *w, const struct analysis *a)
{
	json_begin_array(w, "causes");
	for (int i = 0; i < a->nr_causes; i++) {
		json_begin_object(w, NULL);
		json_string(w, "id", a->causes[i].id);
		json_string(w, "evidence", a->causes[i].evidence);
		json_string(w, "advice", a->causes[i].advice);
		json_end_object(w);
	}
	json_end_array(w);
}

void causes_json_missing(struct json_writer *w, const struct analysis *a)
{
	json_begin_array(w, "missing");
	for (int i = 0; i < a->nr_missing; i++)
		json_string(w, NULL, a->missing[i]);
	json_end_array(w);
}
