// Smoke test of the built checkout on whichever Node runs it (.ci/run runs it on Node 22 and 26):
// `alipay-mock serve` as a child process answers a signed pay and query, and startSandbox() pays in
// this process. Needs `npm run build` first. Prints one `smoke: pass …` line, or fails with the reason.
import { fileURLToPath } from 'node:url';
import { check, payAndQuery, startServe, toolkitPay } from './lib/smoke-steps.mjs';

const cli = fileURLToPath(new URL('../dist/src/cli.js', import.meta.url));
const entry = fileURLToPath(new URL('../dist/src/index.js', import.meta.url));

const server = await startServe(process.execPath, [
  cli,
  'serve',
  '--port',
  '0',
  '--db',
  'sqlite::memory:',
  '--log-level',
  'warn',
]);
let served;
try {
  served = await payAndQuery(server.url);
} finally {
  const code = await server.stop();
  check(code === 0, `serve exited with ${code} after SIGTERM`);
}
const toolkit = await toolkitPay(entry);
console.log(
  `smoke: pass on Node ${process.version}: serve answered a signed pay ${served.pay} and its query ` +
    `${served.query}; startSandbox() paid ${toolkit.pay}`,
);
