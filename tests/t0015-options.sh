#!/bin/sh
# t0015-options: the command line as GNU tools take it.  Options after
# operands (ingest FILE --host db1, show 1 --json, why postgres --json),
# "--" ends them; usage errors name the option and what is wrong with it
# (a missing value, a value it does not take, an ambiguous or misspelt
# name, a global option given after the command, a misspelt command);
# -V and help [COMMAND]; list -n, --reverse, --boot and its boot column.
# The journal entries are `journalctl -o export` text (no journal tools).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/lib-journal.sh
. "$TESTS_DIR/lib-journal.sh"

DM=$FIXTURES/postgres-6.8.dmesg
A=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
B=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
C=cccccccccccccccccccccccccccccccc

# lines: the number of lines of the last run's stdout
lines() {
	wc -l <"$OUT" | tr -d ' '
}

# ids: the ids of `list` text, in order, on one line
ids() {
	sed -n '2,$s/^\([0-9]*\) .*/\1/p' "$OUT" | tr '\n' ' ' | sed 's/ $//'
}

# --- an option after an operand is an option ------------------------------
TEST_DB=$TEST_TMP/host.db
run_oomlens ingest "$DM" --host db1
expect_rc 0 "ingest FILE --host db1: --host is an option, not a file"
expect_err_not_contains "--host" "nothing read from a file named --host"
run_oomlens list --json
expect_out_contains '"host":"db1"' "the event has host db1"
run_oomlens show 1 --json
expect_rc 0 "show 1 --json"
expect_out_contains '"dataset":"linux.oom"' "show 1 --json prints the JSON document"
run_oomlens why postgres --json
expect_rc 0 "why postgres --json"
expect_out_contains '"event_id":1' "why postgres --json prints JSON"
run_oomlens why-not --json postgres --host nowhere
expect_rc 1 "why-not: options on both sides of the operand"
POSIXLY_CORRECT=1
export POSIXLY_CORRECT
run_oomlens show 1 --json
unset POSIXLY_CORRECT
expect_rc 0 "options after operands also under POSIXLY_CORRECT"
expect_out_contains '"dataset":"linux.oom"' "POSIXLY_CORRECT: still JSON"

# the same OOM from the journal of db1: a copy, merged into that event
dmesg_export "$DM" $A db1 1795222603543211 0 >"$TEST_TMP/db1.export"
run_oomlens ingest "$TEST_TMP/db1.export" -q
expect_rc 0 "ingest the journal copy, -q after the file"
expect_out_empty "-q after the file is -q"
run_oomlens list --json
expect_eq "$(lines)" 1 "the dmesg and the journal copy are one event"
expect_out_contains '"host":"db1"' "of host db1"

# "--" ends the options: what follows is a file even when it looks like one
cp "$DM" "$TEST_TMP/--weird-file-name"
cd "$TEST_TMP" || exit 1
TEST_DB=$TEST_TMP/weird.db
run_oomlens ingest -q "$DM" -- --weird-file-name
expect_rc 0 "ingest FILE -- --weird-file-name"
run_oomlens ingest --json -- --weird-file-name
expect_out_contains '"--weird-file-name"' "-- --weird-file-name is read as a file"
run_oomlens show -- --json
expect_rc 2 "show -- --json: --json is the operand"
expect_err_contains "'--json' is not an event id" "and is said not to be an id"

# --- usage errors ---------------------------------------------------------
run_oomlens list --since
expect_rc 2 "list --since without a value"
expect_err_contains "option '--since' needs a value" "says --since needs a value"
expect_err_not_contains "unknown option" "not 'unknown option'"
run_oomlens top --json -n
expect_err_contains "option '-n' needs a value" "a short option without its value"
run_oomlens list --json=yes
expect_rc 2 "--json=yes"
expect_err_contains "option '--json' takes no value" "says --json takes none"
run_oomlens list -x
expect_err_contains "unknown option '-x'" "names the short option"
run_oomlens show -j 1
expect_err_contains "unknown option '-j'" "-j is not --json"
run_oomlens list --jsno
expect_err_contains "unknown option '--jsno'; did you mean '--json'?" \
	"a misspelt option: did you mean"
run_oomlens ingest --jo x
expect_rc 2 "an ambiguous abbreviation"
expect_err_contains "option '--jo' is ambiguous: --journal, --journal-dir" \
	"names the options it could be"
