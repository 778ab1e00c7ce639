#!/usr/bin/python3
"""Runs `bench/compare/run --smoke` and checks its JSON: every workload has every peer's
figures, and every run of every peer had each record it sent acknowledged (none lost).
kinesis-put may be skipped only while its program is not built, the Python peers only while the
package is not (no pybind11, or a sanitizer tree), the KPL's Java peers only while Java or the
KPL's jars are missing (and kpl-java-our-daemon while kinesis-kpl-daemon is not built). No
timing is asserted.

  /usr/bin/python3 tests/compare/compare_smoke_test.py --build BUILD_DIR
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PEERS = ['kinesis-producer', 'kinesis-put', 'node-sdk', 'boto3', 'python-put', 'python-put_many',
         'kpl-java-bundled', 'kpl-java-our-daemon']
FIGURES = ['records_per_s', 'MB_per_s', 'cpu_s_per_M', 'peak_rss_MB', 'sim_cpu_s_per_M',
           'acked', 'failed', 'retries']


def check(report, build):
    failures = []
    if report.get('scheme') != 'https':
        failures.append(f"the peers ran over {report.get('scheme')}, not HTTPS (the default)")
    optional = {
        'kinesis-put': os.access(os.path.join(build, 'tools/kinesis-put/kinesis-put'), os.X_OK),
        'python-put': bool(glob.glob(os.path.join(build, 'python/kinesis_producer/_native*.so'))),
    }
    optional['python-put_many'] = optional['python-put']
    # The KPL's Java peers: while Java or the KPL's jars are missing (scripts/setup installs
    # them), and ours while kinesis-kpl-daemon is not built.
    sys.path.insert(0, os.path.join(ROOT, 'tests', 'kpl'))
    import kpl_java  # noqa: E402  (tests/kpl/kpl_java.py)
    optional['kpl-java-bundled'] = kpl_java.missing() is None
    optional['kpl-java-our-daemon'] = optional['kpl-java-bundled'] and os.access(
        os.path.join(build, 'tools/kinesis-kpl-daemon/kinesis-kpl-daemon'), os.X_OK)
    for key in ('nproc', 'cpu', 'kernel'):
        if not report['machine'].get(key):
            failures.append(f'machine.{key} missing')
    if len(report['workloads']) != 4:
        failures.append(f'{len(report["workloads"])} workloads, expected 4')
    for w in report['workloads']:
        for peer in PEERS:
            result = w['peers'].get(peer)
            where = f'{w["name"]}/{peer}'
            if result is None:
                failures.append(f'{where}: no result')
                continue
            if 'skipped' in result:
                if optional.get(peer, True):
                    failures.append(f'{where}: skipped ({result["skipped"]})')
                continue
            if 'error' in result:
                failures.append(f'{where}: {result["error"][:500]}')
                continue
            median = result['throughput']['median']
            failures += [f'{where}: no {f}' for f in FIGURES if f not in median]
            for run in result['throughput']['runs']:
                if run['acked'] != run['records_sent'] or run['failed'] != 0:
                    failures.append(f'{where}: acked {run["acked"]} of {run["records_sent"]}, '
                                    f'failed {run["failed"]}')
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--build', required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix='kp-compare-smoke-') as tmp:
        out = os.path.join(tmp, 'compare.json')
        subprocess.run(['/usr/bin/python3', os.path.join(ROOT, 'bench/compare/run'), '--smoke',
                        '--build', args.build, '--out', out], check=True)
        report = json.load(open(out))
    failures = check(report, args.build)
    for f in failures:
        print('FAIL', f)
    print(f'{0 if failures else 1} passed, {1 if failures else 0} failed')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
