"""Records/s from Python: the kinesis_producer package against boto3 PutRecords batching, on the
same workload and the same kinesis-sim (storage and limits off). Run through bench/python/run.

    put_benchmark.py --endpoint URL --stream NAME [--records N] [--size B] [--threads T[,T...]]
                     [--which ours,ours-many,ours-noagg,boto3] [--rate-limit PERCENT]
                     [--rounds R] [--packages DIR[,DIR...]] [--switch-interval S[,S...]]
                     [--wait-every N --wait-us U]

ours: Producer.put, one future per record; ours-many: Producer.put_many, one future per 500
records; ours-noagg: put with AggregationEnabled=False; boto3: put_records batches of 500 on a
thread pool of --threads, failed entries re-sent. Each line: records/s from the first put to the
last result (every future resolved after flush; every PutRecords answered), and CPU seconds of
this process (all its threads, the engine's included) per million records.

Several thread counts, --rounds above 1 or --packages (folders holding a kinesis_producer
package, e.g. a build tree's python/ and a copy of an older one) run each case in a child
process, interleaved (round by round, then thread count, then package), so that load from
elsewhere on the machine falls on every case alike; the medians follow, with each package's
ratio to the first. --switch-interval sets sys.setswitchinterval in the process that puts (the
interval after which a thread waiting for the GIL makes the holder hand it over; Python's
default is 0.005); several values are compared like packages. --wait-every N makes each thread
of ours sleep --wait-us microseconds before every N-th put, as an application reading its input
from a socket or a file between batches (the GIL is released while it waits): the case where
more threads must give more records/s, until the CPU is used up.
"""

import argparse
import collections
import concurrent.futures
import os
import re
import statistics
import subprocess
import sys
import threading
import time

import boto3
import botocore.config

CREDENTIALS = dict(aws_access_key_id="AKIDBENCH", aws_secret_access_key="bench-secret")


