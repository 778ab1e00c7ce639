// The official aggregation module (aws-kinesis-agg, npm) on the other side of our tests.
//
//   node agg_peer.js deaggregate IN OUT
//     IN: one JSON object per line {"partitionKey", "data" (hex)}: Kinesis records.
//     OUT: one JSON object per line, per input record: {"error": "..."} or
//          {"records": [{"partitionKey", "explicitHashKey"?, "subSequenceNumber", "data" (hex)}]}
//     Uses deaggregateSync with checksums on.
//
//   node agg_peer.js aggregate SEED COUNT OUT
//     Makes COUNT random user records (Unicode keys, some explicit hash keys, empty and large
//     data), aggregates them with the module's aggregator, and writes
//     {"inputs": [{"partitionKey", "explicitHashKey"?, "data"}], "aggregates": [{"partitionKey",
//      "explicitHashKey"?, "data"}]} (data in hex).
'use strict';
const fs = require('fs');
const path = require('path');
const agg = require(path.join(__dirname, '../../node/node_modules/aws-kinesis-agg'));

function deaggregate(inFile, outFile) {
  const lines = fs.readFileSync(inFile, 'utf8').split('\n').filter((l) => l.length > 0);
  const out = [];
  for (const line of lines) {
    const r = JSON.parse(line);
    const record = { partitionKey: r.partitionKey, data: Buffer.from(r.data, 'hex').toString('base64') };
    agg.deaggregateSync(record, true, (err, userRecords) => {
      if (err) {
        out.push(JSON.stringify({ error: String(err.message || err) }));
        return;
      }
      out.push(JSON.stringify({
        records: userRecords.map((u) => ({
          partitionKey: u.partitionKey,
          explicitHashKey: u.explicitPartitionKey,
          subSequenceNumber: u.subSequenceNumber,
          data: Buffer.from(u.data, 'base64').toString('hex'),
        })),
      }));
    });
  }
  fs.writeFileSync(outFile, out.join('\n') + '\n');
}

// A small seeded generator (mulberry32), so a failing run can be repeated.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function aggregate(seed, count, outFile) {
  const random = rng(seed);
  const pieces = ['a', 'Z', '-', 'é', '€', '😀', '中', 'q'];
  const inputs = [];
  for (let i = 0; i < count; i++) {
    // Keys start with a letter: the module keeps its key table in a plain object, whose
    // integer-like keys JavaScript would reorder.
    let key = 'k';
    const n = 1 + Math.floor(random() * 30);
    for (let j = 0; j < n; j++) key += pieces[Math.floor(random() * pieces.length)];
    if (inputs.length > 0 && random() < 0.25) key = inputs[Math.floor(random() * inputs.length)].partitionKey;
    const size = i === 7 ? 300000 : Math.floor(random() * 400);
    const data = Buffer.alloc(size);
    for (let j = 0; j < size; j++) data[j] = Math.floor(random() * 256);
    const record = { partitionKey: key, data };
    if (random() < 0.3) record.explicitHashKey = String(Math.floor(random() * 1e15)) + '123456789012345';
    inputs.push(record);
  }
  const aggregates = [];
  const expected = inputs.map((r) => ({
    partitionKey: r.partitionKey,
    explicitHashKey: r.explicitHashKey,
    data: r.data.toString('hex'),
  }));
  agg.aggregate(inputs, (encoded, callback) => {
    aggregates.push({
      partitionKey: encoded.partitionKey,
      explicitHashKey: encoded.explicitHashKey,
      data: Buffer.from(encoded.data).toString('hex'),
    });
    callback();
  }, () => {
    fs.writeFileSync(outFile, JSON.stringify({ inputs: expected, aggregates }));
  }, (err) => {
    console.error('aggregation failed: ' + err);
    process.exit(1);
  });
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'deaggregate') deaggregate(args[0], args[1]);
else if (mode === 'aggregate') aggregate(Number(args[0]), Number(args[1]), args[2]);
else { console.error('usage: agg_peer.js deaggregate IN OUT | aggregate SEED COUNT OUT'); process.exit(2); }
