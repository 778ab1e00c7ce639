#!/usr/bin/env bash
# Runs the C example (examples/c/put.c) against the kinesis-sim of the CTest fixture: creates a
# stream, then runs the program as a user would, configured from the environment.
#   run_example.sh PROGRAM
set -euo pipefail
program=${1:?usage: run_example.sh PROGRAM}
port=$(cat "$KP_BACKEND_DIR/kinesis_sim.port")
stream="c-example-$$"
curl -sf -o /dev/null -X POST "http://127.0.0.1:$port/" \
  -H "X-Amz-Target: Kinesis_20131202.CreateStream" \
  -H "Content-Type: application/x-amz-json-1.1" -H "X-Amz-Date: 20260101T000000Z" \
  -H "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=00" \
  -d "{\"StreamName\":\"$stream\",\"ShardCount\":2}"
export AWS_REGION=us-east-1 AWS_ENDPOINT_URL_KINESIS="http://127.0.0.1:$port"
export AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=example-secret
output=$("$program" "$stream" 2000)
echo "$output"
grep -qx "2000 written, 0 failed" <<<"$output"
echo "1 passed, 0 failed"
