#!/usr/bin/env bash
# kinesis-producer inside a user's CMake project (FetchContent, i.e. add_subdirectory):
# configures with GTest, Google Benchmark, protobuf and pybind11 made unfindable (the library
# needs none of them), checks that the subproject adds no tests and no -Werror and builds no
# program of its own, builds the user's programs (the library with them), and runs them:
# Producer::Create refusing a bad configuration, and examples/cpp against kinesis-sim.
#   subproject_test.sh SOURCE_DIR VERSION
set -euo pipefail
source=$(cd "${1:?usage: subproject_test.sh SOURCE_DIR VERSION}" && pwd)
version=${2:?}
work=${KP_SUBPROJECT_BUILD:-$(mktemp -d)}
[ -n "${KP_SUBPROJECT_BUILD:-}" ] || trap 'rm -rf "$work"' EXIT
rm -rf "$work/build"
mkdir -p "$work"
passed=0

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$source/tests/install/subproject" -B "$work/build" -G Ninja -Wno-dev --no-warn-unused-cli \
  -DCMAKE_BUILD_TYPE=Release -DKP_SOURCE_DIR="$source" "${launcher[@]}" \
  -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON \
  -DCMAKE_DISABLE_FIND_PACKAGE_Protobuf=ON -DCMAKE_DISABLE_FIND_PACKAGE_pybind11=ON \
  >"$work/configure.log" || { cat "$work/configure.log"; exit 1; }
echo "configured without GTest, benchmark, protobuf, pybind11"
passed=$((passed + 1))

tests=$(ctest --test-dir "$work/build" -N | sed -n 's/^Total Tests: //p')
[ "$tests" = 0 ] || { echo "the subproject added $tests tests"; exit 1; }
werror=$(ninja -C "$work/build" -t commands put create_bad | grep -c -- '-Werror' || true)
[ "$werror" = 0 ] || { echo "$werror compile commands have -Werror"; exit 1; }
programs=$(ninja -C "$work/build" -t targets all | grep -Ec '^(kinesis-put|kinesis-sim|kinesis-kpl-daemon|[a-z_]*_test):' || true)
[ "$programs" = 0 ] || { echo "the subproject builds $programs programs or tests"; exit 1; }
echo "no tests, no -Werror, no programs from the subproject"
passed=$((passed + 1))

nice -n 5 cmake --build "$work/build" -j "$(nproc)" --target put create_bad >"$work/build.log" ||
  { tail -50 "$work/build.log"; exit 1; }
rc=0; out=$("$work/build/create_bad") || rc=$?
echo "$out"
[ "$rc" = 1 ] || { echo "create_bad exited $rc, expected 1"; exit 1; }
grep -q "^library $version (headers $version): [A-Za-z]*: RecordTtl is 0; it must be 100" <<<"$out" ||
  { echo "the error does not name RecordTtl"; exit 1; }
echo "Producer::Create refused the bad configuration"
passed=$((passed + 1))

"$source/tests/capi/run_example.sh" --count 500 "$work/build/put"
echo "examples/cpp built against KinesisProducer::producer ran against kinesis-sim"
passed=$((passed + 1))
echo "$passed passed, 0 failed"
