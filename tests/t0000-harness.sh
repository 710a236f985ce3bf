#!/bin/sh
# t0000-harness: checks tests/lib.sh itself, with true/false/printf and a
# fake binary standing in for oomlens.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

# A helper that must fail: run it in a subshell, silenced, and expect 1.
expect_helper_fails() {
	_desc=$1
	shift
	if ("$@") >/dev/null 2>&1; then
		fail "$_desc: the helper did not report the failure"
	else
		pass "$_desc"
	fi
}

# --- run_oomlens, expect_rc ---
OOMLENS=true
run_oomlens
expect_rc 0 "true exits 0"
expect_out_empty "true prints nothing on stdout"
expect_err_empty "true prints nothing on stderr"

OOMLENS=false
run_oomlens
expect_rc 1 "false exits 1"
expect_helper_fails "expect_rc detects a wrong status" expect_rc 0 "x"

# --- stdout / stderr capture ---
TEST_DB=
OOMLENS='printf'
run_oomlens 'alpha %s\nbeta\n' one
expect_rc 0 "printf exits 0"
expect_out_contains "alpha one" "stdout is captured"
expect_out_contains "one
beta" "expect_out_contains matches across lines"
expect_out_not_contains "gamma" "expect_out_not_contains"
expect_helper_fails "expect_out_contains detects a missing string" \
	expect_out_contains "gamma" "x"
expect_helper_fails "expect_out_contains takes the string literally" \
	expect_out_contains "al*one" "x"
expect_out_equals "alpha one
beta" "expect_out_equals"
expect_helper_fails "expect_out_equals detects a difference" \
	expect_out_equals "alpha one" "x"

printf 'alpha one\nbeta\n' >"$TEST_TMP/expected"
expect_out_file "$TEST_TMP/expected" "expect_out_file matches"
printf 'alpha two\nbeta\n' >"$TEST_TMP/expected"
expect_helper_fails "expect_out_file detects a difference" \
	expect_out_file "$TEST_TMP/expected" "x"
diff_text=$( (expect_out_file "$TEST_TMP/expected" "x") 2>&1)
case $diff_text in
*"-alpha two"*"+alpha one"*) pass "expect_out_file prints the diff" ;;
*) fail "expect_out_file prints the diff" "got: $diff_text" ;;
esac

OOMLENS='sh'
run_oomlens -c 'echo oops >&2; exit 3'
expect_rc 3 "the exit status is kept"
expect_err_contains "oops" "stderr is captured"
expect_out_empty "stderr does not leak into stdout"
expect_helper_fails "expect_err_contains detects a missing string" \
	expect_err_contains "nope" "x"
expect_helper_fails "expect_err_empty detects output" expect_err_empty "x"

echo input >"$TEST_TMP/input"
run_oomlens -c 'cat' <"$TEST_TMP/input"
expect_out_equals "input" "run_oomlens passes stdin through"

# --- --db ---
fake=$TEST_TMP/fake-oomlens
printf '#!/bin/sh\nprintf "[%%s]" "$@"\necho\n' >"$fake"
chmod +x "$fake"
OOMLENS=$fake
TEST_DB=$TEST_TMP/x.db
run_oomlens report --json
expect_out_equals "[--db][$TEST_TMP/x.db][report][--json]" \
	"run_oomlens passes --db \$TEST_DB first"
TEST_DB=
run_oomlens report
expect_out_equals "[report]" "an empty TEST_DB passes no --db"

# --- expect_eq, fact ---
expect_eq "a b" "a b" "expect_eq on equal strings"
expect_helper_fails "expect_eq detects a difference" expect_eq a b "x"
printf 'victim_pid=1201\nhost=db1\nempty=\n' >"$TEST_TMP/t.facts"
expect_eq "$(fact "$TEST_TMP/t.facts" victim_pid)" 1201 "fact reads a key"
expect_eq "$(fact "$TEST_TMP/t.facts" empty)" "" "fact reads an empty value"
if fact "$TEST_TMP/t.facts" nope >/dev/null 2>&1; then
	fail "fact fails on a missing key"
else
	pass "fact fails on a missing key"
fi

# --- environment from tests/run.sh (or lib.sh's defaults) ---
expect_eq "$TZ" UTC "TZ is UTC"
expect_eq "$LC_ALL" C "LC_ALL is C"
case $FIXTURES in
/*) pass "FIXTURES is absolute" ;;
*) fail "FIXTURES is absolute" "FIXTURES=$FIXTURES" ;;
esac
if [ -d "$TEST_TMP" ] && [ -w "$TEST_TMP" ]; then
	pass "TEST_TMP is a writable directory"
else
	fail "TEST_TMP is a writable directory" "TEST_TMP=$TEST_TMP"
fi

# --- finish and skip_all, in subshells ---
closing=$(
	_t_pass=2 _t_fail=1
	finish
)
status=$?
expect_eq "$closing" "$TEST_NAME: 2 passed, 1 failed" "finish prints the closing line"
expect_eq "$status" 1 "finish exits 1 after a failure"
closing=$(
	_t_pass=0 _t_fail=0
	finish
)
status=$?
expect_eq "$(printf '%s\n' "$closing" | tail -n 1)" "$TEST_NAME: 0 passed, 1 failed" \
	"finish counts a test without checks as failed"
expect_eq "$status" 1 "finish exits 1 for a test without checks"
closing=$(skip_all "no frobnicator")
status=$?
expect_eq "$(printf '%s\n' "$closing" | tail -n 1)" "$TEST_NAME: 0 passed, 0 failed" \
	"skip_all prints a zero closing line"
expect_eq "$status" 0 "skip_all exits 0"

finish
