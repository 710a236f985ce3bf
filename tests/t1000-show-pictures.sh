#!/bin/sh
# t1000-show-pictures: the pictures of 'show' and 'why' (memory stacked against
# totalpages, free against the min watermark per zone, each task's share
# of the points) in block characters under a UTF-8 locale, in ASCII under
# C or POSIX, coloured only on a terminal without NO_COLOR.
#
# The expected files are those of t0110 (LC_ALL=C) and show-N-utf8.txt;
# after a deliberate change, rewrite them from the current binary with
#	make oomlens && REGEN=1 sh tests/t1000-show-pictures.sh
# and review the diff.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

E=$TESTS_DIR/expected
mkdir "$TEST_TMP/in" && cd "$TEST_TMP/in" || exit 1
for f in postgres-6.8.kern.log two-reports-6.1.kern.log memcg-v2-5.15.dmesg; do
	cp "$FIXTURES/$f" . && touch -d "2026-11-22 12:00:00Z" "$f"
done
run_oomlens ingest -q postgres-6.8.kern.log two-reports-6.1.kern.log memcg-v2-5.15.dmesg
expect_rc 0 "ingest"

# in_locale LOCALE ARGS...: run_oomlens with LC_ALL=LOCALE
in_locale() {
	_saved=$LC_ALL
	LC_ALL=$1
	shift
	run_oomlens "$@"
	LC_ALL=$_saved
}

if [ "${REGEN:-}" = 1 ]; then
	for id in 1 3 4; do
		in_locale C show "$id" && cp "$OUT" "$E/show-$id.txt"
	done
	for id in 1 4; do
		in_locale C.UTF-8 show "$id" && cp "$OUT" "$E/show-$id-utf8.txt"
	done
	in_locale C why postgres && cp "$OUT" "$E/why-postgres.txt"
	in_locale C.UTF-8 why postgres && cp "$OUT" "$E/why-postgres-utf8.txt"
	in_locale C why --event 4 java && cp "$OUT" "$E/why-java.txt"
	echo "rewrote $E/show-*.txt and $E/why-*.txt"
fi

# --- UTF-8: block characters ---
in_locale C.UTF-8 show 1
expect_rc 0 "show under C.UTF-8"
expect_out_file "$E/show-1-utf8.txt" "the postgres kill in block characters"
expect_out_contains "▕████████████████████████████████▓▓▓▓▓▓▓▓▓▓▓▞▞▞▞▞▞ ▏ of totalpages 17.7 GiB" \
	"anon, shmem and swap stacked against totalpages"
expect_out_contains "█ anon 11.2 GiB  ▓ shmem 3.9 GiB  ▒ file 23.5 MiB  ░ page tables 41.6 MiB  ▞ swap 2.0 GiB" \
	"with a legend (anon without shmem)"
expect_out_contains "(below the min watermark)
           ▕███████████████████████████      ┃                ▏ free, ┃ min" \
	"zone Normal: free stops short of the min mark"
expect_out_contains "ADJ  POINTS SHARE       NAME" "a share column before the name"
expect_out_contains "-500  ██▍         24.1%  pytest" "pytest's share of the points"
expect_out_contains "   0  ███▍        33.7%  postgres" "postgres had the most"
expect_out_contains " -1000                  -  systemd-udevd" "unkillable: no share"
expect_out_not_contains "$(printf '\033')" "no colour when stdout is not a terminal"

in_locale C.UTF-8 show 4
expect_out_file "$E/show-4-utf8.txt" "a memcg OOM: usage against the limit"
expect_out_contains "▕██████████████████████████████████████████████████▏ usage of the limit" \
	"the cgroup was full"
expect_out_not_contains "of totalpages" "no machine-wide picture for a memcg OOM"

# --- C and POSIX: ASCII only ---
in_locale C show 1
expect_out_file "$E/show-1.txt" "the postgres kill in ASCII"
expect_out_contains "[################################%%%%%%%%%%%~~~~~~ ] of totalpages 17.7 GiB" \
	"the stacked picture in ASCII"
