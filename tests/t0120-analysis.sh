#!/bin/sh
# t0120-analysis: why, why-not, whatif and top on the seed scenario (the
# kernel killed postgres while a test runner with oom_score_adj -500 ate
# the memory), on a memcg OOM, and on a host with two reports.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

F=$FIXTURES
facts=$F/postgres-6.8.facts
run_oomlens ingest -q "$(pinned postgres-6.8.kern.log)"
expect_rc 0 "ingest the seed scenario"

# --- why: the seed case must read right ---
run_oomlens why postgres
expect_rc 0 "why postgres"
expect_out_contains "postgres (pid 1201) was killed by the kernel OOM killer" "who died"
expect_out_contains "on db1, event 1, kernel 6.8.0-45-generic" "when and where"
expect_out_contains "victim     postgres (pid 1201): $(fact "$facts" victim_points) points" \
	"the victim's points, as the kernel computed them"
expect_out_contains "runner-up  pytest (pid 3456): $(fact "$facts" pytest_points) points" \
	"against the runner-up"
expect_out_contains "totalpages $(fact "$facts" totalpages)" "with the denominator"
expect_out_contains "Verdict (adj-shielded): pytest (pid 3456) held the most private memory, 12.1 GiB, but its negative oom_score_adj moved the kill onto postgres. Also: shared-memory." \
	"the verdict first: the runner, shielded by its adj, with shared memory contributing"
expect_out_contains "pytest (pid 3456) held the most private memory: 12.1 GiB" \
	"the test runner held the private memory"
expect_out_contains "but its oom_score_adj of -500 took 8.8 GiB worth of points off" \
	"its adj explains the choice"
expect_out_contains "3.9 GiB of the victim's 4.5 GiB rss is shared memory" \
	"the shmem accounting that inflated postgres's points"
expect_out_contains "after reaping, shmem-rss was still 3.9 GiB" "the reaper's view"
expect_out_contains "OOMScoreAdjust=-75 for postgresql.service" \
	"the exact threshold, for postgres's unit: 1214208 - 75 x 4630 < 868971 <= 1214208 - 74 x 4630"
expect_out_contains "oom_score_adj=-75 for pid 1201" "and for the pid"
expect_out_contains "MemoryMax=11520M for pytest" \
	"a MemoryMax for the runner: tidy(12711396 + 112624 - 821189) kB"
expect_out_contains "MemoryHigh=10G for pytest" "and a MemoryHigh at 90% of it, tidied"
expect_out_not_contains "MemoryMax=11520M for postgres" "never a cap on the database"
expect_out_contains "/proc/pressure/memory" "PSI alerting: swap filled first"
expect_out_contains "zone Normal: 46.6 MiB free, below its min watermark 57.7 MiB" \
	"free vs the min watermark"
expect_out_contains "swap 2.0 GiB used of 2.0 GiB (exhausted)" "swap used vs total"

run_oomlens why 1201
expect_rc 0 "why by pid"
expect_out_contains "postgres (pid 1201) was killed" "the same kill"
run_oomlens why --json postgres
expect_rc 0 "why --json"
expect_out_contains '"killed":{"pid":1201,"name":"postgres","reason":"Out of memory"}' "json: the kill"
expect_out_contains '"diagnosis":{"kind":"adj-shielded","also":["shared-memory"],"culprit":{"kind":"task","name":"pytest","pid":3456,"private_kb":12711396,"estimated":false}' \
	"json: the diagnosis, its culprit and private memory"
expect_out_contains '{"setting":"OOMScoreAdjust","target":"postgresql.service","value":"-75"' "json: the adj advice"
expect_out_contains '{"setting":"MemoryMax","target":"pytest","value":"11520M"' "json: the cap"
expect_out_contains '"culprit":{"pid":3456,"name":"pytest"' "json: the top-level culprit follows the diagnosis"
expect_out_contains '"agrees":true' "json: the reconstruction agrees"
run_oomlens why nginx
expect_rc 1 "no kill of that name: exit 1"
expect_err_contains "no kill of 'nginx'" "says so"
run_oomlens why --event 99 postgres
expect_rc 1 "--event restricts"
run_oomlens why
expect_rc 2 "why needs a task"

# --- why-not ---
run_oomlens why-not pytest
expect_rc 0 "why-not pytest"
expect_out_contains "pytest (pid 3456) survived the OOM" "the survivor"
expect_out_contains "the kernel killed postgres (pid 1201) instead" "and who died"
expect_out_contains "Its oom_score_adj of -500 saved it: at 0 it would have scored $(fact "$facts" pytest_points_at_adj_0)" \
	"its adj saved it"
