#!/usr/bin/python3
"""The bench/compare peer for our Python package (kinesis_producer, from the build tree: the
harness sets PYTHONPATH to <build>/python), written as a user would.

- --api put: Producer.put for each record (a concurrent.futures.Future each, kept and read after
  flush); every 8th record's future gets a done callback that notes when its result came, for
  the latency percentiles (a callback per record would cost the throughput figure about a
  third: each is a Python function object made and called).
- --api put_many: the records due are handed over in one Producer.put_many call (at most 500,
  as boto3's PutRecords batches), one future per call, a done callback on each.
- One putting thread; the engine aggregates, collects, signs and sends on its own threads.
  Default settings except RateLimit (unlimited when the sim's limits are off, --rate-limit
  when given) and MaxConnections 8, as the C++ peer.

  /usr/bin/python3 python_peer.py --endpoint URL --stream S --records N --size B
      [--keys random|hot:N|skew] [--rate R] [--api put|put_many] [--rate-limit PERCENT]

Prints one JSON object: acked, failed (lost), retries, throttled, wall_s, records_per_s,
MB_per_s, p50_ms, p99_ms (put to result per record).
"""
import os
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import peer_common  # noqa: E402  (beside this script)
from keys import key_chooser  # noqa: E402

from kinesis_producer import Producer  # noqa: E402  (PYTHONPATH=<build>/python)

BATCH = 500
LATENCY_SAMPLE = 8  # --api put: every 8th record's latency is noted


def wait_until(moment):
    wait = moment - time.monotonic()
    if wait > 0:
        time.sleep(wait)


def put_each(producer, args, key_of, data, latencies, t0):
    """Producer.put per record; returns the futures."""
    futures = []
    for i in range(args.records):
        if args.rate > 0:
            wait_until(t0 + i / args.rate)
        if i % LATENCY_SAMPLE:
            futures.append(producer.put(data, key_of(i)))
            continue
        start = time.monotonic()
        future = producer.put(data, key_of(i))
        future.add_done_callback(
            lambda f, start=start: latencies.append(time.monotonic() - start))
        futures.append(future)
    return futures


def put_batches(producer, args, key_of, data, latencies, t0):
    """Producer.put_many of up to BATCH records (at a fixed rate: those due, at least one);
    returns the futures."""
    futures = []
    i = 0
    while i < args.records:
        end = min(i + BATCH, args.records)
        if args.rate > 0:
            wait_until(t0 + i / args.rate)
            end = min(end, max(i + 1, int((time.monotonic() - t0) * args.rate) + 1))
        start = time.monotonic()
        future = producer.put_many([(data, key_of(j)) for j in range(i, end)])
        future.add_done_callback(
            lambda f, start=start, n=end - i: latencies.extend([time.monotonic() - start] * n))
        futures.append(future)
        i = end
    return futures


def main():
    parser = peer_common.parser(__doc__)
    parser.add_argument('--api', choices=('put', 'put_many'), default='put')
    parser.add_argument('--rate-limit', type=int, default=1000000)
    args = parser.parse_args()

    os.environ['AWS_EC2_METADATA_DISABLED'] = 'true'
    key_of = key_chooser(args.keys)
    data = peer_common.record_data(args.size)
    latencies = []  # appended by the producer's completion thread

    # Over HTTPS, the sim's test CA (the harness's KP_BENCH_CA_FILE). Protocol=cbor: what the
    # producer speaks to AWS's own endpoints by default (Protocol=auto); the sim is not one.
    tls = {'CaCertFile': os.environ['KP_BENCH_CA_FILE']} if 'KP_BENCH_CA_FILE' in os.environ else {}
    producer = Producer(stream=args.stream, region='us-east-1', endpoint=args.endpoint,
                        AwsAccessKeyId='AKIDBENCHMARK', AwsSecretKey='benchmark-secret',
                        RateLimit=args.rate_limit, MaxConnections=8, Protocol='cbor', **tls)
    t0 = time.monotonic()
    if args.api == 'put':
        futures = put_each(producer, args, key_of, data, latencies, t0)
    else:
        futures = put_batches(producer, args, key_of, data, latencies, t0)
    producer.flush()
    wall = time.monotonic() - t0
    if args.api == 'put':
        # A failed record's future raises RecordFailedError, whose .result is its PutResult.
        results = [f.exception().result if f.exception() else f.result() for f in futures]
    else:
        results = [r for f in futures for r in f.result()]
    acked = sum(1 for r in results if r.success)
    retries = sum(max(0, r.attempts - 1) for r in results)
    totals = producer.metrics(window=120)['totals']
    throttled = totals.get('ThrottledRecords', {}).get('sum', 0)
    producer.close()
    peer_common.print_figures(args, acked, len(results) - acked, retries, throttled, wall,
                              latencies, api=args.api)


if __name__ == '__main__':
    main()
