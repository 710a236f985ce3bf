#!/bin/sh
# t0017-tables: one table engine (table.c, libsmartcols) for every table.
# sql's table fits the terminal as list's does: under a pty of 60 and 80
# columns no line is wider, a wide value is cut and ends in "…"; in a pipe
# nothing is cut; hostile bytes in a value are escaped, whole or cut; a
# result of 200,000 rows goes out in chunks under an address-space limit.
# list --json and top --json take their keys from the columns --output
# names (the default documents unchanged); an unknown name is refused with
# the list of columns.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

command -v script >/dev/null 2>&1 || skip_all "no script(1) (util-linux)"
command -v python3 >/dev/null 2>&1 || skip_all "no python3"

E=$TESTS_DIR/expected
cd "$TEST_TMP" || exit 1

run_oomlens ingest -q "$(pinned postgres-6.8.kern.log)"
expect_rc 0 "ingest the seed fixture"



# -- sql ---------------------------------------------------------------

# a value of 150 columns, then one of ESC, BEL, C1 CSI, an invalid byte
# and a NUL with what follows it
WIDE="SELECT 7 AS id, printf('%.*c', 150, 'w') AS wide, 'short' AS s,
  'a' || char(27) || '[2J' || char(7) || char(155) || CAST(x'ff' AS TEXT) ||
  char(0) || 'z' AS evil"
HOSTILE='a\x1b[2J\x07\xc2\x9b\xff\x00z'
for cols in 60 80; do
	on_tty "$cols" sql$cols.txt "sql \"$WIDE\""
	w=$(widest sql$cols.txt)
	if [ -s sql$cols.txt ] && [ "$w" -le "$cols" ]; then
		pass "sql on $cols columns: $w at most"
	else
		fail "sql on $cols columns: a line of $w" "$(cat sql$cols.txt)"
	fi
	if grep -q '^ 7  ww*… ' sql$cols.txt && grep -q 'short' sql$cols.txt; then
		pass "sql on $cols columns: the wide value cut, marked with …"
	else
		fail "sql on $cols columns: the wide value cut, marked with …" \
			"$(cat sql$cols.txt)"
	fi
	if LC_ALL=C grep -q "$(printf '\033')" sql$cols.txt; then
		fail "sql on $cols columns: no ESC from a value" "$(cat -v sql$cols.txt)"
	else
		pass "sql on $cols columns: no ESC from a value"
	fi
done
expect_eq "$(sed -n 2p sql80.txt | sed 's/.*short  //')" "$HOSTILE" \
	"sql on 80 columns: the hostile value escaped, byte by byte"
# a pipe: whole values, escaped the same
run_oomlens sql "$WIDE"
expect_rc 0 "sql in a pipe"
expect_out_not_contains "…" "sql in a pipe: nothing cut"
expect_out_contains "$(printf '%150s' '' | tr ' ' w)  short  $HOSTILE" \
	"sql in a pipe: the whole value, and the hostile one escaped"
if LC_ALL=C grep -q "$(printf '\033')\|$(printf '\007')\|$(printf '\377')" "$OUT"; then
	fail "sql in a pipe: no control or invalid byte" "$(cat -v "$OUT")"
else
	pass "sql in a pipe: no control or invalid byte"
fi
# NULL empty, numbers right-aligned under their heading
run_oomlens sql "SELECT 12345 AS n, NULL AS z, 'x' AS t UNION ALL SELECT 7, 1, 'y'"
expect_out_equals "    n  z  t
12345     x
    7  1  y" "sql: NULL empty, numbers right-aligned"

# 200,000 rows: a chunk at a time, in flat memory
MANY="WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
  WHERE i < 200000) SELECT i, 'host-' || i AS host, i * 7 AS v FROM n"
if (ulimit -v 60000 2>/dev/null && "$OOMLENS" --version >/dev/null 2>&1); then
	(ulimit -v 60000; exec "$OOMLENS" --db "$TEST_DB" sql "$MANY" >many.txt 2>"$ERR")
	RC=$?
	expect_rc 0 "sql: 200,000 rows under a 60 MB address-space limit"
	expect_eq "$(wc -l <many.txt | tr -d ' ')" 200001 "sql: a heading and 200,000 rows"
	expect_eq "$(grep -c 'host  ' many.txt)" 1 "sql: the heading once"
fi
COLUMNS=60 "$OOMLENS" --db "$TEST_DB" sql "$MANY" >many60.txt
w=$(widest many60.txt)
if [ "$w" -le 60 ] && [ "$(wc -l <many60.txt | tr -d ' ')" = 200001 ]; then
	pass "sql: 200,000 rows at COLUMNS=60, lines of $w at most"
else
	fail "sql: 200,000 rows at COLUMNS=60, lines of $w"
fi

# -- list --json and top --json: the columns of the table ------------------

# the default documents are a contract: unchanged, for each kind of event
# (tests/regen-expected.sh)
for f in story-6.8.syslog era-4.4.journal paste-header-lost-4.14.dmesg; do
	run_oomlens ingest -q "$(pinned $f)"
	expect_rc 0 "ingest $f"
