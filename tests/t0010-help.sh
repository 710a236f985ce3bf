#!/bin/sh
# t0010-help: every command has -h, its usage line is the man page's
# SYNOPSIS line, and every option it lists is documented in the man page.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

MAN=$TESTS_DIR/../man/oomlens.1
# SYNOPSIS lines with roff's \- turned back into -
synopsis=$(sed -n '/^\.SH SYNOPSIS/,/^\.SH /p' "$MAN" | sed 's/\\-/-/g')
man_text=$(sed 's/\\-/-/g' "$MAN")

TEST_DB=
run_oomlens -h
expect_rc 0 "oomlens -h"
first=$(head -n 1 "$OUT" | sed 's/^usage: //')
case $synopsis in
*"$first"*) pass "global usage is in SYNOPSIS" ;;
*) fail "global usage is in SYNOPSIS" "missing: $first" ;;
esac
commands=$(sed -n '/^Commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p' "$OUT")
[ -n "$commands" ] && pass "-h lists commands" || fail "-h lists commands"

for cmd in $commands; do
	run_oomlens "$cmd" -h
	expect_rc 0 "$cmd -h exits 0"
	usage=$(head -n 1 "$OUT" | sed 's/^usage: //')
	case $synopsis in
	*"$usage"*) pass "$cmd: usage equals its SYNOPSIS line" ;;
	*) fail "$cmd: usage equals its SYNOPSIS line" "missing: $usage" ;;
	esac
	case $man_text in
	*".SS $usage"*) pass "$cmd: has a man section" ;;
	*) fail "$cmd: has a man section" ".SS $usage" ;;
	esac
	for opt in $(grep -o -- '--[a-z][a-z-]*' "$OUT" | sort -u); do
		if printf '%s\n' "$man_text" | grep -q -e "^\.B .*$opt"; then
			pass "$cmd $opt documented"
		else
			fail "$cmd $opt documented in the man page"
		fi
	done
done

run_oomlens frobnicate
expect_rc 2 "unknown command is a usage error"
expect_err_contains "'frobnicate' is not an oomlens command" "says which"
run_oomlens list --frob
expect_rc 2 "unknown option is a usage error"
expect_err_contains "usage: oomlens list" "prints the usage"
run_oomlens
expect_rc 2 "no command is a usage error"
run_oomlens --version
expect_rc 0 "--version"
expect_out_contains "oomlens " "--version prints the version"
finish
