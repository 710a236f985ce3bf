#!/bin/sh
# t0100-ingest: every container of the seed scenario stores one event with
# the right victim and trigger; bad inputs are named and skipped while the
# rest is stored; exit statuses.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

F=$FIXTURES
victim_pid=$(fact "$F/postgres-6.8.facts" victim_pid)
trigger_pid=$(fact "$F/postgres-6.8.facts" trigger_pid)

for c in dmesg dmesg-T kern.log messages journal.txt; do
	TEST_DB=$TEST_TMP/$c.db
	run_oomlens ingest "$F/postgres-6.8.$c"
	expect_rc 0 "$c: ingest"
	expect_out_contains "postgres-6.8.$c: 1 event" "$c: one event"
	run_oomlens list --json
	expect_out_contains "\"victim\":{\"pid\":$victim_pid,\"name\":\"postgres\"}" \
		"$c: victim is the postmaster"
	expect_out_contains "\"trigger\":{\"pid\":$trigger_pid,\"name\":\"postgres\"}" \
		"$c: trigger is the backend"
	expect_out_contains '"constraint":"none"' "$c: global OOM"
done

# host: from the syslog line; from --host for dmesg; never invented
TEST_DB=$TEST_TMP/host.db
run_oomlens ingest --host web7 "$F/postgres-6.8.dmesg" "$F/postgres-6.8.kern.log"
expect_rc 0 "ingest two files"
run_oomlens list --json
expect_out_contains '"host":"web7"' "--host names a dmesg host"
expect_out_contains '"host":"db1"' "syslog host kept over --host"
run_oomlens list --host web7
expect_rc 0 "list --host"
expect_out_not_contains "db1" "--host filters"
TEST_DB=$TEST_TMP/nohost.db
run_oomlens ingest "$F/postgres-6.8.dmesg"
run_oomlens list --json
expect_out_not_contains '"host"' "no host field when none was logged"

# stdin
TEST_DB=$TEST_TMP/stdin.db
run_oomlens ingest - <"$F/postgres-6.8.kern.log"
expect_rc 0 "ingest from stdin"
expect_out_contains "-: 1 event" "stdin is named -"

# a directory is read recursively; two reports in one file
TEST_DB=$TEST_TMP/dir.db
mkdir -p "$TEST_TMP/logs/sub"
cp "$F/two-reports-6.1.kern.log" "$TEST_TMP/logs/sub/kern.log"
cp "$F/memcg-v2-5.15.dmesg" "$TEST_TMP/logs/dmesg.txt"
run_oomlens ingest "$TEST_TMP/logs"
expect_rc 0 "ingest a directory"
expect_out_contains "stored 3 events from 2 inputs" "all files below it"
run_oomlens list
expect_rc 0 "list"
n=$(grep -c '^[0-9]' "$OUT")
expect_eq "$n" 3 "three events listed"

# bad inputs are named and skipped; the good ones still stored
TEST_DB=$TEST_TMP/bad.db
printf 'nothing to see\n' >"$TEST_TMP/quiet.log"
run_oomlens ingest "$TEST_TMP/missing.log" "$F/postgres-6.8.dmesg" "$TEST_TMP/quiet.log"
expect_rc 3 "a missing input is a runtime error"
expect_err_contains "cannot read '$TEST_TMP/missing.log': No such file or directory, skipping" \
	"the missing file is named"
expect_out_contains "postgres-6.8.dmesg: 1 event" "the good input is stored"
expect_out_contains "quiet.log: 0 events" "an input without OOM counts 0"
run_oomlens list --json
expect_out_contains '"pid":1201' "the event is in the database"

TEST_DB=$TEST_TMP/none.db
run_oomlens ingest "$TEST_TMP/quiet.log"
expect_rc 1 "no OOM report found: exit 1"
expect_out_contains "stored 0 events" "says so"

run_oomlens ingest
expect_rc 2 "ingest without inputs is a usage error"
run_oomlens ingest --frob x
expect_rc 2 "unknown option"

# a damaged dump row is a warning with file and line, not a failure
TEST_DB=$TEST_TMP/damaged.db
sed 's/^\(\[ *[0-9.]*\] \[ *3456\]\).*/\1 garbage/' "$F/postgres-6.8.dmesg" >"$TEST_TMP/damaged.dmesg"
run_oomlens ingest "$TEST_TMP/damaged.dmesg"
expect_rc 0 "a damaged row does not stop the ingest"
line=$(grep -n '\[ *3456\] garbage' "$TEST_TMP/damaged.dmesg" | cut -d: -f1)
expect_err_contains "damaged.dmesg:$line: task dump row not understood, skipping" \
	"the warning names file and line"
run_oomlens show 1
expect_out_contains "dump_partial" "the event is flagged"

# a database from a newer oomlens, or not ours, is refused
TEST_DB=$TEST_TMP/foreign.db
printf 'SQLite format 3\000 but not really\n' >"$TEST_DB"
run_oomlens ingest "$F/postgres-6.8.dmesg"
expect_rc 3 "a foreign file is refused"
expect_err_contains "foreign.db" "the message names the file"

# read commands on a database that does not exist yet
TEST_DB=$TEST_TMP/nowhere/oomlens.db
run_oomlens list
expect_rc 1 "list without a database finds nothing"
expect_err_contains "run 'oomlens ingest' first" "and says what to do"

# the default database follows OOMLENS_DB, then XDG_DATA_HOME
TEST_DB=
OOMLENS_DB=$TEST_TMP/env.db run_oomlens ingest -q "$F/postgres-6.8.dmesg"
expect_rc 0 "OOMLENS_DB"
[ -f "$TEST_TMP/env.db" ] && pass "OOMLENS_DB is used" || fail "OOMLENS_DB is used"
env -u OOMLENS_DB -u STATE_DIRECTORY XDG_DATA_HOME="$TEST_TMP/xdg" "$OOMLENS" ingest -q "$F/postgres-6.8.dmesg" >/dev/null 2>&1
[ -f "$TEST_TMP/xdg/oomlens/oomlens.db" ] && pass "XDG_DATA_HOME is used" ||
	fail "XDG_DATA_HOME is used"
finish