done
run_oomlens list --json
expect_rc 0 "list --json"
expect_out_file "$E/list-kinds.json" "list --json: the default document unchanged"
run_oomlens top --json
expect_out_equals '{"by":"victim","key":"java","count":1,"last":"2026-11-21T07:00:00Z"}
{"by":"victim","key":"stress-ng-vm","count":1,"last":"2026-11-21T06:00:00Z"}
{"by":"victim","key":"pytest","count":1,"last":"2026-11-21T04:00:00Z"}
{"by":"victim","key":"postgres","count":1,"last":"2026-11-21T03:12:07Z"}
{"by":"victim","key":"mysqld","count":1,"last":"2026-11-20T22:14:09Z"}
{"by":"victim","key":"node","count":1}' "top --json: the default document unchanged"
# -o picks the keys, in its order
run_oomlens list --json -o id,host,victim
expect_rc 0 "list --json -o id,host,victim"
expect_eq "$(sed -n 2p "$OUT")" '{"id":1,"host":"db1","victim":{"pid":1201,"name":"postgres"}}' \
	"list --json -o: exactly those keys"
expect_eq "$(sed 's/"victim":{[^}]*}/V/; s/:[^,}]*//g' "$OUT" | sort -u | tr '\n' ' ')" \
	'{"id","host",V} {"id","host"} {"id",V} ' \
	"list --json -o: no other key in any line (absent when unknown)"
run_oomlens list --json -o id,note,killer,provenance,boot,id
expect_eq "$(sed -n 1p "$OUT")" '{"id":6,"killer":"kernel","provenance":"text","boot":"7d1e4b3c2a1f40e8b9c6d5e4f3a2b1c0"}' \
	"list --json -o: killer, provenance, boot; no note when there is none; a column named twice is one key"
run_oomlens list --json -o VICTIM,id,note,killer,provenance
expect_eq "$(sed -n 3p "$OUT")" '{"victim":{"pid":2210,"name":"pytest"},"id":2,"note":"userspace kill","killer":"earlyoom"}' \
	"list --json -o: any case, any order, the note"
# the columns of the JSON document are columns of the table too
run_oomlens list -o id,complete,killer,provenance
expect_eq "$(sed -n 1p "$OUT" | tr -s ' ')" "ID COMPLETE KILLER PROVENANCE" \
	"list -o: the JSON document's columns in the table"
expect_eq "$(sed -n 4p "$OUT" | tr -s ' ')" "2 no earlyoom -" "list -o: a userspace kill's row"
run_oomlens top --json -o count,victim
expect_eq "$(sed -n 1p "$OUT")" '{"count":1,"by":"victim","key":"java"}' \
	"top --json -o: those keys, in that order"
run_oomlens top --json -o last
expect_eq "$(sed -n 6p "$OUT")" '{}' "top --json -o last: no last, no key"
# an unknown column: refused, with the list of columns
run_oomlens list --json -o id,bogus
expect_rc 2 "list --json -o with an unknown column"
expect_out_empty "list --json -o bogus: no document"
expect_err_contains "unknown column 'bogus'" "list --json -o bogus: says which"
expect_err_contains "  PROVENANCE" "list --json -o bogus: lists the columns"
run_oomlens top --json -o count,nosuch
expect_rc 2 "top --json -o with an unknown column"
expect_err_contains "unknown column 'nosuch'" "top --json -o nosuch: says which"
expect_err_contains "  COUNT" "top --json -o nosuch: lists the columns"

# -- no hand-padded table left: why's "Who ate the memory" -----------------

# a table (table.c): on a narrow terminal a row stays one line, its task
# cut and marked, the sizes aligned as in a pipe
run_oomlens ingest -q "$(pinned diag-lowmem-3.10-i686.kern.log)"
expect_rc 0 "ingest a desktop's OOM"
run_oomlens why --host office-pc2 firefox
sed -n '/^Who ate/,/^$/p' "$OUT" >ate.txt
expect_eq "$(sed -n 2p ate.txt)" "   520.0 MiB   58.1%  firefox (pid 6121)  <- killed" \
	"why in a pipe: who ate the memory, as padded by hand before"
on_tty 50 why50.txt "why --host office-pc2 firefox"
sed -n '/^Who ate/,/^$/p' why50.txt >ate50.txt
expect_eq "$(wc -l <ate50.txt | tr -d ' ')" "$(wc -l <ate.txt | tr -d ' ')" \
	"why on 50 columns: a row of who ate the memory stays one line"
expect_eq "$(sed -n 2p ate50.txt)" "   520.0 MiB   58.1%  firefox (pid 6121)  <- kill…" \
	"why on 50 columns: the task cut, marked with …"
w=$(widest ate50.txt)
if [ "$w" -le 50 ]; then
	pass "why on 50 columns: who ate the memory in $w columns at most"
else
	fail "why on 50 columns: a line of $w" "$(cat ate50.txt)"
fi

finish
