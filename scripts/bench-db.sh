#!/bin/sh
# bench-db.sh OOMLENS: query speed on a database of BENCH_EVENTS (default
# 100000) OOM events from 10 hosts, generated here.  Times `why` (target
# under 50 ms), `list`, `top` and `export`, each against `oomlens
# --version` (the cost of starting the binary) in the same run.
set -eu
bin=${1:-./oomlens}
events=${BENCH_EVENTS:-100000}
[ -x /usr/bin/time ] || { echo "bench-db.sh: needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oomlens-benchdb.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# one small 6.1-layout global OOM per minute and host; victims rotate
awk -v n="$events" 'BEGIN {
	split("postgres java node python3 mysqld redis-server nginx php-fpm", v, " ");
	for (i = 0; i < n; i++) {
		h = sprintf("host%02d", i % 10); m = int(i / 10);
		t = sprintf("Nov %2d %02d:%02d:%02d %s kernel: [%6d.%06d] ", 1 + int(m / 1440) % 28, int(m / 60) % 24, m % 60, i % 60, h, 1000 + m, i % 1000000);
		victim = v[1 + (i * 7 + int(i / 10)) % 8]; pid = 1000 + i % 30000;
		print t "stress invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0";
		print t "CPU: 1 PID: 4242 Comm: stress Not tainted 6.1.0-26-amd64 #1 Debian 6.1.112-1";
		print t "Mem-Info:";
		print t "active_anon:1900000 inactive_anon:60000 isolated_anon:0";
		print t " free:20000 free_pcp:100 free_cma:0";
		print t "Node 0 Normal: 100*4kB (UME) 50*8kB (UM) = 800kB";
		print t "Free swap  = 0kB";
		print t "Total swap = 1048572kB";
		print t "2097152 pages RAM";
		print t "51200 pages reserved";
		print t "Tasks state (memory values in pages):";
		print t "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name";
		print t sprintf("[%7d]     0   300    12000     2000   110592        0          -250 systemd-journal", 300);
		print t sprintf("[%7d]  1000  %d   900000   700000  5000000     1000             0 stress", 4242, 4242);
		print t sprintf("[%7d]    26  %d  1200000 %8d 10000000     2000             0 %s", pid, pid, 900000 + i % 1000, victim);
		print t "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/" victim ".service,task=" victim ",pid=" pid ",uid=26";
		print t "Out of memory: Killed process " pid " (" victim ") total-vm:4800000kB, anon-rss:3600000kB, file-rss:4000kB, shmem-rss:0kB, UID:26 pgtables:9765kB oom_score_adj:0";
	}
}' >"$tmp/syslog"
touch -d "2026-11-30 00:00:00Z" "$tmp/syslog"
/usr/bin/time -f "%e %M" -o "$tmp/time" "$bin" --db "$tmp/db" ingest -q "$tmp/syslog"
read -r secs rss <"$tmp/time"
n=$("$bin" --db "$tmp/db" list --json | wc -l)
echo "database: $n events from $(wc -c <"$tmp/syslog") bytes of syslog, ingested in ${secs} s (peak RSS ${rss} KiB)"

# milliseconds of a command, best of five
ms() {
	best=
	for _ in 1 2 3 4 5; do
		t0=$(date +%s%N)
		"$@" >"$tmp/out" 2>&1 || true
		t=$((($(date +%s%N) - t0) / 1000000))
		if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
	done
	echo "$best"
}

base=$(ms "$bin" --version)
report() {
	printf '%-32s %6d ms  (%s)\n' "$1" "$2" "$3"
}
report "oomlens --version (baseline)" "$base" "process start"
w=$(ms "$bin" --db "$tmp/db" why postgres)
report "oomlens why postgres" "$w" "target < 50 ms"
w=$(ms "$bin" --db "$tmp/db" why --host host03 java)
report "oomlens why --host host03 java" "$w" "target < 50 ms"
w=$(ms "$bin" --db "$tmp/db" top --by culprit)
report "oomlens top --by culprit" "$w" "all events"
w=$(ms "$bin" --db "$tmp/db" list --host host03 --since 2026-11-02)
report "oomlens list --host --since" "$w" "$(($(wc -l <"$tmp/out") - 1)) events"
w=$(ms "$bin" --db "$tmp/db" list)
report "oomlens list" "$w" "$n events"
