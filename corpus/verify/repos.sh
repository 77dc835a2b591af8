#!/usr/bin/env bash
# Cross-check the expected findings of the corpus repositories with a native rpm solver (dnf 4, which
# loads filelists.xml), not with redproof.
#
#   corpus/build.sh --rpms-out /tmp/corpus-rpms
#   corpus/verify/repos.sh /tmp/corpus-rpms [REPO [EXTRA-REPO...]]
#
# For REPO (default: every breakage repo, then demo-updates over demo) it runs `dnf repoclosure` (closure
# only) and, for every package of REPO, `dnf install --assumeno NEVRA` in an empty installroot (a full
# SAT solve with rpm semantics, weak dependencies off), and prints the packages that cannot be installed.
# Debian: apt-get install dnf dnf-plugins-core.
set -euo pipefail
R="$(cd "$1" && pwd)"; shift
check() {
  local root i=0 r p out
  root="$(mktemp -d /tmp/verify-repos.XXXXXX)"
  local args=(-q --setopt=reposdir=/dev/null "--setopt=cachedir=$root/cache" "--installroot=$root"
    --releasever=1 --forcearch=x86_64 --setopt=install_weak_deps=False --setopt=gpgcheck=0
    --disableplugin=local)
  for r in "$@"; do args+=("--repofrompath=r$i,file://$R/$r"); i=$((i + 1)); done
  echo "== $* : dnf repoclosure --check r0"
  dnf "${args[@]}" repoclosure --check r0 2>&1 | sed 's/^/   /' || true
  echo "== $* : per-package install"
  for p in $(dnf "${args[@]}" repoquery --repo=r0 --qf '%{name}-%{epoch}:%{version}-%{release}.%{arch}' 2>/dev/null); do
    if ! out="$(dnf "${args[@]}" install --assumeno "$p" 2>&1)" && grep -q -e '^Error' -e 'Problem' <<<"$out"; then
      echo "   UNINSTALLABLE $p"; grep -e 'Problem' -e '^ *- ' <<<"$out" | sed 's/^ */      /'
    fi
  done
  rm -rf "$root"
}
if [[ $# -gt 0 ]]; then check "$@"; exit 0; fi
for repo in clean clean-xz clean-zst clean-bz2 missing-req version-req conflict obsoletes rich-broken file-broken demo; do
  check "$repo"
done
check demo-updates demo
echo "== checksum-mismatch : dnf makecache (must fail on the primary checksum)"
root="$(mktemp -d /tmp/verify-repos.XXXXXX)"
dnf --setopt=reposdir=/dev/null "--setopt=cachedir=$root/cache" "--installroot=$root" --releasever=1 \
  --disableplugin=local --setopt=skip_if_unavailable=False "--repofrompath=r0,file://$R/checksum-mismatch" \
  makecache 2>&1 | grep -i -e "checksum" -e "^Error" | sed 's/^/   /' || true
rm -rf "$root"
