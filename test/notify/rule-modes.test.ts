import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { verifyNotificationSignature } from '../../src/index.js';
import { RULE_SCHEMA } from '../../src/rules/rule-schema.js';
import { aCancel, uniqueId } from '../helpers/builders.js';
import { callGateway } from '../helpers/gateway-call.js';
import { api } from '../helpers/admin-call.js';
import {
  outbox,
  payWithNotify,
  startNotifyApp,
  startNotifyTarget,
  type NotifyApp,
  type NotifyTarget,
} from './notify-helpers.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const START = new Date('2026-11-26T04:00:00Z');

describe("a rule's notify changes the notification", () => {
  let app: NotifyApp;
  let target: NotifyTarget;

  before(async () => {
    app = await startNotifyApp();
    target = await startNotifyTarget(() => 'success');
  });
  after(async () => {
    await app.close();
    await target.close();
  });
  beforeEach(() => app.clock.set(START));

  /** A rule for one partner_trans_id of the demo merchant. */
  async function rule(id: string, then: Record<string, unknown>, service = PAY): Promise<void> {
    const res = await api(app.url, 'POST', '/api/rules', {
      partner: DEMO_MERCHANT.partner,
      service,
      name: `notify ${id}`,
      when: [{ field: service === PAY ? 'partner_trans_id' : 'out_trade_no', op: 'eq', value: id }],
      then,
    });
    assert.equal(res.status, 201, JSON.stringify(res.json));
  }
  const receivedFor = (id: string) =>
    target.received.filter((r) => r.params['out_trade_no'] === id).map((r) => r.params);

  it('suppress: nothing is sent; the outbox keeps it as suppressed and notify_verify says false', async () => {
    const id = uniqueId('SUPPRESS');
    await rule(id, { type: 'normal', notify: { mode: 'suppress' } });
    await payWithNotify(app, target.url, { partner_trans_id: id });
    await app.advanceAndDeliver(600_000);
    assert.deepEqual(receivedFor(id), []);
    const [n] = await outbox(app, `?tradeId=${id}`);
    assert.equal(n?.status, 'suppressed');
    assert.equal(n?.mode, 'suppress');
  });

  it('duplicate: the same notification (same notify_id) arrives twice', async () => {
    const id = uniqueId('DUP');
    await rule(id, { type: 'normal', notify: { mode: 'duplicate' } });
    await payWithNotify(app, target.url, { partner_trans_id: id });
    await app.deliver();
    const got = receivedFor(id);
    assert.equal(got.length, 2);
    assert.equal(got[0]?.['notify_id'], got[1]?.['notify_id']);
    assert.equal(got[0]?.['trade_status'], 'TRADE_SUCCESS');
    assert.equal((await outbox(app, `?tradeId=${id}`)).filter((n) => n.status === 'delivered').length, 2);
  });

  it('bad_signature: the signature is well formed but does not verify with the merchant key', async () => {
    const good = uniqueId('GOODSIG');
    const bad = uniqueId('BADSIG');
    await rule(bad, { type: 'normal', notify: { mode: 'bad_signature' } });
    await payWithNotify(app, target.url, { partner_trans_id: good });
    await payWithNotify(app, target.url, { partner_trans_id: bad });
    await app.deliver();
    const [g] = receivedFor(good);
    const [b] = receivedFor(bad);
    assert.ok(g && b);
    assert.ok(verifyNotificationSignature(g, { key: DEMO_MERCHANT.md5Key }));
    assert.match(b['sign'] ?? '', /^[0-9a-f]{32}$/);
    assert.equal(b['sign_type'], 'MD5');
    assert.equal(verifyNotificationSignature(b, { key: DEMO_MERCHANT.md5Key }), false);
  });

  it('delay: the first attempt waits delaySeconds (process clock)', async () => {
    const id = uniqueId('DELAY');
    await rule(id, { type: 'normal', notify: { mode: 'delay', delaySeconds: 30 } });
    await payWithNotify(app, target.url, { partner_trans_id: id });
    await app.advanceAndDeliver(29_000);
    assert.equal(receivedFor(id).length, 0);
    await app.advanceAndDeliver(1_000);
    assert.equal(receivedFor(id).length, 1);
  });

  it('out_of_order: the paid notification arrives after the close that followed it', async () => {
    const id = uniqueId('OOO');
    await rule(id, { type: 'normal', notify: { mode: 'out_of_order' } });
    await payWithNotify(app, target.url, { partner_trans_id: id });
    await app.deliver();
    assert.equal(receivedFor(id).length, 0, 'held back');
    await callGateway(app.url, 'alipay.acquire.cancel', aCancel(id));
    await app.deliver();
    assert.deepEqual(
      receivedFor(id).map((p) => [p['notify_action_type'], p['trade_status']]),
      [
        ['reverseAction', 'TRADE_CLOSED'],
        ['payByAccountAction', 'TRADE_SUCCESS'],
      ],
    );
  });

  it('out_of_order without a later notification is sent after delaySeconds (default 60)', async () => {
    const id = uniqueId('OOO2');
    await rule(id, { type: 'normal', notify: { mode: 'out_of_order' } });
    await payWithNotify(app, target.url, { partner_trans_id: id });
    await app.advanceAndDeliver(59_000);
    assert.equal(receivedFor(id).length, 0);
    await app.advanceAndDeliver(1_000);
    assert.equal(receivedFor(id).length, 1);
  });

  it('a business answer with effect create_trade still notifies, following the rule', async () => {
    const id = uniqueId('LIED');
    await rule(id, {
      type: 'business',
      result_code: 'FAILED',
      error: 'SYSTEM_ERROR',
      effect: 'create_trade',
      notify: { mode: 'duplicate' },
    });
    const answer = await payWithNotify(app, target.url, { partner_trans_id: id });
    assert.equal(answer['result_code'], 'FAILED');
    await app.deliver();
    assert.equal(receivedFor(id).length, 2, 'paid after all, and notified twice');
  });

  it("a pending trade's later resolution follows the notify of the rule that created it", async () => {
    const id = uniqueId('PENDING');
    await rule(id, {
      type: 'business',
      result_code: 'UNKNOW',
      effect: 'pending',
      resolve: { to: 'paid', afterSeconds: 10 },
      notify: { mode: 'bad_signature' },
    });
    await payWithNotify(app, target.url, { partner_trans_id: id });
    await app.advanceAndDeliver(10_000);
    const [p] = receivedFor(id);
    assert.equal(p?.['trade_status'], 'TRADE_SUCCESS');
    assert.equal(verifyNotificationSignature(p ?? {}, { key: DEMO_MERCHANT.md5Key }), false);
  });

  it('a pending trade without resolve applies notify to its auto-close', async () => {
    const id = uniqueId('AUTOCLOSE');
    await rule(id, {
      type: 'business',
      result_code: 'UNKNOW',
      effect: 'pending',
      notify: { mode: 'suppress' },
    });
    await payWithNotify(app, target.url, { partner_trans_id: id });
    await app.advanceAndDeliver(180_000);
    assert.equal(receivedFor(id).length, 0);
    const [n] = await outbox(app, `?tradeId=${id}`);
    assert.equal(n?.status, 'suppressed');
    assert.equal(n?.action, 'closeTradeAction');
  });

  it('a cancel rule with notify changes the close notification', async () => {
    const id = uniqueId('CANCELRULE');
    await payWithNotify(app, target.url, { partner_trans_id: id, trans_amount: '9942' });
    await rule(id, { type: 'normal', notify: { mode: 'suppress' } }, 'alipay.acquire.cancel');
    await callGateway(app.url, 'alipay.acquire.cancel', aCancel(id));
    await app.deliver();
    assert.deepEqual(
      (await outbox(app, `?tradeId=${id}`)).map((n) => [n.action, n.status]),
      [['closeTradeAction', 'suppressed']],
    );
  });
});

