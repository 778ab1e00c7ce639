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
port=$(cat "$KP_BACKEND_DIR/kinesis_sim.port")
stream="pip-example-$$"
curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/" \
  -H "X-Amz-Target: Kinesis_20131202.CreateStream" \
  -H "Content-Type: application/x-amz-json-1.1" -H "X-Amz-Date: 20260101T000000Z" \
  -H "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=00" \
  -d "{\"StreamName\":\"$stream\",\"ShardCount\":2}"
export AWS_REGION=us-east-1 AWS_ENDPOINT_URL_KINESIS="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=example-secret
output=$("$work/venv/bin/python" "$source_dir/examples/python/put.py" "$stream" 300)
echo "$output"
grep -q "310 written, 0 failed" <<<"$output"
echo "1 passed, 0 failed"
