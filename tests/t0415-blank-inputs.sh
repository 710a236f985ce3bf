#!/bin/sh
# t0415-blank-inputs: empty files, and files of blank lines only, share
# the head a file read before is recognised by (and its size and mtime
# when touched together): each is said to hold nothing, never "unchanged
# since the last ingest" on a database that never read it, and no blank
# line follows.  A file with lines is still recognised when read again.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

mkdir "$TEST_TMP/in" && cd "$TEST_TMP/in" || exit 1
: >empty1.log
: >empty2.log
printf '\n\n' >blank1.log
printf '\n\n' >blank2.log
cp "$FIXTURES/postgres-6.8.kern.log" full.log
touch -d "2026-11-22 12:00:00Z" ./*.log

run_oomlens ingest empty1.log empty2.log blank1.log blank2.log
expect_out_equals "empty1.log: 0 events (0 lines)
empty2.log: 0 events (0 lines)
blank1.log: 0 events (2 lines)
blank2.log: 0 events (2 lines)
stored 0 events from 4 inputs" "a new database: each input holds nothing"

run_oomlens ingest empty1.log blank2.log
expect_out_equals "empty1.log: 0 events (0 lines)
blank2.log: 0 events (2 lines)
stored 0 events from 2 inputs" "again: nothing to have read before"
run_oomlens sql "SELECT count(*) FROM sources"
expect_out_contains "       4" "no second source row for the same empty file"

run_oomlens ingest - - </dev/null
expect_out_equals "-: 0 events (0 lines)
-: 0 events (0 lines)
stored 0 events from 2 inputs" "empty stdin twice: not read before"

run_oomlens ingest -q full.log
run_oomlens ingest full.log
expect_out_equals "full.log: unchanged since the last ingest
stored 0 events from 1 input" "a file with lines is still known again"

finish
