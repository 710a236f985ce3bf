#!/bin/sh
# t0500-export: export --format ecs|hec|otel|csv.  Every line of every
# format is parsed and checked against its documented shape by the C
# checker (tests/unit/test-output.c --shape), on the seed scenario and on
# every fixture; the seed's CSV and OTLP output against expected files;
# the filters --victim and --killer; --raw in each format.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

E=$TESTS_DIR/expected
# the checker is built beside the binary (build/plain/tests, build/san/tests)
SHAPE=$(dirname "$OOMLENS")/tests/test-output
[ -x "$SHAPE" ] || SHAPE=$TESTS_DIR/../build/plain/tests/test-output
if [ ! -x "$SHAPE" ]; then
	fail "no shape checker: run 'make check-one' to build test-output"
	finish
fi

# shape FORMAT FILE DESCRIPTION: every line of FILE has FORMAT's shape
shape() {
	if "$SHAPE" --shape "$1" "$2" >"$TEST_TMP/shape.out" 2>&1; then
		pass "$3"
	else
		fail "$3" "$(tail -n 12 "$TEST_TMP/shape.out")"
	fi
}

mkdir "$TEST_TMP/in" && cd "$TEST_TMP/in" || exit 1
for f in postgres-6.8.kern.log two-reports-6.1.kern.log memcg-v2-5.15.dmesg; do
	cp "$FIXTURES/$f" . && touch -d "2026-11-22 12:00:00Z" "$f"
done
run_oomlens ingest -q postgres-6.8.kern.log two-reports-6.1.kern.log memcg-v2-5.15.dmesg
expect_rc 0 "ingest the seed scenario"

for fmt in ecs hec otel csv; do
	run_oomlens export --format "$fmt"
	expect_rc 0 "export --format $fmt"
	expect_err_empty "export --format $fmt: no message"
	cp "$OUT" "$TEST_TMP/seed.$fmt"
	shape "$fmt" "$OUT" "export --format $fmt: every line has its shape"
done
expect_eq "$(wc -l <"$TEST_TMP/seed.ecs")" 4 "ecs: one line per event"
# the kernel's "nodemask=(null)" is no nodemask; a real one is kept
OUT=$TEST_TMP/seed.ecs
expect_out_not_contains '"nodemask"' "ecs: no nodemask \"(null)\""
OUT=$TEST_TMP/seed.otel
expect_out_not_contains 'nodemask' "otel: the same"
OUT=$TEST_TMP/stdout
TEST_DB=$TEST_TMP/nodemask.db
run_oomlens ingest -q "$(pinned diag-child-4.9.kern.log)"
run_oomlens export
expect_out_contains '"nodemask":"0"' "ecs: a nodemask printed is kept"
TEST_DB=$TEST_TMP/oomlens.db
expect_eq "$(wc -l <"$TEST_TMP/seed.hec")" 4 "hec: one line per event"
expect_eq "$(wc -l <"$TEST_TMP/seed.otel")" 4 "otel: one line per event"
expect_eq "$(wc -l <"$TEST_TMP/seed.csv")" 5 "csv: a header and one row per kill"

run_oomlens export
cmp -s "$OUT" "$TEST_TMP/seed.ecs" && pass "ecs is the default" ||
	fail "ecs is the default"
ingest_time_as_x <"$OUT" | cmp -s - "$E/export.ndjson" &&
	pass "ecs is unchanged (t0110's file)" ||
	fail "ecs is unchanged (t0110's file)"

# HEC: the envelope holds the ECS document as exported, byte for byte
n=0
while IFS= read -r ecs <&3 && IFS= read -r hec <&4; do
	n=$((n + 1))
	case $hec in
	'{"time":'*'"sourcetype":"linux:oom","event":'"$ecs"'}') ;;
	'{"host":'*'"sourcetype":"linux:oom","event":'"$ecs"'}') ;;
	'{"source":'*'"sourcetype":"linux:oom","event":'"$ecs"'}') ;;
	*) fail "hec line $n wraps ecs line $n" "$hec" ;;
	esac
done 3<"$TEST_TMP/seed.ecs" 4<"$TEST_TMP/seed.hec"
expect_eq "$n" 4 "hec: each line wraps its ecs document"
head -n 1 "$TEST_TMP/seed.hec" >"$OUT"
expect_out_contains '{"time":1795230727.000000,"host":"db1","source":"postgres-6.8.kern.log","sourcetype":"linux:oom","event":{"@timestamp":"2026-11-21T03:12:07Z",' \
	"hec: time in epoch seconds with fraction, host, source, sourcetype"
sed -n 4p "$TEST_TMP/seed.hec" | ingest_time_as_x >"$OUT"
expect_out_contains '{"time":X,"source":"memcg-v2-5.15.dmesg","sourcetype":"linux:oom","event":{"@timestamp":"X","ecs":' \
	"hec: dmesg without a wall clock: the time of the ingest, no host"
expect_out_contains '"flags":["time_from_ingest"]' "and says so in the flags"

ingest_time_as_x <"$TEST_TMP/seed.otel" >"$OUT"
expect_out_file "$E/export.otel.ndjson" "otel: the seed scenario as expected"
cp "$TEST_TMP/seed.csv" "$OUT"
expect_out_file "$E/export.csv" "csv: the seed scenario as expected"

# the checker is not a rubber stamp
if "$SHAPE" --shape hec "$TEST_TMP/seed.ecs" >/dev/null 2>&1; then
	fail "the checker refuses ECS lines as HEC"
