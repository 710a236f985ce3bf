#!/bin/sh
# t0020-readme: the README's samples of output are today's output.  Each
# sample (a fenced block that starts with "Verdict" or "$ oomlens") is run
# on the input the README names, under a UTF-8 locale, and every line of
# the sample must be a line of the output, in order: a sample may leave
# lines out ("..." or nothing), never show a line oomlens does not print.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

README=$(dirname "$TESTS_DIR")/README.md

# sample FIRST_LINE: the fenced block of the README whose first line
# starts with FIRST_LINE, without its fences
sample() {
	awk -v first="$1" '
	/^```/ { if (inblock) { if (found) exit; inblock = 0 } else { inblock = 1; start = 1 } next }
	inblock && start { start = 0; if (index($0, first) == 1) found = 1 }
	inblock && found { print }' "$README"
}

# shown_in SAMPLE OUTPUT DESCRIPTION: each line of SAMPLE but "..." and
# blank ones is a line of OUTPUT, in order (trailing blanks aside)
shown_in() {
	if awk '
	{ sub(/[ \t]+$/, "") }
	NR == FNR { if ($0 != "..." && $0 != "") want[++n] = $0; next }
	i < n && $0 == want[i + 1] { i++ }
	END {
		if (i < n) {
			print "not printed (or not in this order): " want[i + 1]
			exit 1
		}
	}' "$1" "$2" >"$TEST_TMP/shown.err"; then
		pass "$3"
	else
		fail "$3" "$(cat "$TEST_TMP/shown.err")"
	fi
}

# the bundled sample, where make demo reads it (dated: syslog has no year)
mkdir -p tests/fixtures
cp "$FIXTURES/postgres-6.8.kern.log" tests/fixtures/ &&
	touch -d "2026-11-22 12:00:00Z" tests/fixtures/postgres-6.8.kern.log
run_oomlens ingest -q tests/fixtures/postgres-6.8.kern.log
expect_rc 0 "ingest the bundled sample"
LC_ALL=C.UTF-8
export LC_ALL

sample "Verdict (adj-shielded)" >"$TEST_TMP/why.sample"
[ -s "$TEST_TMP/why.sample" ] && pass "the README shows why postgres" ||
	fail "the README shows why postgres"
run_oomlens why postgres
shown_in "$TEST_TMP/why.sample" "$OUT" "README: why postgres"

# the demo's list and show, each after its "$ oomlens" line
sample '$ oomlens list' >"$TEST_TMP/demo.sample"
n=0
for cmd in "list" "show 1"; do
	awk -v cmd="\$ oomlens $cmd" '
	/^\$ oomlens / { on = ($0 == cmd); next }
	on' "$TEST_TMP/demo.sample" >"$TEST_TMP/cmd.sample"
	[ -s "$TEST_TMP/cmd.sample" ] && n=$((n + 1))
	# shellcheck disable=SC2086 # the command's words
	run_oomlens $cmd
	shown_in "$TEST_TMP/cmd.sample" "$OUT" "README: oomlens $cmd"
done
expect_eq "$n" 2 "the README shows the demo's list and show"

# the shared-memory story, on its fixture
TEST_DB=$TEST_TMP/shared.db
run_oomlens ingest -q "$FIXTURES/diag-shared-5.10.dmesg"
sample "Verdict (shared-memory)" >"$TEST_TMP/shared.sample"
[ -s "$TEST_TMP/shared.sample" ] && pass "the README shows the shared-memory story" ||
	fail "the README shows the shared-memory story"
run_oomlens why postgres
shown_in "$TEST_TMP/shared.sample" "$OUT" "README: why postgres (shared memory)"
finish
