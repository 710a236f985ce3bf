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
	name=$(basename "$facts" .facts)
	[ -f "$FIXTURES/$name" ] || continue
	n=$((n + 1))
	cp "$FIXTURES/$name" . && touch -d "@$(fact "$facts" ref_time)" "$name"
	TEST_DB=$TEST_TMP/$name.db
	run_oomlens ingest "$name"
	reports=$(fact "$facts" reports)
	expect_rc 0 "$name: ingest"
	expect_out_contains "$name: $reports event" "$name: $reports event(s)"
	run_oomlens list --json
	vpid=$(sed -n 's/^r1\.kill\.1\.pid=//p' "$facts")
	if [ -n "$vpid" ]; then
		expect_out_contains "\"victim\":{\"pid\":$vpid," "$name: victim $vpid"
	else
		expect_out_not_contains '"victim"' "$name: no victim invented"
	fi
	tpid=$(fact "$facts" r1.trigger_pid)
	tcomm=$(fact "$facts" r1.trigger_comm)
	if [ "$tcomm" != - ]; then
		if [ "$tpid" = - ]; then
			expect_out_contains "\"trigger\":{\"name\":\"$tcomm\"}" \
				"$name: trigger $tcomm"
		else
			expect_out_contains "\"trigger\":{\"pid\":$tpid,\"name\":\"$tcomm\"}" \
				"$name: trigger $tcomm ($tpid)"
		fi
	fi
	c=$(fact "$facts" r1.constraint)
	[ "$c" = - ] || expect_out_contains "\"constraint\":\"$c\"" "$name: constraint $c"
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

# every flag a report can carry is explained in oomlens-export(1)
flags=$(sed -n '/report_flag_names\[\] = {/,/};/p' "$TESTS_DIR/../src/oom.c" |
	grep -o '"[a-z_]*"' | tr -d '"')
expect_eq "$([ "$(echo "$flags" | wc -w)" -ge 30 ] && echo yes)" yes "flag names read"
for flag in $flags; do
	grep -qF "fB$flag\\fR" "$TESTS_DIR/../man/oomlens-export.1"
	expect_eq $? 0 "oomlens-export(1) explains flag $flag"
done
finish
