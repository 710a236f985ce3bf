#!/bin/sh
# tests/fuzz/run.sh: seeds and runs of the libFuzzer harnesses (fuzz-*.c).
#
#   run.sh have-fuzzer CC       can CC build a libFuzzer program? (exit 0/1)
#   run.sh seeds DIR            write the seed corpora to DIR/<harness>/
#   run.sh smoke BUILD          replay seeds and saved crashers (regress/),
#                               then fuzz each harness SMOKE_TIME seconds
#                               (default 3); "N passed, N failed" at the end
#   run.sh fuzz BUILD SECONDS   fuzz each harness (FUZZ_ONLY=name: one) for
#                               SECONDS, niced, its corpus kept in
#                               BUILD/corpus/<harness>, crashers written to
#                               BUILD/crashes/<harness>/
#
# Seeds are made here from tests/fixtures (the synthetic fixtures) at run
# time: the text fixtures as they are, compressed with every codec, and
# packed into tar archives.  Nothing third-party is copied.  A crasher
# found by a run goes, once fixed, into regress/<harness>/ (named after
# what it broke), and every smoke run replays it.

set -u
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")" && pwd)
fixtures=$here/../fixtures
harnesses="scan source archive store journal"

# The text fixtures: every log, not the facts, generators or README.
text_fixtures() {
	for f in "$fixtures"/*; do
		case $f in
		*.facts | *.py | *.md) continue ;;
		esac
		[ -f "$f" ] && echo "$f"
	done
}

have() {
	command -v "$1" >/dev/null 2>&1
}

have_fuzzer() {
	t=$(mktemp -d "${TMPDIR:-/tmp}/oomlens-fuzzcc.XXXXXX") || return 1
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
		'{ (void)d; (void)n; return 0; }' >"$t/t.c"
	"$1" -fsanitize=fuzzer,address,undefined -o "$t/t" "$t/t.c" \
		>/dev/null 2>&1
	rc=$?
	rm -rf "$t"
	return $rc
}

# The dictionary of the text harnesses: every literal the classifier looks
# for (.contains of patterns.c and the patterns-*.inc it includes, scan.c's
# anchors), and container marks.
write_dict() {
	{
		sed -n 's/.*\.contains = \("[^"]*"\).*/\1/p' \
			"$here/../../parsers/patterns.c" \
			"$here"/../../parsers/patterns-*.inc
		sed -n '/anchors\[\]/,/};/p' "$here/../../parsers/scan.c" |
			grep -o '"[^"]*"'
		printf '%s\n' '"kernel: "' '"[    0.000000] "' '"<4>"' '"<6>,"' \
			'"-- Boot "' '"#012"' '"\x0d\x0a"' '" [T1234] "' \
			'"4,1234,5678,-;"' '"<6>1 2026-11-22T12:00:00Z "' \
			'"Nov 22 12:00:00 "' '"2026-11-22T12:00:00+0000 "' \
			'"[Sun Nov 22 12:00:00 2026] "' '"> "' '"\x1b["' \
			'"\xc3\xa9"' '"\xff"' '"\x00"'
	} | sort -u | awk '{ printf "k%d=%s\n", NR, $0 }'
}

