import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { DEFAULT_PER_MERCHANT } from '../../src/notify/notification-worker.js';
import { api } from '../helpers/admin-call.js';
import { aPay } from '../helpers/builders.js';
import { callGateway } from '../helpers/gateway-call.js';
import { dropSchema, freshSchemaName, postgresSkipReason, TEST_PG_URL } from '../helpers/store-matrix.js';
import { startStubServer, type StubServer } from '../helpers/stub-http-server.js';
import { payWithNotify, startNotifyApp, type NotifyApp } from './notify-helpers.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const OTHER = { partner: '2088000000000999', md5Key: 'fairness-key-0123456789' };
const STUCK = 40;

/** Which event came first: the other merchant's notification arriving, or a stuck delivery giving up. */
type First = 'other merchant delivered' | 'a stuck delivery gave up';

interface Receivers {
  stuck: StubServer;
  other: StubServer;
  /** Requests the stuck receiver holds open. */
  held: ServerResponse[];
  first: Promise<First>;
}

async function startReceivers(): Promise<Receivers> {
  const held: ServerResponse[] = [];
  let settle: (first: First) => void = () => undefined;
  const first = new Promise<First>((resolve) => (settle = resolve));
  const stuck = await startStubServer((req, res) => {
    req.resume();
    held.push(res);
    // The sandbox closes the connection when its attempt times out: the receiver never answers.
    res.on('close', () => settle('a stuck delivery gave up'));
  });
  const other = await startStubServer((req, res) => {
    req.resume();
    settle('other merchant delivered');
    res.end('success');
  });
  return { stuck, other, held, first };
}

/** Forty notifications of the demo merchant to a receiver that never answers, then one of another merchant. */
async function queueStuckThenOther(app: NotifyApp, r: Receivers): Promise<void> {
  const created = await api(app.url, 'POST', '/api/merchants', { ...OTHER, currencies: ['USD'] });
  assert.ok(created.status === 201 || created.status === 409, JSON.stringify(created.json));
  for (let i = 0; i < STUCK; i++) await payWithNotify(app, `${r.stuck.url}/stuck`);
  const paid = await callGateway(
    app.url,
    PAY,
    aPay({ alipay_seller_id: OTHER.partner, notify_url: `${r.other.url}/other` }),
    { partner: OTHER.partner, key: OTHER.md5Key },
  );
  assert.equal(paid.envelope.response.result_code, 'SUCCESS', paid.text);
}

describe('one merchant stuck receivers do not delay another merchant notifications', () => {
  let receivers: Receivers;
  before(async () => {
    receivers = await startReceivers();
  });
  after(async () => {
    await receivers.stuck.close();
    await receivers.other.close();
  });

  it('one instance: the other merchant is delivered while the stuck deliveries still hang', async () => {
    const app = await startNotifyApp({ notifyTimeoutMs: 5_000 });
    try {
      await queueStuckThenOther(app, receivers);
      assert.equal(await receivers.first, 'other merchant delivered');
      assert.ok(receivers.held.length <= DEFAULT_PER_MERCHANT, `${receivers.held.length} stuck at once`);
    } finally {
      await app.close();
    }
  });
});

describe('fair delivery with two instances on one PostgreSQL schema', { skip: postgresSkipReason() }, () => {
  let receivers: Receivers;
  const schema = freshSchemaName();
  before(async () => {
    receivers = await startReceivers();
  });
  after(async () => {
    await receivers.stuck.close();
    await receivers.other.close();
    await dropSchema(schema);
  });

  it('the other merchant is delivered while the stuck deliveries of both instances hang', async () => {
    const flags = { db: TEST_PG_URL, dbSchema: schema, dbPoolSize: 3, notifyTimeoutMs: 5_000 };
    const one = await startNotifyApp(flags);
    const two = await startNotifyApp(flags);
    try {
      await queueStuckThenOther(one, receivers);
      assert.equal(await receivers.first, 'other merchant delivered');
      // Two instances claiming in the same instant may each give the merchant its share.
      assert.ok(receivers.held.length <= 2 * DEFAULT_PER_MERCHANT, `${receivers.held.length} stuck at once`);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
