// The demo's verdict: compares the click-stream sent with what read-stream.js read back
// (deaggregated by aws-kinesis-agg), and prints what kinesis-put's summary says happened.
//   node demo-check.js INPUT_JSONL READBACK_JSONL SUMMARY_JSON TITLE
// Exits 1 when a record is missing, altered, or under another partition key than its user_id.
'use strict';
const fs = require('fs');

const [inputFile, readFile, summaryFile, title] = process.argv.slice(2);
const lines = fs.readFileSync(inputFile, 'utf8').split('\n').filter((l) => l.length);
const read = fs.readFileSync(readFile, 'utf8').split('\n').filter((l) => l.length).map((l) => JSON.parse(l));
const summary = JSON.parse(fs.readFileSync(summaryFile, 'utf8'));

const seen = new Map();  // line -> times read back
let wrongKey = 0;
for (const r of read) {
  const text = Buffer.from(r.data, 'hex').toString('utf8');
  seen.set(text, (seen.get(text) || 0) + 1);
  let user;
  try { user = JSON.parse(text).user_id; } catch (e) { user = undefined; }
  if (user !== r.partitionKey) wrongKey++;
}
const sent = new Set(lines);
let missing = 0;
for (const l of lines) if (!seen.has(l)) missing++;
const unique = seen.size;
const duplicates = read.length - unique;
const extra = [...seen.keys()].filter((k) => !sent.has(k)).length;
const fmt = (n) => Number(n).toLocaleString('en-US');
const rows = [
  ['records sent (kinesis-put succeeded)', fmt(summary.records_succeeded)],
  ['records read back and deaggregated', `${fmt(read.length)} (${fmt(unique)} distinct, ${fmt(duplicates)} duplicates)`],
  ['missing', fmt(missing)],
  ['read back but never sent (altered)', fmt(extra)],
  ['under the wrong partition key', fmt(wrongKey)],
  ['Kinesis records (aggregation ratio)', `${fmt(summary.kinesis_records)} (${(summary.records_succeeded / Math.max(1, summary.kinesis_records)).toFixed(1)} user records each)`],
  ['PutRecords requests', fmt(summary.requests)],
  ['throttled Kinesis records absorbed', fmt(summary.throttled)],
  ['failed requests retried (5xx, resets)', fmt(summary.failed_requests)],
  ['user-record retries', fmt(summary.retries)],
  ['answers lost, as the producer saw them', `${fmt(summary.possible_duplicates)} records`],
  ['records/s (kinesis-put, end to end)', fmt(Math.round(summary.records_per_second))],
];
console.log(`\n${title}`);
for (const [k, v] of rows) console.log(`  ${k.padEnd(40)} ${v}`);
const ok = missing === 0 && wrongKey === 0 && unique === lines.length &&
  summary.records_failed === 0 && summary.exit_status === 0 && extra === 0;
console.log(ok ? '  verdict: every record arrived, intact, under its user id'
  : '  verdict: MISMATCH');
process.exit(ok ? 0 : 1);
