#!/bin/sh
# t0300-corpus: the real public reports in ../shared/corpus (third-party,
# never copied here; see its SOURCES.md).  Each file stores what SOURCES.md
# states: the victim as its kill line names it, the trigger (comm, and pid
# where a CPU:/Pid: line prints it), the scope, and the task-dump rows.  The
# negative control stores nothing; tails and cut reports are flagged and
# get nothing invented.  Skipped with a notice when the corpus is absent.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

CORPUS=${OOMLENS_CORPUS:-$TESTS_DIR/../../shared/corpus}
[ -d "$CORPUS" ] || skip_all "no corpus at $CORPUS (set OOMLENS_CORPUS)"

# rows FILE N: the event's task dump has N rows (SOURCES.md counts them)
rows() {
	TEST_DB=$TEST_TMP/$1.db
	run_oomlens export
	n=$(grep -o '"rss_pages":' "$OUT" | wc -l)
	expect_eq "$n" "$2" "$1: $2 task-dump rows"
}

# check FILE RC VICTIM-JSON TRIGGER-JSON MORE-JSON...
check() {
	name=$1
	file=$CORPUS/$1
	rc=$2
	shift 2
	if [ ! -f "$file" ]; then
		fail "$name is in the corpus"
		return
	fi
	TEST_DB=$TEST_TMP/$name.db
	run_oomlens ingest "$file"
	expect_rc "$rc" "$name: ingest"
	[ "$rc" = 0 ] || return
	expect_out_contains ": 1 event (" "$name: exactly one event"
	expect_err_empty "$name: no warning"
	run_oomlens list --json
	for want in "$@"; do
		[ -z "$want" ] || expect_out_contains "$want" "$name: $want"
	done
}

# shows FILE TEXT...: `oomlens export` of the file's event holds each TEXT
shows() {
	TEST_DB=$TEST_TMP/$1.db
	name=$1
	shift
	run_oomlens export
	for want in "$@"; do
		expect_out_contains "$want" "$name: $want"
	done
}

check 01-archlinux-6.1.1-global-doxygen.log 0 \
	'"victim":{"pid":473206,"name":"doxygen"}' \
	'"trigger":{"pid":473206,"name":"doxygen"}' '"constraint":"none"' \
	'"complete":true'
shows 01-archlinux-6.1.1-global-doxygen.log '"release":"6.1.1-arch1-1"' \
	'"task_path":"/user.slice/user-504.slice/session-2.scope"' '"reaper":{"state":"reaped"'
rows 01-archlinux-6.1.1-global-doxygen.log 112

check 02-proxmox-5.15-cgroup2-lxc-dmesg-T.log 0 \
	'"victim":{"pid":3902942,"name":"php-fpm"}' \
	'"trigger":{"pid":3923954,"name":"php-fpm"}' '"constraint":"memcg"' \
	'"memcg":"/lxc/39004"'
shows 02-proxmox-5.15-cgroup2-lxc-dmesg-T.log '"release":"5.15.158-2-pve"' \
	'"swap":{"usage_kb":'
rows 02-proxmox-5.15-cgroup2-lxc-dmesg-T.log 73

# RHEL 7 3.10: no constraint printed; global from the report's shape
check 03-rhel7-3.10-global-sed-mysqld-012.log 0 \
	'"victim":{"pid":6576,"name":"mysqld"}' \
	'"trigger":{"pid":29481,"name":"sed"}' '"constraint":"none"'
shows 03-rhel7-3.10-global-sed-mysqld-012.log '"constraint_inferred"' \
	'"release":"3.10.0-514.6.1.el7.x86_64"' '"score":651' '"mems_allowed":"0-1"'
rows 03-rhel7-3.10-global-sed-mysqld-012.log 85

check 04-ubuntu-5.13-sysrq-moom.log 0 \
	'"victim":{"pid":651,"name":"unattended-upgr"}' \
	'"trigger":{"pid":735,"name":"kworker/0:2"}' '"constraint":"none"' \
	'"complete":true'
