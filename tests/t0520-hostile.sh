#!/bin/sh
# t0520-hostile: task names and cgroup paths are chosen by whoever starts a
# process, so a log can carry terminal escape sequences (ESC [ 2J clears
# the screen, ESC ] 0; sets the title), BEL, the C1 control CSI (U+009B)
# and bytes that are not UTF-8.  A newline cannot hide in one log line,
# the rest can.  Terminal output shows them escaped, JSON escapes them and
# stays UTF-8, CSV escapes them, SQL binds them: the raw ESC byte never
# reaches stdout.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

SHAPE=$(dirname "$OOMLENS")/tests/test-output
[ -x "$SHAPE" ] || SHAPE=$TESTS_DIR/../build/plain/tests/test-output

esc=$(printf '\033')
bel=$(printf '\007')
csi=$(printf '\302\233')	# U+009B in UTF-8
ff=$(printf '\377')		# never valid in UTF-8
over=$(printf '\300\257')	# an overlong '/'
bad="pg${esc}[2Jx${bel}${ff}"		# the victim and the trigger
bad2="py${esc}[31mtest${over}"		# the task that ate the memory
unit="${esc}]0;pwned${bel}${csi}31m.service"

# the seed scenario with every postgres renamed, pytest too, and the
# victim's cgroup given an OSC title sequence and a C1 CSI
log=$TEST_TMP/hostile.log
LC_ALL=C sed -e "s#/system.slice/postgresql.service#/system.slice/$unit#g" \
	-e "s/postgres/$bad/g" -e "s/pytest/$bad2/g" \
	"$FIXTURES/postgres-6.8.kern.log" >"$log"
touch -d "2026-11-22 12:00:00Z" "$log"
[ "$(tr -dc '\033' <"$log" | wc -c)" -ge 10 ] && pass "the log is hostile" ||
	fail "the log is hostile"
run_oomlens ingest -q "$log"
expect_rc 0 "ingest the hostile log"

# count BYTE(octal) in stdout
count() {
	tr -dc "\\$1" <"$OUT" | wc -c | tr -d ' '
}

# safe DESCRIPTION: no ESC and no BEL on stdout (nor stderr)
safe() {
	expect_eq "$(count 033)" 0 "$1: no ESC byte on stdout"
	expect_eq "$(count 007)" 0 "$1: no BEL byte on stdout"
	expect_eq "$(tr -dc '\033' <"$ERR" | wc -c | tr -d ' ')" 0 \
		"$1: no ESC byte on stderr"
}

# strict DESCRIPTION: safe, and no C1 control or invalid byte either
strict() {
	safe "$1"
	if LC_ALL=C grep -q "$csi" "$OUT"; then
		fail "$1: no C1 CSI on stdout"
	else
		pass "$1: no C1 CSI on stdout"
	fi
	if LC_ALL=C grep -q "$ff" "$OUT"; then
		fail "$1: no byte 0xff on stdout"
	else
		pass "$1: no byte 0xff on stdout"
	fi
}

# shape FORMAT DESCRIPTION: the checker of tests/unit/test-output.c
shape() {
	if [ -x "$SHAPE" ] && "$SHAPE" --shape "$1" "$OUT" >"$TEST_TMP/shape.out" 2>&1; then
		pass "$2"
	else
		fail "$2" "$(tail -n 8 "$TEST_TMP/shape.out" 2>/dev/null)"
	fi
}

for cmd in list show why top; do
	case $cmd in
	show) run_oomlens show 1 ;;
	why) run_oomlens why --event 1 "$(printf 'pg\033[2Jx\007\377')" ;;
	top) run_oomlens top --by unit ;;
	*) run_oomlens "$cmd" ;;
	esac
	expect_rc 0 "$cmd runs on the hostile event"
	strict "$cmd (terminal text)"
done
run_oomlens list --json
strict "list --json"
run_oomlens list
expect_rc 0 "list"
safe "list"
expect_out_contains 'pg\x1b[2Jx\x07' "list: the name, escaped"
run_oomlens list --json
safe "list --json"
run_oomlens show 1
expect_rc 0 "show"
safe "show"
expect_out_contains 'pg\x1b[2Jx\x07' "show: the victim, escaped"
expect_out_contains '\x1b]0;pwned\x07' "show: the cgroup, escaped"
run_oomlens show --raw 1
safe "show --raw"
run_oomlens show --json --raw 1
safe "show --json --raw"
expect_out_contains '"name":"pg\u001b[2Jx\u0007' "show --json: \\u001b and \\u0007"

