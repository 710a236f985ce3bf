#!/bin/sh
# install-deps.sh [--print]: make sure oomlens's build dependencies are here.
#
# Checks pkg-config, a C compiler, make, (through pkg-config) the
# libraries libsystemd, libpcre2-8, sqlite3, libcjson, zlib, liblzma,
# libzstd, libarchive and smartcols (libsmartcols), the bzip2 header
# (libbz2 has no .pc file), ISA-L's igzip_lib.h (optional for the build,
# which falls back to zlib without it: gzip decodes 2-3x faster with it), and
# the compressors the tests use (xz, zstd, bzip2), and on Debian the tools
# that build and check the .deb (dpkg-dev, debhelper, lintian) and clang
# with libFuzzer for the fuzz harnesses.
#   - everything present: exit 0 without a word;
#   - --print: say what is missing and which packages provide it, exit 1;
#   - otherwise, on Debian/Ubuntu: install the missing packages with apt-get
#     (through sudo when not root); elsewhere: name the packages and exit 1.

set -u

PKGS="libsystemd libpcre2-8 sqlite3 libcjson zlib liblzma libzstd libarchive smartcols"
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
CC=${CC:-cc}

DEBIAN_PKGS="pkg-config libsystemd-dev libpcre2-dev libsqlite3-dev libcjson-dev zlib1g-dev liblzma-dev libzstd-dev libbz2-dev libisal-dev libarchive-dev libsmartcols-dev xz-utils zstd bzip2 systemd-journal-remote clang libclang-rt-dev"
FEDORA_PKGS="systemd-devel pcre2-devel sqlite-devel cjson-devel zlib-devel xz-devel libzstd-devel bzip2-devel isa-l-devel libarchive-devel libsmartcols-devel xz zstd bzip2"
ARCH_PKGS="systemd-libs pcre2 sqlite cjson zlib xz zstd bzip2 isa-l libarchive util-linux-libs"

have() {
	command -v "$1" >/dev/null 2>&1
}

# Can clang build a libFuzzer program (clang and its runtime)?
fuzzer_works() {
	have clang || return 1
	sh "$(dirname "$0")/../tests/fuzz/run.sh" have-fuzzer clang
}

# Sets $missing (what is absent, for people) and $apt_pkgs (the Debian
# packages that provide it).
check() {
	missing=
	apt_pkgs=
	if ! have "$PKG_CONFIG"; then
		missing="$missing $PKG_CONFIG"
		apt_pkgs="$apt_pkgs pkg-config"
	fi
	if ! have "$CC"; then
		missing="$missing C-compiler($CC)"
		apt_pkgs="$apt_pkgs gcc libc6-dev"
	fi
	if ! have make; then
		missing="$missing make"
		apt_pkgs="$apt_pkgs make"
	fi
	for p in $PKGS; do
		if have "$PKG_CONFIG" && "$PKG_CONFIG" --exists "$p"; then
			continue
		fi
		missing="$missing $p"
		case $p in
		libsystemd) apt_pkgs="$apt_pkgs libsystemd-dev" ;;
		libpcre2-8) apt_pkgs="$apt_pkgs libpcre2-dev" ;;
		sqlite3) apt_pkgs="$apt_pkgs libsqlite3-dev" ;;
		libcjson) apt_pkgs="$apt_pkgs libcjson-dev" ;;
		zlib) apt_pkgs="$apt_pkgs zlib1g-dev" ;;
		liblzma) apt_pkgs="$apt_pkgs liblzma-dev" ;;
		libzstd) apt_pkgs="$apt_pkgs libzstd-dev" ;;
		libarchive) apt_pkgs="$apt_pkgs libarchive-dev" ;;
		smartcols) apt_pkgs="$apt_pkgs libsmartcols-dev" ;;
		esac
	done
	# libbz2 ships no pkg-config file: look for its header
	if have "$CC" && ! printf '#include <bzlib.h>\n' |
		"$CC" -E -x c - >/dev/null 2>&1; then
		missing="$missing bzlib.h"
		apt_pkgs="$apt_pkgs libbz2-dev"
	fi
	# ISA-L: no .pc file before Debian 12, so its header
	if have "$CC" && ! printf '#include <isa-l/igzip_lib.h>\n' |
		"$CC" -E -x c - >/dev/null 2>&1; then
		missing="$missing isa-l/igzip_lib.h"
		apt_pkgs="$apt_pkgs libisal-dev"
	fi
	# the tests make compressed fixtures with these
	for c in xz:xz-utils zstd:zstd bzip2:bzip2; do
		if ! have "${c%%:*}"; then
			missing="$missing ${c%%:*}"
			apt_pkgs="$apt_pkgs ${c#*:}"
		fi
	done
	# ... the .deb with these (tests/t1030-deb.sh): Debian only
	if have apt-get; then
		for c in dpkg-buildpackage:dpkg-dev dh:debhelper lintian:lintian; do
			if ! have "${c%%:*}"; then
				missing="$missing ${c%%:*}"
				apt_pkgs="$apt_pkgs ${c#*:}"
			fi
		done
		# dpkg-buildpackage refuses to build without it
		if ! dpkg-query -W -f '${Status}' build-essential 2>/dev/null |
			grep -q 'ok installed'; then
			missing="$missing build-essential"
			apt_pkgs="$apt_pkgs build-essential"
		fi
	fi
	# the fuzz harnesses (make fuzz, and make check's smoke run): clang
	# with its libFuzzer runtime, on Debian only (elsewhere the smoke run
	# says it is skipped)
	if have apt-get && ! fuzzer_works; then
		missing="$missing clang-libFuzzer"
		apt_pkgs="$apt_pkgs clang libclang-rt-dev"
	fi
	# ... and journal files with this one (not on PATH: a systemd helper)
	if [ ! -x /lib/systemd/systemd-journal-remote ] &&
		[ ! -x /usr/lib/systemd/systemd-journal-remote ] &&
		have apt-get; then
		missing="$missing systemd-journal-remote"
		apt_pkgs="$apt_pkgs systemd-journal-remote"
	fi
}

