#!/bin/sh
# t0112-times: --since/--until take times as journalctl does
# (systemd.time(7)): local unless a zone is given, words, relative times,
# fractions; on a terminal times are shown in local time with the zone's
# name, like journalctl, --utc shows UTC there; piped text and JSON stay
# RFC 3339 UTC.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

mkdir "$TEST_TMP/in" && cd "$TEST_TMP/in" || exit 1
cp "$FIXTURES/postgres-6.8.kern.log" . &&
	touch -d "2026-11-22 12:00:00Z" postgres-6.8.kern.log
run_oomlens ingest -q postgres-6.8.kern.log
expect_rc 0 "ingest (the kill at 2026-11-21T03:12:07Z)"

# kept SINCE [UNTIL]: the event is listed; dropped likewise
kept() {
	if [ -n "${2:-}" ]; then
		run_oomlens list --since "$1" --until "$2"
	else
		run_oomlens list --since "$1"
	fi
	expect_rc 0 "TZ=$TZ --since '$1'${2:+ --until '$2'} keeps the event"
}
dropped() {
	run_oomlens list "$1" "$2"
	expect_rc 1 "TZ=$TZ $1 '$2' drops the event"
}

# a time without a zone is local: 04:00 in Berlin is 03:00Z, before the
# kill; in UTC it is after it
TZ=Europe/Berlin
kept "2026-11-21 04:00"
kept "2026-11-21T04:12"
dropped --since "2026-11-21 04:13"
dropped --since "2026-11-21 04:00 UTC"
kept "2026-11-21 04:00 +01:00"
kept "2026-11-21 04:12:07 CET" "2026-11-21 04:12:08 CET"
kept "2026-11-21 03:12:06.5Z" "2026-11-21 03:12:07.5 UTC"
dropped --since "2026-11-21 03:12:07.5Z"
dropped --until "2026-11-21 04:12:07 CET"
TZ=America/New_York
kept "2026-11-20 22:12" "2026-11-20 22:13"
kept "2026-11-20"
dropped --until "2026-11-20 22:12"
TZ=UTC
dropped --since "2026-11-21 04:00"
kept "2026-11-21" "2026-11-22"
kept "2026-11-21T03:12:07Z"
kept "@1795230727"

# words and relative times: the kill is in the past
kept "2 years ago" "now"
kept "-1000d" "+1h"
kept "10000h" "today"
dropped --since "tomorrow"
dropped --since "+1h"
dropped --until "3 years ago"
run_oomlens top --since yesterday
expect_rc 1 "top --since yesterday: nothing since then"
run_oomlens list --since "2 fortnights ago"
expect_rc 2 "an unknown unit is a usage error"
expect_err_contains "'2 fortnights ago': not a time" "naming the time"
run_oomlens list --since "2026-11-21 03:00 CET"
expect_rc 2 "another zone's name than the local one is refused"

# piped text keeps RFC 3339 UTC whatever TZ says
TZ=Europe/Berlin
run_oomlens list
expect_out_contains "2026-11-21T03:12:07Z" "piped list: UTC"
expect_out_not_contains "CET" "piped list: no local time"

# on a terminal: local time with the zone's name, as journalctl
if command -v script >/dev/null 2>&1; then
	# tty ARGS...: run oomlens with stdout on a pty, output in $OUT
	tty() {
		script -qec "$OOMLENS --db '$TEST_DB' $*" /dev/null \
			</dev/null >"$OUT" 2>"$ERR"
		RC=$?
	}
elif command -v python3 >/dev/null 2>&1; then
	tty() {
		python3 -c 'import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)' \
			"$OOMLENS" --db "$TEST_DB" "$@" </dev/null >"$OUT" 2>"$ERR"
		RC=$?
	}
else
	fail "a pty: script(1) or python3" "neither is installed"
	finish
fi
for cmd in "list" "show 1" "why postgres" "why-not 1203" "timeline" "top"; do
	TZ=Europe/Berlin tty "$cmd"
	expect_rc 0 "$cmd on a terminal"
	expect_out_contains "2026-11-21 04:12:07 CET" "$cmd on a terminal: local time"
	expect_out_not_contains "03:12:07Z" "$cmd on a terminal: not UTC"
	name=${cmd%% *}
	TZ=Europe/Berlin tty "$name --utc${cmd#"$name"}"
	expect_rc 0 "$cmd --utc on a terminal"
	expect_out_contains "2026-11-21T03:12:07Z" "$cmd --utc on a terminal: UTC"
	expect_out_not_contains "CET" "$cmd --utc on a terminal: not local"
done
TZ=America/New_York tty list
expect_out_contains "2026-11-20 22:12:07 EST" "list on a terminal in New York"
TZ=Europe/Berlin tty list --json
expect_out_contains '"time":"2026-11-21T03:12:07Z"' "JSON on a terminal: UTC"
expect_out_not_contains "CET" "JSON on a terminal: no local time"
TZ=Europe/Berlin tty show --json 1
expect_out_contains '2026-11-21T03:12:07Z' "show --json on a terminal: UTC"
expect_out_not_contains "CET" "show --json on a terminal: no local time"

finish
