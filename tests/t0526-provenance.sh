#!/bin/sh
# t0526-provenance: a forged copy never rewrites the record.  Anyone can
# write a syslog line (logger -t kernel): a copy of the seed report, its
# runner renamed and an extra task row that would take the blame, logged
# without the kernel's uptime stamp as logger writes it.  With the genuine
# kern.log (stamped), in either order, the genuine facts are kept, the
# event is flagged conflicting_copies, and show says where its text came
# from.  dmesg (kmsg) outranks kern.log; --trusted leaves syslog text out.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

cd "$TEST_TMP" || exit 1
F=$FIXTURES/postgres-6.8.kern.log
s=$(grep -n "invoked oom-killer" "$F" | cut -d: -f1)
e=$(grep -n "oom_reaper" "$F" | cut -d: -f1)
sed -n "${s},${e}p" "$F" |
	sed -E 's/kernel: \[ *[0-9]+\.[0-9]+\] /kernel: /; s/pytest/trusted-runner/' |
	awk '/\[   3456\]/ { print; print "Nov 21 03:12:07 db1 kernel: [   4000]     0  4000  2981644  9927426  2721304     6122         0 21893120   451200             0 miner"; next } { print }' \
	>syslog
cp "$F" kern.log
touch -d "2026-11-22 12:00:00Z" syslog kern.log
grep -q miner syslog && pass "the forged copy has its extra row" ||
	fail "the forged copy has its extra row"

for order in "kern.log syslog" "syslog kern.log"; do
	TEST_DB=$TEST_TMP/$(echo "$order" | tr ' ' _).db
	for f in $order; do
		run_oomlens ingest -q "$f"
	done
	run_oomlens list --json
	expect_eq "$(wc -l <"$OUT")" 1 "$order: one event"
	expect_out_contains '"provenance":"text"' "$order: its provenance"
	id=$(sed -n 's/^{"id":\([0-9]*\),.*/\1/p' "$OUT")
	run_oomlens show "$id"
	expect_out_contains "Source:    kern.log" "$order: the genuine copy is kept"
	expect_out_contains "pytest" "$order: the genuine runner"
	expect_eq "$(grep miner "$OUT" | grep -vc '(kept copy: no such row)$')" 0 \
		"$order: the forged row only where the other copy is quoted"
	expect_eq "$(grep trusted-runner "$OUT" | grep -vc '(kept copy: pytest, ')" 0 \
		"$order: the forged name only where the other copy is quoted"
	expect_out_contains "Also seen: syslog, line 1 (provenance text), saying otherwise:" \
		"$order: what the forged copy said is kept, with its input"
	expect_out_contains "  rows       26 (kept copy: 25)" \
		"$order: its extra row counted"
	expect_out_contains "  task 4000  miner, rss 9927426 pages, adj 0 (kept copy: no such row)" \
		"$order: its extra row quoted"
	expect_out_contains "  task 3456  trusted-runner, rss 2727426 pages, adj -500 (kept copy: pytest, rss 2727426 pages, adj -500)" \
		"$order: its renamed row quoted"
	expect_out_contains "conflicting_copies" "$order: flagged"
	expect_out_contains "Origin:    syslog text with the kernel's uptime stamp" \
		"$order: show says where the text came from"
	expect_out_contains "another copy of this OOM says otherwise" \
		"$order: and that a copy disagreed"
	run_oomlens show --json "$id"
	expect_out_contains '"conflicts":[{"source":"syslog","line":1,"provenance":"text","fact":"rows","kept":"25","other":"26"},{"source":"syslog","line":1,"provenance":"text","fact":"task 3456","kept":"pytest, rss 2727426 pages, adj -500","other":"trusted-runner, rss 2727426 pages, adj -500"},{"source":"syslog","line":1,"provenance":"text","fact":"task 4000","kept":"","other":"miner, rss 9927426 pages, adj 0"}]' \
		"$order: show --json lists them"
	expect_eq "$("$OOMLENS" --db "$TEST_DB" sql --csv 'SELECT count(*) FROM copy_conflicts' | sed -n 2p | tr -d '\r')" 3 \
		"$order: recorded once"
	run_oomlens why postgres --json
	expect_out_not_contains "miner" "$order: why never blames the forged row"
done

# a forged copy that renames every row (its first letter, so that no name
# grows past the kernel's 15 characters): 16 differences recorded one by
# one, the rest counted, so that a forged copy cannot grow the database
# by its size
sed -E 's/^(.*\] \[ *[0-9]+\] .* )[^ ]([^ ]*)$/\1X\2/' kern.log |
	sed -E 's/kernel: \[ *[0-9]+\.[0-9]+\] /kernel: /' >renamed.syslog
expect_eq "$(grep -c '\] .* X[^ ]*$' renamed.syslog)" 25 "every row renamed"
touch -d "2026-11-22 12:00:00Z" renamed.syslog
TEST_DB=$TEST_TMP/renamed.db
run_oomlens ingest -q kern.log renamed.syslog
run_oomlens sql --csv "SELECT fact, other FROM copy_conflicts ORDER BY rowid"
expect_eq "$(tr -d '\r' <"$OUT" | sed -n '2p;17p;18p')" 'task 389,"Xystemd-journal, rss 2840 pages, adj -250"
task 1206,"Xostgres, rss 4666 pages, adj 0"
more,9 more differences' "16 rows quoted, 9 more counted"
expect_eq "$(wc -l <"$OUT" | tr -d ' ')" 18 "and nothing else recorded"

# /dev/kmsg or dmesg outranks syslog text; --trusted keeps only those.
# The event keeps its id (a user may have noted it), the wall clock only
# the syslog copy had, and the story line linked to it
TEST_DB=$TEST_TMP/kmsg.db
{ cat kern.log; echo "Nov 21 03:12:08 db1 systemd[1]: postgresql.service: A process of this unit has been killed by the OOM killer."; } >kern-story.log
touch -d "2026-11-22 12:00:00Z" kern-story.log
run_oomlens ingest -q kern-story.log
run_oomlens list --trusted
expect_rc 1 "--trusted: syslog text alone is not trusted"
expect_eq "$("$OOMLENS" --db "$TEST_DB" sql --csv 'SELECT count(*) FROM actions WHERE event_id = 1' | sed -n 2p | tr -d '\r')" 1 \
	"the systemd line is linked to event 1"
cp "$FIXTURES/postgres-6.8.dmesg" dmesg.txt
run_oomlens ingest -q --host db1 dmesg.txt
run_oomlens list --json
expect_eq "$(wc -l <"$OUT")" 1 "kern.log and dmesg: one event"
expect_out_contains '"provenance":"kmsg"' "the dmesg copy is kept"
expect_out_contains '{"id":1,"time":"2026-11-21T03:12:07Z",' \
	"the more trusted copy keeps the event's id and the syslog copy's wall clock"
expect_eq "$("$OOMLENS" --db "$TEST_DB" sql --csv 'SELECT (SELECT count(*) FROM actions WHERE event_id = 1) AS a, (SELECT count(*) FROM event_sources WHERE event_id = 1) AS s' | sed -n 2p | tr -d '\r')" "1,2" \
	"its story line and both inputs stay linked"
expect_eq "$("$OOMLENS" --db "$TEST_DB" sql --csv 'PRAGMA foreign_key_check' | wc -l | tr -d ' ')" 0 \
	"no dangling reference"
run_oomlens list --trusted --json
expect_out_contains '"provenance":"kmsg"' "--trusted lists it"
run_oomlens export --trusted
expect_out_contains '"provenance":"kmsg"' "export --trusted: linux.oom.provenance"
finish
