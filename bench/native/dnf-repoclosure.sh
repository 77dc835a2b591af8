#!/usr/bin/env bash
# bench/native/dnf-repoclosure.sh — run Debian's `dnf repoclosure` (dnf 4.14 + dnf-plugins-core
# 4.3.1) OFFLINE on local rpm-md repos with a throwaway config, for comparison benchmarks.
#
# Usage: bench/native/dnf-repoclosure.sh ARCH REPO_DIR... [-- extra repoclosure args]
#   Env: DNF_TMP  state dir (default: a fresh mktemp -d, removed at exit => cold cache every run)
#                 set it to a fixed dir to keep the metadata cache between runs (warm cache).
# Prints repoclosure's report on stdout ("package: NEVRA from REPO" / "unresolved deps (N):").
# Exit code is dnf's: 0 closed, 1 unresolved dependencies found (or an error).
#
# Equivalent command line (what this script runs), for two repos:
#   dnf repoclosure -q --config=$T/dnf.conf --releasever=9 --forcearch=x86_64 \
#     --setopt=reposdir=/dev/null --setopt=cachedir=$T/cache --setopt=persistdir=$T/persist \
#     --setopt=logdir=$T/log --setopt=gpgcheck=0 \
#     --repofrompath=r0,file:///abs/repo0 --repofrompath=r1,file:///abs/repo1 --repo r0 --repo r1
# ($T/dnf.conf holds just "[main]"; --config=/dev/null is refused, and --disablerepo='*' cannot be
# combined with --repo; reposdir=/dev/null already hides the host's repos.)
set -euo pipefail
[[ $# -ge 2 ]] || { sed -n '2,12p' "$0" >&2; exit 2; }
command -v dnf >/dev/null || { echo "dnf missing: apt-get install dnf dnf-plugins-core" >&2; exit 2; }
ARCH=$1; shift
REPOS=(); EXTRA=()
while [[ $# -gt 0 ]]; do
  if [[ $1 == -- ]]; then shift; EXTRA=("$@"); break; fi
  REPOS+=("$(cd "$1" && pwd)"); shift
done
if [[ -n ${DNF_TMP:-} ]]; then T=$DNF_TMP; mkdir -p "$T"; else T=$(mktemp -d); trap 'rm -rf "$T"' EXIT; fi
printf '[main]\n' >"$T/dnf.conf"
ARGS=(-q --config="$T/dnf.conf" --releasever=9 --forcearch="$ARCH"
  --setopt=reposdir=/dev/null --setopt=cachedir="$T/cache" --setopt=persistdir="$T/persist"
  --setopt=logdir="$T/log" --setopt=gpgcheck=0)
i=0
for r in "${REPOS[@]}"; do ARGS+=(--repofrompath="r$i,file://$r"); i=$((i+1)); done
for ((j = 0; j < i; j++)); do ARGS+=(--repo "r$j"); done
exec dnf repoclosure "${ARGS[@]}" "${EXTRA[@]}"
