# shellcheck shell=sh
# tests/lib.sh: helpers for the CLI tests tests/tNNNN-area.sh (POSIX sh).
#
# A test looks like:
#
#	. "$(dirname "$0")/lib.sh"
#	run_oomlens import "$FIXTURES/postgres-6.8.dmesg"
#	expect_rc 0 "import a dmesg file"
#	expect_out_contains "1 report" "import counts the report"
#	finish
#
# tests/run.sh sets OOMLENS (absolute path of the binary), FIXTURES, TZ=UTC,
# LC_ALL=C and a fresh empty directory as both TMPDIR and TEST_TMP, and runs
# the test from that directory.  A test run by hand (sh tests/t0001-x.sh) gets defaults:
# ./oomlens of the checkout and a temporary directory removed at exit.
#
# Variables a test may use or set:
#	OOMLENS   the binary run_oomlens runs
#	TEST_DB   database passed as --db; set it to "" (empty) before
#	          run_oomlens to pass no --db at all
#	TEST_TMP  this test's private directory
#	OUT ERR   files holding the last run's stdout and stderr
#	RC        the last run's exit status
#	VERBOSE=1 also print a line for each passed check
#
# Every expect_* helper counts one check, prints "FAIL: ..." with details
# when it fails, and returns 1 then (so don't use `set -e` in tests).
# finish prints "NAME: N passed, N failed" and exits 0 or 1.

TEST_NAME=${TEST_NAME:-$(basename "$0" .sh)}
TESTS_DIR=$(cd "$(dirname "$0")" && pwd)
: "${FIXTURES:=$TESTS_DIR/fixtures}"
: "${OOMLENS:=$(dirname "$TESTS_DIR")/oomlens}"
TZ=${TZ:-UTC}
LC_ALL=${LC_ALL:-C}
export TZ LC_ALL FIXTURES OOMLENS
# tables fit $COLUMNS when set, even in a file: the expected outputs are
# the unlimited width's
unset COLUMNS

if [ -z "${TEST_TMP:-}" ]; then
	TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/oomlens-test.XXXXXX") || exit 1
	_t_own_tmp=$TEST_TMP
	trap 'rm -rf "$_t_own_tmp"' EXIT
	trap 'exit 130' INT TERM
fi
TEST_DB=${TEST_DB-$TEST_TMP/oomlens.db}
OUT=$TEST_TMP/stdout
ERR=$TEST_TMP/stderr
RC=
_t_pass=0
_t_fail=0

# pass DESCRIPTION / fail DESCRIPTION [DETAIL...]: count a check by hand.
pass() {
	_t_pass=$((_t_pass + 1))
	if [ "${VERBOSE:-}" = 1 ]; then
		echo "ok: $1"
	fi
	return 0
}

fail() {
	_t_fail=$((_t_fail + 1))
	echo "FAIL: $1"
	shift
	for _t_line in "$@"; do
		printf '    %s\n' "$_t_line"
	done
	return 1
}

# _t_show FILE LABEL: print at most 20 lines of FILE, indented.
_t_show() {
	if [ -s "$1" ]; then
		echo "    --- $2:"
		sed -n '1,20s/^/    | /p' "$1"
		_t_n=$(wc -l <"$1")
		[ "$_t_n" -le 20 ] || echo "    | ... ($_t_n lines)"
	else
		echo "    --- $2: (empty)"
	fi
}

# run_oomlens ARGS...: run "$OOMLENS" [--db "$TEST_DB"] ARGS with this
# shell's stdin; stdout goes to $OUT, stderr to $ERR, the status to $RC.
# Feed input with a redirection (run_oomlens import - <file), not a pipe:
# the last command of a pipe runs in a subshell, which would lose $RC.
run_oomlens() {
	if [ -n "$TEST_DB" ]; then
		"$OOMLENS" --db "$TEST_DB" "$@" >"$OUT" 2>"$ERR"
	else
		"$OOMLENS" "$@" >"$OUT" 2>"$ERR"
	fi
	RC=$?
	return 0
}

# expect_rc N DESCRIPTION
expect_rc() {
	if [ "$RC" = "$1" ]; then
		pass "$2"
	else
		fail "$2" "expected exit status $1, got ${RC:-(nothing run)}"
		_t_show "$ERR" stderr
		return 1
	fi
}

