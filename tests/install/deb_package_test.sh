#!/usr/bin/env bash
# `cpack -G DEB` in the built tree (cmake/Packaging.cmake): the four packages' names, version
# (project(VERSION)), sections and dependencies (on Debian's packages from dpkg-shlibdeps, on
# each other at the same version), the files of each and of no other, and, all unpacked into a
# folder, the programs run and examples/cpp builds against the -dev package with pkg-config.
# The service (kinesis-put@.service) is deb_service_test's.
#   deb_package_test.sh BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail
build=$(cd "${1:?usage: deb_package_test.sh BUILD_DIR SOURCE_DIR VERSION}" && pwd)
source=${2:?}
version=${3:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
fail() { echo "$*"; exit 1; }

(cd "$work" && cpack --config "$build/CPackConfig.cmake" -B "$work" >"$work/cpack.log") ||
  { cat "$work/cpack.log"; exit 1; }
deb() { echo "$work/${1}_${version}_amd64.deb"; }
packages="libkinesis-producer0 libkinesis-producer-dev kinesis-put python3-kinesis-producer"
for package in $packages; do
  [ -f "$(deb "$package")" ] || { echo "no $(deb "$package"):"; ls "$work"; exit 1; }
  [ "$(dpkg-deb -f "$(deb "$package")" Package)" = "$package" ] || fail "$package: wrong Package"
  [ "$(dpkg-deb -f "$(deb "$package")" Version)" = "$version" ] || fail "$package: wrong Version"
done
[ "$(find "$work" -maxdepth 1 -name '*.deb' | wc -l)" = 4 ] || { ls "$work"; fail "not 4 packages"; }
echo "4 packages of version $version: $packages"
passed=$((passed + 1))

# The packages docs/installing.md tells users to install are the ones cpack makes.
named=$(/usr/bin/python3 - "$source/docs/installing.md" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
section = text.split("## Debian packages", 1)[1].split("\n## ", 1)[0]
blocks = re.findall(r"^```sh\n(.*?)^```$", section, re.S | re.M)
print("\n".join(re.findall(r"\./build/deb/(\S+\.deb)", blocks[0])))
PY
)
[ -n "$named" ] || fail "docs/installing.md names no package to install"
for file in $named; do
  [ -f "$work/$file" ] || fail "docs/installing.md installs $file, which cpack did not make"
done
echo "docs/installing.md installs what cpack made: $(tr '\n' ' ' <<<"$named")"

# Depends: each line must hold each of the names after it.
check_depends() {
  local package=$1; shift
  local depends; depends=$(dpkg-deb -f "$(deb "$package")" Depends)
  for needed in "$@"; do
    grep -qF -- "$needed" <<<"$depends" || fail "$package: Depends lacks '$needed': $depends"
  done
  echo "$package: Depends: $depends"
}
check_depends libkinesis-producer0 libcurl4 libssl3 libsimdjson libstdc++6 libc6
check_depends libkinesis-producer-dev "libkinesis-producer0 (= $version)"
check_depends kinesis-put libcurl4 libssl3 libsimdjson "adduser | systemd"
check_depends python3-kinesis-producer "libkinesis-producer0 (= $version)" python3
[ "$(dpkg-deb -f "$(deb libkinesis-producer0)" Section)" = libs ] || fail "runtime: Section"
[ "$(dpkg-deb -f "$(deb libkinesis-producer-dev)" Section)" = libdevel ] || fail "dev: Section"
# The runtime package declares its libraries (shlibs), so that dpkg-shlibdeps of a program
# built against them names it.
shlibs=$(dpkg-deb -I "$(deb libkinesis-producer0)" shlibs)
grep -qx "libkinesis_producer 0 libkinesis-producer0 (= $version)" <<<"$shlibs" ||
  fail "shlibs: $shlibs"
echo "shlibs: $(tr '\n' ';' <<<"$shlibs")"
passed=$((passed + 1))

# Each package's files, and none of another's.
files() { dpkg-deb -c "$(deb "$1")" | awk '{print $6}'; }
check_files() {
  local package=$1; shift
  local listing; listing=$(files "$package")
  for f in "$@"; do grep -qx -- "$f" <<<"$listing" || fail "not in $package: $f"; done
}
check_files libkinesis-producer0 "./usr/lib/libkinesis_producer_cxx.so.$version" \
  "./usr/lib/libkinesis_producer.so.$version" ./usr/lib/libkinesis_producer.so.0 \
  ./usr/share/doc/kinesis_producer/LICENSE ./usr/share/doc/kinesis_producer/NOTICE
check_files libkinesis-producer-dev ./usr/include/kinesis/producer.h \
  ./usr/include/kinesis/c/producer.h ./usr/include/kinesis/version.h \
  ./usr/lib/libkinesis_producer_cxx.so ./usr/lib/libkinesis_producer.so \
  ./usr/lib/pkgconfig/kinesis-producer-cxx.pc ./usr/lib/pkgconfig/kinesis-producer.pc \
  ./usr/lib/cmake/KinesisProducer/KinesisProducerConfig.cmake
check_files kinesis-put ./usr/bin/kinesis-put ./usr/bin/kinesis-kpl-daemon ./usr/bin/kinesis-sim \
  ./usr/share/man/man1/kinesis-put.1 ./usr/lib/systemd/system/kinesis-put@.service \
  ./usr/lib/sysusers.d/kinesis-put.conf ./etc/kinesis-put/example.conf
check_files python3-kinesis-producer ./usr/lib/python3/dist-packages/kinesis_producer/__init__.py
all=$(for package in $packages; do files "$package" | grep -v '/$'; done)
twice=$(sort <<<"$all" | uniq -d)
[ -z "$twice" ] || fail "files in two packages: $twice"
if grep -q '^./usr/include\|\.so$' <<<"$(files libkinesis-producer0)"; then
  fail "development files in the runtime package"
fi
echo "the files of each package, none in two"
passed=$((passed + 1))

# All four unpacked: the programs run, examples/cpp builds with the -dev package's pkg-config.
for package in $packages; do dpkg-deb -x "$(deb "$package")" "$work/root"; done
root=$work/root/usr
[ "$("$root/bin/kinesis-put" --version)" = "kinesis-put $version" ]
[ "$("$root/bin/kinesis-sim" --version)" = "kinesis-sim $version" ]
export PKG_CONFIG_PATH="$root/lib/pkgconfig"
# shellcheck disable=SC2046
c++ -std=c++20 -Wall -Wextra -Werror "$source/examples/cpp/put.cc" \
  $(pkg-config --cflags --libs kinesis-producer-cxx) -o "$work/put"
rc=0; LD_LIBRARY_PATH="$root/lib" "$work/put" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || fail "put built against the package exited $rc, expected 2 (usage)"
echo "unpacked: kinesis-put and kinesis-sim --version, examples/cpp/put.cc built with its pkg-config and ran"
passed=$((passed + 1))
echo "$passed passed, 0 failed"
