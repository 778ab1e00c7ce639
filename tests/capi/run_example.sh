#!/usr/bin/env bash
# Runs an example program (examples/c/put.c, examples/python/put.py) against the kinesis-sim of
# the CTest fixture: creates a stream, then runs the program as a user would, configured from
# the environment, as `PROGRAM [ARGS...] STREAM COUNT`, and checks the line it ends with.
#   run_example.sh [--count N] [--expect LINE] PROGRAM [ARGS...]
#   (defaults: 2000 records; LINE "<N> written, 0 failed")
set -euo pipefail
count=2000
expect=
while [[ $# -gt 0 ]]; do
  case $1 in
    --count) count=$2; shift 2 ;;
    --expect) expect=$2; shift 2 ;;
    *) break ;;
  esac
done
[[ $# -ge 1 ]] || { echo "usage: run_example.sh [--count N] [--expect LINE] PROGRAM [ARGS...]"; exit 2; }
expect=${expect:-"$count written, 0 failed"}
port=$(cat "$KP_BACKEND_DIR/kinesis_sim.port")
stream="example-$$"
curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/" \
  -H "X-Amz-Target: Kinesis_20131202.CreateStream" \
  -H "Content-Type: application/x-amz-json-1.1" -H "X-Amz-Date: 20260101T000000Z" \
  -H "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=00" \
  -d "{\"StreamName\":\"$stream\",\"ShardCount\":2}"
export AWS_REGION=us-east-1 AWS_ENDPOINT_URL_KINESIS="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=example-secret
output=$("$@" "$stream" "$count")
echo "$output"
grep -qx "$expect" <<<"$output"
echo "1 passed, 0 failed"
