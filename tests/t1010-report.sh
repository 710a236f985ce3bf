#!/bin/sh
# t1010-report: 'oomlens report' writes one self-contained HTML page (no
# script, no URL) with the verdict, the timeline, the tasks by points, the
# memory, the advice and the raw report; hostile task names and cgroup
# paths come out escaped.  When Chromium is installed the page is rendered
# headless: its text must hold each section, and a screenshot is kept in
# the test's directory.  Without Chromium only the structure is checked.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

mkdir "$TEST_TMP/in" && cd "$TEST_TMP/in" || exit 1
for f in postgres-6.8.kern.log two-reports-6.1.kern.log memcg-v2-5.15.dmesg; do
	cp "$FIXTURES/$f" . && touch -d "2026-11-22 12:00:00Z" "$f"
done
# the seed scenario again on host "evil", with markup in a task name (the
# culprit's) and in the victim's cgroup path
sed -e 's/ db1 kernel:/ evil kernel:/' \
	-e 's/pytest/<img src=x>/g' \
	-e 's|/system.slice/postgresql.service|/system.slice/<script>alert(1)</script>.service|g' \
	-e "s/ cron\$/ cr$(printf '\377')on/" \
	postgres-6.8.kern.log >evil.kern.log
touch -d "2026-11-22 12:00:00Z" evil.kern.log
# and on host "fort", where sshd (oom_score_adj -1000) holds 38 GiB
sed -e 's/ db1 kernel:/ fort kernel:/' \
	-e 's/^\(.*\[    812\]     0   812     3034\)      923      222 /\1  9999999  9999298 /' \
	postgres-6.8.kern.log >fort.kern.log
touch -d "2026-11-22 12:00:00Z" fort.kern.log
run_oomlens ingest -q postgres-6.8.kern.log two-reports-6.1.kern.log \
	memcg-v2-5.15.dmesg evil.kern.log fort.kern.log
expect_rc 0 "ingest"

# --- the seed case, one event ---
H=$TEST_TMP/db1.html
run_oomlens report --event 1 -o "$H"
expect_rc 0 "report --event 1"
expect_out_empty "nothing on stdout"
OUT_SAVED=$OUT
OUT=$H
expect_out_contains "<!DOCTYPE html>" "an HTML document"
expect_out_contains '<p class="verdict" id="verdict">The kernel OOM killer killed <b>postgres (pid 1201)</b> on db1 at 2026-11-21T03:12:07Z when the whole machine ran out of memory.' \
	"the verdict in a sentence"
expect_out_contains "<b>adj-shielded</b>: pytest (pid 3456) held the most private memory, 12.1 GiB, but its negative oom_score_adj moved the kill onto postgres. Also: shared-memory." \
	"the diagnosis's verdict: the culprit and its oom_score_adj"
expect_out_contains '<section id="timeline"><h2>Timeline: 1 OOM event</h2>' "a timeline of db1's kills"
expect_out_contains '<svg id="timeline-chart"' "drawn in SVG"
expect_out_contains '<section id="tasks"><h2>Top tasks by points</h2>' "the tasks section"
expect_out_contains '<svg id="tasks-chart"' "an SVG bar chart"
expect_out_contains 'postgres (pid 1201) &#8212; killed</text><rect x="260" y="2" width="620.0" height="18" fill="#d62728">' \
	"the victim first, full length, in red"
expect_out_contains 'pytest (pid 3456) &#8212; culprit</text><rect' "the culprit marked"
expect_out_contains '<section id="memory"><h2>Memory breakdown</h2>' "the memory section"
expect_out_contains '<svg id="memory-chart"' "a stacked memory bar"
expect_out_contains "anon (without shmem)</td><td class=\"n\">11.2 GiB" "the anon figure"
expect_out_contains "node 0 Normal" "the zones"
expect_out_contains "below the min watermark" "a zone below its min watermark"
expect_out_contains '<section id="advice"><h2>Recommended settings</h2>' "the advice section"
expect_out_contains "<code>OOMScoreAdjust=-75</code> for <code>postgresql.service</code>" \
	"the OOMScoreAdjust of 'why'"
