#!/bin/sh
# t0516-sql-memory: `oomlens sql` streams its rows.  Under an address-space
# limit (ulimit -v) far below the size of the result: a table of 200 MB of
# text (only the first rows are kept, to set the widths; later rows are
# printed as they come), CSV and NDJSON of the same, and a 40 MB BLOB in
# CSV (written as hex straight to the output, not copied twice).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

LIMIT_KB=120000

run_oomlens ingest -q "$(pinned postgres-6.8.kern.log)"
expect_rc 0 "ingest the seed fixture"

# limited NAME ARGS...: oomlens under the limit, stdout to /dev/null
limited() {
	(
		ulimit -v "$LIMIT_KB" 2>/dev/null || exit 77
		exec "$OOMLENS" --db "$TEST_DB" "$@" >/dev/null 2>"$ERR"
	)
	RC=$?
}
# a sanitizer's shadow memory needs terabytes of address space
limited sql "SELECT 1"
[ "$RC" = 0 ] || skip_all "no ulimit -v for this binary (a sanitizer build?)"

BIG="WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
  WHERE i < 5000) SELECT i, printf('%.*c', 40000, 'x') AS s FROM n"
limited sql "$BIG"
expect_rc 0 "table: 200 MB of rows under a $LIMIT_KB kB limit"
expect_err_empty "table: no message"
limited sql --csv "$BIG"
expect_rc 0 "csv: 200 MB of rows under the limit"
limited sql --json "$BIG"
expect_rc 0 "json: 200 MB of rows under the limit"
limited sql --csv "SELECT zeroblob(40000000) AS b"
expect_rc 0 "csv: a 40 MB blob under the limit"
expect_err_empty "csv blob: no message"

# what is streamed is what was buffered
run_oomlens sql --csv "SELECT x'00ff10' AS b, 1 AS n, x'' AS e, NULL AS z"
expect_eq "$(tr -d '\r' <"$OUT")" "b,n,e,z
x'00ff10',1,x''," "csv: blobs in hex, an empty one, NULL empty"
"$OOMLENS" --db "$TEST_DB" sql --csv "SELECT zeroblob(5000) AS b" >"$OUT"
expect_eq "$(wc -c <"$OUT")" $((3 + 2 + 2 * 5000 + 1 + 2)) "csv: a blob of 5000 bytes in full"
run_oomlens sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
  WHERE i < 60) SELECT i, printf('%.*c', 40000 - i, 'x') AS s FROM n"
expect_rc 0 "table: long values"
expect_eq "$(wc -l <"$OUT")" 61 "table: a header and 60 rows"
# the first rows reach 1 MiB at row 27 and set the width: 39999
expect_eq "$(sed -n 61p "$OUT" | wc -c)" $((2 + 2 + 39940 + 1)) \
	"table: a later, narrower row padded to nothing past its value"
expect_eq "$(sed -n 1p "$OUT" | cut -c 1-5)" " i  s" "table: the header"
finish
