#!/bin/sh
# t0441-journal-parallel: issue 20's journal row.  The journal files of a
# directory (rotated files: system@N.journal) are read by the parse
# workers side by side, each with its own sd-journal handle, and stored
# in the order found, each with its cursor: -j 1, -j 2 and -j 4 give the
# same output, the same messages and the same database, id for id and
# cursor for cursor.  The directory holds reports across four files,
# userspace story lines (systemd's, earlyoom's, a forged earlyoom and a
# forged kernel line), a file damaged inside (what sd-journal can read of
# it, with the parsers' warnings), a file whose match finds nothing (its
# data object's hash broken: read again from its head without matches),
# a file cut short (refused) and a text log among them; a
# second run after entries were added to one file and a new file came
# resumes each file after its cursor, alike with 1 and 4 threads.  A file
# sd-journal drops at damage reads no entry twice; an archived file
# (matched only on the story identifiers it holds) reads as when not.  And
# the
# workers do read them: while the walk waits on a quiet stdin after the
# journal files, the workers have spent more processor time than the main
# thread (which read them all before).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/lib-journal.sh
. "$TESTS_DIR/lib-journal.sh"
need_journal_tools
cd "$TEST_TMP" || exit 1

BOOT=4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1
DMESG=$FIXTURES/postgres-6.8.dmesg
T0=1795222603543211
# userspace_export REALTIME_US: what userspace said after a kill, genuine
# and forged (the trust checks read _COMM, _EXE, _UID, _SYSTEMD_UNIT)
userspace_export() {
	printf '__REALTIME_TIMESTAMP=%s\n_BOOT_ID=%s\n_HOSTNAME=db1\n' "$1" "$BOOT"
	printf '_TRANSPORT=journal\nSYSLOG_IDENTIFIER=systemd\n_PID=1\n_COMM=systemd\n'
	printf '_EXE=/usr/lib/systemd/systemd\n_UID=0\n'
	printf 'MESSAGE=postgresql.service: A process of this unit has been killed by the OOM killer.\n\n'
	earlyoom_export "$BOOT" db1 $(($1 + 1000)) earlyoom /usr/bin/earlyoom 0 earlyoom.service
	earlyoom_export "$BOOT" db1 $(($1 + 2000)) logger
	forged_export "$BOOT" db1 $(($1 + 3000))
}

mkdir logs
# part K (from 0): N reports 100 s apart from K * 10000 s on, then what
# userspace said after the first of them
part() {
	dmesg_export "$DMESG" "$BOOT" db1 "$T0" $(($1 * 10000000000)) "$2" 100000000
	userspace_export $((T0 + $1 * 10000000000 + 8200000000))
}
for k in 0 1 2 3; do
	part $k 6 >part$k.export
	build_journal "logs/system@$k.journal" part$k.export ||
		skip_all "systemd-journal-remote cannot write here"
done
part 4 40 >part4.export
build_journal damaged.journal part4.export
# bytes overwritten inside the objects (as t0611): entries lost, report
# lines broken
tail_off=$(od -An -tu8 -j 136 -N 8 damaged.journal | tr -d ' ')
head -c 4096 /dev/zero | tr '\000' '\377' |
	dd of=damaged.journal bs=1 seek=$((tail_off * 800 / 1000)) conv=notrunc 2>/dev/null
mv damaged.journal "logs/system@4.journal"
head -c 200000 "logs/system@0.journal" >"logs/system@5.journal"
part 7 3 >part7.export
build_journal "logs/system@7.journal" part7.export
for f in _TRANSPORT=kernel SYSLOG_IDENTIFIER=kernel; do
	unhash "$f" "logs/system@7.journal" || fail "'$f' is in the journal built"
done
cp "$FIXTURES/postgres-6.8.kern.log" logs/syslog
find logs -type f -exec touch -d "2026-11-22 12:00:00Z" {} +

