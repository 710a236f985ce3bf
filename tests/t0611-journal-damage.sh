#!/bin/sh
# t0611-journal-damage: damaged journal files built here (40 reports):
#  - bytes overwritten at points across the file's objects: never a
#    crash; at least the events journalctl itself can show are stored
#    (sd-journal skips what it cannot read, and silently stops at broken
#    entry arrays of its matches: oomlens reads again from the head
#    without them, and when that stops early too it keeps what came
#    before and fails the input, naming the file);
#    the other input of the same run is stored;
#  - a match whose data object cannot be found by its hash finds nothing
#    (without a word): read again without matches, every report stored;
#  - a file cut in half: sd-journal refuses it (its header says more),
#    the message names the file, exit status 3, the other input stored.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/lib-journal.sh
. "$TESTS_DIR/lib-journal.sh"
need_journal_tools

dmesg_export "$FIXTURES/postgres-6.8.dmesg" 4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1 \
	db1 1795222603543211 0 40 1000000000 >"$TEST_TMP/in.export"
J=$TEST_TMP/good.journal
build_journal "$J" "$TEST_TMP/in.export" ||
	skip_all "systemd-journal-remote cannot write here"
DMESG=$FIXTURES/postgres-6.8.dmesg
# the offset of the last object (header field tail_object_offset)
tail_off=$(od -An -tu8 -j 136 -N 8 "$J" | tr -d ' ')
[ "$tail_off" -gt 100000 ] && pass "journal built" || fail "journal built" "$tail_off"

# events NAME: db1's events in database NAME
events() {
	"$OOMLENS" --db "$TEST_TMP/$1.db" export --host db1 2>/dev/null | wc -l
}

for pm in 800 820 850 880 900 920 940 960 980 995; do
	B=$TEST_TMP/bad$pm.journal
	cp "$J" "$B"
	head -c 4096 /dev/zero | tr '\000' '\377' |
		dd of="$B" bs=1 seek=$((tail_off * pm / 1000)) conv=notrunc 2>/dev/null
	TEST_DB=$TEST_TMP/n$pm.db
	run_oomlens ingest -q "$B" "$DMESG"
	case $RC in
	0) ;;
	3)
		expect_err_contains "'$B': the journal ends early" \
			"damage at $pm/1000: the input is named"
		;;
	*) fail "damage at $pm/1000: exit 0 or 3, not $RC" "$(head -5 "$ERR")" ;;
	esac
	"$OOMLENS" --db "$TEST_DB" list >"$TEST_TMP/list" 2>&1
	grep -q ' -  *postgres' "$TEST_TMP/list" && pass "damage at $pm/1000: the other input is stored" ||
		fail "damage at $pm/1000: the other input is stored" "$(cat "$TEST_TMP/list")"
	TEST_DB=$TEST_TMP/t$pm.db
	journalctl --file "$B" -o short-iso-precise 2>/dev/null >"$TEST_TMP/t.txt"
	run_oomlens ingest -q "$TEST_TMP/t.txt"
	native=$(events n$pm)
	text=$(events t$pm)
	if [ "$native" -ge "$text" ] && [ "$native" -gt 0 ]; then
		pass "damage at $pm/1000: $native events, journalctl shows $text"
	else
		fail "damage at $pm/1000: at least what journalctl shows" \
			"native $native, journalctl $text"
	fi
done

# a journal whose kernel values' hashes are broken (unhash, lib.sh): the
# match finds a userspace story entry and no kernel entry: a read that
# trusts the match stores 0 of the 40 reports
earlyoom_export 4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1 db1 1795222603000000 earlyoom \
	>"$TEST_TMP/story.export"
build_journal "$TEST_TMP/unhashed.journal" "$TEST_TMP/story.export" \
	"$TEST_TMP/in.export"
build_journal "$TEST_TMP/unhashed-bare.journal" "$TEST_TMP/in.export"
for H in "$TEST_TMP/unhashed.journal" "$TEST_TMP/unhashed-bare.journal"; do
	for f in _TRANSPORT=kernel SYSLOG_IDENTIFIER=kernel; do
		unhash "$f" "$H" || fail "'$f' is in the journal built"
	done
	name=$(basename "$H")
	[ "$(journalctl --file "$H" _TRANSPORT=kernel 2>/dev/null | grep -c 'Out of memory')" = 0 ] &&
		pass "$name: the match finds no kernel entry" ||
		fail "$name: the match finds no kernel entry"
	TEST_DB=$TEST_TMP/$name.db
	run_oomlens ingest "$H"
	expect_rc 0 "$name: a match lost by its hash, read whole"
	expect_out_contains "entries, 3760 kernel)" \
		"$name: a match lost by its hash, every report stored"
done

head -c $((tail_off / 2)) "$J" >"$TEST_TMP/cut.journal"
TEST_DB=$TEST_TMP/cut.db
run_oomlens ingest "$TEST_TMP/cut.journal" "$DMESG"
expect_rc 3 "a journal file cut in half is a failed input"
expect_err_contains "cannot open journal file '$TEST_TMP/cut.journal': No data available (shorter than its header says: truncated?)" \
	"the message names the file"
expect_out_contains "postgres-6.8.dmesg: 1 event" "the other input is stored"
finish
