#!/bin/sh
# t0620-story: the userspace story around kills, end to end: every
# program's message of story-6.8.syslog is stored and linked to the right
# event (by unit, container, pid, its own kill), userspace kills are events
# with their killer, forged kernel lines are not events, a message and its
# kernel report in two inputs still meet, re-ingesting adds nothing, and a
# journal file's systemd lines link like the syslog's.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

S=$(pinned story-6.8.syslog)
F=$FIXTURES/story-6.8.syslog.facts
# the kernel's reports (facts), 3 userspace kills, 12 userspace messages:
# systemd's 4 lines about kills and 1 about a unit no kill names, a forged
# kill line, earlyoom, systemd-oomd and systemd's line on it, nohang,
# containerd, node-problem-detector, the kubelet
kernel=$(fact "$F" reports)
events=$((kernel + 3))
messages=12

run_oomlens ingest "$S"
expect_rc 0 "ingest the story fixture"
expect_out_contains "$events events" "events: kernel and userspace kills"
expect_out_contains "$messages userspace messages" \
	"every userspace message stored"

# CSV lines end in CRLF (RFC 4180)
sql() {
	run_oomlens sql --csv "$1"
	tr -d '\r' <"$OUT" >"$TEST_TMP/sql" && cp "$TEST_TMP/sql" "$OUT"
}
sql "SELECT count(*) FROM events WHERE killer = 'kernel'"
expect_out_equals "count(*)
$kernel" "kernel kills"
sql "SELECT killer, host FROM events WHERE killer <> 'kernel' ORDER BY killer"
expect_out_equals "killer,host
earlyoom,db1
nohang,desk2
systemd-oomd,desk1" "userspace kills are events with their killer and host"

# each message, the event it tells of, and how it was linked
link_of() {	# kind, what it names -> "victim comm or cgroup|link"
	sql "SELECT COALESCE((SELECT comm FROM kills WHERE event_id = a.event_id
	     LIMIT 1), (SELECT task_memcg FROM events WHERE id = a.event_id),
	     'none') || '|' || COALESCE(a.link, 'none') AS v FROM actions AS a
	     WHERE a.kind = '$1' AND COALESCE(a.unit, a.container_id, a.comm,
	     a.cgroup, a.actor) = '$2'"
	sed 1d "$OUT" >"$TEST_TMP/link" && cp "$TEST_TMP/link" "$OUT"
}
link_of unit-oom postgresql.service
expect_out_equals "postgres|unit" "systemd: the unit's OOM line -> the postgres kill"
link_of unit-failed postgresql.service
expect_out_equals "postgres|unit" "systemd: Failed with result 'oom-kill' -> the postgres kill"
link_of unit-oom system.slice
expect_out_equals "postgres|unit" "systemd: the parent slice's line -> the same kill"
link_of unit-failed nginx.service
expect_out_equals "none|none" "a unit no kill names stays unlinked"
link_of earlyoom-kill pytest
expect_out_equals "pytest|self" "earlyoom: its kill is its own event"
link_of oomd-kill /user.slice/user-1000.slice/user@1000.service/app.slice/app-org.chromium.Chromium-4242.scope
expect_out_equals "/user.slice/user-1000.slice/user@1000.service/app.slice/app-org.chromium.Chromium-4242.scope|self" \
	"systemd-oomd: its kill is its own event, of the cgroup"
link_of unit-oomd app-org.chromium.Chromium-4242.scope
expect_out_equals "/user.slice/user-1000.slice/user@1000.service/app.slice/app-org.chromium.Chromium-4242.scope|unit" \
	"systemd: 'systemd-oomd killed N' -> the oomd kill"
link_of nohang-kill stress-ng-vm
expect_out_equals "stress-ng-vm|self" "nohang: its kill, victim from its status block"
link_of task-oom 0a09e1d7aadf6722ab2b7eca73a8fd580807c3f9c7261c96d4466419bc980537
expect_out_equals "java|container" "containerd TaskOOM -> the container's kill"
link_of npd-oom java
expect_out_equals "java|pid" "node-problem-detector OOMKilling -> the kill of that pid"
link_of system-oom java
expect_out_equals "java|pid" "kubelet SystemOOM -> the kill of that pid"

