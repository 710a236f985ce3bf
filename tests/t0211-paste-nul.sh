#!/bin/sh
# t0211-paste-nul: a report with NUL bytes inside (a crash mid-write: a run
# before a task row, one inside a stack line; fixture paste-nul-4.14.dmesg)
# keeps all its text on the way out: `show --raw`, the HTML report and
# `export --raw` each hold the text after the NULs, show each run where it
# was ("<N NUL bytes>"), and write no NUL byte; `show` names the flag.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

mkdir "$TEST_TMP/in" && cd "$TEST_TMP/in" || exit 1
name=paste-nul-4.14.dmesg
cp "$FIXTURES/$name" . && touch -d "@$(fact "$FIXTURES/$name.facts" ref_time)" "$name"
run_oomlens ingest "$name"
expect_rc 0 "ingest"
expect_out_contains "$name: 1 event" "one event"

# no_nul DESCRIPTION: stdout holds no NUL byte
no_nul() {
	if [ "$(tr -d '\000' <"$OUT" | wc -c)" -eq "$(wc -c <"$OUT")" ]; then
		pass "$1"
	else
		fail "$1" "a NUL byte in the output"
	fi
}

row='[351622.418903] [  402]     0   402    30666      824      16       2       18             0 crond'
kill='[351622.418994] Killed process 60711 (node) total-vm:16813240kB'

run_oomlens show --raw 1
expect_rc 0 "show --raw"
grep '^ *Flags:' "$OUT" | grep -qw nul_bytes
expect_eq $? 0 "show names the flag nul_bytes"
expect_out_contains "<512 NUL bytes>$row" "show --raw: the row after the NULs, the run shown"
expect_out_contains "dump_he<40 NUL bytes>ader+0x4a/0x1f4" "show --raw: a run inside a line"
expect_out_contains "$kill" "show --raw: the text after the runs"
no_nul "show --raw writes no NUL"

H=$TEST_TMP/nul.html
run_oomlens report --event 1 -o "$H"
expect_rc 0 "report"
OUT=$H
expect_out_contains "&lt;512 NUL bytes&gt;$row" "report: the row after the NULs"
expect_out_contains "$kill" "report: the text after the runs"
expect_out_contains "</html>" "report: the page is whole"
no_nul "report writes no NUL"

run_oomlens export --raw
expect_rc 0 "export --raw"
expect_out_contains "dump_he<40 NUL bytes>ader+0x4a/0x1f4" "export --raw: a run inside a line"
expect_out_contains "<512 NUL bytes>$row" "export --raw: the row after the NULs"
expect_out_contains "$kill" "export --raw: the text after the runs"
no_nul "export --raw writes no NUL"
finish
