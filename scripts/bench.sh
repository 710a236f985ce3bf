#!/bin/sh
# bench.sh OOMLENS: ingest speed against `grep -c` on the same file, in the
# same run.  The workload is generated here: BENCH_MB megabytes (default
# 1024) of syslog with the seed OOM report every ~50 MB.  Prints times,
# peak RSS and the ratio; the target is <= 1.5x grep (see README).
set -eu
bin=${1:-./oomlens}
mb=${BENCH_MB:-1024}
[ -x /usr/bin/time ] || { echo "bench.sh: needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }
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
		t=$(cut -d' ' -f1 "$tmp/time")
		if [ -z "$best" ] || awk "BEGIN { exit !($t < $best) }"; then
			best=$t
			rss=$(cut -d' ' -f2 "$tmp/time")
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
