#!/bin/sh
# t1040-state-dir: where the database is when --db does not say.  As a
# systemd service (StateDirectory=oomlens sets STATE_DIRECTORY=/var/lib/
# oomlens) it is $STATE_DIRECTORY/oomlens.db, the system's database; for a
# user it is the XDG path.  --db and OOMLENS_DB come first.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

F=$FIXTURES/postgres-6.8.dmesg
TEST_DB=
# in_env VAR=VALUE... -- ARGS: run oomlens with exactly these of the
# variables that choose the database, the others unset
in_env() {
	_e=
	while [ "$1" != -- ]; do
		_e="$_e $1"
		shift
	done
	shift
	# shellcheck disable=SC2086 # $_e is a list of assignments
	env -u OOMLENS_DB -u STATE_DIRECTORY -u XDG_DATA_HOME -u HOME $_e \
		"$OOMLENS" "$@" >"$OUT" 2>"$ERR"
	RC=$?
}

S=$TEST_TMP/var/lib/oomlens
H=$TEST_TMP/home
mkdir -p "$S" "$H"

# as the service: the state directory, not the (dynamic) user's home
in_env STATE_DIRECTORY="$S" HOME="$H" -- ingest -q "$F"
expect_rc 0 "ingest as the service"
[ -f "$S/oomlens.db" ] && pass "the database is \$STATE_DIRECTORY/oomlens.db" ||
	fail "the database is \$STATE_DIRECTORY/oomlens.db" "$(ls -R "$TEST_TMP")"
[ ! -e "$H/.local" ] && pass "nothing written to the home" ||
	fail "nothing written to the home"
in_env STATE_DIRECTORY="$S" -- list
expect_rc 0 "list as the service reads it"
expect_out_contains "postgres (1201)" "and finds the event"

# several state directories (StateDirectory=a b): the first
mkdir -p "$TEST_TMP/a" "$TEST_TMP/b"
in_env STATE_DIRECTORY="$TEST_TMP/a:$TEST_TMP/b" -- ingest -q "$F"
expect_rc 0 "ingest with two state directories"
[ -f "$TEST_TMP/a/oomlens.db" ] && [ ! -e "$TEST_TMP/b/oomlens.db" ] &&
	pass "the first state directory holds it" ||
	fail "the first state directory holds it" "$(ls "$TEST_TMP/a" "$TEST_TMP/b")"

# a user: the XDG path, then ~/.local/share
in_env XDG_DATA_HOME="$TEST_TMP/xdg" HOME="$H" -- ingest -q "$F"
expect_rc 0 "ingest as a user with XDG_DATA_HOME"
[ -f "$TEST_TMP/xdg/oomlens/oomlens.db" ] && pass "XDG_DATA_HOME/oomlens/oomlens.db" ||
	fail "XDG_DATA_HOME/oomlens/oomlens.db"
in_env HOME="$H" -- ingest -q "$F"
expect_rc 0 "ingest as a user with only HOME"
[ -f "$H/.local/share/oomlens/oomlens.db" ] && pass "~/.local/share/oomlens/oomlens.db" ||
	fail "~/.local/share/oomlens/oomlens.db"

# --db and OOMLENS_DB win over the state directory
rm -f "$S/oomlens.db"*
in_env STATE_DIRECTORY="$S" OOMLENS_DB="$TEST_TMP/env.db" -- ingest -q "$F"
expect_rc 0 "ingest with OOMLENS_DB under a state directory"
[ -f "$TEST_TMP/env.db" ] && [ ! -e "$S/oomlens.db" ] &&
	pass "OOMLENS_DB comes first" || fail "OOMLENS_DB comes first"
in_env STATE_DIRECTORY="$S" OOMLENS_DB="$TEST_TMP/env.db" -- \
	--db "$TEST_TMP/opt.db" ingest -q "$F"
expect_rc 0 "ingest with --db"
[ -f "$TEST_TMP/opt.db" ] && [ ! -e "$S/oomlens.db" ] &&
	pass "--db comes first of all" || fail "--db comes first of all"

# a relative STATE_DIRECTORY is not systemd's: ignored, like XDG_DATA_HOME
in_env STATE_DIRECTORY=relative HOME="$H" -- list
expect_rc 0 "a relative STATE_DIRECTORY is ignored"
[ ! -e relative ] && pass "and nothing is created under it" ||
	fail "and nothing is created under it"

# nothing says where: the command asks for --db
in_env -- list
expect_rc 3 "no database path at all"
expect_err_contains "use --db PATH" "says what to do"
# --- the service's own command line, in the environment the unit gives ---
# A timer run that read the journal cleanly and found nothing new is a
# success to systemd (else a healthy host shows a failed unit every 10
# minutes); one that could not open its database is not.
UNIT=$(dirname "$TESTS_DIR")/dist/oomlens-ingest.service
# unit_key KEY: the values of KEY= in the unit, one a line
unit_key() {
	sed -n "s/^$1=//p" "$UNIT"
}
exec_start=$(unit_key ExecStart)
# the binary itself, without a prefix ('-' would ignore any status)
case $exec_start in
"@BINDIR@/oomlens "*) pass "ExecStart= runs oomlens, without a prefix" ;;
*) fail "ExecStart= runs oomlens, without a prefix" "$exec_start" ;;
esac
# the codes the unit counts as success: 0 and SuccessExitStatus=
ok_codes=" 0 $(unit_key SuccessExitStatus | tr '\n' ' ') "
# unit_run STATE_DIRECTORY: ExecStart= with the unit's Environment= and
# StateDirectory= (as $STATE_DIRECTORY), nothing else that picks a database
unit_run() {
	# shellcheck disable=SC2046 # Environment= is a list of assignments
	env -u OOMLENS_DB -u STATE_DIRECTORY -u XDG_DATA_HOME -u HOME \
		$(unit_key Environment) STATE_DIRECTORY="$1" \
		$(printf '%s\n' "$exec_start" |
			sed "s|^@BINDIR@/oomlens|$OOMLENS|") >"$OUT" 2>"$ERR"
	RC=$?
}
expect_eq "$(unit_key StateDirectory)" oomlens "the unit's state directory"
U=$TEST_TMP/unit/var/lib/oomlens
mkdir -p "$U"
unit_run "$U"
case $RC in 0 | 1) pass "the service's first run" ;;
*) fail "the service's first run" "exit $RC" "$(cat "$ERR")" ;; esac
[ -f "$U/oomlens.db" ] && pass "it keeps its database in its state directory" ||
	fail "it keeps its database in its state directory" "$(ls -R "$TEST_TMP/unit")"
unit_run "$U"
case $ok_codes in
*" $RC "*) pass "a quiet run (nothing new) is a success to the unit" ;;
*) fail "a quiet run (nothing new) is a success to the unit" \
	"exit $RC, the unit's success:$ok_codes" "$(cat "$ERR")" ;;
esac
expect_err_empty "and says nothing (-q)"
: >"$TEST_TMP/unit/a-file"
unit_run "$TEST_TMP/unit/a-file"
case $ok_codes in
*" $RC "*) fail "a run without its database fails the unit" "exit $RC" ;;
*) pass "a run without its database fails the unit" ;;
esac
finish
