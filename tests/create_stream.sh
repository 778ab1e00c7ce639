#!/usr/bin/env bash
# Creates a stream on the kinesis-sim of the CTest fixture (its port in $KP_BACKEND_DIR) and
# prints its endpoint URL. An existing stream of that name is kept.
#   create_stream.sh NAME [SHARDS]        (default 2 shards)
set -euo pipefail
name=${1:?usage: create_stream.sh NAME [SHARDS]}
port=$(cat "$KP_BACKEND_DIR/kinesis_sim.port")
curl -s -o /dev/null -X POST "http://127.0.0.1:$port/" \
  -H "X-Amz-Target: Kinesis_20131202.CreateStream" \
  -H "Content-Type: application/x-amz-json-1.1" -H "X-Amz-Date: 20260101T000000Z" \
  -H "Authorization: AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host, Signature=00" \
  -d "{\"StreamName\":\"$name\",\"ShardCount\":${2:-2}}" || true
echo "http://127.0.0.1:$port"
