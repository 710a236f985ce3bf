#!/bin/sh
# t0130-reconstruct: for every fixture and every corpus report with a task
# dump, the kernel's choice recomputed from the dump agrees with the task
# it killed, or the disagreement has a named reason (never "unknown").
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

CORPUS=${OOMLENS_CORPUS:-$TESTS_DIR/../../shared/corpus}
inputs=$(ls "$FIXTURES"/*.dmesg* "$FIXTURES"/*.log "$FIXTURES"/*.messages \
	"$FIXTURES"/*.txt "$FIXTURES"/*.kmsg 2>/dev/null)
if [ -d "$CORPUS" ]; then
	inputs="$inputs $(ls "$CORPUS"/*.log)"
else
	echo "t0130-reconstruct: no corpus at $CORPUS, fixtures only"
fi

for f in $inputs; do
	name=$(basename "$f")
	TEST_DB=$TEST_TMP/$name.db
	run_oomlens ingest -q "$f"
	[ "$RC" = 0 ] || continue	# inputs without a report
	run_oomlens export
	n=0
	while IFS= read -r doc; do
		n=$((n + 1))
		case $doc in
		*'"tasks":[{'*'"killed":[{'* | *'"killed":[{'*'"tasks":[{'*) ;;
		*) continue ;;	# no dump or no kill: nothing to check
		esac
		case $doc in
		*'"agrees":true'*)
			pass "$name #$n: the recomputed victim is the one killed" ;;
		*'"agrees":false,"reason":"unknown"'*)
			fail "$name #$n: disagreement without a reason" ;;
		*'"agrees":false,"reason":'*)
			pass "$name #$n: disagreement explained" ;;
		*)
			fail "$name #$n: no reconstruction for a report with a dump" ;;
		esac
	done <"$OUT"
done
finish
