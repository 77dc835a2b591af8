#!/usr/bin/env bash
# Rebuilds the libsolv WebAssembly engine (wasm/dist/) from pinned Debian 12 source packages with
# Debian's own emscripten. Reproducible: the same inputs give byte-identical outputs wherever the
# checkout lives (wasm/verify.sh checks it).
#
#   wasm/build.sh [--out DIR] [--work DIR] [--no-apt] [--jobs N]
#
#   --out DIR   where to write libsolv.mjs, libsolv.wasm and BUILDINFO (default: wasm/dist)
#   --work DIR  scratch directory (default: a fresh temporary directory, removed afterwards)
#   --no-apt    do not apt-get install the toolchain (it must already be there)
#   --sources-only  fetch, verify and unpack the sources into --work, then stop (used by the
#                   conformance runner to get libsolv's own test suite)
#
# Needs root for apt-get (toolchain, deb-src entry) on a fresh Debian 12 machine.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out="$here/dist"
work=""
use_apt=1
sources_only=0
jobs=$(nproc 2>/dev/null || echo 2)
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --no-apt) use_apt=0; shift ;;
    --jobs) jobs=$2; shift 2 ;;
    --sources-only) sources_only=1; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

# Pinned Debian source packages (bookworm) and the SHA-256 of every file they are made of.
PACKAGES=(
  "libsolv=0.7.23-1+deb12u1"
  "expat=2.5.0-1+deb12u2"
  "zlib=1:1.2.13.dfsg-1"
  "xz-utils=5.4.1-1+deb12u1"
  "libzstd=1.5.4+dfsg2-5"
  "bzip2=1.0.8-5"
)
SHA256SUMS='
0286155964373c6cc3802d025750786c3ee79608d5cb884598e110e3918bb2fe  libsolv_0.7.23.orig.tar.gz
644d8eb0dce42fc119610597420ff1b74d33bf9bbd656c26de3a819004392a2c  libsolv_0.7.23-1+deb12u1.debian.tar.xz
ab00ee05c7067fd10a35c5d2a4922ebba746ddd50ff83b79c828da17bbdf1757  expat_2.5.0.orig.tar.gz
7e29f5db5067e55193540089ed0f3ec9676704cf79dcea81a9bfb9f49435ae53  expat_2.5.0-1+deb12u2.debian.tar.xz
71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1  zlib_1.2.13.dfsg.orig.tar.bz2
f66cf3d4f2d7defcd4d1fd1fb0a11ee39f1e01b42ec7d059c9dc5c1695133c44  zlib_1.2.13.dfsg-1.debian.tar.xz
5d9827aa1875b21c288f78864bb26d2650b436ea8d2cad364e4921eb6266a5a5  xz-utils_5.4.1.orig.tar.xz
3e162db2b76480c7e157f4c2f6ff9a426fc023f262d4dc3287530b36e2843ebe  xz-utils_5.4.1-1+deb12u1.debian.tar.xz
8cf4bbb65e77ec348d052c8d6230eba66d435bddf64c8b5be2fcb16880c19953  libzstd_1.5.4+dfsg2.orig.tar.xz
82ce911445772861d0838bd4545f93bc50658bc7f3cefdb17a307dfb8ffca5d8  libzstd_1.5.4+dfsg2-5.debian.tar.xz
ab5a03176ee106d3f0fa90e381da478ddae405918153cca248e682cd0c4a2269  bzip2_1.0.8.orig.tar.gz
d68c6eba11d70e14319e24ef1451880a03023b2b75364646adb117086db36039  bzip2_1.0.8-5.debian.tar.bz2
'
# Optimisation flags (see README "Engine speed" for what -O3 and LTO gave).
OPT=${RP_WASM_OPT:--O3}

log() { printf '\033[1m[wasm]\033[0m %s\n' "$*" >&2; }

