#!/bin/sh
# bench.sh OOMLENS: ingest speed against `grep -c` on the same file, in the
# same run.  The workload is generated here: BENCH_MB megabytes (default
# 1024) of syslog with the seed OOM report every ~50 MB.  Prints times,
# peak RSS and the ratio; the target is <= 1.5x grep (see README).
set -eu
bin=${1:-./oomlens}
mb=${BENCH_MB:-1024}
[ -x /usr/bin/time ] || { echo "bench.sh: needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }
# The fastest peers a user has, not only the common ones: ripgrep and
# ISA-L's igzip (Debian packages ripgrep, isal), installed here when
# missing and apt-get can; a row without its peer says so.
if ! command -v rg >/dev/null 2>&1 || ! command -v igzip >/dev/null 2>&1; then
	if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q ripgrep isal \
			>/dev/null 2>&1 || true
	fi
fi
echo "machine: $(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') processors, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oomlens-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
report=tests/fixtures/postgres-6.8.kern.log

# one MiB of ordinary syslog lines, with every letter in use (grep skips
# on rare bytes: a vocabulary without "v" or "k" would flatter it)
awk 'BEGIN {
	srand(1);
	n = split("Started Session of User root.|pam_unix(cron:session): session opened for user root by (uid=0)|Received disconnect from 10.0.0.5 port 22:11: disconnected by user|Invalid user oracle from 203.0.113.7 port 51514|[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56 SRC=198.51.100.9 DST=10.0.0.1 LEN=60 PROTO=TCP SPT=44321 DPT=23 WINDOW=29200 SYN|eth0: Link is Up - 1Gbps/Full - flow control rx/tx|audit: type=1400 apparmor=ALLOWED operation=open profile=/usr/sbin/cupsd name=/etc/ssl/openssl.cnf pid=812 comm=cupsd requested_mask=r|Checking for available updates via fwupd; next check in 6h|Reloading configuration of kubelet.service - quickly verifying 12 jobs|nfs: server backup01 not responding, still trying; xfs_log_force: error -5 returned|Accepted publickey for deploy from 192.0.2.44 port 50122 ssh2: ED25519 SHA256:zQx", msg, "|");
	split("CRON sshd systemd NetworkManager kernel kubelet", tag, " ");
	while (size < 1048576) {
		line = sprintf("Nov 21 03:%02d:%02d db1 %s[%d]: %s", c % 60, c % 60, tag[1 + int(rand() * 6)], int(rand() * 99999), msg[1 + int(rand() * n)]);
		print line; size += length(line) + 1; c++;
	}
}' >"$tmp/block"
i=0
while [ "$i" -lt "$mb" ]; do
	cat "$tmp/block"
	i=$((i + 1))
	[ $((i % 50)) -ne 0 ] || cat "$report"
done >"$tmp/syslog"
size=$(wc -c <"$tmp/syslog")
cat "$tmp/syslog" >/dev/null	# both runs start with a warm page cache

# seconds and peak RSS (KiB) of a command, best of three
measure() {
	best=
	for _ in 1 2 3; do
		rm -f "$tmp/db" "$tmp/db-wal" "$tmp/db-shm"
		# not /dev/null: GNU grep stops at the first match when it writes there
		/usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >"$tmp/out" 2>&1 || true
		# the last line: GNU time first says when a command failed
		t=$(tail -n 1 "$tmp/time" | cut -d' ' -f1)
		if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then
			best=$t
			rss=$(tail -n 1 "$tmp/time" | cut -d' ' -f2)
		fi
	done
	echo "$best $rss"
}

g=$(measure grep -c 'invoked oom-killer' "$tmp/syslog")
o=$(measure "$bin" --db "$tmp/db" ingest -q "$tmp/syslog")
echo "input: $((size / 1048576)) MiB syslog, $((mb / 50)) OOM reports"
echo "$g" | awk '{ printf "grep -c:         %6.2f s  %7d KiB peak RSS\n", $1, $2 }'
echo "$o" | awk '{ printf "oomlens ingest:  %6.2f s  %7d KiB peak RSS\n", $1, $2 }'
awk -v g="${g%% *}" -v o="${o%% *}" 'BEGIN {
	if (g > 0) printf "ratio ingest/grep: %.2fx (target <= 1.5x)\n", o / g }'
