#!/bin/sh
# t0110-output: list, show and export of the seed scenario, compared with
# expected files (tests/expected/); JSON modes; exit statuses.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

E=$TESTS_DIR/expected
# syslog dates carry no year: it comes from the file's mtime, so pin it
mkdir "$TEST_TMP/in" && cd "$TEST_TMP/in" || exit 1
for f in postgres-6.8.kern.log two-reports-6.1.kern.log memcg-v2-5.15.dmesg; do
	cp "$FIXTURES/$f" . && touch -d "2026-11-22 12:00:00Z" "$f"
done
run_oomlens ingest -q postgres-6.8.kern.log two-reports-6.1.kern.log memcg-v2-5.15.dmesg
expect_rc 0 "ingest"
expect_out_empty "-q prints nothing"

run_oomlens list
expect_rc 0 "list"
expect_out_file "$E/list.txt" "list output"
run_oomlens list --json
expect_out_file "$E/list.json" "list --json output"
run_oomlens list --since 2026-11-21T14:00:00Z --until 2026-11-21T14:30:00Z
expect_out_contains "node (9921)" "--since/--until keep the event between"
expect_out_not_contains "postgres" "and drop the others"
run_oomlens list --since 2027-01-01
expect_rc 1 "nothing since then: exit 1"
expect_out_empty "and no header line"
run_oomlens list --since yesterday-ish
expect_rc 2 "a bad time is a usage error"
expect_err_contains "not a time" "says why"

run_oomlens show 1
expect_rc 0 "show"
expect_out_file "$E/show-1.txt" "show of the postgres kill"
run_oomlens show 3
expect_out_file "$E/show-3.txt" "show with a name with blanks and parentheses"
run_oomlens show --raw 4
expect_out_contains "Memory cgroup stats for" "--raw prints the report as logged"
run_oomlens show 99
expect_rc 1 "no such event: exit 1"
expect_err_contains "no event 99" "says so"
run_oomlens show abc
expect_rc 2 "a bad id is a usage error"
run_oomlens show
expect_rc 2 "show needs an id"

run_oomlens export
expect_rc 0 "export"
head -n 1 "$OUT" >"$TEST_TMP/first"
ingest_time_as_x <"$OUT" >"$TEST_TMP/x" && mv "$TEST_TMP/x" "$OUT"
expect_out_file "$E/export.ndjson" "export --format ecs output"
n=$(wc -l <"$OUT")
expect_eq "$n" 4 "one line per event"
run_oomlens show --json 1
expect_out_file "$TEST_TMP/first" "show --json is the export document"
run_oomlens export --raw --host db1
expect_out_contains '"original":"Nov 21 03:12:07 db1 kernel: [ 8123.456789] postgres invoked oom-killer' \
	"--raw adds event.original"
run_oomlens export --format cef
expect_rc 2 "unknown format"

# a failed write is a failure
if [ -w /dev/full ]; then
	"$OOMLENS" --db "$TEST_DB" export >/dev/full 2>"$ERR"
	RC=$?
	expect_rc 3 "writing to a full disk fails"
	expect_err_contains "cannot write output: No space left on device" \
		"and says so, with the write's own error"
	for fmt in csv otel; do
		"$OOMLENS" --db "$TEST_DB" export --format $fmt >/dev/full 2>"$ERR"
		RC=$?
		expect_rc 3 "export --format $fmt to a full disk fails"
		expect_err_contains "cannot write output: No space left on device" \
			"export --format $fmt: the write's own error"
	done
	"$OOMLENS" --db "$TEST_DB" show 1 >/dev/full 2>"$ERR"
	expect_err_contains "cannot write output: No space left on device" \
		"show: the write's own error"
fi
finish