run_oomlens list --tru
expect_rc 0 "a unique abbreviation is the option (--tru: --trusted)"
run_oomlens list --db x
expect_rc 2 "--db after the command"
expect_err_contains "'--db': it is a global option, give it before the command" \
	"a hint that --db goes before the command"
run_oomlens wyh postgres
expect_rc 2 "oomlens wyh"
expect_err_contains "'wyh' is not an oomlens command; did you mean 'why'?" \
	"did you mean 'why'"
run_oomlens frobnicate
expect_err_contains "see 'oomlens -h'" "no guess for a word like no command"
run_oomlens show 1 2
expect_err_contains "one event at a time" "show: one event at a time"
run_oomlens why
expect_err_contains "which task? give its name or pid" "why: which task"
run_oomlens list extra
expect_err_contains "unexpected 'extra'" "list takes no operand"

# --- -V, help [COMMAND] ---------------------------------------------------
run_oomlens -V
expect_rc 0 "-V"
expect_out_contains "oomlens " "-V prints the version"
run_oomlens show -h
cp "$OUT" "$TEST_TMP/show-h"
run_oomlens help show
expect_rc 0 "help show"
expect_out_file "$TEST_TMP/show-h" "help show is show -h"
run_oomlens -h
cp "$OUT" "$TEST_TMP/h"
run_oomlens help
expect_out_file "$TEST_TMP/h" "help is -h"
run_oomlens help sohw
expect_rc 2 "help of no command"
expect_err_contains "did you mean 'show'?" "help sohw: did you mean 'show'"

# --- list -n, --reverse, --boot -------------------------------------------
# db1: boot A two reports, boot B (a day later) one; web1: boot C one
dmesg_export "$DM" $A db1 1795222603543211 0 2 1000000000 >"$TEST_TMP/a.export"
dmesg_export "$DM" $B db1 1795309003543211 0 >"$TEST_TMP/b.export"
dmesg_export "$DM" $C web1 1795226203543211 0 >"$TEST_TMP/c.export"
TEST_DB=$TEST_TMP/boots.db
run_oomlens ingest -q "$TEST_TMP/a.export" "$TEST_TMP/b.export" "$TEST_TMP/c.export"
expect_rc 0 "ingest two boots of db1, one of web1"
run_oomlens list
expect_eq "$(ids)" "1 2 4 3" "list: oldest first"
expect_out_contains "BOOT" "list has a boot column"
expect_out_contains "db1  aaaaaaaa postgres" "the boot column shows the boot"
run_oomlens list --json
expect_out_contains "\"boot\":\"$A\"" "list --json: boot"
run_oomlens list -n 2
expect_rc 0 "list -n 2"
expect_eq "$(ids)" "4 3" "list -n 2: the two newest, oldest first"
run_oomlens list --reverse
expect_eq "$(ids)" "3 4 2 1" "list --reverse: newest first"
run_oomlens list -r -n 3
expect_eq "$(ids)" "3 4 2" "list -r -n 3"
run_oomlens list -n 0
expect_rc 2 "list -n 0 is no count"
run_oomlens list --boot -1
expect_rc 0 "list --boot -1"
expect_eq "$(ids)" "1 2" "--boot -1: db1's boot before the latest (web1 has none)"
run_oomlens list --boot=-1 --host db1
expect_eq "$(ids)" "1 2" "--boot=-1"
run_oomlens list -b-1
expect_eq "$(ids)" "1 2" "-b-1"
run_oomlens list --boot
expect_eq "$(ids)" "4 3" "--boot: each host's latest boot"
run_oomlens list --boot 0 --reverse
expect_eq "$(ids)" "3 4" "--boot 0 --reverse"
run_oomlens list --boot 1
expect_eq "$(ids)" "1 2 4" "--boot 1: each host's first boot"
run_oomlens list --boot bbbbbbbb
expect_eq "$(ids)" "3" "--boot ID: as the column shows it"
run_oomlens list --boot "$A"
expect_eq "$(ids)" "1 2" "--boot ID: the whole id"
run_oomlens list --boot -2
expect_rc 1 "--boot -2: no such boot, nothing listed"
run_oomlens list --boot=xyz
expect_rc 2 "--boot=xyz"
expect_err_contains "--boot 'xyz': not a boot id" "says --boot's value is bad"

finish
