"""Puts records into a Kinesis data stream from Python and waits for every result.

    PYTHONPATH=build/release/python python3 examples/python/put.py STREAM [COUNT]

Region, endpoint and credentials come from the environment (AWS_REGION,
AWS_ENDPOINT_URL_KINESIS, AWS_ACCESS_KEY_ID, profiles, ...). Exits 0 when every record was
written.
"""

import asyncio
import json
import sys

from kinesis_producer import Producer, RecordFailedError


async def put_some(producer, n):
    # The asyncio form: each await gives that record's result.
    results = await asyncio.gather(
        *(producer.put_async(json.dumps({"async": i}), partition_key=f"a-{i}") for i in range(n)))
    return sum(r.success for r in results)


def main():
    stream = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    with Producer(stream=stream, RecordMaxBufferedTime=50) as producer:
        futures = [producer.put(json.dumps({"event": i}).encode(), partition_key=f"user-{i % 97}")
                   for i in range(count)]
        producer.flush(timeout=60)
        written = failed = 0
        for future in futures:
            try:
                future.result()
                written += 1
            except RecordFailedError as e:
                failed += 1
                print(f"failed: {e.result.error_code}: {e.result.error_message}", file=sys.stderr)
        written += asyncio.run(put_some(producer, 10))
        puts = producer.metrics()["totals"].get("UserRecordsPut", {}).get("sum")
        print(f"{written} written, {failed} failed (UserRecordsPut {puts})")
    sys.exit(0 if written == count + 10 else 1)


if __name__ == "__main__":
    main()
