#!/bin/sh
# t0616-boot-filter: --boot [ID|-N] (journalctl's -b), as list has it, on
# timeline, top, export and report: the same events as 'list --boot'.
# db1: boot A two reports, boot B (a day later) one; web1: boot C one.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/lib-journal.sh
. "$TESTS_DIR/lib-journal.sh"

DM=$FIXTURES/postgres-6.8.dmesg
A=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
B=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
C=cccccccccccccccccccccccccccccccc
dmesg_export "$DM" $A db1 1795222603543211 0 2 1000000000 >"$TEST_TMP/a.export"
dmesg_export "$DM" $B db1 1795309003543211 0 >"$TEST_TMP/b.export"
dmesg_export "$DM" $C web1 1795226203543211 0 >"$TEST_TMP/c.export"
run_oomlens ingest -q "$TEST_TMP/a.export" "$TEST_TMP/b.export" "$TEST_TMP/c.export"
expect_rc 0 "ingest two boots of db1, one of web1"

# the event ids of timeline's lines ("#3") and of export's documents
timeline_ids() {
	sed -n 's/.*  #\([0-9]*\)$/\1/p' "$OUT" | tr '\n' ' ' | sed 's/ $//'
}
export_ids() {
	sed -n 's/.*"event_id":\([0-9]*\),.*/\1/p' "$OUT" | tr '\n' ' ' |
		sed 's/ $//'
}

# --- timeline ---
run_oomlens timeline
expect_eq "$(timeline_ids)" "1 2 4 3" "timeline: every kill, in time order"
run_oomlens timeline --boot -1
expect_rc 0 "timeline --boot -1"
expect_eq "$(timeline_ids)" "1 2" "timeline --boot -1: db1's boot before the latest"
run_oomlens timeline -b
expect_eq "$(timeline_ids)" "4 3" "timeline -b: each host's latest boot"
run_oomlens timeline --boot bbbbbbbb
expect_eq "$(timeline_ids)" "3" "timeline --boot ID"

# --- top ---
run_oomlens top --by host --boot 0
expect_rc 0 "top --boot 0"
expect_out_contains "     1  " "top --boot 0: one kill a host"
expect_out_not_contains "     2  " "top --boot 0: not boot A's two"
run_oomlens top --by host --boot "$A"
expect_out_contains "     2  2026-11-21T03:28:47Z  db1" "top --boot A: its two kills"
expect_out_not_contains "web1" "top --boot A: not web1's"
run_oomlens top --boot=xyz
expect_rc 2 "top --boot=xyz"
expect_err_contains "--boot 'xyz': not a boot id" "top: --boot's value is bad"

# --- export ---
run_oomlens export --boot -1
expect_rc 0 "export --boot -1"
expect_eq "$(export_ids)" "1 2" "export --boot -1"
run_oomlens export --format otel -b 1
expect_eq "$(sed -n 's/.*"linux.oom.event_id","value":{"intValue":"\([0-9]*\)"}.*/\1/p' "$OUT" | tr '\n' ' ' | sed 's/ $//')" \
	"1 2 4" "export --format otel -b 1: each host's first boot"
run_oomlens export --boot -1 --follow
expect_rc 2 "export --follow takes no number of boots back"

# --- report ---
run_oomlens report --boot "$B" -o "$TEST_TMP/b.html"
expect_rc 0 "report --boot B"
# the timeline's lines: "event 3 2026-11-22T03:12:07Z: postgres on db1"
grep -o 'event [0-9]* 2026[^<]*' "$TEST_TMP/b.html" >"$OUT"
expect_out_equals "event 3 2026-11-22T03:12:07Z: postgres on db1" \
	"report --boot B: its event only on the timeline"
run_oomlens report -o "$TEST_TMP/all.html"
grep -o 'event [0-9]* 2026[^<]*' "$TEST_TMP/all.html" >"$OUT"
expect_eq "$(wc -l <"$OUT")" 4 "report: every event without --boot"
run_oomlens report --boot -5 -o "$TEST_TMP/none.html"
expect_rc 1 "report --boot -5: no such boot"

finish
