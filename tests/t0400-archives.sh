#!/bin/sh
# t0400-archives: a log archive of many hosts.  Two hosts as directories,
# rotated and compressed files (gzip, xz, zstd, bzip2, named as logrotate
# names them or not at all), read as a directory and as a .tgz, hosts
# from each one's hostname file (a directory of sosreports); a sosreport
# whose hostname file comes after its dmesg; --host-from-dir for hosts
# as bare directories; damaged files reported and skipped while the rest
# is stored.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

for c in gzip xz zstd bzip2 tar; do
	command -v $c >/dev/null 2>&1 || skip_all "no $c (make deps installs it)"
done

F=$FIXTURES
cd "$TEST_TMP" || exit 1

# fleet/web1: postgres (dmesg, no host field) and a memcg OOM (dmesg)
# fleet/web2: the same two, plus a syslog with its own host, ci2
mkdir -p fleet/web1 fleet/web2/var/log
cp "$F/postgres-6.8.dmesg" fleet/web1/kern.log.1
gzip -c "$F/memcg-v2-5.15.dmesg" >fleet/web1/kern.log.2.gz
printf 'Nov 22 10:00:00 web1 kernel: nothing here\n' >fleet/web1/kern.log
zstd -q -c "$F/postgres-6.8.dmesg" >fleet/web2/var/log/syslog.1.zst
bzip2 -c "$F/memcg-v2-5.15.dmesg" >fleet/web2/var/log/messages-20261101
xz -c "$F/two-reports-6.1.kern.log" >fleet/web2/var/log/syslog.2.xz
printf 'utmp\000\000\000\001' >fleet/web2/var/log/wtmp
tar -C fleet -czf bare.tgz web1 web2
# each host directory says who it is, as an unpacked sosreport does
echo web1 >fleet/web1/hostname
mkdir -p fleet/web2/sos_commands/host
echo web2 >fleet/web2/sos_commands/host/hostname
tar -C fleet -czf fleet.tgz web1 web2

# count_host HOST: the count `top --by host --json` gives HOST, or 0
count_host() {
	sed -n "s/.*\"key\":\"$1\",\"count\":\([0-9]*\).*/\1/p" "$OUT" | grep '' || echo 0
}

TEST_DB=$TEST_TMP/dir.db
run_oomlens ingest fleet
expect_rc 0 "a directory of hosts"
expect_out_contains "stored 6 events from 8 inputs, 1 skipped" "every log read, wtmp skipped"
expect_err_contains "skipping 'fleet/web2/var/log/wtmp': binary, not a text log" \
	"the binary file is named"
# rotated logs oldest first, within each directory
order=$(grep -o 'web1/kern.log[^:]*' "$OUT" | tr '\n' ' ')
expect_eq "$order" "web1/kern.log.2.gz web1/kern.log.1 web1/kern.log " "web1 oldest first"
order=$(grep -o 'log/[a-z]*[^:]*' "$OUT" | tr '\n' ' ')
expect_eq "$order" "log/messages-20261101 log/syslog.2.xz log/syslog.1.zst " \
	"web2 oldest first, compressed by magic whatever the name"
run_oomlens top --by host --json
expect_eq "$(count_host web1)" 2 "web1: two events"
expect_eq "$(count_host web2)" 2 "web2: two events"
expect_eq "$(count_host ci2)" 2 "a syslog keeps its own host"
run_oomlens list --host web1 --json
expect_out_contains '"victim":{"pid":1201,"name":"postgres"}' "web1 has the postgres kill"

TEST_DB=$TEST_TMP/tgz.db
run_oomlens ingest --json fleet.tgz
expect_rc 0 "the same hosts as a .tgz"
expect_out_contains '"path":"fleet.tgz:web1/kern.log.2.gz","events":1' \
	"members are named ARCHIVE:member"
expect_out_contains '"path":"fleet.tgz:web2/var/log/wtmp","events":0,"lines":0,"bytes":0,"warnings":0,"userspace_messages":0,"skipped":"binary"' \
	"the binary member is skipped"
expect_out_contains '"events":6,"known_events":0,"failed_inputs":0,"skipped_inputs":1' \
	"totals: six events, none a copy of another"
run_oomlens top --by host --json
expect_eq "$(count_host web1)" 2 "tgz: web1"
expect_eq "$(count_host web2)" 2 "tgz: web2"
expect_eq "$(count_host ci2)" 2 "tgz: ci2"

