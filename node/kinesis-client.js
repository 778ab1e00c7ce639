// A Kinesis client for the local servers: HTTP/1.1 keep-alive (kinesalite has no HTTP/2),
// fake static credentials, no retries (tests and the demo want to see every failure).
'use strict';
const { KinesisClient } = require('@aws-sdk/client-kinesis');
const { NodeHttpHandler } = require('@smithy/node-http-handler');

function localClient(endpoint) {
  return new KinesisClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    requestHandler: new NodeHttpHandler({ keepAlive: true }),
    maxAttempts: 1,
  });
}

module.exports = { localClient };
