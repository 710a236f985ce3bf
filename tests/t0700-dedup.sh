#!/bin/sh
# t0700-dedup: the same OOM reaches dmesg, kern.log, /var/log/messages and
# the journal: it is stored once, with every input it was seen in; the
# more complete copy wins; ingesting the same files again adds nothing.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

count() {
	run_oomlens sql --csv "$1"
	sed -n 2p "$OUT" | tr -d '\r'
}

run_oomlens ingest -q --host db1 "$FIXTURES/postgres-6.8.dmesg"
run_oomlens ingest -q "$(pinned postgres-6.8.kern.log)" \
	"$(pinned postgres-6.8.messages)" "$(pinned postgres-6.8.journal.txt)"
expect_rc 0 "ingest four logs of one host"
expect_eq "$(count 'SELECT count(*) FROM events')" 1 "one OOM, one event"
expect_eq "$(count 'SELECT count(*) FROM event_sources')" 4 "seen in four inputs"
run_oomlens list --json
expect_out_contains '"victim":{"pid":1201,"name":"postgres"}' "the event is the postgres kill"
expect_out_contains '"time":"2026-11-21T03:12:07Z"' "with the wall clock of the syslog copies"

run_oomlens ingest "$(pinned postgres-6.8.kern.log)"
expect_eq "$(count 'SELECT count(*) FROM events')" 1 "ingesting a file again adds nothing"

# a cut copy first, the whole report later: the whole one is kept
TEST_DB=$TEST_TMP/cut.db
sed '/Tasks state/,$d' "$(pinned postgres-6.8.kern.log)" >"$TEST_TMP/cut.kern.log"
touch -d "2026-11-22 12:00:00Z" "$TEST_TMP/cut.kern.log"
run_oomlens ingest -q "$TEST_TMP/cut.kern.log"
run_oomlens show 1
expect_out_contains "No task dump in the log" "the cut copy alone has no dump"
run_oomlens ingest -q "$(pinned postgres-6.8.kern.log)"
expect_eq "$(count 'SELECT count(*) FROM events')" 1 "still one event"
expect_eq "$(count 'SELECT count(*) FROM tasks')" 25 "now with the whole dump"
expect_eq "$(count 'SELECT count(*) FROM event_sources')" 2 "and both inputs"

# two hosts with the same report text are two OOMs
TEST_DB=$TEST_TMP/hosts.db
run_oomlens ingest -q --host web1 "$FIXTURES/postgres-6.8.dmesg"
run_oomlens ingest -q --host web2 "$FIXTURES/postgres-6.8.dmesg"
expect_eq "$(count 'SELECT count(*) FROM events')" 2 "the host is part of an OOM's identity"

# the same stdin, or the same archive member, read again adds nothing: no
# second source row, no new links, and the closing line says so
TEST_DB=$TEST_TMP/again.db
for i in 1 2 3; do
	"$OOMLENS" --db "$TEST_DB" ingest - <"$FIXTURES/postgres-6.8.dmesg" >"$OUT" 2>"$ERR"
done
expect_out_contains "-: 1 event (94 lines), read before: nothing new stored" \
	"stdin again: said"
expect_out_contains "stored 0 new events, 1 already known, from 1 input" \
	"stdin again: counted as known"
expect_eq "$(count 'SELECT count(*) FROM sources')" 1 "stdin three times: one source"
expect_eq "$(count 'SELECT count(*) FROM event_sources')" 1 "and one link"
mkdir "$TEST_TMP/ar" && cp "$FIXTURES/postgres-6.8.dmesg" "$TEST_TMP/ar/db1.dmesg"
tar -C "$TEST_TMP/ar" -cf "$TEST_TMP/ar.tar" db1.dmesg
run_oomlens ingest "$TEST_TMP/ar.tar"
run_oomlens ingest "$TEST_TMP/ar.tar"
expect_out_contains "read before: nothing new stored" "the member again: said"
expect_eq "$(count 'SELECT count(*) FROM sources')" 2 "the member twice: one source more"
expect_eq "$(count 'SELECT count(*) FROM event_sources')" 2 "and one link more"
finish
