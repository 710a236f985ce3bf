#!/bin/sh
# demo.sh OOMLENS: the main job on the bundled sample.  A host's kern.log
# holds one OOM report: the kernel killed postgres while a test runner
# leaked memory.  Ingest it into a throwaway database, list the events,
# and show the postgres kill.
set -eu
bin=${1:-./oomlens}
sample=tests/fixtures/postgres-6.8.kern.log
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oomlens-demo.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
db=$tmp/oomlens.db

step() {
	if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
		printf '\n\033[1m$ %s\033[0m\n' "$*"
	else
		printf '\n$ %s\n' "$*"
	fi
}

step "oomlens ingest $sample"
"$bin" --db "$db" ingest "$sample"
step "oomlens list"
"$bin" --db "$db" list
id=$("$bin" --db "$db" list --json | sed -n 's/^{"id":\([0-9]*\),.*"victim":{"pid":[0-9]*,"name":"postgres"}.*/\1/p' | head -n 1)
step "oomlens show $id"
"$bin" --db "$db" show "$id"
printf '\n(demo database %s removed; real runs keep theirs in ~/.local/share/oomlens)\n' "$db"