# expect_out_file EXPECTED_FILE DESCRIPTION: stdout equals the file.
expect_out_file() {
	if diff -u "$1" "$OUT" >"$TEST_TMP/diff" 2>&1; then
		pass "$2"
	else
		fail "$2" "stdout differs from $(basename "$1") (diff -u expected actual):"
		sed 's/^/    /' "$TEST_TMP/diff"
		return 1
	fi
}

# expect_out_equals TEXT DESCRIPTION: stdout is exactly TEXT plus a newline.
expect_out_equals() {
	printf '%s\n' "$1" >"$TEST_TMP/expected"
	expect_out_file "$TEST_TMP/expected" "$2"
}

# _t_contains FILE STRING: the file holds STRING (a literal, may span lines).
_t_contains() {
	_t_text=$(cat "$1"; echo x)
	case $_t_text in
	*"$2"*) return 0 ;;
	esac
	return 1
}

# expect_out_contains STRING DESCRIPTION (and the other three alike)
expect_out_contains() {
	if _t_contains "$OUT" "$1"; then
		pass "$2"
	else
		fail "$2" "stdout does not contain: $1"
		_t_show "$OUT" stdout
		return 1
	fi
}

expect_out_not_contains() {
	if _t_contains "$OUT" "$1"; then
		fail "$2" "stdout contains: $1"
		_t_show "$OUT" stdout
		return 1
	else
		pass "$2"
	fi
}

expect_err_contains() {
	if _t_contains "$ERR" "$1"; then
		pass "$2"
	else
		fail "$2" "stderr does not contain: $1"
		_t_show "$ERR" stderr
		return 1
	fi
}

expect_err_not_contains() {
	if _t_contains "$ERR" "$1"; then
		fail "$2" "stderr contains: $1"
		_t_show "$ERR" stderr
		return 1
	else
		pass "$2"
	fi
}

# expect_out_empty / expect_err_empty DESCRIPTION
expect_out_empty() {
	if [ -s "$OUT" ]; then
		fail "$1" "stdout is not empty"
		_t_show "$OUT" stdout
		return 1
	else
		pass "$1"
	fi
}

expect_err_empty() {
	if [ -s "$ERR" ]; then
		fail "$1" "stderr is not empty"
		_t_show "$ERR" stderr
		return 1
	else
		pass "$1"
	fi
}

# expect_eq ACTUAL EXPECTED DESCRIPTION: two strings are equal.
expect_eq() {
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3" "expected: $2" "actual:   $1"
	fi
}

# fact FILE KEY: print the value of KEY in a key=value facts file
# (tests/fixtures/*.facts); fails when the key is absent.
fact() {
	sed -n "s/^$2=//p" "$1" | grep '' || {
		echo "lib.sh: no key '$2' in $1" >&2
		return 1
	}
}

# fixture_events FACTS: ingest the fixture beside FACTS (a copy here,
# dated at its ref_time: syslog dates have no year, the file's mtime dates
# them) into its own database, and check through `list --json` the events,
# the victim, the trigger and the constraint its facts name.  Leaves the
# ingest's stderr in $ERR (checked by the caller) and $name set.
fixture_events() {
	name=$(basename "$1" .facts)
	cp "$FIXTURES/$name" . && touch -d "@$(fact "$1" ref_time)" "$name"
	TEST_DB=$TEST_TMP/$name.db
	run_oomlens ingest "$name"
	expect_rc 0 "$name: ingest"
	expect_out_contains "$name: $(fact "$1" reports) event" \
		"$name: $(fact "$1" reports) event(s)"
	cp "$ERR" "$TEST_TMP/ingest.err"
	run_oomlens list --json
	vpid=$(sed -n 's/^r1\.kill\.1\.pid=//p' "$1")
	if [ -n "$vpid" ]; then
		expect_out_contains "\"victim\":{\"pid\":$vpid," "$name: victim $vpid"
	else
		expect_out_not_contains '"victim"' "$name: no victim invented"
	fi
	tpid=$(fact "$1" r1.trigger_pid)
	tcomm=$(fact "$1" r1.trigger_comm)
	if [ "$tcomm" = - ]; then
		:
	elif [ "$tpid" = - ]; then
		expect_out_contains "\"trigger\":{\"name\":\"$tcomm\"}" \
			"$name: trigger $tcomm"
	else
		expect_out_contains "\"trigger\":{\"pid\":$tpid,\"name\":\"$tcomm\"}" \
			"$name: trigger $tcomm ($tpid)"
	fi
	c=$(fact "$1" r1.constraint)
	[ "$c" = - ] || expect_out_contains "\"constraint\":\"$c\"" "$name: constraint $c"
	cp "$TEST_TMP/ingest.err" "$ERR"
}

