"""What the Python peers of bench/compare share: their common flags, the record data, the
latency percentiles and the line of figures they print."""
import argparse
import json
import random
import sys


def parser(description):
    """An argument parser with the flags every peer takes (bench/compare/peers.py passes them):
    --endpoint, --stream, --records, --size, --keys, --rate."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument('--endpoint', required=True)
    p.add_argument('--stream', required=True)
    p.add_argument('--records', type=int, required=True)
    p.add_argument('--size', type=int, required=True)
    p.add_argument('--keys', default='random')
    p.add_argument('--rate', type=float, default=0)
    return p


def record_data(size):
    """The data of every record: `size` random lowercase letters."""
    return bytes(random.choice(b'abcdefghijklmnopqrstuvwxyz') for _ in range(size))


def percentile(values, q):
    return values[min(len(values) - 1, int(q * len(values)))] if values else 0.0


def print_figures(args, acked, failed, retries, throttled, wall, latencies, **extra):
    """Prints the JSON object the harness reads; `latencies` (seconds) are sorted here."""
    latencies.sort()
    figures = {
        'records': args.records, 'size': args.size, 'keys': args.keys, 'rate': args.rate,
        **extra, 'acked': acked, 'failed': failed, 'retries': retries, 'throttled': throttled,
        'wall_s': wall, 'records_per_s': acked / wall, 'MB_per_s': acked * args.size / wall / 1e6,
        'p50_ms': percentile(latencies, 0.5) * 1e3, 'p99_ms': percentile(latencies, 0.99) * 1e3,
    }
    json.dump(figures, sys.stdout)
    print()
