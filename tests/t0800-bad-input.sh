#!/bin/sh
# t0800-bad-input: inputs that are broken, each ingested in one run with a
# good log (which must still be stored), each with its message (naming the
# file, and the line where there is one) and exit status, and the
# database's counts checked after each: nothing half-written committed.
# The bad inputs are made here: empty, binary garbage, NUL bytes inside a
# log, a 10 MB line, invalid UTF-8 in task names, CRLF line ends, a
# corrupt gzip, a truncated xz, a corrupt journal file, a missing and an
# unreadable path, a symbolic-link loop, a full disk (a file size limit)
# and a read-only database.  Root reads and writes anything, so the
# unreadable path and the read-only database are tried as an unprivileged
# user (setpriv) when the test runs as root.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/lib-journal.sh
. "$TESTS_DIR/lib-journal.sh"

GEN=$TESTS_DIR/../scripts/gen-reports.sh
cd "$TEST_TMP" || exit 1
GOOD=$(pinned postgres-6.8.kern.log)

# count TABLE: its rows in $TEST_DB
count() {
	"$OOMLENS" --db "$TEST_DB" sql --csv "SELECT count(*) FROM $1" | tr -d '\r' | sed -n 2p
}

# good_stored DESCRIPTION: the good log of the run was stored
good_stored() {
	expect_out_contains "postgres-6.8.kern.log: 1 event" "$1: the good log is stored"
}

# --- empty file: nothing to say but its counts ---
TEST_DB=$TEST_TMP/empty.db
: >empty.log
run_oomlens ingest empty.log "$GOOD"
expect_rc 0 "empty: not an error"
expect_out_contains "empty.log: 0 events (0 lines)" "empty: named, with its counts"
good_stored "empty"
expect_eq "$(count events)" 1 "empty: one event in all"

# --- binary garbage (deterministic bytes, NULs and controls among them) ---
TEST_DB=$TEST_TMP/garbage.db
perl -e 'srand(8); print map { chr(int(rand(256))) } 1 .. 65536' >garbage.bin
run_oomlens ingest garbage.bin "$GOOD"
expect_rc 0 "garbage: skipped, not an error"
expect_err_contains "skipping 'garbage.bin': binary, not a text log" "garbage: named and skipped"
good_stored "garbage"
expect_eq "$(count events)" 1 "garbage: nothing stored from it"

# --- NUL bytes inside a log: the hole a crash leaves before a line ---
TEST_DB=$TEST_TMP/nul.db
{
	head -n 1 "$FIXTURES/era-4.19.kern.log"
	head -c 6000 /dev/zero
	tail -n +2 "$FIXTURES/era-4.19.kern.log"
} >holes.log
printf 'a\000b\000\000c\n' >>holes.log
run_oomlens ingest holes.log "$GOOD"
expect_rc 0 "NUL bytes: read"
expect_out_contains "holes.log: 1 event" "NUL bytes: the report after the hole is read"
good_stored "NUL bytes"
run_oomlens list --json
expect_out_contains '"host":"gke-pool-1-b2c","victim":{"pid":31877,"name":"python3"},"trigger":{"pid":31877,"name":"python3"}' \
	"NUL bytes: the line right after the hole keeps its prefix (host, trigger)"
expect_eq "$(count events)" 2 "NUL bytes: two events"

# --- a 10 MB line, then a report ---
TEST_DB=$TEST_TMP/long.db
{
	printf 'Nov 21 05:00:00 gke-pool-1-b2c kernel: [ 1100.000000] '
	head -c 10485760 /dev/zero | tr '\0' 'x'
	echo
	cat "$FIXTURES/era-4.19.kern.log"
} >long.log
touch -d "2026-11-22 12:00:00Z" long.log
run_oomlens ingest long.log "$GOOD"
expect_rc 0 "10 MB line: read"
expect_err_contains "long.log:1: a line longer than 64 KiB: the rest of it is skipped" \
	"10 MB line: file and line named"
expect_out_contains "long.log: 1 event (28 lines)" "10 MB line: the report after it is read, lines counted"
good_stored "10 MB line"
expect_eq "$(count events)" 2 "10 MB line: two events"

# --- invalid UTF-8 in task names: stored as read, exported as valid JSON ---
TEST_DB=$TEST_TMP/utf8.db
sed 's/pytest/py\xff\xfe\xc3test/g; s/(postgres)/(post\xe2\x82gres)/' "$GOOD" >badutf8.log
touch -d "2026-11-22 12:00:00Z" badutf8.log
run_oomlens ingest badutf8.log
expect_rc 0 "invalid UTF-8: read"
expect_eq "$("$OOMLENS" --db "$TEST_DB" sql --csv "SELECT hex(name) FROM tasks WHERE pid = 3456" | tr -d '\r' | sed -n 2p)" \
	"$(printf 'py\377\376\303test' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)" \
	"invalid UTF-8: the task name is stored byte for byte"
