"""Draws bench/compare's results as PNG files (Debian's python3-matplotlib, no display).

  compare.png    per workload and peer: records/s, CPU s per million records, peak RSS,
                 p50/p99 latency at the fixed offered load; bars are medians, whiskers min-max
  throttling.png the skewed workload with per-shard limits: records acknowledged and lost,
                 retries, throttled attempts, and how long each peer took
  scaling.png    our producer: records/s and CPU s per million records against shard count and
                 against putting threads, and CPU per record against record size
"""
import json
import os

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402

COLORS = {'kinesis-producer': '#1f77b4', 'kinesis-put': '#17becf', 'node-sdk': '#2ca02c',
          'boto3': '#ff7f0e', 'python-put': '#9467bd', 'python-put_many': '#c5b0d5',
          'kpl-java-bundled': '#8c564b', 'kpl-java-our-daemon': '#e377c2'}


def _peers(report):
    names = []
    for w in report['workloads']:
        for name, result in w['peers'].items():
            if 'throughput' in result and name not in names:
                names.append(name)
    return names


def _bars(ax, report, kind, figure, title, log=False):
    workloads = report['workloads']
    peers = _peers(report)
    width = 0.8 / max(len(peers), 1)
    for j, peer in enumerate(peers):
        xs, ys, lo, hi = [], [], [], []
        for i, w in enumerate(workloads):
            result = w['peers'].get(peer, {}).get(kind)
            if not result or result['median'].get(figure) is None:
                continue
            xs.append(i + (j - (len(peers) - 1) / 2) * width)
            ys.append(result['median'][figure])
            lo.append(result['median'][figure] - result['min'][figure])
            hi.append(result['max'][figure] - result['median'][figure])
        ax.bar(xs, ys, width, yerr=[lo, hi], capsize=2, label=peer, color=COLORS.get(peer))
    ax.set_xticks(range(len(workloads)))
    ax.set_xticklabels([w['name'] for w in workloads], fontsize=8)
    ax.set_title(title, fontsize=10)
    if log:
        ax.set_yscale('log')
    ax.grid(axis='y', alpha=0.3)


def _footer(fig, report):
    m = report['machine']
    fig.text(0.01, 0.005, f'{report["date"]}  {m["nproc"]} CPUs, {m["cpu"]}, kernel {m["kernel"]}, '
             f'load {" ".join(m["load_average_at_start"])}; median of {report["runs_per_figure"]} '
             f'runs, whiskers min-max; {report["command"]}', fontsize=7, color='#555555')


def draw_compare(report, out_dir):
    fig, axes = plt.subplots(3, 2, figsize=(13, 12))
    _bars(axes[0][0], report, 'throughput', 'records_per_s', 'records/s acknowledged (log)',
          log=True)
    _bars(axes[0][1], report, 'throughput', 'MB_per_s', 'MB/s acknowledged (log)', log=True)
    _bars(axes[1][0], report, 'throughput', 'cpu_s_per_M',
          'CPU seconds per million records, producer process (log)', log=True)
    _bars(axes[1][1], report, 'throughput', 'peak_rss_MB', 'peak resident memory, MB')
    _bars(axes[2][0], report, 'latency', 'p50_ms', 'latency p50 at a fixed offered load, ms')
    _bars(axes[2][1], report, 'latency', 'p99_ms', 'latency p99 at a fixed offered load, ms')
    axes[0][0].legend(fontsize=8)
    fig.suptitle('kinesis-producer against what users use today (kinesis-sim, 127.0.0.1)')
    _footer(fig, report)
    fig.tight_layout(rect=(0, 0.02, 1, 0.97))
    fig.savefig(os.path.join(out_dir, 'compare.png'), dpi=80)
    plt.close(fig)


