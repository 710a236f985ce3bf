#!/bin/sh
# t0527-db-symlink: --db naming a symbolic link.  oomlens runs as root from
# its timer; a dangling link planted where the database will be would have
# it create the database wherever the link points.  The database file is
# never opened through a link, dangling or not, in any mode; directories
# on the way may still be links.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

log=$(pinned postgres-6.8.kern.log)
mkdir -p "$TEST_TMP/victim" "$TEST_TMP/state"
ln -s "$TEST_TMP/victim/planted.db" "$TEST_TMP/state/oomlens.db"

TEST_DB=$TEST_TMP/state/oomlens.db
run_oomlens ingest -q "$log"
expect_rc 3 "ingest: --db a dangling link fails"
expect_err_contains "is a symbolic link" "and says why"
[ ! -e "$TEST_TMP/victim/planted.db" ] && pass "nothing created at the link's target" ||
	fail "nothing created at the link's target" "$(ls -l "$TEST_TMP/victim")"
[ -L "$TEST_TMP/state/oomlens.db" ] && pass "the link is left as it was" ||
	fail "the link is left as it was"

run_oomlens list
expect_rc 3 "list: --db a dangling link fails"
expect_err_contains "is a symbolic link" "list: and says why"
run_oomlens sql "SELECT 1"
expect_rc 3 "sql: --db a dangling link fails"
expect_err_contains "is a symbolic link" "sql: and says why"
[ ! -e "$TEST_TMP/victim/planted.db" ] && pass "readers create nothing there either" ||
	fail "readers create nothing there either"

# a link to a real database is refused the same way
TEST_DB=$TEST_TMP/real.db
run_oomlens ingest -q "$log"
expect_rc 0 "a real database"
ln -s "$TEST_TMP/real.db" "$TEST_TMP/state/link.db"
sum_before=$(cksum <"$TEST_TMP/real.db")
TEST_DB=$TEST_TMP/state/link.db
run_oomlens ingest -q "$log"
expect_rc 3 "ingest: a link to a database fails"
expect_err_contains "is a symbolic link" "a link to a database: says why"
expect_eq "$(cksum <"$TEST_TMP/real.db")" "$sum_before" "its target is untouched"

# a directory that is a link is fine: only the file itself is checked
ln -s "$TEST_TMP/victim" "$TEST_TMP/dirlink"
TEST_DB=$TEST_TMP/dirlink/sub/oomlens.db
run_oomlens ingest -q "$log"
expect_rc 0 "a linked directory on the way is fine"
run_oomlens sql "SELECT count(*) FROM events"
expect_rc 0 "and the database there is read"
expect_out_contains "1" "with its event"
[ -f "$TEST_TMP/victim/sub/oomlens.db" ] && pass "created in the directory linked to" ||
	fail "created in the directory linked to"
finish
