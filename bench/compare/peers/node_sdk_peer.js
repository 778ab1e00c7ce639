// The bench/compare peer for Node.js users: how one produces today with the AWS SDK for
// JavaScript v3 (@aws-sdk/client-kinesis) and the official aggregation module (aws-kinesis-agg),
// written as a careful user would:
//   - user records are packed by aws-kinesis-agg's RecordAggregator into KPL-format aggregates
//     of at most 50 KB (the KPL's AggregationMaxSize; the module's own cap is 1 MB, which would
//     put all of a request's data on one shard);
//   - aggregates are collected into PutRecords requests of at most 500 records and 5 MiB, sent
//     when full or 100 ms after the first record went in (the KPL's RecordMaxBufferedTime);
//   - up to --inflight requests in flight on keep-alive HTTP/1.1 connections;
//   - the SDK retries whole-request failures (its standard strategy); failed entries of a
//     PutRecords answer are sent again, alone, after an exponential backoff with full jitter
//     (100 ms base, 5 s cap), up to --max-attempts tries, then counted as lost.
//
//   node node_sdk_peer.js --endpoint URL --stream S --records N --size B
//       [--keys random|hot:N|skew] [--rate R] [--inflight K] [--max-attempts A]
//
// Prints one JSON object: acked, failed (lost), retries (entries sent again), throttled
// (entries answered ProvisionedThroughputExceededException), wall_s (first put to last
// answer), records_per_s, MB_per_s, p50_ms/p99_ms (put to acknowledgement per user record).
'use strict';
const path = require('path');
const nodeModules = path.join(__dirname, '..', '..', '..', 'node', 'node_modules');
const { KinesisClient, PutRecordsCommand } =
    require(path.join(nodeModules, '@aws-sdk/client-kinesis'));
const { NodeHttpHandler } = require(path.join(nodeModules, '@smithy/node-http-handler'));
const agg = require(path.join(nodeModules, 'aws-kinesis-agg'));
const http = require('http');

const kMaxRequestRecords = 500;
const kMaxRequestBytes = 5 * 1024 * 1024;
const kMaxAggregateBytes = 50 * 1024;
const kLingerMs = 100;

function parseArgs(argv) {
  const args = { keys: 'random', rate: 0, inflight: 8, maxAttempts: 10 };
  for (let i = 2; i + 1 < argv.length; i += 2) {
    const name = argv[i].replace(/^--/, '').replace(/-(.)/g, (_, c) => c.toUpperCase());
    args[name] = argv[i + 1];
  }
  for (const k of ['records', 'size', 'rate', 'inflight', 'maxAttempts']) args[k] = Number(args[k]);
  if (!args.endpoint || !args.stream || !(args.records > 0) || !(args.size > 0)) {
    console.error('usage: node_sdk_peer.js --endpoint URL --stream S --records N --size B ' +
                  '[--keys random|hot:N|skew] [--rate R] [--inflight K] [--max-attempts A]');
    process.exit(2);
  }
  return args;
}

