import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AssertionError } from 'node:assert';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSandbox, verifyNotificationSignature, type Sandbox } from '../../src/index.js';

/** A merchant notify endpoint that answers `success`, as an integrator's test would write it. */
async function notifyEndpoint(): Promise<{ url: string; server: Server; bodies: string[] }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      bodies.push(body);
      res.end('success');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`, server, bodies };
}

const PAY = {
  transName: 'Tea',
  currency: 'USD',
  transAmount: '5.00',
  buyerIdentityCode: '280000000000000001',
} as const;

describe('startSandbox', () => {
  let sandbox: Sandbox;
  let endpoint: Awaited<ReturnType<typeof notifyEndpoint>>;

  before(async () => {
    // Loads the server's modules once, so the timings below are those of a start.
    await (await startSandbox()).close();
    sandbox = await startSandbox({ config: { notifySchedule: '100ms' } });
    endpoint = await notifyEndpoint();
  });
  after(async () => {
    await sandbox.close();
    endpoint.server.close();
  });

  it('starts quickly, and several at once, each with its own port and merchant', async (t) => {
    let started = performance.now();
    const one = await startSandbox();
    t.diagnostic(`one sandbox started in ${Math.round(performance.now() - started)} ms`);
    started = performance.now();
    const many = await Promise.all(Array.from({ length: 4 }, () => startSandbox()));
    t.diagnostic(`4 sandboxes started in parallel in ${Math.round(performance.now() - started)} ms`);
    try {
      const all = [one, ...many];
      assert.equal(new Set(all.map((s) => s.url)).size, 5);
      assert.equal(new Set(all.map((s) => s.merchant.partner)).size, 5);
      for (const s of all) {
        assert.match(s.merchant.partner, /^2088\d{12}$/);
        assert.equal(s.gatewayUrl, `${s.url}/gateway.do`);
      }
    } finally {
      await Promise.all([one, ...many].map((s) => s.close()));
    }
  });

  it('gives a merchant with an MD5 key and an RSA key pair; the client works with both', async () => {
    const m = sandbox.merchant;
    assert.match(m.md5Key, /^[a-z0-9]{32}$/);
    assert.match(m.rsaPrivateKey, /^-----BEGIN PRIVATE KEY-----/);
    assert.match(m.rsaPublicKey, /^-----BEGIN PUBLIC KEY-----/);
    assert.match(m.alipayPublicKey, /^-----BEGIN PUBLIC KEY-----/);
    const md5 = await sandbox
      .client({ strictSignature: true })
      .spotPay({ ...PAY, partnerTransId: 'API-MD5' });
    assert.equal(md5.resultCode, 'SUCCESS');
    const rsa = sandbox.client({ signType: 'RSA2', strictSignature: true });
    const q = await rsa.query({ partnerTransId: 'API-MD5' });
    assert.equal(q.tradeStatus, 'TRADE_SUCCESS');
    assert.equal(q.signatureVerified, true);
    for (const service of ['spotRefund', 'cancel'] as const) {
      const r =
        service === 'cancel'
          ? await rsa.cancel({ outTradeNo: 'API-MD5' })
          : await rsa.spotRefund({
              partnerTransId: 'API-MD5',
              partnerRefundId: 'API-MD5-R',
              refundAmount: '1.00',
              currency: 'USD',
              isSync: true,
            });
      assert.equal(r.signatureVerified, true, service);
    }
  });

  it('adds, lists and clears rules; an invalid rule is a TypeError naming the place', async () => {
    const rule = await sandbox.rules.add({
      service: 'alipay.acquire.overseas.spot.pay',
      name: 'decline',
      when: [{ field: 'partner_trans_id', op: 'eq', value: 'API-DECLINE' }],
      then: { type: 'business', result_code: 'FAILED', error: 'BUYER_BALANCE_NOT_ENOUGH' },
    });
    assert.equal(rule.partner, sandbox.merchant.partner);
    const declined = await sandbox.client().spotPay({ ...PAY, partnerTransId: 'API-DECLINE' });
    assert.equal(declined.error, 'BUYER_BALANCE_NOT_ENOUGH');
    assert.equal((await sandbox.rules.list())[0]?.hits, 1);
    await assert.rejects(
      sandbox.rules.add({
        service: 'alipay.acquire.overseas.spot.pay',
        name: 'x',
        then: { type: 'nope' },
      } as never),
      (err: Error) => err instanceof TypeError && /rule is invalid: then/.test(err.message),
    );
    await sandbox.rules.clear();
    assert.deepEqual(await sandbox.rules.list(), []);
  });

  it('finds, counts and expects requests; a failed expectation lists the nearest requests', async () => {
    await sandbox.client().query({ partnerTransId: 'API-MISSING' });
    const found = await sandbox.requests.find({ service: 'query', partnerTransId: 'API-MISSING' });
    assert.equal(found.length, 1);
    assert.equal(found[0]?.error, 'TRADE_NOT_EXIST');
    assert.equal(found[0]?.params['partner_trans_id'], 'API-MISSING');
    assert.equal(await sandbox.requests.count({ outcome: 'FAIL:TRADE_NOT_EXIST' }), 1);
    await sandbox.requests.expect(
      { service: 'query', params: { partner_trans_id: 'API-MISSING' } },
      { count: 1 },
    );
    await assert.rejects(
      sandbox.requests.expect({ service: 'cancel', partnerTransId: 'API-MISSING' }),
      (err: Error) => {
        assert.ok(err instanceof AssertionError);
        assert.match(
          err.message,
          /expected at least 1 request matching \{ service: 'cancel', partnerTransId: 'API-MISSING' \}, found 0/,
        );
        assert.match(err.message, /nearest of the \d+ requests received:/);
        assert.match(
          err.message,
          /alipay\.acquire\.overseas\.query API-MISSING → FAIL:TRADE_NOT_EXIST\s+\(differs in service\)/,
        );
        return true;
      },
    );
    await assert.rejects(
      sandbox.requests.expect({ service: 'query', partnerTransId: 'API-MISSING' }, { count: 2 }),
      /exactly 2 requests/,
    );
  });

  it('drives the sandbox clock: a pending trade resolves and notifies when the clock is advanced', async () => {
    const client = sandbox.client();
    const pay = await client.spotPay({
      ...PAY,
      transAmount: '9941',
      partnerTransId: 'API-CLOCK',
      notifyUrl: endpoint.url,
    });
    assert.equal(pay.resultCode, 'UNKNOW');
    assert.equal((await sandbox.trades.get('API-CLOCK'))?.status, 'WAIT_BUYER_PAY');
    const before = await sandbox.clock.now();
    const after = await sandbox.clock.advance(30);
    assert.equal(after.getTime() - before.getTime() >= 30_000, true);
    assert.equal((await sandbox.trades.get('API-CLOCK'))?.status, 'TRADE_SUCCESS');
    const n = await sandbox.notifications.waitFor({ partnerTransId: 'API-CLOCK' }, { until: 'delivered' });
    assert.equal(n.action, 'payByAccountAction');
    const frozen = await sandbox.clock.freeze(new Date('2030-01-01T00:00:00Z'));
    assert.equal((await sandbox.clock.now()).toISOString(), frozen.toISOString());
    await sandbox.clock.set(new Date('2031-01-01T00:00:00Z'));
    assert.equal((await sandbox.clock.now()).toISOString(), '2031-01-01T00:00:00.000Z', 'still frozen');
    await sandbox.clock.reset();
    assert.ok(Math.abs((await sandbox.clock.now()).getTime() - Date.now()) < 5_000);
  });

  it('shows what was sent and answered, and notifyVerify confirms it', async () => {
    const client = sandbox.client();
    await client.spotPay({ ...PAY, partnerTransId: 'API-NOTIFY', notifyUrl: endpoint.url });
    await sandbox.notifications.waitFor({ partnerTransId: 'API-NOTIFY' });
    const [received] = await sandbox.notifications.received({ partnerTransId: 'API-NOTIFY' });
    assert.ok(received);
    assert.equal(received.delivered, true);
    assert.equal(received.responseBody, 'success');
    assert.equal(received.params['trade_status'], 'TRADE_SUCCESS');
    assert.ok(verifyNotificationSignature(received.params, { key: sandbox.merchant.md5Key }));
    assert.equal(await client.notifyVerify(received.params['notify_id'] ?? ''), true);
    await assert.rejects(
      sandbox.notifications.waitFor({ partnerTransId: 'API-NEVER' }, { timeoutMs: 100 }),
      /no notification matching \{"partnerTransId":"API-NEVER"\} was attempted within 100 ms; the outbox:/,
    );
  });

  it('reset forgets trades, rules, requests and notifications but keeps the merchant', async () => {
    await sandbox.rules.add({
      service: '*',
      name: 'all',
      when: [{ field: 'partner_trans_id', op: 'eq', value: 'nothing' }],
      then: { type: 'normal' },
    });
    await sandbox.reset();
    assert.equal(await sandbox.trades.get('API-MD5'), undefined);
    assert.deepEqual(await sandbox.rules.list(), []);
    assert.equal(await sandbox.requests.count(), 0);
    assert.deepEqual(await sandbox.notifications.list(), []);
    const paid = await sandbox.client().spotPay({ ...PAY, partnerTransId: 'API-MD5' });
    assert.equal(paid.resultCode, 'SUCCESS', 'the same id pays again after a reset');
  });

  it('runs the Vitest and Jest examples of docs/testing.md (as node:test)', async () => {
    await sandbox.rules.add({
      service: 'alipay.acquire.overseas.spot.pay',
      name: 'no money',
      when: [{ field: 'trans_amount', op: 'eq', value: '12.34' }],
      then: { type: 'business', result_code: 'FAILED', error: 'BUYER_BALANCE_NOT_ENOUGH' },
    });
    const pay = await sandbox.client().spotPay({
      partnerTransId: 'ORDER-3',
      transName: 'Coffee',
      currency: 'USD',
      transAmount: '12.34',
      buyerIdentityCode: '280000000000000001',
    });
    assert.equal(pay.error, 'BUYER_BALANCE_NOT_ENOUGH');
    assert.equal(await sandbox.requests.count({ service: 'pay', error: 'BUYER_BALANCE_NOT_ENOUGH' }), 1);

    await sandbox.rules.add({
      service: 'alipay.acquire.overseas.spot.pay',
      name: 'paid, answer lost',
      when: [{ field: 'partner_trans_id', op: 'eq', value: 'ORDER-4' }],
      then: { type: 'fault', fault: 'hang', effect: 'create_trade' },
    });
    const client = sandbox.client({ timeoutMs: 500 });
    await assert.rejects(
      client.spotPay({
        partnerTransId: 'ORDER-4',
        transName: 'Coffee',
        currency: 'USD',
        transAmount: '5.00',
        buyerIdentityCode: '280000000000000001',
      }),
      /no complete answer/,
    );
    const query = await client.query({ partnerTransId: 'ORDER-4' });
    assert.equal(query.tradeStatus, 'TRADE_SUCCESS');
  });
});