for cmd in "export" "export --raw" "list --json" "show --json 1" "sql --json"; do
	# shellcheck disable=SC2086 # cmd is a word list
	case $cmd in
	sql*) run_oomlens $cmd "SELECT name FROM tasks" ;;
	*) run_oomlens $cmd ;;
	esac
	expect_rc 0 "invalid UTF-8: $cmd runs"
	if iconv -f UTF-8 -t UTF-8 "$OUT" >/dev/null 2>&1; then
		pass "invalid UTF-8: $cmd writes valid UTF-8"
	else
		fail "invalid UTF-8: $cmd writes valid UTF-8"
	fi
done
run_oomlens export
SHAPE=$(dirname "$OOMLENS")/tests/test-output
[ -x "$SHAPE" ] || SHAPE=$TESTS_DIR/../build/plain/tests/test-output
if [ -x "$SHAPE" ] && "$SHAPE" --shape ecs "$OUT" >shape.out 2>&1; then
	pass "invalid UTF-8: the export is ECS JSON"
else
	fail "invalid UTF-8: the export is ECS JSON" "$(tail -n 5 shape.out 2>/dev/null)"
fi
expect_out_contains "$(printf 'py\357\277\275\357\277\275\357\277\275test')" \
	"invalid UTF-8: each bad byte is U+FFFD in JSON"

# --- CRLF line ends: the same event as LF ---
TEST_DB=$TEST_TMP/lf.db
run_oomlens ingest "$GOOD"
run_oomlens show 1
grep -v '^Source:' "$OUT" >lf.show
TEST_DB=$TEST_TMP/crlf.db
sed 's/$/\r/' "$GOOD" >crlf.log
touch -d "2026-11-22 12:00:00Z" crlf.log
run_oomlens ingest crlf.log
expect_rc 0 "CRLF: read"
expect_out_contains "crlf.log: 1 event (94 lines)" "CRLF: one event, every line"
run_oomlens show 1
grep -v '^Source:' "$OUT" >crlf.show
if cmp -s lf.show crlf.show; then
	pass "CRLF: show prints what it prints for LF"
else
	fail "CRLF: show prints what it prints for LF" "$(diff lf.show crlf.show | head -n 8)"
fi

# --- a corrupt gzip: its reports before the damage are not kept either ---
TEST_DB=$TEST_TMP/gzip.db
sh "$GEN" 400 >many.log
gzip -9c many.log >corrupt.gz
size=$(wc -c <corrupt.gz)
printf 'CORRUPTCORRUPTCORRUPT' | dd of=corrupt.gz bs=1 seek=$((size * 3 / 4)) conv=notrunc 2>/dev/null
run_oomlens ingest corrupt.gz "$GOOD"
expect_rc 3 "corrupt gzip: an error"
expect_err_contains "cannot read 'corrupt.gz': corrupt gzip data" "corrupt gzip: named, and why"
expect_err_contains "nothing of it stored" "corrupt gzip: says nothing was kept"
good_stored "corrupt gzip"
expect_eq "$(count events)" 1 "corrupt gzip: none of its 300-odd readable reports committed"
expect_eq "$(count sources)" 1 "corrupt gzip: no source row for it"

# --- a truncated xz ---
TEST_DB=$TEST_TMP/xz.db
xz -c many.log >full.xz
head -c $(($(wc -c <full.xz) / 2)) full.xz >truncated.xz
run_oomlens ingest truncated.xz "$GOOD"
expect_rc 3 "truncated xz: an error"
expect_err_contains "cannot read 'truncated.xz': truncated xz data (unexpected end of input), nothing of it stored" \
	"truncated xz: named, and why"
good_stored "truncated xz"
expect_eq "$(count events)" 1 "truncated xz: nothing of it committed"

# --- a corrupt journal file: its header, or its entries from the middle on ---
# Made with systemd-journal-remote (tests/lib-journal.sh): 20 reports of
# host jhost, 1000 s apart.  A header sd-journal refuses fails the input
# with nothing of it stored; damaged entries end the read there: what
# came before is kept, with the cursor after it, and the input fails.
if [ -z "$JOURNAL_REMOTE" ] || ! command -v journalctl >/dev/null 2>&1; then
	echo "notice: no systemd-journal-remote or journalctl: the corrupt journal cases are skipped"