else
	pass "the checker refuses ECS lines as HEC"
fi
sed 's/"intValue":"\([0-9]*\)"/"intValue":\1/' "$TEST_TMP/seed.otel" >"$TEST_TMP/bad.otel"
if "$SHAPE" --shape otel "$TEST_TMP/bad.otel" >/dev/null 2>&1; then
	fail "the checker refuses an intValue that is not a string"
else
	pass "the checker refuses an intValue that is not a string"
fi
tr -d '\r' <"$TEST_TMP/seed.csv" >"$TEST_TMP/bad.csv"
if "$SHAPE" --shape csv "$TEST_TMP/bad.csv" >/dev/null 2>&1; then
	fail "the checker refuses CSV without CRLF"
else
	pass "the checker refuses CSV without CRLF"
fi

# --victim: events that killed the name; csv rows of that name
run_oomlens export --victim java
expect_rc 0 "--victim java"
expect_eq "$(wc -l <"$OUT")" 2 "--victim java: its two events"
expect_out_not_contains '"name":"postgres"}' "--victim java: not the postgres kill"
run_oomlens export --format csv --victim postgres
expect_rc 0 "csv --victim postgres"
expect_eq "$(wc -l <"$OUT")" 2 "csv --victim postgres: header and one row"
expect_out_contains ',1,1201,postgres,' "csv --victim postgres: its row"
for fmt in ecs hec otel csv; do
	run_oomlens export --format "$fmt" --victim nosuchtask
	expect_rc 1 "$fmt --victim nosuchtask: nothing, exit 1"
	expect_out_empty "$fmt --victim nosuchtask: no output, not even a header"
done
run_oomlens export --format otel --victim node --host ci2
expect_rc 0 "--victim with --host"
expect_out_contains '"body":{"stringValue":"oom-kill: node (9921) on ci2"}' \
	"otel: the body names victim, pid and host"

# --killer: the kernel is every event today; other killers none
run_oomlens export --killer kernel
cmp -s "$OUT" "$TEST_TMP/seed.ecs" && pass "--killer kernel: every event" ||
	fail "--killer kernel: every event"
run_oomlens export --killer systemd-oomd
expect_rc 1 "--killer systemd-oomd: nothing (not read yet)"
expect_out_empty "--killer systemd-oomd: no output"
run_oomlens export --format csv --killer earlyoom
expect_rc 1 "csv --killer earlyoom: nothing"

# --raw in each format
raw_first='Nov 21 03:12:07 db1 kernel: [ 8123.456789] postgres invoked oom-killer'
run_oomlens export --raw --host db1
expect_out_contains "\"original\":\"$raw_first" "ecs --raw: event.original"
run_oomlens export --format hec --raw --host db1
shape hec "$OUT" "hec --raw: shape"
ingest_time_as_x <"$OUT" >"$TEST_TMP/x" && mv "$TEST_TMP/x" "$OUT"
expect_out_contains "\"dataset\":\"linux.oom\",\"created\":\"X\",\"original\":\"$raw_first" \
	"hec --raw: event.original inside the event"
run_oomlens export --format otel --raw --host db1
expect_out_contains "{\"key\":\"log.record.original\",\"value\":{\"stringValue\":\"$raw_first" \
	"otel --raw: log.record.original"
shape otel "$OUT" "otel --raw: shape"
run_oomlens export --format csv --raw
cmp -s "$OUT" "$TEST_TMP/seed.csv" && pass "csv --raw: the same CSV" ||
	fail "csv --raw: the same CSV"

run_oomlens export --format cef
expect_rc 2 "an unknown format is a usage error"
expect_err_contains "known: ecs, hec, otel, csv" "and names the known ones"
run_oomlens export --format csv --since 2027-01-01
expect_rc 1 "csv: nothing since then"
expect_out_empty "csv: no header without rows"

# every fixture of every era and container, in every format
TEST_DB=$TEST_TMP/all.db
run_oomlens ingest -q "$FIXTURES"
expect_rc 0 "ingest every fixture"
run_oomlens list --json
events=$(wc -l <"$OUT")
run_oomlens export
"$SHAPE" --shape ecs "$OUT" >"$TEST_TMP/shape.out" 2>&1
kills=$(sed -n 's/^[0-9]* documents, \([0-9]*\) tasks killed$/\1/p' "$TEST_TMP/shape.out")
[ "$events" -gt 20 ] && [ "$kills" -gt 20 ] && pass "fixtures: $events events, $kills kills" ||
	fail "fixtures: events and kills" "$events events, $kills kills"
for fmt in ecs hec otel; do
	run_oomlens export --format "$fmt" --raw
	expect_rc 0 "fixtures: export --format $fmt --raw"
	shape "$fmt" "$OUT" "fixtures: every $fmt line has its shape"
	expect_eq "$(wc -l <"$OUT")" "$events" "fixtures: $fmt, one line per event"
done
run_oomlens export --format csv
shape csv "$OUT" "fixtures: the CSV has its shape"
expect_eq "$(($(wc -l <"$OUT") - 1))" "$kills" "fixtures: csv, one row per kill"

# a failed write is a failure, in every format
if [ -w /dev/full ]; then
	for fmt in ecs hec otel csv; do
		"$OOMLENS" --db "$TEST_DB" export --format "$fmt" >/dev/full 2>"$ERR"
		RC=$?
		expect_rc 3 "$fmt to a full disk fails"
		expect_err_contains "cannot write output" "$fmt: and says so"
	done
fi
finish
