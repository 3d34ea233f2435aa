import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import {
  parseNotifySchedule,
  DEFAULT_NOTIFY_SCHEDULE,
  REAL_GATEWAY_NOTIFY_SCHEDULE,
} from '../../src/notify/retry-schedule.js';
import {
  tradeNotifyAction,
  refundNotificationParams,
  tradeNotificationParams,
} from '../../src/notify/notification-params.js';
import { notifySignType, signNotification } from '../../src/notify/sign-notification.js';
import { verifyNotificationSignature } from '../../src/index.js';
import { loadConfig, ConfigError } from '../../src/config.js';
import { aStoredRefund, aTrade } from '../helpers/store-builders.js';

const KEYS = (() => {
  const k = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: k.privateKey, publicKeyPem: k.publicKey };
})();

describe('notification retry schedule', () => {
  it('parses waits with units; a bare number is seconds; none means no retry', () => {
    assert.deepEqual(parseNotifySchedule('500ms, 2s,1.5m,1h,3'), [500, 2000, 90_000, 3_600_000, 3000]);
    assert.deepEqual(parseNotifySchedule('none'), []);
    assert.deepEqual(
      parseNotifySchedule(DEFAULT_NOTIFY_SCHEDULE),
      [2000, 5000, 15_000, 30_000, 60_000, 120_000, 300_000],
    );
    const real = parseNotifySchedule(REAL_GATEWAY_NOTIFY_SCHEDULE);
    assert.equal(real.length, 7);
    assert.equal(
      real.reduce((a, b) => a + b, 0),
      (24 * 60 + 24) * 60_000,
      'about 24 hours',
    );
  });

  it('refuses what is not a wait, and waits over a day', () => {
    assert.throws(() => parseNotifySchedule('2s,soon'), /"soon" is not a wait/);
    assert.throws(() => parseNotifySchedule('25h'), /longer than a day/);
  });

  it('is configured by --notify-schedule, with the reason when it is wrong', () => {
    assert.deepEqual(loadConfig({ notifySchedule: '1s,1m' }, {}).notifySchedule, [1000, 60_000]);
    assert.deepEqual(loadConfig({}, { ALIPAY_MOCK_NOTIFY_SCHEDULE: '4m' }).notifySchedule, [240_000]);
    assert.equal(loadConfig({}, {}).notifySchedule.length, 7);
    assert.throws(
      () => loadConfig({ notifySchedule: 'x' }, {}),
      (err: Error) => err instanceof ConfigError && /--notify-schedule/.test(err.message),
    );
    assert.equal(loadConfig({}, {}).notifyVerifyValiditySeconds, 300);
    assert.equal(loadConfig({}, {}).notifyTimeoutMs, 5000);
  });
});

