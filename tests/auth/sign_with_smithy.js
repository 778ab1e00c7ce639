// Signs the requests described in a JSON file with the AWS SDK for JavaScript's SigV4
// implementation (@smithy/signature-v4, from node/node_modules) and prints one JSON object per
// request: {"authorization": ..., "contentSha256": ...}. Used by sigv4_smithy_interop_test.cc.
//
//   node sign_with_smithy.js <repo root> <requests.json>
'use strict';
const fs = require('fs');
const crypto = require('crypto');
const [root, input] = process.argv.slice(2);
const { SignatureV4 } = require(root + '/node/node_modules/@smithy/signature-v4');

// The hash interface SignatureV4 expects, over Node's crypto.
class Sha256 {
  constructor(secret) {
    this.hash = secret ? crypto.createHmac('sha256', Buffer.from(secret)) : crypto.createHash('sha256');
  }
  update(data) { this.hash.update(Buffer.from(data)); }
  async digest() { return new Uint8Array(this.hash.digest()); }
}

(async () => {
  const requests = JSON.parse(fs.readFileSync(input, 'utf8'));
  for (const r of requests) {
    const signer = new SignatureV4({
      service: r.service, region: r.region, sha256: Sha256, applyChecksum: r.applyChecksum,
      credentials: { accessKeyId: r.accessKeyId, secretAccessKey: r.secretAccessKey,
                     sessionToken: r.sessionToken || undefined },
    });
    const signed = await signer.sign({
      method: r.method, protocol: 'https:', hostname: r.headers.Host, path: r.path,
      query: r.query, headers: r.headers, body: Buffer.from(r.bodyHex, 'hex'),
    }, { signingDate: new Date(r.dateMs) });
    console.log(JSON.stringify({ authorization: signed.headers.authorization,
                                 contentSha256: signed.headers['x-amz-content-sha256'] || '' }));
  }
})().catch((e) => { console.error(e); process.exit(1); });