if [ "$use_apt" = 1 ]; then
  if ! grep -rqs '^Types:.*deb-src' /etc/apt/sources.list.d/ && ! grep -qs '^deb-src' /etc/apt/sources.list; then
    log "adding a deb-src entry for bookworm (apt-get source needs it)"
    cat > /etc/apt/sources.list.d/redproof-deb-src.sources <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    apt-get update -qq
  fi
  need=()
  tools="emcc:emscripten cmake:cmake dpkg-source:dpkg-dev"
  [ "$sources_only" = 1 ] && tools="dpkg-source:dpkg-dev"
  for cmd in $tools make:make xz:xz-utils bzip2:bzip2; do
    command -v "${cmd%%:*}" >/dev/null || need+=("${cmd##*:}")
  done
  if [ ${#need[@]} -gt 0 ]; then
    log "installing ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi
needed="emcc emcmake emconfigure emmake emar cmake dpkg-source"
[ "$sources_only" = 1 ] && needed="dpkg-source apt-get"
for cmd in $needed; do
  command -v "$cmd" >/dev/null || { echo "build.sh: $cmd not found (install Debian's emscripten, cmake, dpkg-dev)" >&2; exit 3; }
done
# Debian's emscripten runs its JS optimizer with the machine's node, which does not look in
# /usr/share/nodejs where Debian installs acorn (WASM-NOTES.md).
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
# Reproducibility: fixed locale, time and umask; every build path is mapped to /rp below.
export LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=1700000000
umask 022

cleanup_work=0
if [ -z "$work" ]; then
  work=$(mktemp -d /tmp/redproof-wasm.XXXXXX)
  cleanup_work=1
fi
mkdir -p "$work"
work=$(cd "$work" && pwd)
trap '[ "$cleanup_work" = 1 ] && rm -rf "$work"' EXIT
src="$work/src"; prefix="$work/prefix"; mkdir -p "$src" "$prefix/lib" "$prefix/include"
MAP="-ffile-prefix-map=$work=/rp -ffile-prefix-map=$here=/rp/wasm"
CFLAGS_COMMON="$OPT -DNDEBUG $MAP"

# Sources: a shared download cache avoids fetching the same tarballs for every verify run.
cache=${RP_SRC_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/redproof/debian-src}
mkdir -p "$cache"
(
  cd "$cache"
  missing=0
  while read -r sum file; do
    [ -n "$file" ] || continue
    [ -f "$file" ] || missing=1
  done <<<"$SHA256SUMS"
  if [ "$missing" = 1 ]; then
    log "fetching Debian source packages: ${PACKAGES[*]}"
    apt-get source --download-only -qq "${PACKAGES[@]}" >/dev/null 2>&1 || apt-get source --download-only "${PACKAGES[@]}"
  fi
  echo "$SHA256SUMS" | sed '/^$/d' | sha256sum --quiet -c - || { echo "build.sh: checksum mismatch in Debian sources" >&2; exit 3; }
)
for pkg in "${PACKAGES[@]}"; do
  name=${pkg%%=*}; ver=${pkg#*=}; ver=${ver#*:}
  [ -d "$src/$name" ] && continue
  dsc="$cache/${name}_${ver}.dsc"
  [ -f "$dsc" ] || { echo "build.sh: missing $dsc" >&2; exit 3; }
  # --no-check: the tarballs were checked against the pinned SHA-256 above.
  (cd "$src" && dpkg-source --no-check -x "$dsc" "$name" >/dev/null)
done

if [ "$sources_only" = 1 ]; then
  log "sources unpacked in $src"
  exit 0
fi

log "zlib"
[ -f "$prefix/lib/libz.a" ] || (cd "$src/zlib" && CFLAGS="$CFLAGS_COMMON" emconfigure ./configure --static --prefix="$prefix" >/dev/null \
  && emmake make -j"$jobs" libz.a >/dev/null && cp libz.a "$prefix/lib/" && cp zlib.h zconf.h "$prefix/include/")

log "expat"
[ -f "$prefix/lib/libexpat.a" ] || (cd "$src/expat/expat" && mkdir -p build && cd build && emcmake cmake .. -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_FLAGS="$CFLAGS_COMMON" -DCMAKE_INSTALL_PREFIX="$prefix" -DEXPAT_SHARED_LIBS=OFF \
  -DEXPAT_BUILD_TOOLS=OFF -DEXPAT_BUILD_EXAMPLES=OFF -DEXPAT_BUILD_TESTS=OFF -DEXPAT_BUILD_DOCS=OFF \
  -DEXPAT_BUILD_PKGCONFIG=OFF >/dev/null \
  && sed -i -e 's/^#define XML_DTD$/#define XML_DTD 1/' -e 's/^#define XML_NS$/#define XML_NS 1/' expat_config.h \
  && emmake make -j"$jobs" >/dev/null && emmake make install >/dev/null)

log "xz (liblzma)"
[ -f "$prefix/lib/liblzma.a" ] || (cd "$src/xz-utils" && CFLAGS="$CFLAGS_COMMON" emconfigure ./configure --host=wasm32-unknown-emscripten \
  --prefix="$prefix" --disable-shared --enable-static --disable-threads --disable-xz --disable-xzdec \
  --disable-lzmadec --disable-lzmainfo --disable-lzma-links --disable-scripts --disable-doc --disable-nls \
  --disable-assembler >/dev/null && emmake make -j"$jobs" -C src/liblzma >/dev/null \
  && emmake make -C src/liblzma install >/dev/null)

log "zstd"
[ -f "$prefix/lib/libzstd.a" ] || (cd "$src/libzstd/lib" && emmake make -j"$jobs" libzstd.a CC=emcc AR=emar ZSTD_LEGACY_SUPPORT=0 \
  ZSTD_NO_ASM=1 CFLAGS="$CFLAGS_COMMON" >/dev/null && cp libzstd.a "$prefix/lib/" && cp zstd.h zstd_errors.h zdict.h "$prefix/include/")

log "bzip2"
[ -f "$prefix/lib/libbz2.a" ] || (cd "$src/bzip2" && for f in blocksort huffman crctable randtable compress decompress bzlib; do
  emcc $CFLAGS_COMMON -D_FILE_OFFSET_BITS=64 -c $f.c -o $f.o; done \
  && emar rcs libbz2.a blocksort.o huffman.o crctable.o randtable.o compress.o decompress.o bzlib.o \
  && cp libbz2.a "$prefix/lib/" && cp bzlib.h "$prefix/include/")

log "libsolv"
# No DEBIAN/MULTI_SEMANTICS option: libsolv is built for rpm semantics only (DISTTYPE_RPM).
[ -f "$src/libsolv/build/src/libsolv.a" ] || (cd "$src/libsolv" && mkdir -p build && cd build && emcmake cmake .. -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_FLAGS="$CFLAGS_COMMON" -DCMAKE_C_BYTE_ORDER=LITTLE_ENDIAN \
  -DENABLE_STATIC=ON -DDISABLE_SHARED=ON -DENABLE_RPMMD=ON -DENABLE_COMPLEX_DEPS=ON -DENABLE_COMPS=ON \
  -DENABLE_RPMPKG=ON -DENABLE_RPMDB=OFF -DENABLE_APPDATA=OFF -DENABLE_SUSEREPO=ON -DENABLE_HELIXREPO=ON \
  -DENABLE_LZMA_COMPRESSION=ON -DENABLE_ZSTD_COMPRESSION=ON -DENABLE_BZIP2_COMPRESSION=ON -DWITH_LIBXML2=OFF \
  -DEXPAT_INCLUDE_DIR="$prefix/include" -DEXPAT_LIBRARY="$prefix/lib/libexpat.a" \
  -DZLIB_INCLUDE_DIR="$prefix/include" -DZLIB_LIBRARY="$prefix/lib/libz.a" \
  -DLZMA_INCLUDE_DIR="$prefix/include" -DLZMA_LIBRARY="$prefix/lib/liblzma.a" \
  -DZSTD_INCLUDE_DIRS="$prefix/include" -DZSTD_LIBRARY="$prefix/lib/libzstd.a" \
  -DBZIP2_INCLUDE_DIR="$prefix/include" -DBZIP2_LIBRARIES="$prefix/lib/libbz2.a" \
  -DBZIP2_LIBRARY="$prefix/lib/libbz2.a" >/dev/null \
  && emmake make -j"$jobs" libsolv libsolvext >/dev/null)

log "glue + link"
ls="$src/libsolv"
EXPORTS=$(grep -o 'EMSCRIPTEN_KEEPALIVE [^(]*\brp_[a-z0-9_]*' "$here/src/glue.c" | sed 's/.*\(rp_[a-z0-9_]*\)$/_\1/' | sort -u | paste -sd, -)
mkdir -p "$work/out"
emcc $CFLAGS_COMMON -I"$ls/src" -I"$ls/ext" -I"$ls/build/src" -I"$prefix/include" -DENABLE_COMPLEX_DEPS \
  -c "$here/src/glue.c" -o "$work/glue.o"
# MODULARIZE + ES6: one factory per thread (workers load their own instance). No exit, no fetch of the
# wasm by URL: the facade passes the bytes (Node 20's fetch cannot load file paths).
emcc $OPT $MAP "$work/glue.o" "$ls/build/ext/libsolvext.a" "$ls/build/src/libsolv.a" \
  "$prefix/lib/libexpat.a" "$prefix/lib/libz.a" "$prefix/lib/liblzma.a" "$prefix/lib/libzstd.a" \
  "$prefix/lib/libbz2.a" \
  -sMODULARIZE=1 -sEXPORT_ES6=1 -sEXPORT_NAME=createLibsolv -sENVIRONMENT=node \
  -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=33554432 -sMAXIMUM_MEMORY=4GB -sABORTING_MALLOC=0 \
  -sFILESYSTEM=1 -sEXIT_RUNTIME=0 -sINVOKE_RUN=0 -sTOTAL_STACK=1048576 \
  -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0 --extern-pre-js "$here/src/esm-prelude.js" \
  -sEXPORTED_FUNCTIONS="_malloc,_free,$EXPORTS" \
  -sEXPORTED_RUNTIME_METHODS=FS,NODEFS,UTF8ToString,stringToUTF8,lengthBytesUTF8 -lnodefs.js \
  -o "$work/out/libsolv.mjs"

mkdir -p "$out"
cp "$work/out/libsolv.mjs" "$work/out/libsolv.wasm" "$out/"
chmod 644 "$out/libsolv.mjs" "$out/libsolv.wasm"
{
  echo "# redproof libsolv engine build (generated by wasm/build.sh; do not edit)"
  echo "libsolv: 0.7.23 (rpm semantics only: DISTTYPE_RPM, complex deps, rpm-md, repomd, updateinfo, deltainfo, comps, susetags, helix, rpm headers, solv, testcase)"
  echo "compiler: $(emcc --version 2>/dev/null | head -n1 | sed 's/ *$//')"
  echo "clang: $(emcc -v 2>&1 | grep -m1 'clang version' | sed 's/ *$//')"
  echo "optimisation: $OPT"
  echo "debian-source-packages: ${PACKAGES[*]}"
  echo "source-sha256:"
  echo "$SHA256SUMS" | sed '/^$/d; s/^/  /'
  echo "glue-sha256:"
  (cd "$here/src" && sha256sum glue.c esm-prelude.js | sed 's/^/  /')
  echo "output-sha256:"
  (cd "$out" && sha256sum libsolv.mjs libsolv.wasm | sed 's/^/  /')
} > "$out/BUILDINFO"
log "done: $(du -h "$out/libsolv.wasm" | cut -f1) wasm in $out"
