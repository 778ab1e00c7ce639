#!/usr/bin/env bash
# The Python distribution as it is published (scripts/build-wheel): the sdist carries the C++
# sources and builds on its own (python -m build makes the wheel from the unpacked sdist in a
# temporary folder), auditwheel repairs the wheel (libcurl, OpenSSL, simdjson bundled; a
# manylinux tag), building leaves nothing in the source tree, and the wheel, installed into a
# fresh virtual environment of another Python than the build's (where there is one), runs
# examples/python/put.py against kinesis-sim with the bundled libraries.
#   wheel_test.sh SOURCE_DIR
#   (environment: KP_WHEEL_WORK, a folder to work in, emptied first; KP_BACKEND_DIR)
set -euo pipefail
source_dir=$(cd "${1:?usage: wheel_test.sh SOURCE_DIR}" && pwd)
work=${KP_WHEEL_WORK:-$(mktemp -d)}
[ -n "${KP_WHEEL_WORK:-}" ] || trap 'rm -rf "$work"' EXIT
rm -rf "$work"
mkdir -p "$work/tmp"
passed=0
fail() { echo "$*"; exit 1; }
[ -x "$source_dir/build/pydeps/bin/auditwheel" ] || fail "no build/pydeps: run scripts/setup"

# Build (the compiler cache, when there is one, sees the same relative paths every run).
untracked() { git -C "$source_dir" status --porcelain --ignored --untracked-files=all -- python 2>/dev/null || true; }
before=$(untracked)
start=$SECONDS
TMPDIR=$work/tmp CCACHE_BASEDIR=$work "$source_dir/scripts/build-wheel" "$work/dist" \
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

# The repaired wheel: its tag, and the libraries it bundles.
tag=$(basename "$wheel" .whl | awk -F- '{print $NF}')
[[ "$tag" =~ ^manylinux_2_([0-9]+)_x86_64$ ]] || fail "wheel tag $tag, not manylinux_2_X"
contents=$(/usr/bin/python3 -m zipfile -l "$wheel")
for library in libcurl libcrypto libssl libsimdjson; do
  grep -q "kinesis_producer_engine.libs/$library-" <<<"$contents" || fail "$library not bundled"
done
grep -q "kinesis_producer/libkinesis_producer.so.0" <<<"$contents" || fail "no libkinesis_producer"
echo "wheel: $tag (auditwheel: the newest symbol versions it needs are glibc's and libstdc++'s of this build machine), libcurl, libcrypto, libssl, libsimdjson bundled"
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

# From the venv, no PYTHONPATH: the example, and the libraries loaded from the wheel.
unset PYTHONPATH
site=$("$work/venv/bin/python" -c \
  'import kinesis_producer, os; print(os.path.dirname(os.path.dirname(kinesis_producer.__file__)))')
case "$site" in "$work/venv/"*) ;; *) fail "imported from $site, not the venv";; esac
"$work/venv/bin/python" - "$site" <<'PY'
import sys
import kinesis_producer
libs = sys.argv[1] + "/kinesis_producer_engine.libs/"
maps = open("/proc/self/maps").read()
# Python's own ssl module may load the system's OpenSSL too (asyncio imports it): the wheel's
# copy, under another name, is the one the producer uses. libcurl and simdjson only the producer
# loads.
for name in ("libcurl", "libcrypto", "libssl", "libsimdjson"):
    paths = {line.split()[-1] for line in maps.splitlines() if f"/{name}" in line}
    assert any(p.startswith(libs) for p in paths), f"{name}: the wheel's copy not loaded: {paths}"
    if name in ("libcurl", "libsimdjson"):
        assert all(p.startswith(libs) for p in paths), f"{name} loaded from {paths}"
print(f"kinesis_producer {kinesis_producer.__version__}: libcurl, libcrypto, libssl, libsimdjson loaded from the wheel")
PY
"$source_dir/tests/capi/run_example.sh" --count 300 --expect "310 written, 0 failed .*" \
  "$work/venv/bin/python" "$source_dir/examples/python/put.py" >/dev/null ||
  fail "examples/python/put.py from the wheel's venv failed"
echo "examples/python/put.py from the venv: 310 written, 0 failed"
passed=$((passed + 1))
echo "$passed passed, 0 failed"