if command -v rg >/dev/null 2>&1; then
	r=$(measure rg -c 'invoked oom-killer' "$tmp/syslog")
	echo "$r" | awk '{ printf "rg -c:           %6.2f s  %7d KiB peak RSS\n", $1, $2 }'
	awk -v g="${r%% *}" -v o="${o%% *}" 'BEGIN {
		if (g > 0) printf "ratio ingest/rg: %.2fx (target <= 1.2x)\n", o / g }'
else
	echo "rg -c: not installed (Debian package ripgrep): no ratio"
fi

# the same file gzipped, against `zcat | wc -l` (target <= 1.1x)
gzip -1 -c "$tmp/syslog" >"$tmp/syslog.gz"
z=$(measure sh -c "zcat '$tmp/syslog.gz' | wc -l")
o=$(measure "$bin" --db "$tmp/db" ingest -q "$tmp/syslog.gz")
# the binary's gzip decoder: ISA-L's when the build found libisal-dev
if ldd "$bin" 2>/dev/null | grep -q libisal; then
	dec="ISA-L"
else
	dec="zlib: built without libisal-dev"
fi
echo
echo "gzip -1 of the same file, $(($(wc -c <"$tmp/syslog.gz") / 1048576)) MiB; oomlens decodes with $dec"
echo "$z" | awk '{ printf "zcat | wc -l:    %6.2f s\n", $1 }'
echo "$o" | awk '{ printf "oomlens ingest:  %6.2f s  %7d KiB peak RSS (the .gz)\n", $1, $2 }'
awk -v g="${z%% *}" -v o="${o%% *}" 'BEGIN {
	if (g > 0) printf "ratio ingest/zcat: %.2fx (target <= 1.1x)\n", o / g }'
if command -v igzip >/dev/null 2>&1; then
	z=$(measure sh -c "igzip -dc '$tmp/syslog.gz' | wc -l")
	echo "$z" | awk '{ printf "igzip -dc | wc -l: %6.2f s\n", $1 }'
	awk -v g="${z%% *}" -v o="${o%% *}" 'BEGIN {
		if (g > 0) printf "ratio ingest/igzip: %.2fx (target <= 0.8x)\n", o / g }'
else
	echo "igzip: not installed (Debian package isal): no ratio"
fi
rm -f "$tmp/syslog.gz"

# many small reports: BENCH_REPORTS (default 100000) of them, ingested
# (events a second, target >= 25k) and exported as ECS (target <= 1.5 s)
nrep=${BENCH_REPORTS:-100000}
sh scripts/gen-reports.sh "$nrep" >"$tmp/reports.log"
rm -f "$tmp/db" "$tmp/db-wal" "$tmp/db-shm"
/usr/bin/time -f "%e %M" -o "$tmp/time" "$bin" --db "$tmp/db" ingest -q \
	"$tmp/reports.log" >/dev/null 2>&1 || true
o=$(tail -n 1 "$tmp/time")
/usr/bin/time -f "%e %M" -o "$tmp/time" "$bin" --db "$tmp/db" export \
	>/dev/null 2>&1 || true
e=$(tail -n 1 "$tmp/time")
echo
echo "$o" | awk -v n="$nrep" '{ printf "%d small reports: ingest %.2f s, %.0f events/s (target >= 25000), %d KiB peak RSS\n", n, $1, ($1 > 0 ? n / $1 : 0), $2 }'
echo "$e" | awk '{ printf "export (ECS): %.2f s (target <= 1.5 s), %d KiB peak RSS\n", $1, $2 }'
rm -f "$tmp/reports.log" "$tmp/db" "$tmp/db-wal" "$tmp/db-shm"

