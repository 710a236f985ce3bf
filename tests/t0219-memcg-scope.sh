#!/bin/sh
# t0219-memcg-scope: one answer to "is this a memcg OOM?" in every command.
# A 5.0 memcg OOM that prints no constraint (vm.panic_on_oom=2 panics
# through dump_header(oc, NULL): no oom-kill: summary, no kill line, only
# the memcg block says memcg) is memcg, said to be inferred, in show, the
# diagnosis, whatif --limit, list, the ECS export and the HTML
# report, and is scored against the memcg limit; a 5.2 memcg OOM whose
# summary printed CONSTRAINT_NONE (the assembler's correction) says memcg
# in why, report, whatif and export as show does; a global OOM of the
# same kernel, whose victim sat in a cgroup, stays global everywhere.
# The numbers are the generator's, worked out by hand in
# tests/fixtures/gen-eras.py (sc_5_0_memcg_panic, sc_5_2_memcg_none,
# sc_5_0_global).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

F=$FIXTURES

# --- 5.0, memcg, no constraint printed (panic_on_oom=2) ---
TEST_DB=$TEST_TMP/panic.db
run_oomlens ingest -q "$(pinned era-5.0-memcg-panic.dmesg)"
expect_rc 0 "ingest the 5.0 memcg panic"
run_oomlens show 1
expect_out_contains "Scope:     memory cgroup (path not printed), inferred (no constraint printed)" \
	"show: memcg, and says it was inferred"
expect_out_contains "memcg usage 4.0 GiB of 4.0 GiB, failcnt 3312" "show: its usage line"
expect_out_not_contains "global" "show: never global"
grep '^ *Flags:' "$OUT" | grep -qw constraint_inferred
expect_eq $? 0 "show: flags constraint_inferred"
expect_out_contains "Diagnosis: cgroup-limit: The memory cgroup" \
	"show: the diagnosis is the cgroup's own limit"
# what python3 7010 and 7011 held: (520000 + 1050 + 220000 + 460) pages
# x 4 = 2966040 kB; a 1 GiB cap frees 1917464 kB; the cgroup was at its
# limit, one page (4 kB) short: enough
run_oomlens whatif 1 --limit python3=1G
expect_rc 0 "whatif --limit python3=1G"
expect_out_contains "Event 1: the kernel chose python3 (pid 7011), 744460 points." \
	"whatif: 220000 + 460 + 500 x 1048 against T = 4194304 kB / 4"
expect_out_contains "the OOM's cgroup needed 4 KiB more than its limit (with the request): this OOM would not have happened (estimated)." \
	"whatif --limit: the memcg's shortfall, not the zones'"
run_oomlens whatif --json 1 --limit python3=1G
expect_out_contains '"outcome":"prevents"' "whatif --json: prevents"
expect_out_contains '"short_kb":4' "whatif --json: 4 kB short"
expect_out_contains '"held_kb":1917464' "whatif --json: what the cap frees"
run_oomlens list --json
expect_out_contains '"constraint":"memcg"' "list: stored as memcg"
run_oomlens export
expect_out_contains '"constraint":"memcg"' "export: linux.oom.constraint memcg"
expect_out_contains '"constraint_inferred"' "export: flagged inferred"
expect_out_contains "\"totalpages\":$(fact "$F/era-5.0-memcg-panic.dmesg.facts" r1.an.totalpages)" \
	"export: T is the memcg limit in pages"
expect_out_contains '"totalpages_source":"memcg"' "export: T from the memcg"
run_oomlens report --event 1 -o "$TEST_TMP/panic.html"
expect_rc 0 "report the 5.0 memcg panic"
grep -q 'when the memory cgroup <code>(not printed)</code> hit its limit (inferred: the report prints no constraint) and killed nothing' \
	"$TEST_TMP/panic.html"
expect_eq $? 0 "report: the verdict names the memcg scope, inferred"
grep -q '<td>memcg (not printed) (inferred)</td>' "$TEST_TMP/panic.html"
expect_eq $? 0 "report: the timeline's scope is memcg, inferred"
grep -q 'id="memory-chart"' "$TEST_TMP/panic.html"
expect_eq $? 0 "report: usage against the cgroup's limit"

# --- 5.2, memcg, CONSTRAINT_NONE printed (corrected when read) ---
TEST_DB=$TEST_TMP/none.db
G=/docker/8f2c6e1d4b3a59708e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a392817
run_oomlens ingest -q "$(pinned era-5.2-memcg-none.dmesg)"
run_oomlens why chrome
expect_out_contains "Scope: the memory cgroup $G hit its limit of 2.0 GiB; only its tasks were candidates." \
	"why: memcg, not said to be inferred (it was printed, then corrected)"
expect_out_contains "(memcg, totalpages 524288, era E3)" "why: T = 2097152 kB / 4"
run_oomlens whatif 1 --limit "$G=3G"
expect_out_contains "With that limit the cgroup's usage fits: this OOM would not have happened." \
	"whatif --limit on the OOM's cgroup: its new limit"
run_oomlens export
expect_out_contains '"constraint":"memcg"' "export: memcg"
expect_out_contains '"totalpages":524288' "export: T"
run_oomlens report --event 1 -o "$TEST_TMP/none.html"
grep -q "when the memory cgroup <code>$G</code> hit its limit\. " "$TEST_TMP/none.html"
expect_eq $? 0 "report: the verdict names the memcg"

# --- 5.0, global, the victim in a cgroup ---
TEST_DB=$TEST_TMP/global.db
run_oomlens ingest -q "$(pinned era-5.0-global.dmesg)"
run_oomlens show 1
expect_out_contains "Scope:     global (whole machine)" "global: show"
expect_out_not_contains "inferred" "global: printed, not inferred"
expect_out_not_contains "memory cgroup" "global: no memcg scope"
# T = 4194173 RAM - 88227 reserved + 0 swap = 4105946; mongod 2912000 +
# 6100 page tables = 2918100 points, x 1000 / T = 710, as printed
run_oomlens why mongod
expect_out_contains "Scope: global: the whole machine ran out of memory." "global: why"
expect_out_contains "(global, totalpages 4105946, era E3)" "global: T from Mem-Info"
expect_out_contains "victim     mongod (pid 2210): 2918100 points" "global: the points"
run_oomlens whatif 1 --limit /system.slice/mongod.service=8G
expect_out_not_contains "the cgroup's usage fits" \
	"global: the victim's cgroup is not the OOM's"
expect_out_not_contains "the OOM's cgroup needed" "global: no memcg shortfall"
run_oomlens export
expect_out_contains '"constraint":"none"' "global: export"
expect_out_contains '"totalpages_source":"global"' "global: export's T"
run_oomlens report --event 1 -o "$TEST_TMP/global.html"
grep -q 'when the whole machine ran out of memory\. ' "$TEST_TMP/global.html"
expect_eq $? 0 "global: report"
finish
