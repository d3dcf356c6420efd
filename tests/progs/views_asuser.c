// SPDX-License-Identifier: GPL-2.0
/*
 * views_asuser UID COMMAND [ARG...]
 *
 * Run COMMAND as UID (and gid UID, no supplementary groups), without any
 * capability: busybox has no su/setuidgid in the test guest.  Exits 126 if
 * the switch fails, 127 if COMMAND cannot be run.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	uid_t uid;

	if (argc < 3) {
		fprintf(stderr, "usage: views_asuser UID COMMAND [ARG...]\n");
		return 2;
	}
	uid = (uid_t)atol(argv[1]);
	if (setgroups(0, NULL) || setgid(uid) || setuid(uid)) {
		perror("views_asuser: cannot switch user");
		return 126;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
