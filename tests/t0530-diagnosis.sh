#!/bin/sh
# t0530-diagnosis: the diagnosis (issue 16) as stored at ingest and shown
# by sql, top --by cause and culprit, and the exports.  The expectations
# come from the database and from why --json, never from a fixed kind:
# they hold whatever diagnose() decides.  A userspace kill has none (all
# NULL, absent from the exports); a database from before schema 8 gets
# the diagnoses at its next ingest.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

DIAG_COLS="diag_kind, diag_also, culprit_kind, culprit_name, culprit_pid,
culprit_tasks, culprit_private_kb, culprit_estimated"

# q SQL: the rows of sql --csv without the header and CRs
q() {
	run_oomlens sql --csv "$1"
	sed 1d "$OUT" | tr -d '\r'
}

mkdir "$TEST_TMP/in" && cd "$TEST_TMP/in" || exit 1
for f in postgres-6.8.kern.log two-reports-6.1.kern.log memcg-v2-5.15.dmesg \
	story-6.8.syslog; do
	cp "$FIXTURES/$f" . && touch -d "2026-11-22 12:00:00Z" "$f"
done
run_oomlens ingest -q postgres-6.8.kern.log two-reports-6.1.kern.log \
	memcg-v2-5.15.dmesg story-6.8.syslog
expect_rc 0 "ingest the seed scenario and a userspace story"

# --- the columns and the table ---
run_oomlens sql "SELECT $DIAG_COLS FROM events LIMIT 0"
expect_rc 1 "events has the diagnosis columns (no row asked: exit 1)"
expect_err_empty "and sql names no missing column"
run_oomlens sql "SELECT event_id, seq, setting, target, value, why FROM advice LIMIT 0"
expect_rc 1 "table advice has its columns"
expect_err_empty "and sql knows it"

kernel=$(q "SELECT COUNT(*) FROM events WHERE killer = 'kernel'")
user=$(q "SELECT COUNT(*) FROM events WHERE killer <> 'kernel'")
[ "$kernel" -ge 5 ] && [ "$user" -ge 3 ] &&
	pass "$kernel kernel reports, $user userspace kills" ||
	fail "kernel reports and userspace kills" "$kernel kernel, $user userspace"
expect_eq "$(q "SELECT COUNT(*) FROM events WHERE killer = 'kernel' AND
	(diag_kind IS NULL OR diag_also IS NULL OR culprit_kind IS NULL)")" 0 \
	"every kernel report has a kind, a list of others and a culprit kind"
expect_eq "$(q "SELECT COUNT(*) FROM events WHERE killer <> 'kernel' AND
	COALESCE($DIAG_COLS) IS NULL")" "$user" \
	"a userspace kill has no diagnosis: every column NULL"
expect_eq "$(q "SELECT COUNT(*) FROM advice AS a JOIN events AS e
	ON e.id = a.event_id WHERE e.killer <> 'kernel'")" 0 \
	"and no advice"
expect_eq "$(q "SELECT COUNT(*) FROM events WHERE killer = 'kernel' AND
	diag_kind NOT IN ('none', 'manual', 'cgroup-limit', 'fragmentation',
	'lowmem', 'child-sacrificed', 'adj-shielded', 'adj-targeted',
	'shared-memory', 'process-group', 'kernel-memory', 'tmpfs',
	'hugetlb-reserved', 'largest-consumer')")" 0 \
	"every stored kind is a name of the vocabulary"
expect_eq "$(q "SELECT COUNT(*) FROM events WHERE culprit_kind NOT IN
	('none', 'task', 'tasks', 'kernel', 'tmpfs', 'hugetlb')")" 0 \
	"every culprit kind is one of the six"
expect_eq "$(q "SELECT COUNT(*) FROM events WHERE
	(culprit_pid IS NOT NULL AND culprit_kind <> 'task') OR
	(culprit_tasks IS NOT NULL AND culprit_kind <> 'tasks') OR
	(culprit_estimated IS NULL) <> (culprit_private_kb IS NULL)")" 0 \
	"a pid only for a task, a count only for tasks, estimated with a size"

