#!/bin/sh
# t0016-width: output fits the terminal.  Under a pty of 60, 80 and 132
# columns no line of list, top, timeline, show, why, why-not, whatif, risk
# (of this machine) or the help is wider than the terminal; a value cut to
# fit ends in "…" (a host name is never cut silently into another valid
# one), the whole host name is there when the width allows, and a CJK
# character counts as two columns (sql's table too).  In a pipe nothing is
# cut, unless COLUMNS says a width.  list --output picks the columns;
# ingest's progress line keeps to one row.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

command -v script >/dev/null 2>&1 || skip_all "no script(1) (util-linux)"
command -v python3 >/dev/null 2>&1 || skip_all "no python3"

F=$FIXTURES
cd "$TEST_TMP" || exit 1
LONG=ip-10-0-1-103.us-west-2.compute.internal
# "database server 1", 6 CJK characters: 12 columns
CJK=$(printf '\346\225\260\346\215\256\345\272\223\346\234\215\345\212\241\345\231\250-1')

run_oomlens ingest -q --host "$LONG" "$F/postgres-6.8.dmesg"
expect_rc 0 "ingest with a long host name"
run_oomlens ingest -q --host "$CJK" "$F/memcg-v2-5.15.dmesg"
expect_rc 0 "ingest with a CJK host name"
run_oomlens ingest -q "$F/two-reports-6.1.kern.log"
expect_rc 0 "ingest two more reports"



# starts FILE WORD: the screen column of WORD in the heading, then of the
# first "name (pid)" (the victim) in each other line
starts() {
	python3 - "$1" "$2" <<'EOF'
import re, sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
lines = open(sys.argv[1], encoding='utf-8').read().rstrip('\n').split('\n')
print(width(lines[0][:lines[0].index(sys.argv[2])]))
for l in lines[1:]:
    m = re.search(r'[^ ]+ \(\d+\)', l)
    print(width(l[:m.start()]) if m else -1)
EOF
}

for cols in 60 80 132; do
	for cmd in "list" "top --by host" "top --by unit" "timeline" \
		"why java" "why postgres" "why-not pytest" "risk --top 5" \
		"show 1" "show 2" "whatif 1 --adj pytest=0" "-h" "list -h"; do
		on_tty "$cols" out.txt "$cmd"
		w=$(widest out.txt)
		if [ -s out.txt ] && [ "$w" -le "$cols" ]; then
			pass "$cmd on $cols columns: $w at most"
		else
			fail "$cmd on $cols columns: a line of $w" "$(cat out.txt)"
		fi
	done
done

on_tty 60 list60.txt list
if grep -q "ip-1[^ ]*…" list60.txt && ! grep -q "$LONG" list60.txt; then
	pass "60 columns: the host name cut, and marked"
else
	fail "60 columns: the host name cut, and marked" "$(cat list60.txt)"
fi
# never cut silently: each host cell is a whole name or ends in the mark
if python3 - list60.txt "$LONG" <<'EOF'
import sys
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
for l in lines:
    for cell in l.split():
        if cell.startswith('ip-') and cell != sys.argv[2] and not cell.endswith('…'):
            sys.exit(1)
EOF
then
	pass "no host name cut without the mark"
else
	fail "no host name cut without the mark" "$(cat list60.txt)"
fi
on_tty 132 list132.txt list
if grep -q "$LONG" list132.txt && grep -q "$CJK" list132.txt; then
	pass "132 columns: the whole host names"
else
	fail "132 columns: the whole host names" "$(cat list132.txt)"
fi
# a CJK name takes two columns a character: VICTIM starts in one column
expect_eq "$(starts list132.txt VICTIM | sort -u | wc -l)" 1 \
	"132 columns: the columns line up after a CJK host name"

# sql's table counts a CJK character as two columns too
run_oomlens sql "SELECT host, comm FROM victims ORDER BY host"
if python3 - "$OUT" <<'EOF'
import re, sys, unicodedata
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
lines = open(sys.argv[1], encoding='utf-8').read().rstrip('\n').split('\n')
cols = {width(l[:re.search(r'\S+$', l).start()]) for l in lines}
sys.exit(len(cols) != 1)
EOF
then
	pass "sql: the columns line up after a CJK host name"
else
	fail "sql: the columns line up after a CJK host name" "$(cat "$OUT")"
fi

# a pipe: nothing cut; COLUMNS: that width
run_oomlens list
expect_out_contains "$LONG" "a pipe: the whole host name"
expect_out_not_contains "…" "a pipe: nothing cut"
run_oomlens timeline
expect_out_contains "$LONG kernel" "timeline in a pipe: the whole host name"
on_tty 80 tl80.txt timeline
if grep -q "ip-10[^ ]*… " tl80.txt; then
	pass "timeline on 80 columns: the host name cut, and marked"
else
	fail "timeline on 80 columns: the host name cut, and marked" "$(cat tl80.txt)"