# a fleet: BENCH_FLEET_MB (default 512) of the syslog as rotated, gzipped
# logs of 16 hosts, in a directory and in a tar.gz, ingested with one
# parse thread and with one per processor (--jobs), against
# `zcat FILES | wc -l` and `tar -xzOf | zcat | wc -l`
fmb=${BENCH_FLEET_MB:-512}
mkdir -p "$tmp/fleet"
head -c $((fmb * 1048576)) "$tmp/syslog" | split -C $((fmb * 1048576 / 16)) -d -a 2 - "$tmp/fleet/part"
for f in "$tmp"/fleet/part*; do
	h=host${f##*part}
	mkdir -p "$tmp/fleet/$h/var/log"
	gzip -1 -c "$f" >"$tmp/fleet/$h/var/log/syslog.2.gz"
	rm -f "$f"
done
tar -C "$tmp/fleet" -czf "$tmp/fleet.tar.gz" .
cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
# the -j 1 and the -j $cpus measures ($1, $2) of the same inputs
show_jobs() {
	echo "$1" | awk '{ printf "oomlens ingest -j 1:    %6.2f s  %7d KiB peak RSS\n", $1, $2 }'
	echo "$2" | awk -v n="$cpus" '{ printf "oomlens ingest -j %d:    %6.2f s  %7d KiB peak RSS\n", n, $1, $2 }'
}
z=$(measure sh -c "zcat '$tmp'/fleet/*/var/log/*.gz | wc -l")
o1=$(measure "$bin" --db "$tmp/db" ingest -q -j 1 --host-from-dir "$tmp/fleet")
on=$(measure "$bin" --db "$tmp/db" ingest -q --host-from-dir "$tmp/fleet")
echo
echo "fleet: $fmb MiB of syslog in 16 gzipped files, $cpus processors"
echo "$z" | awk '{ printf "zcat FILES | wc -l:     %6.2f s\n", $1 }'
show_jobs "$o1" "$on"
awk -v g="${z%% *}" -v a="${o1%% *}" -v b="${on%% *}" 'BEGIN {
	if (g > 0 && b > 0) printf "ratio ingest/zcat: %.2fx; -j 1 / -j N: %.2fx\n", b / g, a / b }'
t=$(measure sh -c "tar -xzOf '$tmp/fleet.tar.gz' | zcat | wc -l")
o1=$(measure "$bin" --db "$tmp/db" ingest -q -j 1 "$tmp/fleet.tar.gz")
on=$(measure "$bin" --db "$tmp/db" ingest -q "$tmp/fleet.tar.gz")
echo "tar -xzOf | zcat | wc -l: ${t%% *} s (the same fleet as one tar.gz)"
show_jobs "$o1" "$on"
awk -v g="${t%% *}" -v a="${o1%% *}" -v b="${on%% *}" 'BEGIN {
	if (g > 0 && b > 0) printf "ratio ingest/tar: %.2fx; -j 1 / -j N: %.2fx\n", b / g, a / b }'
rm -rf "$tmp/fleet" "$tmp/fleet.tar.gz"

# a journal holding the same records (the first BENCH_JOURNAL_MB of them:
# systemd-journal-remote writes about 4 MB/s here), against
# `journalctl --file F -o export` (target <= 1.0x); then as a directory of
# 6 rotated files against `journalctl -D DIR -k -o export` (target <= 0.8x)
remote=
for p in /lib/systemd/systemd-journal-remote /usr/lib/systemd/systemd-journal-remote; do
	[ -x "$p" ] && remote=$p
