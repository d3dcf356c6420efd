#!/bin/sh
# vm-mem: 4G
# vm-numa: 2
# vm-timeout: 240
# views_buddyinfo.sh on a guest of 4 GB in two NUMA nodes of 2 GB: node 0
# with DMA and DMA32, node 1 with DMA32 and Normal (QEMU's pc machine puts
# the last GB above 4 GB).  The buddyinfo view and oomdiag buddy agree
# with /proc/buddyinfo, pagetypeinfo, zoneinfo and extfrag on both nodes.
BUDDY_NUMA=2
. /oomdiag/tests/vm/views_buddyinfo.sh
