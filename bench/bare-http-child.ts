/**
 * Baseline server: bare node:http answering a fixed GBK XML body (a real query answer, read from the
 * file named by argv[2]) to every request. It measures what the machine, the loopback and the load
 * generator can do, so the sandbox scenarios are reported as ratios of it.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { listenToParent } from './listen-to-parent.js';

const body = readFileSync(process.argv[2] ?? '');
const headers = { 'content-type': 'text/xml; charset=GBK', 'content-length': String(body.length) };

const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, headers).end(body));
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
listenToParent(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);
