#!/usr/bin/env bash
# bench/native/build.sh — build the NATIVE REFERENCE libsolv 0.7.23 (host gcc) from the pinned
# Debian source package, with the same feature set as the wasm build (rpm semantics only).
#
# Why not Debian's libsolv-tools? It is built with DEBIAN semantics (DISTTYPE_DEB): on rpm-md
# repos `installcheck x86_64 primary.xml.gz` can print nothing and exit 0 while packages are
# broken (docs/decisions/0002-native-reference.md, shared ANCHORS.md §0.7 / §1.1).
#
# Usage: bench/native/build.sh [--force] [--no-check]
# Env:   CFLAGS            C flags (default: -O2). e.g. CFLAGS=-O3 for a fair -O3 comparison.
#        NATIVE_DIR        output dir (default: <repo>/.cache/native; relative paths are taken from
#                          the current dir). Tools land in $NATIVE_DIR/bin.
#        LIBSOLV_SRC_CACHE dir holding already-downloaded source files (default: /work/src); when
#                          the files are missing there, `apt-get source` downloads them.
#        JOBS              parallel make jobs (default: 2)
# Idempotent: a stamp file ($NATIVE_DIR/stamp) records the source checksums, the cmake flags,
# CFLAGS and the compiler version; when it matches and the tools exist, nothing is rebuilt.
# Last line of stdout on success: NATIVE_BIN=<dir with the tools>
set -euo pipefail

PKG=libsolv
DEBVER=0.7.23-1+deb12u1
UPVER=0.7.23
ORIG=${PKG}_${UPVER}.orig.tar.gz
DEBTAR=${PKG}_${DEBVER}.debian.tar.xz
DSC=${PKG}_${DEBVER}.dsc
# Pinned SHA-256 (from the signed .dsc of Debian bookworm-security/updates libsolv 0.7.23-1+deb12u1).
ORIG_SHA256=0286155964373c6cc3802d025750786c3ee79608d5cb884598e110e3918bb2fe
DEBTAR_SHA256=644d8eb0dce42fc119610597420ff1b74d33bf9bbd656c26de3a819004392a2c

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
NATIVE_DIR=$(realpath -m "${NATIVE_DIR:-$ROOT/.cache/native}")
CFLAGS_USED=${CFLAGS:--O2}
JOBS=${JOBS:-2}
SRC_CACHE=${LIBSOLV_SRC_CACHE:-/work/src}
FORCE=0
CHECK=1
for a in "$@"; do
  case "$a" in
    --force) FORCE=1 ;;
    --no-check) CHECK=0 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $a" >&2; exit 2 ;;
  esac
done

# The SAME feature configuration as the wasm build. No DEBIAN / FEDORA / MULTI_SEMANTICS /
# ENABLE_CONDA: libsolv then compiles for DISTTYPE_RPM only.
CMAKE_FEATURES=(
  -DENABLE_STATIC=ON -DDISABLE_SHARED=ON
  -DENABLE_RPMMD=ON -DENABLE_COMPLEX_DEPS=ON -DENABLE_COMPS=ON
  -DENABLE_RPMPKG=ON -DENABLE_RPMDB=OFF -DENABLE_APPDATA=OFF
  -DENABLE_LZMA_COMPRESSION=ON -DENABLE_ZSTD_COMPRESSION=ON -DENABLE_BZIP2_COMPRESSION=ON
  -DENABLE_SUSEREPO=ON -DENABLE_HELIXREPO=ON
  -DWITH_LIBXML2=OFF
  -DMULTI_SEMANTICS=OFF -DENABLE_DEBIAN=OFF -DENABLE_CONDA=OFF
)
TOOLS=(testsolv installcheck rpmmd2solv repomdxml2solv mergesolv dumpsolv
       rpms2solv updateinfoxml2solv deltainfoxml2solv comps2solv susetags2solv helix2solv)

log() { echo "[native-build] $*" >&2; }

# --- build dependencies (Debian packages) -------------------------------------------------
DEPS=(cmake gcc g++ make dpkg-dev libexpat1-dev zlib1g-dev liblzma-dev libzstd-dev libbz2-dev)
missing=()
for p in "${DEPS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing build dependencies: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q "${missing[@]}" >&2
fi

GCC_VERSION=$(gcc -dumpfullversion 2>/dev/null || gcc -dumpversion)
STAMP_CONTENT=$(cat <<EOS
package=$PKG $DEBVER
$ORIG sha256=$ORIG_SHA256
$DEBTAR sha256=$DEBTAR_SHA256
cflags=$CFLAGS_USED
cmake=${CMAKE_FEATURES[*]}
cc=gcc $GCC_VERSION
libs=$(dpkg-query -W -f='${Package}=${Version} ' libexpat1-dev zlib1g-dev liblzma-dev libzstd-dev libbz2-dev)
EOS
)

BIN=$NATIVE_DIR/bin
all_tools_present() { for t in "${TOOLS[@]}"; do [[ -x $BIN/$t ]] || return 1; done; }

