#!/bin/sh
# t0610-journal-text: the same records through every journal input give the
# same events.  A journal file is built here from the seed fixture; it is
# ingested natively, as `journalctl -o export`, as `-o json` (as files,
# compressed, on stdin, in an archive, under names that say nothing), and
# as `-o short-iso-precise` text.  `export --format ecs` must be equal but
# for the source path; the text mode differs in two fields only, because
# journalctl's text does not print them: linux.oom.kernel_time_us (no
# "[mono]" stamp) and linux.oom.boot_id (no "-- Boot --" line before the
# first boot).  Damaged exports: each bad entry is a warning naming its
# file and line, and the rest is read.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/lib-journal.sh
. "$TESTS_DIR/lib-journal.sh"
need_journal_tools

BOOT=4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1
dmesg_export "$FIXTURES/postgres-6.8.dmesg" $BOOT db1 1795222603543211 0 \
	>"$TEST_TMP/in.export"
J=$TEST_TMP/db1.journal
build_journal "$J" "$TEST_TMP/in.export" ||
	skip_all "systemd-journal-remote cannot write here"
journalctl --file "$J" -o export >"$TEST_TMP/out.export"
journalctl --file "$J" -o json >"$TEST_TMP/out.json"
journalctl --file "$J" -o short-iso-precise >"$TEST_TMP/out.txt"

# ecs DB: the database's ECS documents without their source path and
# the time they were ingested
ecs() {
	"$OOMLENS" --db "$1" export --format ecs | ingest_time_as_x |
		sed 's/"path":"[^"]*"/"path":X/g; s/"source":"[^"]*"/"source":X/g'
}

# ingest_as NAME ARGS...: ingest into a database of its own, keep its ECS
ingest_as() {
	_name=$1
	shift
	TEST_DB=$TEST_TMP/$_name.db
	run_oomlens ingest "$@"
	ecs "$TEST_DB" >"$TEST_TMP/$_name.ecs"
}

ingest_as native "$J"
expect_rc 0 "the journal file"
grep -q '"kernel_time_us":8123456789' "$TEST_TMP/native.ecs" &&
	pass "native: kernel time" || fail "native: kernel time"
grep -q '"provenance":"journal-kernel"' "$TEST_TMP/native.ecs" &&
	pass "native: the journal's kernel entries are its provenance" ||
	fail "native: the journal's kernel entries are its provenance"

ingest_as export "$TEST_TMP/out.export"
expect_rc 0 "journalctl -o export"
expect_out_contains "out.export: 1 event (94 journal entries, 94 kernel)" \
	"export: entries counted"
if cmp -s "$TEST_TMP/native.ecs" "$TEST_TMP/export.ecs"; then
	pass "export gives the native events, field for field"
else
	fail "export gives the native events" "$(diff "$TEST_TMP/native.ecs" "$TEST_TMP/export.ecs" | head -5)"
fi

ingest_as json "$TEST_TMP/out.json"
expect_rc 0 "journalctl -o json"
cmp -s "$TEST_TMP/native.ecs" "$TEST_TMP/json.ecs" &&
	pass "json gives the native events, field for field" ||
	fail "json gives the native events" "$(diff "$TEST_TMP/native.ecs" "$TEST_TMP/json.ecs" | head -5)"

ingest_as text "$TEST_TMP/out.txt"
expect_rc 0 "journalctl -o short-iso-precise"
# journalctl's text is syslog text: its provenance is "text"
grep -q '"provenance":"text"' "$TEST_TMP/text.ecs" &&
	pass "journalctl's text is text, not the journal" ||
	fail "journalctl's text is text, not the journal"
notime='s/"kernel_time_us":[0-9]*,\{0,1\}//; s/"boot_id":"[0-9a-f]*",\{0,1\}//; s/"provenance":"[a-z-]*",//'
sed "$notime" "$TEST_TMP/native.ecs" >"$TEST_TMP/native-notime.ecs"
sed "$notime" "$TEST_TMP/text.ecs" >"$TEST_TMP/text-notime.ecs"
cmp -s "$TEST_TMP/native-notime.ecs" "$TEST_TMP/text-notime.ecs" &&
	pass "text gives the same events but for kernel time, boot id and provenance" ||
	fail "text gives the same events but for kernel time, boot id and provenance" \
		"$(diff "$TEST_TMP/native-notime.ecs" "$TEST_TMP/text-notime.ecs" | head -5)"
