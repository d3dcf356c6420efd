# SPDX-License-Identifier: GPL-2.0
#
# oomdiag: top-level build.  `make help` lists the targets.
#
# Everything built goes under $(OUT) (default ./build), never beside the
# sources: the module is built from a copy of its sources in
# $(OUT)/kernels/RELEASE/src, because kbuild writes next to what it compiles.

OUT      ?= $(CURDIR)/build
KDIR     ?= /lib/modules/$(shell uname -r)/build
KERNELS  ?= all
KERNEL   ?= 6.1
MEM      ?= 256M
V        ?= 0
DEBUG_KERNELS ?= sid-debug 6.1-debug

export OUT V

CC       ?= cc
CFLAGS_PROGS := -O2 -g -Wall -Wextra -Werror -static -I$(CURDIR)/include

PROG_SRCS := $(wildcard tests/progs/*.c)
PROGS     := $(patsubst tests/progs/%.c,$(OUT)/progs/%,$(PROG_SRCS))

.PHONY: all help module bpf userspace progs units deps matrix check check-unit \
	check-vm vm-shell clean

all: bpf userspace progs
	@if [ -d "$(KDIR)" ]; then $(MAKE) --no-print-directory module; \
	else echo "make: no kernel build tree at $(KDIR): module skipped (set KDIR=..., or run 'make matrix')"; fi

help:
	@echo "make deps            install build and test dependencies (Debian 12, root)"
	@echo "make                 build BPF object, oomdiag binary, test programs, and the"
	@echo "                     module for KDIR=$(KDIR) if present"
	@echo "make module          build oomdiag.ko for KDIR"
	@echo "make matrix          build oomdiag.ko for every kernel of scripts/matrix.conf"
	@echo "make check           unit tests on the host, then VM tests on every kernel"
	@echo "make check-unit      unit tests only"
	@echo "make check-vm        VM tests only (KERNELS='6.1 sid' to narrow, TESTS='name ...')"
	@echo "make vm-shell        interactive guest: KERNEL=$(KERNEL) MEM=$(MEM)"
	@echo "make check-stress    stress suite (tests/stress) in VMs, KERNELS as for check-vm"
	@echo "make check-debug     unit tests + VM tests on the debug kernels only: DEBUG_KERNELS=$(DEBUG_KERNELS)"
	@echo "make check-os        the packages in Debian booted with systemd (apt, DKMS, service, reboot, purge): OS_KERNELS=$(OS_KERNELS)"
	@echo "make bench           every benchmark (ratios against its peer, same run; KERNEL=$(KERNEL))"
	@echo "make fuzz-long       the libFuzzer targets for 2,000,000 executions each"
	@echo "make install         module, binary, man pages, completion (DESTDIR=, PREFIX=)"
	@echo "make dkms-install    register and build the module with DKMS"
	@echo "make deb             Debian packages oomdiag-dkms and oomdiag in $(OUT)/deb, lintian-checked"
	@echo "make demo            the three stories in a VM of KERNEL=$(KERNEL)"
	@echo "make clean           remove $(OUT)"

deps:
	scripts/install-deps.sh

# The module for one kernel tree (a developer's own machine).
module:
	@test -d "$(KDIR)" || { echo "make: no kernel build tree at $(KDIR); install linux-headers-$$(uname -r) or set KDIR=" >&2; exit 1; }
	scripts/build-module --kdir "$(KDIR)"

bpf:
	$(MAKE) -C bpf OUT=$(OUT)/bpf

userspace: bpf
	$(MAKE) -C userspace OUT=$(OUT)/userspace BPF_OUT=$(OUT)/bpf

progs: $(PROGS)

$(OUT)/progs/%: tests/progs/%.c include/oomdiag_event.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_PROGS) -o $@ $< -lpthread

# C unit tests (tests/unit/*.c) link the userspace objects but not main.
units: bpf
	$(MAKE) -C userspace OUT=$(OUT)/userspace BPF_OUT=$(OUT)/bpf units UNIT_OUT=$(OUT)/unit

matrix:
	scripts/build-module --kernel $(KERNELS)

check: all units
	scripts/run-tests --kernels "$(KERNELS)" $(if $(TESTS),--tests "$(TESTS)")

check-unit: all units
	scripts/run-tests --unit-only $(if $(TESTS),--tests "$(TESTS)")

check-vm: all
	scripts/run-tests --vm-only --kernels "$(KERNELS)" $(if $(TESTS),--tests "$(TESTS)")

# Issue 8: the stress suite in VMs, one at a time (KERNELS as for check-vm).
.PHONY: check-stress
check-stress: all
	tests/stress/run --kernels "$(KERNELS)"

# Issues 8, 14: unit and VM tests on the debug kernels (KASAN, lockdep,
# kmemleak, DEBUG_PREEMPT...) alone, with the unit test that shows them
# catching bugs; the first run builds them.  `make check` runs sid-debug as
# its fifth kernel; 6.1-debug (not preemptible) is opt-in (matrix.conf).
.PHONY: check-debug
check-debug: all units
	scripts/run-tests --kernels "$(DEBUG_KERNELS)" $(if $(TESTS),--tests "$(TESTS)")

# Issue 18 item 4: the full-OS guests (docs/os-guest.md): Debian bookworm
# and trixie booted with systemd, the packages installed with apt, DKMS, the
# recorder service and the journal across a reboot, apt purge.  One guest
# at a time; the images are built once and cached (scripts/os-image).
OS_KERNELS ?= 6.1 6.12
.PHONY: check-os
check-os: all
	scripts/os-check $(OS_KERNELS)

# Benchmarks print measurements and ratios against the peer each names;
# they assert nothing about time and are not part of `make check`.  The VM
# benchmarks run under QEMU icount (guest ns = instructions) and then on the
# TCG wall clock, each table naming its clock (docs/performance.md);
# BENCH_KERNELS="5.10 6.1 ..." runs them on several kernels.
BENCH_KERNELS ?= $(KERNEL)
.PHONY: bench fuzz-long
bench: all
	@set -e; for b in tests/bench/*.sh; do case $$b in *_vm.sh) continue ;; esac; \
		case $$b in *explain*) echo "== $$b"; $$b; continue ;; esac; \
		for k in $(BENCH_KERNELS); do echo "== $$b $$k"; OOMDIAG_OUT=$(OUT) $$b $$k; done; done

fuzz-long: all
	FUZZ_RUNS=2000000 tests/unit/fuzz.sh

vm-shell: all
	scripts/vm-run --kernel $(KERNEL) --mem $(MEM) --interactive

clean:
	rm -rf $(OUT)

# ---- Installing and the demo (issue 7: scripts/install.sh, dkms-*.sh, demo) ----
# make install [DESTDIR=] [PREFIX=/usr/local] [KO=path/oomdiag.ko] [KVER=release]
# make uninstall (same variables), make dkms-install [KVER=release], make
# dkms-remove, make demo [KERNEL=6.1].  README "Installing" says what goes where.
PREFIX ?= /usr/local
DESTDIR ?=
KVER ?=
KO ?=
INSTALL_ENV = DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" KVER="$(KVER)" KO="$(KO)"

.PHONY: install uninstall dkms-install dkms-remove demo

install: userspace
	@if [ -z "$(KO)" ] && [ -d "$(KDIR)" ]; then $(MAKE) --no-print-directory module; fi
	$(INSTALL_ENV) scripts/install.sh install

uninstall:
	$(INSTALL_ENV) scripts/install.sh uninstall

dkms-install:
	scripts/dkms-install.sh $(if $(KVER),-k $(KVER))

dkms-remove:
	scripts/dkms-remove.sh

demo:
	scripts/demo --kernel $(KERNEL)

# ---- Debian packages (issue 18 item 1: scripts/build-deb, debian/) ----
# make deb: oomdiag-dkms_VERSION_all.deb and oomdiag_VERSION_amd64.deb in
# $(OUT)/deb, built from a copy of the tree in $(OUT)/deb/src, then lintian.
.PHONY: deb
deb:
	OOMDIAG_OUT="$(OUT)" scripts/build-deb
