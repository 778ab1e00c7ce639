#!/usr/bin/env bash
# The C API as users get it: `cmake --install` into a fresh prefix, then the example built with
# pkg-config and with find_package(KinesisProducer), and the library's exported symbols.
#   install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=${1:?usage: install_test.sh BUILD_DIR SOURCE_DIR}
source=${2:?usage: install_test.sh BUILD_DIR SOURCE_DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0

cmake --install "$build" --prefix "$work/prefix" >/dev/null
lib=$(find "$work/prefix" -name 'libkinesis_producer.so.*.*.*' | head -1)
[ -n "$lib" ] || { echo "no libkinesis_producer.so.X.Y.Z installed"; exit 1; }
libdir=$(dirname "$lib")

# Only kinesis_ functions, each under the version node KINESIS_0 or (kinesis/c/monitoring.h)
# KINESIS_1.
others=$(nm -D --defined-only "$lib" |
  awk '$3 != "KINESIS_0" && $3 != "KINESIS_1" && $3 !~ /^kinesis_[a-z_]+@@KINESIS_[01]$/')
if [ -n "$others" ]; then echo "unexpected exported symbols:"; echo "$others"; exit 1; fi
count=$(nm -D --defined-only "$lib" | grep -c '@@KINESIS_0$')
count1=$(nm -D --defined-only "$lib" | grep -c '@@KINESIS_1$')
[ "$count1" -eq 7 ] || { echo "$count1 functions under KINESIS_1, expected 7"; exit 1; }
echo "exports: $count kinesis_ functions under KINESIS_0, $count1 under KINESIS_1"
passed=$((passed + 1))

export PKG_CONFIG_PATH="$libdir/pkgconfig"
# shellcheck disable=SC2046
cc -std=c99 -Wall -Wextra -Wpedantic -Werror "$source/examples/c/put.c" \
  $(pkg-config --cflags --libs kinesis-producer) -lpthread -o "$work/put-pkgconfig"
# Without arguments the example prints its usage and exits 2: it loaded the library.
rc=0; LD_LIBRARY_PATH="$libdir" "$work/put-pkgconfig" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || { echo "put (pkg-config) exited $rc, expected 2 (usage)"; exit 1; }
echo "pkg-config: built and ran examples/c/put.c against the installed library"
passed=$((passed + 1))

cmake -S "$source/tests/capi/find_package" -B "$work/user" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DEXAMPLE_SOURCE="$source/examples/c/put.c" >/dev/null
cmake --build "$work/user" >/dev/null
rc=0; "$work/user/put" >/dev/null 2>&1 || rc=$?
[ "$rc" -eq 2 ] || { echo "put (find_package) exited $rc, expected 2 (usage)"; exit 1; }
echo "find_package: built and ran examples/c/put.c"
passed=$((passed + 1))

echo "$passed passed, 0 failed"