describe('which trade changes notify', () => {
  const paid = aTrade({ status: 'TRADE_SUCCESS', notifyUrl: 'http://m/n' });
  const waiting = aTrade({ status: 'WAIT_BUYER_PAY', notifyUrl: 'http://m/n', paidAt: null });

  it('paid from nothing or from WAIT_BUYER_PAY: payByAccountAction', () => {
    assert.equal(tradeNotifyAction(null, paid), 'payByAccountAction');
    assert.equal(tradeNotifyAction(waiting, { ...waiting, status: 'TRADE_SUCCESS' }), 'payByAccountAction');
  });

  it('closed: closeTradeAction, or reverseAction for a cancel that refunded; nothing for a full refund', () => {
    const closed = { status: 'TRADE_CLOSED' as const, closedAt: new Date() };
    assert.equal(
      tradeNotifyAction(waiting, { ...waiting, ...closed, closeReason: 'timeout' }),
      'closeTradeAction',
    );
    assert.equal(
      tradeNotifyAction(waiting, { ...waiting, ...closed, closeReason: 'cancel', cancelAction: 'close' }),
      'closeTradeAction',
    );
    assert.equal(
      tradeNotifyAction(paid, { ...paid, ...closed, closeReason: 'cancel', cancelAction: 'refund' }),
      'reverseAction',
    );
    assert.equal(tradeNotifyAction(paid, { ...paid, ...closed, closeReason: 'refund' }), null);
  });

  it('no notify_url, no change, WAIT_BUYER_PAY or TRADE_FINISHED: nothing', () => {
    assert.equal(tradeNotifyAction(null, { ...paid, notifyUrl: null }), null);
    assert.equal(tradeNotifyAction(paid, paid), null);
    assert.equal(tradeNotifyAction(null, waiting), null);
    assert.equal(tradeNotifyAction(paid, { ...paid, status: 'TRADE_FINISHED' }), null);
  });

  it('HKD trades carry payment_inst and no CNY fields; other trades the rates', () => {
    const hk = tradeNotificationParams(
      aTrade({ currency: 'HKD', transCurrency: 'HKD', paymentInst: 'ALIPAYHK' }),
      'payByAccountAction',
    );
    assert.equal(hk['payment_inst'], 'ALIPAYHK');
    assert.equal(hk['trans_amount_cny'], undefined);
    const usd = tradeNotificationParams(aTrade(), 'payByAccountAction');
    assert.equal(usd['payment_inst'], undefined);
    assert.ok(usd['exchange_rate']);
  });

  it('a refund notification names the refund and the trade status after it', () => {
    const trade = aTrade({ status: 'TRADE_SUCCESS' });
    const p = refundNotificationParams(trade, aStoredRefund(trade, { reason: 'broken cup' }));
    assert.equal(p['notify_action_type'], 'refundFPAction');
    assert.equal(p['refund_reason'], 'broken cup');
    assert.equal(p['refund_status'], 'REFUND_SUCCESS');
    assert.equal(p['trade_status'], 'TRADE_SUCCESS');
  });
});

describe('notification signatures', () => {
  const params = { notify_id: 'abc', trade_status: 'TRADE_SUCCESS', subject: '咖啡', empty: '' };

  it('MD5 when the merchant allows it, otherwise RSA2, otherwise RSA', () => {
    assert.equal(notifySignType({ signTypes: ['RSA2', 'MD5'] }), 'MD5');
    assert.equal(notifySignType({ signTypes: ['RSA', 'RSA2'] }), 'RSA2');
    assert.equal(notifySignType({ signTypes: ['RSA'] }), 'RSA');
  });

  it('signs over the canonical string in UTF-8; the verifier agrees; tampered ones do not verify', () => {
    const md5 = signNotification(params, { signTypes: ['MD5'], md5Key: 'k'.repeat(32) }, KEYS);
    assert.ok(verifyNotificationSignature(md5, { key: 'k'.repeat(32) }));
    assert.equal(
      verifyNotificationSignature({ ...md5, trade_status: 'TRADE_CLOSED' }, { key: 'k'.repeat(32) }),
      false,
    );
    const tampered = signNotification(params, { signTypes: ['MD5'], md5Key: 'k'.repeat(32) }, KEYS, {
      tampered: true,
    });
    assert.equal(verifyNotificationSignature(tampered, { key: 'k'.repeat(32) }), false);
    for (const type of ['RSA', 'RSA2'] as const) {
      const rsa = signNotification(params, { signTypes: [type], md5Key: 'unused' }, KEYS);
      assert.equal(rsa['sign_type'], type);
      assert.ok(verifyNotificationSignature(rsa, { alipayPublicKey: KEYS.publicKeyPem }));
      assert.equal(verifyNotificationSignature(rsa, { key: 'unused' }), false, 'no RSA key given');
    }
  });

  it('is false without sign, sign_type or a known sign type', () => {
    assert.equal(verifyNotificationSignature(params, { key: 'x' }), false);
    assert.equal(
      verifyNotificationSignature({ ...params, sign: 'a', sign_type: 'DSA' }, { key: 'x' }),
      false,
    );
  });
});