# --- the stored diagnosis is the one why decides ---
q "SELECT e.id, e.diag_kind, e.culprit_kind, k.comm FROM events AS e
JOIN kills AS k ON k.event_id = e.id AND k.seq = 0
WHERE e.killer = 'kernel' ORDER BY e.id" >"$TEST_TMP/stored"
compared=0
while IFS=, read -r id kind ckind comm; do
	run_oomlens why --json --event "$id" "$comm"
	case $(cat "$OUT") in
	*'"diagnosis":{'*) ;;
	*) continue ;;	# why does not show it on this branch yet
	esac
	compared=$((compared + 1))
	expect_out_contains "\"diagnosis\":{\"kind\":\"$kind\"" \
		"event $id: why --json and the database agree on the kind"
	expect_out_contains "\"culprit\":{\"kind\":\"$ckind\"" \
		"event $id: and on the culprit's kind"
done <"$TEST_TMP/stored"
[ "$compared" -gt 0 ] || pass "why --json has no diagnosis yet: nothing to compare"

# --- top --by cause and --by culprit count what the database holds ---
# top_vs_sql BY SQL: top --by BY --json gives the rows SQL counts
top_vs_sql() {
	q "$2" | sort -t, -k2,2nr -k1,1 >"$TEST_TMP/want.$1"
	run_oomlens top --by "$1" --json -n 100
	sed "s/^{\"by\":\"$1\",\"key\":\"\\([^\"]*\\)\",\"count\":\\([0-9]*\\).*/\\1,\\2/" \
		"$OUT" | sort -t, -k2,2nr -k1,1 >"$TEST_TMP/got.$1"
	cp "$TEST_TMP/got.$1" "$OUT"
	expect_out_file "$TEST_TMP/want.$1" "top --by $1: the database's counts"
}
top_vs_sql cause "SELECT diag_kind, COUNT(*) FROM events
WHERE diag_kind IS NOT NULL GROUP BY 1"
expect_eq "$(awk -F, '{ n += $2 } END { print n }' "$TEST_TMP/got.cause")" \
	"$kernel" "top --by cause: every kernel report, no userspace kill"
top_vs_sql culprit "SELECT COALESCE(culprit_name, culprit_kind), COUNT(*)
FROM events WHERE culprit_kind <> 'none' GROUP BY 1"
run_oomlens top --by cause
expect_rc 0 "top --by cause"
expect_out_contains "COUNT  LAST                  CAUSE" "its heading says CAUSE"
first=$(sed -n 1p "$TEST_TMP/want.cause")
expect_out_contains "  ${first%%,*}" "and its rows name the kinds"
run_oomlens top --by cause --host db1 --json
expect_eq "$(sed 's/.*"count":\([0-9]*\).*/\1/' "$OUT" | awk '{ n += $1 } END { print n }')" \
	"$(q "SELECT COUNT(*) FROM events WHERE host = 'db1' AND diag_kind IS NOT NULL")" \
	"top --by cause --host: the host's events only"
run_oomlens top --by cause --since 2027-01-01
expect_rc 1 "top --by cause: nothing since then, exit 1"

# --- exports ---
# (the also list with blanks for commas, so that read splits at fields)
q "SELECT id, diag_kind, replace(diag_also, ',', ' '), culprit_kind,
COALESCE(culprit_name, '') FROM events ORDER BY id" >"$TEST_TMP/diag"
run_oomlens export
cp "$OUT" "$TEST_TMP/ecs"
run_oomlens export --format hec
cp "$OUT" "$TEST_TMP/hec"
run_oomlens export --format otel
cp "$OUT" "$TEST_TMP/otel"
run_oomlens export --format csv
cp "$OUT" "$TEST_TMP/csv"
# the also list as JSON: "a b" -> ["a","b"]
json_list() {
	if [ -z "$1" ]; then
		echo '[]'
	else
		printf '["%s"]\n' "$(printf '%s' "$1" | sed 's/ /","/g')"
	fi
}
while IFS=, read -r id kind also ckind cname; do
	grep "\"event_id\":$id," "$TEST_TMP/ecs" >"$OUT"
	if [ -z "$kind" ]; then
		expect_out_not_contains '"diagnosis"' "ecs: event $id (userspace): no diagnosis"
		continue
	fi
	want="\"diagnosis\":{\"kind\":\"$kind\",\"also\":$(json_list "$also"),\"culprit\":{\"kind\":\"$ckind\""
	[ -z "$cname" ] || want="$want,\"name\":\"$cname\""
	expect_out_contains "$want}}" "ecs: event $id: linux.oom.diagnosis as stored"
	grep "\"event_id\":$id," "$TEST_TMP/hec" >"$OUT"
	expect_out_contains "$want}}" "hec: event $id: the same inside the event"
	grep "\"key\":\"linux.oom.event_id\",\"value\":{\"intValue\":\"$id\"}" \
		"$TEST_TMP/otel" >"$OUT"
	expect_out_contains "{\"key\":\"linux.oom.diagnosis.kind\",\"value\":{\"stringValue\":\"$kind\"}}" \
		"otel: event $id: linux.oom.diagnosis.kind"
	expect_out_contains "{\"key\":\"linux.oom.diagnosis.culprit.kind\",\"value\":{\"stringValue\":\"$ckind\"}}" \
		"otel: event $id: linux.oom.diagnosis.culprit.kind"
	expect_out_contains "{\"key\":\"linux.oom.diagnosis.also\",\"value\":{\"arrayValue\":" \
		"otel: event $id: linux.oom.diagnosis.also, an array"
	# csv: each of the event's rows ends in the four fields (time and
	# host, before the id, hold no comma); a list of several is quoted
	case $also in
	*' '*) also_csv="\"$(printf '%s' "$also" | tr ' ' ',')\"" ;;
	*) also_csv=$also ;;
	esac
	awk -F, -v id="$id" 'NR > 1 && $3 == id' "$TEST_TMP/csv" |
		sed 's/\r$/<end>/' >"$TEST_TMP/rows"
	rows=$(wc -l <"$TEST_TMP/rows")
	bad=$(grep -c -v -F -e ",$kind,$also_csv,$ckind,$cname<end>" "$TEST_TMP/rows")
	[ "$rows" -gt 0 ] && [ "$bad" -eq 0 ] &&
		pass "csv: event $id: the diagnosis columns" ||
		fail "csv: event $id: the diagnosis columns" \
			"$bad of $rows rows lack ,$kind,$also_csv,$ckind,$cname"