# without the hostname files nothing names the dmesg hosts; --host does
TEST_DB=$TEST_TMP/nohost.db
run_oomlens ingest -q bare.tgz
expect_rc 0 "a .tgz without hostname files"
run_oomlens top --by host --json
expect_out_contains '{"by":"host","key":null,"count":' "the dmesg events have no host"
expect_eq "$(count_host web1)" 0 "no web1 without its hostname file"
TEST_DB=$TEST_TMP/fallback.db
run_oomlens ingest -q --host fallback fleet/web1 fleet/web2/var/log/syslog.1.zst
run_oomlens top --by host --json
expect_eq "$(count_host web1)" 2 "the hostname file before --host"
expect_eq "$(count_host fallback)" 1 "--host for what nothing else names"

# bare host directories: --host-from-dir names them, before the
# hostname files and --host
rm -rf bare && mkdir bare && tar -C bare -xzf bare.tgz
TEST_DB=$TEST_TMP/fromdir.db
run_oomlens ingest --host-from-dir --host fallback bare
expect_rc 0 "--host-from-dir on a directory"
expect_out_contains "stored 6 events from 6 inputs, 1 skipped" "every log read"
run_oomlens top --by host --json
expect_eq "$(count_host web1)" 2 "--host-from-dir: web1"
expect_eq "$(count_host web2)" 2 "--host-from-dir: web2"
expect_eq "$(count_host ci2)" 2 "--host-from-dir: a syslog keeps its own host"
expect_eq "$(count_host fallback)" 0 "--host-from-dir before --host"
TEST_DB=$TEST_TMP/fromdir-tgz.db
run_oomlens ingest --host-from-dir bare.tgz
expect_rc 0 "--host-from-dir on a .tgz"
run_oomlens top --by host --json
expect_eq "$(count_host web1)" 2 "--host-from-dir in the .tgz: web1"
expect_eq "$(count_host web2)" 2 "--host-from-dir in the .tgz: web2"
mkdir -p bare/sos1/sos_commands/host
echo db9 >bare/sos1/sos_commands/host/hostname
cp "$F/postgres-6.8.dmesg" bare/sos1/dmesg
cp "$F/postgres-6.8.dmesg" bare/loose.dmesg
TEST_DB=$TEST_TMP/fromdir-sos.db
run_oomlens ingest -q --host-from-dir --host fallback bare/sos1 bare/loose.dmesg
run_oomlens top --by host --json
expect_eq "$(count_host sos1)" 0 "only directories below PATH name hosts"
expect_eq "$(count_host db9)" 1 "the sosreport's own hostname file"
expect_eq "$(count_host fallback)" 1 "--host for a file given alone"

# a sosreport packed by GNU tar: the hostname file after the dmesg
mkdir -p sosreport-db9-2026/sos_commands/kernel sosreport-db9-2026/sos_commands/host
cp "$F/postgres-6.8.dmesg" sosreport-db9-2026/sos_commands/kernel/dmesg
echo db9.example.com >sosreport-db9-2026/sos_commands/host/hostname
tar -cJf sos.tar.xz sosreport-db9-2026/sos_commands/kernel/dmesg \
	sosreport-db9-2026/sos_commands/host/hostname
TEST_DB=$TEST_TMP/sos.db
run_oomlens ingest --host fallback sos.tar.xz
expect_rc 0 "a sosreport archive"
expect_out_contains "sos.tar.xz:sosreport-db9-2026/sos_commands/kernel/dmesg: 1 event" \
	"its dmesg is read"
run_oomlens list --json
expect_out_contains '"host":"db9.example.com"' "the sosreport names the host, before --host"
# as sos writes it (sorted), the same on a pipe
tar -cJf sos-sorted.tar.xz sosreport-db9-2026/sos_commands/host/hostname \
	sosreport-db9-2026/sos_commands/kernel/dmesg
TEST_DB=$TEST_TMP/sos-pipe.db
run_oomlens ingest - <sos-sorted.tar.xz
expect_rc 0 "a sosreport on standard input"
expect_out_contains "-:sosreport-db9-2026/sos_commands/kernel/dmesg: 1 event" \
	"members of stdin are named -:member"
run_oomlens list --json
expect_out_contains '"host":"db9.example.com"' "host from the pipe's sosreport"

