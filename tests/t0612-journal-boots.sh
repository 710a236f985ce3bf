#!/bin/sh
# t0612-journal-boots: several boots and two hosts in one journal.
# db1 boot A holds two reports, db1 boot B one (at the same kernel time
# as one of boot A's: a reboot starts the clock again), web1 boot C one
# (also at that kernel time: another host).  Read as one journal file, as
# a directory of one file per host, and as the json export of the file:
# each gives 4 events, each with its host, boot id and wall clock.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/lib-journal.sh
. "$TESTS_DIR/lib-journal.sh"
need_journal_tools

A=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
B=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
C=cccccccccccccccccccccccccccccccc
DM=$FIXTURES/postgres-6.8.dmesg
# kernel time of the report: 8123.456789 s; boot A 2026-11-21T00:56:43Z
# (report at 03:12:07 and 03:28:47), boot B a day later, web1 an hour on
dmesg_export "$DM" $A db1 1795222603543211 0 2 1000000000 >"$TEST_TMP/a.export"
dmesg_export "$DM" $B db1 1795309003543211 0 >"$TEST_TMP/b.export"
dmesg_export "$DM" $C web1 1795226203543211 0 >"$TEST_TMP/c.export"
mkdir "$TEST_TMP/dir"
build_journal "$TEST_TMP/all.journal" "$TEST_TMP/a.export" "$TEST_TMP/b.export" \
	"$TEST_TMP/c.export" || skip_all "systemd-journal-remote cannot write here"
build_journal "$TEST_TMP/dir/db1.journal" "$TEST_TMP/a.export" "$TEST_TMP/b.export"
build_journal "$TEST_TMP/dir/web1.journal" "$TEST_TMP/c.export"
journalctl --file "$TEST_TMP/all.journal" -o json >"$TEST_TMP/all.json"

# the expected events: host boot time, one a line, sorted
cat >"$TEST_TMP/want" <<EOF
db1 $A 2026-11-21T03:12:07Z
db1 $A 2026-11-21T03:28:47Z
db1 $B 2026-11-22T03:12:07Z
web1 $C 2026-11-21T04:12:07Z
EOF

# got: host, boot id and time of every stored event
got() {
	"$OOMLENS" --db "$TEST_DB" export |
		sed -n 's/^{"@timestamp":"\([^"]*\)".*"host":{"name":"\([^"]*\)"}.*"boot_id":"\([0-9a-f]*\)".*/\2 \3 \1/p' |
		sort >"$TEST_TMP/got"
}

check() {
	got
	if cmp -s "$TEST_TMP/want" "$TEST_TMP/got"; then
		pass "$1: events per host and boot"
	else
		fail "$1: events per host and boot" "$(diff "$TEST_TMP/want" "$TEST_TMP/got")"
	fi
}

TEST_DB=$TEST_TMP/file.db
run_oomlens ingest "$TEST_TMP/all.journal"
expect_rc 0 "one journal file of two hosts and three boots"
expect_out_contains "all.journal: 4 events" "four events"
check "one file"
run_oomlens list --host web1
expect_out_contains "web1" "list --host web1"
[ "$(grep -c postgres "$OUT")" = 1 ] && pass "web1 has one" || fail "web1 has one" "$(cat "$OUT")"

TEST_DB=$TEST_TMP/dir.db
run_oomlens ingest --journal-dir "$TEST_TMP/dir"
expect_rc 0 "a directory of one file per host"
expect_out_contains "4 events" "four events through the directory"
check "directory"
# the boot markers reach the parser once per boot change, interleaved
# hosts included: each event keeps its own boot
run_oomlens ingest --journal-dir "$TEST_TMP/dir"
expect_rc 1 "the directory resumes after its cursor"

TEST_DB=$TEST_TMP/json.db
run_oomlens ingest "$TEST_TMP/all.json"
expect_rc 0 "the json export of the file"
check "json export"
finish
