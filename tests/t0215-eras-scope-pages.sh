#!/bin/sh
# t0215-eras-scope-pages: what three era fixtures of issue 17 say through
# the command line.  A RHEL 6 dry run (vm.would_have_oomkilled) kills
# nobody, whatever its selection line names.  A 5.0-5.2 memcg OOM whose summary printed
# CONSTRAINT_NONE shows and explains a memcg scope, never "global" above
# its usage line, and is scored against the memcg limit.  Reports of 64 KiB
# pages (arm64, ppc64le) show their rows in kB of those pages, say the page
# size was inferred, and score with it.  The numbers are those the
# generator worked out by hand (tests/fixtures/gen-eras.py).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

F=$FIXTURES

# --- class 10: constraint=CONSTRAINT_NONE on a memcg OOM (5.0-5.2) ---
TEST_DB=$TEST_TMP/none.db
run_oomlens ingest -q "$(pinned era-5.2-memcg-none.dmesg)"
expect_rc 0 "ingest the 5.2 memcg report"
run_oomlens show 1
expect_out_contains "Scope:     memory cgroup /docker/8f2c6e1d4b3a" \
	"show: the scope is the container's memcg"
expect_out_not_contains "global" "show: never global above a memcg usage line"
expect_out_contains "memcg usage 2.0 GiB of 2.0 GiB" "show: with its usage line"
grep '^ *Flags:' "$OUT" | grep -qw constraint_corrected
expect_eq $? 0 "show: flags constraint_corrected"
run_oomlens why chrome
expect_rc 0 "why chrome"
expect_out_contains "Scope: the memory cgroup /docker/8f2c6e1d4b3a" "why: memcg scope"
expect_out_not_contains "Scope: global" "why: never global"
expect_out_contains "(memcg, totalpages $(fact "$F/era-5.2-memcg-none.dmesg.facts" r1.an.totalpages), era E3)" \
	"why: T is the memcg limit in pages"
expect_out_contains "victim     chrome (pid 4188): 307550 points" \
	"why: 150000 rss + 350 page tables + 300 x 524"
expect_out_contains "The recomputed choice agrees with the kernel's." "why: agrees"
run_oomlens list --json
expect_out_contains '"constraint":"memcg"' "list: stored as memcg"

# --- class 12: arm64 with 64 KiB pages, the page size not printed ---
TEST_DB=$TEST_TMP/arm64.db
run_oomlens ingest -q "$(pinned era-6.8-arm64-64k.dmesg)"
expect_rc 0 "ingest the arm64 64k report"
run_oomlens show 1
expect_out_contains "Pages:     64 KiB each, inferred" "show: says the page size, inferred"
grep '^ *Flags:' "$OUT" | grep -qw page_size_inferred
expect_eq $? 0 "show: flags page_size_inferred"
# ingestd's row: 70000 pages of 64 KiB = 4480000 KiB (4 KiB: 273.4 MiB)
grep -q '^\* *2210 .* 4\.3 GiB .* ingestd$' "$OUT"
expect_eq $? 0 "show: the victim's rss in 64 KiB pages (4.3 GiB)"
run_oomlens why ingestd
expect_rc 0 "why ingestd"
expect_out_contains "Pages: 64 KiB each (not printed" "why: says the page size"
expect_out_contains "(memcg, totalpages 131072, era E4)" "why: T = 8388608 kB / 64"
expect_out_contains "victim     ingestd (pid 2210): 56930 points" \
	"why: 70000 + 30 - 100 x 131"
expect_out_contains "runner-up  ingest-worker (pid 2301): 55025 points" "why: the runner-up"
expect_out_contains "The recomputed choice agrees with the kernel's." "why: agrees"

# --- class 12: ppc64le RHEL 8 (E3), 64 KiB pages ---
TEST_DB=$TEST_TMP/ppc.db
run_oomlens ingest -q "$(pinned era-rhel8.3-ppc64le-64k.messages)"
expect_rc 0 "ingest the ppc64le report"
run_oomlens why java
expect_out_contains "(memcg, totalpages 262144, era E3)" "why: T = 16777216 kB / 64"
expect_out_contains "victim     java (pid 30412): 100760 points" \
	"why: 140000 + 60 - 150 x 262"
expect_out_contains "The recomputed choice agrees with the kernel's." "why: agrees"
# --- class 9: RHEL 6's vm.would_have_oomkilled names, kills nothing ---
TEST_DB=$TEST_TMP/would.db
run_oomlens ingest -q "$(pinned era-rhel6-would-kill.messages)"
expect_rc 0 "ingest the RHEL 6 dry run"
run_oomlens show 1
expect_out_contains "Killed:    nothing: vm.would_have_oomkilled only named the victim it selected" \
	"show: nothing was killed"
grep '^ *Flags:' "$OUT" | grep -qw would_have_killed
expect_eq $? 0 "show: flags would_have_killed"
run_oomlens list --json
expect_out_not_contains '"victim"' "list: no victim taken from the selection line"
finish