ingest_with() {	# JOBS DB [TAG]: the directory; output in JOBS[TAG].out
	"$OOMLENS" --db "$TEST_TMP/$2" ingest -j "$1" logs \
		>"$1$3.out" 2>"$1$3.err"
	echo $? >"$1$3.rc"
}


same() {	# WHAT A B: files A and B are the same
	if cmp -s "$2" "$3"; then
		pass "$1"
	else
		fail "$1" "$(diff "$2" "$3" | head -20)"
	fi
}

ingest_with 1 one.db
ingest_with 2 two.db
ingest_with 4 four.db

expect_eq "$(cat 1.rc)" 3 "-j 1: exit 3 (a damaged file, a cut one)"
grep -q "system@5.journal': .*truncated" 1.err &&
	pass "the cut file is named" || fail "the cut file is named" "$(cat 1.err)"
# 3764 entries whole: the damage cost some
n=$(sed -n 's/.*system@4.journal: [0-9]* events (\([0-9]*\) new entries.*/\1/p' 1.out)
[ -n "$n" ] && [ "$n" != 3764 ] && pass "the damaged file: read as far as it can be" ||
	fail "the damaged file: read as far as it can be" "$(cat 1.out)"
n=$(grep -c "system@[0-3].journal: 7 events" 1.out)
expect_eq "$n" 4 "four whole files: 6 reports and earlyoom's kill each"
grep -q "system@7.journal: 4 events" 1.out &&
	pass "a match lost by its hash: the file read whole" ||
	fail "a match lost by its hash: the file read whole" "$(cat 1.out)"
dump_tables "$TEST_TMP/one.db" >one.dump
grep -q FAILED one.dump && fail "the tables can be read" "$(grep FAILED one.dump)"
n=$(grep -c "^journal:file:.*system@[0-47].journal,s=" one.dump)
expect_eq "$n" 6 "a cursor for each file read"
"$OOMLENS" --db one.db sql --csv "SELECT count(*) FROM actions WHERE \
	kind = 'forged'" 2>&1 | tail -n 1 | tr -d '\r' >forged.csv
grep -qx "[1-9][0-9]*" forged.csv && pass "the forged lines are told apart" ||
	fail "the forged lines are told apart" "$(cat forged.csv)"
for j in 2 4; do
	same "-j $j: the same exit status as -j 1" 1.rc $j.rc
	same "-j $j: the same output as -j 1, line for line" 1.out $j.out
	same "-j $j: the same messages as -j 1, in the same order" 1.err $j.err
done
dump_tables "$TEST_TMP/two.db" >two.dump
dump_tables "$TEST_TMP/four.db" >four.dump
same "-j 2: the same database as -j 1, id for id" one.dump two.dump
same "-j 4: the same database as -j 1, id for id" one.dump four.dump

# more entries: two more reports in one file, a new file; each file
# resumes after its own cursor
part 5 2 >part5.export
build_journal "logs/system@2.journal" part5.export
part 6 3 >part6.export
build_journal "logs/system@6.journal" part6.export
ingest_with 1 one.db again
ingest_with 4 four.db again
grep -q "system@2.journal: 3 events" 1again.out &&
	pass "again: the grown file gives its new reports only" ||
	fail "again: the grown file gives its new reports only" "$(cat 1again.out)"
grep -q "system@0.journal: 0 events (0 new entries" 1again.out &&
	pass "again: a file read before gives nothing new" ||
	fail "again: a file read before gives nothing new" "$(cat 1again.out)"
grep -q "system@6.journal: 4 events" 1again.out &&
	pass "again: the new file is read" ||
	fail "again: the new file is read" "$(cat 1again.out)"
same "again: the same exit status with 1 and 4 threads" 1again.rc 4again.rc
same "again: the same output with 1 and 4 threads" 1again.out 4again.out
same "again: the same messages with 1 and 4 threads" 1again.err 4again.err
dump_tables "$TEST_TMP/one.db" >one.again
dump_tables "$TEST_TMP/four.db" >four.again
same "again: the same database with 1 and 4 threads" one.again four.again

