#!/bin/sh
# t0525-output-safety: what a log or an input's name says reaches other
# programs harmless.  A host or task name that starts with "=", "+", "-"
# or "@" is a formula to a spreadsheet: CSV writes it with a "'" in front
# (numbers stay numbers).  A file or archive member name is escaped on the
# terminal like any name, in ingest's lines and in its warnings.  Bidi
# controls (U+202E and friends) are escaped in text and replaced in HTML,
# so that no name is shown reordered.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

cd "$TEST_TMP" || exit 1

# ---- CSV: formulas from the log ---------------------------------------
LC_ALL=C sed -e 's/ db1 kernel: / =cmd|calc kernel: /' \
	-e 's/Killed process 1201 (postgres)/Killed process 1201 (@SUM(A1))/' \
	"$FIXTURES/postgres-6.8.kern.log" >formula.log
touch -d "2026-11-22 12:00:00Z" formula.log
TEST_DB=$TEST_TMP/formula.db
run_oomlens ingest -q formula.log
expect_rc 0 "ingest a log with formula-like names"
run_oomlens export --format csv
expect_out_contains "'=cmd|calc" "csv: a host that starts with = gets a '"
expect_out_contains "'@SUM(A1)" "csv: a victim that starts with @ gets a '"
if grep -q ',=cmd\|,@SUM' "$OUT"; then
	fail "csv: no cell starts with a formula"
else
	pass "csv: no cell starts with a formula"
fi
run_oomlens sql --csv "SELECT -500 AS n, '-cmd' AS s, '=1+1' AS f, '@x' AS a, '+1' AS p, '0.5' AS d"
expect_rc 0 "sql --csv"
expect_eq "$(sed -n 2p "$OUT" | tr -d '\r')" "-500,'-cmd,'=1+1,'@x,+1,0.5" \
	"sql --csv: formulas get a ', numbers stay numbers"

# ---- a backslash of a name is \\, never taken for an escape ----------
LC_ALL=C sed -e 's/Killed process 1201 (postgres)/Killed process 1201 (pg\\x1b\\d)/' \
	"$FIXTURES/postgres-6.8.kern.log" >backslash.log
touch -d "2026-11-22 12:00:00Z" backslash.log
TEST_DB=$TEST_TMP/backslash.db
run_oomlens ingest -q backslash.log
run_oomlens show 1
expect_out_contains 'Killed:    pg\\x1b\\d (pid 1201' \
	"show: a backslash is doubled, readable and not an escape"
expect_out_not_contains 'x5c' "show: not written as \\x5c"
run_oomlens sql "SELECT comm FROM kills"
expect_out_contains 'pg\\x1b\\d' "sql: the same"

# ---- paths: escaped on the terminal -----------------------------------
esc=$(printf '\033')
name="x${esc}]0;pwned$(printf '\007').log"
cp "$FIXTURES/postgres-6.8.dmesg" "$name"
TEST_DB=$TEST_TMP/path.db
run_oomlens ingest "$name"
expect_rc 0 "ingest a file named with an OSC sequence"
expect_eq "$(tr -dc '\033\007' <"$OUT" | wc -c | tr -d ' ')" 0 \
	"ingest's line: no raw ESC or BEL from the file name"
expect_out_contains 'x\x1b]0;pwned\x07.log: 1 event' "and the name is shown escaped"
run_oomlens ingest "missing${esc}[2J.log"
expect_eq "$(tr -dc '\033' <"$ERR" | wc -c | tr -d ' ')" 0 \
	"an error about a path: no raw ESC"
expect_err_contains 'missing\x1b[2J.log' "and the path is shown escaped"
mkdir member && cp "$FIXTURES/postgres-6.8.dmesg" "member/$name" &&
	printf '[ 1.0] [ 9] oops\n' >>"member/$name"
tar -cf members.tar member
TEST_DB=$TEST_TMP/tar.db
run_oomlens ingest members.tar
expect_rc 0 "ingest a tar whose member is named with an OSC sequence"
expect_eq "$(cat "$OUT" "$ERR" | tr -dc '\033\007' | wc -c | tr -d ' ')" 0 \
	"member names: no raw ESC or BEL on stdout or stderr"

# ---- bidi controls -------------------------------------------------------
rlo=$(printf '\342\200\256')	# U+202E RIGHT-TO-LEFT OVERRIDE
fsi=$(printf '\342\201\250')	# U+2068 FIRST STRONG ISOLATE
LC_ALL=C sed -e "s/postgres/pg${rlo}gp${fsi}x/g" \
	"$FIXTURES/postgres-6.8.kern.log" >bidi.log
touch -d "2026-11-22 12:00:00Z" bidi.log
TEST_DB=$TEST_TMP/bidi.db
run_oomlens ingest -q bidi.log
run_oomlens show 1
expect_rc 0 "show a victim named with bidi controls"
expect_out_not_contains "$rlo" "show: no raw U+202E"
expect_out_not_contains "$fsi" "show: no raw U+2068"
expect_out_contains 'pg\xe2\x80\xaegp\xe2\x81\xa8x' "show: the controls escaped"
run_oomlens why "pg${rlo}gp${fsi}x"
expect_out_contains 'pg\xe2\x80\xaegp' "why: the victim's name escaped"
expect_out_not_contains "$rlo" "why: no raw U+202E"
run_oomlens report -o bidi.html
expect_rc 0 "report"
if grep -q "$rlo\|$fsi" bidi.html; then
	fail "report: no raw bidi control in the HTML"
else
	pass "report: no raw bidi control in the HTML"
fi
finish