# damaged inputs: named, nothing of them stored, the others stored
gzip -c "$F/postgres-6.8.kern.log" >good.gz
head -c 2000 good.gz >cut.gz
cp good.gz corrupt.gz
dd if=/dev/zero of=corrupt.gz bs=1 seek=1000 count=16 conv=notrunc 2>/dev/null
xz -c "$F/two-reports-6.1.kern.log" >full.xz
head -c "$(($(wc -c <full.xz) / 2))" full.xz >cut.xz
TEST_DB=$TEST_TMP/bad.db
run_oomlens ingest cut.gz cut.xz good.gz corrupt.gz "$F/memcg-v2-5.15.dmesg"
expect_rc 3 "damaged inputs are a runtime error"
expect_err_contains "cannot read 'cut.gz': truncated gzip data (unexpected end of input), nothing of it stored" \
	"the cut gzip is named"
expect_err_contains "cannot read 'cut.xz': truncated xz data (unexpected end of input), nothing of it stored" \
	"the cut xz is named"
expect_err_contains "cannot read 'corrupt.gz': corrupt gzip data (" \
	"the corrupt gzip is named"
expect_out_contains "stored 2 events from 2 inputs" "the good ones are stored"
run_oomlens list --json
n=$(grep -c '"id"' "$OUT")
expect_eq "$n" 2 "nothing of the damaged ones"

# an OpenShift must-gather: each node's files under nodes/NODE/ are that
# node's, in the directory and packed in a tar.gz; a dmesg outside nodes/
# has no host
mg=must-gather.local.5120/quay-io-openshift-release-dev-ocp-v4-0
mkdir -p "$mg/nodes/worker-1" "$mg/nodes/worker-2" "$mg/cluster-scoped-resources"
cp "$F/postgres-6.8.dmesg" "$mg/nodes/worker-1/dmesg"
gzip -c "$F/memcg-v2-5.15.dmesg" >"$mg/nodes/worker-2/dmesg.gz"
cp "$F/two-reports-6.1.kern.log" "$mg/nodes/worker-2/kern.log"
cp "$F/postgres-6.8.dmesg" "$mg/cluster-scoped-resources/dmesg"
tar -czf mg.tar.gz must-gather.local.5120
# hosts: "host=events ..." of the database, in host order ("none": no host)
hosts() {
	"$OOMLENS" --db "$TEST_DB" sql --csv "SELECT coalesce(host, 'none') || '=' || count(*) FROM events GROUP BY host ORDER BY host" |
		tr -d '\r' | sed 1d | tr '\n' ' '
}
kern_host=$(sed -n '1s/^[A-Z][a-z]* [ 0-9]* [0-9:]* \([^ ]*\) .*/\1/p' "$F/two-reports-6.1.kern.log")
TEST_DB=$TEST_TMP/mg.db
run_oomlens ingest must-gather.local.5120
expect_rc 0 "a must-gather directory"
expect_eq "$(hosts)" "none=1 $kern_host=2 worker-1=1 worker-2=1 " \
	"nodes/NODE/ names the host of the dmesg files below it; lines that name theirs keep it; outside nodes/ none"
TEST_DB=$TEST_TMP/mg-tgz.db
run_oomlens ingest mg.tar.gz
expect_rc 0 "a must-gather tar.gz"
expect_eq "$(hosts)" "none=1 $kern_host=2 worker-1=1 worker-2=1 " "the same in the archive"

# a quoted wildcard is expanded by ingest itself; one matching nothing is
# named as missing
TEST_DB=$TEST_TMP/glob.db
run_oomlens ingest 'must-gather.local.5120/*/nodes/*/dmesg*' 'no-such-*.log'
expect_rc 3 "a wildcard matching nothing is an error"
expect_err_contains "cannot read 'no-such-*.log': No such file or directory" \
	"the pattern that matched nothing is named"
expect_eq "$(hosts)" "worker-1=1 worker-2=1 " "the pattern's two dmesg files, each its node's"

# an archive cut short: the members before the cut are kept (web1 is
# all in the first half: tar was given web1 first)
gzip -dc bare.tgz | head -c 15000 | gzip >cut.tgz
TEST_DB=$TEST_TMP/cut-tgz.db
run_oomlens ingest cut.tgz
expect_rc 3 "a cut archive"
expect_err_contains "corrupt tar archive (Truncated tar archive)" "says why"
expect_out_contains "cut.tgz:web1/kern.log.1: 1 event" "members before the cut are stored"
run_oomlens list
n=$(grep -c '^[0-9]' "$OUT")
expect_eq "$n" 2 "both of web1's events"
finish
