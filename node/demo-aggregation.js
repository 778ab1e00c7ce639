// The format demo: puts aggregates built by our C++ encoder into a local Kinesis server
// (kinesalite) with the AWS SDK for JavaScript, reads everything back, deaggregates it with the
// official aws-kinesis-agg module, and checks that every user record came back, in the shard
// its partition key hashes to.
//
//   node demo-aggregation.js PORT AGGREGATE_TOOL RECORDS WORKDIR
'use strict';
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const {
  KinesisClient, CreateStreamCommand, DescribeStreamSummaryCommand, ListShardsCommand,
  PutRecordsCommand, GetShardIteratorCommand, GetRecordsCommand,
} = require('@aws-sdk/client-kinesis');
const { NodeHttpHandler } = require('@smithy/node-http-handler');
const agg = require('aws-kinesis-agg');

const [port, tool, records, workdir] = process.argv.slice(2);
const stream = 'demo-clicks';
const client = new KinesisClient({
  endpoint: `http://127.0.0.1:${port}`,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDDEMO', secretAccessKey: 'demo-secret' },
  requestHandler: new NodeHttpHandler({ keepAlive: true }),
  maxAttempts: 1,
});

function md5Hash(key) {
  return BigInt('0x' + crypto.createHash('md5').update(key, 'utf8').digest('hex'));
}

async function main() {
  await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 4 }));
  for (;;) {
    const d = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
    if (d.StreamDescriptionSummary.StreamStatus === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const shards = (await client.send(new ListShardsCommand({ StreamName: stream }))).Shards;
  const shardsFile = path.join(workdir, 'shards.txt');
  fs.writeFileSync(shardsFile, shards.map((s) =>
    `${s.ShardId} ${s.HashKeyRange.StartingHashKey} ${s.HashKeyRange.EndingHashKey}\n`).join(''));
  console.log(`stream ${stream}: ${shards.length} shards`);

  const aggregatesFile = path.join(workdir, 'aggregates.txt');
  process.stdout.write(execFileSync(tool, [shardsFile, records, aggregatesFile]));
  const aggregates = fs.readFileSync(aggregatesFile, 'utf8').trim().split('\n').map((line) => {
    const [shardId, hashKey, count, hex] = line.split(' ');
    return { shardId, hashKey, count: Number(count), data: Buffer.from(hex, 'hex') };
  });

  // PutRecords in batches under kinesalite's request-size limit.
  let requests = 0;
  let sentUserRecords = 0;
  for (let i = 0; i < aggregates.length;) {
    const batch = [];
    let bytes = 0;
    while (i < aggregates.length && batch.length < 500 && bytes + aggregates[i].data.length < 4 * 1024 * 1024) {
      bytes += aggregates[i].data.length;
      batch.push(aggregates[i++]);
    }
    const answer = await client.send(new PutRecordsCommand({
      StreamName: stream,
      Records: batch.map((a) => ({ Data: a.data, PartitionKey: 'a', ExplicitHashKey: a.hashKey })),
    }));
    requests++;
    if (answer.FailedRecordCount) throw new Error(`${answer.FailedRecordCount} records failed`);
    answer.Records.forEach((r, j) => {
      if (r.ShardId !== batch[j].shardId) {
        throw new Error(`aggregate for ${batch[j].shardId} landed in ${r.ShardId}`);
      }
      sentUserRecords += batch[j].count;
    });
  }
  console.log(`put ${aggregates.length} Kinesis records holding ${sentUserRecords} user records ` +
              `in ${requests} PutRecords requests`);

  // Read every shard back and deaggregate with the official module, checksums on.
  let readUserRecords = 0;
  let readKinesisRecords = 0;
  for (const shard of shards) {
    const first = BigInt(shard.HashKeyRange.StartingHashKey);
    const last = BigInt(shard.HashKeyRange.EndingHashKey);
    let iterator = (await client.send(new GetShardIteratorCommand({
      StreamName: stream, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON',
    }))).ShardIterator;
    let perShard = 0;
    for (;;) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      for (const r of page.Records) {
        readKinesisRecords++;
        const input = { partitionKey: r.PartitionKey, data: Buffer.from(r.Data).toString('base64') };
        agg.deaggregateSync(input, true, (err, users) => {
          if (err) throw err;
          for (const u of users) {
            const h = md5Hash(u.partitionKey);
            if (h < first || h > last) throw new Error(`${u.partitionKey} is not in ${shard.ShardId}`);
            const event = JSON.parse(Buffer.from(u.data, 'base64').toString('utf8'));
            if (event.user !== u.partitionKey) throw new Error('data does not match its key');
          }
          perShard += users.length;
        });
      }
      if (page.Records.length === 0 || !page.NextShardIterator) break;
      iterator = page.NextShardIterator;
    }
    readUserRecords += perShard;
    console.log(`  ${shard.ShardId}: ${perShard} user records, all hashing into the shard`);
  }
  console.log(`read back ${readKinesisRecords} Kinesis records = ${readUserRecords} user records ` +
              `(deaggregated by aws-kinesis-agg with checksums)`);
  if (readUserRecords !== Number(records) || sentUserRecords !== Number(records)) {
    throw new Error(`expected ${records} user records, read ${readUserRecords}`);
  }
  console.log('every record came back, in its shard.');
}

main().catch((e) => { console.error('demo failed: ' + (e.stack || e)); process.exit(1); });
