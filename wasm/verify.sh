#!/usr/bin/env bash
# Rebuilds the engine from scratch in a temporary directory, from a copy of wasm/ placed at another
# path, and checks that the outputs are byte-identical to the committed wasm/dist/.
#   wasm/verify.sh [--no-apt]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d /tmp/redproof-verify.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/elsewhere/wasm"
cp -r "$here/build.sh" "$here/src" "$tmp/elsewhere/wasm/"
bash "$tmp/elsewhere/wasm/build.sh" --out "$tmp/out" --work "$tmp/work" "$@"
status=0
for f in libsolv.mjs libsolv.wasm BUILDINFO; do
  if cmp -s "$tmp/out/$f" "$here/dist/$f"; then
    echo "identical: wasm/dist/$f ($(sha256sum "$here/dist/$f" | cut -c1-16)...)"
  else
    echo "DIFFERS:   wasm/dist/$f (rebuilt $(sha256sum "$tmp/out/$f" | cut -c1-16)..., committed $(sha256sum "$here/dist/$f" | cut -c1-16)...)"
    status=1
  fi
done
[ "$status" = 0 ] && echo "wasm/dist is reproducible from source" || echo "wasm/dist does not match a rebuild from source"
exit $status
