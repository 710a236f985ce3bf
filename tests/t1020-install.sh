#!/bin/sh
# t1020-install: 'make install DESTDIR=... PREFIX=/usr' puts the binary, the
# man pages, the bash and zsh completions and the systemd units where the
# system looks for them (zsh: PREFIX/share/zsh/site-functions, for the
# default /usr/local too), the units pass 'systemd-analyze verify', the bash
# completion completes commands and options, and 'make uninstall' takes it
# all away again.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

TOP=$(dirname "$TESTS_DIR")
ROOT=$TEST_TMP/root
command -v make >/dev/null 2>&1 || skip_all "no make"

# make_top ARGS...: make in the checkout, not as part of the make running
# us, and without building anything: the build under test is done (-o:
# the plain binary counts as up to date, ./oomlens is its copy).
[ -e "$TOP/oomlens" ] || [ -e "$TOP/build/plain/oomlens" ] ||
	skip_all "nothing built to install: run make first"
make_top() {
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS \
		make -s -C "$TOP" -o build/plain/oomlens "$@" >"$OUT" 2>"$ERR"
	RC=$?
}

make_top install DESTDIR="$ROOT" PREFIX=/usr
expect_rc 0 "make install DESTDIR=... PREFIX=/usr" || finish
{
	echo ./usr/bin/oomlens
	echo ./usr/lib/systemd/system/oomlens-ingest.service
	echo ./usr/lib/systemd/system/oomlens-ingest.timer
	echo ./usr/share/bash-completion/completions/oomlens
	for m in "$TOP"/man/*.1; do
		echo "./usr/share/man/man1/$(basename "$m")"
	done
	echo ./usr/share/zsh/site-functions/_oomlens
} | LC_ALL=C sort >"$TEST_TMP/want"
(cd "$ROOT" && find . -type f | LC_ALL=C sort) >"$TEST_TMP/got"
if diff -u "$TEST_TMP/want" "$TEST_TMP/got" >"$TEST_TMP/diff"; then
	pass "the files installed"
else
	fail "the files installed" "$(cat "$TEST_TMP/diff")"
fi
[ -x "$ROOT/usr/bin/oomlens" ] && pass "the binary is executable" ||
	fail "the binary is executable"
"$ROOT/usr/bin/oomlens" --version >"$OUT" 2>"$ERR"
RC=$?
expect_rc 0 "the installed binary runs"

UNIT=$ROOT/usr/lib/systemd/system/oomlens-ingest.service
TIMER=$ROOT/usr/lib/systemd/system/oomlens-ingest.timer
OUT=$UNIT
expect_out_contains "
ExecStart=/usr/bin/oomlens ingest --journal -q
" "ExecStart= runs the installed binary"
# no --db: the database is the state directory's (t1040 checks the binary)
expect_out_contains "
StateDirectory=oomlens
" "its database: /var/lib/oomlens/oomlens.db"
expect_out_not_contains "@BINDIR@" "no placeholder left"
expect_out_contains "
SuccessExitStatus=1
" "a run with nothing new is a success (t1040 runs it)"
for k in DynamicUser=yes SupplementaryGroups=systemd-journal \
	StateDirectory=oomlens ProtectSystem=strict ProtectHome=yes \
	NoNewPrivileges=yes PrivateTmp=yes PrivateNetwork=yes \
	CapabilityBoundingSet= ; do
	expect_out_contains "
$k
" "hardened: $k"
done
expect_out_not_contains "ReadWritePaths=" "no other writable path"
OUT=$TIMER
expect_out_contains "OnUnitActiveSec=10min" "the timer: every 10 minutes"
expect_out_contains "WantedBy=timers.target" "enabled with the timers"
OUT=$TEST_TMP/stdout

"$ROOT/usr/bin/oomlens" ingest -h >"$TEST_TMP/ingest-h" 2>&1
if ! grep -q -- "--journal" "$TEST_TMP/ingest-h"; then
	echo "note: this oomlens has no 'ingest --journal' yet: the service would fail"
fi

# --- systemd-analyze verify, with ExecStart= on the binary under DESTDIR ---
if command -v systemd-analyze >/dev/null 2>&1; then
	V=$TEST_TMP/verify
	mkdir "$V"
	printf '[Unit]\nDescription=probe\n[Service]\nType=oneshot\nExecStart=/bin/true\n' \
		>"$V/oomlens-probe.service"
	if ! systemd-analyze verify --man=no "$V/oomlens-probe.service" \
		>"$V/probe.log" 2>&1; then
		echo "note: systemd-analyze cannot verify here (sandbox?):"
		sed 's/^/    /' "$V/probe.log" | head -n 5
	else
		sed "s|^ExecStart=/usr/bin/oomlens|ExecStart=$ROOT/usr/bin/oomlens|" \
			"$UNIT" >"$V/oomlens-ingest.service"
		cp "$TIMER" "$V/"
		systemd-analyze verify --man=no "$V/oomlens-ingest.service" \
			"$V/oomlens-ingest.timer" >"$OUT" 2>"$ERR"
		RC=$?
		expect_rc 0 "systemd-analyze verify: the service and the timer"
		expect_err_empty "without a warning"
		if systemd-analyze security --offline=yes \
			"$V/oomlens-ingest.service" >"$OUT" 2>&1; then
			expect_out_contains "SAFE" "systemd-analyze security: SAFE"
		fi
	fi
else
	echo "note: no systemd-analyze: the units were not verified"
fi

# --- bash completion from the help of the binary under test ---
if command -v bash >/dev/null 2>&1; then
	# complete WORDS...: the completions of the last word
	complete_bash() {
		bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
			_oomlens; printf "%s\n" "${COMPREPLY[@]}"' bash \
			"$ROOT/usr/share/bash-completion/completions/oomlens" \
			"$OOMLENS" "$@" >"$OUT" 2>"$ERR"
	}
	complete_bash ""
	expect_out_contains "report" "bash: the commands"
	expect_out_contains "why-not" "bash: every one"
	complete_bash rep
	expect_out_equals "report" "bash: a command from its start"
	complete_bash report --o
	expect_out_equals "--output" "bash: a command's options"
	complete_bash --db x.db show --
	expect_out_contains "--raw" "bash: past --db and its argument"
	complete_bash export --format ""
	expect_out_contains "otel" "bash: --format's values"
	complete_bash -
	expect_out_contains "--version" "bash: the global options"
fi
if command -v zsh >/dev/null 2>&1; then
	zsh -n "$ROOT/usr/share/zsh/site-functions/_oomlens" 2>"$ERR"
	RC=$?
	expect_rc 0 "zsh: the completion parses"
else
	echo "note: no zsh: its completion was not parsed"
fi

make_top uninstall DESTDIR="$ROOT" PREFIX=/usr
expect_rc 0 "make uninstall"
n=$(cd "$ROOT" && find . -type f | wc -l)
expect_eq "$n" 0 "uninstall removes every file install put there"

# --- the default prefix: zsh under /usr/local searches its site-functions ---
LROOT=$TEST_TMP/local
make_top install DESTDIR="$LROOT"
expect_rc 0 "make install DESTDIR=... (PREFIX=/usr/local)"
[ -f "$LROOT/usr/local/share/zsh/site-functions/_oomlens" ] &&
	pass "zsh: /usr/local/share/zsh/site-functions/_oomlens" ||
	fail "zsh: /usr/local/share/zsh/site-functions/_oomlens" \
		"$(cd "$LROOT" && find . -name _oomlens)"
make_top install DESTDIR="$LROOT" ZSHCOMPDIR=/usr/share/zsh/vendor-completions
expect_rc 0 "make install ZSHCOMPDIR=... (as debian/rules)"
[ -f "$LROOT/usr/share/zsh/vendor-completions/_oomlens" ] &&
	pass "ZSHCOMPDIR= on the command line wins" ||
	fail "ZSHCOMPDIR= on the command line wins"
finish
