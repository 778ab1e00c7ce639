#!/usr/bin/env bash
# The C++ API as users get it: `cmake --install --component runtime`, then `--component dev`
# (the Debian packages libkinesis-producer0 and libkinesis-producer-dev) into a fresh prefix, what
# it installs, the symbols the C++ library exports, then examples/cpp built with
# find_package(KinesisProducer) (KinesisProducer::producer) and with pkg-config
# (kinesis-producer-cxx), both under -Wall -Wextra -Werror, and run against kinesis-sim.
#   cxx_install_test.sh BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail
build=${1:?usage: cxx_install_test.sh BUILD_DIR SOURCE_DIR VERSION}
source=${2:?}
version=${3:?}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
passed=0

cmake --install "$build" --prefix "$prefix" --component runtime >/dev/null
[ ! -e "$prefix/include" ] || { echo "the runtime component installed headers"; exit 1; }
cmake --install "$build" --prefix "$prefix" --component dev >/dev/null
for f in include/kinesis/producer.h include/kinesis/status.h include/kinesis/version.h \
         include/kinesis/c/producer.h lib/pkgconfig/kinesis-producer-cxx.pc \
         lib/cmake/KinesisProducer/KinesisProducerConfig.cmake \
         "lib/libkinesis_producer_cxx.so.$version"; do
  [ -e "$prefix/$f" ] || { echo "not installed: $f"; exit 1; }
done
# The two library components are the libraries alone: no programs.
if [ -e "$prefix/bin" ]; then echo "the library components installed programs:"; ls "$prefix/bin"; exit 1; fi
grep -q "KINESIS_PRODUCER_VERSION \"$version\"" "$prefix/include/kinesis/version.h"
echo "installed: headers, libkinesis_producer_cxx.so.$version, pkg-config, CMake package"
passed=$((passed + 1))

# Only names of namespace kinesis: nothing of libcurl, OpenSSL, simdjson or the C++ library.
lib=$prefix/lib/libkinesis_producer_cxx.so.$version
others=$(nm -D --defined-only "$lib" | awk '{print $3}' | sed 's/@.*//' | c++filt |
         grep -v 'kinesis::' | grep -vx 'KINESIS_CXX_0' || true)
if [ -n "$others" ]; then echo "exported outside namespace kinesis:"; echo "$others" | head -20; exit 1; fi
for needed in libcurl libcrypto libsimdjson; do
  readelf -d "$lib" | grep -q "NEEDED.*$needed" || { echo "$lib does not need $needed"; exit 1; }
done
echo "exports: $(nm -D --defined-only "$lib" | grep -c ' [TWVD] ') symbols, all in namespace kinesis"
passed=$((passed + 1))

# What a program prints and exits with, as `put ARGS`.
check_put() {  # program
  local put=$1 out rc
  rc=0; "$put" >/dev/null 2>&1 || rc=$?
  [ "$rc" -eq 2 ] || { echo "$put without arguments exited $rc, expected 2 (usage)"; exit 1; }
  # A file that is not there: the error names it (and nothing throws).
  rc=0; out=$("$put" s 1 "$work/missing.properties" 2>&1) || rc=$?
  [ "$rc" -eq 1 ] || { echo "$put with a missing file exited $rc: $out"; exit 1; }
  grep -q "^properties: .*missing.properties" <<<"$out" || { echo "unexpected: $out"; exit 1; }
  # A configuration Producer::Create refuses: the error names the setting and its limit.
  printf 'Region = us-east-1\nAwsAccessKeyId = AKID\nAwsSecretKey = secret\nRecordTtl = 0\n' \
    >"$work/bad.properties"
  rc=0; out=$("$put" s 1 "$work/bad.properties" 2>&1) || rc=$?
  [ "$rc" -eq 1 ] || { echo "$put with a bad configuration exited $rc: $out"; exit 1; }
  grep -q "RecordTtl" <<<"$out" || { echo "the error does not name RecordTtl: $out"; exit 1; }
  echo "  $(basename "$put"): usage, missing file and bad configuration refused: $out"
  "$source/tests/capi/run_example.sh" --count 500 "$put"
}

cmake -S "$source/examples/cpp" -B "$work/user" -G Ninja -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_CXX_FLAGS="-Wall -Wextra -Wpedantic -Werror" >/dev/null
cmake --build "$work/user" >/dev/null
check_put "$work/user/put"
echo "find_package: built examples/cpp with KinesisProducer::producer and ran it"
passed=$((passed + 1))

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
# shellcheck disable=SC2046
c++ -std=c++20 -Wall -Wextra -Wpedantic -Werror "$source/examples/cpp/put.cc" \
  $(pkg-config --cflags --libs kinesis-producer-cxx) -o "$work/put-pkgconfig"
[ "$(pkg-config --modversion kinesis-producer-cxx)" = "$version" ]
LD_LIBRARY_PATH="$prefix/lib" check_put "$work/put-pkgconfig"
echo "pkg-config: built examples/cpp/put.cc against kinesis-producer-cxx and ran it"
passed=$((passed + 1))

echo "$passed passed, 0 failed"