def draw_throttling(report, out_dir):
    limited = [w for w in report['workloads'] if w.get('limits')]
    if not limited:
        return
    w = limited[0]
    peers = [p for p in _peers(report) if 'throughput' in w['peers'].get(p, {})]
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
    counts = ['acked', 'failed', 'retries', 'throttled']
    width = 0.8 / len(counts)
    for k, figure in enumerate(counts):
        ys = [w['peers'][p]['throughput']['median'][figure] for p in peers]
        axes[0].bar([i + (k - 1.5) * width for i in range(len(peers))], ys, width,
                    label={'failed': 'lost'}.get(figure, figure))
    axes[0].set_xticks(range(len(peers)))
    axes[0].set_xticklabels(peers, fontsize=8, rotation=15, ha='right')
    axes[0].set_yscale('symlog')
    axes[0].set_ylim(0, w['throughput']['records'] * 3)
    axes[0].legend(fontsize=8)
    axes[0].set_title(f'{w["throughput"]["records"]} records sent: what happened to them',
                      fontsize=10)
    for i, p in enumerate(peers):
        m = w['peers'][p]['throughput']['median']
        axes[1].bar(i - 0.2, m['wall_s'], 0.4, color=COLORS.get(p))
        axes[1].bar(i + 0.2, m['p99_ms'] / 1e3 if m.get('p99_ms') else 0, 0.4, color=COLORS.get(p),
                    alpha=0.5)
    axes[1].set_xticks(range(len(peers)))
    axes[1].set_xticklabels(peers, fontsize=8, rotation=15, ha='right')
    axes[1].set_title('seconds: whole run (solid), p99 put-to-acknowledgement (light)',
                      fontsize=10)
    fig.suptitle(f'{w["name"]}: {w["description"]}', fontsize=10)
    _footer(fig, report)
    fig.tight_layout(rect=(0, 0.04, 1, 0.95))
    fig.savefig(os.path.join(out_dir, 'throttling.png'), dpi=80)
    plt.close(fig)


def _curve(ax, points, x, figure, label):
    xs = [p[x] for p in points]
    ys = [p['median'][figure] for p in points]
    lo = [p['median'][figure] - p['min'][figure] for p in points]
    hi = [p['max'][figure] - p['median'][figure] for p in points]
    ax.errorbar(xs, ys, yerr=[lo, hi], marker='o', capsize=3, label=label)


def draw_scaling(report, out_dir):
    scaling = report.get('scaling')
    if not scaling:
        return
    sizes = scaling.get('sizes') or []
    fig, axes = plt.subplots(1, 3 if sizes else 2, figsize=(19 if sizes else 13, 4.5))
    for ax, x, points in ((axes[0], 'shards', scaling['shards']),
                          (axes[1], 'threads', scaling['threads'])):
        _curve(ax, points, x, 'records_per_s', 'records/s')
        ax.set_xlabel(x if x == 'shards' else 'putting threads')
        ax.set_ylabel('records/s acknowledged')
        ax.set_ylim(bottom=0)
        cpu = ax.twinx()
        _curve(cpu, points, x, 'cpu_s_per_M', 'CPU s per M records')
        cpu.get_lines()[0].set_color('#d62728')
        cpu.set_ylabel('CPU s per million records', color='#d62728')
        cpu.set_ylim(bottom=0)
        if x == 'shards':
            ax.set_xscale('log', base=2)
        ax.grid(alpha=0.3)
    axes[0].set_title('against shard count (1 putting thread)', fontsize=10)
    axes[1].set_title(f'against putting threads ({scaling.get("thread_shards", 64)} shards)',
                      fontsize=10)
    if sizes:
        ax = axes[2]
        _curve(ax, sizes, 'size', 'cpu_s_per_M', 'CPU us per record')
        ax.set_xscale('log')
        ax.set_yscale('log')
        ax.set_xlabel('record size, bytes')
        ax.set_ylabel('CPU us per record (= CPU s per million)')
        ax.grid(alpha=0.3, which='both')
        ax.set_title(f'CPU against record size ({scaling.get("thread_shards", 64)} shards, '
                     '1 thread)', fontsize=10)
    fig.suptitle('kinesis-producer scaling: ' + scaling['description'], fontsize=10)
    _footer(fig, report)
    fig.tight_layout(rect=(0, 0.04, 1, 0.95))
    fig.savefig(os.path.join(out_dir, 'scaling.png'), dpi=80)
    plt.close(fig)


def draw(results_json, out_dir):
    report = json.load(open(results_json))
    draw_compare(report, out_dir)
    draw_throttling(report, out_dir)
    draw_scaling(report, out_dir)
    print(f'wrote {out_dir}/compare.png, throttling.png, scaling.png')