# sql: the table escapes, CSV escapes, JSON escapes and repairs UTF-8
run_oomlens sql "SELECT comm, task_memcg FROM victims; SELECT name FROM tasks WHERE rank <= 2 ORDER BY rank"
expect_rc 0 "sql"
strict "sql table"
expect_out_contains 'pg\x1b[2Jx\x07\xff  /system.slice/\x1b]0;pwned\x07\xc2\x9b31m.service' \
	"sql table: names and path escaped, byte by byte"
expect_out_contains 'py\x1b[31mtest\xc0\xaf' "sql table: the invalid bytes as \\xNN"
run_oomlens sql --csv "SELECT comm, task_memcg, reason FROM victims"
strict "sql --csv"
shape sqlcsv "sql --csv: RFC 4180, UTF-8, no control byte"
run_oomlens sql --json "SELECT comm, task_memcg FROM victims"
strict "sql --json"
shape ndjson "sql --json: JSON, UTF-8"
expect_out_contains "\"comm\":\"pg\\u001b[2Jx\\u0007$(printf '\357\277\275')\"" \
	"sql --json: escaped, the invalid byte as U+FFFD"
expect_out_contains '\u0007\u009b31m.service"' "sql --json: the C1 CSI as \u009b"
run_oomlens sql "SELECT \"$bad\" FROM (SELECT 1 AS \"$bad\")"
strict "sql: a hostile column name"
# the bytes are stored as logged: SQL binds them, nothing is cut or cleaned
run_oomlens sql --csv "SELECT hex(comm) FROM kills; SELECT hex(task_memcg) FROM events"
expect_out_contains '70671B5B324A7807FF' "the stored name is the logged bytes"
expect_out_contains '2F73797374656D2E736C6963652F1B5D303B70776E656407C29B33316D2E73657276696365' \
	"the stored cgroup path is the logged bytes"
run_oomlens sql "SELECT count(*) AS n FROM kills WHERE comm = '$bad'"
expect_out_equals "n
1" "sql: a hostile literal in a query"

# export: CSV escapes; JSON formats escape and stay UTF-8
run_oomlens export --format csv
expect_rc 0 "export --format csv"
strict "export --format csv"
shape csv "export --format csv: its shape"
expect_out_contains ',1,1201,pg\x1b[2Jx\x07\xff,2210,pg\x1b[2Jx\x07\xff,none,/system.slice/\x1b]0;pwned\x07\xc2\x9b31m.service,' \
	"export --format csv: the row, escaped"
for fmt in ecs hec otel; do
	run_oomlens export --format "$fmt" --raw
	expect_rc 0 "export --format $fmt --raw"
	safe "export --format $fmt --raw"
	shape "$fmt" "export --format $fmt --raw: shape, UTF-8"
done

# the hostile name as an argument: bound, found
run_oomlens export --format csv --victim "$bad"
expect_rc 0 "export --victim with the hostile name"
expect_eq "$(wc -l <"$OUT")" 2 "export --victim: its row"
strict "export --victim"
run_oomlens why "$bad"
expect_rc 0 "why with the hostile name finds the kill"

# a program that calls itself "kernel" logs with its own facility (logger
# -t kernel: user, 1): with the PRI printed, its lines are not the kernel's
printf '%s\n' \
	'<13>1 2026-11-21T03:12:07Z db1 kernel - - - Out of memory: Killed process 1201 (postgres) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB' \
	'<14>Nov 21 03:12:08 db1 kernel: Out of memory: Killed process 1202 (postgres) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB' \
	'<4>Nov 21 03:12:09 db1 kernel: Out of memory: Killed process 1203 (mysqld) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB' \
	>"$TEST_TMP/pri.log"
TEST_DB=$TEST_TMP/pri.db
run_oomlens ingest "$TEST_TMP/pri.log"
expect_out_contains "pri.log: 1 event" "only the facility-0 kill is an event"
run_oomlens list --json
expect_out_contains '"pid":1203' "the kernel's (facility 0) kill kept"
expect_out_not_contains '"pid":1201' "the user-facility RFC 5424 kill dropped"
expect_out_not_contains '"pid":1202' "the user-facility RFC 3164 kill dropped"
finish
