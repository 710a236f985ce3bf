#!/bin/sh
# t1030-deb: debian/ builds a .deb with 'dpkg-buildpackage -us -uc -b'
# from a copy of the tree (it writes beside the tree, and the checkout
# must stay as it was), lintian finds nothing to say about it, and it
# installs the same files as 'make install DESTDIR=... PREFIX=/usr': the
# same list, the same contents; Debian adds only its copyright and
# changelog, gzips the man pages, and puts the zsh completion where
# Debian's zsh looks (vendor-completions, not site-functions).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

TOP=$(dirname "$TESTS_DIR")
[ -z "${OOMLENS_IN_DEB_BUILD:-}" ] ||
	skip_all "inside the package's own build: it would build itself again"
command -v dpkg-buildpackage >/dev/null 2>&1 ||
	skip_all "no dpkg-buildpackage (Debian's dpkg-dev; make deps installs it)"
# The package is built from the sources, not from the binary under test:
# the plain run of 'make check' checks it, the sanitizer run need not.
case $OOMLENS in
*/build/san/*) skip_all "the package does not use this build (checked by the plain run)" ;;
esac

# status: what git says of the checkout, to see that the build leaves it
status() {
	if git -C "$TOP" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git -C "$TOP" status --porcelain --untracked-files=all
	fi
}
status >"$TEST_TMP/status-before"

# --- a copy of the tree: the tracked and the new files, not the builds ---
SRC=$TEST_TMP/pkg/oomlens
mkdir -p "$SRC"
if git -C "$TOP" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$TOP" && git ls-files -z --cached --others --exclude-standard |
		tar -c --null --ignore-failed-read -T - 2>/dev/null) |
		tar -x -C "$SRC"
else
	(cd "$TOP" && tar -c --exclude=./build --exclude=./oomlens .) |
		tar -x -C "$SRC"
fi
[ -f "$SRC/debian/rules" ] && pass "the tree is copied" ||
	fail "the tree is copied" "no debian/rules in the copy" || finish

# --- build ---
(cd "$SRC" && env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS \
	DEB_BUILD_OPTIONS="nocheck parallel=2" \
	dpkg-buildpackage -us -uc -b) >"$TEST_TMP/build.log" 2>&1
RC=$?
if [ "$RC" -ne 0 ]; then
	tail -n 30 "$TEST_TMP/build.log" >"$ERR"
fi
expect_rc 0 "dpkg-buildpackage -us -uc -b" || finish
DEB=
for d in "$TEST_TMP"/pkg/oomlens_*_*.deb; do
	[ -f "$d" ] && DEB=$d
done
[ -n "$DEB" ] && pass "a .deb is built" || fail "a .deb is built" || finish
status >"$TEST_TMP/status-after"
if cmp -s "$TEST_TMP/status-before" "$TEST_TMP/status-after"; then
	pass "the checkout is left as it was"
else
	fail "the checkout is left as it was" \
		"$(diff "$TEST_TMP/status-before" "$TEST_TMP/status-after")"
fi

dpkg-deb -f "$DEB" Package Depends >"$OUT" 2>"$ERR"
expect_out_contains "Package: oomlens" "the package is oomlens"
expect_out_contains "libsqlite3-0" "its libraries are its dependencies (shlibs)"
expect_out_contains "libsystemd0" "libsystemd among them"

# --- lintian ---
if command -v lintian >/dev/null 2>&1; then
	lintian --fail-on error,warning "$DEB" >"$OUT" 2>"$ERR"
	RC=$?
	expect_rc 0 "lintian: no error, no warning"
	grep -v '^running with root privileges' "$ERR" >"$TEST_TMP/lintian-err"
	cat "$OUT" "$TEST_TMP/lintian-err" >"$TEST_TMP/lintian"
	OUT=$TEST_TMP/lintian
	expect_out_empty "lintian says nothing at all"
	OUT=$TEST_TMP/stdout
else
	echo "note: no lintian (make deps installs it): the package was not checked"
fi

# --- the same files as make install ---
DROOT=$TEST_TMP/deb-root
MROOT=$TEST_TMP/make-root
dpkg -x "$DEB" "$DROOT" >"$OUT" 2>"$ERR"
RC=$?
expect_rc 0 "dpkg -x into a throwaway root"
env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS \
	make -s -C "$SRC" install DESTDIR="$MROOT" PREFIX=/usr >"$OUT" 2>"$ERR"
RC=$?
expect_rc 0 "make install DESTDIR=... PREFIX=/usr"

# files: the regular files and links under a root, one a line
files() {
	(cd "$1" && find . ! -type d | LC_ALL=C sort)
}
files "$MROOT" >"$TEST_TMP/make-files"
DOC=./usr/share/doc/oomlens
ZSH_DEB=./usr/share/zsh/vendor-completions
ZSH_MAKE=./usr/share/zsh/site-functions
[ -f "$DROOT/$ZSH_DEB/_oomlens" ] && pass "zsh: Debian's $ZSH_DEB" ||
	fail "zsh: Debian's $ZSH_DEB" "$(cd "$DROOT" && find . -name _oomlens)"
files "$DROOT" | grep -v -x -e "$DOC/copyright" -e "$DOC/changelog.gz" |
	sed -e 's|^\(\./usr/share/man/.*\)\.gz$|\1|' \
		-e "s|^$ZSH_DEB/|$ZSH_MAKE/|" >"$TEST_TMP/deb-files"
if diff -u "$TEST_TMP/make-files" "$TEST_TMP/deb-files" >"$TEST_TMP/diff"; then
	pass "the .deb and make install install the same files"
else
	fail "the .deb and make install install the same files" \
		"(diff -u make-install deb)" "$(cat "$TEST_TMP/diff")"
fi
[ "$(wc -l <"$TEST_TMP/make-files")" -ge 15 ] &&
	pass "make install installs the lot" ||
	fail "make install installs the lot" "$(cat "$TEST_TMP/make-files")"
for f in "$DOC/copyright" "$DOC/changelog.gz"; do
	[ -f "$DROOT/$f" ] && pass "Debian's $f" || fail "the .deb has $f"
done

# contents: the same, but for the binary (built with Debian's flags)
same=0
differ=
while read -r f; do
	case $f in
	./usr/bin/*) continue ;;
	./usr/share/man/*)
		gzip -dc "$DROOT/$f.gz" >"$TEST_TMP/page" 2>/dev/null
		d=$TEST_TMP/page ;;
	"$ZSH_MAKE"/*) d=$DROOT/$ZSH_DEB/${f#"$ZSH_MAKE"/} ;;
	*) d=$DROOT/$f ;;
	esac
	if cmp -s "$MROOT/$f" "$d"; then
		same=$((same + 1))
	else
		differ="$differ $f"
	fi
done <"$TEST_TMP/make-files"
expect_eq "${differ:-none}" none "the pages, units and completions are the same"
[ "$same" -ge 14 ] && pass "and $same of them were compared" ||
	fail "the contents were compared" "only $same files"

"$DROOT/usr/bin/oomlens" --version >"$OUT" 2>"$ERR"
RC=$?
expect_rc 0 "the packaged binary runs"
expect_out_equals "$("$MROOT/usr/bin/oomlens" --version)" "the same version as make install's"
grep -q '^ExecStart=/usr/bin/oomlens ' \
	"$DROOT/usr/lib/systemd/system/oomlens-ingest.service" &&
	pass "the packaged service runs /usr/bin/oomlens" ||
	fail "the packaged service runs /usr/bin/oomlens"
finish
