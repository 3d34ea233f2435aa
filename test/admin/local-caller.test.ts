// Without an admin token the admin API trusts loopback callers; a page in a browser on this machine
// is one too. These requests are what such a page can send: cross-site (a form or fetch from another
// site) and through a name of its own that resolves to 127.0.0.1 (DNS rebinding, seen as its Host).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { callGateway, rawRequest } from '../helpers/gateway-call.js';
import { aPay } from '../helpers/builders.js';
import { cookieValue, csrfOf } from '../helpers/console-client.js';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';

const PAY = 'alipay.acquire.overseas.spot.pay';

/** An admin API call with the given headers over a real socket: status, problem code, body text. */
async function adminCall(app: TestApp, method: string, path: string, headers: Record<string, string>) {
  const res = await rawRequest(app.url, { method, path, headers });
  const text = res.body.toString('utf8');
  const code = res.headers['content-type']?.toString().startsWith('application/problem+json')
    ? (JSON.parse(text) as { code: string }).code
    : undefined;
  return { status: res.status, code, text, headers: res.headers };
}

describe('the admin API without an admin token', () => {
  let app: TestApp;
  let port: string;
  before(async () => {
    app = await startTestApp({ allowedHosts: 'sandbox.test, 10.1.2.3' });
    port = new URL(app.url).port;
  });
  after(() => app.close());

  it('refuses a Host that is not a name of this machine, without a key in the answer', async () => {
    const res = await adminCall(app, 'GET', '/api/merchants', { host: `attacker.example:${port}` });
    assert.equal(res.status, 403);
    assert.equal(res.code, 'host_not_allowed');
    assert.doesNotMatch(res.text, new RegExp(DEMO_MERCHANT.md5Key));
  });

  it('answers loopback names and addresses and the hosts of --allowed-hosts', async () => {
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LOCALHOST.:${port}`,
      `app.localhost:${port}`,
      `127.3.4.5`,
      `[::1]:${port}`,
      `sandbox.test:${port}`,
      `10.1.2.3`,
    ]) {
      const res = await adminCall(app, 'GET', '/api/merchants', { host });
      assert.equal(res.status, 200, `Host ${host}: ${res.text}`);
    }
    for (const host of ['127.0.0.1.attacker.example', 'localhost.attacker.example', 'sandbox.test.evil']) {
      const res = await adminCall(app, 'GET', '/api/merchants', { host });
      assert.equal(res.code, 'host_not_allowed', `Host ${host}`);
    }
  });

  it('refuses a cross-site POST, by Origin or by Sec-Fetch-Site, and leaves the merchant as it was', async () => {
    const paid = await callGateway(app.url, PAY, aPay({ trans_amount: '1.00' }));
    assert.equal(paid.envelope.response['result_code'], 'SUCCESS');
    const reset = `/api/merchants/${DEMO_MERCHANT.partner}/reset`;
    const host = `127.0.0.1:${port}`;
    const byOrigin = await adminCall(app, 'POST', reset, { host, origin: 'https://attacker.example' });
    assert.equal(byOrigin.status, 403);
    assert.equal(byOrigin.code, 'cross_site_request');
    const bySite = await adminCall(app, 'POST', reset, { host, 'sec-fetch-site': 'cross-site' });
    assert.equal(bySite.code, 'cross_site_request');
    const nullOrigin = await adminCall(app, 'POST', reset, { host, origin: 'null' });
    assert.equal(nullOrigin.code, 'cross_site_request');
    const trades = await adminCall(app, 'GET', `/api/trades?partner=${DEMO_MERCHANT.partner}`, { host });
    assert.equal((JSON.parse(trades.text) as { items: unknown[] }).items.length, 1, 'the reset did not run');
    // The same origin (and scripts, which send no Origin) still get through.
    const sameOrigin = await adminCall(app, 'GET', '/api/merchants', { host, origin: `http://${host}` });
    assert.equal(sameOrigin.status, 200);
  });

  it('still answers the gateway whatever Host a POS sends', async () => {
    const res = await rawRequest(app.url, {
      path: '/gateway.do?service=alipay.acquire.overseas.query',
      headers: { host: 'pos-terminal.shop.example' },
    });
    assert.equal(res.status, 200);
    assert.match(res.text, /<error>ILLEGAL_PARTNER<\/error>/);
  });

  it('refuses the tokenless operator sign-in of the console under a foreign Host', async () => {
    const host = `attacker.example:${port}`;
    const headers = { host };
    const page = await rawRequest(app.url, { path: '/login', headers });
    const login = cookieValue([page.headers['set-cookie'] ?? []].flat(), 'amock_login');
    assert.ok(login);
    const body = new URLSearchParams({ _csrf: csrfOf(page.text), token: '' }).toString();
    const res = await rawRequest(app.url, {
      method: 'POST',
      path: '/login/operator',
      body,
      headers: {
        host,
        origin: `http://${host}`,
        cookie: `amock_login=${login}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
    });
    assert.equal(res.status, 401);
    assert.equal(cookieValue([res.headers['set-cookie'] ?? []].flat(), 'amock_session'), undefined);
    assert.match(res.text, /loopback address or name/);
  });
});

describe('the admin API with an admin token', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ adminToken: 'operator-secret-1' });
  });
  after(() => app.close());

  it('answers the token whatever the Host: the token is what a page cannot send', async () => {
    const res = await adminCall(app, 'GET', '/api/merchants', {
      host: 'sandbox.corp.example',
      authorization: 'Bearer operator-secret-1',
    });
    assert.equal(res.status, 200);
  });
});

describe('the admin API without a token behind a trusted proxy on this machine', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ trustProxy: '127.0.0.1' });
  });
  after(() => app.close());

  it('takes the client the proxy names, not the proxy, for the caller', async () => {
    const remote = await adminCall(app, 'GET', '/api/merchants', { 'x-forwarded-for': '203.0.113.9' });
    assert.equal(remote.status, 403);
    assert.equal(remote.code, 'forbidden');
    const local = await adminCall(app, 'GET', '/api/merchants', { 'x-forwarded-for': '127.0.0.1' });
    assert.equal(local.status, 200);
  });
});