describe('the notify field of a rule', () => {
  const base = { partner: DEMO_MERCHANT.partner, service: PAY, name: 'n' };
  const parse = (notify: unknown, type = 'normal') =>
    RULE_SCHEMA.safeParse({
      ...base,
      then: { type, notify, ...(type === 'business' ? { result_code: 'SUCCESS' } : {}) },
    });

  it('accepts every mode, and delaySeconds with delay and out_of_order', () => {
    for (const mode of ['normal', 'suppress', 'duplicate', 'bad_signature', 'out_of_order']) {
      assert.ok(parse({ mode }).success, mode);
    }
    assert.ok(parse({ mode: 'delay', delaySeconds: 5 }).success);
    assert.ok(parse({ mode: 'out_of_order', delaySeconds: 5 }, 'business').success);
  });

  it('refuses delay without delaySeconds, delaySeconds elsewhere, unknown modes and keys', () => {
    assert.equal(parse({ mode: 'delay' }).success, false);
    assert.equal(parse({ mode: 'duplicate', delaySeconds: 5 }).success, false);
    assert.equal(parse({ mode: 'twice' }).success, false);
    assert.equal(parse({ mode: 'normal', extra: 1 }).success, false);
    assert.equal(parse({ mode: 'delay', delaySeconds: 86_401 }).success, false);
    assert.equal(
      RULE_SCHEMA.safeParse({
        ...base,
        then: { type: 'gateway_error', code: 'SYSTEM_ERROR', notify: { mode: 'normal' } },
      }).success,
      false,
      'a gateway error changes nothing, so it has no notify',
    );
  });
});
