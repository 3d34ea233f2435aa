import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { api } from '../helpers/admin-call.js';
import { callGateway } from '../helpers/gateway-call.js';
import { aPay } from '../helpers/builders.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const KEY = 'm'.repeat(32);

type Items = { items: Array<Record<string, unknown>> };

/** A merchant created through the API with a known MD5 key, paying in USD. */
async function aMerchantVia(app: TestApp, partner: string): Promise<void> {
  const res = await api(app.url, 'POST', '/api/merchants', { partner, md5Key: KEY, currencies: ['USD'] });
  assert.equal(res.status, 201);
}

/** A spot pay for this merchant through the gateway; returns its partner_trans_id. */
async function pay(app: TestApp, partner: string, overrides: Record<string, string> = {}): Promise<string> {
  const params = aPay({ alipay_seller_id: partner, ...overrides });
  const res = await callGateway(app.url, PAY, params, { partner, key: KEY });
  assert.equal(res.envelope.isSuccess, 'T');
  return params['partner_trans_id'] as string;
}

describe('admin API resources', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.close());

  it('merchants: create, read, list, update, delete', async () => {
    const partner = '2088000000000601';
    const created = await api(app.url, 'POST', '/api/merchants', { partner, name: 'Round Trip' });
    assert.equal(created.status, 201);
    assert.match(created.json['md5Key'] as string, /^[a-z0-9]{32}$/);
    assert.deepEqual(created.json['signTypes'], ['MD5', 'RSA', 'RSA2']);
    assert.deepEqual((await api(app.url, 'GET', `/api/merchants/${partner}`)).json, created.json);
    const listed = (await api(app.url, 'GET', '/api/merchants')).json as Items;
    assert.ok(listed.items.some((m) => m['partner'] === partner));

    const patched = await api(app.url, 'PATCH', `/api/merchants/${partner}`, {
      name: 'Renamed',
      md5Key: 'n'.repeat(32),
      currencies: ['HKD'],
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.json['name'], 'Renamed');
    assert.equal(patched.json['md5Key'], 'n'.repeat(32));
    assert.deepEqual(patched.json['currencies'], ['HKD']);
    assert.deepEqual((await api(app.url, 'GET', `/api/merchants/${partner}`)).json, patched.json);

    assert.equal((await api(app.url, 'DELETE', `/api/merchants/${partner}`)).status, 204);
    assert.equal((await api(app.url, 'GET', `/api/merchants/${partner}`)).status, 404);
    assert.equal((await api(app.url, 'DELETE', `/api/merchants/${partner}`)).status, 404);
  });

  it('buyers: create, read, list, update, delete', async () => {
    const created = await api(app.url, 'POST', '/api/buyers', {
      loginId: 'round.trip@example.com',
      wallet: 'ALIPAYHK',
      balances: { HKD: '250.50', USD: '10' },
    });
    assert.equal(created.status, 201);
    const userId = created.json['userId'] as string;
    assert.match(userId, /^2088\d{12}$/);
    assert.match(created.json['paymentCode'] as string, /^28\d{16}$/);
    assert.deepEqual(created.json['balances'], { HKD: '250.50', USD: '10.00' });
    assert.deepEqual((await api(app.url, 'GET', `/api/buyers/${userId}`)).json, created.json);
    const listed = (await api(app.url, 'GET', '/api/buyers')).json as Items;
    assert.ok(listed.items.some((b) => b['userId'] === userId));

    const patched = await api(app.url, 'PATCH', `/api/buyers/${userId}`, {
      name: 'Renamed buyer',
      paymentCode: null,
      balances: { CNY: '1.00' },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.json['name'], 'Renamed buyer');
    assert.equal(patched.json['paymentCode'], null);
    assert.deepEqual(patched.json['balances'], { CNY: '1.00' });

    assert.equal((await api(app.url, 'DELETE', `/api/buyers/${userId}`)).status, 204);
    assert.equal((await api(app.url, 'GET', `/api/buyers/${userId}`)).status, 404);
  });

  it('forces a pending trade to TRADE_SUCCESS (debiting the buyer), then TRADE_CLOSED', async () => {
    const partner = '2088000000000602';
    await aMerchantVia(app, partner);
    const buyer = await api(app.url, 'POST', '/api/buyers', {
      loginId: 'pending@example.com',
      balances: { USD: '100.00' },
    });
    const code = buyer.json['paymentCode'] as string;
    // A rule makes the payment wait for the buyer, as a real pending payment would.
    const rule = await api(app.url, 'POST', '/api/rules', {
      partner,
      service: PAY,
      name: 'wait for the buyer',
      then: { type: 'business', result_code: 'UNKNOW', effect: 'pending' },
    });
    assert.equal(rule.status, 201);
    const tradeId = await pay(app, partner, { buyer_identity_code: code, trans_amount: '30.00' });
    const path = `/api/merchants/${partner}/trades/${tradeId}`;
    assert.equal((await api(app.url, 'GET', path)).json['status'], 'WAIT_BUYER_PAY');

    const paid = await api(app.url, 'POST', `${path}/state`, { status: 'TRADE_SUCCESS' });
    assert.equal(paid.status, 200);
    assert.equal(paid.json['status'], 'TRADE_SUCCESS');
    assert.equal(typeof paid.json['paidAt'], 'string');
    const debited = await api(app.url, 'GET', `/api/buyers/${buyer.json['userId'] as string}`);
    assert.deepEqual(debited.json['balances'], { USD: '70.00' });

    const closed = await api(app.url, 'POST', `${path}/state`, { status: 'TRADE_CLOSED' });
    assert.equal(closed.json['status'], 'TRADE_CLOSED');
    const read = await api(app.url, 'GET', path);
    assert.equal(read.json['status'], 'TRADE_CLOSED');
    assert.deepEqual(read.json['refunds'], []);

    const bad = await api(app.url, 'POST', `${path}/state`, { status: 'WAIT_BUYER_PAY' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json['code'], 'invalid_request');
    const missing = await api(app.url, 'POST', `/api/merchants/${partner}/trades/NOPE/state`, {
      status: 'TRADE_CLOSED',
    });
    assert.equal(missing.status, 404);
  });

  it('refuses to force payment of a trade the buyer cannot afford (409)', async () => {
    const partner = '2088000000000603';
    await aMerchantVia(app, partner);
    const buyer = await api(app.url, 'POST', '/api/buyers', {
      loginId: 'poor@example.com',
      balances: { USD: '5.00' },
    });
    await api(app.url, 'POST', '/api/rules', {
      partner,
      service: PAY,
      name: 'wait for the buyer',
      then: { type: 'business', result_code: 'UNKNOW', effect: 'pending' },
    });
    const tradeId = await pay(app, partner, { buyer_identity_code: buyer.json['paymentCode'] as string });
    const res = await api(app.url, 'POST', `/api/merchants/${partner}/trades/${tradeId}/state`, {
      status: 'TRADE_SUCCESS',
    });
    assert.equal(res.status, 409);
    assert.equal(res.json['code'], 'conflict');
  });

  it('reset forgets one merchant’s state and leaves another merchant’s untouched', async () => {
    const [a, b] = ['2088000000000611', '2088000000000612'];
    for (const partner of [a, b]) {
      await aMerchantVia(app, partner);
      await api(app.url, 'POST', '/api/rules', {
        partner,
        service: PAY,
        name: 'normal',
        then: { type: 'normal' },
      });
      await api(app.url, 'PUT', `/api/merchants/${partner}/default-rules/default-pay-9901`, {
        enabled: false,
      });
      await api(app.url, 'POST', `/api/merchants/${partner}/clock`, { advanceSeconds: 3600 });
      await pay(app, partner);
    }
    const keyA = await api(app.url, 'POST', `/api/merchants/${a}/api-keys`, { name: 'kept' });

    assert.equal((await api(app.url, 'POST', `/api/merchants/${a}/reset`)).status, 204);

    const state = async (partner: string) => ({
      trades: ((await api(app.url, 'GET', `/api/trades?partner=${partner}`)).json as Items).items.length,
      rules: ((await api(app.url, 'GET', `/api/rules?partner=${partner}`)).json as Items).items.length,
      off: ((await api(app.url, 'GET', `/api/default-rules?partner=${partner}`)).json as Items).items.filter(
        (r) => r['enabled'] === false,
      ).length,
      offsetMs: (await api(app.url, 'GET', `/api/merchants/${partner}/clock`)).json['offsetMs'],
      log: (await api(app.url, 'GET', `/api/requests/count?partner=${partner}`)).json['count'],
    });
    assert.deepEqual(await state(a), { trades: 0, rules: 0, off: 0, offsetMs: 0, log: 0 });
    assert.deepEqual(await state(b), { trades: 1, rules: 1, off: 1, offsetMs: 3_600_000, log: 1 });
    // The account and its API keys are not state: they stay.
    assert.equal((await api(app.url, 'GET', `/api/merchants/${a}`)).status, 200);
    const keys = (await api(app.url, 'GET', `/api/merchants/${a}/api-keys`)).json as Items;
    assert.deepEqual(
      keys.items.map((k) => k['id']),
      [keyA.json['id']],
    );
    assert.equal((await api(app.url, 'POST', '/api/merchants/2088000000000699/reset')).status, 404);
  });
});
