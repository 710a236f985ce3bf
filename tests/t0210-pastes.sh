#!/bin/sh
# t0210-pastes: every paste-* fixture (a clean fixture damaged the way a
# person's paste damages it, tests/fixtures/pastes.py) goes through the
# command line into the database: the number of events, the victim, the
# trigger and the constraint its facts name, and every flag of its facts
# shown by `show`.  (tests/unit/test-fixtures.c checks every fact of the
# parser's output; this checks the way to the store and back.)  A paste
# may warn about what it lost; it must not fail.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

mkdir "$TEST_TMP/in" && cd "$TEST_TMP/in" || exit 1
n=0
for facts in "$FIXTURES"/paste-*.facts; do
	[ -f "$FIXTURES/$(basename "$facts" .facts)" ] || continue
	n=$((n + 1))
	fixture_events "$facts"
	run_oomlens show 1
	case ,$(fact "$facts" r1.flags), in
	*,victim_from_*)
		expect_out_contains "named by the " "$name: show says which line named the victim" ;;
	esac
	for flag in $(fact "$facts" r1.flags | tr , ' '); do
		[ "$flag" = - ] && continue
		grep '^ *Flags:' "$OUT" | grep -qw -- "$flag"
		expect_eq $? 0 "$name: show names flag $flag"
	done
done
expect_eq "$([ "$n" -ge 1 ] && echo yes)" yes "paste fixtures found ($n)"

# a kill line cut inside the victim's name: the pid stays, no name is made up
printf '[ 8123.457330] Out of memory: Killed process 1201 (postgr\n' >cut.txt
TEST_DB=$TEST_TMP/cut.db
run_oomlens ingest cut.txt
expect_rc 0 "kill line cut in the name: ingest"
run_oomlens show 1
expect_out_contains "Killed:    (name cut off) (pid 1201)" "the name is said to be cut"
expect_out_contains "truncated" "and flagged"

# every flag a report can carry is explained in oomlens-export(1)
flags=$(sed -n '/report_flag_names\[\] = {/,/};/p' "$TESTS_DIR/../src/oom.c" |
	grep -o '"[a-z_]*"' | tr -d '"')
expect_eq "$([ "$(echo "$flags" | wc -w)" -ge 30 ] && echo yes)" yes "flag names read"
for flag in $flags; do
	grep -qF "fB$flag\\fR" "$TESTS_DIR/../man/oomlens-export.1"
	expect_eq $? 0 "oomlens-export(1) explains flag $flag"
done
finish