seeds() {
	rm -rf "$1"
	mkdir -p "$1" || return 1
	out=$(cd "$1" && pwd)
	tmp=$out/.tmp
	mkdir -p "$out/scan" "$out/source" "$out/archive" "$out/store" "$out/journal" \
		"$tmp/logs/host1/var/log" "$tmp/sos/sosreport-db1-2026/sos_commands/host" || return 1
	i=0
	for f in $(text_fixtures); do
		i=$((i + 1))
		b=$(basename "$f")
		cp "$f" "$out/scan/$b"
		cp "$f" "$out/store/$b"
		cp "$f" "$tmp/logs/host1/var/log/$b"
	done
	# CRLF line ends and a cut at an odd place, from the seed fixture
	sed 's/$/\r/' "$fixtures/postgres-6.8.kern.log" >"$out/scan/crlf.kern.log"
	head -c 5000 "$fixtures/postgres-6.8.dmesg" >"$out/scan/cut.dmesg"
	cp "$out/scan/crlf.kern.log" "$out/store/"
	# every codec, over two small fixtures; and gzip members concatenated
	for f in postgres-6.8.dmesg era-4.19.kern.log; do
		cp "$fixtures/$f" "$out/source/$f"
		gzip -9c "$fixtures/$f" >"$out/source/$f.gz"
		have xz && xz -c "$fixtures/$f" >"$out/source/$f.xz"
		have zstd && zstd -q -c "$fixtures/$f" >"$out/source/$f.zst"
		have bzip2 && bzip2 -c "$fixtures/$f" >"$out/source/$f.bz2"
	done
	{ gzip -c "$fixtures/era-4.14.dmesg"; gzip -c "$fixtures/era-4.19.kern.log"; } \
		>"$out/source/two-members.gz"
	# archives: a host tree, a sosreport (hostname file after the log),
	# compressed, and an archive inside an archive
	cp "$fixtures/postgres-6.8.messages" "$tmp/sos/sosreport-db1-2026/messages"
	echo db1 >"$tmp/sos/sosreport-db1-2026/sos_commands/host/hostname"
	(
		cd "$tmp" || exit 1
		tar -cf "$out/archive/hosts.tar" logs/host1/var/log/postgres-6.8.dmesg \
			logs/host1/var/log/era-4.19.kern.log
		tar -cf "$out/archive/sos.tar" sos
		gzip -9c "$out/archive/sos.tar" >"$out/archive/sos.tgz"
		have xz && xz -c "$out/archive/hosts.tar" >"$out/archive/hosts.tar.xz"
		cp "$out/archive/sos.tgz" inner.tgz
		tar -cf "$out/archive/nested.tar" inner.tgz
	) || return 1
	journal_seeds "$out/journal"
	write_dict >"$out/text.dict"
	{
		cat "$out/text.dict"
		printf '%s\n' '"__REALTIME_TIMESTAMP="' '"__MONOTONIC_TIMESTAMP="' \
			'"_BOOT_ID="' '"_TRANSPORT=kernel"' '"_HOSTNAME="' '"MESSAGE="' \
			'"MESSAGE\x0a"' '"SYSLOG_IDENTIFIER="' '"__CURSOR="' \
			'"_SOURCE_MONOTONIC_TIMESTAMP="' '"\"MESSAGE\":"' \
			'"\"_TRANSPORT\":\"kernel\""' '"\"__REALTIME_TIMESTAMP\":\""' \
			'"\x1e"' '"\\u0000"' '"\\ud83d"' '"[104,105]"' |
			awk '{ printf "j%d=%s\n", NR, $0 }'
	} >"$out/journal.dict"
	rm -rf "$tmp"
}

# journal_seeds DIR: the seed fixture as journalctl -o export and -o json
# would print it (one kernel entry per dmesg line), as json-seq, and an
# export with a binary-safe MESSAGE field and a userspace entry.
journal_seeds() {
	awk -v boot=1795222603543211 -v json=0 -f "$here/journal-seed.awk" \
		"$fixtures/postgres-6.8.dmesg" >"$1/postgres.export"
	awk -v boot=1795222603543211 -v json=1 -f "$here/journal-seed.awk" \
		"$fixtures/postgres-6.8.dmesg" >"$1/postgres.json"
	awk -v boot=1795222603543211 -v json=1 -f "$here/journal-seed.awk" \
		"$fixtures/era-4.19.kern.log" | sed 's/^/\x1e/' >"$1/era.json-seq"
	{
		printf '__REALTIME_TIMESTAMP=1795222603543211\n_TRANSPORT=kernel\nMESSAGE\n'
		printf '\023\000\000\000\000\000\000\000two\nlines\000and a NUL\n\n'
		printf '__REALTIME_TIMESTAMP=1795222603543212\n_TRANSPORT=syslog\n'
		printf 'SYSLOG_IDENTIFIER=systemd\nMESSAGE=x.service: Failed with result '"'"'oom-kill'"'"'.\n\n'
	} >"$1/binary.export"
}

