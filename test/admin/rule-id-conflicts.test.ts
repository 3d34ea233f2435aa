// Rule ids are one namespace for the sandbox: a merchant whose id is in use learns nothing about who
// uses it, and PUT/PATCH naming another merchant in the body are refused as documented.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { api, apiWith } from '../helpers/admin-call.js';
import { DEMO_HK_MERCHANT, DEMO_MERCHANT } from '../../src/demo-accounts.js';

const A = DEMO_MERCHANT.partner;
const B = DEMO_HK_MERCHANT.partner;

function aRule(partner: string, id: string) {
  return {
    id,
    partner,
    service: 'alipay.acquire.overseas.spot.pay',
    name: `decline 12.34 for ${partner}`,
    when: [{ field: 'trans_amount', op: 'eq', value: '12.34' }],
    then: { type: 'business', result_code: 'FAILED', error: 'BUYER_BALANCE_NOT_ENOUGH' },
  };
}

async function keyOf(app: TestApp, partner: string): Promise<string> {
  const created = await api(app.url, 'POST', `/api/merchants/${partner}/api-keys`, { name: 'CI' });
  return created.json['secret'] as string;
}

describe('rule ids of two merchants', () => {
  let app: TestApp;
  let keyA: string;
  let keyB: string;
  before(async () => {
    app = await startTestApp();
    keyA = await keyOf(app, A);
    keyB = await keyOf(app, B);
    assert.equal((await apiWith(keyA, app.url, 'POST', '/api/rules', aRule(A, 'decline-1234'))).status, 201);
  });
  after(() => app.close());

  it('an id another merchant uses is refused exactly like one of the merchant’s own', async () => {
    const foreign = await apiWith(keyB, app.url, 'POST', '/api/rules', aRule(B, 'decline-1234'));
    const own = await apiWith(keyA, app.url, 'POST', '/api/rules', aRule(A, 'decline-1234'));
    assert.equal(foreign.status, 409);
    assert.doesNotMatch(String(foreign.json['detail']), /already exists/);
    assert.doesNotMatch(JSON.stringify(foreign.json), new RegExp(A));
    assert.deepEqual(foreign.json, own.json);
  });

  it('PUT and PATCH with another merchant in the body are 403 and change nothing', async () => {
    for (const method of ['PUT', 'PATCH']) {
      const res = await apiWith(keyA, app.url, method, '/api/rules/decline-1234', {
        ...aRule(B, 'decline-1234'),
        name: 'moved',
      });
      assert.equal(res.status, 403, `${method}: ${JSON.stringify(res.json)}`);
      assert.equal(res.json['code'], 'forbidden');
    }
    const operator = await api(app.url, 'PATCH', '/api/rules/decline-1234', { partner: B, name: 'moved' });
    assert.equal(operator.status, 400, 'a rule does not move to another merchant');
    assert.equal(operator.json['code'], 'invalid_request');
    const rule = await apiWith(keyA, app.url, 'GET', '/api/rules/decline-1234');
    assert.equal(rule.json['partner'], A);
    assert.equal(rule.json['name'], `decline 12.34 for ${A}`);
    const same = await apiWith(keyA, app.url, 'PATCH', '/api/rules/decline-1234', {
      partner: A,
      priority: 7,
    });
    assert.equal(same.status, 200, 'naming its own partner is fine');
  });
});
