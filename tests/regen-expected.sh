#!/bin/sh
# regen-expected.sh: rewrite tests/expected/ from the current binary, the
# way t0110-output.sh runs it.  Review the diff before committing it.
set -eu
unset COLUMNS	# tables would fit it (tests/lib.sh unsets it too)
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
for f in postgres-6.8.kern.log two-reports-6.1.kern.log memcg-v2-5.15.dmesg; do
	cp "$top/tests/fixtures/$f" . && touch -d "2026-11-22 12:00:00Z" "$f"
done
o() { TZ=UTC LC_ALL=C "$top/oomlens" --db "$tmp/db" "$@"; }
o ingest -q postgres-6.8.kern.log two-reports-6.1.kern.log memcg-v2-5.15.dmesg
E=$top/tests/expected
o list >"$E/list.txt"
o list --json >"$E/list.json"
o show 1 >"$E/show-1.txt"
o show 3 >"$E/show-3.txt"
# the time of the ingest is not the expected file's: X
o export | sed -f "$top/tests/ingest-time.sed" >"$E/export.ndjson"
o export --format otel | sed -f "$top/tests/ingest-time.sed" \
	>"$E/export.otel.ndjson"
o export --format csv >"$E/export.csv"
# list --json of each kind of event (t0017): a boot id, userspace kills,
# a report without its header or time
for f in story-6.8.syslog era-4.4.journal paste-header-lost-4.14.dmesg; do
	cp "$top/tests/fixtures/$f" . && touch -d "2026-11-22 12:00:00Z" "$f"
done
k() { TZ=UTC LC_ALL=C "$top/oomlens" --db "$tmp/kinds.db" "$@"; }
for f in postgres-6.8.kern.log story-6.8.syslog era-4.4.journal \
	paste-header-lost-4.14.dmesg; do
	k ingest -q "$f"
done
k list --json >"$E/list-kinds.json"
