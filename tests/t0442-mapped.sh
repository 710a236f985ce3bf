#!/bin/sh
# t0442-mapped: issue 20's large plain file.  A plain file on disk is
# mapped and its anchor search split among threads, in parts of 8 MiB
# with a checkpoint every 64 KiB (parsers/prefilter.h); the scanner then
# reads it in order as before.  So the output and the database must be
# those of reading the file block by block: here with every fixture's
# first anchor cut by a 64 KiB checkpoint, one cut by the part boundary
# at 16 MiB, a report that runs across the one at 32 MiB, a line longer
# than 64 KiB across checkpoints, a crash's NUL hole and a boot marker;
# then the
# file grown and read again from where the last read stopped (an offset
# that is no page's start).  A search that missed an anchor cut by a
# boundary, counted a line twice or lost one, or handed a report to the
# wrong part would change the rows or their line numbers.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

cd "$TEST_TMP" || exit 1
export LC_ALL=C

# filler to offset OFF (a line start) with ordinary syslog lines
filler() {	# FROM TO
	awk -v from="$1" -v to="$2" 'BEGIN {
		line = "Nov 21 03:00:00 db1 CRON[4242]: (root) CMD (run-parts /etc/cron.hourly; vk oom kill process)"
		n = from
		while (to - n > 2 * (length(line) + 1)) { print line; n += length(line) + 1 }
		left = to - n
		if (left > 0) { a = int(left / 2); b = left - a
			printf "%s\n%s\n", substr(line, 1, a - 1), substr(line, 1, b - 1) }
	}'
}
size() { wc -c <big.log | tr -d ' '; }
# the first anchor's offset in a file, or -1
first_anchor() {
	awk 'BEGIN { n = 0; best = -1 }
	{ split(" invoked oom-killer: |Killed process |oom-killer: gfp_mask=|tgid total_vm", a, "|")
	  for (i in a) { k = index($0, a[i]); if (k && (best < 0 || n + k - 1 < best)) best = n + k - 1 }
	  if (best >= 0) { print best; exit } n += length($0) + 1 }
	END { if (best < 0) print -1 }' "$1"
}
# append FILE so that its first anchor starts CUT bytes before the next
# multiple of UNIT after the present size (plus MARGIN)
place() {	# FILE UNIT CUT MARGIN
	a=$(first_anchor "$1")
	[ "$a" -ge 0 ] || { cat "$1" >>big.log; return; }
	s=$(size)
	b=$(( (s + a + $4 + $2) / $2 * $2 ))
	filler "$s" $((b - $3 - a)) >>big.log
	cat "$1" >>big.log
	# a fixture may lack its last newline
	[ "$(tail -c 1 big.log | od -An -c | tr -d ' ')" = '\n' ] || echo >>big.log
}

: >big.log
# first, a line longer than 64 KiB across two checkpoints, an anchor past
# its cut (its warning comes before any other)
awk 'BEGIN { printf "Nov 21 03:10:00 db1 app: "; for (i = 0; i < 3000; i++) printf "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_!"; printf " invoked oom-killer: in a long line\n" }' >>big.log
k=0
for f in "$FIXTURES"/*; do
	case $f in *.facts | *.diag | *.py | *.md | *.export | *.json*) continue ;; esac
	[ -f "$f" ] || continue
	grep -q "$(printf '\001')" "$f" && continue
	k=$((k + 1))
	place "$f" 65536 $((k % 19 + 1)) 4096
	[ "$(size)" -lt 15000000 ] || break
done
# one anchor cut by the first 16 MiB part boundary
place "$FIXTURES/postgres-6.8.kern.log" 16777216 3 0
# a crash's NUL hole, and journalctl's boot marker
head -c 3000 /dev/zero >>big.log
echo "-- Boot 0123456789abcdef0123456789abcdef --" >>big.log
cat "$FIXTURES/two-reports-6.1.kern.log" >>big.log
# a report across the second part boundary (32 MiB): it starts 2 KiB
# before it
s=$(size)
filler "$s" $((33554432 - 2048)) >>big.log
cat "$FIXTURES/postgres-6.8.kern.log" >>big.log
filler "$(size)" $(($(size) + 300000)) >>big.log
printf 'Nov 21 04:00:00 db1 kernel: no newline at the end' >>big.log
touch -d "2026-11-22 12:00:00Z" big.log
[ "$(size)" -gt 33554432 ] && pass "the file passes two part boundaries ($(size) bytes)" ||
	fail "the file passes two part boundaries" "$(size) bytes"


run() {	# NAME MAP_MIN JOBS
	OOMLENS_MAP_MIN=$2 "$OOMLENS" --db "$TEST_TMP/$1.db" ingest -j "$3" \
		big.log >"$1.out" 2>"$1.err"
	echo $? >"$1.rc"
	dump_tables "$TEST_TMP/$1.db" >"$1.dump"
}

# read block by block (never mapped), then mapped with 1, 2 and 4 threads
run read 1000000000000 1
run map1 1 1
run map2 1 2
run map4 1 4
n=$(sed -n 's/^stored \([0-9]*\) .*/\1/p' read.out)
[ "${n:-0}" -gt 60 ] && pass "the read stores the fixtures' events ($n)" ||
	fail "the read stores the fixtures' events" "$(cat read.out read.err | tail -5)"
