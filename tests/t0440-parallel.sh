#!/bin/sh
# t0440-parallel: issue 7's "use both cores".  ingest parses with --jobs N
# threads and writes with one; the inputs are stored and reported in the
# order found, so a run with many threads gives the same output and the
# same database, row for row and id for id, as a run with one.  The input
# mixes what each path of the engine takes: files on disk (parsed by a
# worker each, plain and compressed), members of an archive and stdin
# (fed to a worker through a pipe), journal exports (read on the main
# thread), binary and damaged files (said in their turn), and a file
# named twice (the second is "unchanged": it waits for the first).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

for c in gzip xz tar; do
	command -v $c >/dev/null 2>&1 || skip_all "no $c (make deps installs it)"
done
cd "$TEST_TMP" || exit 1

# every text fixture, once per host, some compressed; more inputs than
# threads, so the workers' jobs overlap and finish out of order
i=0
for h in h1 h2 h3; do
	mkdir -p "logs/$h"
	for f in "$FIXTURES"/*; do
		case $f in *.facts | *.diag | *.py | *.md) continue ;; esac
		[ -f "$f" ] || continue
		i=$((i + 1))
		b=$(basename "$f")
		case $((i % 3)) in
		0) cp "$f" "logs/$h/$b" ;;
		1) gzip -c "$f" >"logs/$h/$b.gz" ;;
		2) xz -c "$f" >"logs/$h/$b.xz" ;;
		esac
	done
done
# the file grown below is plain, whatever the count of fixtures before it
rm -f logs/h3/postgres-6.8.dmesg.gz logs/h3/postgres-6.8.dmesg.xz
cp "$FIXTURES/postgres-6.8.dmesg" logs/h3/
head -c 5000 /dev/urandom | tr -d '\n' | tr '\000' '\001' >logs/h2/zz-noise
printf '\000\001\002binary\n' >logs/h1/wtmp
printf '\037\213\010\000\000\000\000\000\000\003not deflate' >logs/h3/broken.gz
tar -C logs -czf fleet.tar.gz h1 h2
find logs -type f -exec touch -d "2026-11-22 12:00:00Z" {} +
touch -d "2026-11-22 12:00:00Z" fleet.tar.gz
n_inputs=$(find logs -type f | wc -l)

ingest_with() {	# JOBS DB: everything, in one run; output in $1.out
	TEST_DB=$TEST_TMP/$2
	"$OOMLENS" --db "$TEST_DB" ingest --host-from-dir -j "$1" logs \
		fleet.tar.gz "$FIXTURES/postgres-6.8.kern.log" - \
		"$FIXTURES/postgres-6.8.kern.log" <"$FIXTURES/two-reports-6.1.kern.log" \
		>"$1.out" 2>"$1.err"
	echo $? >"$1.rc"
}


ingest_with 1 one.db
ingest_with 4 four.db
ingest_with 8 eight.db

expect_eq "$(cat 1.rc)" 3 "one thread: exit 3 (a damaged input)"
expect_eq "$(cat 4.rc)" 3 "four threads: exit 3 as well"
grep -q "broken.gz" 1.err && pass "one thread names the damaged input" ||
	fail "one thread names the damaged input" "$(cat 1.err)"
n_events=$(sed -n 's/^stored \([0-9]*\) \(new \)\{0,1\}events.*/\1/p' 1.out)
[ "${n_events:-0}" -gt 40 ] && pass "the run stores the fixtures' events ($n_events)" ||
	fail "the run stores the fixtures' events" "$(tail -3 1.out)"
lines=$(wc -l <1.out)
[ "$lines" -gt "$n_inputs" ] && pass "one line per input ($lines)" ||
	fail "one line per input" "$lines lines for $n_inputs files"
grep -q "postgres-6.8.kern.log: unchanged since the last ingest" 1.out &&
	pass "a file named twice is unchanged the second time" ||
	fail "a file named twice is unchanged the second time" "$(cat 1.out)"

