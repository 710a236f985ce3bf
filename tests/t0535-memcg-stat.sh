#!/bin/sh
# t0535-memcg-stat: a container OOM's memory breakdown, the memcg's
# memory.stat as the report printed it after "Memory cgroup stats for",
# in show, the HTML report and export (linux.oom.memcg.stat.*_kb).  The
# values are worked out by hand from the fixtures: cgroup v2 prints bytes
# (5.15: anon 522215424 = 509976 kB), v1 " key:NKB" (4.19: rss:520080KB).
# A figure the kernel did not print is absent, never 0.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

run_oomlens ingest -q "$(pinned memcg-v2-5.15.dmesg)" \
	"$(pinned era-4.19.kern.log)" "$(pinned postgres-6.8.kern.log)"
expect_rc 0 "ingest a v2 and a v1 memcg OOM and a global one"

# --- show ---
run_oomlens show 1
expect_out_contains \
	"           cgroup memory: anon 498.0 MiB, file 9.0 MiB, shmem 0 KiB
           cgroup kernel: kernel_stack 960 KiB, pagetables 1.5 MiB, percpu 60 KiB, slab 2.4 MiB, sock 0 KiB
           victim's cgroup " "show v2: the breakdown under the usage line"
expect_out_not_contains "cgroup kernel: kernel " \
	"show v2: 5.15 prints no kernel line, none is made up"
run_oomlens show 2
expect_out_contains \
	"cgroup memory: anon 507.9 MiB, file 0 KiB, shmem 0 KiB, swap 0 KiB (its own pages, not its children's)" \
	"show v1: rss, cache, shmem, swap in kB"
expect_out_not_contains "cgroup kernel:" "show v1: no kernel items printed"
run_oomlens show 3
expect_out_not_contains "cgroup memory:" "show global: no memcg breakdown"

# --- export ---
# event N's document of the last export
only_event() {
	grep "$2" "$OUT" >"$TEST_TMP/one" || :
	cp "$TEST_TMP/one" "$OUT"
	expect_eq "$(wc -l <"$OUT")" 1 "$1: event's document found"
}
run_oomlens export
cp "$OUT" "$TEST_TMP/ecs"
only_event ecs '"event_id":1,'
expect_out_contains '"stat":{"anon_kb":509976,"file_kb":9260,"shmem_kb":0,"file_mapped_kb":8624,"kernel_stack_kb":960,"pagetables_kb":1532,"percpu_kb":60,"sock_kb":0,"slab_kb":2500,"slab_reclaimable_kb":1064,"slab_unreclaimable_kb":1436}' \
	"ecs v2: every figure in kB"
cp "$TEST_TMP/ecs" "$OUT" && only_event ecs '"event_id":2,'
expect_out_contains '"stat":{"anon_kb":520080,"file_kb":0,"shmem_kb":0,"file_mapped_kb":0,"swap_kb":0,"own_only":true}' \
	"ecs v1: own pages, kB as printed"
cp "$TEST_TMP/ecs" "$OUT" && only_event ecs '"event_id":3,'
expect_out_not_contains '"stat"' "ecs global: no memcg stat"
run_oomlens export --format otel
expect_out_contains '{"key":"linux.oom.memcg.stat.anon_kb","value":{"intValue":"509976"}}' \
	"otel: the ECS field flattened"
run_oomlens export --format hec
expect_out_contains '"stat":{"anon_kb":520080,' "hec: the ECS object"

# --- report ---
run_oomlens report --event 1 -o "$TEST_TMP/r.html"
expect_rc 0 "report"
grep -A9 '<table id="memcg-stat">' "$TEST_TMP/r.html" >"$OUT"
expect_out_contains '<tr><td>anon</td><td class="n">498.0 MiB</td></tr>
<tr><td>file</td><td class="n">9.0 MiB</td></tr>' "report: the memcg's table"
expect_out_contains '<tr><td>slab</td><td class="n">2.4 MiB</td></tr>' \
	"report: slab"

finish