grep -q kernel_time_us "$TEST_TMP/text.ecs" &&
	fail "text: no kernel time is invented" || pass "text: no kernel time is invented"

# by content, not by name: compressed, renamed, on stdin, in an archive
gzip -c "$TEST_TMP/out.export" >"$TEST_TMP/a.log"
xz -c "$TEST_TMP/out.json" >"$TEST_TMP/b.dat"
ingest_as gz "$TEST_TMP/a.log"
expect_out_contains "a.log: 1 event (94 journal entries" "gzip'd export named .log"
cmp -s "$TEST_TMP/native.ecs" "$TEST_TMP/gz.ecs" && pass "gzip'd export: same events" ||
	fail "gzip'd export: same events"
ingest_as xz "$TEST_TMP/b.dat"
expect_out_contains "b.dat: 1 event (94 journal entries" "xz'd json named .dat"
ingest_as stdin - <"$TEST_TMP/out.json"
expect_out_contains "-: 1 event (94 journal entries" "json on stdin"
cmp -s "$TEST_TMP/native.ecs" "$TEST_TMP/stdin.ecs" && pass "stdin: same events" ||
	fail "stdin: same events"
mkdir "$TEST_TMP/ar"
cp "$TEST_TMP/a.log" "$TEST_TMP/out.json" "$TEST_TMP/ar/"
tar -C "$TEST_TMP/ar" -czf "$TEST_TMP/logs.tgz" a.log out.json
ingest_as tar "$TEST_TMP/logs.tgz"
expect_rc 0 "an archive of exports"
expect_out_contains "logs.tgz:a.log: 1 event (94 journal entries" "export member"
expect_out_contains "logs.tgz:out.json: 1 event (94 journal entries" "json member"
expect_out_contains "stored 1 new event, 1 already known, from 2 inputs" \
	"both members read, the second a copy of the first"
run_oomlens list --json
[ "$(grep -c '"victim"' "$OUT")" = 1 ] && pass "the two copies are one event" ||
	fail "the two copies are one event" "$(cat "$OUT")"

# trust: a forged kernel kill line in an export is no event
forged_export $BOOT db1 1795230800000000 >"$TEST_TMP/forged.export"
ingest_as forged "$TEST_TMP/forged.export"
expect_rc 1 "a userspace 'kernel' entry is not an event"
expect_out_contains "(1 journal entry, 0 kernel)" "it is read, as userspace (one entry)"

# trust: a userspace killer's entry counts only from the killer itself
# (its _COMM): `logger -t earlyoom` is recorded as forged, never a kill
earlyoom_export $BOOT db1 1795230800000000 earlyoom >"$TEST_TMP/eo.export"
earlyoom_export $BOOT db1 1795230900000000 logger >"$TEST_TMP/eo-forged.export"
build_journal "$TEST_TMP/eo.journal" "$TEST_TMP/eo.export" "$TEST_TMP/eo-forged.export"
for eo in "$TEST_TMP/eo.export" "$TEST_TMP/eo.journal"; do
	TEST_DB=$TEST_TMP/eo-$(basename "$eo").db
	rm -f "$TEST_DB"
	run_oomlens ingest "$eo" "$TEST_TMP/eo-forged.export"
	run_oomlens export --killer earlyoom
	expect_eq "$(grep -c '"killer":"earlyoom"' "$OUT")" 1 \
		"$(basename "$eo"): earlyoom's own entry is its kill, the impostor's is not"
	run_oomlens sql --csv "SELECT actor, kind FROM actions WHERE kind = 'forged'"
	expect_out_contains "earlyoom-forged,forged" \
		"$(basename "$eo"): logger -t earlyoom is recorded as forged"