# forged: recorded, never an event
sql "SELECT actor, event_id IS NULL FROM actions WHERE kind = 'forged'"
expect_out_equals "actor,event_id IS NULL
backup.sh,1" "a script's 'Killed process' line is forged, tied to nothing"
run_oomlens list --json
expect_out_not_contains '"pid":1,"name":"systemd"' "the forged kill is no event"

# the timeline, in time order
run_oomlens timeline --host db1
expect_rc 0 "timeline --host db1"
expect_out_contains "kernel                killed postgres (1201) in postgresql.service  #" \
	"timeline: the kernel kill with its unit"
expect_out_contains "postgresql.service failed with result 'oom-kill'  -> #" \
	"timeline: the unit's failure, linked"
expect_out_contains "FORGED kernel line, not an event: Out of memory: Killed process 1 (systemd)" \
	"timeline: the forged line, marked"
expect_out_contains "nginx.service failed with result 'oom-kill'  (no event)" \
	"timeline: an unlinked message says so"
expect_out_contains "earlyoom              killed pytest (2210)  #" \
	"timeline: earlyoom's kill"
expect_eq "$(grep -n "killed postgres" "$OUT" | cut -d: -f1)" 1 \
	"timeline: the kill comes before what followed it"
run_oomlens timeline --host node-7
expect_out_contains "killed java (48213) in container 0a09e1d7aadf (containerd), pod 6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f (burstable)" \
	"timeline: container, runtime, pod and QoS from the cgroup path"
run_oomlens timeline --json --host desk1
expect_out_contains '"type":"kill","event_id":' "timeline --json: the kill"
expect_out_contains '"killer":"systemd-oomd"' "timeline --json: its killer"
expect_out_contains '"kind":"unit-oomd"' "timeline --json: systemd's line on it"
run_oomlens timeline --host nosuchhost
expect_rc 1 "timeline: nothing for an unknown host"
run_oomlens timeline --bogus
expect_rc 2 "timeline: unknown option"

# export: killer, workload and the story inside the event
run_oomlens export --host node-7
expect_out_contains '"provider":"kernel"' "export: event.provider"
expect_out_contains '"killer":"kernel","provenance":"text","workload":{"container_id":"0a09e1d7aadf6722ab2b7eca73a8fd580807c3f9c7261c96d4466419bc980537","container_runtime":"containerd","pod_uid":"6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f","qos_class":"burstable"}' \
	"export: linux.oom.workload"
expect_out_contains '"container":{"id":"0a09e1d7aadf6722ab2b7eca73a8fd580807c3f9c7261c96d4466419bc980537","runtime":"containerd"}' \
	"export: ECS container.id and runtime"
expect_out_contains '"orchestrator":{"type":"kubernetes","resource":{"type":"pod","id":"6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"}},"labels":{"pod_uid":"6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f"}' \
	"export: orchestrator and labels.pod_uid"
expect_out_contains '"userspace":[{"time":"2026-11-21T07:00:00Z","actor":"containerd","kind":"task-oom"' \
	"export: linux.oom.userspace, in time order"
# OTel: the record's host is a resource attribute, but a story line in
# linux.oom.userspace keeps its own
run_oomlens export --format otel --host node-7
expect_out_contains '"key":"linux.oom.userspace","value":{"arrayValue":{"values":[{"kvlistValue":{"values":[{"key":"time","value":{"stringValue":"2026-11-21T07:00:00Z"}},{"key":"actor","value":{"stringValue":"containerd"}},{"key":"kind","value":{"stringValue":"task-oom"}},{"key":"host","value":{"stringValue":"node-7"}}' \
	"export otel: a story line keeps its host"
run_oomlens export --host db1 --killer kernel
expect_out_contains '"service":{"name":"postgresql.service"}' "export: service.name from the unit"
expect_eq "$(wc -l <"$OUT")" 1 "export --killer kernel: only the kernel's kill"
run_oomlens export --killer earlyoom
expect_out_contains '"killer":"earlyoom"' "export --killer earlyoom"
expect_out_not_contains '"tasks":' "a userspace kill has no task dump, not an empty one"
expect_out_contains '"complete":false' "a userspace kill is no complete kernel report"
run_oomlens export --killer nosuch
expect_rc 1 "export --killer: nothing for an unknown killer"

# why: the workload, what followed, and for a userspace kill its killer
run_oomlens why postgres
expect_out_contains "  Workload: unit postgresql.service." "why: the victim's unit"
expect_out_contains "  Then systemd (+1.0 s): postgresql.service: Failed with result 'oom-kill'." \
	"why: what systemd said, and when"