def workload(n, size):
    payload = os.urandom(size // 2).hex().encode()[:size]
    return [(payload, f"key-{i:08d}-{i * 2654435761 % 4294967296:010d}") for i in range(n)]


def split(items, parts):
    step = (len(items) + parts - 1) // parts
    return [items[i:i + step] for i in range(0, len(items), step)]


def run_ours(args, records, aggregation, many=False):
    from kinesis_producer import Producer  # the package of PYTHONPATH (see --packages)

    with Producer(stream=args.stream, region="us-east-1", endpoint=args.endpoint,
                  AwsAccessKeyId=CREDENTIALS["aws_access_key_id"],
                  AwsSecretKey=CREDENTIALS["aws_secret_access_key"],
                  AggregationEnabled=aggregation, RateLimit=args.rate_limit,
                  MetricsLevel="none") as producer:

        parts = split(records, args.threads)
        threads_out = [None] * len(parts)
        put_cpu = [0.0] * len(parts)
        put_runnable = [0.0] * len(parts)  # seconds runnable but not running (schedstat)
        put_switches = [collections.Counter() for _ in parts]  # context switches by kind

        def thread_main(index):
            part = parts[index]
            if many:  # one future per batch of 500, as boto3 sends them
                threads_out[index] = [producer.put_many(part[i:i + 500])
                                      for i in range(0, len(part), 500)]
            elif args.wait_every:  # an application that waits for input between batches
                out = []
                pause = args.wait_us / 1e6
                for i, (data, key) in enumerate(part):
                    if i % args.wait_every == 0:
                        time.sleep(pause)  # releases the GIL, as reading a socket or file does
                    out.append(producer.put(data, key))
                threads_out[index] = out
            else:  # one future per record
                threads_out[index] = [producer.put(data, key) for data, key in part]
            put_cpu[index] = time.thread_time()
            put_runnable[index] = runnable_seconds("/proc/thread-self/schedstat")
            put_switches[index] = context_switches("/proc/thread-self/status")

        machine_at_start = machine_snapshot(args)
        start = time.perf_counter()
        threads = [threading.Thread(target=thread_main, args=(i,)) for i in range(len(parts))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert producer.flush(timeout=600)
        elapsed = time.perf_counter() - start
        if args.cpu_breakdown:
            print_cpu_breakdown(args, len(records), elapsed, sum(put_cpu), sum(put_runnable),
                                sum(put_switches, collections.Counter()),
                                producer._completer.native_id)
            print_machine_share(args, machine_at_start)
        futures = [f for out in threads_out for f in out]
        if many:
            failed = sum(f.result().failed for f in futures)
        else:
            failed = sum(1 for f in futures if not f.result().success)
    return elapsed, failed


def thread_cpu():
    """CPU seconds of each live thread of this process, by name (Python threads are python3)."""
    out = {}
    for tid in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{tid}/stat") as f:
            stat = f.read()
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        out[int(tid)] = (name, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))
    return out


def process_cpu(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def runnable_seconds(schedstat):
    """How long a thread waited on a run queue (ready to run, no core free), from schedstat."""
    with open(schedstat) as f:
        return int(f.read().split()[1]) / 1e9


def context_switches(status):
    """A thread's voluntary (it blocked: a Python thread waiting for the GIL, most of the time)
    and involuntary (preempted) context switches."""
    out = collections.Counter()
    with open(status) as f:
        for line in f:
            key, _, value = line.partition(":")
            if key == "voluntary_ctxt_switches":
                out["voluntary"] = int(value)
            elif key == "nonvoluntary_ctxt_switches":
                out["involuntary"] = int(value)
    return out


def print_cpu_breakdown(args, n, elapsed, put_cpu, put_runnable, put_switches, completer_tid):
    """µs of CPU per record by thread group (the putting threads, the completion thread, the
    engine's threads by name, kinesis-sim) and the share of wall time the Python threads ran:
    a Python thread burns CPU only while it holds the GIL or runs C++ with it released."""
    groups = collections.Counter({"put threads": put_cpu})
    for tid, (name, cpu) in thread_cpu().items():
        if tid == completer_tid:
            groups["completion thread"] += cpu
        elif tid != threading.get_native_id():
            groups[name] += cpu
    if args.sim_pid:
        groups["kinesis-sim (whole run)"] = process_cpu(args.sim_pid) - args.sim_cpu_at_start
    cells = "  ".join(f"{k} {v / n * 1e6:.2f}" for k, v in sorted(groups.items()))
    python = (put_cpu + groups["completion thread"]) / elapsed
    runnable = put_runnable + runnable_seconds(f"/proc/self/task/{completer_tid}/schedstat")
    switches = put_switches + context_switches(f"/proc/self/task/{completer_tid}/status")
    print(f"cpu us/record: {cells}  python threads busy {python:.2f} of wall, "
          f"runnable without a core {runnable / elapsed:.2f} of wall; their context switches "
          f"per ms: {switches['voluntary'] / elapsed / 1e3:.1f} voluntary (GIL waits), "
          f"{switches['involuntary'] / elapsed / 1e3:.1f} involuntary (preempted)", flush=True)


def machine_snapshot(args):
    """Busy and total jiffies of all cores (/proc/stat), this process's and the sim's CPU."""
    with open("/proc/stat") as f:
        jiffies = [int(x) for x in f.readline().split()[1:]]
    idle = jiffies[3] + jiffies[4]  # idle, iowait
    sim = process_cpu(args.sim_pid) if args.sim_pid else 0.0
    return sum(jiffies) - idle, sum(jiffies), time.process_time(), sim


def print_machine_share(args, at_start):
    """How busy the cores were during the run (in cores), and by whom: this process, the sim,
    the rest of the machine."""
    busy0, total0, ours0, sim0 = at_start
    busy1, total1, ours1, sim1 = machine_snapshot(args)
    seconds = (total1 - total0) / os.sysconf("SC_CLK_TCK") / os.cpu_count()
    busy = (busy1 - busy0) / (total1 - total0) * os.cpu_count()
    ours, sim = (ours1 - ours0) / seconds, (sim1 - sim0) / seconds
    print(f"cores busy {busy:.2f} of {os.cpu_count()}: this process {ours:.2f}, "
          f"kinesis-sim {sim:.2f}, others {busy - ours - sim:.2f}", flush=True)


def run_boto3(args, records):
    local = threading.local()
    config = botocore.config.Config(max_pool_connections=args.threads * 2,
                                    retries={"max_attempts": 1})

    def client():
        if not hasattr(local, "client"):
            local.client = boto3.session.Session().client(
                "kinesis", region_name="us-east-1", endpoint_url=args.endpoint, config=config,
                **CREDENTIALS)
        return local.client

    def send(batch):
        entries = [{"Data": data, "PartitionKey": key} for data, key in batch]
        while entries:
            answer = client().put_records(StreamName=args.stream, Records=entries)
            if not answer.get("FailedRecordCount"):
                return
            entries = [e for e, r in zip(entries, answer["Records"]) if "ErrorCode" in r]

    batches = [records[i:i + 500] for i in range(0, len(records), 500)]
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(args.threads) as pool:
        list(pool.map(send, batches))
    return time.perf_counter() - start, 0


def run_cases(args):
    """One thread count, one package (this process's): a line per --which."""
    records = workload(args.records, args.size)
    for which in args.which.split(","):
        cpu = time.process_time()
        if args.sim_pid:
            args.sim_cpu_at_start = process_cpu(args.sim_pid)
        if which == "ours":
            elapsed, failed = run_ours(args, records, aggregation=True)
        elif which == "ours-many":
            elapsed, failed = run_ours(args, records, aggregation=True, many=True)
        elif which == "ours-noagg":
            elapsed, failed = run_ours(args, records, aggregation=False)
        elif which == "boto3":
            elapsed, failed = run_boto3(args, records)
        else:
            raise SystemExit(f"unknown --which {which}")
        cpu = time.process_time() - cpu
        print(f"{which:11s} {args.records} x {args.size} B, {args.threads} threads: "
              f"{args.records / elapsed:10.0f} records/s  {elapsed:6.2f} s  "
              f"CPU {cpu / args.records * 1e6:5.1f} s/M records  failed {failed}", flush=True)


def run_interleaved(args):
    """Every (round, thread count, variant) in a child process; then the medians. A variant is
    a package folder, with a switch interval when --switch-interval lists some."""
    packages = args.packages.split(",") if args.packages else [os.environ.get("PYTHONPATH", "")]
    intervals = args.switch_interval.split(",") if args.switch_interval else [None]
    variants = [(package, interval) for package in packages for interval in intervals]
    label = {v: v[0] if v[1] is None else f"{v[0]} @{v[1]}s" for v in variants}
    rates = collections.defaultdict(list)  # (which, threads, variant) -> records/s
    line = re.compile(r"^(\S+)\s.*?(\d+) records/s")
    for round_ in range(args.rounds):
        for threads in args.threads.split(","):
            for variant in variants:
                package, interval = variant
                command = [sys.executable, os.path.abspath(__file__), "--endpoint", args.endpoint,
                           "--stream", args.stream, "--records", str(args.records), "--size",
                           str(args.size), "--threads", threads, "--which", args.which,
                           "--rate-limit", str(args.rate_limit)]
                if interval is not None:
                    command += ["--switch-interval", interval]
                if args.cpu_breakdown:
                    command += ["--cpu-breakdown"]
                if args.sim_pid:
                    command += ["--sim-pid", str(args.sim_pid)]
                if args.wait_every:
                    command += ["--wait-every", str(args.wait_every), "--wait-us",
                                str(args.wait_us)]
                out = subprocess.run(command, env=dict(os.environ, PYTHONPATH=package),
                                     check=True, capture_output=True, text=True).stdout
                for text in out.splitlines():
                    print(f"round {round_ + 1} {label[variant]}: {text}", flush=True)
                    m = line.match(text)
                    if m:
                        rates[(m.group(1), threads, variant)].append(float(m.group(2)))
    counts = args.threads.split(",")
    print(f"\nmedians of {args.rounds} rounds, records/s (ratio to {label[variants[0]]}; ratio "
          f"to {counts[0]} thread(s) with the same variant):")
    median = {key: statistics.median(values) for key, values in rates.items()}
    for which in args.which.split(","):
        for threads in counts:
            cells = []
            for variant in variants:
                rate = median[(which, threads, variant)]
                to_first = rate / median[(which, threads, variants[0])]
                to_fewest = rate / median[(which, counts[0], variant)]
                cells.append(f"{label[variant]} {rate:9.0f} ({to_first:.2f}x; {to_fewest:.2f}x)")
            print(f"{which:11s} {threads:>2s} threads: " + "  ".join(cells))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--stream", required=True)
    parser.add_argument("--records", type=int, default=200000)
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--threads", default="4")
    parser.add_argument("--which", default="ours,ours-many,ours-noagg,boto3")
    # Percent of a shard's limits our producer allows itself (the KPL's RateLimit); the sim
    # runs with limits off, and boto3 has no limiter.
    parser.add_argument("--rate-limit", type=int, default=1000000)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--packages")
    parser.add_argument("--switch-interval")
    parser.add_argument("--wait-every", type=int, default=0,
                        help="ours: before every N-th put a thread sleeps --wait-us, as an "
                             "application waiting for its input (the GIL released meanwhile)")
    parser.add_argument("--wait-us", type=int, default=1000)
    parser.add_argument("--cpu-breakdown", action="store_true",
                        help="ours: CPU per record by thread group (and kinesis-sim's with "
                             "--sim-pid)")
    parser.add_argument("--sim-pid", type=int)
    args = parser.parse_args()
    if args.packages or args.rounds > 1 or "," in args.threads or \
            "," in (args.switch_interval or ""):
        run_interleaved(args)
    else:
        args.threads = int(args.threads)
        if args.switch_interval:
            sys.setswitchinterval(float(args.switch_interval))
        run_cases(args)


if __name__ == "__main__":
    main()