done

# trust: journald's _EXE and _UID/_SYSTEMD_UNIT too.  A process can name
# itself earlyoom (prctl, a copy of any program in /tmp), and the real
# earlyoom run from a user's session can be made to say anything
# (LD_PRELOAD); the service itself runs from /usr as a system unit, under
# a dynamic uid
T=1795231000000000
earlyoom_export $BOOT db1 $T earlyoom /tmp/earlyoom 1000 session-3.scope >"$TEST_TMP/eo-tmp.export"
earlyoom_export $BOOT db1 $((T + 600000000)) earlyoom /usr/bin/earlyoom 1000 session-3.scope \
	>"$TEST_TMP/eo-session.export"
earlyoom_export $BOOT db1 $((T + 1200000000)) earlyoom /usr/bin/earlyoom 1000 user@1000.service \
	>"$TEST_TMP/eo-user.export"
earlyoom_export $BOOT db1 $((T + 1800000000)) earlyoom /usr/bin/earlyoom 61234 earlyoom.service \
	>"$TEST_TMP/eo-service.export"
cat "$TEST_TMP"/eo-tmp.export "$TEST_TMP"/eo-session.export \
	"$TEST_TMP"/eo-user.export "$TEST_TMP"/eo-service.export >"$TEST_TMP/eo-fields.export"
build_journal "$TEST_TMP/eo-fields.journal" "$TEST_TMP/eo-fields.export"
for eo in eo-fields.export eo-fields.journal; do
	TEST_DB=$TEST_TMP/$eo.db
	run_oomlens ingest -q "$TEST_TMP/$eo"
	run_oomlens sql --csv "SELECT kind, count(*) FROM actions GROUP BY kind ORDER BY kind"
	expect_eq "$(tr -d '\r' <"$OUT")" "kind,count(*)
earlyoom-kill,1
forged,3" "$eo: a copy in /tmp, the real one in a session or a user manager: forged; the service: a kill"
	run_oomlens export --killer earlyoom
	expect_eq "$(grep -c '"killer":"earlyoom"' "$OUT")" 1 "$eo: only the service's entry is an event"
done

# damage: a bad field name in entry 3, a broken JSON line; the rest is read
awk 'BEGIN { e = 1 } /^$/ { e++ } e == 3 && !done { print "not a field"; done = 1 } { print }' \
	"$TEST_TMP/out.export" >"$TEST_TMP/bad.export"
bad_line=$(grep -n '^not a field$' "$TEST_TMP/bad.export" | cut -d: -f1)
ingest_as bad "$TEST_TMP/bad.export"
expect_rc 0 "a damaged export is read"
expect_err_contains "bad.export:$bad_line: not a journal export field: 'not a field', entry skipped" \
	"the bad entry is named by file and line"
expect_out_contains "1 event (93 journal entries" "the other entries are read"
{ head -n 2 "$TEST_TMP/out.json"; echo '{"_TRANSPORT": "kernel", "MESSAGE": "broken'; tail -n +3 "$TEST_TMP/out.json"; } \
	>"$TEST_TMP/bad.json"
ingest_as badjson "$TEST_TMP/bad.json"
expect_rc 0 "a damaged json export is read"
expect_err_contains "bad.json:3: not a journal JSON object, entry skipped" \
	"the bad line is named"
cmp -s "$TEST_TMP/native.ecs" "$TEST_TMP/badjson.ecs" &&
	pass "an unrelated broken line costs nothing" ||
	fail "an unrelated broken line costs nothing"
# an export cut in the middle of a field: what came before is read
head -c 20000 "$TEST_TMP/out.export" >"$TEST_TMP/cut.export"
ingest_as cut "$TEST_TMP/cut.export"
expect_err_contains "cut.export:" "the cut is named"
expect_err_contains "cut short at the end of the input" "and said"
case $RC in
0 | 1) pass "a cut export is no error: its entries are read" ;;
*) fail "a cut export is no error" "rc=$RC" ;;
esac
finish
