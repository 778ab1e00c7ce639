#!/usr/bin/env bash
# One version, from project(VERSION): every program's --version, both libraries (file name and
# what they report), the Python package's __version__ and its pyproject.toml.
#   version_test.sh VERSION KINESIS_PUT KINESIS_SIM LIBKINESIS_PRODUCER LIBKINESIS_PRODUCER_CXX
#                   KINESIS_KPL_DAEMON
#   (environment: KP_PYTHON and PYTHONPATH for the Python package, KP_SOURCE_DIR)
set -euo pipefail
version=${1:?usage: version_test.sh VERSION KINESIS_PUT KINESIS_SIM C_LIBRARY CXX_LIBRARY}
put=${2:?}; sim=${3:?}; clib=${4:?}; cxxlib=${5:?}; daemon=${6:?}
passed=0
expect() {  # what, got, wanted
  if [ "$2" != "$3" ]; then echo "$1: \"$2\", expected \"$3\""; exit 1; fi
  echo "$1: $2"
  passed=$((passed + 1))
}
expect "kinesis-put --version" "$("$put" --version)" "kinesis-put $version"
expect "kinesis-sim --version" "$("$sim" --version)" "kinesis-sim $version"
expect "kinesis-kpl-daemon --version" "$("$daemon" --version)" "kinesis-kpl-daemon $version"
expect "libkinesis_producer.so" "$(basename "$(readlink -f "$clib")")" "libkinesis_producer.so.$version"
expect "libkinesis_producer_cxx.so" "$(basename "$(readlink -f "$cxxlib")")" \
  "libkinesis_producer_cxx.so.$version"
# What the libraries report at run time: kinesis_version() and kinesis::LibraryVersion().
reported=$(/usr/bin/python3 - "$clib" <<'PY'
import ctypes, sys
lib = ctypes.CDLL(sys.argv[1])
lib.kinesis_version.restype = ctypes.c_char_p
print(lib.kinesis_version().decode())
PY
)
expect "kinesis_version()" "$reported" "$version"
grep -qa "$version" "$cxxlib" || { echo "$cxxlib does not hold $version"; exit 1; }
if [ -n "${KP_PYTHON:-}" ] && [ -d "${PYTHONPATH:-/nonexistent}/kinesis_producer" ]; then
  expect "kinesis_producer.__version__" \
    "$("$KP_PYTHON" -c 'import kinesis_producer; print(kinesis_producer.__version__)')" "$version"
fi
if [ -n "${KP_SOURCE_DIR:-}" ]; then
  pyproject=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$KP_SOURCE_DIR/python/pyproject.toml")
  if [ -n "$pyproject" ]; then expect "python/pyproject.toml version" "$pyproject" "$version"; fi
  changelog=$(grep -m1 -o '^## \[\?[0-9][0-9.]*' "$KP_SOURCE_DIR/CHANGELOG.md" | tr -d '#[ ')
  expect "CHANGELOG.md's latest entry" "$changelog" "$version"
fi
echo "$passed passed, 0 failed"
