import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { api, apiWith } from '../helpers/admin-call.js';
import { DEMO_HK_MERCHANT, DEMO_MERCHANT } from '../../src/demo-accounts.js';

const A = DEMO_MERCHANT.partner;
const ADMIN_TOKEN = 'operator-token-for-tests';

type Items = { items: Array<Record<string, unknown>> };

describe('API keys: lifecycle', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.close());

  it('shows the secret once: amk_ and 32 base62 characters, then lists the key without it', async () => {
    const created = await api(app.url, 'POST', `/api/merchants/${A}/api-keys`, { name: 'CI pipeline' });
    assert.equal(created.status, 201);
    const secret = created.json['secret'] as string;
    assert.match(secret, /^amk_[0-9A-Za-z]{32}$/);
    assert.equal(created.json['partner'], A);
    assert.equal(created.json['name'], 'CI pipeline');
    assert.equal(created.json['lastUsedAt'], null);
    const list = await api(app.url, 'GET', `/api/merchants/${A}/api-keys`);
    const listed = (list.json as Items).items.find((k) => k['id'] === created.json['id']);
    assert.deepEqual(Object.keys(listed ?? {}).sort(), ['createdAt', 'id', 'lastUsedAt', 'name', 'partner']);
    assert.ok(!JSON.stringify(list.json).includes(secret));
  });

  it('gives every key a different secret', async () => {
    const secrets = new Set<string>();
    for (let i = 0; i < 5; i++) {
      secrets.add(
        (await api(app.url, 'POST', `/api/merchants/${A}/api-keys`, { name: `k${i}` })).json[
          'secret'
        ] as string,
      );
    }
    assert.equal(secrets.size, 5);
  });

  it('records when a key was last used', async () => {
    const created = await api(app.url, 'POST', `/api/merchants/${A}/api-keys`, { name: 'used' });
    const secret = created.json['secret'] as string;
    assert.equal((await apiWith(secret, app.url, 'GET', `/api/merchants/${A}`)).status, 200);
    const list = await apiWith(secret, app.url, 'GET', `/api/merchants/${A}/api-keys`);
    const mine = (list.json as Items).items.find((k) => k['id'] === created.json['id']);
    assert.equal(typeof mine?.['lastUsedAt'], 'string');
  });

  it('refuses a revoked key with 401, also on loopback', async () => {
    const created = await api(app.url, 'POST', `/api/merchants/${A}/api-keys`, { name: 'short-lived' });
    const secret = created.json['secret'] as string;
    const revoked = await apiWith(
      secret,
      app.url,
      'DELETE',
      `/api/merchants/${A}/api-keys/${created.json['id'] as string}`,
    );
    assert.equal(revoked.status, 204);
    const after = await apiWith(secret, app.url, 'GET', `/api/merchants/${A}`);
    assert.equal(after.status, 401);
    assert.equal(after.json['code'], 'unauthorized');
    assert.equal(after.contentType, 'application/problem+json; charset=utf-8');
  });

  it('refuses a key nobody issued with 401', async () => {
    const res = await apiWith(`amk_${'x'.repeat(32)}`, app.url, 'GET', '/api/merchants');
    assert.equal(res.status, 401);
    assert.equal(res.json['code'], 'unauthorized');
  });

  it('validates the name and needs an existing merchant', async () => {
    const noName = await api(app.url, 'POST', `/api/merchants/${A}/api-keys`, {});
    assert.equal(noName.status, 400);
    assert.equal(noName.json['code'], 'invalid_request');
    const extra = await api(app.url, 'POST', `/api/merchants/${A}/api-keys`, { name: 'x', partner: A });
    assert.equal(extra.status, 400);
    const unknown = await api(app.url, 'POST', '/api/merchants/2088000000000999/api-keys', { name: 'x' });
    assert.equal(unknown.status, 404);
    assert.equal((await api(app.url, 'DELETE', `/api/merchants/${A}/api-keys/key_nope`)).status, 404);
  });

  it('removes a merchant’s keys with the merchant', async () => {
    const partner = '2088000000000321';
    assert.equal((await api(app.url, 'POST', '/api/merchants', { partner })).status, 201);
    const created = await api(app.url, 'POST', `/api/merchants/${partner}/api-keys`, { name: 'gone soon' });
    const secret = created.json['secret'] as string;
    assert.equal((await api(app.url, 'DELETE', `/api/merchants/${partner}`)).status, 204);
    assert.equal((await api(app.url, 'POST', '/api/merchants', { partner })).status, 201);
    assert.equal((await apiWith(secret, app.url, 'GET', `/api/merchants/${partner}`)).status, 401);
    assert.deepEqual((await api(app.url, 'GET', `/api/merchants/${partner}/api-keys`)).json, { items: [] });
  });
});

describe('API keys beside a configured admin token', () => {
  let app: TestApp;
  let secret: string;
  before(async () => {
    app = await startTestApp({ adminToken: ADMIN_TOKEN });
    const created = await apiWith(ADMIN_TOKEN, app.url, 'POST', `/api/merchants/${A}/api-keys`, {
      name: 'ci',
    });
    assert.equal(created.status, 201);
    secret = created.json['secret'] as string;
  });
  after(async () => app.close());

  it('needs a token even on loopback, and refuses a wrong one with 401', async () => {
    assert.equal((await api(app.url, 'GET', '/api/merchants')).status, 401);
    const wrong = await apiWith('not-the-token', app.url, 'GET', '/api/merchants');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json['code'], 'unauthorized');
  });

  it('lets the operator token see every merchant and a merchant key only its own', async () => {
    const all = await apiWith(ADMIN_TOKEN, app.url, 'GET', '/api/merchants');
    assert.deepEqual(
      (all.json as Items).items.map((m) => m['partner']).sort(),
      [DEMO_HK_MERCHANT.partner, A].sort(),
    );
    const own = await apiWith(secret, app.url, 'GET', '/api/merchants');
    assert.deepEqual(
      (own.json as Items).items.map((m) => m['partner']),
      [A],
    );
  });

  it('never takes a merchant key for the operator', async () => {
    const res = await apiWith(secret, app.url, 'POST', `/api/merchants/${A}/api-keys`, { name: 'escalate' });
    assert.equal(res.status, 403);
    assert.equal(res.json['code'], 'forbidden');
  });
});