shows 04-ubuntu-5.13-sysrq-moom.log '"order":-1'
rows 04-ubuntu-5.13-sysrq-moom.log 23

# RHEL 6 2.6.32: the trigger pid is on the "Pid: N, comm: X" line
check 05-rhel6-2.6.32-syslog-sshd-java.log 0 \
	'"victim":{"pid":13550,"name":"java"}' \
	'"trigger":{"pid":24113,"name":"sshd"}' '"constraint":"none"'
shows 05-rhel6-2.6.32-syslog-sshd-java.log '"release":"2.6.32-431.11.2.el6.x86_64"' \
	'"uid":500' '"score":416'
rows 05-rhel6-2.6.32-syslog-sshd-java.log 80
check 06-rhel6-2.6.32-syslog-java-java.log 0 \
	'"victim":{"pid":18938,"name":"java"}' \
	'"trigger":{"pid":18429,"name":"java"}' '"constraint":"none"'
rows 06-rhel6-2.6.32-syslog-java-java.log 78

# a tail: its rows, flagged, no invented trigger or kernel
check 07-dcos-memcg1-journalctl-tail-only.log 0 \
	'"victim":{"pid":16883,"name":"oomApp"}' '"constraint":"memcg"' \
	'"complete":false'
expect_out_not_contains '"trigger"' "07: a tail gets no invented trigger"
shows 07-dcos-memcg1-journalctl-tail-only.log '"no_header"' '"score":877' \
	'"reaper":{"state":"reaped"'
expect_out_not_contains '"release"' "07: no invented kernel"
rows 07-dcos-memcg1-journalctl-tail-only.log 4

# an invocation inside another task's panic: stored, incomplete, no victim
check 08-syzkaller-4.20-invocation-inside-panic.log 0 \
	'"trigger":{"name":"syz-executor642"}' '"complete":false'
expect_out_not_contains '"victim"' "08: no invented victim"
expect_out_not_contains '"constraint"' "08: the scope cannot be told"
expect_out_not_contains 'kworker/u4:0' "08: the panicking task is not the trigger"
shows 08-syzkaller-4.20-invocation-inside-panic.log '"cpuset":"syz4"' \
	'"mems_allowed":"0-1"' '"cut"'
rows 08-syzkaller-4.20-invocation-inside-panic.log 0

# a page allocation failure is not an OOM kill
check 09-syzkaller-4.15-warn-alloc-NEGATIVE.log 1
# why names a cause for every corpus kill (issue 16): the kind, from the
# vocabulary, never "none"; the cases below are the ones the easy answer
# (the largest task) reads wrong or cannot tell
kind() {
	TEST_DB=$TEST_TMP/$1.db
	run_oomlens why --json "$2"
	expect_rc 0 "$1: why $2"
	expect_out_contains "\"diagnosis\":{\"kind\":\"$3\"" "$1: the cause is $3"
}
kind 01-archlinux-6.1.1-global-doxygen.log doxygen largest-consumer
kind 02-proxmox-5.15-cgroup2-lxc-dmesg-T.log php-fpm cgroup-limit
expect_out_contains '"also":["process-group"],"culprit":{"kind":"tasks","name":"php-fpm","tasks":18' \
	"02: 18 php-fpm workers together fill the container, no single one"
kind 03-rhel7-3.10-global-sed-mysqld-012.log mysqld largest-consumer
kind 04-ubuntu-5.13-sysrq-moom.log unattended-upgr manual
expect_out_contains '"culprit":{"kind":"none"}' "04: a manual kill has no culprit"
kind 05-rhel6-2.6.32-syslog-sshd-java.log java largest-consumer
kind 06-rhel6-2.6.32-syslog-java-java.log java largest-consumer
kind 07-dcos-memcg1-journalctl-tail-only.log oomApp cgroup-limit

finish
