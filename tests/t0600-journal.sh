#!/bin/sh
# t0600-journal: native journal files, built here with systemd-journal-remote
# from the seed fixture: ingest by path and by --journal-dir, resume by
# cursor (a second ingest adds nothing), a userspace imitation of a kernel
# kill line is not an event, a corrupt journal file is reported while the
# other inputs are stored.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

remote=
for p in /lib/systemd/systemd-journal-remote /usr/lib/systemd/systemd-journal-remote; do
	[ -x "$p" ] && remote=$p
done
[ -n "$remote" ] || skip_all "systemd-journal-remote is not installed"

# Journal Export Format: one kernel entry per dmesg line (continuation
# lines as entries of their own), realtime = boot + kernel time; %.0f
# because mawk prints %d of a number past 2^31 as 2147483647
boot_us=1795222603543211	# 2026-11-21T03:12:07Z - 8123.456789 s
awk -v boot="$boot_us" '
function entry(mono, transport, ident, msg) {
	printf "__REALTIME_TIMESTAMP=%.0f\n__MONOTONIC_TIMESTAMP=%.0f\n", boot + mono, mono;
	printf "_BOOT_ID=4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1\n_HOSTNAME=db1\n";
	printf "_TRANSPORT=%s\nSYSLOG_IDENTIFIER=%s\n", transport, ident;
	if (transport == "kernel") printf "_SOURCE_MONOTONIC_TIMESTAMP=%.0f\n", mono;
	printf "MESSAGE=%s\n\n", msg;
}
/^\[ *[0-9]+\.[0-9]+\] / {
	s = $0; sub(/^\[ */, "", s); t = s; sub(/\].*/, "", t);
	split(t, p, "."); mono = p[1] * 1000000 + p[2];
	sub(/^[^]]*\] /, "", s); entry(mono, "kernel", "kernel", s); next
}
/^ / { s = $0; sub(/^ +/, " ", s); entry(mono, "kernel", "kernel", s) }
END {
	entry(mono + 1000000, "syslog", "kernel", "Out of memory: Killed process 1 (init) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB");
}' "$FIXTURES/postgres-6.8.dmesg" >"$TEST_TMP/in.export"
mkdir -p "$TEST_TMP/jdir"
J=$TEST_TMP/jdir/db1.journal
"$remote" -o "$J" "$TEST_TMP/in.export" >/dev/null 2>&1 ||
	skip_all "systemd-journal-remote cannot write here"

run_oomlens ingest "$J"
expect_rc 0 "ingest a journal file by path"
expect_out_contains "db1.journal: 1 event" "one event"
run_oomlens list --json
expect_out_contains '"host":"db1","victim":{"pid":1201,"name":"postgres"},"trigger":{"pid":2210,"name":"postgres"}' \
	"the victim and trigger, host from _HOSTNAME"
expect_out_contains '"time":"2026-11-21T03:12:07Z"' "wall clock from the entries, in UTC"
expect_out_not_contains '"pid":1,' "a userspace imitation is not an event"
run_oomlens export
expect_out_contains '"boot_id":"4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1"' "the boot id"
expect_out_contains '"kernel_time_us":8123456789' "the kernel time"

run_oomlens ingest "$J"
expect_rc 1 "a second ingest finds nothing new"
expect_out_contains "0 events (0 new entries, 0 kernel)" "it resumed after the cursor"

TEST_DB=$TEST_TMP/dir.db
run_oomlens ingest --journal-dir "$TEST_TMP/jdir"
expect_rc 0 "ingest --journal-dir"
expect_out_contains "1 event" "the same report through the directory"
run_oomlens ingest --journal-dir "$TEST_TMP/jdir"
expect_rc 1 "and resumes there too"

# a truncated journal file does not stop the other inputs
TEST_DB=$TEST_TMP/bad.db
head -c 4096 "$J" >"$TEST_TMP/broken.journal"
run_oomlens ingest "$TEST_TMP/broken.journal" "$FIXTURES/postgres-6.8.dmesg"
expect_out_contains "postgres-6.8.dmesg: 1 event" "the good input is stored"
case $RC in
0 | 3) pass "a broken journal is an error or empty, not a crash" ;;
*) fail "a broken journal is an error or empty, not a crash" "rc=$RC" ;;
esac
finish
