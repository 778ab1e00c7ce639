#!/usr/bin/python3
"""Runs the AWS KPL's Java library (tests/kpl/java, KplCheck) against a kinesis-sim of its own
over HTTPS, with the sim's per-shard limits on and faults injected, and exits with its verdict.
Exits 77 (CTest's skip code) with a message when Java or the KPL jars are not installed.

  run_kpl_java.py --build BUILD --sim KINESIS_SIM [--native PROGRAM] [--records N] --label NAME

Without --native the KPL starts the binary bundled in its jar (extracted into a folder of the
build tree: its TempDirectory); with it, that program (the KPL's NativeExecutable setting).
The run's folder (sim certificates, the KPL's pipes and extracted binary) is removed at the end.
"""
import argparse
import os
import shutil
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kpl_java  # noqa: E402  (beside this script)

STREAMS = [('kpl_four', 4), ('kpl_two', 2), ('kpl_one', 1)]
# Per-record throttling and failures, whole-request 503s, answers lost after the write (the
# KPL sends those records again: duplicates), connection resets before it, and latency.
FAULTS = ('seed=17,record_throttle_rate=0.02,record_internal_failure_rate=0.01,'
          'error_rate=0.02,error_status=503,reset_after_rate=0.01,reset_before_rate=0.01,'
          'latency_ms=1,latency_jitter_ms=10')


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--build', required=True)
    parser.add_argument('--sim', required=True)
    parser.add_argument('--native')
    parser.add_argument('--records', type=int, default=24000)
    parser.add_argument('--label', required=True)
    args = parser.parse_args()

    reason = kpl_java.missing()
    if reason:
        print(f'SKIP {args.label}: {reason}')
        return kpl_java.SKIP
    if args.native and not os.access(args.native, os.X_OK):
        print(f'{args.label}: --native {args.native} is not an executable program')
        return 1
    classpath = kpl_java.compile_classes(args.build)
    workdir = os.path.join(os.path.abspath(args.build), 'tests', 'kpl', 'run-' + args.label)
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(os.path.join(workdir, 'kpl-temp'))
    sim_args = ['--limits', 'on', '--fault', FAULTS]
    for name, shards in STREAMS:
        sim_args += ['--stream', f'{name}:{shards}']
    sim = kpl_java.TlsSim(args.sim, workdir, sim_args)
    try:
        command = kpl_java.java_command(classpath, 'kp.kpl.KplCheck', [
            '--port', str(sim.port), '--sts-port', str(sim.sts_port), '--ca-dir', sim.dir,
            '--temp-dir', os.path.join(workdir, 'kpl-temp'),
            '--streams', ','.join(name for name, _ in STREAMS),
            '--records', str(args.records), '--label', args.label] +
            (['--native', os.path.abspath(args.native)] if args.native else []),
            tmpdir=os.path.join(workdir, 'kpl-temp'))
        print(' '.join(command), flush=True)
        rc = kpl_java.run_java(command, 240, args.label)
    finally:
        sim.stop()
    if rc != 0:
        print(f'{args.label}: kinesis-sim log (last lines):')
        print(open(sim.log_path).read()[-3000:])
    shutil.rmtree(workdir, ignore_errors=True)
    return rc


if __name__ == '__main__':
    sys.exit(main())
