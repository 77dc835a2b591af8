#!/usr/bin/env bash
# Build the redproof test corpus: small rpm-md repositories made of real rpm packages.
#
#   corpus/build.sh                  rebuild corpus/repos/<name>/repodata (the only committed output)
#   corpus/build.sh --rpms-out DIR   also keep complete repositories (Packages/*.rpm + repodata) in DIR/<name>/
#   corpus/build.sh --check          rebuild in a temp dir and compare with the committed repodata byte for byte
#
# Inputs (committed data): corpus/specs/<set>.pkgs, one compact package description per set, from which
# this script writes one .spec per package; corpus/specs/<repo>.updateinfo.xml (demo-updates, update-new). The output is
# byte-reproducible: fixed SOURCE_DATE_EPOCH, build host, payload compression, rpm file mtimes and
# createrepo_c revision/timestamps. Needs rpm/rpmbuild (4.18), createrepo_c and modifyrepo_c (0.17),
# python3, gzip, zstd, xz, bzip2.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SPECS="$HERE/specs"
EPOCH=1700000000 # 2023-11-14T22:13:20Z: build time, file mtimes, repo revision and timestamps
export SOURCE_DATE_EPOCH=$EPOCH TZ=UTC LC_ALL=C

# repo name | package set (specs/<set>.pkgs) | metadata compression | post-processing step
REPOS=(
  "clean             clean         gz   -"
  "clean-gz          clean         gz   -"
  "clean-xz          clean         xz   -"
  "clean-zst         clean         zst  -"
  "clean-bz2         clean         bz2  -"
  "checksum-mismatch clean         gz   corrupt-primary-checksum"
  "missing-req       missing-req   gz   -"
  "version-req       version-req   gz   -"
  "conflict          conflict      gz   -"
  "obsoletes         obsoletes     gz   -"
  "rich-broken       rich-broken   gz   -"
  "file-broken       file-broken   gz   -"
  "demo              demo          gz   -"
  "demo-updates      demo-updates  gz   updateinfo"
  "update-old        update-old    gz   -"
  "update-new        update-new    gz   updateinfo"
)

usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

MODE=build
RPMS_OUT=""
OUT="$HERE/repos"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rpms-out) RPMS_OUT="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    --rpms-out=*) RPMS_OUT="$(mkdir -p "${1#*=}" && cd "${1#*=}" && pwd)"; shift ;;
    --check) MODE=check; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "build.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done

