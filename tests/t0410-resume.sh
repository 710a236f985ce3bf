#!/bin/sh
# t0410-resume: files read before are resumed, not read again.  An
# unchanged file is not read; an appended one is read from where the last
# ingest stopped, with line numbers going on; a rotated one (kern.log ->
# kern.log.1, later kern.log.2.gz) is recognised by what it holds; a
# truncated or replaced one is read from the start; a report still being
# written when the last ingest ran is read again whole and stored once.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

command -v gzip >/dev/null 2>&1 || skip_all "no gzip (make deps installs it)"

F=$FIXTURES
cd "$TEST_TMP" || exit 1

# noise N FIRST: N dmesg lines without an OOM, stamped from FIRST seconds
noise() {
	awk -v n="$1" -v t="$2" 'BEGIN { for (i = 0; i < n; i++)
		printf "[%6d.000000] eth0: link is up, 1000 Mbps full duplex, flow control rx/tx (%d)\n", t + i, i }'
}

# events: how many events the database holds
events() {
	"$OOMLENS" --db "$TEST_DB" sql --csv "SELECT count(*) FROM events" |
		tr -d '\r' | sed -n 2p
}

# json_field NAME: the number NAME has in the last run's first input
json_field() {
	sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" "$OUT" | head -n 1
}

noise 100 1 >kern.log
cat "$F/postgres-6.8.dmesg" >>kern.log
size1=$(wc -c <kern.log)
lines1=$(wc -l <kern.log)

run_oomlens ingest --host db1 kern.log
expect_rc 0 "first ingest"
expect_out_contains "kern.log: 1 event ($lines1 lines)" "the whole file is read"

run_oomlens ingest --host db1 kern.log
expect_rc 1 "nothing new: exit status 1"
expect_out_contains "kern.log: unchanged since the last ingest" "an unchanged file is not read"
expect_eq "$(events)" 1 "still one event"

# appended: only the new bytes are read, line numbers go on
cat "$F/memcg-v2-5.15.dmesg" >>kern.log
run_oomlens ingest --json --host db1 kern.log
expect_rc 0 "the appended file"
expect_eq "$(json_field resumed_at)" "$size1" "it resumes where the last ingest stopped"
expect_eq "$(json_field bytes)" "$(wc -c <"$F/memcg-v2-5.15.dmesg")" \
	"only the appended bytes are read"
expect_eq "$(json_field events)" 1 "the appended report"
expect_eq "$(events)" 2 "two events"
# the memcg report's header is line 4 of its fixture
run_oomlens sql --csv "SELECT e.first_line FROM events e JOIN kills k ON k.event_id = e.id WHERE k.pid = 48213"
expect_eq "$(tr -d '\r' <"$OUT" | sed -n 2p)" $((lines1 + 4)) "line numbers go on after the lines read before"

# rotated: kern.log -> kern.log.1 is known; the new kern.log is read whole
mv kern.log kern.log.1
noise 100 5000 >kern.log
cat "$F/two-reports-6.1.kern.log" >>kern.log
run_oomlens ingest --host db1 kern.log.1 kern.log
expect_out_contains "kern.log.1: unchanged since the last ingest" \
	"the rotated file is recognised by what it holds"
expect_out_contains "kern.log: 2 events ($(wc -l <kern.log) lines)" \
	"the new file is read from the start"
expect_eq "$(events)" 4 "four events"

# compressed by logrotate: decoded, recognised, nothing parsed again; then
# not even decoded
size_all=$(wc -c <kern.log.1)
gzip kern.log.1
mv kern.log.1.gz kern.log.2.gz
run_oomlens ingest --json --host db1 kern.log.2.gz
expect_eq "$(json_field resumed_at)" "$size_all" "the .gz is the rotated file: resumed at its end"
expect_eq "$(json_field lines)" 0 "no line of it parsed again"
run_oomlens ingest --host db1 kern.log.2.gz
expect_out_contains "kern.log.2.gz: unchanged since the last ingest" \
	"an unchanged compressed file is skipped"
