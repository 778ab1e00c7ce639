#!/usr/bin/env bash
# pip install ./python into a fresh virtual environment (offline: Debian's setuptools and
# wheel, --no-build-isolation --no-index), reusing the configured build tree, then runs the
# Python example from that environment (no PYTHONPATH) against the kinesis-sim of the fixture.
#   pip_install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "${1:?usage: pip_install_test.sh BUILD_DIR SOURCE_DIR}" && pwd)
source_dir=$(cd "${2:?}" && pwd)
work=$(mktemp -d /tmp/kp-pip-XXXXXX)
trap 'rm -rf "$work"' EXIT
cp -r "$source_dir/python" "$work/src"  # pip builds in the tree it is given: not ours
/usr/bin/python3 -m venv --system-site-packages "$work/venv"
KP_BUILD_DIR="$build" "$work/venv/bin/pip" install -q --no-build-isolation --no-index \
  "$work/src"
# A KP_BUILD_DIR that is not a configured tree is refused, naming it (it used to be configured
# and built from scratch, inside the package's folder for a relative path).
rc=0
out=$(cd "$work" && KP_BUILD_DIR=build/nowhere "$work/venv/bin/pip" install -q --no-build-isolation \
      --no-index "$work/src" 2>&1) || rc=$?
[ "$rc" -ne 0 ] && grep -q "KP_BUILD_DIR=build/nowhere: $work/build/nowhere is not a configured" <<<"$out" ||
  { echo "pip with KP_BUILD_DIR=build/nowhere exited $rc: $out"; exit 1; }
[ ! -e "$work/src/build" ] && [ ! -e "$work/build" ] || { echo "a build tree was made"; exit 1; }
unset PYTHONPATH
site=$("$work/venv/bin/python" -c \
  'import kinesis_producer, os; print(os.path.dirname(kinesis_producer.__file__))')
case "$site" in "$work/venv/"*) ;; *) echo "imported from $site, not the venv"; exit 1;; esac
ls "$site"/_native*.so "$site/libkinesis_producer.so.0" >/dev/null
# The bundled library is the one loaded.
"$work/venv/bin/python" - "$site" <<'PY'
import sys
import kinesis_producer  # noqa: F401  (loads _native and its library)
maps = open("/proc/self/maps").read()
assert sys.argv[1] + "/libkinesis_producer.so.0" in maps, "the bundled library is not loaded"
PY
# The example (asyncio adds 10 records to the count), as the C example runs.
"$source_dir/tests/capi/run_example.sh" --count 300 --expect "310 written, 0 failed .*" \
  "$work/venv/bin/python" "$source_dir/examples/python/put.py"
