// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--version")) {
		puts("oomdiag 0.1");
		return 0;
	}
	fprintf(stderr, "oomdiag: no commands yet\n");
	return 2;
}
