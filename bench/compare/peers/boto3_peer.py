#!/usr/bin/python3
"""The bench/compare peer for Python users: Debian's boto3, written as a careful user would.

- Records are collected into PutRecords requests of at most 500 records and 5 MiB, sent when
  full or 100 ms after the first record went in (the KPL's RecordMaxBufferedTime).
- A thread pool of --threads workers sends them on one client (boto3 clients are thread-safe;
  its connection pool is sized to the pool); at most 2 x --threads requests are queued, so
  memory stays bounded and the caller waits when the workers are behind.
- botocore retries whole-request failures (its standard mode); the failed entries of an
  answer are sent again, alone, after an exponential backoff with full jitter (100 ms base,
  5 s cap), up to --max-attempts tries, then counted as lost.
- No aggregation: boto3 has none, and the KPL aggregation modules for Python are not packaged
  by Debian.

  /usr/bin/python3 boto3_peer.py --endpoint URL --stream S --records N --size B
      [--keys random|hot:N|skew] [--rate R] [--threads T] [--max-attempts A]

Prints one JSON object: acked, failed (lost), retries, throttled, wall_s, records_per_s,
MB_per_s, p50_ms, p99_ms (put to acknowledgement per record).
"""
import concurrent.futures
import os
import random
import sys
import threading
import time

import boto3
from botocore.config import Config

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import peer_common  # noqa: E402  (beside this script)
from keys import key_chooser  # noqa: E402

MAX_REQUEST_RECORDS = 500
MAX_REQUEST_BYTES = 5 * 1024 * 1024
LINGER_S = 0.1


class Sender:
    """Sends batches from a thread pool and settles every record exactly once."""

    def __init__(self, client, stream, threads, max_attempts, put_times):
        self.client = client
        self.stream = stream
        self.max_attempts = max_attempts
        self.put_times = put_times
        self.latencies = []
        self.lock = threading.Lock()
        self.acked = self.failed = self.retries = self.throttled = 0
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=threads)
        self.slots = threading.BoundedSemaphore(2 * threads)

    def submit(self, indices, entries):
        self.slots.acquire()
        future = self.pool.submit(self._send, indices, entries)
        future.add_done_callback(lambda f: (self.slots.release(), f.result()))

    def _send(self, indices, entries):
        for attempt in range(1, self.max_attempts + 1):
            try:
                answer = self.client.put_records(StreamName=self.stream, Records=entries)
                results = answer['Records']
            except Exception:  # whole request failed after botocore's own retries
                results = [{'ErrorCode': 'RequestFailed'}] * len(entries)
            now = time.monotonic()
            again_i, again_e, done = [], [], []
            throttled = 0
            for i, entry, result in zip(indices, entries, results):
                if 'ErrorCode' not in result:
                    done.append(now - self.put_times[i])
                    continue
                if result['ErrorCode'] == 'ProvisionedThroughputExceededException':
                    throttled += 1
                again_i.append(i)
                again_e.append(entry)
            with self.lock:
                self.acked += len(done)
                self.latencies.extend(done)
                self.throttled += throttled
                if again_i and attempt < self.max_attempts:
                    self.retries += len(again_i)
            if not again_i:
                return
            indices, entries = again_i, again_e
            if attempt < self.max_attempts:
                time.sleep(random.uniform(0, min(5.0, 0.1 * 2 ** (attempt - 1))))
        with self.lock:
            self.failed += len(indices)

    def close(self):
        self.pool.shutdown(wait=True)


def main():
    parser = peer_common.parser(__doc__)
    parser.add_argument('--threads', type=int, default=8)
    parser.add_argument('--max-attempts', type=int, default=10)
    args = parser.parse_args()

    os.environ['AWS_EC2_METADATA_DISABLED'] = 'true'
    client = boto3.session.Session().client(
        'kinesis', region_name='us-east-1', endpoint_url=args.endpoint,
        aws_access_key_id='AKIDBENCHMARK', aws_secret_access_key='benchmark-secret',
        config=Config(max_pool_connections=args.threads,
                      retries={'mode': 'standard', 'max_attempts': 3}))
    key_of = key_chooser(args.keys)
    data = peer_common.record_data(args.size)
    put_times = [0.0] * args.records
    sender = Sender(client, args.stream, args.threads, args.max_attempts, put_times)

    indices, entries, batch_bytes, oldest = [], [], 0, 0.0

    def flush():
        nonlocal indices, entries, batch_bytes
        if indices:
            sender.submit(indices, entries)
            indices, entries, batch_bytes = [], [], 0

    t0 = time.monotonic()
    for i in range(args.records):
        if args.rate > 0:
            due = t0 + i / args.rate
            now = time.monotonic()
            if due > now:
                if indices and now - oldest >= LINGER_S:
                    flush()
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
        key = key_of(i)
        size = len(data) + len(key)
        if len(indices) == MAX_REQUEST_RECORDS or batch_bytes + size > MAX_REQUEST_BYTES:
            flush()
        now = time.monotonic()
        if not indices:
            oldest = now
        put_times[i] = now
        indices.append(i)
        entries.append({'Data': data, 'PartitionKey': key})
        batch_bytes += size
        if now - oldest >= LINGER_S:
            flush()
    flush()
    sender.close()
    wall = time.monotonic() - t0
    peer_common.print_figures(args, sender.acked, sender.failed, sender.retries, sender.throttled,
                              wall, sender.latencies, threads=args.threads)


if __name__ == '__main__':
    main()
