// Creates a stream and waits until it is ACTIVE (the demo's setup step).
//   node create-stream.js ENDPOINT_URL STREAM SHARDS
'use strict';
const { CreateStreamCommand, DescribeStreamSummaryCommand } = require('@aws-sdk/client-kinesis');
const { localClient } = require('./kinesis-client');

async function main(endpoint, stream, shards) {
  const client = localClient(endpoint);
  await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: shards }));
  for (let i = 0; i < 100; i++) {
    const d = await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }));
    if (d.StreamDescriptionSummary.StreamStatus === 'ACTIVE') { client.destroy(); return; }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`stream ${stream} did not become ACTIVE`);
}

const [endpoint, stream, shards] = process.argv.slice(2);
main(endpoint, stream, Number(shards)).catch((e) => {
  console.error('create-stream failed: ' + (e.stack || e));
  process.exit(1);
});