# sd-journal drops a file at damage, and with it the read's position:
# the cursor of the last entry read is still found (the read walked again
# to it), so the read from the head that follows (t0611) skips what was
# read: 40 reports of 94 lines, no entry read twice
dmesg_export "$DMESG" "$BOOT" db1 "$T0" 0 40 1000000000 >forty.export
build_journal forty.journal forty.export
tail_off=$(od -An -tu8 -j 136 -N 8 forty.journal | tr -d ' ')
head -c 4096 /dev/zero | tr '\000' '\377' |
	dd of=forty.journal bs=1 seek=$((tail_off * 850 / 1000)) conv=notrunc 2>/dev/null
"$OOMLENS" --db "$TEST_TMP/forty.db" ingest forty.journal >forty.out 2>&1
n=$(sed -n 's/.*forty.journal: [0-9]* events (\([0-9]*\) new entries.*/\1/p' forty.out)
[ -n "$n" ] && [ "$n" -le 3760 ] &&
	pass "a file dropped at damage: no entry read twice ($n of 3760)" ||
	fail "a file dropped at damage: no entry read twice" "$(cat forty.out)"

# an archived file (state 2 in its header: journald rotated it) is read
# with matches only on the story identifiers it holds: the same entries,
# events and cursor as the same file not archived
mkdir arch
cp part0.export arch.export
earlyoom_export "$BOOT" db1 $((T0 + 9000000000)) earlyoom /usr/bin/earlyoom 0 earlyoom.service >>arch.export
build_journal arch/live.journal arch.export
cp arch/live.journal arch/rotated.journal
printf '\002' | dd of=arch/rotated.journal bs=1 seek=16 conv=notrunc 2>/dev/null
for f in live rotated; do
	"$OOMLENS" --db "$TEST_TMP/$f.db" ingest "arch/$f.journal" 2>&1 |
		sed "s/$f/FILE/" >"$f.out"
	"$OOMLENS" --db "$TEST_TMP/$f.db" sql --csv "SELECT cursor FROM resume" \
		>>"$f.out" 2>&1
	"$OOMLENS" --db "$TEST_TMP/$f.db" list 2>&1 | sed "s/$f/FILE/" >>"$f.out"
done
grep -q "FILE.journal: 8 events" live.out &&
	pass "the file read (not archived)" || fail "the file read (not archived)" "$(cat live.out)"
same "an archived file: the same entries, events and cursor" live.out rotated.out

# who reads: journal files of 40 reports each, then a quiet stdin; the
# CPU ticks (utime + stime) of the main thread and of the workers once
# they stop growing (up to 60 s: valgrind)
mkdir cpu
for k in 1 2 3 4; do
	build_journal "cpu/s$k.journal" part4.export
done
mkfifo quiet
"$OOMLENS" --db "$TEST_TMP/cpu.db" ingest -q -j 2 cpu - <quiet &
pid=$!
exec 3>quiet
ticks() {	# main workers
	_m=0 _w=0
	for _t in /proc/"$pid"/task/*; do
		_n=$(sed 's/.*) //' "$_t/stat" 2>/dev/null | awk '{ print $12 + $13 }')
		if [ "${_t##*/}" = "$pid" ]; then
			_m=${_n:-0}
		else
			_w=$((_w + ${_n:-0}))
		fi
	done
	echo "$_m $_w"
}
last=
i=0
while [ $i -lt 120 ]; do
	sleep 0.5
	now=$(ticks)
	[ "$now" = "$last" ] && [ "$now" != "0 0" ] && break
	last=$now
	i=$((i + 1))
done
exec 3>&-
wait "$pid"
main=${last% *}
workers=${last#* }
[ "$workers" -gt "$main" ] &&
	pass "the workers read the journal files ($workers ticks; main thread $main)" ||
	fail "the workers read the journal files" "workers $workers ticks, main thread $main"

finish
