import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { callGateway } from '../helpers/gateway-call.js';
import { aCancel, aPay } from '../helpers/builders.js';
import { aTrade } from '../helpers/store-builders.js';
import { VECTORS_DIR } from '../protocol/fixtures.js';
import { DEMO_BUYERS, DEMO_HK_MERCHANT, DEMO_MERCHANT } from '../../src/demo-accounts.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const QUERY = 'alipay.acquire.overseas.query';
const CANCEL = 'alipay.acquire.cancel';
const HK = { partner: DEMO_HK_MERCHANT.partner, key: DEMO_HK_MERCHANT.md5Key };
const HK_BUYER_CODE = '282222222222222222';
/** Any well-formed code no demo buyer owns: the default (mainland, ALIPAYCN) buyer pays for it. */
const CN_WALLET_CODE = '289999999999999999';

const parser = new XMLParser({ parseTagValue: false });

/** The children of `<response><alipay>` of a real capture, in document order, with their values. */
function sampleFields(file: string): Record<string, string> {
  const text = readFileSync(join(VECTORS_DIR, file), 'utf8');
  if (file.endsWith('.txt')) {
    // Only the business fields were published (EX-Q3).
    return (parser.parse(`<alipay>${text}</alipay>`) as { alipay: Record<string, string> }).alipay;
  }
  const doc = parser.parse(text) as { alipay: { response: { alipay: Record<string, string> } } };
  return doc.alipay.response.alipay;
}

/** Everything but the named fields, whose values depend on when and in which sandbox the trade was made. */
function without(fields: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter(([name]) => !names.includes(name)));
}

describe("the sandbox's query answer has the real captures' fields in the same order", () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.close());

  it('TRADE_CLOSED, AlipayHK wallet (EX-Q1): an HKD trade of the HK buyer, paid then cancelled', async () => {
    const sample = sampleFields('overseas-query-response-TRADE_CLOSED-ALIPAYHK.xml');
    const id = sample.partner_trans_id!;
    const pay = aPay({
      partner_trans_id: id,
      alipay_seller_id: HK.partner,
      currency: 'HKD',
      trans_amount: sample.trans_amount!,
      buyer_identity_code: HK_BUYER_CODE,
    });
    const paid = await callGateway(app.url, PAY, pay, HK);
    assert.equal(paid.envelope.response.result_code, 'SUCCESS');
    const cancelled = await callGateway(app.url, CANCEL, aCancel(id), HK);
    assert.equal(cancelled.envelope.response.action, 'refund');

    const res = await callGateway(app.url, QUERY, { partner_trans_id: id }, HK);
    assert.deepEqual(res.envelope.responseOrder, Object.keys(sample));
    // The demo HK buyer is the capture's buyer; only Alipay's id and the payment time differ.
    const ignored = ['alipay_pay_time', 'alipay_trans_id'];
    assert.deepEqual(without(res.envelope.response, ignored), without(sample, ignored));
  });

  it('TRADE_SUCCESS, mainland wallet on an HK merchant (EX-Q2): payment_inst ALIPAYCN, no CNY fields', async () => {
    const sample = sampleFields('overseas-query-response-TRADE_SUCCESS-ALIPAYCN.xml');
    const id = sample.partner_trans_id!;
    const pay = aPay({
      partner_trans_id: id,
      alipay_seller_id: HK.partner,
      currency: 'HKD',
      trans_amount: sample.trans_amount!,
      buyer_identity_code: CN_WALLET_CODE,
    });
    assert.equal((await callGateway(app.url, PAY, pay, HK)).envelope.response.result_code, 'SUCCESS');

    const res = await callGateway(app.url, QUERY, { partner_trans_id: id }, HK);
    assert.deepEqual(res.envelope.responseOrder, Object.keys(sample));
    assert.equal(res.envelope.response.payment_inst, 'ALIPAYCN');
    assert.equal(res.envelope.response.alipay_trans_status, 'TRADE_SUCCESS');
  });

  it('WAIT_BUYER_PAY in USD (EX-Q3): a pending trade answers rates, CNY amounts and no pay time', async () => {
    const sample = sampleFields('overseas-query-response-fields-WAIT_BUYER_PAY.txt');
    const buyer = DEMO_BUYERS.find((b) => b.isDefault)!;
    const now = app.clock.now();
    // The capture's own trade: 0.01 USD at 6.6464, with the sandbox buyer it names.
    const trade = aTrade({
      alipayTransId: sample.alipay_trans_id!,
      partner: DEMO_MERCHANT.partner,
      partnerTransId: sample.partner_trans_id!,
      status: 'WAIT_BUYER_PAY',
      buyerUserId: buyer.userId,
      buyerLoginId: buyer.loginId,
      buyerIdentityCode: CN_WALLET_CODE,
      paymentInst: buyer.wallet,
      currency: 'USD',
      transCurrency: 'USD',
      amountMinor: 1,
      exchangeRate: sample.exchange_rate!,
      transForexRate: '1',
      createdAt: now,
      paidAt: null,
      expiresAt: new Date(now.getTime() + 180_000),
    });
    assert.ok(await app.store.transaction((tx) => tx.insertTrade(trade)));

    const res = await callGateway(app.url, QUERY, { partner_trans_id: trade.partnerTransId });
    assert.deepEqual(res.envelope.responseOrder, Object.keys(sample));
    // With the capture's own data, the values are the capture's too (0.01 × 6.6464 = 0.066464 → 0.07).
    assert.deepEqual({ ...res.envelope.response }, sample);
  });
});
