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
	[ -f "$FIXTURES/$(basename "$facts" .facts)" ] || continue
	n=$((n + 1))
	fixture_events "$facts"
	expect_err_empty "$name: no warning"
	run_oomlens export
	rows=$(grep -o '"rss_pages":' "$OUT" | wc -l)
	expect_eq "$rows" "$(fact "$facts" r1.tasks)" "$name: task rows stored"
done
expect_eq "$([ "$n" -ge 25 ] && echo yes)" yes "all fixtures found ($n)"
finish