expect_out_contains "<code>MemoryMax=11520M</code> for <code>pytest</code>" \
	"the MemoryMax of 'why'"
expect_out_contains "/proc/pressure/memory" "the PSI alert"
expect_out_contains "<details><summary>Raw report (86 lines from postgres-6.8.kern.log, lines 7-92)</summary>" \
	"the raw report folded away"
expect_out_contains "postgres invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP)" \
	"the raw lines"
expect_out_not_contains "<script" "no script at all"
expect_out_not_contains "http:" "no http URL"
expect_out_not_contains "https:" "no https URL"
expect_out_not_contains "url(" "no CSS url()"
OUT=$OUT_SAVED

# --- hostile strings ---
E=$TEST_TMP/evil.html
run_oomlens report --host evil -o "$E"
expect_rc 0 "report --host evil"
OUT=$E
expect_out_not_contains "<img" "a task name's markup is not markup"
expect_out_not_contains "<script" "nor a cgroup path's"
expect_out_contains "</b>: &lt;img src=x&gt; (pid 3456) held the most private memory" \
	"the name is escaped in the verdict"
expect_out_contains "&lt;img src=x&gt; (pid 3456) &#8212; culprit</text>" "and in the chart"
expect_out_contains "/system.slice/&lt;script&gt;alert(1)&lt;/script&gt;.service" \
	"the cgroup path is escaped in the raw report"
expect_out_contains "for <code>script&gt;.service</code>" \
	"and in the advice (the unit is the path's last component)"
expect_out_contains "scores under &lt;img src=x&gt; (pid 3456" \
	"the name is escaped in the advice"
expect_out_contains "cr$(printf '\357\277\275')on" "a byte that is not UTF-8 is U+FFFD"
OUT=$OUT_SAVED

# --- a range: the newest kill explained, all on the timeline ---
A=$TEST_TMP/all.html
run_oomlens report --since 2026-11-21 -o "$A"
expect_rc 0 "report --since"
OUT=$A
expect_out_contains "Timeline: 5 OOM events" "every kill with a wall clock in the range"
expect_out_contains "<tr class=\"focus\">" "the explained one is marked"
# the first kill's name starts at its dot, not half before the page
expect_out_contains '<text x="14.0" y="22" text-anchor="start">postgres</text>' \
	"the first timeline label is not clipped"
expect_out_not_contains 'text-anchor="middle">postgres' "nor centred past the edge"
expect_out_contains '<td class="t">2026-11-21T03:12:07Z</td><td class="t">db1</td>' \
	"time and host cells are marked"
expect_out_contains "td.t{white-space:nowrap}" "and never wrap mid-token"
OUT=$OUT_SAVED

# --- a task the kernel can never choose is no rank among the points ---
run_oomlens report --host fort -o -
expect_rc 0 "report --host fort"
sed -n '/<svg id="tasks-chart"/,/<\/svg>/p' "$OUT" >"$TEST_TMP/chart"
expect_eq "$(grep -c 'text-anchor="end">' "$TEST_TMP/chart")" 11 \
	"the top 10 by points, and the culprit"
expect_eq "$(grep 'text-anchor="end">' "$TEST_TMP/chart" | tail -n 1 |
	sed 's/.*text-anchor="end">\([^<]*\)<.*/\1/')" \
	"sshd (pid 812) &#8212; culprit" "the shielded culprit comes last"
expect_out_contains "never chosen (oom_score_adj -1000)</text>" \
	"with no points, said so"
expect_out_not_contains "systemd-udevd (pid 421)" \
	"another -1000 task is left out"
expect_out_contains "Not shown: 1 task with oom_score_adj -1000, which the kernel never chooses." \
	"and counted"
run_oomlens report -o - --host ci2
expect_rc 0 "-o - writes to stdout"
expect_out_contains "<h1>OOM kill on ci2, event 3</h1>" "the newest kill on ci2"
expect_out_contains "Timeline: 2 OOM events" "both of ci2's"
run_oomlens report --event 4 -o -
expect_rc 0 "a memcg OOM"
expect_out_contains "when the memory cgroup <code>/kubepods.slice/" "its scope in the verdict"
expect_out_contains "the memory cgroup's limit</td>" "usage against the cgroup's limit"

