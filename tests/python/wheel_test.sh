#!/usr/bin/env bash
# The Python distribution as it is published (scripts/build-wheel): the sdist carries the C++
# sources and builds on its own (python -m build makes the wheel from the unpacked sdist in a
# temporary folder), the wheel runs on any x86_64 glibc 2.28 or later (tag manylinux_2_28, no
# newer glibc symbol version, no libstdc++: wheel_abi.sh; OpenSSL, libcurl, nghttp2 and simdjson
# linked in, their licences in its dist-info), building leaves nothing in the source tree, and
# the wheel, installed into a fresh virtual environment of another Python than the build's
# (where there is one), runs examples/python/put.py against kinesis-sim, and puts over HTTPS to
# a kinesis-sim with a test CA (the TLS stack inside the wheel, verifying the certificate).
#   wheel_test.sh SOURCE_DIR
#   (environment: KP_WHEEL_WORK, a folder to work in, emptied first; KP_BACKEND_DIR;
#   KP_SIM_BINARY, the kinesis-sim program for the HTTPS leg)
set -euo pipefail
source_dir=$(cd "${1:?usage: wheel_test.sh SOURCE_DIR}" && pwd)
work=${KP_WHEEL_WORK:-$(mktemp -d)}
sim_pid=
cleanup() {
  [ -z "$sim_pid" ] || kill "$sim_pid" 2>/dev/null || true
  [ -n "${KP_WHEEL_WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
rm -rf "$work"
mkdir -p "$work/tmp"
passed=0
fail() { echo "$*"; exit 1; }
[ -x "$source_dir/build/pydeps/bin/auditwheel" ] || fail "no build/pydeps: run scripts/setup"

# Build (the compiler cache, when there is one, sees the same relative paths every run).
untracked() { git -C "$source_dir" status --porcelain --ignored --untracked-files=all -- python 2>/dev/null || true; }
before=$(untracked)
start=$SECONDS
TMPDIR=$work/tmp CCACHE_BASEDIR=$source_dir "$source_dir/scripts/build-wheel" "$work/dist" \
  >"$work/built" || fail "scripts/build-wheel failed"
sdist=$(grep '\.tar\.gz$' "$work/built")
wheel=$(grep '\.whl$' "$work/built")
echo "built in $((SECONDS - start)) s: $(basename "$sdist"), $(basename "$wheel")"
after=$(untracked)
[ "$before" = "$after" ] || fail "building left files in python/: $(diff <(echo "$before") <(echo "$after"))"
echo "nothing left in the source tree (no python/build, no *.egg-info)"
passed=$((passed + 1))

# The sdist: the package and the C++ sources the build needs, nothing of tests or tools.
listing=$(tar -tzf "$sdist" | cut -d/ -f2-)
for f in setup.py pyproject.toml PKG-INFO kinesis_producer/__init__.py kinesis_producer/py.typed \
         kinesis_producer/_native.pyi cpp/CMakeLists.txt cpp/LICENSE cpp/include/kinesis/c/producer.h \
         cpp/src/capi/CMakeLists.txt cpp/python/src/native_module.cc; do
  grep -qx -- "$f" <<<"$listing" || fail "not in the sdist: $f"
done
! grep -q '^cpp/\(tests\|bench\|node\|tools\|fuzz\)/' <<<"$listing" || fail "the sdist holds tests or tools"
grep -qx 'Name: kinesis-producer-engine' <(tar -xzOf "$sdist" --wildcards '*/PKG-INFO') ||
  fail "the sdist's name is not kinesis-producer-engine"
echo "sdist: $(wc -l <<<"$listing") files, the C++ sources in cpp/; the wheel was built from it alone"
passed=$((passed + 1))

# The wheel: manylinux_2_28 and what its libraries need (wheel_abi.sh), nothing bundled as
# separate libraries, the licences of what is linked in.
"$source_dir/tests/python/wheel_abi.sh" "$wheel" "$source_dir/build/pydeps" || fail "wheel_abi.sh"
contents=$(/usr/bin/python3 -m zipfile -l "$wheel")
grep -q "kinesis_producer/libkinesis_producer.so.0" <<<"$contents" || fail "no libkinesis_producer"
! grep -q "kinesis_producer_engine.libs/" <<<"$contents" || fail "libraries bundled beside the package"
for licence in OpenSSL-LICENSE.txt curl-COPYING nghttp2-COPYING simdjson-LICENSE-Apache-2.0.txt \
               llvm-libcxx-LICENSE.txt THIRD-PARTY.md; do
  grep -q "\.dist-info/licenses/$licence" <<<"$contents" || fail "no $licence in the wheel's licences"
done
echo "wheel: $(basename "$wheel"), $(stat -c %s "$wheel") bytes; the licences of OpenSSL, curl, nghttp2, simdjson, libc++ in its dist-info"
passed=$((passed + 1))

# Another Python of the wheel's version (cpXY) than the build's (Debian's /usr/bin/python3).
want=$(basename "$wheel" | awk -F- '{print $3}')
build_python=$(readlink -f /usr/bin/python3)
candidates=$(which -a python3 "python3.${want#cp3}" 2>/dev/null || true)
if command -v pyenv >/dev/null; then
  candidates+=$'\n'$(ls "$(pyenv root)"/versions/*/bin/python3 2>/dev/null || true)
fi
python=
while IFS= read -r candidate; do
  [ -n "$candidate" ] || continue
  tag_of=$("$candidate" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")' 2>/dev/null) || continue
  real=$("$candidate" -c 'import sys, os; print(os.path.realpath(sys.executable))' 2>/dev/null) || continue
  if [ "$tag_of" = "$want" ] && [ "$real" != "$build_python" ]; then python=$real; break; fi
done <<<"$candidates"
if [ -z "$python" ]; then
  python=/usr/bin/python3
  echo "no other Python $want than $build_python: the wheel goes into its venv"
fi
"$python" -m venv "$work/venv"
"$work/venv/bin/pip" install -q --no-index --disable-pip-version-check "$wheel"
echo "installed into a venv of $python ($("$python" --version))"
passed=$((passed + 1))

# From the venv, no PYTHONPATH: the example, with libkinesis_producer from the wheel and no
# libcurl, nghttp2 or simdjson loaded from anywhere (they are inside it).
unset PYTHONPATH
site=$("$work/venv/bin/python" -c \
  'import kinesis_producer, os; print(os.path.dirname(os.path.dirname(kinesis_producer.__file__)))')
case "$site" in "$work/venv/"*) ;; *) fail "imported from $site, not the venv";; esac
"$work/venv/bin/python" - "$site" <<'PY'
import sys
import kinesis_producer
maps = open("/proc/self/maps").read()
paths = {line.split()[-1] for line in maps.splitlines() if line.count(" ") >= 5 and "/" in line}
ours = {p for p in paths if p.endswith("/libkinesis_producer.so.0")}
assert ours and all(p.startswith(sys.argv[1] + "/kinesis_producer/") for p in ours), ours
for name in ("libcurl", "libnghttp2", "libsimdjson"):
    assert not any(f"/{name}" in p for p in paths), f"{name} loaded: {paths}"
print(f"kinesis_producer {kinesis_producer.__version__}: libkinesis_producer.so.0 from the wheel, no libcurl, libnghttp2, libsimdjson loaded")
PY
"$source_dir/tests/capi/run_example.sh" --count 300 --expect "310 written, 0 failed .*" \
  "$work/venv/bin/python" "$source_dir/examples/python/put.py" >/dev/null ||
  fail "examples/python/put.py from the wheel's venv failed"
echo "examples/python/put.py from the venv: 310 written, 0 failed"
passed=$((passed + 1))

# HTTPS with the wheel's OpenSSL and libcurl: a kinesis-sim serving TLS with a fresh test CA.
# Verified against that CA every record is written; with the default trust store (which does
# not hold it) the handshake is refused and the record fails.
[ -x "${KP_SIM_BINARY:-}" ] || fail "KP_SIM_BINARY (kinesis-sim) not set"
mkdir -p "$work/tls"
"$KP_SIM_BINARY" --host 127.0.0.1 --port 0 --tls-dir "$work/tls" --stream tls-example:2 \
  >"$work/tls-sim.log" 2>&1 </dev/null &
sim_pid=$!
port=
for _ in $(seq 300); do
  port=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/tls-sim.log")
  [ -n "$port" ] && [ -f "$work/tls/ca.pem" ] && break
  kill -0 "$sim_pid" 2>/dev/null || fail "kinesis-sim --tls-dir exited: $(cat "$work/tls-sim.log")"
  sleep 0.1
done
[ -n "$port" ] || fail "kinesis-sim --tls-dir did not listen within 30 s"
"$work/venv/bin/python" - "https://127.0.0.1:$port" "$work/tls/ca.pem" <<'PY' || fail "HTTPS put failed"
import sys
from kinesis_producer import Producer, RecordFailedError
endpoint, ca = sys.argv[1], sys.argv[2]
settings = dict(stream="tls-example", region="us-east-1", endpoint=endpoint,
                AwsAccessKeyId="AKIDEXAMPLE", AwsSecretKey="example-secret")
with Producer(CaCertFile=ca, **settings) as producer:
    futures = [producer.put(b"x" * 100, partition_key=f"k{i}") for i in range(200)]
    assert producer.flush(timeout=120)
    results = [f.result() for f in futures]
assert all(r.success and r.shard_id for r in results), results[:3]
with Producer(RecordTtl=3000, **settings) as producer:
    future = producer.put(b"x", partition_key="k")
    producer.flush(timeout=120)
    try:
        future.result()
        raise SystemExit("written without trusting the test CA")
    except RecordFailedError as e:
        refused = f"{e.result.error_code}: {e.result.error_message}"
assert "certificate" in refused, refused  # the handshake, not the connection, failed
print(f"HTTPS: 200 written verified against the test CA; refused without it: {refused[:240]}")
PY
passed=$((passed + 1))
echo "$passed passed, 0 failed"
