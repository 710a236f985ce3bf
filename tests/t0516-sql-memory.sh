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
# 40 MB of NULs: each is written as 6 bytes (\u0000) or 4 (\x00)
limited sql --json "SELECT CAST(zeroblob(40000000) AS TEXT) AS s"
expect_rc 0 "json: a 40 MB text value under the limit"
limited sql --csv "SELECT CAST(zeroblob(40000000) AS TEXT) AS s"
expect_rc 0 "csv: a 40 MB text value under the limit"
expect_err_empty "csv text: no message"
limited sql --json "SELECT zeroblob(40000000) AS b"
expect_rc 0 "json: a 40 MB blob under the limit"
expect_err_empty "json blob: no message"

# JSON written as it streams: escaped as before, and what follows a NUL
# is kept (\u0000); invalid UTF-8 as U+FFFD, DEL and C1 as \u00XX
run_oomlens sql --json "SELECT 'a' || char(0) || 'b\"\\' AS \"t\"\"x\", CAST(x'ff41' AS TEXT) AS u,
  char(127) || char(133) || char(9) || char(10) AS c, x'00ff' AS b, 1.5 AS r, NULL AS z, 7 AS i"
expect_eq "$(cat "$OUT")" '{"t\"x":"a\u0000b\"\\","u":"'"$(printf '\357\277\275')"'A","c":"\u007f\u0085\t\n","b":"x'"'"'00ff'"'"'","r":1.5,"z":null,"i":7}' \
	"json: escaped, NUL kept, a blob in hex"
# a CSV value is escaped a chunk (64 KiB) at a time: a character across
# the chunk's end stays one character, not two invalid bytes
run_oomlens sql --csv "SELECT printf('%.*c', 65535, 'x') || char(233) || '-' || char(1) AS s"
expect_eq "$(sed -n 2p "$OUT" | tr -d '\r' | cut -c 65535-)" "$(printf 'x\303\251-\\x01')" \
	"csv: a character across the chunk's end kept whole"

# what is streamed is what was buffered
run_oomlens sql --csv "SELECT x'00ff10' AS b, 1 AS n, x'' AS e, NULL AS z"
expect_eq "$(tr -d '\r' <"$OUT")" "b,n,e,z
x'00ff10',1,x''," "csv: blobs in hex, an empty one, NULL empty"
"$OOMLENS" --db "$TEST_DB" sql --csv "SELECT zeroblob(5000) AS b" >"$OUT"
expect_eq "$(wc -c <"$OUT")" $((3 + 2 + 2 * 5000 + 1 + 2)) "csv: a blob of 5000 bytes in full"
# its bytes across the chunks' ends (2048 bytes a chunk), as SQLite's hex()
ABC="WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n
  WHERE i < 4999) SELECT CAST(group_concat(char(33 + i % 90), '') AS BLOB) AS b
  FROM n"
HEX=$("$OOMLENS" --db "$TEST_DB" sql --csv "SELECT lower(hex(b)) AS h FROM ($ABC)" |
	sed -n 2p | tr -d '\r')
expect_eq "$(printf '%s' "$HEX" | wc -c)" 10000 "the hex of 5000 bytes from hex()"
"$OOMLENS" --db "$TEST_DB" sql --csv "$ABC" >"$OUT"
expect_eq "$(sed -n 2p "$OUT" | tr -d '\r')" "x'$HEX'" "csv: a blob's bytes in order"
"$OOMLENS" --db "$TEST_DB" sql --json "$ABC" >"$OUT"
expect_eq "$(cat "$OUT")" "{\"b\":\"x'$HEX'\"}" "json: a blob's bytes in order"
"$OOMLENS" --db "$TEST_DB" sql "$ABC" >"$OUT"
expect_eq "$(sed -n 2p "$OUT")" "x'$HEX'" "table: a blob's bytes in order"
run_oomlens sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
  WHERE i < 60) SELECT i, printf('%.*c', 40000 - i, 'x') AS s FROM n"
expect_rc 0 "table: long values"
expect_eq "$(wc -l <"$OUT")" 61 "table: a header and 60 rows"
# the first rows reach 1 MiB at row 27 and set the width: 39999
expect_eq "$(sed -n 61p "$OUT" | wc -c)" $((2 + 2 + 39940 + 1)) \
	"table: a later, narrower row padded to nothing past its value"
expect_eq "$(sed -n 1p "$OUT" | cut -c 1-5)" " i  s" "table: the header"
finish