// The key pool of every bench/compare peer: 32 random lowercase characters; record i takes
// pool[i % pool.length]; skew: every third record has the key "hot-key".
function keyChooser(spec) {
  let size = 65536;
  if (spec.startsWith('hot:')) size = Number(spec.slice(4));
  let seed = 11n;
  const next = () => {  // splitmix64: deterministic, no dependency
    seed = (seed + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
    let z = seed;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
    return z ^ (z >> 31n);
  };
  const pool = [];
  for (let i = 0; i < size; i++) {
    let k = '';
    for (let j = 0; j < 32; j++) k += String.fromCharCode(97 + Number(next() % 26n));
    pool.push(k);
  }
  if (spec === 'skew') return (i) => (i % 3 === 0 ? 'hot-key' : pool[i % size]);
  return (i) => pool[i % size];
}

function percentile(sorted, q) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
  const args = parseArgs(process.argv);
  const client = new KinesisClient({
    region: 'us-east-1',
    endpoint: args.endpoint,
    credentials: { accessKeyId: 'AKIDBENCHMARK', secretAccessKey: 'benchmark-secret' },
    requestHandler: new NodeHttpHandler({
      httpAgent: new http.Agent({ keepAlive: true, maxSockets: args.inflight }),
    }),
  });
  const keyOf = keyChooser(args.keys);
  const data = Buffer.alloc(args.size);
  for (let i = 0; i < args.size; i++) data[i] = 97 + Math.floor(Math.random() * 26);

  const putNs = new Float64Array(args.records);
  const latencyMs = new Float64Array(args.records);
  let acked = 0, failed = 0, retries = 0, throttled = 0, settled = 0;
  const now = () => performance.now();

  // An entry is one aggregate: its PutRecords entry and the user records inside it.
  let aggregator = new agg.RecordAggregator();
  let members = [];
  let batch = [], batchBytes = 0;
  let pendingSince = -1;  // when the oldest user record not yet in a request was put
  let inflight = 0;
  let slotFree = null;  // resolves when a request finishes

  const settle = (entry, ok) => {
    const t = now();
    for (const i of entry.members) {
      if (ok) { acked++; latencyMs[i] = t - putNs[i]; } else { failed++; }
    }
    settled += entry.members.length;
  };

  async function send(entries, attempt) {
    inflight++;
    let answer = null;
    try {
      answer = await client.send(new PutRecordsCommand({
        StreamName: args.stream, Records: entries.map((e) => e.record) }));
    } catch (err) {
      answer = { error: err };
    }
    inflight--;
    if (slotFree) { const f = slotFree; slotFree = null; f(); }
    const again = [];
    if (answer.error) {
      again.push(...entries);
    } else {
      answer.Records.forEach((r, i) => {
        if (!r.ErrorCode) { settle(entries[i], true); return; }
        if (r.ErrorCode === 'ProvisionedThroughputExceededException') throttled++;
        again.push(entries[i]);
      });
    }
    if (again.length === 0) return;
    if (attempt >= args.maxAttempts) { for (const e of again) settle(e, false); return; }
    retries += again.length;
    await sleep(Math.random() * Math.min(5000, 100 * 2 ** (attempt - 1)));
    await waitForSlot();
    send(again, attempt + 1);
  }

  async function waitForSlot() {
    while (inflight >= args.inflight) await new Promise((resolve) => { slotFree = resolve; });
  }

  function closeAggregate() {
    if (members.length === 0) return;
    const encoded = aggregator.build();
    const record = { Data: encoded.data, PartitionKey: encoded.partitionKey };
    const bytes = encoded.data.length + encoded.partitionKey.length;
    if (batch.length === kMaxRequestRecords || batchBytes + bytes > kMaxRequestBytes) sendBatch();
    batch.push({ record, members });
    batchBytes += bytes;
    members = [];
  }

  function sendBatch() {
    if (batch.length === 0) return;
    const entries = batch;
    batch = []; batchBytes = 0;
    send(entries, 1);
  }

  function lingerDone() {
    if (pendingSince < 0 || now() - pendingSince < kLingerMs) return false;
    closeAggregate();
    sendBatch();
    pendingSince = -1;
    return true;
  }

  const t0 = now();
  for (let i = 0; i < args.records; i++) {
    if (args.rate > 0) {
      const due = t0 + (i / args.rate) * 1000;
      if (due > now()) {
        lingerDone();
        await sleep(due - now());
      }
    }
    const record = { partitionKey: keyOf(i), data };
    if (!aggregator.checkIfUserRecordFits(record) ||
        aggregator.totalBytes + aggregator.calculateUserRecordSize(record) > kMaxAggregateBytes) {
      closeAggregate();
    }
    putNs[i] = now();
    if (pendingSince < 0) pendingSince = putNs[i];
    aggregator.addUserRecord(record);
    members.push(i);
    lingerDone();
    if (inflight >= args.inflight) await waitForSlot();
  }
  closeAggregate();
  sendBatch();
  while (settled < args.records) await sleep(1);
  const wallS = (now() - t0) / 1000;
  // Lost records have no latency (0): they sort first and are cut off.
  const sorted = latencyMs.slice().sort().subarray(args.records - acked);
  console.log(JSON.stringify({
    records: args.records, size: args.size, keys: args.keys, rate: args.rate,
    inflight: args.inflight, acked, failed, retries, throttled, wall_s: wallS,
    records_per_s: acked / wallS, MB_per_s: acked * args.size / wallS / 1e6,
    p50_ms: percentile(sorted, 0.5), p99_ms: percentile(sorted, 0.99),
  }));
  client.destroy();
}

main().catch((err) => { console.error(err); process.exit(1); });
