import { generateKeyPairSync } from 'node:crypto';
import assert from 'node:assert/strict';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { api } from './admin-call.js';
import { callGateway } from './gateway-call.js';
import { aPay, aPrecreate, aRefund } from './builders.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const REFUND = 'alipay.acquire.overseas.spot.refund';
const QUERY = 'alipay.acquire.overseas.query';
const PARTNER = DEMO_MERCHANT.partner;

/** What populateConsole made, for the pages that show one thing. */
export interface ConsoleFixtures {
  /** A custom rule with a pending outcome, its resolution, a notification mode and a delay. */
  pendingRuleId: string;
  /** A paid trade with two refunds and notifications (its alipay_trans_id). */
  refundedTradeId: string;
  /** The request-log entry of that trade's pay, whose answer is long XML. */
  longPayRequestId: number;
  /** A buyer with a payment code. */
  buyerUserId: string;
  /** A precreate order waiting for its buyer, whose page shows the QR code (its alipay_trans_id). */
  qrOrderTradeId: string;
}

/** `prefix` padded with `-x…` to exactly `length` characters: the longest id a field allows. */
function longest(prefix: string, length: number): string {
  return `${prefix}-${'x'.repeat(length)}`.slice(0, length);
}

async function createRule(baseUrl: string, rule: Record<string, unknown>): Promise<string> {
  const res = await api(baseUrl, 'POST', '/api/rules', { partner: PARTNER, ...rule });
  assert.equal(res.status, 201, JSON.stringify(res.json));
  return String(res.json['id']);
}

async function createRules(baseUrl: string): Promise<string> {
  const pendingRuleId = await createRule(baseUrl, {
    id: longest('pending-then-paid-after-two-queries-flagship-store', 64),
    service: PAY,
    name: `Pending, then paid after two queries, with the paid notification delayed ${'and a long name '.repeat(3)}`.slice(
      0,
      120,
    ),
    priority: 50,
    times: 3,
    expiresAt: '2027-01-31T23:59:59.000Z',
    when: [
      { field: 'trans_amount', op: 'eq', value: '12345678.90' },
      { field: 'extend_info.secondary_merchant_id', op: 'eq', value: 'SECONDARY-MERCHANT-0000000042' },
      { field: 'partner_trans_id', op: 'regex', value: '^FLAGSHIP-STORE-[0-9]{4}-[0-9]{2}-[0-9]{2}-' },
    ],
    then: {
      type: 'business',
      result_code: 'UNKNOW',
      effect: 'pending',
      resolve: { to: 'paid', afterSeconds: 86_400, afterQueries: 2 },
      delay: { type: 'lognormal', medianMs: 2000, sigma: 0.8 },
      notify: { mode: 'out_of_order', delaySeconds: 86_400 },
      fields: {
        trans_name: 'A rather long transaction name that a POS might send {{partner_trans_id}}',
        payment_time: '{{now:yyyy-MM-dd HH:mm:ss}}',
      },
    },
  });
  await createRule(baseUrl, {
    id: longest('refund-retry-sequence', 64),
    service: REFUND,
    name: 'Refund: system error, then reset, then normal with a duplicated notification',
    when: [
      { field: 'refund_amount', op: 'in', value: ['0.01', '0.02', '0.03', '1000000.00', '99999999.99'] },
    ],
    then: {
      type: 'sequence',
      loop: true,
      steps: [
        { type: 'business', result_code: 'FAILED', error: 'SYSTEM_ERROR' },
        { type: 'fault', fault: 'reset', delay: { type: 'uniform', minMs: 1000, maxMs: 10000 } },
        { type: 'normal', notify: { mode: 'duplicate' } },
      ],
    },
  });
  // Enough rules for a long list on every tab.
  const services = [PAY, REFUND, QUERY, 'alipay.acquire.cancel'];
  for (let i = 0; i < 24; i += 1) {
    const service = services[i % services.length]!;
    await createRule(baseUrl, {
      id: longest(`rule-${String(i).padStart(2, '0')}`, 48),
      service,
      name: `Rule ${i} for ${service}`,
      priority: i,
      when: [
        { field: service === PAY ? 'trans_amount' : 'partner_trans_id', op: 'prefix', value: `MOCK-${i}-` },
      ],
      then:
        service === PAY
          ? { type: 'business', result_code: 'FAILED', error: 'BUYER_PAYMENT_AMOUNT_DAY_LIMIT_EXCEEDED' }
          : { type: 'gateway_error', code: 'ILLEGAL_ARGUMENT' },
    });
  }
  return pendingRuleId;
}