# --- errors ---
run_oomlens report --event 1
expect_rc 2 "-o is required"
expect_err_contains "give -o FILE" "says so"
run_oomlens report --event 99 -o "$TEST_TMP/none.html"
expect_rc 1 "no such event: exit 1"
[ ! -e "$TEST_TMP/none.html" ] && pass "and no file" || fail "and no file"
run_oomlens report --since 2030-01-01 -o "$TEST_TMP/none.html"
expect_rc 1 "nothing in the range: exit 1"
expect_err_contains "no OOM event matches" "says so"
run_oomlens report --event 1 -o "$TEST_TMP/no/such/dir/x.html"
expect_rc 3 "an unwritable file is a runtime error"
expect_err_contains "cannot write" "says so"

# --- the userspace story on the page (a database of its own) ---
story_db=$TEST_TMP/story.db
"$OOMLENS" --db "$story_db" ingest -q "$(pinned story-6.8.syslog)"
"$OOMLENS" --db "$story_db" report --host node-7 -o "$TEST_TMP/story.html"
expect_eq "$?" 0 "report of a kill userspace spoke about"
cp "$TEST_TMP/story.html" "$OUT"
expect_out_contains '<h3 id="reactions">What userspace said about event' \
	"the page lists what userspace said about the kill"
expect_out_contains '<td class="n">+0.0 s</td><td>containerd</td><td>time=&quot;2026-11-21T07:00:00.104312877Z&quot; level=info msg=&quot;TaskOOM event' \
	"each message with its delay and who said it"
"$OOMLENS" --db "$story_db" report --host db1 -o "$TEST_TMP/db1.html"
cp "$TEST_TMP/db1.html" "$OUT"
expect_out_contains "<td>pytest (pid 2210) (by earlyoom)</td>" \
	"the timeline names a userspace killer"

# --- rendered by a browser, when there is one ---
browser=
for b in chromium chromium-browser google-chrome; do
	if command -v "$b" >/dev/null 2>&1; then
		browser=$b
		break
	fi
done
if [ -z "$browser" ]; then
	echo "note: no Chromium: the page was checked for structure only, not rendered"
	finish
fi
# chromium_run ARGS...: headless, offline, a throw-away profile
chromium_run() {
	_prof=$(mktemp -d "$TEST_TMP/chromium.XXXXXX")
	timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --user-data-dir="$_prof" "$@" \
		2>>"$TEST_TMP/chromium.log"
}
chromium_run --dump-dom "file://$E" >"$TEST_TMP/dom.html"
if [ ! -s "$TEST_TMP/dom.html" ]; then
	echo "note: $browser could not run here (see below): not rendered"
	tail -n 5 "$TEST_TMP/chromium.log"
	finish
fi
# the text of the page as the browser built it
sed -e 's/<[^>]*>/ /g' "$TEST_TMP/dom.html" >"$TEST_TMP/text"
OUT=$TEST_TMP/text
expect_out_contains "The kernel OOM killer killed" "rendered: the verdict"
expect_out_contains "Timeline: 1 OOM event" "rendered: the timeline"
expect_out_contains "Top tasks by points" "rendered: the tasks"
expect_out_contains "Memory breakdown" "rendered: the memory"
expect_out_contains "Recommended settings" "rendered: the advice"
expect_out_contains "Raw report (86 lines" "rendered: the raw report"
expect_out_contains "&lt;img src=x&gt; (pid 3456)" "rendered: the hostile name is text"
OUT=$TEST_TMP/dom.html
expect_out_not_contains "<img" "rendered: no image element came out of a task name"
expect_out_not_contains "<script" "rendered: no script element"
expect_out_contains "<details>" "rendered: the raw report is folded"
chromium_run --screenshot="$TEST_TMP/report.png" --window-size=1200,2000 \
	"file://$H" >/dev/null
if [ -s "$TEST_TMP/report.png" ]; then
	pass "rendered: a screenshot"
	echo "screenshot: $TEST_TMP/report.png"
else
	fail "rendered: a screenshot" "see $TEST_TMP/chromium.log"
fi
finish
