#!/bin/sh
# t0430-fleet: issue 7's "done when".  One `oomlens ingest ARCHIVE` over a
# generated archive of three hosts (a directory each) with mixed
# compression (gzip, xz, zstd, bzip2, and the archive itself zstd),
# rotated files, a journal directory (a native journal file, extracted to
# a private temporary file and read with sd-journal), and the same OOMs in
# several inputs, stores exactly the expected events per host, each OOM
# once with every input it was seen in; ingesting the archive again adds
# nothing.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

for c in gzip xz zstd bzip2 tar; do
	command -v $c >/dev/null 2>&1 || skip_all "no $c (make deps installs it)"
done
remote=
for p in /lib/systemd/systemd-journal-remote /usr/lib/systemd/systemd-journal-remote; do
	[ -x "$p" ] && remote=$p
done
[ -n "$remote" ] || skip_all "systemd-journal-remote is not installed"

F=$FIXTURES
cd "$TEST_TMP" || exit 1

# journal_of HOST DMESG: the Journal Export Format of a dmesg file's
# lines as kernel entries of HOST (see t0600)
journal_of() {
	awk -v host="$1" -v boot=1795222603543211 '
	function entry(mono, msg) {
		printf "__REALTIME_TIMESTAMP=%.0f\n__MONOTONIC_TIMESTAMP=%.0f\n", boot + mono, mono;
		printf "_BOOT_ID=4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1\n_HOSTNAME=%s\n", host;
		printf "_TRANSPORT=kernel\nSYSLOG_IDENTIFIER=kernel\n_SOURCE_MONOTONIC_TIMESTAMP=%.0f\n", mono;
		printf "MESSAGE=%s\n\n", msg;
	}
	/^\[ *[0-9]+\.[0-9]+\] / {
		s = $0; sub(/^\[ */, "", s); t = s; sub(/\].*/, "", t);
		split(t, p, "."); mono = p[1] * 1000000 + p[2];
		sub(/^[^]]*\] /, "", s); entry(mono, s); next
	}
	/^ / { s = $0; sub(/^ +/, " ", s); entry(mono, s) }' "$2"
}

# web1: postgres in kern.log.1 and again in dmesg (one OOM), memcg in the
#       older kern.log.2.gz
# web2: memcg in messages-20261101.xz; postgres in its journal and again
#       in kern.log.zst (one OOM)
# web3: a syslog whose lines name their host, ci2 (two OOMs), bzip2
mkdir -p fleet/web1/var/log fleet/web2/var/log/journal/0123456789abcdef0123456789abcdef \
	fleet/web3/var/log
cp "$F/postgres-6.8.dmesg" fleet/web1/var/log/kern.log.1
cp "$F/postgres-6.8.dmesg" fleet/web1/var/log/dmesg
gzip -c "$F/memcg-v2-5.15.dmesg" >fleet/web1/var/log/kern.log.2.gz
printf 'Nov 22 10:00:00 web1 kernel: nothing here\n' >fleet/web1/var/log/kern.log
xz -c "$F/memcg-v2-5.15.dmesg" >fleet/web2/var/log/messages-20261101.xz
zstd -q -c "$F/postgres-6.8.dmesg" >fleet/web2/var/log/kern.log.zst
journal_of web2 "$F/postgres-6.8.dmesg" >web2.export
"$remote" -o fleet/web2/var/log/journal/0123456789abcdef0123456789abcdef/system.journal \
	web2.export >/dev/null 2>&1 || skip_all "systemd-journal-remote cannot write here"
bzip2 -c "$F/two-reports-6.1.kern.log" >fleet/web3/var/log/syslog.1.bz2
tar -C fleet -cf - web1 web2 web3 | zstd -q >fleet.tar.zst

# count_host HOST: the count `top --by host --json` gives HOST, or 0
count_host() {
	sed -n "s/.*\"key\":\"$1\",\"count\":\([0-9]*\).*/\1/p" "$OUT" | grep '' || echo 0
}
sql1() {
	run_oomlens sql --csv "$1"
	tr -d '\r' <"$OUT" | sed -n 2p
}

