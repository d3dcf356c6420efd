// SPDX-License-Identifier: GPL-2.0
/* oomdiag record: the resume state and cursor, see record.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

void rec_state_format(const struct rec_state *s, char *buf, size_t len)
{
	/* fixed width: rewritten in place, never shorter than before */
	snprintf(buf, len, "oomdiag-record v1 boot_id=%-36.36s instance=%020" PRIu64
		 " next_seq=%020" PRIu64 "\n", s->boot_id[0] ? s->boot_id : "-", s->instance,
		 s->next_seq);
}

int rec_state_parse(struct rec_state *s, const char *text)
{
	char boot[64];
	uint64_t inst, next;

	memset(s, 0, sizeof(*s));
	if (!text || sscanf(text, "oomdiag-record v1 boot_id=%63s instance=%" SCNu64
			    " next_seq=%" SCNu64, boot, &inst, &next) != 3)
		return -1;
	snprintf(s->boot_id, sizeof(s->boot_id), "%.39s", boot);
	s->instance = inst;
	s->next_seq = next;
	s->have = true;
	return 0;
}

bool rec_cursor_start(struct rec_cursor *c, const struct rec_state *st, const char *boot_id,
		      uint64_t instance, uint64_t next_seq)
{
	memset(c, 0, sizeof(*c));
	c->first_poll = true;
	if (st && st->have && !strcmp(st->boot_id, boot_id) && st->instance == instance &&
	    st->next_seq <= next_seq) {
		c->expect = st->next_seq;
		return true;
	}
	c->expect = 0;
	return false;
}

bool rec_cursor_take(struct rec_cursor *c, uint64_t seq)
{
	if (seq < c->expect)
		return false;
	if (c->first_poll)
		c->lost_while_down += seq - c->expect;
	else
		c->lost_while_running += seq - c->expect;
	c->expect = seq + 1;
	return true;
}

void rec_cursor_seen_next(struct rec_cursor *c, uint64_t next_seq)
{
	if (next_seq <= c->expect)
		return;
	if (c->first_poll)
		c->lost_while_down += next_seq - c->expect;
	else
		c->lost_while_running += next_seq - c->expect;
	c->expect = next_seq;
}

void rec_cursor_poll_done(struct rec_cursor *c)
{
	c->first_poll = false;
}
