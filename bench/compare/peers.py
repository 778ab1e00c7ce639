"""The peers of bench/compare: how to start each one on a workload, and how to read its figures.

Every peer prints (or, for kinesis-put, writes) its own figures: acked, failed, retries,
throttled, wall_s, records_per_s, MB_per_s, p50_ms, p99_ms. The harness adds CPU, peak RSS
and the sim's CPU around the process.
"""
import glob
import json
import os
import sys
import time

_PEERS_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'peers')
sys.path.insert(0, _PEERS_DIR)
from keys import key_chooser  # noqa: E402  (peers/keys.py)


class Peer:
    name = ''
    paces = True  # takes --rate (a fixed offered load)

    def unavailable(self):
        """Why this peer cannot run here, or None."""
        return None

    def command(self, endpoint, spec, workdir):
        raise NotImplementedError

    def environment(self):
        """Variables the peer's process needs besides the harness's."""
        return {}

    def parse(self, stdout, workdir):
        return json.loads(stdout.strip().splitlines()[-1])


def _common_flags(endpoint, spec):
    return ['--endpoint', endpoint, '--stream', 'bench', '--records', str(spec['records']),
            '--size', str(spec['size']), '--keys', spec['keys'], '--rate', str(spec['rate'])]


class ProgramPeer(Peer):
    """A peer that is a program of the build tree."""
    program = ''  # its path in the build tree

    def __init__(self, build):
        self.binary = os.path.join(build, self.program)

    def unavailable(self):
        if not os.access(self.binary, os.X_OK):
            return f'{self.binary} is not built yet'
        return None


class ProducerPeer(ProgramPeer):
    """Our producer through the C++ API (bench/producer/producer_benchmark.cc)."""
    name = 'kinesis-producer'
    program = 'bench/producer_benchmark'

    def command(self, endpoint, spec, workdir):
        # With the sim's limits on, the producer's own limiter runs at its default (150%).
        flags = ['--threads', str(spec.get('threads', 1)), '--output', 'json']
        if spec.get('limits'):
            flags += ['--rate-limit', '150']
        return [self.binary] + _common_flags(endpoint, spec) + flags


class KinesisPutPeer(ProgramPeer):
    """The kinesis-put command-line tool: JSON lines in a file, one record each.

    The input file is written before the timed process starts: each line a JSON document of
    exactly the workload's record size, {"k": KEY, "d": "xx..."}, with the keys of every other
    peer (the same pool, peers/keys.py), sent with `--format jsonl
    --partition-key-field k` (the data sent is the line as written). It takes no offered rate:
    it has throughput figures only. Credentials come from the environment (see measure() in
    run). Its --summary-json fields: records_succeeded, records_failed, retries, throttled,
    duration_seconds (docs/kinesis-put.md).
    """
    name = 'kinesis-put'
    program = 'tools/kinesis-put/kinesis-put'
    paces = False

    def command(self, endpoint, spec, workdir):
        self.size = spec['size']
        key_of = key_chooser(spec['keys'])
        # Written in chunks: a whole file held in this process would count in the peak RSS
        # of every child forked after it.
        with open(os.path.join(workdir, 'input'), 'w') as f:
            chunk = []
            for i in range(spec['records']):
                key = key_of(i)
                pad = max(0, spec['size'] - len(key) - len('{"k":"","d":""}'))
                chunk.append('{"k":"%s","d":"%s"}\n' % (key, 'x' * pad))
                if len(chunk) == 4096:
                    f.write(''.join(chunk))
                    chunk = []
            f.write(''.join(chunk))
        self.started = time.monotonic()
        # As for our producer: its limiter off when the sim's limits are off.
        rate_limit = [] if spec.get('limits') else ['--rate-limit', '1000000']
        return [self.binary, '--stream', 'bench', '--endpoint', endpoint, '--region',
                'us-east-1', '--summary-json', os.path.join(workdir, 'summary.json'),
                '--format', 'jsonl', '--partition-key-field', 'k',
                '--quiet'] + rate_limit + [os.path.join(workdir, 'input')]

    def parse(self, stdout, workdir):
        process_wall = time.monotonic() - self.started
        summary = json.load(open(os.path.join(workdir, 'summary.json')))
        acked = summary['records_succeeded']
        wall = summary.get('duration_seconds') or process_wall
        return {'acked': acked, 'failed': summary['records_failed'],
                'retries': summary.get('retries', 0), 'throttled': summary.get('throttled', 0),
                'wall_s': wall, 'process_wall_s': process_wall, 'records_per_s': acked / wall,
                'MB_per_s': acked * self.size / wall / 1e6, 'p50_ms': None, 'p99_ms': None}


class NodeSdkPeer(Peer):
    name = 'node-sdk'

    def __init__(self, root):
        self.root = root

    def unavailable(self):
        if not os.path.isdir(os.path.join(self.root, 'node/node_modules/@aws-sdk/client-kinesis')):
            return 'node/node_modules is not installed (scripts/setup)'
        return None

    def command(self, endpoint, spec, workdir):
        return ['node', os.path.join(_PEERS_DIR, 'node_sdk_peer.js')] + \
            _common_flags(endpoint, spec)


class Boto3Peer(Peer):
    name = 'boto3'

    def unavailable(self):
        if not os.path.isdir('/usr/lib/python3/dist-packages/boto3'):
            return "Debian's python3-boto3 is not installed (scripts/setup)"
        return None

    def command(self, endpoint, spec, workdir):
        return ['/usr/bin/python3', os.path.join(_PEERS_DIR, 'boto3_peer.py')] + \
            _common_flags(endpoint, spec)


class PythonPeer(Peer):
    """Our Python package from the build tree (peers/python_peer.py), with Producer.put (a
    future per record) or Producer.put_many (a future per batch of up to 500)."""

    def __init__(self, build, api):
        self.build = build
        self.api = api
        self.name = {'put': 'python-put', 'put_many': 'python-put_many'}[api]

    def unavailable(self):
        if not glob.glob(os.path.join(self.build, 'python/kinesis_producer/_native*.so')):
            return f'{self.build}/python/kinesis_producer is not built yet (kp_python_native)'
        return None

    def environment(self):
        return {'PYTHONPATH': os.path.join(self.build, 'python')}

    def command(self, endpoint, spec, workdir):
        # As for our C++ peer: the limiter off when the sim's limits are off, else its default.
        rate_limit = ['--rate-limit', '150'] if spec.get('limits') else []
        return ['/usr/bin/python3', os.path.join(_PEERS_DIR, 'python_peer.py'), '--api',
                self.api] + _common_flags(endpoint, spec) + rate_limit


def make_peers(build, root):
    return [ProducerPeer(build), KinesisPutPeer(build), NodeSdkPeer(root), Boto3Peer(),
            PythonPeer(build, 'put'), PythonPeer(build, 'put_many')]
