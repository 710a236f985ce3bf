#!/bin/sh
# t0217-era-formula: 'why' and the HTML report word the points formula of
# the report's era (reference §3.3): E0 (2.6.32's badness(): total_vm,
# children, cpu and run time, nice, capabilities, oom_adj shift) and E1
# (2.6.36-3.0's oom_badness(): thousandths of totalpages, -30 for
# CAP_SYS_ADMIN, + oom_score_adj, 1 to 1000), not E2-E4's pages plus
# oom_score_adj x totalpages/1000; each row's points are decomposed the
# era's way.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

run_oomlens ingest -q "$(pinned era-2.6.32.dmesg)" \
	"$(pinned era-rhel6-2.6.32.messages)" "$(pinned postgres-6.8.kern.log)"
expect_rc 0 "ingest an E0, an E1 and an E4 report"

# --- E0: 2.6.32 ---
run_oomlens why --event 1 matlab
expect_out_contains "  The kernel kills the task with the most points: its virtual size (total_vm, in pages)
  plus half of each child's, divided by roots of its cpu and run time, doubled when niced,
  quartered for CAP_SYS_ADMIN or CAP_SYS_RESOURCE and again for CAP_SYS_RAWIO,
  divided by 8 when its nodes miss the allocating task's, then shifted by oom_adj
  (global, totalpages 4105944, era E0)." "E0: badness()'s formula"
expect_out_contains "the points below are total_vm shifted by oom_adj." \
	"E0: what the dump leaves out"
expect_out_contains "    victim     matlab (pid 8123): 1930112 points, using 41.5% of memory
               = 1930112 total_vm, oom_adj 0" "E0: the points are total_vm"
expect_out_not_contains "oom_score_adj x totalpages" "E0: not E4's formula"

# --- E1: RHEL 6.10, a memcg OOM ---
run_oomlens why --event 2 java
expect_out_contains "  The kernel kills the task with the most points, 1 to 1000: rss + swap + page tables
  in thousandths of totalpages, minus 30 for CAP_SYS_ADMIN, plus oom_score_adj
  (memcg, totalpages 786431, era E1)." "E1: oom_badness()'s formula"
expect_out_contains "               = (261090 rss) x 1000 / 786431, oom_score_adj 0" \
	"E1: usage in thousandths of totalpages"
expect_out_not_contains "oom_score_adj x totalpages" "E1: not E4's formula"
run_oomlens report --event 2 -o "$TEST_TMP/e1.html"
grep -o 'The kernel kills the task with the most points ([^)]*)' \
	"$TEST_TMP/e1.html" >"$OUT"
expect_out_equals "The kernel kills the task with the most points (rss + swap + page tables in thousandths of totalpages, minus 30 for CAP_SYS_ADMIN, plus oom_score_adj, 1 to 1000)" \
	"report E1: its formula"

# --- E4: unchanged ---
run_oomlens why --event 3 postgres
expect_out_contains "  The kernel kills the task with the most points: rss + swap + page tables, in pages,
  plus oom_score_adj x totalpages/1000 (global, totalpages" "E4: as before"

finish