# fuzz_args HARNESS SEEDS: the options every run of a harness takes.
fuzz_args() {
	case $1 in
	scan | store) echo "-dict=$2/text.dict -max_len=65536" ;;
	journal) echo "-dict=$2/journal.dict -max_len=65536" ;;
	*) echo "-max_len=65536" ;;
	esac
}

smoke() {
	build=$1
	secs=${SMOKE_TIME:-3}
	work=$build/smoke
	rm -rf "$work"
	seeds "$work/seeds" || exit 1
	pass=0
	failed=0
	for h in $harnesses; do
		bin=$build/fuzz-$h
		mkdir -p "$work/corpus-$h" "$work/crash-$h"
		cp "$work/seeds/$h"/* "$work/corpus-$h/"
		regress=
		[ -d "$here/regress/$h" ] && regress=$here/regress/$h
		# shellcheck disable=SC2046,SC2086 # word lists on purpose
		if "$bin" $(fuzz_args "$h" "$work/seeds") -runs=0 \
			"$work/seeds/$h" $regress >"$work/$h.replay.log" 2>&1; then
			pass=$((pass + 1))
		else
			failed=$((failed + 1))
			echo "FAIL: fuzz-$h: a seed or saved crasher fails:"
			tail -n 40 "$work/$h.replay.log" | sed 's/^/  | /'
		fi
		# shellcheck disable=SC2046
		if "$bin" $(fuzz_args "$h" "$work/seeds") -max_total_time="$secs" \
			-timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
			-artifact_prefix="$work/crash-$h/" "$work/corpus-$h" \
			>"$work/$h.fuzz.log" 2>&1; then
			pass=$((pass + 1))
			echo "fuzz-$h: $(grep -c . "$work/seeds/$h"/* 2>/dev/null | wc -l) seeds" \
				"and $(ls "$regress" 2>/dev/null | wc -l) crashers replayed;" \
				"$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$h.fuzz.log") runs in ${secs}s"
		else
			failed=$((failed + 1))
			echo "FAIL: fuzz-$h found a crash in ${secs}s (kept in $work/crash-$h):"
			tail -n 40 "$work/$h.fuzz.log" | sed 's/^/  | /'
		fi
	done
	echo "fuzz-smoke: $pass passed, $failed failed"
	[ "$failed" -eq 0 ]
}

fuzz() {
	build=$1
	secs=$2
	# runs of single harnesses may go on side by side: seeds of their own
	sd=$build/seeds-$(echo "${FUZZ_ONLY:-all}" | tr ' ' -)
	seeds "$sd" || exit 1
	status=0
	for h in ${FUZZ_ONLY:-$harnesses}; do
		corpus=$build/corpus/$h
		mkdir -p "$corpus" "$build/crashes/$h"
		echo "fuzz-$h: ${secs}s, corpus $corpus" >&2
		# -timeout=60: niced on a busy machine, a 50 ms input once took
		# over 10 s of wall time; a real hang still ends the run
		# shellcheck disable=SC2046
		nice -n 19 "$build/fuzz-$h" $(fuzz_args "$h" "$sd") \
			-max_total_time="$secs" -timeout=60 -rss_limit_mb=2048 \
			-print_final_stats=1 -artifact_prefix="$build/crashes/$h/" \
			"$corpus" "$sd/$h" 2>&1 | tee "$build/fuzz-$h.log" |
			grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::|ERROR|SUMMARY' >&2
		grep -q '^stat::number_of_executed_units' "$build/fuzz-$h.log" ||
			status=1
	done
	return $status
}

case ${1:-} in
have-fuzzer) have_fuzzer "${2:-clang}" ;;
seeds) seeds "$2" ;;
smoke) smoke "$2" ;;
fuzz) fuzz "$2" "$3" ;;
*)
	echo "usage: sh tests/fuzz/run.sh have-fuzzer CC | seeds DIR | smoke BUILD | fuzz BUILD SECONDS" >&2
	exit 2
	;;
esac