[ "$(wc -l <read.dump)" -gt 3000 ] && ! grep -q FAILED read.dump &&
	pass "the dump holds the rows" || fail "the dump holds the rows" "$(tail -3 read.dump)"
grep -q "longer than 64 KiB" read.err && pass "the long line is said" ||
	fail "the long line is said" "$(cat read.err)"
for m in map1 map2 map4; do
	if cmp -s read.out $m.out && cmp -s read.err $m.err &&
		cmp -s read.rc $m.rc; then
		pass "$m: the same output, messages and exit as the read"
	else
		fail "$m: the same output, messages and exit as the read" \
			"$(diff read.out $m.out; diff read.err $m.err | head -10)"
	fi
	if cmp -s read.dump $m.dump; then
		pass "$m: the same database as the read, row for row"
	else
		fail "$m: the same database as the read, row for row" \
			"$(diff read.dump $m.dump | head -20)"
	fi
done

# grown: the next read starts where the last stopped (not a page start)
cat "$FIXTURES/two-reports-6.1.kern.log" >>big.log
touch -d "2026-11-22 12:05:00Z" big.log
# both FILE READ_DB MAP_DB TAG: FILE ingested into each database, read
# and mapped (-j 2); the same output and the same tables, or TAG fails.
# The outputs are left in READ_DB.out and MAP_DB.out.
both() {
	OOMLENS_MAP_MIN=1000000000000 "$OOMLENS" --db "$TEST_TMP/$2.db" \
		ingest -j 2 "$1" >"$2.out" 2>&1
	OOMLENS_MAP_MIN=1 "$OOMLENS" --db "$TEST_TMP/$3.db" ingest -j 2 \
		"$1" >"$3.out" 2>&1
	dump_tables "$TEST_TMP/$2.db" >"$2.tables"
	dump_tables "$TEST_TMP/$3.db" >"$3.tables"
	cmp -s "$2.out" "$3.out" && cmp -s "$2.tables" "$3.tables" &&
		pass "$4: the same output and database" ||
		fail "$4: the same output and database" \
			"$(diff "$2.out" "$3.out"; diff "$2.tables" "$3.tables" | head)"
}
both big.log read map2 "resumed mapped"
grep -q "new line" read.out && pass "the grown file resumes" ||
	fail "the grown file resumes" "$(cat read.out)"

# a flood of anchors (more than a part may keep: the list ends there and
# the scanner searches by itself), with a report after it
awk 'BEGIN { for (i = 0; i < 400000; i++) printf "-- Boot %032x --\n", i }' >flood.log
cat "$FIXTURES/postgres-6.8.kern.log" >>flood.log
both flood.log flood-read flood-map "the flood mapped"
grep -q "stored 1 event" flood-read.out && pass "the flood: the report after it" ||
	fail "the flood: the report after it" "$(cat flood-read.out)"

# a file cut short while it is read (logrotate's copytruncate) never
# kills the process: it is read up to the cut or said to have shrunk.
# The truncation takes pages the scan has already read (a newline it
# found there must still be one when it comes back): twenty cuts at
# moments spread over the read.
filler 0 60000000 >shrink.orig
cat "$FIXTURES/postgres-6.8.kern.log" >>shrink.orig
signals=0 shrank=0 wrong=
for delay in 0.005 0.01 0.015 0.02 0.025 0.03 0.035 0.04 0.045 0.05 \
	0.055 0.06 0.065 0.07 0.075 0.08 0.09 0.1 0.12 0.15; do
	cp shrink.orig shrink.log
	OOMLENS_MAP_MIN=1 "$OOMLENS" --db "$TEST_TMP/s.db" ingest -j 2 \
		shrink.log >s.out 2>s.err &
	pid=$!
	sleep $delay
	: >shrink.log
	wait $pid
	rc=$?
	[ $rc -lt 128 ] || { signals=$((signals + 1)); wrong="$wrong $delay:$rc"; }
	if grep -q "shrank" s.err; then
		shrank=$((shrank + 1))
		[ $rc = 3 ] || wrong="$wrong $delay:rc=$rc"
	fi
done
expect_eq "$signals" 0 "twenty cuts while read: no signal ($wrong)"
expect_eq "$wrong" "" "a file that shrank is an input that failed (exit 3)"
[ "$shrank" -gt 0 ] && pass "some cuts came while the file was read ($shrank)" ||
	pass "no cut came while the file was read (the machine was fast)"

finish
