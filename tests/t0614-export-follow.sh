#!/bin/sh
# t0614-export-follow: export --follow --journal-dir D keeps reading the
# journal directory: the report already in it is printed, one in a journal
# file written into D while it runs is printed as it is stored; SIGTERM
# and SIGINT end it with status 0; restarted, it prints nothing twice (the
# cursor of ingest --journal-dir D), and ingest --journal-dir D finds
# nothing new after it; --host and --since choose what is written (all is
# stored), in any --format; a reader that goes away (EPIPE) ends it with 0.
# Waits are bounded loops, never fixed sleeps that a slow machine misses.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/lib-journal.sh
. "$TESTS_DIR/lib-journal.sh"
need_journal_tools

D=$TEST_TMP/journal
mkdir "$D"
BOOT=4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1
# report k (from 0) at 03:12:07Z + k * 1000 s
report() {
	dmesg_export "$FIXTURES/postgres-6.8.dmesg" $BOOT db1 1795222603543211 \
		$(($1 * 1000000000)) >"$TEST_TMP/r$1.export"
	build_journal "$D/r$1.journal" "$TEST_TMP/r$1.export"
}
report 0 || skip_all "systemd-journal-remote cannot write here"

# lines FILE: how many, 0 while it does not exist
lines() {
	cat "$1" 2>/dev/null | wc -l
}

# wait_lines FILE N: until FILE has N lines, at most 30 s
wait_lines() {
	_w=0
	while [ "$(lines "$1")" -lt "$2" ] && [ $_w -lt 300 ]; do
		sleep 0.1
		_w=$((_w + 1))
	done
	[ "$(lines "$1")" -ge "$2" ]
}

# stop PID SIGNAL: send it, wait at most 10 s for the exit; RC its status
stop() {
	RC=
	kill -"$2" "$1"
	_w=0
	while kill -0 "$1" 2>/dev/null && [ $_w -lt 100 ]; do
		sleep 0.1
		_w=$((_w + 1))
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -9 "$1"
		RC=killed
	fi
	wait "$1"
	_rc=$?
	[ "$RC" = killed ] || RC=$_rc
}

F=$TEST_TMP/follow.out
"$OOMLENS" --db "$TEST_DB" export --follow --journal-dir "$D" >"$F" 2>"$ERR" &
pid=$!
wait_lines "$F" 1 && pass "the report in the journal is printed" ||
	fail "the report in the journal is printed" "$(cat "$ERR")"
grep -q '"@timestamp":"2026-11-21T03:12:07Z".*"name":"postgres"' "$F" &&
	pass "as an ECS document" || fail "as an ECS document" "$(cat "$F")"
report 1
wait_lines "$F" 2 && pass "a report written meanwhile is printed as it comes" ||
	fail "a report written meanwhile is printed as it comes" "$(cat "$ERR")"
sed -n 2p "$F" | grep -q '"@timestamp":"2026-11-21T03:28:47Z"' &&
	pass "the new one" || fail "the new one" "$(cat "$F")"
stop $pid TERM
expect_eq "$RC" 0 "SIGTERM ends it with 0"

# restarted: nothing twice; then the next report, and SIGINT
"$OOMLENS" --db "$TEST_DB" export --follow --journal-dir "$D" >"$F" 2>"$ERR" &
pid=$!
report 2
wait_lines "$F" 1 && pass "restarted, it prints the next report" ||
	fail "restarted, it prints the next report" "$(cat "$ERR")"
sleep 1
[ "$(wc -l <"$F")" = 1 ] && pass "and nothing it printed before" ||
	fail "and nothing it printed before" "$(cat "$F")"
grep -q '"@timestamp":"2026-11-21T03:45:27Z"' "$F" &&
	pass "the third report" || fail "the third report" "$(cat "$F")"
stop $pid INT
expect_eq "$RC" 0 "SIGINT ends it with 0"
run_oomlens ingest --journal-dir "$D"
expect_rc 1 "ingest --journal-dir shares its cursor: nothing new"
run_oomlens list
[ "$(grep -c postgres "$OUT")" = 3 ] && pass "three events stored" ||
	fail "three events stored" "$(cat "$OUT")"

# the filters apply to what is written, not to what is stored
TEST_DB=$TEST_TMP/filter.db
"$OOMLENS" --db "$TEST_DB" export --follow --journal-dir "$D" --host web1 \
	>"$F" 2>"$ERR" &
pid=$!
_w=0
until [ "$("$OOMLENS" --db "$TEST_DB" list 2>/dev/null | grep -c postgres)" = 3 ] ||
	[ $_w -ge 300 ]; do
	sleep 0.1
	_w=$((_w + 1))
done
sleep 0.5
stop $pid TERM
expect_eq "$RC" 0 "--host web1 follower ends with 0"
[ "$(lines "$F")" = 0 ] && pass "--host web1: db1's events stored, not written" ||
	fail "--host web1: db1's events stored, not written" "$(cat "$F")"
TEST_DB=$TEST_TMP/filter2.db
"$OOMLENS" --db "$TEST_DB" export --follow --journal-dir "$D" \
	--since 2026-11-21T03:20:00Z --format csv >"$F" 2>"$ERR" &
pid=$!
wait_lines "$F" 3 && pass "--since and csv: a header and two rows" ||
	fail "--since and csv: a header and two rows" "$(cat "$F" "$ERR")"
stop $pid TERM
grep -q '2026-11-21T03:12:07Z' "$F" && fail "--since leaves the first out" "$(cat "$F")" ||
	pass "--since leaves the first out"

# a reader that goes away: the next write fails with EPIPE, exit 0
TEST_DB=$TEST_TMP/pipe.db
(
	"$OOMLENS" --db "$TEST_DB" export --follow --journal-dir "$D" 2>"$ERR" &
	echo $! >"$TEST_TMP/pipe.pid"
	wait $!
	echo $? >"$TEST_TMP/pipe.rc"
) | head -n 1 >"$TEST_TMP/head.out" &
wait_lines "$TEST_TMP/head.out" 1 || fail "head read a line"
# head has gone after the first line; the follower learns at a write
sleep 0.2
report 3
_w=0
while [ ! -s "$TEST_TMP/pipe.rc" ] && [ $_w -lt 300 ]; do
	sleep 0.1
	_w=$((_w + 1))
done
expect_eq "$(cat "$TEST_TMP/pipe.rc" 2>/dev/null)" 0 "EPIPE ends it with 0"
# a follower left by a failure must not outlive the test
kill -9 "$(cat "$TEST_TMP/pipe.pid")" 2>/dev/null
expect_err_empty "and says nothing"
finish
