// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the GFP code of `oomdiag gfp`: the names parser of
 * every built-in table, the mask printer (every result must parse back to
 * the same mask), the allocator behaviour model, the version parser, and
 * the tracefs print-fmt table builder.  Built by tests/unit/fuzz.sh with
 * ASan+UBSan.
 * FUZZ_SEEDS: tests/data/tracefs/*.format tests/data/gfp_lines.txt
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gfp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s, buf[1024];
	size_t nt = gfp_builtin_count();
	const struct gfp_layout *l;
	struct gfp_layout *tl;
	struct gfp_behaviour b;
	uint64_t mask = 0, back;

	if (!size)
		return 0;
	s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = 0;
	l = gfp_builtin(data[0] % nt);

	/* names or numbers, as typed on the command line */
	if (!gfp_parse_mask(l, s, &mask)) {
		size_t need = gfp_format(l, mask, buf, sizeof(buf));

		if (need < sizeof(buf) &&
		    (gfp_parse_names(l, buf, &back) || back != mask))
			abort();	/* printed text must parse back */
		gfp_behaviour(l, mask, data[0] & 0x1f, &b);
	}
	/* raw bytes as a mask */
	if (size >= 9) {
		memcpy(&mask, data + 1, sizeof(mask));
		gfp_format(l, mask, buf, sizeof(buf));
		gfp_format(l, mask, buf, data[0] % 16);	/* short buffers */
		gfp_behaviour(l, mask, data[0], &b);
	}
	gfp_parse_version(s);
	l = gfp_layout_for_version(s);
	if (l)
		gfp_flag(l, s);
	/* a kernel's tracefs format */
	tl = gfp_layout_from_trace_format(s, "6.1");
	if (tl) {
		gfp_format(tl, mask, buf, sizeof(buf));
		gfp_parse_names(tl, s, &back);
		gfp_layout_free(tl);
	}
	free(s);
	return 0;
}