run_oomlens why java
expect_out_contains "  Workload: container 0a09e1d7aadf (containerd), Kubernetes pod 6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f (QoS burstable)." \
	"why: container and pod"
run_oomlens why pytest
expect_rc 0 "why: a userspace kill is explained"
expect_out_contains "pytest (pid 2210) was killed by earlyoom, a userspace OOM killer: the kernel wrote no report" \
	"why: who killed, and that no kernel report exists"
expect_out_contains "earlyoom sent SIGTERM; its oom_score was 912, VmRSS 11.6 GiB." \
	"why: what earlyoom said of its choice"
expect_out_contains "--avoid '^(pytest)\$'" "why: how to keep earlyoom off it"
expect_out_not_contains "Why this task" "why: no kernel arithmetic for a userspace kill"
run_oomlens why --json pytest
expect_out_contains '"killer":"earlyoom"' "why --json: the killer"
expect_out_contains '"userspace":[{"time":"2026-11-21T04:00:00Z","actor":"earlyoom","kind":"earlyoom-kill"' \
	"why --json: what userspace said"
run_oomlens why --json java
expect_out_contains '"workload":{"container_id":"0a09e1d7aadf6722ab2b7eca73a8fd580807c3f9c7261c96d4466419bc980537","container_runtime":"containerd","pod_uid":"6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f","qos_class":"burstable"}' \
	"why --json: the workload"
run_oomlens why pytest
expect_out_contains "  at 2026-11-21T04:00:00Z (year guessed) on db1" \
	"why: a syslog time's year is a guess, and says so"

# show and the HTML report of a userspace kill: the killer and what it
# printed, not a kernel report that lacks its trigger and kill line
id_of() {
	sql "SELECT id FROM events WHERE killer = '$1'"
	sed -n 2p "$OUT"
}
run_oomlens show "$(id_of earlyoom)"
expect_rc 0 "show: an earlyoom kill"
expect_out_contains "
Killed by earlyoom: pytest (pid 2210, uid 1000)
           SIGTERM, oom_score 912, oom_score_adj 0, VmRSS 11.6 GiB
           cmdline /usr/bin/python3 -m pytest -n 8
           earlyoom printed: sending SIGTERM to process 2210 uid 1000 \"pytest\": oom_score 912," \
	"show: killed by earlyoom, with what earlyoom printed"
expect_out_contains "Trigger:   none: earlyoom killed on its own thresholds" \
	"show: no trigger to look for"
expect_out_contains "No task dump: earlyoom prints none." "show: why no dump"
expect_out_contains "Time:      year guessed" "show: the year is a guess"
expect_out_contains "story-6.8.syslog, line 103
" "show: one line is 'line N'"
expect_out_not_contains "not in the log" "show: nothing said missing from a log"
expect_out_not_contains "
           ," "show: no figure line starting with a comma"
run_oomlens show "$(id_of systemd-oomd)"
expect_out_contains "Killed by systemd-oomd: the cgroup /user.slice/user-1000.slice/user@1000.service/app.slice/app-org.chromium.Chromium-4242.scope
           because memory pressure for /user.slice/user-1000.slice/user@1000.service being 83.42% > 50.00%" \
	"show: systemd-oomd kills a cgroup, and why"
expect_out_not_contains "ends before its kill line" \
	"show: a userspace kill is no cut report"
run_oomlens show "$(id_of nohang)"
expect_out_contains "           nohang printed: Send SIGTERM to the victim" \
	"show: what nohang printed"
# the events that name no unit (earlyoom's, nohang's) are a row too
run_oomlens top --by unit
expect_out_contains "     2  2026-11-21T06:00:00Z  (not in the log)" \
	"top --by unit: the events without a unit"
run_oomlens top --by unit --json
expect_out_contains '{"by":"unit","key":null,"count":2,"last":"2026-11-21T06:00:00Z"}' \
	"top --by unit --json: that row's key is null, not absent"
run_oomlens report --event "$(id_of systemd-oomd)" -o "$TEST_TMP/oomd.html"
expect_rc 0 "report: a systemd-oomd kill"
OUT=$TEST_TMP/oomd.html
expect_out_contains '<p class="verdict" id="verdict"><b>systemd-oomd</b>, a userspace OOM killer, killed <b>the cgroup <code>/user.slice/user-1000.slice/user@1000.service/app.slice/app-org.chromium.Chromium-4242.scope</code></b> on desk1' \
	"report: the verdict names the userspace killer"
