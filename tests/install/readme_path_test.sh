#!/usr/bin/env bash
# The README's install and usage paths, verbatim, as a new user follows them: in a clean copy
# of the sources (the files git tracks, or would: no build folder, no node_modules), runs every
# ```sh block of the sections "Installing the libraries", "For C++ users" and "For C users", in
# order, in one shell from the copy's root. The one change: the install prefix
# /opt/kinesis-producer becomes a folder of the test's. The programs run as written
# (AWS_REGION=us-east-1 ... my-stream 1000) against the kinesis-sim of the CTest fixture: the
# environment points AWS_ENDPOINT_URL_KINESIS at it and gives it fake credentials.
#   readme_path_test.sh SOURCE_DIR
#   (environment: KP_README_WORK, the folder to work in, emptied first; KP_BACKEND_DIR)
set -euo pipefail
source=$(cd "${1:?usage: readme_path_test.sh SOURCE_DIR}" && pwd)
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
/usr/bin/python3 - "$work/src/README.md" "$work/prefix" >"$work/readme.sh" <<'PY'
import re, sys
readme, prefix = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
sections = ["Installing the libraries", "For C++ users", "For C users"]
print("set -euxo pipefail")
found = set()
for part in re.split(r"^## ", readme, flags=re.M)[1:]:
    title = part.split("\n", 1)[0].strip()
    if title not in sections:
        continue
    for block in re.findall(r"^```sh\n(.*?)^```$", part, re.S | re.M):
        found.add(title)
        print(f"# --- {title}")
        print(block.replace("/opt/kinesis-producer", prefix))
missing = [s for s in sections if s not in found]
if missing:
    sys.exit(f"README.md has no sh block under: {', '.join(missing)}")
PY

# kinesis-sim for the programs the README runs; the stream they name.
port=$(cat "$KP_BACKEND_DIR/kinesis_sim.port")
curl -s -o /dev/null -X POST "http://127.0.0.1:$port/" \
  -H "X-Amz-Target: Kinesis_20131202.CreateStream" \
  -H "Content-Type: application/x-amz-json-1.1" -H "X-Amz-Date: 20260101T000000Z" \
  -H "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=00" \
  -d '{"StreamName":"my-stream","ShardCount":2}' || true
export AWS_ENDPOINT_URL_KINESIS="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=example-secret
# A compiler cache when there is one (the default of CMAKE_<LANG>_COMPILER_LAUNCHER).
if command -v ccache >/dev/null; then
  export CMAKE_C_COMPILER_LAUNCHER=ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache
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
runs=$(grep -cx '1000 written, 0 failed' "$work/output.log" || true)
[ "$runs" = 2 ] || { echo "expected the C and the C++ program to print '1000 written, 0 failed'; got $runs"; tail -20 "$work/output.log"; exit 1; }
echo "the README's C and C++ paths ran in $((SECONDS - start)) s: both programs wrote 1000 records"
echo "1 passed, 0 failed"
