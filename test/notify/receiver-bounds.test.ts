import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { ConfigError, loadConfig } from '../../src/config.js';
import { MAX_ANSWER_BYTES, MAX_STORED_ANSWER } from '../../src/notify/deliver-notification.js';
import { startStubServer, type StubServer } from '../helpers/stub-http-server.js';
import { outbox, payWithNotify, startNotifyApp, type NotifyApp } from './notify-helpers.js';

const MIB = 1024 * 1024;
/** What the endless receiver offers at most: far more than a sandbox should ever hold. */
const STREAM_LIMIT = 200 * MIB;

/** Streams `x` with backpressure until the sandbox closes the connection or STREAM_LIMIT is sent. */
async function streamUntilClosed(res: ServerResponse): Promise<{ written: number; closedByPeer: boolean }> {
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let written = 0;
  let closed = false;
  res.on('close', () => (closed = true));
  res.writeHead(200, { 'content-type': 'text/plain' });
  while (!closed && written < STREAM_LIMIT) {
    written += chunk.length;
    if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
  }
  if (!closed) res.end();
  return { written, closedByPeer: closed };
}

async function lastAttempt(app: NotifyApp, tradeId: string) {
  const [n] = await outbox(app, `?tradeId=${tradeId}`);
  assert.ok(n, 'the notification is in the outbox');
  return { n, attempt: n.attemptLog[n.attemptLog.length - 1] };
}

describe('a receiver cannot exhaust the sandbox or read through it', () => {
  let app: NotifyApp;
  let receiver: StubServer;
  let streamed: Promise<{ written: number; closedByPeer: boolean }> | undefined;
  const answers = new Map<string, (res: ServerResponse) => void>();

  before(async () => {
    // A long timeout: only the answer cap, not the deadline, may end the endless answer.
    app = await startNotifyApp({ notifyTimeoutMs: 60_000 });
    receiver = await startStubServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const id = new URLSearchParams(Buffer.concat(chunks).toString('latin1')).get('out_trade_no') ?? '';
        (answers.get(id) ?? ((r: ServerResponse) => r.end('success')))(res);
      });
    });
  });
  after(async () => {
    await app.close();
    await receiver.close();
  });

  it('an endless answer is read up to a few KiB, then the connection is closed', async () => {
    const pay = await payWithNotify(app, `${receiver.url}/stream`, { partner_trans_id: 'STREAM1' });
    const id = pay['partner_trans_id'] ?? '';
    answers.set(id, (res) => {
      streamed = streamUntilClosed(res);
    });
    await app.deliver();
    const { attempt } = await lastAttempt(app, id);
    assert.equal(
      attempt?.error,
      `the answer is longer than ${MAX_ANSWER_BYTES} bytes (the rest was not read)`,
    );
    assert.equal(attempt?.responseStatus, 200);
    assert.equal(attempt?.responseBody, 'x'.repeat(MAX_STORED_ANSWER));
    const sent = await streamed;
    assert.equal(sent?.closedByPeer, true, 'the sandbox closed the connection');
    assert.ok((sent?.written ?? 0) < STREAM_LIMIT, `the receiver got to send ${sent?.written} bytes`);
  });

  it('a stored answer is an excerpt of 512 characters (docs/notifications.md)', async () => {
    const pay = await payWithNotify(app, `${receiver.url}/long`);
    const id = pay['partner_trans_id'] ?? '';
    answers.set(id, (res) => res.end('y'.repeat(3000)));
    await app.deliver();
    const { attempt } = await lastAttempt(app, id);
    assert.equal(attempt?.error, 'the answer is not "success"');
    assert.equal(attempt?.responseBody, 'y'.repeat(512));
  });
});

describe('--notify-allow: where notifications may go', () => {
  let receiver: StubServer;
  let hits = 0;
  before(async () => {
    receiver = await startStubServer((_req, res) => {
      hits += 1;
      res.end('internal secret');
    });
  });
  after(async () => receiver.close());

  it('a target outside the list is refused, the reason on the notification, nothing sent', async () => {
    const app = await startNotifyApp({ notifyAllow: 'public' });
    try {
      for (const host of ['127.0.0.1', 'localhost']) {
        const url = receiver.url.replace('127.0.0.1', host);
        const pay = await payWithNotify(app, `${url}/internal`);
        await app.deliver();
        const { n, attempt } = await lastAttempt(app, pay['partner_trans_id'] ?? '');
        assert.equal(n.status, 'failed', 'refused at once, not retried');
        assert.equal(attempt?.responseBody, null);
        assert.match(
          attempt?.error ?? '',
          new RegExp(
            `^notify_url host ${host} refused: (127\\.0\\.0\\.1|::1) is a loopback address, which --notify-allow \\(ALIPAY_MOCK_NOTIFY_ALLOW\\) "public" does not allow$`,
          ),
        );
      }
      assert.equal(hits, 0);
    } finally {
      await app.close();
    }
  });

  it('by default loopback is allowed; a listed host name or CIDR opens a target', async () => {
    for (const notifyAllow of [undefined, 'localhost', '127.0.0.0/8', 'any']) {
      const app = await startNotifyApp(notifyAllow === undefined ? {} : { notifyAllow });
      try {
        const url = receiver.url.replace('127.0.0.1', 'localhost');
        const pay = await payWithNotify(app, `${url}/ok`);
        await app.deliver();
        const { attempt } = await lastAttempt(app, pay['partner_trans_id'] ?? '');
        assert.equal(attempt?.responseBody, 'internal secret', String(notifyAllow));
      } finally {
        await app.close();
      }
    }
  });

  it('a malformed list is a configuration error naming the setting', () => {
    assert.equal(loadConfig({}, {}).notifyAllow, 'loopback,private');
    assert.throws(
      () => loadConfig({}, { ALIPAY_MOCK_NOTIFY_ALLOW: 'loopback,10.0.0.0/33' }),
      (err: Error) =>
        err instanceof ConfigError &&
        /^invalid --notify-allow \/ ALIPAY_MOCK_NOTIFY_ALLOW: "10\.0\.0\.0\/33" is none of/.test(err.message),
    );
  });
});
