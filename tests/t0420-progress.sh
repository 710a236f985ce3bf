#!/bin/sh
# t0420-progress: ingest draws a progress line (bytes, files, events
# found, rate) on stderr when it is a terminal (a pty made by script(1)),
# at most ~10 times a second, and takes it off the screen at the end;
# never with --quiet, never into a pipe or a file.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

command -v script >/dev/null 2>&1 || skip_all "no script(1) (util-linux)"

F=$FIXTURES
cd "$TEST_TMP" || exit 1

# about 24 MiB: long enough to be drawn more than once on a fast machine
awk 'BEGIN { for (i = 0; i < 300000; i++)
	printf "[%6d.000000] eth0: link is up, 1000 Mbps full duplex, flow control rx/tx\n", i }' >big.log
cat "$F/postgres-6.8.dmesg" >>big.log

# on_tty FILE CMD...: run CMD with its stdin, stdout and stderr on a pty,
# what the terminal got in FILE
on_tty() {
	_file=$1
	shift
	script -qec "$*" "$_file" </dev/null >/dev/null 2>&1
}

start=$(date +%s)
on_tty tty.txt "'$OOMLENS' --db '$TEST_TMP/a.db' ingest --host db1 big.log"
secs=$(($(date +%s) - start + 1))
draws=$(grep -o 'ingest: [^\r]*' tty.txt | wc -l)
if grep -q 'ingest: [0-9.]* [KMG]iB read, 1 file, [01] events\{0,1\} found, [0-9.]* [KMG]iB/s' tty.txt; then
	pass "the progress line on a terminal"
else
	fail "the progress line on a terminal" "$(od -c tty.txt | head -20)"
fi
if [ "$draws" -ge 1 ] && [ "$draws" -le $((secs * 10 + 2)) ]; then
	pass "drawn at most ~10 times a second ($draws in <= ${secs}s)"
else
	fail "drawn at most ~10 times a second" "$draws draws in ${secs}s"
fi
# taken off before the per-input line: erase, then the line
if grep -q "$(printf '\r\033\\[K')big.log: 1 event" tty.txt; then
	pass "cleared before the results are written"
else
	fail "cleared before the results are written" "$(od -c tty.txt | tail -12)"
fi
expect_eq "$(grep -c 'stored 1 event from 1 input' tty.txt)" 1 "the summary is there"

on_tty quiet.txt "'$OOMLENS' --db '$TEST_TMP/b.db' ingest -q --host db1 big.log"
expect_eq "$(grep -c 'ingest:' quiet.txt)" 0 "--quiet: no progress line"

run_oomlens ingest --host db1 big.log
expect_rc 0 "ingest into a pipe"
expect_err_not_contains "ingest:" "no progress line when stderr is not a terminal"
expect_err_not_contains "$(printf '\033')" "no escape sequence either"

finish