for tool in rpmbuild createrepo_c modifyrepo_c python3 gzip zstd xz bzip2; do
  command -v "$tool" >/dev/null || { echo "build.sh: missing tool: $tool" >&2; exit 2; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/redproof-corpus.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
[[ $MODE == check ]] && OUT="$WORK/check-repos"

# ---------------------------------------------------------------------------------------------------
# specs/<set>.pkgs -> one .spec per package
#
#   package NAME [EPOCH:]VERSION-RELEASE ARCH      starts a package (ARCH: x86_64, noarch, aarch64, ...)
#   summary TEXT
#   requires|provides|conflicts|obsoletes|recommends|suggests|supplements|enhances DEP
#   file PATH [= CONTENT]     a file with CONTENT (default "NAME-VERSION-RELEASE PATH"); mode 0755 when
#                             the path has a /bin/, /sbin/ or /libexec/ component, else 0644
#   dir PATH                  an owned directory
#   ghost PATH                a %ghost file (owned, not in the payload: rpm never makes it a conflict)
# Lines starting with # and blank lines are ignored.

spec_flush() {
  [[ -n ${P_NAME:-} ]] || return 0
  local spec="$1/${P_NAME}-${P_VR}.${P_ARCH}.spec"
  {
    echo "Name: $P_NAME"
    [[ -n $P_EPOCH ]] && echo "Epoch: $P_EPOCH"
    echo "Version: ${P_VR%-*}"
    echo "Release: ${P_VR##*-}"
    echo "Summary: ${P_SUMMARY:-$P_NAME test package}"
    echo "License: MIT"
    [[ $P_ARCH == noarch ]] && echo "BuildArch: noarch"
    echo "AutoReqProv: no"
    printf '%s' "$P_TAGS"
    echo
    echo "%description"
    echo "${P_SUMMARY:-$P_NAME test package} (redproof test corpus)."
    echo
    echo "%install"
    printf '%s' "$P_INSTALL"
    echo
    echo "%files"
    printf '%s' "$P_FILES"
  } >"$spec"
  echo "$P_ARCH $spec" >>"$1/index"
  P_NAME=""
}

gen_specs() { # gen_specs SETFILE OUTDIR
  local src="$1" out="$2" line kw rest lineno=0
  mkdir -p "$out"
  : >"$out/index"
  P_NAME=""
  while IFS= read -r line || [[ -n $line ]]; do
    lineno=$((lineno + 1))
    line="${line#"${line%%[![:space:]]*}"}"
    [[ -z $line || $line == \#* ]] && continue
    kw="${line%% *}"
    rest="${line#"$kw"}"; rest="${rest# }"
    case "$kw" in
      package)
        spec_flush "$out"
        read -r P_NAME P_VR P_ARCH <<<"$rest"
        [[ -n ${P_ARCH:-} && $P_VR == *-* ]] || { echo "$src:$lineno: bad package line" >&2; exit 2; }
        P_EPOCH=""
        if [[ $P_VR == *:* ]]; then P_EPOCH="${P_VR%%:*}"; P_VR="${P_VR#*:}"; fi
        P_SUMMARY="" P_TAGS="" P_INSTALL="" P_FILES=$'%defattr(-,root,root,-)\n'
        ;;
      summary) P_SUMMARY="$rest" ;;
      requires|provides|conflicts|obsoletes|recommends|suggests|supplements|enhances)
        P_TAGS+="${kw^}: $rest"$'\n' ;;
      file)
        local path="${rest%% = *}" content mode=0644
        if [[ $rest == *" = "* ]]; then content="${rest#* = }"; else content="$P_NAME-$P_VR $path"; fi
        [[ $path == */bin/* || $path == */sbin/* || $path == */libexec/* ]] && mode=0755
        [[ $content != *"'"* && $path != *"'"* ]] || { echo "$src:$lineno: no quotes please" >&2; exit 2; }
        P_INSTALL+="mkdir -p '%{buildroot}${path%/*}'"$'\n'
        P_INSTALL+="printf '%%s\\n' '${content//%/%%}' > '%{buildroot}$path'"$'\n'
        P_FILES+="%attr($mode,root,root) $path"$'\n'
        ;;
      dir)
        P_INSTALL+="mkdir -p '%{buildroot}$rest'"$'\n'
        P_FILES+="%dir %attr(0755,root,root) $rest"$'\n'
        ;;
      ghost)
        P_FILES+="%ghost %attr(0644,root,root) $rest"$'\n'
        ;;
      *) echo "$src:$lineno: unknown keyword: $kw" >&2; exit 2 ;;
    esac
  done <"$src"
  spec_flush "$out"
}

# Reproducible rpmbuild: build time and file mtimes from SOURCE_DATE_EPOCH, fixed host name and payload
# compression, no brp post-processing (the payload is plain text anyway).
RPMBUILD_DEFINES=(
  --define "_buildhost build.redproof.invalid"
  --define "use_source_date_epoch_as_buildtime 1"
  --define "clamp_mtime_to_source_date_epoch 1"
  --define "source_date_epoch_from_changelog 0"
  --define "_binary_payload w9.gzdio"
  --define "_binary_filedigest_algorithm 8"
  --define "__os_install_post %{nil}"
  --define "_build_id_links none"
  --define "_buildshell /bin/sh"
)

build_set() { # build_set SET -> $WORK/rpms/SET/*.rpm
  local set="$1" arch spec target
  local specdir="$WORK/specs/$set" top="$WORK/rpmbuild/$set"
  [[ -d $WORK/rpms/$set ]] && return 0
  gen_specs "$SPECS/$set.pkgs" "$specdir"
  mkdir -p "$WORK/rpms/$set"
  while read -r arch spec; do
    target="$arch"; [[ $arch == noarch ]] && target=x86_64
    if ! rpmbuild -bb --quiet --target "$target" --define "_topdir $top" "${RPMBUILD_DEFINES[@]}" \
      "$spec" >"$spec.log" 2>&1; then
      echo "build.sh: rpmbuild failed for $spec:" >&2; cat "$spec.log" >&2; exit 1
    fi
  done <"$specdir/index"
  find "$top/RPMS" -name '*.rpm' -exec mv -t "$WORK/rpms/$set" {} +
}

# repomd.xml surgery (python3 for the XML-ish edits; the layout is createrepo_c's own)
repomd_tool() {
  python3 - "$@" <<'PY'
import hashlib, os, re, subprocess, sys
cmd, repodata = sys.argv[1], sys.argv[2]
repomd_path = os.path.join(repodata, "repomd.xml")
repomd = open(repomd_path, encoding="utf-8").read()

def block(mdtype):
    m = re.search(r'(<data type="%s">.*?</data>)' % re.escape(mdtype), repomd, re.S)
    if not m:
        sys.exit("repomd.xml has no %s record" % mdtype)
    return m.group(1)

if cmd == "recompress-zst":
    # createrepo_c 0.17 cannot write zstd: recompress its gzip output, keep the open-* values
    for mdtype in ("primary", "filelists", "other"):
        old = block(mdtype)
        href = re.search(r'<location href="([^"]+)"', old).group(1)
        src = os.path.join(repodata, os.path.basename(href))
        raw = subprocess.run(["gzip", "-dc", src], check=True, capture_output=True).stdout
        data = subprocess.run(["zstd", "-q", "-19", "-c"], input=raw, check=True, capture_output=True).stdout
        digest = hashlib.sha256(data).hexdigest()
        name = "%s-%s.xml.zst" % (digest, mdtype)
        with open(os.path.join(repodata, name), "wb") as f:
            f.write(data)
        os.remove(src)
        new = re.sub(r'(<checksum type="sha256">)[0-9a-f]+(</checksum>)', r'\g<1>%s\g<2>' % digest, old, count=1)
        new = re.sub(r'<location href="[^"]+"', '<location href="repodata/%s"' % name, new)
        new = re.sub(r'<size>\d+</size>', '<size>%d</size>' % len(data), new)
        repomd = repomd.replace(old, new)
elif cmd == "corrupt-primary-checksum":
    # record sha256(<real checksum as ASCII>) instead of the real checksum of the primary file
    old = block("primary")
    real = re.search(r'<checksum type="sha256">([0-9a-f]+)</checksum>', old).group(1)
    wrong = hashlib.sha256(real.encode()).hexdigest()
    repomd = repomd.replace(old, old.replace(">%s<" % real, ">%s<" % wrong, 1))
elif cmd == "fix-timestamps":
    repomd = re.sub(r'<timestamp>\d+</timestamp>', '<timestamp>%s</timestamp>' % sys.argv[3], repomd)
else:
    sys.exit("unknown command " + cmd)
open(repomd_path, "w", encoding="utf-8").write(repomd)
PY
}

build_repo() { # build_repo NAME SET COMPRESS POST
  local name="$1" set="$2" comp="$3" post="$4"
  local dir="$WORK/repos/$name"
  build_set "$set"
  mkdir -p "$dir/Packages"
  cp "$WORK/rpms/$set"/*.rpm "$dir/Packages/"
  touch -h -d "@$EPOCH" "$dir/Packages"/*.rpm # primary.xml records the file mtime
  local cflags=(--general-compress-type="$comp")
  [[ $comp == zst ]] && cflags=(--general-compress-type=gz)
  createrepo_c --quiet --no-database --workers 1 --checksum sha256 --unique-md-filenames \
    --revision "$EPOCH" --set-timestamp-to-revision "${cflags[@]}" "$dir" >/dev/null
  [[ $comp == zst ]] && repomd_tool recompress-zst "$dir/repodata"
  case "$post" in
    -) ;;
    corrupt-primary-checksum) repomd_tool corrupt-primary-checksum "$dir/repodata" ;;
    updateinfo)
      cp "$SPECS/$name.updateinfo.xml" "$WORK/updateinfo.xml"
      touch -d "@$EPOCH" "$WORK/updateinfo.xml"
      modifyrepo_c --mdtype=updateinfo --compress-type=gz --unique-md-filenames \
        "$WORK/updateinfo.xml" "$dir/repodata" >/dev/null
      repomd_tool fix-timestamps "$dir/repodata" "$EPOCH"
      ;;
    *) echo "build.sh: unknown post step $post" >&2; exit 2 ;;
  esac
  rm -rf "${OUT:?}/$name/repodata"
  mkdir -p "$OUT/$name"
  cp -r "$dir/repodata" "$OUT/$name/repodata"
  if [[ -n $RPMS_OUT ]]; then
    rm -rf "${RPMS_OUT:?}/$name"
    cp -r "$dir" "$RPMS_OUT/$name"
  fi
}

toolchain() { # the tools whose versions decide the bytes of the output
  echo "rpm: $(rpm --version)"
  echo "createrepo_c: $(createrepo_c --version)"
  echo "modifyrepo_c: $(modifyrepo_c --version)"
  echo "zstd: $(zstd --version)"
  echo "xz: $(xz --version | head -n1)"
  if command -v dpkg-query >/dev/null; then
    dpkg-query -W -f='${Package} ${Version}\n' zlib1g liblzma5 libbz2-1.0 libzstd1 2>/dev/null | sed 's/^/lib: /'
  fi
}

start=$SECONDS
for entry in "${REPOS[@]}"; do
  # shellcheck disable=SC2086
  build_repo $entry
done

if [[ $MODE == check ]]; then
  status=0
  for entry in "${REPOS[@]}"; do
    name="${entry%% *}"
    if ! diff -rq "$HERE/repos/$name" "$OUT/$name" >"$WORK/diff" 2>&1; then
      echo "MISMATCH repos/$name:" && sed "s#$HERE/##g; s#$OUT/#<fresh build>/#g; s/^/  /" "$WORK/diff"
      status=1
    fi
  done
  for extra in "$HERE"/repos/*/; do
    [[ -d $OUT/$(basename "$extra") ]] || { echo "UNEXPECTED repos/$(basename "$extra") (not built by build.sh)"; status=1; }
  done
  if [[ $status -eq 0 ]]; then
    echo "build.sh --check: ${#REPOS[@]} repositories reproduced byte for byte ($((SECONDS - start)) s)"
  else
    echo "build.sh --check: committed repodata differs from a fresh build; run corpus/build.sh and commit" >&2
    toolchain >"$WORK/toolchain"
    if ! diff -u "$HERE/repos/TOOLCHAIN.txt" "$WORK/toolchain" >"$WORK/toolchain.diff" 2>&1; then
      echo "note: the toolchain differs from the one that built the committed files (byte equality needs the same rpm, createrepo_c and compression libraries):" >&2
      sed 's/^/  /' "$WORK/toolchain.diff" >&2
    fi
  fi
  exit "$status"
fi
toolchain >"$OUT/TOOLCHAIN.txt"
echo "build.sh: built ${#REPOS[@]} repositories in $OUT ($((SECONDS - start)) s)${RPMS_OUT:+, rpms in $RPMS_OUT}"
