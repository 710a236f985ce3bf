#!/bin/sh
# t0300-corpus: the real public reports in ../shared/corpus (third-party,
# never copied here; see its SOURCES.md).  Each report stores one event
# with the victim and trigger its kill line names; the negative control
# stores none.  Skipped with a notice when the corpus is absent.
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

# file  rc  victim-json  trigger-json  more-json
check() {
	file=$CORPUS/$1
	if [ ! -f "$file" ]; then
		fail "$1 is in the corpus"
		return
	fi
	TEST_DB=$TEST_TMP/$1.db
	run_oomlens ingest "$file"
	expect_rc "$2" "$1: ingest"
	[ "$2" = 0 ] || return
	expect_out_contains ": 1 event (" "$1: exactly one event"
	run_oomlens list --json
	[ -z "$3" ] || expect_out_contains "$3" "$1: victim $3"
	[ -z "$4" ] || expect_out_contains "$4" "$1: trigger $4"
	[ -z "$5" ] || expect_out_contains "$5" "$1: $5"
}

# 4.19+ kernels, the scope of the modern parser
check 01-archlinux-6.1.1-global-doxygen.log 0 \
	'"victim":{"pid":473206,"name":"doxygen"}' \
	'"trigger":{"pid":473206,"name":"doxygen"}' '"constraint":"none"'
check 02-proxmox-5.15-cgroup2-lxc-dmesg-T.log 0 \
	'"victim":{"pid":3902942,"name":"php-fpm"}' \
	'"trigger":{"pid":3923954,"name":"php-fpm"}' '"memcg":"/lxc/39004"'
check 04-ubuntu-5.13-sysrq-moom.log 0 \
	'"victim":{"pid":651,"name":"unattended-upgr"}' \
	'"trigger":{"pid":735,"name":"kworker/0:2"}' '"complete":true'
rows 01-archlinux-6.1.1-global-doxygen.log 112
rows 02-proxmox-5.15-cgroup2-lxc-dmesg-T.log 73
rows 04-ubuntu-5.13-sysrq-moom.log 23
# an invocation inside another task's panic: stored, incomplete, no victim
check 08-syzkaller-4.20-invocation-inside-panic.log 0 '' \
	'"trigger":{"name":"syz-executor642"}' '"complete":false'
run_oomlens list --json
expect_out_not_contains '"victim"' "08: no invented victim"
expect_out_not_contains 'kworker/u4:0' "08: the panicking task is not the trigger"
# a page allocation failure is not an OOM kill
check 09-syzkaller-4.15-warn-alloc-NEGATIVE.log 1

# older kernels (the rest of their parsing comes with the next issue):
# the victim the kill line names is found already
check 03-rhel7-3.10-global-sed-mysqld-012.log 0 \
	'"victim":{"pid":6576,"name":"mysqld"}' '"name":"sed"'
check 05-rhel6-2.6.32-syslog-sshd-java.log 0 \
	'"victim":{"pid":13550,"name":"java"}' '"name":"sshd"'
check 06-rhel6-2.6.32-syslog-java-java.log 0 \
	'"victim":{"pid":18938,"name":"java"}' '"name":"java"'
check 07-dcos-memcg1-journalctl-tail-only.log 0 \
	'"victim":{"pid":16883,"name":"oomApp"}' '' '"complete":false'
expect_out_not_contains '"trigger"' "07: a tail gets no invented trigger"
rows 03-rhel7-3.10-global-sed-mysqld-012.log 85
rows 05-rhel6-2.6.32-syslog-sshd-java.log 80
rows 06-rhel6-2.6.32-syslog-java-java.log 78
finish
