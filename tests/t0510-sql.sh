#!/bin/sh
# t0510-sql: oomlens sql on the seed fixture: table, CSV and NDJSON against
# expected files; several statements; exit statuses; the read-only guard
# (every way to write is refused with exit status 2, before anything runs,
# and the database file is left as it was); the man page's example; every
# table is described in oomlens-sql(1) and the README.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

E=$TESTS_DIR/expected
SHAPE=$(dirname "$OOMLENS")/tests/test-output
[ -x "$SHAPE" ] || SHAPE=$TESTS_DIR/../build/plain/tests/test-output

log=$(pinned postgres-6.8.kern.log)
run_oomlens ingest -q "$log"
expect_rc 0 "ingest the seed fixture"

Q="SELECT e.id, datetime(e.wall_us / 1000000, 'unixepoch') AS time, e.host,
  e.boot_id, k.comm AS victim, k.pid, k.anon_rss_kb, k.shmem_rss_kb,
  round(100.0 * k.shmem_rss_kb / (k.anon_rss_kb + k.file_rss_kb +
  k.shmem_rss_kb), 1) AS shmem_pct, e.agrees
FROM events AS e JOIN kills AS k ON k.event_id = e.id;
SELECT name, pid, rss, swapents, oom_score_adj, points, rank FROM tasks
WHERE event_id = 1 ORDER BY rss DESC LIMIT 5"

run_oomlens sql "$Q"
expect_rc 0 "sql: two statements"
expect_err_empty "sql: no message"
expect_out_file "$E/sql.txt" "sql: aligned tables"
run_oomlens sql --csv "$Q"
expect_rc 0 "sql --csv"
expect_out_file "$E/sql.csv" "sql --csv"
run_oomlens sql --csv "SELECT * FROM victims; SELECT * FROM kills"
# two statements, two headers: check the first table
sed -n '1,2p' "$OUT" >"$TEST_TMP/one.csv"
[ -x "$SHAPE" ] && "$SHAPE" --shape sqlcsv "$TEST_TMP/one.csv" >/dev/null 2>&1 &&
	pass "sql --csv is RFC 4180" || fail "sql --csv is RFC 4180"
expect_eq "$(sed -n 3p "$OUT" | cut -c 1-21)" "event_id,seq,line,pid" \
	"sql --csv: a header per statement"
run_oomlens sql --json "$Q"
expect_rc 0 "sql --json"
expect_out_file "$E/sql.ndjson" "sql --json"
[ -x "$SHAPE" ] && "$SHAPE" --shape ndjson "$OUT" >/dev/null 2>&1 &&
	pass "sql --json: one JSON object per line" ||
	fail "sql --json: one JSON object per line"

run_oomlens sql "SELECT 1 AS a, 'x' AS a, NULL AS n, x'00ff' AS b"
expect_out_equals "a  a  n  b
1  x     x'00ff'" "table: NULL empty, a BLOB in hex"
run_oomlens sql --json "SELECT 1 AS a, 'x' AS a, NULL AS n, 2.5 AS r"
expect_out_equals '{"a":1,"a_2":"x","n":null,"r":2.5}' \
	"json: a repeated name gets _2, NULL is null"
run_oomlens sql "SELECT * FROM events WHERE id = 99"
expect_rc 1 "no row: exit 1"
expect_out_empty "no row: no header either"
run_oomlens sql "SELEC 1"
expect_rc 2 "a syntax error is exit 2"
expect_err_contains 'oomlens: sql: near "SELEC": syntax error' "and says where"
run_oomlens sql "SELECT * FROM nosuchtable"
expect_rc 2 "an unknown table is exit 2"
expect_err_contains "no such table: nosuchtable" "and names it"
run_oomlens sql " -- nothing"
expect_rc 2 "no statement is exit 2"
run_oomlens sql
expect_rc 2 "sql needs a query"
run_oomlens sql SELECT 1
expect_rc 2 "the query is one argument"
run_oomlens sql --csv --json "SELECT 1"
expect_rc 2 "--csv and --json exclude each other"

# the read-only guard
sum_before=$(cksum <"$TEST_DB")
msg="oomlens: sql: only reading statements are allowed (the database is opened read-only)"
for q in "DELETE FROM events" \
	"UPDATE kills SET comm = 'x'" \
	"INSERT INTO sources (path, added_at) VALUES ('x', 0)" \
	"DROP TABLE tasks" \
	"CREATE TABLE t (a)" \
	"CREATE TEMP TABLE t (a)" \
	"CREATE TEMP VIEW v AS SELECT 1" \
	"ALTER TABLE events ADD COLUMN x" \
	"CREATE INDEX i ON tasks(uid)" \
	"REINDEX" \
	"ANALYZE" \
	"VACUUM" \
	"VACUUM INTO '$TEST_TMP/copy.db'" \
	"PRAGMA user_version = 99" \
	"PRAGMA query_only = 0" \
	"PRAGMA writable_schema = 1" \
	"PRAGMA journal_mode = DELETE" \
	"PRAGMA wal_checkpoint" \
	"SELECT 1; DELETE FROM events" \
	"WITH x AS (SELECT 1) DELETE FROM events"; do
	run_oomlens sql "$q"
	expect_rc 2 "refused: $q"
	expect_err_contains "$msg" "with the message: $q"
	expect_out_empty "before printing anything: $q"
