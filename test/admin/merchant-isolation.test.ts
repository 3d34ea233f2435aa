import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { api, apiWith } from '../helpers/admin-call.js';
import { callGateway } from '../helpers/gateway-call.js';
import { aPay } from '../helpers/builders.js';
import { DEMO_HK_MERCHANT, DEMO_MERCHANT } from '../../src/demo-accounts.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const A = DEMO_MERCHANT.partner;
const B = DEMO_HK_MERCHANT.partner;

type Items = { items: Array<Record<string, unknown>> };

/** Two merchants with a key, a rule, a paid trade, log entries and a clock each. */
async function seedMerchant(app: TestApp, partner: string, key: string) {
  const created = await api(app.url, 'POST', `/api/merchants/${partner}/api-keys`, { name: `${partner} CI` });
  assert.equal(created.status, 201);
  const rule = await api(app.url, 'POST', '/api/rules', {
    partner,
    service: PAY,
    name: `decline 12.34 for ${partner}`,
    when: [{ field: 'trans_amount', op: 'eq', value: '12.34' }],
    then: { type: 'business', result_code: 'FAILED', error: 'BUYER_BALANCE_NOT_ENOUGH' },
  });
  assert.equal(rule.status, 201);
  const pay =
    partner === A
      ? aPay()
      : aPay({ alipay_seller_id: B, currency: 'HKD', buyer_identity_code: '282222222222222222' });
  const paid = await callGateway(app.url, PAY, pay, { partner, key });
  assert.equal(paid.envelope.response['result_code'], 'SUCCESS');
  await api(app.url, 'POST', `/api/merchants/${partner}/clock`, { advanceSeconds: 60 });
  return {
    secret: created.json['secret'] as string,
    keyId: created.json['id'] as string,
    ruleId: rule.json['id'] as string,
    tradeId: pay['partner_trans_id'] as string,
  };
}