expect_out_contains "[===========================      |                ] free, | min" \
	"the zone gauge in ASCII"
expect_out_contains "-500  ##          24.1%  pytest" "task bars in '#'"
if LC_ALL=C grep -q "$(printf '[\200-\377]')" "$OUT"; then
	fail "LC_ALL=C: nothing but ASCII"
else
	pass "LC_ALL=C: nothing but ASCII"
fi
in_locale C show 4
expect_out_file "$E/show-4.txt" "the memcg OOM in ASCII"
in_locale POSIX show 1
expect_out_file "$E/show-1.txt" "POSIX is ASCII too"

# --- why draws the same pictures, with each top task's share of points ---
in_locale C.UTF-8 why postgres
expect_out_file "$E/why-postgres-utf8.txt" "why: the postgres kill's picture in block characters"
expect_out_contains "           ███▍        33.7%  postgres (pid 1201)" \
	"why: the victim's share of the points, as show gives it"
expect_out_contains "▕████████████████████████████████▓▓▓▓▓▓▓▓▓▓▓▞▞▞▞▞▞ ▏ of totalpages 17.7 GiB" \
	"why: memory stacked against totalpages"
expect_out_contains "node 0 Normal: free 46.6 MiB, min 57.7 MiB  (below the min watermark)
           ▕███████████████████████████      ┃                ▏ free, ┃ min" \
	"why: the zone below its min watermark"
in_locale C why postgres
expect_out_file "$E/why-postgres.txt" "why: the same in ASCII"
if LC_ALL=C grep -q "$(printf '[\200-\377]')" "$OUT"; then
	fail "why under LC_ALL=C: nothing but ASCII"
else
	pass "why under LC_ALL=C: nothing but ASCII"
fi
in_locale C why --event 4 java
expect_out_file "$E/why-java.txt" "why: a memcg OOM's picture"
expect_out_contains "[##################################################] usage of the limit" \
	"why: the cgroup's usage against its limit"
expect_out_not_contains "$(printf '\033')" "why: no colour when stdout is not a terminal"

# LC_ALL, then LC_CTYPE, then LANG decide
lang_run() {
	(
		unset LC_ALL LC_CTYPE LANG
		for v in "$@"; do
			export "${v?}"
		done
		"$OOMLENS" --db "$TEST_DB" show 1
	) >"$OUT" 2>"$ERR"
}
lang_run LANG=C.UTF-8
expect_out_contains "▕" "LANG=C.UTF-8 alone: block characters"
lang_run LANG=C.UTF-8 LC_CTYPE=C
expect_out_not_contains "▕" "LC_CTYPE=C overrides LANG"
lang_run LANG=C
expect_out_not_contains "▕" "LANG=C: ASCII"
lang_run
expect_out_not_contains "▕" "no locale at all: ASCII"

# --- colour: only on a terminal, never with NO_COLOR ---
if command -v script >/dev/null 2>&1 &&
	script -qec true /dev/null >/dev/null 2>&1 </dev/null; then
	# tty_run VAR=VALUE...: show 1 on a pseudo-terminal, NO_COLOR unset
	tty_run() {
		env -u NO_COLOR LC_ALL=C.UTF-8 "$@" script -qec \
			"$OOMLENS --db '$TEST_DB' show 1" /dev/null \
			</dev/null >"$OUT" 2>"$ERR"
	}
	tty_run
	expect_out_contains "$(printf '\033[31m')" "on a terminal: the victim's bar in red"
	expect_out_contains "$(printf '\033[0m')" "and colours are reset"
	tty_run NO_COLOR=1
	expect_out_contains "▕" "NO_COLOR keeps the pictures"
	expect_out_not_contains "$(printf '\033')" "but drops the colour"
	tty_run NO_COLOR=
	expect_out_contains "$(printf '\033[31m')" "an empty NO_COLOR is unset"
else
	echo "note: no usable script(1): colour on a terminal not checked"
fi
finish
