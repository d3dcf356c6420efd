// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the module "events" reader: any text through the
 * record splitter and parser, each record rendered for people and as
 * JSON.  Built by tests/unit/fuzz.sh with ASan+UBSan.
 * FUZZ_SEEDS: tests/fuzz/seeds/events/*
 */
#include <stdint.h>
#include <stdio.h>

#include "event.h"
#include "modevents.h"

static FILE *sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct od_event_list l;

	if (!sink)
		sink = fopen("/dev/null", "w");
	modevents_parse(&l, (const char *)data, size, gfp_layout_for_version("6.1"));
	for (size_t i = 0; i < l.nr; i++) {
		event_print_human(sink, &l.ev[i], i & 1);
		event_print_json(sink, &l.ev[i]);
	}
	modevents_free(&l);
	return 0;
}