done
run_oomlens sql "ATTACH '$TEST_TMP/other.db' AS o"
expect_rc 2 "refused: ATTACH"
expect_err_contains "ATTACH and DETACH are not allowed" "ATTACH: says so"
for q in "BEGIN" "COMMIT" "SAVEPOINT s" "SELECT 1; BEGIN IMMEDIATE"; do
	run_oomlens sql "$q"
	expect_rc 2 "refused: $q"
	expect_err_contains "BEGIN, COMMIT, ROLLBACK and SAVEPOINT are not allowed" \
		"transactions: says so ($q)"
done
[ ! -e "$TEST_TMP/copy.db" ] && pass "VACUUM INTO wrote no file" ||
	fail "VACUUM INTO wrote no file"
[ ! -e "$TEST_TMP/other.db" ] && pass "ATTACH created no file" ||
	fail "ATTACH created no file"
expect_eq "$(cksum <"$TEST_DB")" "$sum_before" "the database file is unchanged"
run_oomlens sql "SELECT count(*) AS n FROM events; SELECT count(*) AS n FROM tasks"
expect_out_equals "n
1

 n
25" "and its rows are all there"

# reads that look like settings stay allowed
run_oomlens sql "PRAGMA table_info(victims)"
expect_rc 0 "PRAGMA table_info is a read"
expect_out_contains "constraint_name" "and lists the view's columns"
run_oomlens sql "PRAGMA query_only"
expect_out_equals "query_only
         1" "the connection is query_only"
run_oomlens sql "EXPLAIN QUERY PLAN SELECT * FROM kills WHERE comm = 'x'"
expect_rc 0 "EXPLAIN is a read"

# the man page's example, with 'now' pinned to the day after the OOM
MAN=$TESTS_DIR/../man/oomlens-sql.1
example=$(sed -n '/^Top victims per host last week:/,/^\.fi/p' "$MAN" |
	sed -n '/^oomlens sql "/,/"$/p' | sed 's/\\-/-/g; s/^oomlens sql "//; s/"$//')
case $example in
*"strftime('%s','now','-7 days')*1000000"* | *"strftime('%s','now','-7 days') * 1000000"*)
	pass "the man page's example uses microseconds" ;;
*) fail "the man page's example uses microseconds" "$example" ;;
esac
run_oomlens sql "$(printf '%s\n' "$example" | sed "s/'now'/'2026-11-22'/")"
expect_rc 0 "the man page's example runs"
expect_out_equals "host  comm      kills
db1   postgres      1" "and finds the postgres kill"

# a failed write is a failure, in every mode
if [ -w /dev/full ]; then
	for mode in "" --csv --json; do
		# shellcheck disable=SC2086 # $mode is empty or one word
		"$OOMLENS" --db "$TEST_DB" sql $mode "SELECT * FROM tasks" >/dev/full 2>"$ERR"
		RC=$?
		expect_rc 3 "sql ${mode:-(table)} to a full disk fails"
		expect_err_contains "cannot write output" "sql ${mode:-(table)}: and says so"
	done
fi

# a long result is printed in chunks, the widths set by the first
run_oomlens sql "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
  WHERE i < 25000) SELECT i, printf('%.*c', i / 10000 + 1, 'x') AS s FROM n"
expect_rc 0 "sql: 25000 rows"
expect_eq "$(wc -l <"$OUT")" 25001 "sql: a header and 25000 rows"
expect_eq "$(sed -n 2p "$OUT")" "    1  x" "sql: the first chunk's widths"
expect_eq "$(sed -n 25001p "$OUT")" "25000  xxx" "sql: a wider value overflows later"

# no database: nothing found, like the other readers
# every table and view is described: in oomlens-sql(1)'s TABLES (a .B
# line of its own) and in the README's Database section (`name`)
run_oomlens sql --csv "SELECT name FROM sqlite_master
  WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name"
expect_rc 0 "the tables and views"
TOP=$(dirname "$TESTS_DIR")
sed -n '/^## Database/,/^## /p' "$TOP/README.md" >"$TEST_TMP/readme-db"
undocumented=
for t in $(sed 1d "$OUT" | tr -d '\r'); do
	grep -q -x "\.B $t" "$TOP/man/oomlens-sql.1" ||
		undocumented="$undocumented oomlens-sql(1):$t"
	grep -q "\`$t\`" "$TEST_TMP/readme-db" ||
		undocumented="$undocumented README:$t"
done
expect_eq "${undocumented:-none}" none "every table is documented"

TEST_DB=$TEST_TMP/none.db
run_oomlens sql "SELECT 1"
expect_rc 1 "no database: exit 1"
expect_err_contains "no database" "and says so"
finish
