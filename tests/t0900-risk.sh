#!/bin/sh
# t0900-risk: the live view.  Fixture trees of /proc and the cgroup tree
# are written here (a global view with PSI and cgroup v2, one without PSI,
# one with cgroup v1 only); the ranking, the headroom and the warnings are
# checked against numbers computed by hand (reference §3.3, E4); then the
# real /proc of this machine, where our oom_score must equal the kernel's.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

P=$TEST_TMP/proc
C=$TEST_TMP/cgroup

# task PID NAME UID ANON_KB FILE_KB SHMEM_KB SWAP_KB PTE_KB ADJ SCORE CGROUP
task() {
	mkdir -p "$P/$1"
	cat >"$P/$1/status" <<EOT
Name:	$2
Umask:	0022
State:	S (sleeping)
Tgid:	$1
Pid:	$1
Uid:	$3	$3	$3	$3
VmSize:	  9999999 kB
VmRSS:	 $(($4 + $5 + $6)) kB
RssAnon:	 $4 kB
RssFile:	 $5 kB
RssShmem:	 $6 kB
VmPTE:	 $8 kB
VmSwap:	 $7 kB
EOT
	echo "$9" >"$P/$1/oom_score_adj"
	echo "${10}" >"$P/$1/oom_score"
	echo "${11}" >"$P/$1/cgroup"
}

mkdir -p "$P/sys/kernel" "$P/pressure"
cat >"$P/meminfo" <<EOT
MemTotal:       16424692 kB
MemFree:          112624 kB
MemAvailable:     180000 kB
Shmem:           4091484 kB
SwapTotal:       2097148 kB
SwapFree:         104856 kB
EOT
echo 6.8.0-45-generic >"$P/sys/kernel/osrelease"
echo db1 >"$P/sys/kernel/hostname"
printf 'some avg10=12.50 avg60=6.10 avg300=2.00 total=123456\nfull avg10=3.00 avg60=1.00 avg300=0.50 total=4567\n' >"$P/pressure/memory"
printf 'nr_free_pages 28156\noom_kill 3\n' >"$P/vmstat"
# T = 16424692/4 + 2097148/4 = 4106173 + 524287 = 4630460; T/1000 = 4630
task 1 systemd 0 4000 6000 0 0 80 0 0 0::/init.scope
task 421 systemd-udevd 0 1640 4040 0 1580 80 -1000 0 0::/system.slice/systemd-udevd.service
# postgres: 1182946 rss + 28850 swap + 2412 pt = 1214208; (1000+262)*2/3 = 841
task 1201 postgres 26 632904 19492 4079388 115400 9648 0 841 0::/system.slice/postgresql.service
# pytest: 2727426 + 451200 + 5345 - 500*4630 = 868971; (1000+187)*2/3 = 791
task 3456 pytest 1000 10885216 24488 0 1804800 21380 -500 791 0::/user.slice/user-1000.slice/session-3.scope
# cron: 750 + 12 = 762; 666
task 702 cron 0 1000 2000 0 0 48 0 666 0::/system.slice/cron.service

mkdir -p "$C/system.slice/postgresql.service" "$C/system.slice/cron.service" \
	"$C/user.slice/user-1000.slice/session-3.scope"
echo 19000000000 >"$C/memory.current"
echo 5000000000 >"$C/system.slice/postgresql.service/memory.current"
echo max >"$C/system.slice/postgresql.service/memory.max"
echo 3000000 >"$C/system.slice/cron.service/memory.current"
echo 536870912 >"$C/system.slice/cron.service/memory.max"
S=$C/user.slice/user-1000.slice/session-3.scope
echo 12700000000 >"$S/memory.current"
echo 12884901888 >"$S/memory.max"
echo 11811160064 >"$S/memory.high"
echo max >"$S/memory.swap.max"
printf 'low 0\nhigh 120\nmax 10\noom 2\noom_kill 1\n' >"$S/memory.events"
echo 0 >"$S/memory.oom.group"

run_oomlens risk --proc "$P" --cgroup "$C"
expect_rc 0 "risk on a fixture tree"
expect_out_contains "Host db1, kernel 6.8.0-45-generic (badness era E4)." "host and era"
expect_out_contains "totalpages 4630460" "totalpages from meminfo"
expect_out_contains "     1     1201  postgres" "postgres would die first"
expect_out_contains "1214208    841     841" "its points and oom_score, as the kernel's"
expect_out_contains "     2     3456  pytest" "pytest second, thanks to its -500"
expect_out_contains "868971    791     791" "pytest's points and score"
expect_out_not_contains "systemd-udevd" "-1000 is never a candidate"
expect_out_not_contains "  1  systemd" "init is never a candidate"
expect_out_contains "they agree for 4 of 4 processes" "our scores equal the kernel's"
expect_out_contains "some avg10=12.50 avg60=6.10 avg300=2.00" "PSI"
expect_out_contains "OOM kills since boot: 3." "vmstat oom_kill"
expect_out_contains "/user.slice/user-1000.slice/session-3.scope: 11.8 GiB of 12.0 GiB, headroom 176.3 MiB; would kill pytest (pid 3456); 1 OOM kill so far" \
	"a limited cgroup: headroom, victim, history"