describe('merchant API keys: one merchant never reaches another', () => {
  let app: TestApp;
  let a: Awaited<ReturnType<typeof seedMerchant>>;
  let b: Awaited<ReturnType<typeof seedMerchant>>;
  let bLogId: number;
  const asA = (method: string, path: string, body?: unknown) =>
    apiWith(a.secret, app.url, method, path, body);

  before(async () => {
    app = await startTestApp();
    a = await seedMerchant(app, A, DEMO_MERCHANT.md5Key);
    b = await seedMerchant(app, B, DEMO_HK_MERCHANT.md5Key);
    // A request no merchant owns (unknown partner) is in the log too.
    await callGateway(app.url, PAY, aPay(), { partner: '2088999999999999' });
    const log = await api(app.url, 'GET', `/api/requests?partner=${B}`);
    bLogId = (log.json as Items).items[0]?.['id'] as number;
  });
  after(async () => app.close());

  it('lists only its own merchant record, and cannot read or change another by URL', async () => {
    const list = await asA('GET', '/api/merchants');
    assert.deepEqual(
      (list.json as Items).items.map((m) => m['partner']),
      [A],
    );
    assert.equal((await asA('GET', `/api/merchants/${A}`)).status, 200);
    const other = await asA('GET', `/api/merchants/${B}`);
    assert.equal(other.status, 403);
    assert.equal(other.json['code'], 'forbidden');
    assert.equal((await asA('PATCH', `/api/merchants/${B}`, { name: 'taken over' })).status, 403);
    assert.equal((await api(app.url, 'GET', `/api/merchants/${B}`)).json['name'], DEMO_HK_MERCHANT.name);
  });

  it('may change its own merchant record, but not create or delete merchants', async () => {
    const renamed = await asA('PATCH', `/api/merchants/${A}`, { name: 'Demo Shop (CI)' });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.json['name'], 'Demo Shop (CI)');
    const create = await asA('POST', '/api/merchants', { partner: '2088000000000777' });
    assert.equal(create.status, 403);
    assert.equal(create.json['code'], 'forbidden');
    assert.equal((await asA('DELETE', `/api/merchants/${A}`)).status, 403);
  });

  it('sees only its own rules, and another merchant’s rule id is unknown to it', async () => {
    const list = await asA('GET', '/api/rules');
    assert.deepEqual(
      (list.json as Items).items.map((r) => r['id']),
      [a.ruleId],
    );
    assert.equal((await asA('GET', `/api/rules?partner=${B}`)).status, 403);
    for (const [method, path, body] of [
      ['GET', `/api/rules/${b.ruleId}`, undefined],
      ['PATCH', `/api/rules/${b.ruleId}`, { name: 'mine now' }],
      ['PUT', `/api/rules/${b.ruleId}`, { service: PAY, name: 'x', then: { type: 'normal' } }],
      ['POST', `/api/rules/${b.ruleId}/disable`, undefined],
      ['POST', `/api/rules/${b.ruleId}/reset`, undefined],
      ['DELETE', `/api/rules/${b.ruleId}`, undefined],
    ] as const) {
      const res = await asA(method, path, body);
      assert.equal(res.status, 404, `${method} ${path}`);
      assert.equal(res.json['code'], 'not_found');
    }
    const bRule = await api(app.url, 'GET', `/api/rules/${b.ruleId}`);
    assert.equal(bRule.json['enabled'], true);
    assert.match(bRule.json['name'] as string, /for 2088021966388155/);
  });

  it('creates rules for itself only: another partner is 403 forbidden', async () => {
    const rule = { service: PAY, name: 'normal', then: { type: 'normal' } };
    const forB = await asA('POST', '/api/rules', { ...rule, partner: B });
    assert.equal(forB.status, 403);
    assert.equal(forB.json['code'], 'forbidden');
    const forA = await asA('POST', '/api/rules', { ...rule, partner: A });
    assert.equal(forA.status, 201);
    assert.equal((await asA('DELETE', `/api/rules/${forA.json['id'] as string}`)).status, 204);
  });

  it('switches default rules only for itself', async () => {
    const off = { enabled: false };
    assert.equal((await asA('PUT', `/api/merchants/${B}/default-rules/default-pay-9901`, off)).status, 403);
    assert.equal((await asA('GET', `/api/default-rules?partner=${B}`)).status, 403);
    const own = await asA('GET', '/api/default-rules');
    assert.ok((own.json as Items).items.length > 0);
  });

  it('sees only its own trades, and cannot read or force another merchant’s trade', async () => {
    const list = await asA('GET', '/api/trades');
    const partners = new Set((list.json as Items).items.map((t) => t['partner']));
    assert.deepEqual([...partners], [A]);
    assert.equal((await asA('GET', `/api/trades?partner=${B}`)).status, 403);
    assert.equal((await asA('GET', `/api/merchants/${B}/trades/${b.tradeId}`)).status, 403);
    const forced = await asA('POST', `/api/merchants/${B}/trades/${b.tradeId}/state`, {
      status: 'TRADE_CLOSED',
    });
    assert.equal(forced.status, 403);
    const trade = await api(app.url, 'GET', `/api/merchants/${B}/trades/${b.tradeId}`);
    assert.equal(trade.json['status'], 'TRADE_SUCCESS');
    assert.equal((await asA('GET', `/api/merchants/${A}/trades/${a.tradeId}`)).status, 200);
  });

  it('sees only its own request log; another merchant’s entry is 404', async () => {
    const list = await asA('GET', '/api/requests');
    const partners = new Set((list.json as Items).items.map((e) => e['partner']));
    assert.deepEqual([...partners], [A]);
    const count = await asA('GET', '/api/requests/count');
    assert.equal(count.json['count'], (list.json as Items).items.length);
    assert.equal((await asA('GET', `/api/requests?partner=${B}`)).status, 403);
    assert.equal((await asA('GET', `/api/requests/${bLogId}`)).status, 404);
    assert.equal((await asA('GET', `/api/requests/${bLogId}/explain`)).status, 404);
    assert.equal((await api(app.url, 'GET', `/api/requests/${bLogId}`)).status, 200);
  });

  it('cannot read, move or reset another merchant’s clock or state', async () => {
    assert.equal((await asA('GET', `/api/merchants/${B}/clock`)).status, 403);
    assert.equal((await asA('POST', `/api/merchants/${B}/clock`, { advanceSeconds: 3600 })).status, 403);
    assert.equal((await asA('DELETE', `/api/merchants/${B}/clock`)).status, 403);
    assert.equal((await asA('POST', `/api/merchants/${B}/reset`)).status, 403);
    assert.equal((await api(app.url, 'GET', `/api/merchants/${B}/clock`)).json['offsetMs'], 60_000);
    assert.equal((await asA('GET', `/api/merchants/${A}/clock`)).json['offsetMs'], 60_000);
  });

  it('lists its own API keys without secrets, never another merchant’s', async () => {
    const own = await asA('GET', `/api/merchants/${A}/api-keys`);
    assert.equal(own.status, 200);
    const items = (own.json as Items).items;
    assert.deepEqual(
      items.map((k) => k['id']),
      [a.keyId],
    );
    assert.equal(items[0]?.['secret'], undefined);
    assert.equal(items[0]?.['keyHash'], undefined);
    assert.equal((await asA('GET', `/api/merchants/${B}/api-keys`)).status, 403);
    assert.equal((await asA('DELETE', `/api/merchants/${B}/api-keys/${b.keyId}`)).status, 403);
    assert.equal((await asA('DELETE', `/api/merchants/${A}/api-keys/${b.keyId}`)).status, 404);
    assert.equal((await asA('POST', `/api/merchants/${A}/api-keys`, { name: 'more' })).status, 403);
    assert.equal((await apiWith(b.secret, app.url, 'GET', `/api/merchants/${B}`)).status, 200);
  });

  it('reads the shared buyers but cannot change them', async () => {
    const list = await asA('GET', '/api/buyers');
    assert.equal(list.status, 200);
    const userId = (list.json as Items).items[0]?.['userId'] as string;
    assert.equal((await asA('GET', `/api/buyers/${userId}`)).status, 200);
    assert.equal((await asA('POST', '/api/buyers', { loginId: 'mine@example.com' })).status, 403);
    assert.equal((await asA('PATCH', `/api/buyers/${userId}`, { name: 'mine' })).status, 403);
    assert.equal((await asA('DELETE', `/api/buyers/${userId}`)).status, 403);
  });

  it('reads the Alipay public key and the OpenAPI document', async () => {
    assert.equal((await asA('GET', '/api/alipay-public-key')).status, 200);
    assert.equal((await asA('GET', '/api/openapi.json')).status, 200);
  });
});