# pinned NAME: path of a copy of fixture NAME whose mtime is fixed at
# 2026-11-22.  Syslog dates carry no year; oomlens takes it from the
# file's mtime, so tests that check times must not depend on the clone's.
pinned() {
	mkdir -p "$TEST_TMP/pinned"
	if [ ! -f "$TEST_TMP/pinned/$1" ]; then
		cp "$FIXTURES/$1" "$TEST_TMP/pinned/$1" &&
			touch -d "2026-11-22 12:00:00Z" "$TEST_TMP/pinned/$1"
	fi
	echo "$TEST_TMP/pinned/$1"
}

# ingest_time_as_x < DOCUMENTS: the export documents with the time they
# were ingested written as X (tests/ingest-time.sed).
ingest_time_as_x() {
	sed -f "$TESTS_DIR/ingest-time.sed"
}

# finish: print the closing line and exit 0 when nothing failed.  A test
# that checked nothing fails: it would otherwise pass silently.
# on_tty COLS FILE CMD...: what oomlens CMD writes on a pty COLS wide,
# without the pty's carriage returns
on_tty() {
	_cols=$1 _file=$2
	shift 2
	script -qec "stty cols $_cols rows 50; '$OOMLENS' --db '$TEST_DB' $*" \
		/dev/null </dev/null 2>&1 | tr -d '\r' >"$_file"
}

# widest FILE: the columns its widest line takes on a terminal (colours
# take none; East Asian wide and fullwidth characters two)
widest() {
	python3 - "$1" <<'EOF'
import re, sys, unicodedata
def width(s):
    s = re.sub(r'\x1b\[[0-9;]*[A-Za-z]', '', s)
    return sum(0 if unicodedata.combining(c) else
               2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
lines = open(sys.argv[1], encoding='utf-8', errors='replace').read().split('\n')
print(max(width(l) for l in lines))
EOF
}

# unhash PAYLOAD FILE: break the stored hash of the journal data object
# PAYLOAD in FILE (ObjectHeader 16 bytes, then the hash; the payload at
# 64, or 72 in a compact file): a match on it then finds nothing, while
# reading every entry still reaches its fields.  sd-journal does not say.
# (t0611, t0441)
unhash() {
	_p=$(grep -obUa "$1" "$2" | head -1 | cut -d: -f1)
	[ -n "$_p" ] || return 1
	for _d in 72 64; do
		[ "$(od -An -tu1 -j $((_p - _d)) -N 1 "$2" | tr -d ' ')" = 1 ] &&
			break
	done
	printf '\377\377\377\377\377\377\377\377' |
		dd of="$2" bs=1 seek=$((_p - _d + 16)) conv=notrunc 2>/dev/null
}

# Every table ingest writes, in id order, as CSV: two databases made from
# the same inputs in different ways (threads, a mapped file) compare equal
# row for row and id for id.  DB is a path.
dump_tables() {
	for q in "SELECT id, path, host FROM sources ORDER BY id" \
		"SELECT * FROM events ORDER BY id" \
		"SELECT * FROM event_sources ORDER BY 1, 2" \
		"SELECT * FROM kills ORDER BY 1, 2" \
		"SELECT * FROM tasks ORDER BY 1, 2" \
		"SELECT * FROM zones ORDER BY 1, 2" \
		"SELECT * FROM actions ORDER BY 1" \
		"SELECT * FROM event_text ORDER BY 1" \
		"SELECT key, cursor, byte_offset, fingerprint FROM resume ORDER BY key"; do
		"$OOMLENS" --db "$1" sql --csv "$q" || echo "FAILED: $q"
	done
}

finish() {
	if [ $((_t_pass + _t_fail)) -eq 0 ]; then
		fail "finish: no checks were run"
	fi
	echo "$TEST_NAME: $_t_pass passed, $_t_fail failed"
	[ "$_t_fail" -eq 0 ]
	exit
}

# skip_all REASON: the test cannot run here (missing tool, ...).
skip_all() {
	echo "$TEST_NAME: skipping all checks: $1"
	echo "$TEST_NAME: 0 passed, 0 failed"
	exit 0
}