fi
COLUMNS=70 "$OOMLENS" --db "$TEST_DB" list >cols70.txt
w=$(widest cols70.txt)
if [ "$w" -le 70 ] && grep -q "…" cols70.txt; then
	pass "COLUMNS=70 in a pipe: lines of $w at most, cut values marked"
else
	fail "COLUMNS=70 in a pipe" "$(cat cols70.txt)"
fi

# why's prose is broken between words: the same words as unwrapped (the
# pictures aside: they are drawn narrower)
words() {
	sed '/^The picture:/,/^$/d' "$1" | tr ' ' '\n' | grep -v '^$'
}
run_oomlens why postgres
words "$OUT" >words.txt
COLUMNS=60 "$OOMLENS" --db "$TEST_DB" why postgres >why60.txt
words why60.txt >words60.txt
w=$(widest why60.txt)
if [ "$w" -le 60 ] && cmp -s words.txt words60.txt; then
	pass "why on 60 columns: wrapped between words ($w at most)"
else
	fail "why on 60 columns: wrapped between words ($w at most)" \
		"$(diff words.txt words60.txt | head -10)"
fi
if [ "$(wc -l <why60.txt)" -gt "$(wc -l <"$OUT")" ]; then
	pass "why on 60 columns: more lines than unwrapped"
else
	fail "why on 60 columns: more lines than unwrapped"
fi

# ingest's progress line: one row of the terminal, with the share read
# when the inputs' size is known (a plain file)
awk 'BEGIN { for (i = 0; i < 300000; i++)
	printf "[%6d.000000] eth0: link is up, 1000 Mbps full duplex, flow control rx/tx\n", i }' >big.log
cat "$F/postgres-6.8.dmesg" >>big.log
for cols in 40 132; do
	script -qec "stty cols $cols; '$OOMLENS' --db '$TEST_TMP/p$cols.db' ingest --host db1 big.log" \
		/dev/null </dev/null 2>&1 | tr '\r' '\n' | grep '^.\[Kingest:' |
		sed 's/^.\[K//' >bar$cols.txt
	w=$(widest bar$cols.txt)
	if [ -s bar$cols.txt ] && [ "$w" -lt "$cols" ]; then
		pass "progress line on $cols columns: $w at most"
	else
		fail "progress line on $cols columns: $w" "$(cat bar$cols.txt)"
	fi
done
if grep -q ', [0-9]*%' bar132.txt; then
	pass "the progress line says how much is read"
else
	fail "the progress line says how much is read" "$(cat bar132.txt)"
fi

# --output
run_oomlens list --output id,host,VICTIM
expect_rc 0 "list --output id,host,VICTIM"
expect_eq "$(head -1 "$OUT")" "ID HOST$(printf '%*s' 36 '') VICTIM" \
	"--output: those columns, in that order"
run_oomlens list -o help
expect_rc 0 "list -o help"
expect_out_contains "Available columns:" "--output help lists the columns"
expect_out_contains "  CONSTRAINT" "... CONSTRAINT among them"
# top takes --output too, its key column named as --by says
run_oomlens top --by host -o host,count
expect_rc 0 "top --by host -o host,count"
expect_eq "$(sed -n 1p "$OUT" | tr -s ' ')" "HOST COUNT" "top --output: those columns, in that order"
run_oomlens top -o victim,nosuch
expect_rc 2 "top --output: an unknown column is a usage error"
expect_err_contains "unknown column 'nosuch'" "top --output: the name said"
expect_err_contains "VICTIM" "top --output: and the columns listed"
run_oomlens list -o id,bogus
expect_rc 2 "list -o with an unknown column"
expect_err_contains "unknown column 'bogus'" "... says which"
expect_err_contains "  MEMCG" "... and lists the columns"

# a long listing goes out a chunk (2048 rows) at a time, in flat memory:
# one heading, and the rows after a chunk aligned under the first ones
TEST_DB=$TEST_TMP/many.db
sh "$TESTS_DIR/../scripts/gen-reports.sh" 40000 >many.log
run_oomlens ingest -q many.log
"$OOMLENS" --db "$TEST_DB" list >many.txt
expect_eq "$(wc -l <many.txt | tr -d ' ')" 40001 "40000 events, one heading"
expect_eq "$(grep -c '^ID ' many.txt)" 1 "the heading printed once"
expect_eq "$(awk 'NR == 2 || NR == 2500 || NR == 4500 { printf "%d ", index($0, "stress") }' many.txt)" \
	"$(awk 'NR == 2 { i = index($0, "stress"); printf "%d %d %d ", i, i, i }' many.txt)" \
	"rows of later chunks aligned under the first"
if (ulimit -v 60000 2>/dev/null && "$OOMLENS" --version >/dev/null 2>&1); then
	(ulimit -v 60000; exec "$OOMLENS" --db "$TEST_DB" list >/dev/null 2>"$ERR")
	RC=$?
	expect_rc 0 "40000 events listed under a 60 MB address-space limit (a table of them all took 40 MB more)"
fi

finish
