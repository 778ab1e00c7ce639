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
_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(_PEERS_DIR)))
sys.path.insert(0, os.path.join(_ROOT, 'tests', 'kpl'))
import kpl_java  # noqa: E402  (tests/kpl/kpl_java.py: the KPL's jars, javac, a sim over HTTPS)


class Peer:
    name = ''
    paces = True  # takes --rate (a fixed offered load)
    tls = False  # needs the sim over HTTPS (kpl_java.TlsSim: endpoint, sts_port, dir)

    def unavailable(self):
        """Why this peer cannot run here, or None."""
        return None

    def bind(self, sim):
        """The sim of the coming runs (the harness's Sim, or a kpl_java.TlsSim for tls peers)."""

    def command(self, endpoint, spec, workdir):
        raise NotImplementedError

    def environment(self):
        """Variables the peer's process needs besides the harness's."""
        return {}

    # Over HTTPS (the default of bench/compare/run), the sim's test CA, which every peer
    # verifies the sim's certificate against: in its command (ca_file, set by the harness
    # before command()) or in its environment (tls_environment).
    ca_file = None

    def tls_environment(self, ca_file):
        return {}

    def ca_settings(self):
        """--set CaCertFile=... for the programs of ours that take KPL settings, and
        Protocol=cbor: what they speak to AWS's own endpoints by default (Protocol=auto), which
        kinesis-sim on 127.0.0.1 is not."""
        tls = ['--set', f'CaCertFile={self.ca_file}'] if self.ca_file else []
        return tls + ['--set', 'Protocol=cbor']

    def parse(self, stdout, workdir):
        return json.loads(stdout.strip().splitlines()[-1])

    def finish(self, figures):
        """Adjusts the harness's figures of one run (CPU, peak RSS) where the peer knows more."""


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
        return [self.binary] + _common_flags(endpoint, spec) + flags + self.ca_settings()


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
                '--quiet'] + rate_limit + self.ca_settings() + [os.path.join(workdir, 'input')]

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

    def tls_environment(self, ca_file):
        return {'NODE_EXTRA_CA_CERTS': ca_file}

    def command(self, endpoint, spec, workdir):
        return ['node', os.path.join(_PEERS_DIR, 'node_sdk_peer.js')] + \
            _common_flags(endpoint, spec)


class Boto3Peer(Peer):
    name = 'boto3'

    def unavailable(self):
        if not os.path.isdir('/usr/lib/python3/dist-packages/boto3'):
            return "Debian's python3-boto3 is not installed (scripts/setup)"
        return None

    def tls_environment(self, ca_file):
        return {'AWS_CA_BUNDLE': ca_file}

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

    def tls_environment(self, ca_file):
        return {'KP_BENCH_CA_FILE': ca_file}  # python_peer.py: CaCertFile

    def command(self, endpoint, spec, workdir):
        # As for our C++ peer: the limiter off when the sim's limits are off, else its default.
        rate_limit = ['--rate-limit', '150'] if spec.get('limits') else []
        return ['/usr/bin/python3', os.path.join(_PEERS_DIR, 'python_peer.py'), '--api',
                self.api] + _common_flags(endpoint, spec) + rate_limit


class KplJavaPeer(Peer):
    """The AWS KPL's Java library (tests/kpl/java, KplPeer), 0.15.12 from Maven Central, with
    the native binary bundled in its jar or, with `daemon`, ours (kinesis-kpl-daemon, through
    the KPL's NativeExecutable setting). Over HTTPS: the KPL has no plain-HTTP setting.

    CPU: the harness's wait4() counts the Java process and the native child it reaped (the
    KPL's destroy() waits for it). Peak RSS: the two added, each read by the peer from /proc
    (VmHWM) just before destroy(); wait4() would give the larger of the two only.
    """
    paces = True
    tls = True

    def __init__(self, build, daemon):
        self.build = build
        self.daemon = os.path.join(build, 'tools/kinesis-kpl-daemon/kinesis-kpl-daemon') \
            if daemon else None
        self.name = 'kpl-java-our-daemon' if daemon else 'kpl-java-bundled'
        self.classpath = None

    def unavailable(self):
        reason = kpl_java.missing()
        if reason:
            return reason
        if self.daemon and not os.access(self.daemon, os.X_OK):
            return f'not built ({self.daemon})'
        return None

    def bind(self, sim):
        self.sim = sim

    def command(self, endpoint, spec, workdir):
        if self.classpath is None:
            self.classpath = kpl_java.compile_classes(self.build)
        key_of = key_chooser(spec['keys'])
        keys_file = os.path.join(workdir, 'keys')
        with open(keys_file, 'w') as f:
            for start in range(0, spec['records'], 4096):
                f.write(''.join(key_of(i) + '\n'
                                for i in range(start, min(start + 4096, spec['records']))))
        temp = os.path.join(workdir, 'kpl-temp')
        os.makedirs(temp)
        # As for our producer: the KPL's own limiter off when the sim's limits are off.
        rate_limit = '150' if spec.get('limits') else '1000000'
        args = ['--port', str(self.sim.port), '--sts-port', str(self.sim.sts_port), '--ca-dir',
                self.sim.dir, '--temp-dir', temp, '--stream', 'bench', '--records',
                str(spec['records']), '--size', str(spec['size']), '--keys-file', keys_file,
                '--rate', str(spec['rate']), '--rate-limit', rate_limit]
        if self.daemon:
            args += ['--native', self.daemon]
        return kpl_java.java_command(self.classpath, 'kp.kpl.KplPeer', args, tmpdir=temp)

    def finish(self, figures):
        figures['peak_rss_MB'] = figures['java_peak_rss_MB'] + figures['child_peak_rss_MB']


def make_peers(build, root):
    return [ProducerPeer(build), KinesisPutPeer(build), NodeSdkPeer(root), Boto3Peer(),
            PythonPeer(build, 'put'), PythonPeer(build, 'put_many'),
            KplJavaPeer(build, daemon=False), KplJavaPeer(build, daemon=True)]
