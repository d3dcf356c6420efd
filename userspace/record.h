/* SPDX-License-Identifier: GPL-2.0 */
#ifndef OOMDIAG_RECORD_H
#define OOMDIAG_RECORD_H
/*
 * oomdiag record: resume state and the journal entry of a record
 * (record_state.c, record_journal.c), apart from the command (cmd_record.c)
 * so that the unit tests link them.
 */
#include <stdbool.h>
#include <stdint.h>

#include "event.h"
#include "journal.h"

/*
 * Where the last run stopped: the module instance it drained (the boot and
 * the debugfs directory's inode number, new with every module load) and
 * the seq it hands on next (every seq below it was handed on or is lost).
 * One fixed-size line, rewritten in place with one pwrite() after every
 * record, so that a killed recorder leaves the last seq it sent (the page
 * cache outlives the process); fdatasync after each poll.
 */
struct rec_state {
	bool have;			/* a state of this instance was read */
	char boot_id[40];
	uint64_t instance;		/* debugfs dir inode number */
	uint64_t next_seq;
};

#define REC_STATE_LINE_LEN 128

/* Format / parse the state line; parse returns 0 or -1. */
void rec_state_format(const struct rec_state *s, char *buf, size_t len);
int rec_state_parse(struct rec_state *s, const char *text);

/* The resume cursor: which seq comes next, and what was lost. */
struct rec_cursor {
	uint64_t expect;		/* next seq to hand on */
	bool first_poll;		/* gaps count as lost while down */
	uint64_t lost_while_down;
	uint64_t lost_while_running;
};

/*
 * Start: same boot and module instance as the state: expect its next_seq;
 * otherwise (first run, reboot, module reloaded, or a state ahead of the
 * module's next_seq) expect 0: every record of this instance is new.
 * Returns true when the state was continued.
 */
bool rec_cursor_start(struct rec_cursor *c, const struct rec_state *st, const char *boot_id,
		      uint64_t instance, uint64_t next_seq);
/*
 * A record of seq in the ring (records come in seq order): false when it
 * was handed on before (seq < expect); true to hand it on, counting the
 * seqs skipped since the last one as lost.
 */
bool rec_cursor_take(struct rec_cursor *c, uint64_t seq);
/*
 * The header's next_seq at the end of a poll that read the whole ring: the
 * seqs below it not seen are gone (the newest record is never the one
 * overwritten, so only a cleared or overwritten ring leaves such a gap).
 */
void rec_cursor_seen_next(struct rec_cursor *c, uint64_t next_seq);
/* End of a poll: after the first, gaps count as lost while running. */
void rec_cursor_poll_done(struct rec_cursor *c);

/* One MESSAGE_ID per kind (128-bit, lowercase hex), "" for none. */
const char *rec_message_id(unsigned int kind);
/* PRIORITY (syslog level) per kind. */
int rec_priority(unsigned int kind);

/*
 * The journal entry of one parsed record: MESSAGE, MESSAGE_ID, PRIORITY,
 * SYSLOG_IDENTIFIER, OOMDIAG_* for every field (numbers of the record's
 * kind, names, paths, zones, stack, ledger, the raw record text as
 * OOMDIAG_RECORD).  raw: the record's text from the events file.
 */
void rec_journal_entry(struct journal_msg *m, const struct od_event *e, const char *raw,
		       size_t rawlen, const char *boot_id);

/* The command (cmd_record.c). */
int cmd_record(int argc, char **argv);

#endif
