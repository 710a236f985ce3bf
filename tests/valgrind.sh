#!/bin/sh
# tests/valgrind.sh BIN: the CLI tests (tests/tNNNN-*.sh) with every run of
# BIN under valgrind's memcheck (`make valgrind`).  Any invalid read or
# write, use of an uninitialised value, or definitely or indirectly lost
# block fails: the run exits 99 (so the test that made it fails too) and
# its report is printed at the end.  Reports go to build/valgrind/logs.
# OOMLENS_TESTS selects tests as for tests/run.sh; the big inputs of
# t0810 are made smaller (valgrind runs some 30 times slower).
set -u
if [ $# -ne 1 ]; then
	echo "usage: sh tests/valgrind.sh BIN" >&2
	exit 2
fi
command -v valgrind >/dev/null 2>&1 || {
	echo "valgrind: not installed (Debian package valgrind)" >&2
	exit 1
}
here=$(cd "$(dirname "$0")" && pwd)
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(dirname "$(dirname "$bin")")	# build/
dir=$top/valgrind
rm -rf "$dir"
mkdir -p "$dir/logs" || exit 1
chmod 1777 "$dir/logs"	# t0800 runs some as nobody
# beside the wrapper, as beside the binary: the checkers t0500 looks for
ln -s "$(dirname "$bin")/tests" "$dir/tests"
cat >"$dir/oomlens" <<WRAP
#!/bin/sh
# valgrind's own files go to \$TMPDIR: a test that runs oomlens as another
# user (nobody) has one it cannot write to
[ -w "\${TMPDIR:-/tmp}" ] || TMPDIR=/tmp
export TMPDIR
exec valgrind -q --error-exitcode=99 --leak-check=full \\
	--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \\
	--suppressions="$here/valgrind.supp" \\
	--log-file="$dir/logs/%p.log" "$bin" "\$@"
WRAP
chmod 755 "$dir/oomlens"

start=$(date +%s)
T0810_REPORTS=${T0810_REPORTS:-1500} TEST_TIMEOUT=${TEST_TIMEOUT:-1800} \
	sh "$here/run.sh" "$dir/oomlens"
status=$?
runs=$(find "$dir/logs" -name '*.log' | wc -l)
bad=0
for log in "$dir"/logs/*.log; do
	[ -s "$log" ] || continue
	bad=$((bad + 1))
	echo "--- $(basename "$log"):"
	head -n 60 "$log"
done
echo "valgrind: $runs runs of oomlens, $bad with a report, $(($(date +%s) - start)) s"
[ "$bad" -eq 0 ] && [ "$status" -eq 0 ]
