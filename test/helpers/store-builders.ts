import { createHash, randomUUID } from 'node:crypto';
import type { NewApiKey } from '../../src/ports/api-keys.js';
import type { NewBuyer, NewMerchant, UnnumberedTrade } from '../../src/ledger/ledger-store.js';
import type { NewRequestLogEntry } from '../../src/ports/request-log.js';
import type { NewRule } from '../../src/rules/rule-store.js';
import type { Refund, Trade } from '../../src/ledger/model.js';

/** A short id unique to this call. */
export function anId(prefix: string): string {
  return `${prefix}${randomUUID().replaceAll('-', '').slice(0, 16)}`;
}

/** A merchant ready for Store.createMerchant; override what the test is about. */
export function aMerchant(overrides: Partial<NewMerchant> = {}): NewMerchant {
  return {
    partner: anId('2088'),
    name: 'Test Shop',
    md5Key: 'k'.repeat(32),
    rsaPublicKey: null,
    signTypes: ['MD5', 'RSA2'],
    currencies: ['USD', 'HKD'],
    services: ['alipay.acquire.overseas.spot.pay', 'alipay.acquire.overseas.query'],
    ...overrides,
  };
}

/** A buyer ready for Store.createBuyer, with a payment code and a USD balance. */
export function aBuyer(overrides: Partial<NewBuyer> = {}): NewBuyer {
  return {
    userId: anId('2088u'),
    loginId: 'buyer@example.com',
    name: 'Test Buyer',
    wallet: 'ALIPAYCN',
    paymentCode: anId('28'),
    isDefault: false,
    balances: { USD: 100_00 },
    ...overrides,
  };
}

/** A trade waiting for payment, as spot pay would insert it. */
export function aTrade(overrides: Partial<Trade> = {}): Trade {
  return {
    alipayTransId: anId('2026'),
    partner: '2088101122136241',
    partnerTransId: anId('P'),
    status: 'WAIT_BUYER_PAY',
    buyerUserId: '2088102122524333',
    buyerLoginId: 'buyer@example.com',
    buyerIdentityCode: '280000000000000001',
    paymentInst: 'ALIPAYCN',
    currency: 'USD',
    transCurrency: 'USD',
    amountMinor: 10_00,
    refundedMinor: 0,
    exchangeRate: '7.10000000',
    transForexRate: '1.00000000',
    transName: 'Coffee',
    notifyUrl: null,
    createdAt: new Date('2026-11-26T04:00:00.123Z'),
    paidAt: null,
    closedAt: null,
    expiresAt: new Date('2026-11-26T04:15:00.123Z'),
    closeReason: null,
    cancelAction: null,
    resolution: null,
    queryCount: 0,
    ...overrides,
  };
}

/** A new paid trade as spot pay asks the store for it. */
export function anUnnumberedTrade(overrides: Partial<UnnumberedTrade> = {}): UnnumberedTrade {
  const {
    alipayTransId: _id,
    buyerUserId: _user,
    buyerLoginId: _login,
    paymentInst: _wallet,
    ...trade
  } = aTrade({
    status: 'TRADE_SUCCESS',
    paidAt: new Date('2026-11-26T04:00:00.123Z'),
    expiresAt: null,
    notifyUrl: 'http://127.0.0.1:9/notify',
  });
  return { ...trade, ...overrides };
}

/** A refund of trade, as spot refund would insert it. */
export function aStoredRefund(trade: Trade, overrides: Partial<Refund> = {}): Refund {
  return {
    partner: trade.partner,
    partnerRefundId: anId('R'),
    alipayTransId: trade.alipayTransId,
    partnerTransId: trade.partnerTransId,
    amountMinor: 1_00,
    currency: trade.currency,
    reason: null,
    isSync: true,
    notifyUrl: null,
    createdAt: new Date('2026-11-26T05:00:00.456Z'),
    ...overrides,
  };
}

/** An enabled custom rule ready for Store.createRule, unlimited and without expiry. */
export function aRule(overrides: Partial<NewRule> = {}): NewRule {
  return {
    id: anId('rule-'),
    partner: '2088101122136241',
    service: 'alipay.acquire.overseas.spot.pay',
    name: 'Decline big amounts',
    priority: 10,
    enabled: true,
    when: [{ field: 'trans_amount', op: 'gte', value: '100.00' }],
    then: { type: 'business', result_code: 'FAILED', error: 'EXCEED_LIMIT' },
    times: null,
    expiresAt: null,
    ...overrides,
  };
}

/** A logged spot pay that succeeded, ready for Store.appendRequestLog. */
export function aRequestLogEntry(overrides: Partial<NewRequestLogEntry> = {}): NewRequestLogEntry {
  return {
    receivedAt: new Date('2026-11-26T04:00:00.250Z'),
    partner: '2088101122136241',
    service: 'alipay.acquire.overseas.spot.pay',
    method: 'POST',
    rawQuery: '',
    rawBody: 'service=alipay.acquire.overseas.spot.pay&partner=2088101122136241',
    params: [
      { name: 'service', value: 'alipay.acquire.overseas.spot.pay', source: 'body' },
      { name: 'partner', value: '2088101122136241', source: 'body' },
    ],
    charset: 'utf-8',
    signature: { ok: true, convention: 'sorted', signString: 'partner=2088101122136241&service=…' },
    gatewayError: null,
    resultCode: 'SUCCESS',
    error: null,
    reason: null,
    ruleId: null,
    ruleName: null,
    alipayTransId: anId('2026'),
    partnerTransId: anId('P'),
    outcome: 'SUCCESS',
    responseStatus: 200,
    responseBody: '<?xml version="1.0" encoding="utf-8"?><alipay><is_success>T</is_success></alipay>',
    durationMs: 3.25,
    diagnosis: null,
    requestId: null,
    sandboxAt: null,
    ...overrides,
  };
}

/** An API key ready for Store.createApiKey, with a unique id and hash. */
export function anApiKey(overrides: Partial<NewApiKey> = {}): NewApiKey {
  return {
    id: anId('key_'),
    partner: '2088101122136241',
    name: 'CI pipeline',
    keyHash: createHash('sha256').update(anId('amk_')).digest('hex'),
    ...overrides,
  };
}