for j in 4 8; do
	if cmp -s 1.out $j.out; then
		pass "-j $j: the same output as -j 1, line for line"
	else
		fail "-j $j: the same output as -j 1, line for line" \
			"$(diff 1.out $j.out | head -20)"
	fi
	if cmp -s 1.err $j.err; then
		pass "-j $j: the same messages as -j 1, in the same order"
	else
		fail "-j $j: the same messages as -j 1, in the same order" \
			"$(diff 1.err $j.err | head -20)"
	fi
done
dump_tables "$TEST_TMP/one.db" >one.dump
dump_tables "$TEST_TMP/four.db" >four.dump
dump_tables "$TEST_TMP/eight.db" >eight.dump
grep -q FAILED one.dump && fail "the tables can be read" "$(grep FAILED one.dump)"
[ "$(wc -l <one.dump)" -gt 1000 ] && pass "the dump holds the rows" ||
	fail "the dump holds the rows" "$(wc -l <one.dump) lines"
for d in four eight; do
	if cmp -s one.dump $d.dump; then
		pass "$d threads: the same database as one, id for id"
	else
		fail "$d threads: the same database as one, id for id" \
			"$(diff one.dump $d.dump | head -20)"
	fi
done

# again, with one file grown: the files read before resume or are
# unchanged, in both databases alike
printf 'Nov 22 12:30:00 h3 kernel: a line more\n' >>logs/h3/postgres-6.8.dmesg
for j in 1 4; do
	db=four.db
	[ $j = 1 ] && db=one.db
	"$OOMLENS" --db "$TEST_TMP/$db" ingest --host-from-dir -j $j logs \
		>again$j.out 2>again$j.err
	echo $? >again$j.rc
done
expect_eq "$(cat again4.rc)" 3 "again: exit 3 (the damaged file again)"
unchanged=$(grep -c ": unchanged since the last ingest" again4.out)
[ "$unchanged" -gt 50 ] && pass "again: the files read before are unchanged ($unchanged)" ||
	fail "again: the files read before are unchanged" "$(head again4.out)"
grep -q "h3/postgres-6.8.dmesg: 0 events (1 new line after" again4.out &&
	pass "again: the grown file resumes" ||
	fail "again: the grown file resumes" "$(cat again4.out)"
cmp -s again1.out again4.out && cmp -s again1.err again4.err &&
	pass "again: the same output with 1 and 4 threads" ||
	fail "again: the same output with 1 and 4 threads" "$(diff again1.out again4.out | head)"
dump_tables "$TEST_TMP/one.db" >one.again
dump_tables "$TEST_TMP/four.db" >four.again
cmp -s one.again four.again && pass "again: the same database with 1 and 4 threads" ||
	fail "again: the same database with 1 and 4 threads" "$(diff one.again four.again | head)"

# the threads are there: N workers beside the main thread while it waits
# on a quiet stdin
# (up to 60 s: under valgrind the start alone takes seconds)
mkfifo quiet
"$OOMLENS" --db "$TEST_TMP/t.db" ingest -q -j 3 - <quiet &
pid=$!
exec 3>quiet
threads=0
i=0
while [ $i -lt 600 ]; do
	threads=$(ls "/proc/$pid/task" 2>/dev/null | wc -l)
	[ "$threads" -ge 4 ] && break
	sleep 0.1
	i=$((i + 1))
done
# the read under way ends at the pipe's end (a second signal would end
# it at once)
kill -TERM "$pid" 2>/dev/null
exec 3>&-
wait "$pid"
rc=$?
expect_eq "$threads" 4 "-j 3: three parse threads beside the main one"
expect_eq "$rc" 130 "SIGTERM while a worker waits on the pipe: exit 130"

# usage
for bad in 0 9 x ""; do
	run_oomlens ingest -j "$bad" "$FIXTURES/postgres-6.8.kern.log"
	expect_rc 2 "-j '$bad' is a usage error"
done
run_oomlens ingest --jobs 2 --json "$FIXTURES/postgres-6.8.dmesg"
expect_rc 0 "--jobs 2 --json"
expect_out_contains '"events":1' "--jobs with --json counts the event"

finish
