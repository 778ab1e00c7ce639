"""The workloads of bench/compare: what every peer sends, and to what sim.

Each workload: record size, key distribution (see producer_benchmark.cc: random = 65,536
random keys, hot:N = N keys, skew = a third of the records on one key), the stream's shard
count and whether the sim enforces the per-shard limits; `throughput` sends as fast as the
peer can, `latency` offers a fixed load (records/s) below every peer's maximum, where put to
acknowledgement latency means something.
"""

# Records per run in full mode; quick divides by 10, smoke sends a few hundred.
_FULL = [
    dict(name='100B-random', description='100-byte records, random keys, 64 shards',
         size=100, keys='random', shards=64, limits=False, records=500000,
         latency_rate=20000, latency_records=100000),
    dict(name='1KB-hot1000', description='1 KB records, 1,000 hot keys, 64 shards',
         size=1024, keys='hot:1000', shards=64, limits=False, records=200000,
         latency_rate=10000, latency_records=50000),
    dict(name='10KB-random', description='10 KB records, random keys, 64 shards',
         size=10240, keys='random', shards=64, limits=False, records=30000,
         latency_rate=2000, latency_records=10000),
    dict(name='100B-skew-limits', description='100-byte records, one key carries a third of '
         'the records, 16 shards, per-shard limits on (1 MiB/s, 1000 records/s)',
         size=100, keys='skew', shards=16, limits=True, records=60000,
         latency_rate=0, latency_records=0),
]


def workloads(mode):
    out = []
    for w in _FULL:
        records, latency_records = w['records'], w['latency_records']
        if mode == 'quick':
            records, latency_records = records // 10, latency_records // 10
        elif mode == 'smoke':
            records, latency_records = 600, 0
        entry = {k: w[k] for k in ('name', 'description', 'size', 'keys', 'shards', 'limits')}
        entry['throughput'] = {'records': records, 'rate': 0}
        if latency_records:
            entry['latency'] = {'records': latency_records, 'rate': w['latency_rate']}
        entry['pause'] = 1.5 if w['limits'] else 0.2
        out.append(entry)
    return out


def scaling(mode):
    """Our producer alone: 100-byte records, random keys, as fast as it goes."""
    records = {'full': 1000000, 'quick': 200000}.get(mode, 2000)
    return {
        'description': '100-byte records, random keys; shards with 1 putting thread, threads '
                       'with 64 shards',
        'spec': {'records': records, 'size': 100, 'keys': 'random', 'rate': 0},
        'shards': [1, 4, 16, 64, 256, 1024] if mode == 'full' else [1, 64, 1024],
        'thread_shards': 64,
        'threads': [1, 2, 4, 8] if mode == 'full' else [1, 4],
        # CPU per record against record size: each size moves about the same data (at least
        # 2,000 records), random keys, 64 shards, 1 putting thread.
        'sizes': ([100, 300, 1024, 3072, 10240, 30720, 102400] if mode == 'full'
                  else [100, 10240, 102400]),
        'size_bytes': {'full': 400 * 10**6, 'quick': 100 * 10**6}.get(mode, 10**6),
    }
