import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { verifyNotificationSignature } from '../../src/index.js';
import { randomInt, generateKeyPairSync } from 'node:crypto';
import { createMapiClient } from '../../src/index.js';
import { aCancel, aPay, aRefund, uniqueId } from '../helpers/builders.js';
import { callGateway } from '../helpers/gateway-call.js';
import { api } from '../helpers/admin-call.js';
import {
  outbox,
  payWithNotify,
  startNotifyApp,
  startNotifyTarget,
  HANG,
  type MerchantAnswer,
  type NotifyApp,
  type NotifyTarget,
} from './notify-helpers.js';

const REFUND = 'alipay.acquire.overseas.spot.refund';
const START = new Date('2026-11-26T04:00:00Z');
const CANCEL = 'alipay.acquire.cancel';

describe('notification delivery over real sockets', () => {
  let app: NotifyApp;
  let target: NotifyTarget;
  /** What the merchant answers, per partner_trans_id and per attempt (default: success). */
  const script = new Map<string, MerchantAnswer[]>();

  before(async () => {
    app = await startNotifyApp({ notifyTimeoutMs: 300, notifySchedule: '2s,5s,15s' });
    target = await startNotifyTarget((_i, params) => {
      const answers = script.get(params['out_trade_no'] ?? '') ?? [];
      return answers.shift() ?? 'success';
    });
  });
  after(async () => {
    await app.close();
    await target.close();
  });
  // Every test starts at the same instant of the process clock, which is also the sandbox clock.
  beforeEach(() => app.clock.set(START));

  const receivedFor = (id: string) => target.received.filter((r) => r.params['out_trade_no'] === id);

  it('a merchant answering success gets the paid notification once, signed with its MD5 key', async () => {
    const pay = await payWithNotify(app, target.url, { trans_name: '咖啡 coffee' });
    const id = pay['partner_trans_id'] ?? '';
    await app.deliver();
    await app.advanceAndDeliver(60_000);
    const got = receivedFor(id);
    assert.equal(got.length, 1);
    const p = got[0]?.params ?? {};
    assert.equal(got[0]?.contentType, 'application/x-www-form-urlencoded; charset=UTF-8');
    assert.equal(p['notify_type'], 'trade_status_sync');
    assert.equal(p['notify_action_type'], 'payByAccountAction');
    assert.equal(p['trade_status'], 'TRADE_SUCCESS');
    assert.equal(p['out_trade_no'], id);
    assert.equal(p['partner_trans_id'], id);
    assert.equal(p['trade_no'], pay['alipay_trans_id']);
    assert.equal(p['total_fee'], '10.00');
    assert.equal(p['currency'], 'USD');
    assert.equal(p['subject'], '咖啡 coffee');
    assert.equal(p['buyer_id'], '2088622937243084');
    assert.equal(p['gmt_payment'], '2026-11-26 12:00:00', 'Beijing time of the sandbox clock');
    assert.match(p['notify_time'] ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.match(p['notify_id'] ?? '', /^[0-9a-f]{32}$/);
    assert.equal(p['sign_type'], 'MD5');
    assert.ok(verifyNotificationSignature(p, { key: DEMO_MERCHANT.md5Key }));
    assert.equal(verifyNotificationSignature(p, { key: 'another-key-0000000000' }), false);

    const [n] = await outbox(app, `?tradeId=${id}`);
    assert.equal(n?.status, 'delivered');
    assert.equal(n?.attempts, 1);
    assert.equal(n?.attemptLog[0]?.responseBody, 'success');
    assert.equal(n?.attemptLog[0]?.error, null);
  });

  it('a merchant that fails first is tried again after the schedule, and every attempt is recorded', async () => {
    const id = uniqueId('RETRY');
    script.set(id, ['fail', '<html>500</html>']);
    await payWithNotify(app, target.url, { partner_trans_id: id });
    await app.deliver();
    let [n] = await outbox(app, `?tradeId=${id}`);
    assert.equal(n?.status, 'pending');
    assert.equal(n?.attempts, 1);
    assert.equal(n?.nextAttemptAt, '2026-11-26T04:00:02.000Z', 'first retry 2 s later (process clock)');
    await app.advanceAndDeliver(1_000);
    assert.equal(receivedFor(id).length, 1, 'not due yet');
    await app.advanceAndDeliver(1_000);
    await app.advanceAndDeliver(5_000);
    [n] = await outbox(app, `?tradeId=${id}`);
    assert.equal(n?.status, 'delivered');
    assert.deepEqual(
      n?.attemptLog.map((a) => [a.attempt, a.responseStatus, a.responseBody, a.error]),
      [
        [1, 200, 'fail', 'the answer is not "success"'],
        [2, 200, '<html>500</html>', 'the answer is not "success"'],
        [3, 200, 'success', null],
      ],
    );
    const got = receivedFor(id);
    assert.equal(got.length, 3);
    assert.equal(new Set(got.map((r) => r.params['notify_id'])).size, 1, 'one notify_id across retries');
  });

  it('an answer that never comes is a timeout; the notification stays pending for the next attempt', async () => {
    const id = uniqueId('HANG');
    script.set(id, [HANG]);
    await payWithNotify(app, target.url, { partner_trans_id: id });
    await app.deliver();
    const [n] = await outbox(app, `?tradeId=${id}`);
    assert.equal(n?.status, 'pending');
    assert.equal(n?.attemptLog[0]?.responseStatus, null);
    assert.match(n?.attemptLog[0]?.error ?? '', /no complete answer within 300 ms/);
    await app.advanceAndDeliver(2_000);
    assert.equal((await outbox(app, `?tradeId=${id}`))[0]?.status, 'delivered');
  });

  it('a late "success" counts as a failed attempt: the merchant gets the notification again', async () => {
    const id = uniqueId('LATE');
    script.set(id, [{ body: 'success', afterMs: 700 }]);
    await payWithNotify(app, target.url, { partner_trans_id: id });
    await app.deliver();
    assert.equal((await outbox(app, `?tradeId=${id}`))[0]?.status, 'pending');
    await app.advanceAndDeliver(2_000);
    const [n] = await outbox(app, `?tradeId=${id}`);
    assert.equal(n?.status, 'delivered');
    assert.equal(n?.attempts, 2);
    assert.equal(receivedFor(id).length, 2, 'the merchant must be idempotent');
  });

  it('a merchant that never answers success makes the notification fail after the last attempt', async () => {
    const id = uniqueId('NEVER');
    script.set(id, ['ok', 'SUCCESS', 'success!', 'true', 'success']);
    await payWithNotify(app, target.url, { partner_trans_id: id });
    await app.deliver();
    for (const wait of [2_000, 5_000, 15_000]) await app.advanceAndDeliver(wait);
    const [n] = await outbox(app, `?tradeId=${id}`);
    assert.equal(n?.status, 'failed');
    assert.equal(n?.attempts, 4, 'the first attempt and one per wait of the schedule');
    assert.equal(n?.nextAttemptAt, null);
    await app.advanceAndDeliver(3_600_000);
    assert.equal(receivedFor(id).length, 4, 'no attempt after failing');
  });

  it('surrounding whitespace around success is accepted', async () => {
    const id = uniqueId('WS');
    script.set(id, [' success\r\n']);
    await payWithNotify(app, target.url, { partner_trans_id: id });
    await app.deliver();
    assert.equal((await outbox(app, `?tradeId=${id}`))[0]?.status, 'delivered');
  });

  it('a refused connection is recorded as the attempt error', async () => {
    const id = uniqueId('REFUSED');
    await payWithNotify(app, 'http://127.0.0.1:9/notify', { partner_trans_id: id });
    await app.deliver();
    const [n] = await outbox(app, `?tradeId=${id}`);
    assert.equal(n?.status, 'pending');
    assert.match(n?.attemptLog[0]?.error ?? '', /connection failed/);
  });

  it('a notify_url that is not an http(s) URL fails at once', async () => {
    const id = uniqueId('BADURL');
    await payWithNotify(app, 'ftp://example.com/x', { partner_trans_id: id });
    await app.deliver();
    const [n] = await outbox(app, `?tradeId=${id}`);
    assert.equal(n?.status, 'failed');
    assert.match(n?.attemptLog[0]?.error ?? '', /not an http\(s\) URL/);
  });

  it('a pay without notify_url, a failed pay and an is_sync=Y refund queue nothing', async () => {
    const plain = uniqueId('PLAIN');
    await callGateway(app.url, 'alipay.acquire.overseas.spot.pay', aPay({ partner_trans_id: plain }));
    const failed = uniqueId('DECLINED');
    await payWithNotify(app, target.url, { partner_trans_id: failed, trans_amount: '9902' });
    const paid = uniqueId('SYNC');
    await payWithNotify(app, target.url, { partner_trans_id: paid });
    await callGateway(app.url, REFUND, aRefund(paid, { is_sync: 'Y', notify_url: target.url }));
    await app.deliver();
    assert.deepEqual(await outbox(app, `?tradeId=${plain}`), []);
    assert.deepEqual(await outbox(app, `?tradeId=${failed}`), []);
    assert.deepEqual(
      (await outbox(app, `?tradeId=${paid}`)).map((n) => n.action),
      ['payByAccountAction'],
    );
  });

  it('a refund with is_sync=N notifies refundFPAction to the refund notify_url', async () => {
    const id = uniqueId('REFUND');
    await payWithNotify(app, target.url, { partner_trans_id: id });
    const refundId = uniqueId('R');
    const res = await callGateway(
      app.url,
      REFUND,
      aRefund(id, {
        partner_refund_id: refundId,
        is_sync: 'N',
        refund_amount: '10.00',
        notify_url: `${target.url}?r=1`,
      }),
    );
    assert.equal(res.envelope.response['result_code'], 'SUCCESS');
    await app.deliver();
    const got = receivedFor(id).map((r) => r.params);
    assert.deepEqual(
      got.map((p) => p['notify_action_type']),
      ['payByAccountAction', 'refundFPAction'],
    );
    const refund = got[1] ?? {};
    assert.equal(refund['partner_refund_id'], refundId);
    assert.equal(refund['refund_amount'], '10.00');
    assert.equal(refund['refund_status'], 'REFUND_SUCCESS');
    assert.equal(refund['trade_status'], 'TRADE_CLOSED', 'refunded in full');
    const [n] = await outbox(app, `?tradeId=${id}`);
    assert.equal(n?.action, 'refundFPAction');
    // A repeated refund request replays the refund: no second notification.
    await callGateway(
      app.url,
      REFUND,
      aRefund(id, { partner_refund_id: refundId, is_sync: 'N', refund_amount: '10.00' }),
    );
    await app.deliver();
    assert.equal(receivedFor(id).length, 2);
  });

  it('a same-day cancel of a paid trade notifies reverseAction; of an unpaid one closeTradeAction', async () => {
    const paid = uniqueId('REVERSE');
    await payWithNotify(app, target.url, { partner_trans_id: paid });
    await callGateway(app.url, CANCEL, aCancel(paid));
    await callGateway(app.url, CANCEL, aCancel(paid));
    const unpaid = uniqueId('CLOSE');
    const pending = await payWithNotify(app, target.url, { partner_trans_id: unpaid, trans_amount: '9942' });
    assert.equal(pending['result_code'], 'UNKNOW');
    await callGateway(app.url, CANCEL, aCancel(unpaid));
    await app.deliver();
    const reversed = receivedFor(paid).map((r) => r.params);
    assert.deepEqual(
      reversed.map((p) => p['notify_action_type']),
      ['payByAccountAction', 'reverseAction'],
      'the repeated cancel notifies nothing',
    );
    assert.equal(reversed[1]?.['trade_status'], 'TRADE_CLOSED');
    assert.equal(reversed[1]?.['refund_fee'], '10.00');
    const closed = receivedFor(unpaid).map((r) => r.params);
    assert.deepEqual(
      closed.map((p) => [p['notify_action_type'], p['trade_status']]),
      [['closeTradeAction', 'TRADE_CLOSED']],
    );
    assert.equal(closed[0]?.['gmt_payment'], undefined);
  });

  it('an unpaid trade that resolves to paid notifies without any query (the worker settles it)', async () => {
    const id = uniqueId('RESOLVE');
    await payWithNotify(app, target.url, { partner_trans_id: id, trans_amount: '9941' });
    await app.deliver();
    assert.equal(receivedFor(id).length, 0, 'WAIT_BUYER_PAY is not notified');
    await app.advanceAndDeliver(30_000);
    const [p] = receivedFor(id).map((r) => r.params);
    assert.equal(p?.['notify_action_type'], 'payByAccountAction');
    assert.equal(p?.['gmt_payment'], '2026-11-26 12:00:30', 'paid when the resolution was due');
  });

  it('an unpaid trade that times out notifies closeTradeAction without any query', async () => {
    const id = uniqueId('TIMEOUT');
    await api(app.url, 'POST', '/api/rules', {
      partner: DEMO_MERCHANT.partner,
      service: 'alipay.acquire.overseas.spot.pay',
      name: 'waits for the buyer',
      when: [{ field: 'partner_trans_id', op: 'eq', value: id }],
      then: { type: 'business', result_code: 'UNKNOW', effect: 'pending' },
    });
    await payWithNotify(app, target.url, { partner_trans_id: id });
    await app.advanceAndDeliver(179_000);
    assert.equal(receivedFor(id).length, 0);
    await app.advanceAndDeliver(1_000);
    const [p] = receivedFor(id).map((r) => r.params);
    assert.equal(p?.['notify_action_type'], 'closeTradeAction');
    assert.equal(p?.['gmt_close'], '2026-11-26 12:03:00');
  });

  it('forcing a pending trade paid through the admin API notifies it', async () => {
    const id = uniqueId('FORCE');
    await payWithNotify(app, target.url, { partner_trans_id: id, trans_amount: '9942' });
    const res = await api(app.url, 'POST', `/api/merchants/${DEMO_MERCHANT.partner}/trades/${id}/state`, {
      status: 'TRADE_SUCCESS',
    });
    assert.equal(res.status, 200);
    await app.deliver();
    assert.deepEqual(
      receivedFor(id).map((r) => r.params['notify_action_type']),
      ['payByAccountAction'],
    );
  });

  it('the admin API lists, shows and resends notifications', async () => {
    const id = uniqueId('ADMIN');
    await payWithNotify(app, target.url, { partner_trans_id: id });
    await app.deliver();
    const [n] = await outbox(app, `?tradeId=${id}`);
    assert.ok(n);
    const base = `/api/merchants/${DEMO_MERCHANT.partner}/notifications`;
    const one = await api(app.url, 'GET', `${base}/${n.id}`);
    assert.equal(one.status, 200);
    assert.equal(one.json['notifyId'], n.notifyId);
    const resent = await api(app.url, 'POST', `${base}/${n.id}/resend`);
    assert.equal(resent.status, 202);
    assert.equal(resent.json['status'], 'pending');
    await app.deliver();
    const [again] = await outbox(app, `?tradeId=${id}`);
    assert.equal(again?.status, 'delivered');
    assert.equal(again?.attempts, 2);
    assert.equal(receivedFor(id).length, 2);
    assert.equal((await api(app.url, 'GET', `${base}/nope`)).status, 404);
    assert.equal((await api(app.url, 'POST', `${base}/nope/resend`)).status, 404);
    assert.equal((await api(app.url, 'GET', `${base}?status=bogus`)).status, 400);
    const delivered = await outbox(app, '?status=delivered&limit=2');
    assert.equal(delivered.length, 2);
  });
});

describe('notifications of a merchant that only allows RSA', () => {
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

  it('are signed RSA2 with the sandbox Alipay key and verify with its public key', async () => {
    const keys = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const partner = `2088${String(randomInt(1e11, 1e12))}`;
    const created = await api(app.url, 'POST', '/api/merchants', {
      partner,
      signTypes: ['RSA2'],
      rsaPublicKey: keys.publicKey,
    });
    assert.equal(created.status, 201);
    const alipay = String((await api(app.url, 'GET', '/api/alipay-public-key')).json['base64']);
    const client = createMapiClient({
      gateway: `${app.url}/gateway.do`,
      partner,
      signType: 'RSA2',
      privateKey: keys.privateKey,
      alipayPublicKey: alipay,
    });
    const paid = await client.spotPay({
      partnerTransId: uniqueId('RSA'),
      transName: 'Tea',
      currency: 'USD',
      transAmount: '5.00',
      buyerIdentityCode: '280000000000000001',
      notifyUrl: target.url,
    });
    client.close();
    assert.equal(paid.resultCode, 'SUCCESS');
    await app.deliver();
    const p = target.received[0]?.params ?? {};
    assert.equal(p['sign_type'], 'RSA2');
    assert.equal(p['seller_id'], partner);
    assert.ok(verifyNotificationSignature(p, { alipayPublicKey: alipay }));
    assert.equal(verifyNotificationSignature(p, { alipayPublicKey: keys.publicKey }), false);
  });
});
