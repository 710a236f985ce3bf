#!/bin/sh
# t0010-help: every command has -h and a man page man/oomlens-CMD.1 whose
# SYNOPSIS is its usage line, whose NAME is its summary, and whose OPTIONS
# document every option and argument -h lists; no page for a command that does not
# exist; oomlens.1 has the global usage and options and lists every page.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

MANDIR=$TESTS_DIR/../man
SECTIONS="NAME SYNOPSIS DESCRIPTION OPTIONS EXIT@STATUS EXAMPLES SEE@ALSO"

# unroff FILE: the page with roff's \- turned back into -
unroff() {
	sed 's/\\-/-/g' "$1"
}

# section FILE NAME: the lines of section NAME (without its .SH line and
# without .nf/.fi), roff's \- turned back into -
section() {
	unroff "$1" | awk -v name="$2" '
		/^\.SH / { on = (substr($0, 5) == name); next }
		on && !/^\.(nf|fi)$/ { print }'
}

# tags FILE NAME: the tags (the line after each .TP) of section NAME
tags() {
	section "$1" "$2" | awk 'tp { print; tp = 0 } /^\.TP/ { tp = 1 }'
}

# options: every option the help in $OUT names, long and short
options() {
	grep -o -E -e '(^|[][ ,|])--?[a-zA-Z][a-zA-Z-]*' "$OUT" |
		sed 's/^[][ ,|]//' | LC_ALL=C sort -u
}

# documented FILE OPTION: a tag of OPTIONS (or GLOBAL OPTIONS) names it
documented() {
	tags "$1" "$3" | grep -q -E -e "(^|[ ,])$2([ ,=]|\$)"
}

TEST_DB=
run_oomlens -h
expect_rc 0 "oomlens -h"
cp "$OUT" "$TEST_TMP/global-h"
MAIN=$MANDIR/oomlens.1
expect_eq "$(section "$MAIN" SYNOPSIS)" "$(head -n 1 "$OUT" | sed 's/^usage: //')" \
	"oomlens.1: SYNOPSIS is the global usage"
sed -n '/^Global options:/,/^$/p' "$TEST_TMP/global-h" >"$OUT"
for opt in $(options); do
	if documented "$MAIN" "$opt" "GLOBAL OPTIONS"; then
		pass "oomlens.1: global $opt documented"
	else
		fail "oomlens.1: global $opt is documented under GLOBAL OPTIONS"
	fi
done
commands=$(sed -n '/^Commands:/,/^$/s/^  \([a-z-]*\) .*/\1/p' "$TEST_TMP/global-h")
[ -n "$commands" ] && pass "-h lists commands" || fail "-h lists commands"

for cmd in $commands; do
	page=$MANDIR/oomlens-$cmd.1
	if [ ! -f "$page" ]; then
		fail "$cmd: has a man page" "no man/oomlens-$cmd.1"
		continue
	fi
	run_oomlens "$cmd" -h
	expect_rc 0 "$cmd -h exits 0"
	usage=$(head -n 1 "$OUT" | sed 's/^usage: //')
	summary=$(sed -n '3s/\.$//p' "$OUT")
	expect_eq "$(section "$page" SYNOPSIS)" "$usage" \
		"$cmd: its page's SYNOPSIS is its usage line"
	expect_eq "$(section "$page" NAME)" "oomlens-$cmd - $summary" \
		"$cmd: its page's NAME is its summary"
	th=".TH OOMLENS-$(echo "$cmd" | tr "[:lower:]" "[:upper:]") 1 "
	case $(unroff "$page" | head -n 1) in
	"$th"*) pass "$cmd: .TH names the page" ;;
	*) fail "$cmd: .TH names the page" "not $th..." ;;
	esac
	for s in $SECTIONS; do
		s=$(echo "$s" | tr @ ' ')
		if [ -n "$(section "$page" "$s")" ]; then
			pass "$cmd: section $s"
		else
			fail "$cmd: its page has a section $s"
		fi
	done
	for opt in $(options); do
		if documented "$page" "$opt" OPTIONS; then
			pass "$cmd $opt documented"
		else
			fail "$cmd $opt is documented under OPTIONS of oomlens-$cmd.1"
		fi
	done
	# the arguments -h explains (PATH, EVENT, NAME|PID, QUERY) too
	for arg in $(sed -n '/^Options:/,$s/^  \([A-Z][A-Z|]*\)  .*/\1/p' "$OUT"); do
		if tags "$page" OPTIONS | grep -q -x -F ".I $arg"; then
			pass "$cmd $arg documented"
		else
			fail "$cmd $arg is documented under OPTIONS of oomlens-$cmd.1" \
				"no tag .I $arg"
		fi
	done
	if unroff "$MAIN" | grep -q -F -x ".BR oomlens-$cmd (1)"; then
		pass "$cmd: oomlens.1 lists its page"
	else
		fail "$cmd: oomlens.1 lists its page" "no .BR oomlens\\-$cmd (1)"
	fi
done

# no page for a command that does not exist
for page in "$MANDIR"/oomlens-*.1; do
	cmd=$(basename "$page" .1)
	cmd=${cmd#oomlens-}
	if printf '%s\n' "$commands" | grep -q -x -F "$cmd"; then
		pass "man/oomlens-$cmd.1: a command"
	else
		fail "man/oomlens-$cmd.1 is a page of no command"
	fi
done

# The pages render without a warning, as lintian checks them.
if command -v groff >/dev/null 2>&1; then
	LC_ALL=C.UTF-8 groff -man -ww -z "$MANDIR"/*.1 >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 0 "groff renders the pages"
	expect_err_empty "groff: without a warning"
fi

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
