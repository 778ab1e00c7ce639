// Writes a synthetic click-stream as JSON Lines: users with skewed activity, sessions, pages.
//   node gen-clicks.js RECORDS OUT_FILE
'use strict';
const fs = require('fs');

const [count, outFile] = process.argv.slice(2);
const pages = ['/', '/search', '/cart', '/checkout', '/account', '/help'];
const actions = ['view', 'view', 'view', 'click', 'click', 'add_to_cart', 'purchase'];
let seed = 42;
function rand() {  // small deterministic PRNG, so runs are comparable
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const out = fs.openSync(outFile, 'w');
let chunk = [];
const start = Date.UTC(2026, 0, 1);
for (let i = 0; i < Number(count); i++) {
  // Some users are far busier than others, as in real traffic.
  const user = Math.floor(Math.pow(rand(), 2) * 5000);
  const page = rand() < 0.4 ? `/product/${Math.floor(rand() * 800)}` : pages[Math.floor(rand() * pages.length)];
  chunk.push(JSON.stringify({
    seq: i,
    ts: new Date(start + i * 7).toISOString(),
    user_id: `user-${user}`,
    session: `s-${user}-${Math.floor(i / 2000)}`,
    action: actions[Math.floor(rand() * actions.length)],
    page,
    ms_on_page: Math.floor(rand() * 30000),
    agent: rand() < 0.6 ? 'mobile' : 'desktop',
  }));
  if (chunk.length === 5000) { fs.writeSync(out, chunk.join('\n') + '\n'); chunk = []; }
}
if (chunk.length) fs.writeSync(out, chunk.join('\n') + '\n');
fs.closeSync(out);