else
	dmesg_export "$FIXTURES/era-4.14.dmesg" 9a1b2c3d4e5f40718293a4b5c6d7e8f9 \
		jhost 1795222603543211 0 20 1000000000 >j.export
	if build_journal whole.journal j.export; then
		pass "corrupt journal: a journal file built"
	else
		fail "corrupt journal: a journal file built" "systemd-journal-remote failed"
	fi
	# jhost: the journal's events (host jhost) in $TEST_DB
	jhost() {
		"$OOMLENS" --db "$TEST_DB" sql --csv "SELECT count(*) FROM events WHERE host = 'jhost'" |
			tr -d '\r' | sed -n 2p
	}

	# header_size (header offset 88) zeroed: below the least there is
	TEST_DB=$TEST_TMP/journal-header.db
	cp whole.journal header.journal
	head -c 8 /dev/zero | dd of=header.journal bs=1 seek=88 conv=notrunc 2>/dev/null
	run_oomlens ingest header.journal "$GOOD"
	expect_rc 3 "corrupt journal header: an error"
	expect_err_contains "cannot open journal file 'header.journal': Bad message (damaged header), skipping" \
		"corrupt journal header: named, and why"
	good_stored "corrupt journal header"
	expect_eq "$(count events)" 1 "corrupt journal header: nothing of it stored"
	expect_eq "$(count sources)" 1 "corrupt journal header: no source row for it"

	# 0xff from the middle of the objects (after the data hash table,
	# header offsets 104 and 112) to past the last (offset 136)
	TEST_DB=$TEST_TMP/journal-entries.db
	ht_off=$(od -An -tu8 -j 104 -N 8 whole.journal | tr -d ' ')
	ht_size=$(od -An -tu8 -j 112 -N 8 whole.journal | tr -d ' ')
	objects=$((ht_off + ht_size))
	tail_off=$(od -An -tu8 -j 136 -N 8 whole.journal | tr -d ' ')
	from=$((objects + (tail_off - objects) / 2))
	cp whole.journal entries.journal
	head -c $((tail_off + 4096 - from)) /dev/zero | tr '\000' '\377' |
		dd of=entries.journal bs=4096 seek="$from" oflag=seek_bytes conv=notrunc 2>/dev/null
	shown=$(journalctl --file entries.journal 2>/dev/null | grep -c 'Killed process')
	run_oomlens ingest entries.journal "$GOOD"
	expect_rc 3 "corrupt journal entries: an error"
	expect_err_contains "'entries.journal': the journal ends early: sd-journal stopped reading a damaged file; the entries before the damage were read" \
		"corrupt journal entries: named, and why"
	good_stored "corrupt journal entries"
	kept=$(jhost)
	if [ "$shown" -gt 0 ] && [ "$kept" -ge "$shown" ] && [ "$kept" -lt 20 ]; then
		pass "corrupt journal entries: the $kept events before the damage are kept"
	else
		fail "corrupt journal entries: the events before the damage are kept" \
			"stored $kept of 20, journalctl shows $shown kills"
	fi
	expect_eq "$(count events)" $((kept + 1)) "corrupt journal entries: and the good log's"
	expect_out_contains "stored $((kept + 1)) events from 2 inputs" \
		"corrupt journal entries: the summary counts the journal read in part"
	if command -v sqlite3 >/dev/null 2>&1; then
		expect_eq "$(sqlite3 "$TEST_DB" 'PRAGMA integrity_check')" ok \
			"corrupt journal entries: the database is intact"
	fi
	# the cursor committed with them: a re-run reads on from there
	run_oomlens ingest entries.journal
	expect_rc 3 "corrupt journal entries: a re-run fails again"
	expect_out_contains "stored 0 events" "corrupt journal entries: a re-run reads nothing again"
	expect_eq "$(jhost)" "$kept" "corrupt journal entries: a re-run adds nothing"
fi

# --- a missing path ---
TEST_DB=$TEST_TMP/missing.db
run_oomlens ingest missing.log "$GOOD"
expect_rc 3 "missing: an error"
expect_err_contains "cannot read 'missing.log': No such file or directory, skipping" "missing: named"
good_stored "missing"
expect_eq "$(count events)" 1 "missing: one event"

# --- a file that opens but cannot be read (EIO, for root too) ---
TEST_DB=$TEST_TMP/eio.db
run_oomlens ingest /proc/self/mem "$GOOD"
expect_rc 3 "read error: an error"
expect_err_contains "cannot read '/proc/self/mem': Input/output error, nothing of it stored" \
	"read error: named, and why"
good_stored "read error"