expect_eq "$(events)" 4 "still four events"

# replaced: another head, read from the start
noise 80 9000 >kern.log
cat "$F/postgres-6.8.dmesg" >>kern.log
run_oomlens ingest --json --host db1 kern.log
expect_out_not_contains '"resumed_at"' "a replaced file is read from the start"
expect_eq "$(json_field lines)" "$(wc -l <kern.log)" "all of its lines"

# truncated below what was read, the head kept: read from the start
size_new=$(wc -c <kern.log)
head -c 6000 kern.log >cut && head -n "$(wc -l <cut)" kern.log >kern.log.tmp
mv kern.log.tmp kern.log
run_oomlens ingest --json --host db1 kern.log
expect_out_not_contains '"resumed_at"' "a truncated file is read from the start"
expect_eq "$(json_field bytes)" "$(wc -c <kern.log)" "all of it ($size_new before)"

# a report still being written: stored as it is, read again whole later,
# one event in the end
noise 100 20000 >grow.log
head -n 40 "$F/memcg-v2-5.15.dmesg" | sed 's/351/451/' >>grow.log
run_oomlens ingest --host db2 grow.log
# (the replaced file's postgres report was a copy of the first one)
expect_eq "$(events)" 5 "the cut report is stored"
sed -n '41,$p' "$F/memcg-v2-5.15.dmesg" | sed 's/351/451/' >>grow.log
run_oomlens ingest --json --host db2 grow.log
expect_rc 0 "the rest of the report"
# (the fixture's header is its line 4)
expect_eq "$(json_field resumed_at)" \
	$(($(noise 100 20000 | wc -c) + $(head -n 3 "$F/memcg-v2-5.15.dmesg" | wc -c))) \
	"read again from the open report's first line"
expect_eq "$(events)" 5 "still one event for it"
run_oomlens sql --csv "SELECT count(*) FROM events e JOIN kills k ON k.event_id = e.id WHERE e.host = 'db2'"
expect_eq "$(tr -d '\r' <"$OUT" | sed -n 2p)" 1 "now with its kill"

# the same head, another file after it (cloned machines' dmesg without a
# host name): read from the start, not resumed
noise 100 30000 >a.log
cp a.log b.log
cat "$F/postgres-6.8.dmesg" >>a.log
sed 's/^\[ *8123\./[ 9123./' "$F/postgres-6.8.dmesg" >>a.log
noise 300 40000 >>b.log
cat "$F/memcg-v2-5.15.dmesg" >>b.log
run_oomlens ingest --json --host db3 a.log
run_oomlens ingest --json --host db3 b.log
expect_out_not_contains '"resumed_at"' "a file that only starts like another is read whole"
expect_eq "$(json_field events)" 1 "its report is found"

# the same again compressed (a boot's rotated dmesg.1.gz whose first
# lines are those of another boot): decoded up to where the plain file was
# read, found to hold other bytes there, and read whole, not resumed
noise 100 30000 >c.log
noise 200 50000 >>c.log
cat "$F/memcg-v2-5.15.dmesg" >>c.log
noise 300 60000 >>c.log
[ "$(wc -c <c.log)" -gt "$(wc -c <a.log)" ] || fail "c.log outgrows a.log" "fixture"
gzip -c c.log >c.log.1.gz
run_oomlens ingest --json --host db3 c.log.1.gz
expect_out_not_contains '"resumed_at"' "a compressed file that only starts like another is read whole"
expect_eq "$(json_field lines)" "$(wc -l <c.log)" "all of its lines"
expect_eq "$(json_field events)" 1 "its report (before where the other file ended) is found"

# stdin has no identity: read every time (copies merge)
run_oomlens ingest --host db1 - <"$F/postgres-6.8.dmesg"
expect_out_contains "-: 1 event" "stdin is always read"

finish
