#!/bin/sh
# t0515-sql-guard: the read-only guard of `oomlens sql` against what a
# hostile query tries past the plain writes of t0510: pragma names in
# upper case (SQLite's are case-insensitive, so must the allow-list be),
# functions outside the list (fts3_tokenizer() hands out a pointer), and
# that the functions the man page and the tests use stay callable.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

run_oomlens ingest -q "$(pinned postgres-6.8.kern.log)"
expect_rc 0 "ingest the seed fixture"
sum_before=$(cksum <"$TEST_DB")

msg="oomlens: sql: only reading statements are allowed (the database is opened read-only)"
for q in "PRAGMA OPTIMIZE" "PRAGMA Optimize" "PRAGMA main.OPTIMIZE" \
	"PRAGMA WAL_CHECKPOINT" "PRAGMA Incremental_Vacuum" \
	"PRAGMA QUERY_ONLY = 0" "PRAGMA USER_VERSION = 7"; do
	run_oomlens sql "$q"
	expect_rc 2 "refused: $q"
	expect_err_contains "$msg" "with the message: $q"
	expect_out_empty "before printing anything: $q"
done

# the schema questions read, whatever the case
run_oomlens sql "PRAGMA TABLE_INFO(victims)"
expect_rc 0 "PRAGMA TABLE_INFO(x) is a read"
expect_out_contains "constraint_name" "and lists the view's columns"
run_oomlens sql "PRAGMA Index_List(tasks)"
expect_rc 0 "PRAGMA Index_List(x) is a read"

# functions by an explicit list
for q in "SELECT fts3_tokenizer('simple')" "SELECT FTS3_TOKENIZER('porter')" \
	"SELECT hex(fts3_tokenizer('simple'))" \
	"SELECT load_extension('$TEST_TMP/x.so')" \
	"SELECT sqlite_log(1, 'x')" \
	"SELECT 1 WHERE fts3_tokenizer('simple') IS NOT NULL"; do
	run_oomlens sql "$q"
	expect_rc 2 "refused: $q"
	expect_err_contains "oomlens: sql: function" "names the refusal: $q"
	expect_out_empty "before printing anything: $q"
done
run_oomlens sql "SELECT 1; SELECT fts3_tokenizer('simple')"
expect_rc 2 "a refused function in a later statement refuses all"
expect_out_empty "and nothing runs"

# what the man page and the tests use still runs
run_oomlens sql "SELECT count(*), sum(k.pid), max(k.pid), min(k.pid),
  avg(k.pid), total(k.pid), group_concat(k.comm), round(1.25, 1),
  datetime(e.wall_us / 1000000, 'unixepoch'),
  strftime('%Y', e.wall_us / 1000000, 'unixepoch'), date('2026-11-22'),
  julianday('2026-11-22'), printf('%05d', 42), format('%d', 1), substr('abc', 2),
  replace('a', 'a', 'b'), hex('a'), lower('A'), upper('a'), length('abc'),
  coalesce(NULL, 1), ifnull(NULL, 1), iif(1, 2, 3), nullif(1, 2), abs(-1),
  instr('abc', 'b'), trim(' a '), typeof(1), quote('a'), 'a' LIKE 'A',
  'a' GLOB 'a', cast(1 AS TEXT)
  FROM events AS e JOIN kills AS k ON k.event_id = e.id"
expect_rc 0 "aggregates, dates, text functions"
expect_err_empty "with no message"
run_oomlens sql "SELECT json_object('a', 1), json_array(1, 2), json_extract('{\"a\":1}', '\$.a'),
  json('[1]') -> 0, json('{\"a\":2}') ->> '\$.a', json_group_array(pid),
  json_valid('{}'), json_type('[]'), json_array_length('[1]') FROM kills"
expect_rc 0 "json functions and operators"
expect_err_empty "json: no message"
run_oomlens sql "SELECT row_number() OVER (ORDER BY pid), rank() OVER (ORDER BY pid),
  lag(pid) OVER (ORDER BY pid) FROM tasks WHERE event_id = 1"
expect_rc 0 "window functions"
expect_err_empty "window functions: no message"

expect_eq "$(cksum <"$TEST_DB")" "$sum_before" "the database file is unchanged"
finish