run_oomlens ingest --host-from-dir fleet.tar.zst
expect_rc 0 "one ingest of the whole archive"
expect_out_contains "stored 6 new events, 2 already known, from 8 inputs" \
	"every input read; the copies are said to be known"
expect_out_contains "fleet.tar.zst:web2/var/log/journal/0123456789abcdef0123456789abcdef/system.journal: 1 event" \
	"the journal inside the archive is read natively"
expect_err_not_contains "extract it" "no journal skipped"
run_oomlens top --by host --json
expect_eq "$(count_host web1)" 2 "web1: postgres and memcg"
expect_eq "$(count_host web2)" 2 "web2: memcg and postgres"
expect_eq "$(count_host ci2)" 2 "the syslog keeps its own host"
expect_eq "$(sql1 'SELECT count(*) FROM events')" 6 "six OOMs, each once"
expect_eq "$(sql1 "SELECT count(*) FROM event_sources s JOIN events e ON e.id = s.event_id WHERE e.host = 'web1' AND e.ktime_us = 8123456789")" \
	2 "web1's postgres seen in kern.log.1 and dmesg"
expect_eq "$(sql1 "SELECT count(*) FROM event_sources s JOIN events e ON e.id = s.event_id WHERE e.host = 'web2' AND e.ktime_us = 8123456789")" \
	2 "web2's postgres seen in the journal and kern.log.zst"
expect_eq "$(sql1 "SELECT boot_id FROM events WHERE host = 'web2' AND ktime_us = 8123456789")" \
	4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1 "the merged copy keeps the journal's boot id"
[ -z "$(find "$TEST_TMP" -maxdepth 1 -name 'oomlens-*.journal')" ] &&
	pass "the extracted journal is removed" || fail "the extracted journal is removed"

run_oomlens ingest --host-from-dir fleet.tar.zst
expect_out_contains "system.journal: 0 events" "the journal member resumed after its cursor"
expect_eq "$(sql1 'SELECT count(*) FROM events')" 6 "the archive again adds nothing"

# a journal member larger than OOMLENS_JOURNAL_COPY_MAX is not copied (a
# tiny sparse tar could fill $TMPDIR), and says so; the rest is read
mkdir "$TEST_TMP/tmpd"
TEST_DB=$TEST_TMP/capped.db
OOMLENS_JOURNAL_COPY_MAX=64K TMPDIR=$TEST_TMP/tmpd run_oomlens ingest --host-from-dir fleet.tar.zst
expect_rc 3 "a capped journal member is an input error (exit 3); the ingest goes on"
expect_err_contains "system.journal': larger than OOMLENS_JOURNAL_COPY_MAX allows" \
	"the cap is said"
expect_out_contains "stored 6 new events, 1 already known, from 7 inputs" \
	"every other input is read"
expect_eq "$(find "$TEST_TMP/tmpd" -type f | wc -l | tr -d ' ')" 0 \
	"nothing is left in TMPDIR"

# SIGKILL while the journal member is copied or read: the copy is removed
# all the same (a guard process removes it when oomlens ends, however)
tar -C fleet -cf web2.tar web2
mkfifo web2.fifo
TEST_DB=$TEST_TMP/killed.db
TMPDIR=$TEST_TMP/tmpd "$OOMLENS" --db "$TEST_DB" ingest - <web2.fifo >/dev/null 2>&1 &
PID=$!
half=$(($(wc -c <web2.tar) / 2))
sh -c "head -c $half web2.tar; exec sleep 60" >web2.fifo &
WRITER=$!
# tmp_files: the files in the private TMPDIR
tmp_files() { find "$TEST_TMP/tmpd" -type f | wc -l | tr -d ' '; }
i=0
while [ "$(tmp_files)" = 0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
expect_eq "$(tmp_files)" 1 "the journal member is being copied"
kill -KILL "$PID"
wait "$PID" 2>/dev/null
i=0
while [ "$(tmp_files)" != 0 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
expect_eq "$(tmp_files)" 0 "SIGKILL: the copy is removed all the same"
kill "$WRITER" 2>/dev/null
wait "$WRITER" 2>/dev/null

finish
