#!/usr/bin/env bash
# The README's install and usage paths, verbatim, as a new user follows them: in a clean copy
# of the sources (the files git tracks, or would: no build folder, no node_modules), runs every
# ```sh block of the given sections (## or ###; by default "Installing the libraries", "For C++
# users" and "For C users"), in order, in one shell from the copy's root. The one change: the
# install prefix /opt/kinesis-producer becomes a folder of the test's. The programs run as
# written (AWS_REGION=us-east-1 ... my-stream 1000) against the kinesis-sim of the CTest
# fixture: the environment points AWS_ENDPOINT_URL_KINESIS at it and gives it fake credentials.
# The output must hold RUNS lines matching LINE (by default 2 of '1000 written, 0 failed': the
# C and the C++ program). KP_README_FILE names another document than README.md (for example
# docs/installing.md). `sudo apt-get install ./FILE.deb...` does not install into this machine:
# each package is unpacked into the folder root/ of the work folder ("unpacked FILE.deb").
#   readme_path_test.sh SOURCE_DIR [RUNS LINE SECTION...]
#   (environment: KP_README_WORK, the folder to work in, emptied first; KP_BACKEND_DIR;
#   KP_README_FILE)
set -euo pipefail
source=$(cd "${1:?usage: readme_path_test.sh SOURCE_DIR [RUNS LINE SECTION...]}" && pwd)
expected_runs=${2:-2}
expected_line=${3:-1000 written, 0 failed}
if [ $# -gt 3 ]; then
  sections=("${@:4}")
else
  sections=("Installing the libraries" "For C++ users" "For C users")
fi
work=${KP_README_WORK:-$(mktemp -d)}
[ -n "${KP_README_WORK:-}" ] || trap 'rm -rf "$work"' EXIT
rm -rf "$work"
mkdir -p "$work/src" "$work/prefix"

if git -C "$source" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$source" && git ls-files -z --cached --others --exclude-standard |
     tar --null --ignore-failed-read -cf - -T - 2>/dev/null) | tar -xf - -C "$work/src"
else
  tar -C "$source" --exclude=./build --exclude=./node/node_modules --exclude=.git -cf - . |
    tar -xf - -C "$work/src"
fi
[ ! -e "$work/src/build" ] && [ ! -e "$work/src/node/node_modules" ]

# The README's blocks, the prefix made ours.
document=${KP_README_FILE:-README.md}
/usr/bin/python3 - "$work/src/$document" "$work/prefix" "${sections[@]}" >"$work/readme.sh" <<'PY'
import re, sys
readme, prefix = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
sections = sys.argv[3:]
print("set -euxo pipefail")
print(f'sudo() {{  # only "sudo apt-get install ./X.deb ...": unpacked into {prefix}/../root\n'
      '  [ "$1 $2" = "apt-get install" ] || { echo "sudo $*: not run by this test"; return 1; }\n'
      '  shift 2\n'
      f'  for deb in "$@"; do dpkg-deb -x "$deb" {prefix}/../root && echo "unpacked $(basename "$deb")"; done\n'
      '}')
found = set()
for part in re.split(r"^###? ", readme, flags=re.M)[1:]:
    title = part.split("\n", 1)[0].strip()
    if title not in sections:
        continue
    for block in re.findall(r"^```sh\n(.*?)^```$", part, re.S | re.M):
        found.add(title)
        print(f"# --- {title}")
        print(block.replace("/opt/kinesis-producer", prefix))
missing = [s for s in sections if s not in found]
if missing:
    sys.exit(f"{sys.argv[1]} has no sh block under: {', '.join(missing)}")
PY

# kinesis-sim for the programs the README runs; the stream they name.
AWS_ENDPOINT_URL_KINESIS=$("$(dirname "$0")/../create_stream.sh" my-stream)
export AWS_ENDPOINT_URL_KINESIS
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=example-secret
# A compiler cache when there is one (the default of CMAKE_<LANG>_COMPILER_LAUNCHER).
# Temporary build folders (pip's) inside the work folder, and paths relative to it, so that
# the cache sees the same compiler commands every run.
if command -v ccache >/dev/null; then
  export CMAKE_C_COMPILER_LAUNCHER=ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache
  export CCACHE_BASEDIR=$work TMPDIR=$work/tmp
  mkdir -p "$TMPDIR"
fi

start=$SECONDS
rc=0
(cd "$work/src" && nice -n 5 bash "$work/readme.sh") >"$work/output.log" 2>&1 || rc=$?
if [ "$rc" -ne 0 ]; then
  echo "the README's commands failed (exit $rc); the end of what they printed:"
  tail -40 "$work/output.log"
  exit 1
fi
grep '^+ ' "$work/output.log" | sed 's/^/ran: /'
echo "with python3 = $(command -v python3) ($(python3 --version 2>&1)), cmake $(cmake --version | head -1)"
# pip builds in the tree it is given: it must leave nothing there.
left=$(cd "$work/src" && ls -d python/build python/*.egg-info 2>/dev/null || true)
[ -z "$left" ] || { echo "left in the source tree: $left"; exit 1; }
runs=$(grep -cx -- "$expected_line" "$work/output.log" || true)
[ "$runs" = "$expected_runs" ] || { echo "expected $expected_runs lines '$expected_line'; got $runs"; tail -20 "$work/output.log"; exit 1; }
echo "$document's sections (${sections[*]}) ran in $((SECONDS - start)) s: $runs lines '$expected_line'"
echo "1 passed, 0 failed"