async function createRefundedTrade(baseUrl: string): Promise<{ tradeId: string; requestId: number }> {
  const partnerTransId = longest('FLAGSHIP-STORE-2026-11-26-ORDER', 64);
  const paid = await callGateway(
    baseUrl,
    PAY,
    aPay({
      partner_trans_id: partnerTransId,
      trans_amount: '12345.67',
      trans_name: 'Grande latte with oat milk, two croissants and a very long basket description '.repeat(3),
      memo: 'Table 12, the customer asked for a receipt by e-mail; loyalty card 4000 1234 5678 9010',
      notify_url: `http://127.0.0.1:9/alipay/notify/${'segment/'.repeat(15)}`.slice(0, 200),
      extend_info: JSON.stringify({
        secondary_merchant_id: 'SECONDARY-MERCHANT-0000000042',
        secondary_merchant_name: 'Flagship store',
        store_id: 'STORE-00000000000000000001',
      }),
    }),
  );
  assert.equal(paid.envelope.response['result_code'], 'SUCCESS', paid.text);
  const tradeId = paid.envelope.response['alipay_trans_id'] ?? '';
  for (const [amount, sync] of [
    ['1234.56', 'Y'],
    ['0.01', 'N'],
  ] as const) {
    const refund = await callGateway(
      baseUrl,
      REFUND,
      aRefund(partnerTransId, {
        partner_refund_id: longest(`REFUND-${amount}`, 64),
        refund_amount: amount,
        is_sync: sync,
        notify_url: 'http://127.0.0.1:9/alipay/notify',
      }),
    );
    assert.match(refund.text, /<is_success>T<\/is_success>/);
  }
  await callGateway(baseUrl, QUERY, { partner_trans_id: partnerTransId });
  const log = await api(
    baseUrl,
    'GET',
    `/api/requests?partner=${PARTNER}&tradeId=${partnerTransId}&limit=50`,
  );
  const items = log.json['items'] as Array<{ id: number; service: string }>;
  const pay = items.find((e) => e.service === PAY);
  assert.ok(pay, 'the pay is in the request log');
  return { tradeId, requestId: pay.id };
}

/**
 * Fills the demo merchant's console with realistic data at its longest: many custom rules with long
 * ids, names and conditions, a paid trade with refunds and notifications, a pending trade, a signature
 * failure, an uploaded RSA key, a precreate order waiting for its buyer.
 */
export async function populateConsole(baseUrl: string): Promise<ConsoleFixtures> {
  const pendingRuleId = await createRules(baseUrl);
  const { tradeId, requestId } = await createRefundedTrade(baseUrl);
  await callGateway(baseUrl, PAY, aPay({ trans_amount: '9941' }));
  await callGateway(baseUrl, PAY, aPay({ trans_amount: '1.00' }), {
    key: 'not-the-merchant-key-000000000000',
  });
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const patched = await api(baseUrl, 'PATCH', `/api/merchants/${PARTNER}`, { rsaPublicKey: pem });
  assert.equal(patched.status, 200, JSON.stringify(patched.json));
  const buyers = await api(baseUrl, 'GET', '/api/buyers');
  const buyer = (buyers.json['items'] as Array<{ userId: string; paymentCode: string | null }>).find(
    (b) => b.paymentCode !== null,
  );
  assert.ok(buyer, 'a demo buyer has a payment code');
  const qrOrder = await callGateway(
    baseUrl,
    'alipay.acquire.precreate',
    aPrecreate({ subject: longest('QR', 256) }),
  );
  const qrOrderTradeId = qrOrder.envelope.response['trade_no'] ?? '';
  assert.ok(qrOrderTradeId, JSON.stringify(qrOrder.envelope));
  return {
    pendingRuleId,
    refundedTradeId: tradeId,
    longPayRequestId: requestId,
    buyerUserId: buyer.userId,
    qrOrderTradeId,
  };
}