if ((FORCE == 0)) && [[ -f $NATIVE_DIR/stamp ]] && [[ "$(cat "$NATIVE_DIR/stamp")" == "$STAMP_CONTENT" ]] && all_tools_present; then
  log "up to date ($NATIVE_DIR/stamp matches; use --force to rebuild)"
else
  rm -f "$NATIVE_DIR/stamp"
  WORK=$NATIVE_DIR/work
  rm -rf "$WORK"
  mkdir -p "$WORK/dl" "$BIN"
  # --- fetch sources -----------------------------------------------------------------------
  if [[ -f $SRC_CACHE/$ORIG && -f $SRC_CACHE/$DEBTAR && -f $SRC_CACHE/$DSC ]]; then
    log "using downloaded source package from $SRC_CACHE"
    cp "$SRC_CACHE/$ORIG" "$SRC_CACHE/$DEBTAR" "$SRC_CACHE/$DSC" "$WORK/dl/"
  else
    log "apt-get source --download-only $PKG=$DEBVER (needs a deb-src entry for bookworm)"
    (cd "$WORK/dl" && apt-get source --download-only "$PKG=$DEBVER" >&2)
  fi
  # --- verify pinned checksums -------------------------------------------------------------
  (cd "$WORK/dl" && printf '%s  %s\n%s  %s\n' "$ORIG_SHA256" "$ORIG" "$DEBTAR_SHA256" "$DEBTAR" | sha256sum -c --strict >&2) || {
    echo "SHA-256 mismatch for the libsolv source tarballs: refusing to build" >&2; exit 1; }
  # --- unpack + apply Debian's patches (dpkg-source also checks the .dsc checksums) ---------
  (cd "$WORK" && dpkg-source -x "dl/$DSC" src >&2)
  # --- configure + build -------------------------------------------------------------------
  log "cmake (CFLAGS=$CFLAGS_USED)"
  env -u CFLAGS -u CPPFLAGS -u LDFLAGS cmake -S "$WORK/src" -B "$WORK/build" \
    -DCMAKE_BUILD_TYPE= -DCMAKE_C_FLAGS="$CFLAGS_USED" \
    "${CMAKE_FEATURES[@]}" >"$WORK/cmake.log" 2>&1 || { tail -40 "$WORK/cmake.log" >&2; exit 1; }
  if grep -qiE 'Building for Debian|multi dist support' "$WORK/cmake.log"; then
    echo "cmake enabled Debian/multi semantics: refusing (the native reference must be rpm-only)" >&2; exit 1
  fi
  log "make -j$JOBS"
  make -C "$WORK/build" -j"$JOBS" >"$WORK/make.log" 2>&1 || { tail -40 "$WORK/make.log" >&2; exit 1; }
  for t in "${TOOLS[@]}"; do install -m 0755 "$WORK/build/tools/$t" "$BIN/$t"; done
  # keep the patched source tree: its test/testcases are run by bench/native/runtestcases.sh
  rm -rf "$NATIVE_DIR/src"; mv "$WORK/src" "$NATIVE_DIR/src"
  rm -rf "$WORK/dl"
  printf '%s\n' "$STAMP_CONTENT" >"$NATIVE_DIR/stamp"
  log "built"
fi

# --- rpm-semantics self-check ---------------------------------------------------------------
# A noarch package with an unresolvable Requires, checked with arch x86_64. An rpm build MUST
# report it; Debian's libsolv-tools (DISTTYPE_DEB) prints nothing and exits 0.
if ((CHECK)); then
  T=$(mktemp -d)
  cat >"$T/primary.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<metadata xmlns="http://linux.duke.edu/metadata/common" xmlns:rpm="http://linux.duke.edu/metadata/rpm" packages="2">
<package type="rpm"><name>ok</name><arch>noarch</arch><version epoch="0" ver="1.0" rel="1"/>
 <format><rpm:provides><rpm:entry name="ok" flags="EQ" epoch="0" ver="1.0" rel="1"/></rpm:provides></format></package>
<package type="rpm"><name>broken</name><arch>noarch</arch><version epoch="0" ver="1.0" rel="1"/>
 <format><rpm:provides><rpm:entry name="broken" flags="EQ" epoch="0" ver="1.0" rel="1"/></rpm:provides>
 <rpm:requires><rpm:entry name="libmissing.so.1()(64bit)"/></rpm:requires></format></package>
</metadata>
XML
  set +e
  out=$("$BIN/installcheck" x86_64 "$T/primary.xml" 2>&1); rc=$?
  set -e
  rm -rf "$T"
  if [[ $rc -ne 1 ]] || ! grep -q "^can't install broken-1.0-1.noarch:" <<<"$out" || grep -q "can't install ok-" <<<"$out"; then
    echo "rpm-semantics self-check FAILED (rc=$rc):" >&2; echo "$out" >&2; exit 1
  fi
  log "rpm-semantics self-check ok (installcheck x86_64 reports the broken noarch package, rc=1)"
fi

log "tools: ${TOOLS[*]}"
log "source tree (testcases): $NATIVE_DIR/src"
echo "NATIVE_BIN=$BIN"
