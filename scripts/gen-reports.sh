#!/bin/sh
# gen-reports.sh N [FILLER]: N distinct small OOM reports (6.1 layout, raw
# dmesg, one host) on stdout, each followed by FILLER lines of other
# kernel chatter (default 0), for tests that need a big input: their
# kernel times differ, so none is a copy of another.
n=${1:?usage: gen-reports.sh N [FILLER]}
awk -v n="$n" -v filler="${2:-0}" 'BEGIN {
	for (i = 0; i < n; i++) {
		t = sprintf("[%6d.%06d] ", 1000 + i, i % 1000000);
		pid = 1000 + i;
		print t "stress invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0";
		print t "CPU: 1 PID: 4242 Comm: stress Not tainted 6.1.0-26-amd64 #1 Debian 6.1.112-1";
		print t "Mem-Info:";
		print t "active_anon:1900000 inactive_anon:60000 isolated_anon:0";
		print t "2097152 pages RAM";
		print t "Tasks state (memory values in pages):";
		print t "[  pid  ]   uid  tgid total_vm      rss pgtables_bytes swapents oom_score_adj name";
		print t sprintf("[%7d]  1000  4242   900000   700000  5000000     1000             0 stress", 4242);
		print t sprintf("[%7d]    26 %5d  1200000   900000 10000000     2000             0 worker%d", pid, pid, i);
		print t "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice/w.service,task=worker" i ",pid=" pid ",uid=26";
		print t "Out of memory: Killed process " pid " (worker" i ") total-vm:4800000kB, anon-rss:3600000kB, file-rss:4000kB, shmem-rss:0kB, UID:26 pgtables:9765kB oom_score_adj:0";
		for (k = 0; k < filler; k++)
			print t "usb 1-1: new high-speed USB device number " k " using xhci_hcd";
	}
}'
