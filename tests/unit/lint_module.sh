#!/bin/sh
# Kernel code is checkpatch --strict and sparse clean (scripts/lint-module).
exec "${OOMDIAG_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/scripts/lint-module"
