#!/bin/sh
# tests/run.sh BIN [UNIT_BIN...]: the test runner behind `make check-one`.
#
# Runs each unit-test binary (from the current directory), then every CLI
# test tests/tNNNN-*.sh (from its own fresh temporary directory) with
# OOMLENS=<absolute BIN>, FIXTURES=<absolute tests/fixtures>, TZ=UTC,
# LC_ALL=C, and a fresh TMPDIR (= TEST_TMP) per program, stdin from
# /dev/null.  Each program closes with "[name: ]N passed, N failed"; a
# program without that line, or exiting non-zero, counts as (at least) one
# failure.  Prints each program's closing line (and the output of those
# that failed), then the total "N passed, N failed" as the last line.
# Exits 1 when anything failed.
#
# TEST_TIMEOUT (seconds, default 600) bounds each program; OOMLENS_TESTS=glob
# (a shell glob matched against the program's name) runs only some.

set -u
LC_ALL=C
export LC_ALL

if [ $# -lt 1 ]; then
	echo "usage: sh tests/run.sh BIN [UNIT_BIN...]" >&2
	exit 2
fi

abspath() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$(pwd)" "$1" ;;
	esac
}

tests_dir=$(cd "$(dirname "$0")" && pwd)
bin=$(abspath "$1")
shift
fixtures=$tests_dir/fixtures
timeout_s=${TEST_TIMEOUT:-600}
only=${OOMLENS_TESTS:-*}

tmproot=$(mktemp -d "${TMPDIR:-/tmp}/oomlens-run.XXXXXX") || exit 1
trap 'rm -rf "$tmproot"' EXIT
trap 'exit 130' INT HUP TERM

if command -v timeout >/dev/null 2>&1; then
	with_timeout="timeout -k 10 $timeout_s"
else
	with_timeout=
fi

total_pass=0
total_fail=0
n=0

# run_prog NAME WHERE CMD...: run CMD in the current directory (WHERE=here)
# or in its fresh temporary directory (WHERE=tmp), and count its result.
run_prog() {
	name=$1
	where=$2
	shift 2
	# shellcheck disable=SC2254 # $only is a glob on purpose
	case $name in
	$only) ;;
	*) return 0 ;;
	esac
	n=$((n + 1))
	tmp=$tmproot/$n
	log=$tmproot/$n.log
	mkdir "$tmp" || exit 1
	(
		[ "$where" = here ] || cd "$tmp" || exit 1
		# shellcheck disable=SC2086 # $with_timeout is a command prefix
		env TZ=UTC LC_ALL=C TMPDIR="$tmp" TEST_TMP="$tmp" \
			OOMLENS="$bin" FIXTURES="$fixtures" \
			$with_timeout "$@"
		# Not the last command, so the shell doesn't exec the program and
		# reports a crash ("Segmentation fault") into the log.
		exit $?
	) </dev/null >"$log" 2>&1
	rc=$?

	line=$(awk '/^([^ ]+: )?[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$/ { l = $0 }
		END { print l }' "$log")
	note=
	if [ -z "$line" ]; then
		p=0
		f=1
		if [ "$rc" -eq 124 ] && [ -n "$with_timeout" ]; then
			note="timed out after ${timeout_s}s"
		elif [ "$rc" -gt 128 ]; then
			note="killed by signal $((rc - 128)), no closing line"
		else
			note="exit status $rc, no closing line"
		fi
		line="$name: 0 passed, 1 failed"
	else
		counts=${line##*: }
		p=${counts%% passed*}
		f=${counts#*passed, }
		f=${f%% failed*}
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
			note="exit status $rc after its closing line; counted as 1 failed"
		fi
	fi
	if [ "$f" -ne 0 ] || [ "$rc" -ne 0 ]; then
		sed 's/^/  | /' "$log"
		[ -z "$note" ] || echo "$name: $note"
	fi
	echo "$line"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

for u in "$@"; do
	run_prog "$(basename "$u")" here "$(abspath "$u")"
done

for t in "$tests_dir"/t[0-9][0-9][0-9][0-9]-*.sh; do
	[ -e "$t" ] || continue
	run_prog "$(basename "$t" .sh)" tmp sh "$t"
done

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