expect_out_contains "postgres (pid 1201), a database, is #1 in line" "warns: a database first"
expect_out_contains "swap is 95% used" "warns: swap nearly full"
expect_out_contains "memory pressure is rising" "warns: pressure rising"
expect_out_contains "1 service run without MemoryMax" "warns: a service without MemoryMax"
expect_out_contains "session-3.scope is at 99% of its limit" "warns: close to a limit"

run_oomlens risk --json --top 2 --proc "$P" --cgroup "$C"
expect_out_contains '"ranking":[{"rank":1,"pid":1201,"name":"postgres","usage_kb":4856832,"oom_score_adj":0,"points":1214208,"oom_score":841,"kernel_oom_score":841' \
	"json ranking"
expect_out_contains '"scores_compared":4,"scores_matched":4' "json: scores compared"

# a kernel without PSI, cgroup v1 only
rm -r "$P/pressure" "$C"
mkdir -p "$C/memory/docker/abc"
echo 20000000000 >"$C/memory/memory.usage_in_bytes"
echo 9223372036854771712 >"$C/memory/memory.limit_in_bytes"
echo 900000000 >"$C/memory/docker/abc/memory.usage_in_bytes"
echo 1073741824 >"$C/memory/docker/abc/memory.limit_in_bytes"
printf 'oom_kill_disable 0\nunder_oom 0\noom_kill 4\n' >"$C/memory/docker/abc/memory.oom_control"
echo "4:memory:/docker/abc" >"$P/702/cgroup"
run_oomlens risk --proc "$P" --cgroup "$C"
expect_rc 0 "risk without PSI, cgroup v1"
expect_out_contains "No /proc/pressure/memory (kernel without PSI)." "PSI absent is said"
expect_out_contains "/docker/abc: 858.3 MiB of 1.0 GiB, headroom 165.7 MiB; would kill cron (pid 702); 4 OOM kills so far" \
	"a v1 limit"
expect_out_not_contains "memory pressure is rising" "no PSI, no pressure warning"

# --record keeps the snapshot; a later OOM of db1 is compared with it.
# At the snapshot pytest was small: 2000000 + 24488 + 1804800 + 21380 kB.
task 3456 pytest 1000 2000000 24488 0 1804800 21380 -500 0 0::/user.slice/user-1000.slice/session-3.scope
run_oomlens risk --record --proc "$P" --cgroup "$C"
expect_rc 0 "risk --record"
expect_out_contains "Snapshot recorded." "says so"
# an OOM of db1 a year later (the syslog year follows the file's mtime)
cp "$FIXTURES/postgres-6.8.kern.log" "$TEST_TMP/later.kern.log"
touch -d "2027-11-22 12:00:00Z" "$TEST_TMP/later.kern.log"
run_oomlens ingest -q "$TEST_TMP/later.kern.log"
run_oomlens why postgres
# 3183971 pages x 4 kB at the OOM - 3850668 kB then = 8885216 kB
expect_out_contains "(oomlens risk --record), pytest grew the most: +8.5 GiB." \
	"why compares with the last snapshot before the OOM"
run_oomlens why --json postgres
expect_out_contains '"snapshot_growth":{"snapshot_id":1,"name":"pytest","kb":8885216}' \
	"and says so in JSON"

# the live system: our oom_score equals the kernel's for every process
if [ -r /proc/self/oom_score ]; then
	ok=0
	for try in 1 2 3; do
		run_oomlens risk --json --top 1
		c=$(sed -n 's/.*"scores_compared":\([0-9]*\),"scores_matched":\([0-9]*\).*/\1 \2/p' "$OUT")
		set -- $c
		if [ -n "${1:-}" ] && [ "$1" -gt 0 ] && [ "$1" = "$2" ]; then
			ok=1
			break
		fi
	done
	if [ "$ok" = 1 ]; then
		pass "live: the ranking agrees with /proc/*/oom_score for all $1 processes"
	else
		fail "live: the ranking agrees with /proc/*/oom_score" "$c"
	fi
else
	echo "t0900-risk: no /proc/self/oom_score here, live check skipped"
fi
finish
