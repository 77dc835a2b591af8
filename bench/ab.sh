#!/usr/bin/env bash
# bench/ab.sh: an A/B of the built CLI, the way the A/B rows of bench/RESULTS.md were measured. Builds
# REV in a temporary git worktree (sharing this checkout's node_modules), then runs REV's and this
# working tree's `dist/bin/redproof.js` with the same arguments, interleaved in one loop (so both see the
# same machine load), and prints the medians of wall and CPU (user+sys) time from /usr/bin/time.
#
#   bench/ab.sh [--runs N] [--label TEXT] REV -- ARGS...
#   bench/ab.sh --runs 9 HEAD~1 -- lock family.yaml -q --cache-dir /tmp/c --lockfile /tmp/out.lock.yaml
#
# Run `npm run build` first: the working tree's side is its dist/ as built. Exit codes of the runs are
# not checked (a run with findings exits 1); their output goes to /dev/null.
set -euo pipefail
runs=7
label=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --label) label=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
[ $# -ge 2 ] && [ "$2" = "--" ] || { echo "usage: bench/ab.sh [--runs N] [--label TEXT] REV -- ARGS..." >&2; exit 2; }
rev=$1; shift 2
root=$(cd "$(dirname "$0")/.." && pwd)
[ -x /usr/bin/time ] || { echo "bench/ab.sh: /usr/bin/time is missing (Debian package time)" >&2; exit 2; }
[ -f "$root/dist/bin/redproof.js" ] || { echo "bench/ab.sh: dist/bin/redproof.js missing: run npm run build" >&2; exit 2; }

tmp=$(mktemp -d /tmp/redproof-ab.XXXXXX)
cleanup() { git -C "$root" worktree remove --force "$tmp/before" >/dev/null 2>&1 || true; rm -rf "$tmp"; }
trap cleanup EXIT
git -C "$root" worktree add -q --detach "$tmp/before" "$rev"
ln -s "$root/node_modules" "$tmp/before/node_modules"
(cd "$tmp/before" && npm run build >/dev/null 2>&1) || { echo "bench/ab.sh: building $rev failed" >&2; exit 1; }

# as bench/lib/measure.mjs does: Node parses NODE_EXTRA_CA_CERTS's bundle at every start-up
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ]; then
  echo "bench/ab.sh: NODE_EXTRA_CA_CERTS (set here) removed from the measured processes' environment" >&2
  unset NODE_EXTRA_CA_CERTS
fi
for i in $(seq "$runs"); do
  /usr/bin/time -f "%e %U %S" -a -o "$tmp/before.t" node "$tmp/before/dist/bin/redproof.js" "$@" >/dev/null 2>&1 || true
  /usr/bin/time -f "%e %U %S" -a -o "$tmp/after.t" node "$root/dist/bin/redproof.js" "$@" >/dev/null 2>&1 || true
done
# /usr/bin/time adds a "Command exited with non-zero status" line before a failed run's figures
median() { grep -v '^Command' "$1" | awk "{ print $2 }" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
printf '%s%s runs each: %s %s s wall, %s s CPU; working tree %s s wall, %s s CPU\n' \
  "${label:+$label: }" "$runs" "$rev" \
  "$(median "$tmp/before.t" '$1')" "$(median "$tmp/before.t" '$2 + $3')" \
  "$(median "$tmp/after.t" '$1')" "$(median "$tmp/after.t" '$2 + $3')"
