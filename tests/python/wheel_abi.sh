#!/usr/bin/env bash
# Checks that a wheel of scripts/build-wheel runs on any x86_64 Linux with glibc 2.28 or later:
# its tag is manylinux_2_28_x86_64 and `auditwheel show` finds it consistent with that tag;
# every shared object in it needs no GLIBC_ symbol version above 2.28 and none of libstdc++'s
# (GLIBCXX_, CXXABI_) or libgcc_s's (GCC_), and loads only glibc's libraries and the wheel's own
# libkinesis_producer.so.0 (OpenSSL, libcurl, nghttp2, simdjson and libc++ are inside it).
#   wheel_abi.sh WHEEL [PYDEPS]     (PYDEPS: the build/pydeps with auditwheel)
set -euo pipefail
wheel=$(cd "$(dirname "${1:?usage: wheel_abi.sh WHEEL [PYDEPS]}")" && pwd)/$(basename "$1")
pydeps=${2:-$(cd "$(dirname "$0")/../.." && pwd)/build/pydeps}
fail() { echo "FAIL: $*"; exit 1; }
glibc_max=28
allowed_needed="libc.so.6 libm.so.6 libpthread.so.0 libdl.so.2 librt.so.1 ld-linux-x86-64.so.2 libkinesis_producer.so.0"

tag=$(basename "$wheel" .whl | awk -F- '{print $NF}')
[ "$tag" = "manylinux_2_${glibc_max}_x86_64" ] || fail "wheel tag $tag, not manylinux_2_${glibc_max}_x86_64"
show=$(PATH=$pydeps/bin:$PATH "$pydeps/bin/auditwheel" show "$wheel" 2>&1 | tr '\n' ' ')
grep -q "consistent with the following platform tag: \"manylinux_2_${glibc_max}_x86_64\"" <<<"$show" ||
  fail "auditwheel show: $show"
echo "tag $tag; auditwheel show: consistent with manylinux_2_${glibc_max}_x86_64"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 -m zipfile -e "$wheel" "$work"
objects=$(cd "$work" && find . -name '*.so' -o -name '*.so.*' | sed 's|^\./||' | sort)
[ -n "$objects" ] || fail "no shared objects in the wheel"
for so in $objects; do
  needed=$(readelf -d "$work/$so" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
  for lib in $needed; do
    grep -qw -- "$lib" <<<"$allowed_needed" || fail "$so needs $lib (only glibc's libraries are allowed)"
  done
  # The versions it needs (.gnu.version_r): "Name: GLIBC_2.17  Flags: ..." per version.
  versions=$(readelf -V --wide "$work/$so" | sed -n 's/.*Name: \([A-Za-z_]*[0-9][0-9.]*\) .*/\1/p' |
             sort -u -V)
  newest=
  for v in $versions; do
    case $v in
      GLIBC_2.*)
        minor=$(cut -d. -f2 <<<"$v")
        [ "$minor" -le "$glibc_max" ] || fail "$so needs $v, newer than GLIBC_2.$glibc_max"
        newest=$v ;;
      GLIBCXX_* | CXXABI_* | GCC_*) fail "$so needs $v (libstdc++ or libgcc_s)" ;;
    esac
  done
  echo "$so: needs $(echo $needed | tr ' ' ','); newest glibc version $newest; no GLIBCXX_, CXXABI_ or GCC_"
done
echo "wheel_abi: $(wc -w <<<"$objects") shared objects checked"
