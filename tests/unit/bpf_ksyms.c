// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of userspace/ksyms.c (stack symbolisation and symbol lookup
 * for `oomdiag trace`) on a made-up /proc/kallsyms.  TAP.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ksyms.h"

#include "tap.h"

static const char *write_tmp(const char *text)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/bpf_ksyms_test.%d", (int)getpid());
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f)) {
		perror(path);
		exit(1);
	}
	return path;
}

/* Unsorted on purpose, like /proc/kallsyms with modules at the end. */
static const char kallsyms[] =
	"ffffffff81200000 t oom_kill_process\n"
	"ffffffff81100000 T warn_alloc\n"
	"ffffffff81100200 T __alloc_pages\n"
	"ffffffff81100100 t warn_alloc.cold\n"
	"ffffffff81200180 t oom_kill_process.cold\n"
	"ffffffff81300000 t dump_header.isra.0\n"
	"ffffffff81300100 t dump_header.cold\n"
	"ffffffff81400000 T _etext\n"
	"ffffffff82000000 d nopage_rs.11\n"
	"ffffffff82000040 D vm_committed_as\n"
	"ffffffffc0000000 t helper_alloc\t[oomdiag_test_alloc]\n"
	"ffffffffc0000100 t helper_free\t[oomdiag_test_alloc]\n";

int main(void)
{
	const struct ksym *s;
	struct ksyms *ks;
	uint64_t size = 0;
	char buf[128];
	const char *p;

	printf("1..16\n");
	p = write_tmp(kallsyms);
	ks = ksyms_load(p);
	ok(ks != NULL, "load a kallsyms file");
	if (!ks)
		return 1;
	ok(ksyms_count(ks) == 12, "12 symbols (got %zu)", ksyms_count(ks));

	s = ksyms_addr(ks, 0xffffffff8110005aULL, &size);
	ok(s && !strcmp(s->name, "warn_alloc") && size == 0x100, "address inside warn_alloc, size 0x100");
	ksyms_format(ks, 0xffffffff8110005aULL, buf, sizeof(buf));
	ok(!strcmp(buf, "warn_alloc+0x5a/0x100"), "formatted like %%pS: %s", buf);
	ksyms_format(ks, 0xffffffffc0000010ULL, buf, sizeof(buf));
	ok(!strcmp(buf, "helper_alloc+0x10/0x100 [oomdiag_test_alloc]"), "module symbol: %s", buf);
	ksyms_format(ks, 0xffffffff80000000ULL, buf, sizeof(buf));
	ok(!strcmp(buf, "?"), "below every symbol: '?', never the raw address (%s)", buf);
	ksyms_format(ks, 0xffffffffc1000000ULL, buf, sizeof(buf));
	ok(!strcmp(buf, "?"), "far past the last symbol: '?' (%s)", buf);

	s = ksyms_func(ks, "oom_kill_process");
	ok(s && !strcmp(s->name, "oom_kill_process"), "ksyms_func prefers the exact name over .cold");
	s = ksyms_func(ks, "dump_header");
	ok(s && !strcmp(s->name, "dump_header.isra.0"), "a compiler clone when only clones exist, never .cold");
	ok(ksyms_func(ks, "warn_alloc.cold") != NULL, "an explicit .cold name is still found");
	ok(ksyms_func(ks, "nopage_rs") == NULL, "ksyms_func ignores data symbols");
	s = ksyms_var(ks, "nopage_rs");
	ok(s && s->addr == 0xffffffff82000000ULL, "ksyms_var finds the static nopage_rs.11");
	s = ksyms_name(ks, "vm_committed_as");
	ok(s && s->type == 'D', "ksyms_name: exact data symbol");
	ok(ksyms_name(ks, "warn") == NULL, "no prefix matches in ksyms_name");
	ksyms_free(ks);

	/* kptr_restrict: every address 0 */
	p = write_tmp("0000000000000000 T warn_alloc\n0000000000000000 t oom_kill_process\n");
	errno = 0;
	ks = ksyms_load(p);
	ok(!ks && errno == EPERM, "all-zero addresses (not root): EPERM");
	ksyms_free(ks);
	ok(!ksyms_load("/nonexistent/kallsyms") && errno == ENOENT, "missing file: ENOENT");
	unlink(p);
	return failed ? 1 : 0;
}