expect_out_contains "Killed by systemd-oomd: <q>Killed /user.slice/" \
	"report: with what it printed"
expect_out_not_contains "The kernel OOM killer killed" "report: not the kernel's kill"
expect_out_not_contains "kill line" "report: not a report cut before its kill line"
expect_out_contains "systemd-oomd prints no task dump." "report: why no tasks"
expect_out_contains "Raw report (1 line from" "report: one line, singular"
OUT=$TEST_TMP/stdout

# re-ingest: nothing new.  The file read before is not read again
# (t0410); the same lines read again through stdin are all copies
run_oomlens ingest "$S"
expect_out_contains "story-6.8.syslog: unchanged since the last ingest" \
	"re-ingest: the file is known"
run_oomlens ingest - <"$S"
expect_out_contains "-: $events events" "re-ingest reads the events again"
expect_out_not_contains "userspace message" "re-ingest stores no message twice"
sql "SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM actions)"
expect_out_equals "(SELECT count(*) FROM events),(SELECT count(*) FROM actions)
$events,$messages" "re-ingest adds nothing"

# a message and its report in two inputs, the message first
TEST_DB="$TEST_TMP/split.db"
grep -v ' kernel: ' "$S" >"$TEST_TMP/syslog" && touch -r "$S" "$TEST_TMP/syslog"
grep ' kernel: ' "$S" >"$TEST_TMP/kern.log" && touch -r "$S" "$TEST_TMP/kern.log"
run_oomlens ingest "$TEST_TMP/syslog" "$TEST_TMP/kern.log"
expect_rc 0 "ingest the userspace lines, then the kernel's"
link_of unit-failed postgresql.service
expect_out_equals "postgres|unit" "linked across inputs"
link_of task-oom 0a09e1d7aadf6722ab2b7eca73a8fd580807c3f9c7261c96d4466419bc980537
expect_out_equals "java|container" "containerd linked across inputs"

# the journal: systemd's line as a journal entry links like the syslog's
remote=
for p in /lib/systemd/systemd-journal-remote /usr/lib/systemd/systemd-journal-remote; do
	[ -x "$p" ] && remote=$p
done
if [ -n "$remote" ]; then
	TEST_DB="$TEST_TMP/journal.db"
	boot_us=1795222603543211	# 2026-11-21T03:12:07Z - 8123.456789 s
	awk -v boot="$boot_us" '
	function entry(mono, transport, ident, pid, msg) {
		printf "__REALTIME_TIMESTAMP=%.0f\n__MONOTONIC_TIMESTAMP=%.0f\n", boot + mono, mono;
		printf "_BOOT_ID=4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1\n_HOSTNAME=db1\n";
		printf "_TRANSPORT=%s\nSYSLOG_IDENTIFIER=%s\n", transport, ident;
		if (pid) printf "_PID=%d\n", pid;
		if (transport == "kernel") printf "_SOURCE_MONOTONIC_TIMESTAMP=%.0f\n", mono;
		printf "MESSAGE=%s\n\n", msg;
	}
	/^\[ *[0-9]+\.[0-9]+\] / {
		s = $0; sub(/^\[ */, "", s); t = s; sub(/\].*/, "", t);
		split(t, p, "."); mono = p[1] * 1000000 + p[2];
		sub(/^[^]]*\] /, "", s); entry(mono, "kernel", "kernel", 0, s)
		if (s ~ /Killed process/) kill = mono
		next
	}
	/^ / { s = $0; sub(/^ +/, " ", s); entry(mono, "kernel", "kernel", 0, s) }
	END {
		entry(kill + 800000, "journal", "systemd", 1, "postgresql.service: A process of this unit has been killed by the OOM killer.");
		entry(kill + 900000, "journal", "systemd", 1, "postgresql.service: Failed with result '\''oom-kill'\''.");
		entry(kill + 950000, "journal", "sshd", 812, "postgresql.service: Failed with result '\''oom-kill'\''.");
		entry(kill + 990000, "syslog", "kernel", 4242, "Out of memory: Killed process 1 (init) total-vm:4kB, anon-rss:4kB, file-rss:0kB, shmem-rss:0kB");
	}' "$FIXTURES/postgres-6.8.dmesg" >"$TEST_TMP/story.export"
	J=$TEST_TMP/story.journal
	if "$remote" -o "$J" "$TEST_TMP/story.export" >/dev/null 2>&1; then
		run_oomlens ingest "$J"
		expect_rc 0 "ingest a journal with systemd's lines"
		expect_out_contains "3 userspace messages" \
			"journal: systemd's two lines and the forgery (not sshd's)"
		link_of unit-failed postgresql.service
		expect_out_equals "postgres|unit" "journal: systemd's line linked to the kill"
		sql "SELECT actor FROM actions WHERE kind = 'forged'"
		expect_out_equals "actor