# --- a directory with symbolic-link loops: the walk ends ---
TEST_DB=$TEST_TMP/loop.db
mkdir -p tree/a/b
cp "$FIXTURES/era-4.14.dmesg" tree/a/b/
ln -s .. tree/a/b/up
ln -s ../../tree tree/a/again
ln -s "$TEST_TMP/tree" tree/abs
run_oomlens ingest tree "$GOOD"
expect_rc 0 "link loop: the walk ends, not an error"
expect_out_contains "tree/a/b/era-4.14.dmesg: 1 event" "link loop: the log in the tree is read once"
for l in tree/a/b/up tree/a/again tree/abs; do
	expect_err_contains "skipping '$l': a symbolic link to a directory, not followed" \
		"link loop: $l is named as skipped"
done
good_stored "link loop"
expect_eq "$(count events)" 2 "link loop: two events"

# --- a full disk: writes past a file size limit fail (EFBIG), for root too ---
TEST_DB=$TEST_TMP/full.db
sh "$GEN" 3000 >big.log
run_oomlens ingest -q "$FIXTURES/era-4.19.kern.log"
before=$(count events)
(
	trap '' XFSZ
	ulimit -f 1024	# blocks of 512 bytes (dash) or 1 KiB (bash): a few MiB
	"$OOMLENS" --db "$TEST_DB" ingest "$GOOD" big.log >"$OUT" 2>"$ERR"
)
RC=$?
expect_rc 3 "full disk: an error"
expect_err_contains "cannot store events of 'big.log'" "full disk: names the input"
good_stored "full disk"
expect_eq "$(count events)" $((before + 1)) "full disk: the input before it stays, none of big.log"
expect_eq "$("$OOMLENS" --db "$TEST_DB" sql --csv "SELECT count(*) FROM sources WHERE path = 'big.log'" | tr -d '\r' | sed -n 2p)" 0 \
	"full disk: no source row for it"
if command -v sqlite3 >/dev/null 2>&1; then
	expect_eq "$(sqlite3 "$TEST_DB" 'PRAGMA integrity_check')" ok "full disk: the database is intact"
fi
run_oomlens ingest big.log
expect_rc 0 "full disk: with room again, the input is stored"
expect_eq "$(count events)" $((before + 3001)) "full disk: all of it"

# --- unreadable path and read-only database: as a user who cannot ---
AS=
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
	fi
fi
if [ "$(id -u)" -eq 0 ] && [ -z "$AS" ]; then
	echo "notice: root without setpriv: the unreadable-path and read-only-database cases are skipped"
else
	# a directory that user can reach (this test's may not be)
	U=$(mktemp -d "/tmp/oomlens-t0800.XXXXXX") || exit 1
	trap 'rm -rf "$U"' EXIT
	chmod 755 "$U"
	cp "$OOMLENS" "$U/oomlens"
	cp "$GOOD" "$U/good.kern.log"
	cp "$FIXTURES/era-4.19.kern.log" "$U/secret.log"
	chmod 000 "$U/secret.log"
	mkdir "$U/w" && chmod 777 "$U/w"
	$AS "$U/oomlens" --db "$U/w/u.db" ingest "$U/secret.log" "$U/good.kern.log" >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 3 "unreadable: an error"
	expect_err_contains "cannot read '$U/secret.log': Permission denied" "unreadable: named, and why"
	expect_out_contains "good.kern.log: 1 event" "unreadable: the good log is stored"

	# a database in a directory that user cannot write
	"$U/oomlens" --db "$U/ro.db" ingest -q "$U/good.kern.log"
	chmod 644 "$U/ro.db"
	sum=$(cksum <"$U/ro.db")
	$AS "$U/oomlens" --db "$U/ro.db" ingest "$FIXTURES/era-4.19.kern.log" >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 3 "read-only database: an error"
	expect_err_contains "cannot write to '$U/ro.db': the database, or the directory it is in, is read-only" \
		"read-only database: named, and why"
	expect_eq "$(cksum <"$U/ro.db")" "$sum" "read-only database: unchanged"
	$AS "$U/oomlens" --db "$U/ro.db" list >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 0 "read-only database: list still reads it"
	expect_out_contains "postgres (1201)" "read-only database: its event"
	# a read-only file in a writable directory
	cp "$U/ro.db" "$U/w/rofile.db"
	chmod 444 "$U/w/rofile.db"
	$AS "$U/oomlens" --db "$U/w/rofile.db" ingest "$FIXTURES/era-4.19.kern.log" >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 3 "read-only file: an error"
	expect_err_contains "cannot write to '$U/w/rofile.db': the database, or the directory it is in, is read-only" \
		"read-only file: named, and why"
fi

finish
