// Reads every record of a stream back with the AWS SDK for JavaScript and deaggregates it with
// the official aws-kinesis-agg module (checksums on): code we did not write, checking ours.
//
//   node read-stream.js ENDPOINT_URL STREAM OUT_FILE
//
// OUT_FILE gets one JSON object per user record:
//   {"shardId", "sequenceNumber", "subSequenceNumber", "partitionKey", "explicitHashKey"?,
//    "aggregated", "data" (hex)}
'use strict';
const fs = require('fs');
const {
  ListShardsCommand, GetShardIteratorCommand, GetRecordsCommand,
} = require('@aws-sdk/client-kinesis');
const { localClient } = require('./kinesis-client');
const agg = require('aws-kinesis-agg');

async function readStream(endpoint, stream) {
  const client = localClient(endpoint);
  const shards = [];
  let token;
  do {
    const page = await client.send(new ListShardsCommand(token ? { NextToken: token } : { StreamName: stream }));
    shards.push(...page.Shards);
    token = page.NextToken;
  } while (token);
  const out = [];
  for (const shard of shards) {
    let iterator = (await client.send(new GetShardIteratorCommand({
      StreamName: stream, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON',
    }))).ShardIterator;
    for (;;) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      for (const r of page.Records) {
        const input = { partitionKey: r.PartitionKey, data: Buffer.from(r.Data).toString('base64') };
        agg.deaggregateSync(input, true, (err, users) => {
          if (err) throw new Error(`record ${r.SequenceNumber} of ${shard.ShardId}: ${err}`);
          for (const u of users) {
            out.push({
              shardId: shard.ShardId,
              sequenceNumber: r.SequenceNumber,
              subSequenceNumber: u.subSequenceNumber === undefined ? 0 : u.subSequenceNumber,
              aggregated: u.subSequenceNumber !== undefined,
              partitionKey: u.partitionKey,
              data: Buffer.from(u.data, 'base64').toString('hex'),
            });
          }
        });
      }
      if (page.Records.length === 0 || !page.NextShardIterator) break;
      iterator = page.NextShardIterator;
    }
  }
  client.destroy();
  return out;
}

module.exports = { readStream };

if (require.main === module) {
  const [endpoint, stream, outFile] = process.argv.slice(2);
  readStream(endpoint, stream).then((records) => {
    fs.writeFileSync(outFile, records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : ''));
  }).catch((e) => { console.error('read-stream failed: ' + (e.stack || e)); process.exit(1); });
}
