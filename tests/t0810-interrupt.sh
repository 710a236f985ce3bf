#!/bin/sh
# t0810-interrupt: SIGINT and SIGKILL in the middle of a long ingest leave
# the database consistent (PRAGMA integrity_check) with none of the input
# being read, and the same ingest again completes it with no duplicates
# and nothing lost; SIGINT exits with 130 and a message, promptly; two
# ingests at once into one database both succeed, and the total is right.
# The big inputs are generated here (scripts/gen-reports.sh).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

GEN=$TESTS_DIR/../scripts/gen-reports.sh
cd "$TEST_TMP" || exit 1
N=${T0810_REPORTS:-20000}
sh "$GEN" "$N" >big.log
SMALL=$(pinned era-4.19.kern.log)

count() {
	"$OOMLENS" --db "$TEST_DB" sql --csv "$1" | tr -d '\r' | sed -n 2p
}

# start_ingest ARGS...: ingest in the background ($PID), and wait until
# its first input (the small one) is committed: it is reading big.log then
start_ingest() {
	"$OOMLENS" --db "$TEST_DB" ingest "$@" >"$OUT" 2>"$ERR" &
	PID=$!
	i=0
	while [ $i -lt 600 ] && kill -0 "$PID" 2>/dev/null; do
		if [ -f "$TEST_DB" ] &&
			[ "$(count 'SELECT count(*) FROM events' 2>/dev/null)" = 1 ]; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
}

# consistent DESCRIPTION: integrity, and only whole inputs stored
consistent() {
	expect_eq "$(count 'PRAGMA integrity_check')" ok "$1: integrity_check"
	expect_eq "$(count "SELECT count(*) FROM sources WHERE path = 'big.log'")" 0 \
		"$1: no row for the input being read"
	expect_eq "$(count 'SELECT count(*) FROM events')" 1 \
		"$1: only the input read before it"
}

# completed DESCRIPTION: the same ingest again stores all, once
completed() {
	run_oomlens ingest "$SMALL" big.log
	expect_rc 0 "$1: the same ingest again succeeds"
	expect_eq "$(count 'SELECT count(*) FROM events')" $((N + 1)) "$1: every event, once"
	expect_eq "$(count 'SELECT count(*) FROM (SELECT 1 FROM kills GROUP BY pid, comm HAVING count(*) > 1)')" 0 \
		"$1: no kill twice"
	run_oomlens ingest "$SMALL" big.log
	expect_eq "$(count 'SELECT count(*) FROM events')" $((N + 1)) "$1: a third run adds nothing"
}

# --- SIGINT: a message, 130, promptly ---
TEST_DB=$TEST_TMP/int.db
start_ingest "$SMALL" big.log
if kill -0 "$PID" 2>/dev/null; then
	t0=$(date +%s)
	kill -INT "$PID"
	wait "$PID"
	RC=$?
	t1=$(date +%s)
	expect_rc 130 "SIGINT: exit status 130"
	expect_err_contains "interrupted while reading 'big.log': nothing of it stored" \
		"SIGINT: says which input was not stored"
	expect_err_contains "the same ingest again completes it" "SIGINT: says what to do"
	expect_out_contains "era-4.19.kern.log: 1 event" "SIGINT: the input before it was stored"
	if [ $((t1 - t0)) -le 5 ]; then
		pass "SIGINT: it stops within 5 s"
	else
		fail "SIGINT: it stops within 5 s" "took $((t1 - t0)) s"
	fi
	consistent "SIGINT"
	completed "SIGINT"
else
	wait "$PID"
	fail "SIGINT: the ingest was still running when signalled" "raise T0810_REPORTS (now $N)"
fi

# --- SIGKILL: no word, but nothing half-written ---
TEST_DB=$TEST_TMP/kill.db
start_ingest "$SMALL" big.log
if kill -0 "$PID" 2>/dev/null; then
	kill -KILL "$PID"
	wait "$PID"
	RC=$?
	expect_rc 137 "SIGKILL: killed"
	consistent "SIGKILL"
	completed "SIGKILL"
else
	wait "$PID"
	fail "SIGKILL: the ingest was still running when killed" "raise T0810_REPORTS (now $N)"
fi

# --- two ingests at once, each of a big input: both wait their turn ---
TEST_DB=$TEST_TMP/two.db
"$OOMLENS" --db "$TEST_DB" ingest -q --host one big.log >one.out 2>one.err &
p1=$!
"$OOMLENS" --db "$TEST_DB" ingest -q --host two big.log "$SMALL" >two.out 2>two.err &
p2=$!
wait "$p1"
rc1=$?
wait "$p2"
rc2=$?
expect_eq "$rc1" 0 "two at once: the first succeeds"
expect_eq "$rc2" 0 "two at once: the second succeeds"
if [ -s one.err ] || [ -s two.err ]; then
	fail "two at once: no errors" "$(cat one.err two.err | head -n 4)"
else
	pass "two at once: no errors"
fi
expect_eq "$(count "SELECT count(*) FROM events WHERE host = 'one'")" "$N" "two at once: all of the first"
expect_eq "$(count "SELECT count(*) FROM events WHERE host = 'two'")" "$N" "two at once: all of the second"
expect_eq "$(count 'SELECT count(*) FROM events')" $((2 * N + 1)) "two at once: the total"
expect_eq "$(count 'PRAGMA integrity_check')" ok "two at once: integrity_check"

# --- two ingests creating one database: neither sees it half made ---
bad=0
i=0
while [ $i -lt 20 ]; do
	rm -f fresh.db fresh.db-wal fresh.db-shm
	"$OOMLENS" --db fresh.db ingest -q --host one "$SMALL" 2>fresh1.err &
	p1=$!
	"$OOMLENS" --db fresh.db ingest -q --host two "$SMALL" 2>fresh2.err &
	p2=$!
	wait "$p1" || bad=$((bad + 1))
	wait "$p2" || bad=$((bad + 1))
	i=$((i + 1))
done
expect_eq "$bad" 0 "a new database made by two ingests at once: 20 times, no failure"

finish
