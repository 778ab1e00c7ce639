#!/usr/bin/env bash
# `cpack -G DEB` in the built tree: the package's name, version (project(VERSION)) and Debian
# dependencies (from dpkg-shlibdeps), its files under /usr, and, unpacked into a folder, the
# programs run and examples/cpp builds against it with pkg-config.
#   deb_package_test.sh BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail
build=$(cd "${1:?usage: deb_package_test.sh BUILD_DIR SOURCE_DIR VERSION}" && pwd)
source=${2:?}
version=${3:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0

(cd "$work" && cpack --config "$build/CPackConfig.cmake" -B "$work" >"$work/cpack.log") ||
  { cat "$work/cpack.log"; exit 1; }
deb=$work/kinesis-producer_${version}_amd64.deb
[ -f "$deb" ] || { echo "no $deb:"; ls "$work"; exit 1; }
[ "$(dpkg-deb -f "$deb" Package)" = kinesis-producer ]
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ]
depends=$(dpkg-deb -f "$deb" Depends)
for package in libcurl4 libssl3 libsimdjson libstdc++6; do
  grep -q "$package" <<<"$depends" || { echo "Depends lacks $package: $depends"; exit 1; }
done
echo "$(basename "$deb"): Depends: $depends"
passed=$((passed + 1))

files=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/kinesis-put ./usr/bin/kinesis-kpl-daemon ./usr/bin/kinesis-sim \
         ./usr/share/man/man1/kinesis-put.1 ./usr/include/kinesis/producer.h \
         ./usr/include/kinesis/c/producer.h "./usr/lib/libkinesis_producer_cxx.so.$version" \
         "./usr/lib/libkinesis_producer.so.$version" ./usr/lib/pkgconfig/kinesis-producer-cxx.pc \
         ./usr/lib/cmake/KinesisProducer/KinesisProducerConfig.cmake \
         ./usr/share/doc/kinesis_producer/LICENSE; do
  grep -qx -- "$f" <<<"$files" || { echo "not in the package: $f"; exit 1; }
done
echo "holds the programs, manual pages, headers, both libraries, pkg-config and CMake files"
passed=$((passed + 1))

dpkg-deb -x "$deb" "$work/root"
root=$work/root/usr
[ "$("$root/bin/kinesis-put" --version)" = "kinesis-put $version" ]
export PKG_CONFIG_PATH="$root/lib/pkgconfig"
# shellcheck disable=SC2046
c++ -std=c++20 -Wall -Wextra -Werror "$source/examples/cpp/put.cc" \
  $(pkg-config --cflags --libs kinesis-producer-cxx) -o "$work/put"
rc=0; LD_LIBRARY_PATH="$root/lib" "$work/put" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || { echo "put built against the package exited $rc, expected 2 (usage)"; exit 1; }
echo "unpacked: kinesis-put --version, examples/cpp/put.cc built with its pkg-config and ran"
passed=$((passed + 1))
echo "$passed passed, 0 failed"