run_oomlens why-not systemd-udevd
expect_out_contains "Its oom_score_adj is -1000: the kernel never chooses it." "unkillable"
run_oomlens why-not --json 1203
expect_out_contains '"reason":"fewer_points"' "a smaller task just scored lower"
run_oomlens why-not postgres --event 1
expect_out_not_contains "pid 1201) survived" "the victim never survived"
run_oomlens why-not nginx
expect_rc 1 "not in any dump: exit 1"
expect_err_contains "memcg OOM lists only the tasks of its cgroup" "and the likely reason"

# --- whatif ---
run_oomlens whatif 1 --adj pytest=0
expect_rc 0 "whatif --adj"
expect_out_contains "the kernel chose postgres (pid 1201), $(fact "$facts" victim_points) points" "before"
expect_out_contains "With these changes it picks pytest (pid 3456), $(fact "$facts" pytest_points_at_adj_0) points" \
	"pytest at adj 0 would have died"
run_oomlens whatif 1 --adj postgres=-75 --json
expect_out_contains '"victim":{"pid":3456,"name":"pytest","points":868971' "-75 is enough"
run_oomlens whatif 1 --adj postgres=-74 --json
expect_out_contains '"changed":false' "-74 is not"
run_oomlens whatif 1 --adj pytest=abc
expect_rc 2 "a bad adj is a usage error"
run_oomlens whatif 1
expect_rc 2 "nothing to change"
run_oomlens whatif 99 --adj pytest=0
expect_rc 1 "no such event"
# names the event does not have are refused, not answered
run_oomlens whatif 1 --adj nginx=0
expect_rc 1 "--adj on a task not in the event: exit 1"
expect_err_contains "event 1 has no task nginx" "naming it"
expect_out_empty "and no answer"
run_oomlens whatif 1 --adj 4242=0
expect_rc 1 "--adj on a pid not in the event: exit 1"
run_oomlens whatif 1 --limit nginx=1G
expect_rc 1 "--limit on a name not in the event: exit 1"
expect_err_contains "event 1 has no task or cgroup nginx" "naming it"
run_oomlens whatif 1 --limit /system.slice/nginx.service=1G
expect_rc 1 "--limit on a cgroup not in the event: exit 1"
expect_out_empty "and no answer"

# --limit on a global OOM: would the cap have prevented it?  pytest's row:
# rss_anon 2721304 + rss_file 6122 + page tables 21893120 B / 4 KiB = 5345
# pages: 2732771 pages = 10931084 kB.  The zones below min: Normal
# 59116 - 47732 = 11384 kB, plus the order-0 request 4 kB: 11388 kB short.
run_oomlens whatif 1 --limit pytest=8G
expect_rc 0 "whatif --limit on a global OOM"
expect_out_contains "its 1 task held 10.4 GiB" "what the group held"
expect_out_contains "left 2.4 GiB free; the machine was 11.1 MiB short" \
	"against how short the machine was"
expect_out_contains "this OOM would not have happened (estimated)" \
	"the verdict: prevented, an estimate"
run_oomlens whatif 1 --limit pytest=8G --json
expect_out_contains '"oom_avoided":true,"limits":[{"name":"pytest","limit_kb":8388608,"scope":"tasks","outcome":"prevents","tasks":1,"group_kb":10931084,"held_kb":2542476,"short_kb":11388,"estimated":true}]' \
	"--json: the same numbers"
run_oomlens whatif 1 --limit pytest=10919000K --json
expect_out_contains '"outcome":"prevents"' "12084 kB held back is more than 11388"
run_oomlens whatif 1 --limit pytest=10920000K
expect_out_contains "not enough, this OOM would still have happened (estimated)" \
	"11084 kB is less"
expect_out_contains "With these changes it" "and the selection is rerun"
run_oomlens whatif 1 --limit pytest=10931084K --json
expect_out_contains '"oom_avoided":false' "a cap of all it held changes nothing"
expect_out_contains '"outcome":"not_reached"' "the limit is not reached"
run_oomlens whatif 1 --limit pytest=11G
expect_out_contains "it would not have been reached, and this OOM would still have happened" \
	"a larger cap: not reached"
