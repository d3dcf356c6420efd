// SPDX-License-Identifier: GPL-2.0
/*
 * event_schema_check SCHEMA.md OBJECT [FILE...]: validate JSON (one
 * document or JSON Lines) against docs/event-schema.md's tables, in the
 * guest (tests/vm/explain_events.sh); the checker is tests/unit/schema_check.h,
 * tested on the host by tests/unit/event_schema.c.
 */
#include "../unit/schema_check.h"

int main(int argc, char **argv)
{
	return schema_check_main(argc, argv);
}
