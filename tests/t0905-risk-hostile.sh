#!/bin/sh
# t0905-risk-hostile: risk --proc on a tree no kernel writes.  Numbers out
# of range (an oom_score_adj past [-1000, 1000] or past int64_t, a VmRSS
# past any memory, a cgroup's memory.current of 2^64 - 1 bytes) leave the
# process or value out, said in a warning, never overflowing (UBSan) or
# printed as "16384 PiB" or "inf%"; a FIFO in place of a file is not read
# (it would block forever) and counts as missing.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

P=$TEST_TMP/proc
C=$TEST_TMP/cgroup

# task PID NAME RSS_KB ADJ [VMRSS_KB]
task() {
	mkdir -p "$P/$1"
	cat >"$P/$1/status" <<EOT
Name:	$2
Tgid:	$1
Uid:	0	0	0	0
VmSize:	  999999 kB
VmRSS:	 ${5:-$3} kB
RssAnon:	 $3 kB
RssFile:	 0 kB
RssShmem:	 0 kB
VmPTE:	 40 kB
VmSwap:	 0 kB
EOT
	echo "$4" >"$P/$1/oom_score_adj"
	echo "0::/system.slice/$2.service" >"$P/$1/cgroup"
}

mkdir -p "$P/sys/kernel" "$P/pressure"
cat >"$P/meminfo" <<EOT
MemTotal:       16424692 kB
MemFree:          112624 kB
MemAvailable:     180000 kB
SwapTotal:       2097148 kB
SwapFree:        1000000 kB
EOT
echo 6.8.0-45-generic >"$P/sys/kernel/osrelease"
echo hostile >"$P/sys/kernel/hostname"
printf 'some avg10=inf avg60=nan avg300=1e999 total=1\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n' \
	>"$P/pressure/memory"
task 100 good 400000 0
task 101 second 200000 0
task 200 adjmax 100000 9223372036854775807
task 201 adjbig 100000 5000
task 202 adjlow 100000 -9223372036854775808
task 203 adjlong 100000 99999999999999999999999
task 300 rssmax 18446744073709551615 0
task 301 rsslong 99999999999999999999999 0
task 302 vmrssmax 1000 0 18446744073709551615
task 303 rsshuge 1125899906842624 0

mkdir -p "$C/system.slice/good.service" "$C/system.slice/second.service"
echo 1000000000 >"$C/memory.current"
echo 18446744073709551615 >"$C/system.slice/good.service/memory.current"
echo 1073741824 >"$C/system.slice/good.service/memory.max"
echo 4096 >"$C/system.slice/second.service/memory.current"
echo 0 >"$C/system.slice/second.service/memory.max"

run_oomlens risk --proc "$P" --cgroup "$C"
expect_rc 0 "risk on a hostile tree"
expect_out_contains "     1      100  good" "the sound process is ranked first"
expect_out_contains "     2      101  second" "and the other second"
for name in adjmax adjbig adjlow adjlong rssmax rsslong vmrssmax rsshuge; do
	expect_out_not_contains " $name " "$name is not ranked"
done
expect_out_contains "8 processes left out of the ranking" \
	"a warning counts those left out"
expect_out_not_contains "PiB" "no size past any memory"
expect_out_not_contains "inf" "no infinity"
expect_out_not_contains "nan" "no NaN"
expect_out_not_contains "Memory pressure (PSI)" "PSI of infinities is not shown"
expect_out_contains "/system.slice/second.service has a limit of 0" \
	"a limit of 0 is said, not divided by"
run_oomlens risk --json --proc "$P" --cgroup "$C"
expect_rc 0 "risk --json on a hostile tree"
expect_out_not_contains "inf" "json: no infinity"
expect_out_contains '"name":"good"' "json: the sound process"
expect_out_not_contains '"name":"rssmax"' "json: not the damaged ones"

# FIFOs in place of files: not opened for reading (that blocks until a
# writer comes), so the run ends
mkfifo "$P/101/oom_score_adj.fifo" 2>/dev/null || skip_all "no mkfifo here"
rm "$P/101/oom_score_adj" "$P/101/oom_score_adj.fifo" \
	"$P/vmstat" "$C/system.slice/good.service/memory.max" 2>/dev/null
mkfifo "$P/101/oom_score_adj" "$P/vmstat" "$C/system.slice/good.service/memory.max"
rm "$P/200/status"
mkfifo "$P/200/status"
timeout 20 "$OOMLENS" --db "$TEST_DB" risk --proc "$P" --cgroup "$C" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 0 "FIFOs in the tree: the run ends"
expect_out_contains "     1      100  good" "FIFOs: the ranking is still there"
rm "$P/meminfo"
mkfifo "$P/meminfo"
timeout 20 "$OOMLENS" --db "$TEST_DB" risk --proc "$P" --cgroup "$C" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 3 "meminfo a FIFO: an error, not a hang"
expect_err_contains "not a regular file" "and says why"
finish
