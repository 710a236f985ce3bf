#!/bin/sh
# t0613-journal-resume: an ingest of a journal directory killed with
# SIGKILL wherever it is, again and again, then run to its end, stores
# every report exactly once: the cursor commits with the events it
# covers.  The directory holds 300 reports in one file; a second file of
# 100 more is added afterwards, and that ingest is killed too: the end
# count is 400, no kernel time twice, and each event lists its input once.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/lib-journal.sh
. "$TESTS_DIR/lib-journal.sh"
need_journal_tools

D=$TEST_TMP/journal
mkdir "$D"
# 300 reports 100 s apart (kernel times 0 to 38206 s: the copies of the
# fixture's boot lines interleave, its report lines do not), then 100 more
# after the last of them: a new file holds later entries, and sd-journal
# reads a new file's entries that are older than the cursor as before it
dmesg_export "$FIXTURES/postgres-6.8.dmesg" 4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1 \
	db1 1795222603543211 0 300 100000000 >"$TEST_TMP/one.export"
dmesg_export "$FIXTURES/postgres-6.8.dmesg" 4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1 \
	db1 1795222603543211 40000000000 100 100000000 >"$TEST_TMP/two.export"
build_journal "$D/one.journal" "$TEST_TMP/one.export" ||
	skip_all "systemd-journal-remote cannot write here"

# kill_runs: start the ingest and SIGKILL it after each delay in turn
kill_runs() {
	for delay in 0.02 0.1 0.2 0.3 0.5 0.8; do
		"$OOMLENS" --db "$TEST_DB" ingest -q --journal-dir "$D" \
			>/dev/null 2>&1 &
		pid=$!
		sleep $delay
		kill -9 $pid 2>/dev/null
		wait $pid 2>/dev/null
	done
}

# counts: events, distinct kernel times, event inputs, distinct ones
counts() {
	"$OOMLENS" --db "$TEST_DB" sql --csv "SELECT count(*), \
		count(DISTINCT ktime_us) FROM events" | tail -n 1 | tr -d '\r'
}

kill_runs
run_oomlens ingest --journal-dir "$D"
case $RC in
0 | 1) pass "the ingest after the kills runs" ;;
*) fail "the ingest after the kills runs" "rc=$RC" ;;
esac
expect_eq "$(counts)" "300,300" "300 events, each once"

build_journal "$D/two.journal" "$TEST_TMP/two.export"
kill_runs
run_oomlens ingest --journal-dir "$D"
case $RC in
0 | 1) pass "the ingest after the second kills runs" ;;
*) fail "the ingest after the second kills runs" "rc=$RC" ;;
esac
expect_eq "$(counts)" "400,400" "400 events, each once"
run_oomlens sql --csv "SELECT count(*) FROM (SELECT event_id, \
	source_id FROM event_sources GROUP BY event_id, source_id \
	HAVING count(*) > 1)"
expect_eq "$(tail -n 1 "$OUT" | tr -d '\r')" "0" "no event lists an input twice"
run_oomlens ingest --journal-dir "$D"
expect_rc 1 "then nothing is new"
finish