done <"$TEST_TMP/diag"
expect_eq "$(sed -n 1p "$TEST_TMP/csv" | tr -d '\r' | sed 's/.*agrees,//')" \
	"diagnosis,diagnosis_also,culprit_kind,culprit_name" \
	"csv: four columns at the end of the header"

# --- a database of schema 7 is diagnosed at its next ingest ---
if command -v sqlite3 >/dev/null 2>&1; then
	q "SELECT id, $DIAG_COLS FROM events ORDER BY id" >"$TEST_TMP/fresh"
	q "SELECT * FROM advice ORDER BY event_id, seq" >"$TEST_TMP/fresh.advice"
	sqlite3 "$TEST_DB" "DROP INDEX events_undiagnosed;
		DROP TABLE advice;
		ALTER TABLE events DROP COLUMN diag_kind;
		ALTER TABLE events DROP COLUMN diag_also;
		ALTER TABLE events DROP COLUMN culprit_kind;
		ALTER TABLE events DROP COLUMN culprit_name;
		ALTER TABLE events DROP COLUMN culprit_pid;
		ALTER TABLE events DROP COLUMN culprit_tasks;
		ALTER TABLE events DROP COLUMN culprit_private_kb;
		ALTER TABLE events DROP COLUMN culprit_estimated;
		ALTER TABLE zones DROP COLUMN buddy;
		ALTER TABLE events DROP COLUMN trust;
		ALTER TABLE events DROP COLUMN provenance;
		DROP TABLE copy_conflicts;
		ALTER TABLE events DROP COLUMN facts_digest;
		PRAGMA user_version = 7;" 2>"$TEST_TMP/sqlite.err"
	if [ -s "$TEST_TMP/sqlite.err" ]; then
		pass "sqlite3 cannot drop columns here: upgrade not checked"
	else
		run_oomlens top --by cause
		expect_rc 3 "schema 7: top asks for an ingest first"
		run_oomlens ingest -q postgres-6.8.kern.log
		expect_rc 0 "an ingest upgrades it (nothing new to read)"
		# (q reads $OUT: its rows go elsewhere first)
		q "SELECT id, $DIAG_COLS FROM events ORDER BY id" >"$TEST_TMP/up"
		cp "$TEST_TMP/up" "$OUT"
		expect_out_file "$TEST_TMP/fresh" "every event diagnosed as at ingest"
		q "SELECT * FROM advice ORDER BY event_id, seq" >"$TEST_TMP/up"
		cp "$TEST_TMP/up" "$OUT"
		expect_out_file "$TEST_TMP/fresh.advice" "with the same advice"
		expect_eq "$(q "SELECT COUNT(*) FROM events INDEXED BY events_undiagnosed
			WHERE diag_kind IS NULL AND killer = 'kernel'")" 0 \
			"nothing left to diagnose"
	fi
fi
finish