print_help() {
	echo "oomlens: missing build dependencies:$missing"
	echo "Install them with your package manager:"
	echo "  Debian/Ubuntu: apt-get install $DEBIAN_PKGS"
	echo "  Fedora/RHEL:   dnf install $FEDORA_PKGS"
	echo "  Arch:          pacman -S $ARCH_PKGS"
	echo "(plus a C compiler and make, e.g. gcc and make; on Debian, to build"
	echo "and check the .deb: build-essential dpkg-dev debhelper lintian)"
}

is_debian() {
	if [ -r /etc/os-release ]; then
		ids=$(
			# shellcheck disable=SC1091
			. /etc/os-release
			echo "${ID:-} ${ID_LIKE:-}"
		)
		case " $ids " in
		*" debian "* | *" ubuntu "*) return 0 ;;
		esac
	fi
	have apt-get
}

# Lists are missing when nothing has ever been fetched into /var/lib/apt/lists.
apt_lists_empty() {
	for f in /var/lib/apt/lists/*_Packages*; do
		[ -e "$f" ] && return 1
	done
	return 0
}

check
[ -z "$missing" ] && exit 0

if [ "${1:-}" = "--print" ]; then
	print_help
	exit 1
fi

if ! is_debian; then
	print_help >&2
	echo "oomlens: not a Debian/Ubuntu system: install the packages above by hand, then run make again." >&2
	exit 1
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	if have sudo; then
		SUDO=sudo
	else
		echo "oomlens: need root to install:$apt_pkgs" >&2
		echo "run as root: apt-get install -y --no-install-recommends$apt_pkgs" >&2
		exit 1
	fi
fi

export DEBIAN_FRONTEND=noninteractive
updated=no
apt_update() {
	updated=yes
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update </dev/null
}
apt_install() {
	# shellcheck disable=SC2086 # $apt_pkgs is a word list
	$SUDO env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y --no-install-recommends $apt_pkgs </dev/null
}

echo "oomlens: installing:$apt_pkgs" >&2
if apt_lists_empty; then
	apt_update || exit 1
fi
if ! apt_install; then
	# Most often the package lists are stale or missing: refresh once.
	if [ "$updated" = no ]; then
		apt_update || exit 1
		apt_install || exit 1
	else
		exit 1
	fi
fi

check
if [ -n "$missing" ]; then
	echo "oomlens: still missing after install:$missing" >&2
	exit 1
fi
exit 0
