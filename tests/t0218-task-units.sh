#!/bin/sh
# t0218-task-units: show's task table is in sizes whenever the page size
# is known, in every era: printed by the buddy lists (a global OOM), or
# the kill line's kB against the victim's row in pages (a memcg OOM of
# 3.10-6.x prints no Mem-Info), which the header says; in pages only when
# nothing gives the page size (no kill line), which the header says too.
# Sizes worked out by hand: 130060 pages x 4 KiB = 520240 KiB = 508.0 MiB.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

run_oomlens ingest -q "$(pinned era-4.19.kern.log)" \
	"$(pinned era-rhel7-3.10.messages)" "$(pinned era-5.15-nokill.dmesg)" \
	"$(pinned postgres-6.8.kern.log)"
expect_rc 0 "ingest"

# --- 4.19 memcg: the kill line says 4 KiB ---
run_oomlens show 1
expect_out_contains "Tasks (2, by rss, sizes from 4 KiB pages, as the kill line's kB say; * killed):
       PID    UID        RSS       ANON       FILE      SHMEM       SWAP    ADJ  POINTS SHARE       NAME
*    31877      0  508.0 MiB          -          -          -      0 KiB    969" \
	"4.19 memcg: sizes, and whence the page size"
expect_out_not_contains "130060" "4.19 memcg: no page count left in the table"

# --- RHEL 7 memcg ---
run_oomlens show 2
expect_out_contains "*    48213   1000  1019.5 MiB" "3.10 memcg: 261000 pages in MiB"

# --- no kill line: pages, said so ---
run_oomlens show 3
expect_out_contains "Tasks (2, by rss, in pages; * killed):" \
	"no kill: the header says pages"
expect_out_contains "      5501      0     131050" "no kill: counts in pages"

# --- a global OOM: the buddy lists print it ---
run_oomlens show 4
expect_out_contains "Tasks (" "global: a table"
expect_out_not_contains "kill line's kB say" "global: the page size is printed"
grep '^Tasks (' "$OUT" | grep -q "in pages"
expect_eq $? 1 "global: not in pages"

finish
