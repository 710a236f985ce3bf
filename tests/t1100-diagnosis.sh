#!/bin/sh
# t1100-diagnosis: why, show and the HTML report say the diagnosis's cause
# (issue 16), on the stories where the easy answer is wrong: postgres
# killed for its shared buffers while a test runner held the private
# memory; a RHEL 6 kill whose victim looks small in a table without swap,
# while the printed score says otherwise; 40 php-fpm workers.  The values
# themselves (kind, culprit, each advice) are checked against every
# fixture's .diag by tests/unit/test-diagnosis.c.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

run_oomlens ingest -q "$(pinned diag-shared-5.10.dmesg)" \
	"$(pinned diag-score-rhel6.messages)" "$(pinned diag-group-3.10.messages)"
expect_rc 0 "ingest three diagnosis stories"

run_oomlens why postgres
expect_rc 0 "why postgres"
expect_out_contains "Verdict (shared-memory): pytest (pid 3456) held the most private memory" \
	"the verdict first: the runner, not the database"
expect_out_contains "postgres's points were inflated by" "the shared buffers inflated its points"
expect_out_contains "OOMScoreAdjust=-16 for postgresql.service" "protect postgres at the exact threshold"
expect_out_contains "MemoryMax=5376M for pytest" "cap the runner"
expect_out_not_contains "MemoryMax=5376M for postgres" "never cap the database"
expect_out_not_contains "chose right" "not 'the kernel chose right'"
run_oomlens why --json postgres
expect_out_contains '"diagnosis":{"kind":"shared-memory","also":[],"culprit":{"kind":"task","name":"pytest","pid":3456' \
	"json: the diagnosis"
expect_out_contains '"culprit":{"pid":3456,"name":"pytest"' "json: the top-level culprit follows it"

run_oomlens why ruby
expect_rc 0 "why ruby (RHEL 6, no swap column)"
expect_out_contains "Verdict (largest-consumer): ruby held the most private memory" \
	"the printed score makes the small-looking victim the largest consumer"
expect_out_contains "The kernel's printed score 16 says the victim held" \
	"the swap the table cannot show, from the score"
expect_out_not_contains "(tie)" "never a tie when the score settles it"

run_oomlens why mysqld
expect_out_contains "Verdict (process-group): 40 php-fpm tasks together held" \
	"the workers together, not the largest single task"
expect_out_contains "workers=35 for php-fpm" "fewer workers"

run_oomlens show 1
expect_out_contains "Diagnosis: shared-memory: pytest (pid 3456)" "show: the Diagnosis line"
run_oomlens report --event 1 -o "$TEST_TMP/r.html"
expect_rc 0 "report"
if grep -q "<b>shared-memory</b>: pytest (pid 3456)" "$TEST_TMP/r.html" &&
	grep -q "<code>OOMScoreAdjust=-16</code> for <code>postgresql.service</code>" "$TEST_TMP/r.html"; then
	pass "report: the verdict and the advice come from the diagnosis"
else
	fail "report: the verdict and the advice come from the diagnosis"
fi
finish