done
jmb=${BENCH_JOURNAL_MB:-64}
if [ -n "$remote" ] && command -v journalctl >/dev/null 2>&1; then
	# syslog line -> export entry: the tag's program, kernel lines with
	# _TRANSPORT=kernel and their kernel time
	{ head -c $((jmb * 1048576)) "$tmp/syslog" | sed '$d'; cat "$report"; } | awk '
	BEGIN { t = 1795222603000000 }
	{
		t += 1000; host = $4; tag = $5; sub(/:$/, "", tag); sub(/\[.*/, "", tag)
		msg = $0; sub(/^[^:]*:[^:]*:[^:]*: /, "", msg)
		printf "__REALTIME_TIMESTAMP=%.0f\n__MONOTONIC_TIMESTAMP=%.0f\n", t, t - 1795222600000000
		printf "_BOOT_ID=4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1\n_HOSTNAME=%s\n", host
		if (tag == "kernel") {
			k = msg; sub(/^\[ */, "", k); sub(/\].*/, "", k); split(k, p, ".")
			sub(/^\[[^]]*\] /, "", msg)
			printf "_TRANSPORT=kernel\nSYSLOG_IDENTIFIER=kernel\n_SOURCE_MONOTONIC_TIMESTAMP=%.0f\n", p[1] * 1000000 + p[2]
		} else
			printf "_TRANSPORT=syslog\nSYSLOG_IDENTIFIER=%s\n", tag
		printf "MESSAGE=%s\n\n", msg
	}' >"$tmp/export"
	mkdir -p "$tmp/j" "$tmp/jdir"
	"$remote" -o "$tmp/j/bench.journal" "$tmp/export" >/dev/null 2>&1
	# the same entries as a directory of 6 files, as journald leaves
	# them: 5 rotated (system@N.journal, archived: state 2 in the
	# header) and the active system.journal; read side by side by the
	# workers
	n=$(grep -c '^__REALTIME_TIMESTAMP=' "$tmp/export")
	awk -v per=$(((n + 5) / 6)) -v d="$tmp/jdir" 'BEGIN { RS = ""; ORS = "\n\n" }
		{ print > (d "/part" int((NR - 1) / per)) }' "$tmp/export"
	for k in 0 1 2 3 4 5; do
		f=$tmp/jdir/system@$k.journal
		[ $k = 5 ] && f=$tmp/jdir/system.journal
		"$remote" -o "$f" "$tmp/jdir/part$k" >/dev/null 2>&1
		[ $k = 5 ] || printf '\002' | dd of="$f" bs=1 seek=16 conv=notrunc 2>/dev/null
		rm -f "$tmp/jdir/part$k"
	done
	rm -f "$tmp/export"
	j=$(measure sh -c "journalctl --file '$tmp/j/bench.journal' -o export >/dev/null")
	o=$(measure "$bin" --db "$tmp/db" ingest -q "$tmp/j/bench.journal")
	echo
	echo "journal: $jmb MiB of the syslog's records, $(($(wc -c <"$tmp/j/bench.journal") / 1048576)) MiB journal file"
	echo "$j" | awk '{ printf "journalctl -o export: %6.2f s\n", $1 }'
	echo "$o" | awk '{ printf "oomlens ingest:       %6.2f s  %7d KiB peak RSS\n", $1, $2 }'
	awk -v g="${j%% *}" -v o="${o%% *}" 'BEGIN {
		if (g > 0) printf "ratio ingest/journalctl: %.2fx (target <= 1.0x)\n", o / g }'
	rm -rf "$tmp/j"
	j=$(measure sh -c "journalctl -D '$tmp/jdir' -k -o export >/dev/null")
	o1=$(measure "$bin" --db "$tmp/db" ingest -q -j 1 "$tmp/jdir")
	on=$(measure "$bin" --db "$tmp/db" ingest -q "$tmp/jdir")
	echo "journal dir: the same entries in 6 files (5 rotated), $cpus processors"
	echo "$j" | awk '{ printf "journalctl -D DIR -k -o export: %6.2f s\n", $1 }'
	show_jobs "$o1" "$on"
	awk -v g="${j%% *}" -v a="${o1%% *}" -v b="${on%% *}" 'BEGIN {
		if (g > 0 && b > 0) printf "ratio ingest/journalctl: %.2fx (target <= 0.8x); -j 1 / -j N: %.2fx\n", b / g, a / b }'
	rm -rf "$tmp/jdir"
else
	echo
	echo "journal: skipped (needs systemd-journal-remote and journalctl)"
fi

# BENCH_STREAM_GB (default 10) GiB streamed through a pipe into
# `ingest -` (no file that large is written): memory must stay flat
gb=${BENCH_STREAM_GB:-10}
i=0
while [ "$i" -lt 64 ]; do
	cat "$tmp/block"
	i=$((i + 1))
done >"$tmp/chunk"
cat "$report" >>"$tmp/chunk"
rm -f "$tmp/syslog" "$tmp/db" "$tmp/db-wal" "$tmp/db-shm"
n=$((gb * 1024 / 64))
i=0
while [ "$i" -lt "$n" ]; do
	cat "$tmp/chunk"
	i=$((i + 1))
done | /usr/bin/time -f "%e %M" -o "$tmp/time" "$bin" --db "$tmp/db" ingest -q - ||
	true
echo
tail -n 1 "$tmp/time" | awk -v gb="$gb" -v n="$n" '{ printf "stream: %d GiB (%d OOM reports) into ingest -: %.1f s, %d KiB peak RSS (target < 64 MB)\n", gb, n, $1, $2 }'
