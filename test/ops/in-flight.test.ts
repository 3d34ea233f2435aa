/**
 * The in-flight tracker on a real node:http server: it counts requests until their answer is done,
 * reuses the places of finished ones, and a drain closes the connections of answers not yet started.
 */
import assert from 'node:assert/strict';
import { createServer, request, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { trackInFlight, type InFlightTracker } from '../../src/ops/in-flight.js';

/** One GET on its own kept-alive connection; resolves with the answer's headers once it is read. */
function get(port: number, path = '/'): Promise<IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    const req = request({
      port,
      host: '127.0.0.1',
      path,
      agent: false,
      headers: { connection: 'keep-alive' },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.headers));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Waits until check() holds, for up to 2 s. */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('trackInFlight', () => {
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    res.setHeader('x-path', req.url ?? '');
    held.push(res);
  });
  let tracker: InFlightTracker;
  let port: number;

  before(async () => {
    tracker = trackInFlight(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('counts requests until their answer is done, again and again', async () => {
    for (let round = 0; round < 3; round++) {
      const answers = [get(port), get(port), get(port)];
      await until(() => held.length === 3);
      assert.equal(tracker.count(), 3);
      held.shift()?.end('one');
      await answers[0];
      await until(() => tracker.count() === 2);
      for (const res of held.splice(0)) res.end('rest');
      await Promise.all(answers);
      await until(() => tracker.count() === 0);
    }
  });

  it('drains: answers not yet started close their connection, and it resolves once all are done', async () => {
    const answers = [get(port, '/started'), get(port, '/waiting')];
    await until(() => held.length === 2);
    const started = held.find((res) => res.getHeader('x-path') === '/started') as ServerResponse;
    held.splice(held.indexOf(started), 1);
    started.writeHead(200);
    const drained = tracker.drain(2_000);
    assert.equal(tracker.draining(), true);
    started.end('started before the drain');
    for (const res of held.splice(0)) res.end('after the drain');
    const [first, second] = await Promise.all(answers);
    assert.equal(first?.connection, 'keep-alive');
    assert.equal(second?.connection, 'close');
    assert.equal(await drained, 0);
    assert.equal(tracker.count(), 0);
  });
});