expect_out_contains "it still picks postgres (pid 1201)" "and the same victim"
run_oomlens whatif 1 --limit postgresql.service=1G
expect_rc 0 "the victim's cgroup by its last component"
expect_out_contains "the victim, its one task the dump shows, held 4.5 GiB" \
	"only the victim is known to be in it"
expect_out_contains "this OOM would not have happened (estimated)" "prevented"

# --- a memcg OOM: the limit is the story ---
TEST_DB=$TEST_TMP/memcg.db
run_oomlens ingest -q "$F/memcg-v2-5.15.dmesg"
run_oomlens why java
expect_rc 0 "why java (memcg)"
expect_out_contains "hit its limit of 512.0 MiB" "the scope and its limit"
expect_out_contains "Verdict (cgroup-limit): The memory cgroup" "the cgroup's own limit is the cause"
expect_out_contains "inside it java (pid 48213) held the most private memory" \
	"and java the largest consumer inside it"
expect_out_contains "resources.limits.memory=640Mi for pod 6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f" \
	"a pod's limit, raised by a quarter"
expect_out_not_contains "OOMScoreAdjust" "no adj advice"
expect_out_contains "raise it" "raise the limit if the usage is expected"
pod=kubepods-burstable-pod6f1c2d3e_4a5b_4c6d_8e9f_0a1b2c3d4e5f.slice
run_oomlens whatif 1 --limit "$pod=1G"
expect_out_contains "this OOM would not have happened" "a larger limit avoids it"
# a cap on a task inside the OOM's cgroup: java held 130981 pages + page
# tables; the cgroup was at its limit, so short by the 4 kB request
run_oomlens whatif 1 --limit java=300M
expect_out_contains "the OOM's cgroup needed 4 KiB more than its limit (with the request): this OOM would not have happened (estimated)" \
	"a task's cap in a memcg OOM: judged against the cgroup's limit"

# --- a high-order OOM with every zone above min: no verdict is given ---
TEST_DB=$TEST_TMP/frag.db
run_oomlens ingest -q "$F/diag-fragmentation-4.19.dmesg"
run_oomlens whatif 1 --limit java=2G
expect_rc 0 "whatif --limit on a fragmentation OOM"
expect_out_contains "whether that was enough cannot be told: no zone was below its min watermark" \
	"says it cannot tell, and why"

# --- a host with two reports: who grew ---
TEST_DB=$TEST_TMP/two.db
run_oomlens ingest -q "$(pinned two-reports-6.1.kern.log)"
run_oomlens why java
expect_out_contains "java grew the most: +3.8 GiB" "growth since the host's previous report"

# --- top ---
TEST_DB=$TEST_TMP/top.db
run_oomlens ingest -q "$(pinned postgres-6.8.kern.log)" "$F/postgres-6.8.dmesg" \
	"$(pinned two-reports-6.1.kern.log)"
run_oomlens top
expect_rc 0 "top"
expect_out_contains "     2  2026-11-21T03:12:07Z  postgres" "postgres died twice"
# the culprit is each event's stored diagnosis' (t0530 checks it in full)
run_oomlens sql --csv "SELECT COALESCE(culprit_name, culprit_kind), COUNT(*)
FROM events WHERE culprit_kind <> 'none' GROUP BY 1 ORDER BY 2 DESC, 1"
sed 1d "$OUT" | tr -d '\r' >"$TEST_TMP/culprits.sql"
run_oomlens top --by culprit --json
sed 's/^{"by":"culprit","key":"\([^"]*\)","count":\([0-9]*\).*/\1,\2/' "$OUT" |
	sort -t, -k2,2nr -k1,1 >"$TEST_TMP/culprits.top"
sort -t, -k2,2nr -k1,1 "$TEST_TMP/culprits.sql" >"$TEST_TMP/culprits.want"
cp "$TEST_TMP/culprits.top" "$OUT"
expect_out_file "$TEST_TMP/culprits.want" "top --by culprit counts the diagnosis' culprits"
run_oomlens top --by unit
expect_out_contains "postgresql.service" "by systemd unit"
expect_out_contains "session-2.scope" "and session scope"
run_oomlens top --by host --json
expect_out_contains '{"by":"host","key":"ci2","count":2,"last":"2026-11-21T14:47:12Z"}' "by host, JSON"
run_oomlens top --since 2027-01-01
expect_rc 1 "nothing since: exit 1"
run_oomlens top --by size
expect_rc 2 "unknown --by"
finish
