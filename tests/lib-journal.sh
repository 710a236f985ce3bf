# shellcheck shell=sh
# tests/lib-journal.sh: journal files for the journal tests, built at test
# time from Journal Export Format text with systemd-journal-remote (Debian
# package systemd-journal-remote).  Source it after lib.sh.

JOURNAL_REMOTE=
for _j_p in /lib/systemd/systemd-journal-remote \
	/usr/lib/systemd/systemd-journal-remote; do
	[ -x "$_j_p" ] && JOURNAL_REMOTE=$_j_p
done

# need_journal_tools: skip the test without systemd-journal-remote and
# journalctl.
need_journal_tools() {
	[ -n "$JOURNAL_REMOTE" ] ||
		skip_all "systemd-journal-remote is not installed"
	command -v journalctl >/dev/null 2>&1 ||
		skip_all "journalctl is not installed"
}

# dmesg_export DMESG BOOT_ID HOST BOOT_US SHIFT_US [N [STEP_US]]: the dmesg
# report DMESG as export entries on stdout, N times (default 1), the k-th
# copy (from 0) at kernel times + SHIFT_US + k * STEP_US: one kernel entry
# per line (continuation lines too, as the kernel logs them), realtime =
# BOOT_US + kernel time.  %.0f because mawk prints %d of a number past 2^31
# as 2147483647.
dmesg_export() {
	awk -v boot_id="$2" -v host="$3" -v boot="$4" -v shift_us="$5" \
		-v n="${6:-1}" -v step="${7:-0}" '
	function entry(mono, msg) {
		printf "__REALTIME_TIMESTAMP=%.0f\n__MONOTONIC_TIMESTAMP=%.0f\n", boot + mono, mono;
		printf "_BOOT_ID=%s\n_HOSTNAME=%s\n", boot_id, host;
		printf "_TRANSPORT=kernel\nSYSLOG_IDENTIFIER=kernel\n";
		printf "_SOURCE_MONOTONIC_TIMESTAMP=%.0f\nMESSAGE=%s\n\n", mono, msg;
	}
	/^\[ *[0-9]+\.[0-9]+\] / {
		s = $0; sub(/^\[ */, "", s); t = s; sub(/\].*/, "", t);
		split(t, p, "."); mono = p[1] * 1000000 + p[2];
		sub(/^[^]]*\] /, "", s); nm++; m[nm] = mono; txt[nm] = s; next
	}
	/^ / { s = $0; sub(/^ +/, " ", s); nm++; m[nm] = mono; txt[nm] = s }
	END {
		for (k = 0; k < n; k++)
			for (i = 1; i <= nm; i++)
				entry(m[i] + shift_us + k * step, txt[i]);
	}' "$1"
}

# forged_export BOOT_ID HOST REALTIME_US: a `logger -t kernel` imitation of
# a kill line (userspace transport, SYSLOG_IDENTIFIER=kernel).
forged_export() {
	printf '__REALTIME_TIMESTAMP=%s\n_BOOT_ID=%s\n_HOSTNAME=%s\n' "$3" "$1" "$2"
	printf '_TRANSPORT=syslog\nSYSLOG_IDENTIFIER=kernel\n_PID=4242\n'
	printf 'MESSAGE=Out of memory: Killed process 1 (init) total-vm:4kB, '
	printf 'anon-rss:4kB, file-rss:0kB, shmem-rss:0kB\n\n'
}

# earlyoom_export BOOT_ID HOST REALTIME_US COMM [EXE UID UNIT]: earlyoom's
# kill line as an entry whose trusted _COMM (journald reads it from /proc)
# is COMM: "earlyoom" for the daemon, "logger" for `logger -t earlyoom`;
# with _EXE, _UID and _SYSTEMD_UNIT when given.
earlyoom_export() {
	printf '__REALTIME_TIMESTAMP=%s\n_BOOT_ID=%s\n_HOSTNAME=%s\n' "$3" "$1" "$2"
	printf '_TRANSPORT=syslog\nSYSLOG_IDENTIFIER=earlyoom\n_PID=733\n_COMM=%s\n' "$4"
	[ -z "$5" ] || printf '_EXE=%s\n_UID=%s\n_SYSTEMD_UNIT=%s\n' "$5" "$6" "$7"
	printf 'MESSAGE=sending SIGTERM to process 2210 uid 1000 "pytest": '
	printf 'oom_score 912, oom_score_adj 0, VmRSS 11897 MiB, cmdline "pytest"\n\n'
}

# build_journal OUT.journal EXPORT...: write a journal file.
build_journal() {
	_j_out=$1
	shift
	"$JOURNAL_REMOTE" -o "$_j_out" "$@" >/dev/null 2>&1
}
