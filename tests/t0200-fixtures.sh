#!/bin/sh
# t0200-fixtures: every era-* and wrap-* fixture goes through the command
# line into the database: the number of events, the victim and the trigger
# its facts file names, and no warning.  (tests/unit/test-fixtures.c
# checks every fact of the parser's output; this checks the way to the
# store and back.)
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

mkdir "$TEST_TMP/in" && cd "$TEST_TMP/in" || exit 1
n=0
for facts in "$FIXTURES"/era-*.facts "$FIXTURES"/wrap-*.facts; do
	name=$(basename "$facts" .facts)
	[ -f "$FIXTURES/$name" ] || continue
	n=$((n + 1))
	# syslog dates have no year: the file's mtime dates them
	cp "$FIXTURES/$name" . && touch -d "@$(fact "$facts" ref_time)" "$name"
	TEST_DB=$TEST_TMP/$name.db
	run_oomlens ingest "$name"
	reports=$(fact "$facts" reports)
	expect_rc 0 "$name: ingest"
	expect_out_contains "$name: $reports event" "$name: $reports event(s)"
	expect_err_empty "$name: no warning"
	run_oomlens list --json
	vpid=$(sed -n 's/^r1\.kill\.1\.pid=//p' "$facts")
	if [ -n "$vpid" ]; then
		expect_out_contains "\"victim\":{\"pid\":$vpid," "$name: victim $vpid"
	else
		expect_out_not_contains '"victim"' "$name: no victim invented"
	fi
	tpid=$(fact "$facts" r1.trigger_pid)
	tcomm=$(fact "$facts" r1.trigger_comm)
	expect_out_contains "\"trigger\":{\"pid\":$tpid,\"name\":\"$tcomm\"}" \
		"$name: trigger $tcomm ($tpid)"
	c=$(fact "$facts" r1.constraint)
	[ "$c" = - ] || expect_out_contains "\"constraint\":\"$c\"" "$name: constraint $c"
	run_oomlens export
	rows=$(grep -o '"rss_pages":' "$OUT" | wc -l)
	expect_eq "$rows" "$(fact "$facts" r1.tasks)" "$name: task rows stored"
done
expect_eq "$([ "$n" -ge 25 ] && echo yes)" yes "all fixtures found ($n)"
finish