kernel-userspace" "journal: a userspace 'kernel' entry is recorded as forged"
		sql "SELECT count(*) FROM events"
		expect_out_equals "count(*)
1" "journal: the forgery is no event"
		# a journal without host names: the machine id stands for the host
		sed -e '/^_HOSTNAME=/d' \
		    -e 's/^_BOOT_ID=.*/&\n_MACHINE_ID=0f1e2d3c4b5a69788796a5b4c3d2e1f0/' \
		    "$TEST_TMP/story.export" >"$TEST_TMP/noname.export"
		TEST_DB="$TEST_TMP/noname.db"
		if "$remote" -o "$TEST_TMP/noname.journal" "$TEST_TMP/noname.export" >/dev/null 2>&1; then
			run_oomlens ingest -q "$TEST_TMP/noname.journal"
			sql "SELECT host FROM events"
			expect_out_equals "host
0f1e2d3c4b5a69788796a5b4c3d2e1f0" "journal: _MACHINE_ID names a host without _HOSTNAME"
			link_of unit-failed postgresql.service
			expect_out_equals "postgres|unit" "journal: and its lines still link"
		fi
		# systemd-oomd's candidate list: one entry, its MESSAGE of several
		# lines (binary-safe field: name, 64-bit LE length, data)
		msg=$(printf 'Considered 2 cgroups for killing, top candidates were:\n\tPath: /user.slice/app-x.scope\n\t\tMemory Pressure Limit: 50.00%%\n\tPath: /user.slice/app-y.scope')
		len=$(printf '%s' "$msg" | wc -c)
		{
			printf '__REALTIME_TIMESTAMP=1795230000000000\n_BOOT_ID=4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1\n'
			printf '_HOSTNAME=desk1\n_TRANSPORT=journal\nSYSLOG_IDENTIFIER=systemd-oomd\n_PID=512\n'
			printf 'MESSAGE\n'
			printf "\\$(printf %03o "$len")\\000\\000\\000\\000\\000\\000\\000"
			printf '%s\n\n' "$msg"
			printf '__REALTIME_TIMESTAMP=1795230000100000\n_BOOT_ID=4f9c1d0e2b7a4c55a1d3e6f7a8b9c0d1\n'
			printf '_HOSTNAME=desk1\n_TRANSPORT=journal\nSYSLOG_IDENTIFIER=systemd-oomd\n_PID=512\n'
			printf 'MESSAGE=Killed /user.slice/app-x.scope due to memory pressure for /user.slice being 83.42%% > 50.00%% for > 20s with reclaim activity\n\n'
		} >"$TEST_TMP/oomd.export"
		TEST_DB="$TEST_TMP/oomd.db"
		if "$remote" -o "$TEST_TMP/oomd.journal" "$TEST_TMP/oomd.export" >/dev/null 2>&1; then
			run_oomlens ingest "$TEST_TMP/oomd.journal"
			expect_out_contains "1 event (2 new entries, 0 kernel), 4 userspace messages" \
				"journal: oomd's kill, its list and both candidates"
			run_oomlens timeline
			expect_out_contains "desk1        systemd-oomd          considered 2 cgroups for killing  -> #1 (time)" \
				"timeline: oomd's candidate list, tied to its kill"
			expect_out_contains "desk1        systemd-oomd          candidate /user.slice/app-x.scope  -> #1 (cgroup)" \
				"timeline: the killed candidate, by its cgroup (host from the record's first line)"
			expect_out_contains "candidate /user.slice/app-y.scope  -> #1 (time)" \
				"timeline: the candidate spared"
		fi
	else
		echo "t0620-story: skipping the journal checks: systemd-journal-remote cannot write here"
	fi
else
	echo "t0620-story: skipping the journal checks: systemd-journal-remote is not installed"
fi

finish
