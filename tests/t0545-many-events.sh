#!/bin/sh
# t0545-many-events: an input of many small reports is stored whole or
# not at all.  Reports are saved without a savepoint each (the ingest
# rolls the input back when one fails): 300 reports, and the same input
# again (every report a copy, merged), keep every row; a report that
# fails half-way (a trigger refuses its kill row) leaves nothing of its
# input behind, and the database takes the next input.  The diagnosis is
# stored with its row.  The export of them all has one document each.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

cd "$TEST_TMP" || exit 1
sh "$TESTS_DIR/../scripts/gen-reports.sh" 300 >many.log

count() {
	run_oomlens sql "SELECT (SELECT count(*) FROM events) || '/' || \
(SELECT count(*) FROM tasks) || '/' || (SELECT count(*) FROM kills) || '/' || \
(SELECT count(*) FROM event_text) || '/' || \
(SELECT count(*) FROM event_sources) AS n"
	tail -n 1 "$OUT" | tr -d ' '
}

run_oomlens ingest -q many.log
expect_rc 0 "ingest 300 small reports"
expect_eq "$(count)" "300/600/300/300/300" "events tasks kills texts inputs"
# another input (not the same file read again): each report a copy
{ echo '[    0.000000] Linux version 6.1.0-26-amd64'; cat many.log; } >again.log
run_oomlens ingest -q again.log
expect_rc 0 "the same reports again"
expect_eq "$(count)" "300/600/300/300/600" "copies merged: one more input each"

# the diagnosis goes in with the row: its list of other causes too
run_oomlens ingest -q "$FIXTURES/diag-cgroup-group-5.15.dmesg"
expect_rc 0 "ingest a report with a second cause"
run_oomlens sql "SELECT diag_kind || ' ' || diag_also FROM events \
WHERE diag_also <> ''"
expect_out_contains "cgroup-limit process-group" "its diagnosis, stored"

run_oomlens export
expect_rc 0 "export"
expect_eq "$(wc -l <"$OUT" | tr -d ' ')" 301 "one ECS document per event"
run_oomlens export --format hec
expect_eq "$(wc -l <"$OUT" | tr -d ' ')" 301 "one HEC document per event"

if command -v sqlite3 >/dev/null 2>&1; then
	TEST_DB=$TEST_TMP/boom.db
	run_oomlens ingest -q /dev/null
	# the 151st report's kill row is refused, after its event row
	sqlite3 "$TEST_DB" "CREATE TRIGGER boom BEFORE INSERT ON kills
		WHEN NEW.pid = 1150 BEGIN SELECT RAISE(ABORT, 'boom'); END;"
	run_oomlens ingest -q many.log
	expect_rc 3 "a report that cannot be stored fails the input"
	expect_err_contains "insert kill: boom" "what failed is said"
	expect_eq "$(count)" "0/0/0/0/0" "nothing of the input is left"
	sqlite3 "$TEST_DB" "DROP TRIGGER boom"
	run_oomlens ingest -q many.log
	expect_rc 0 "the database takes the input again"
	expect_eq "$(count)" "300/600/300/300/300" "all of it"
	expect_eq "$(sqlite3 "$TEST_DB" 'PRAGMA integrity_check')" ok \
		"the database is intact"
fi

finish
