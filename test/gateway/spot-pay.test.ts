import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { callGateway } from '../helpers/gateway-call.js';
import { aPay } from '../helpers/builders.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_HK_MERCHANT } from '../../src/demo-accounts.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const DEMO = '2088101122136241';

describe('spot pay', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.close());

  it('answers SUCCESS with every documented field, sorted, amounts with 2 decimals', async () => {
    const res = await callGateway(app.url, PAY, aPay({ trans_amount: '39.25' }));
    const r = res.envelope.response;
    assert.deepEqual(res.envelope.responseOrder, [
      'alipay_buyer_login_id',
      'alipay_buyer_user_id',
      'alipay_pay_time',
      'alipay_trans_id',
      'currency',
      'exchange_rate',
      'partner_trans_id',
      'result_code',
      'trans_amount',
      'trans_amount_cny',
    ]);
    assert.equal(r.alipay_buyer_login_id, 'cnb*@alitest.*');
    assert.match(r.alipay_buyer_user_id ?? '', /^2088\d{12}$/);
    assert.equal(r.alipay_pay_time, '20261126120000'); // 04:00 UTC is 12:00 in Beijing
    assert.equal(r.exchange_rate, '7.12340000');
    assert.equal(r.trans_amount, '39.25');
    assert.equal(r.trans_amount_cny, '279.59'); // 39.25 × 7.1234 = 279.5934…
    assert.equal(res.headers['content-type'], 'text/xml; charset=GBK');
    assert.equal(res.status, 200);
  });

  it('an identical replay answers the same trade and never charges twice', async () => {
    const pay = aPay({ buyer_identity_code: '281111111111111111', trans_amount: '4.00' });
    const before = (await app.store.getBuyer('2088000000000101'))!.balances.USD!;
    const first = await callGateway(app.url, PAY, pay);
    const second = await callGateway(app.url, PAY, pay);
    assert.equal(second.envelope.response.alipay_trans_id, first.envelope.response.alipay_trans_id);
    assert.equal(second.envelope.response.result_code, 'SUCCESS');
    assert.equal((await app.store.getBuyer('2088000000000101'))!.balances.USD, before - 400);
  });

  it('concurrent identical pays create exactly one trade and one debit', async () => {
    const pay = aPay({ buyer_identity_code: '282222222222222222', currency: 'HKD', trans_amount: '1.00' });
    const balance = (await app.store.getBuyer('2088042172056571'))!.balances.HKD!;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => callGateway(app.url, PAY, pay, { partner: DEMO })),
    );
    const ids = new Set(answers.map((a) => a.envelope.response.alipay_trans_id));
    assert.equal(ids.size, 1);
    assert.ok(answers.every((a) => a.envelope.response.result_code === 'SUCCESS'));
    assert.equal((await app.store.getBuyer('2088042172056571'))!.balances.HKD, balance - 100);
  });

  it('the same partner_trans_id with another buyer is TRADE_BUYER_NOT_MATCH', async () => {
    const pay = aPay();
    await callGateway(app.url, PAY, pay);
    const res = await callGateway(app.url, PAY, { ...pay, buyer_identity_code: '289999999999999999' });
    assert.deepEqual({ ...res.envelope.response }, { error: 'TRADE_BUYER_NOT_MATCH', result_code: 'FAILED' });
  });

  it('the same partner_trans_id with another amount is CONTEXT_INCONSISTENT', async () => {
    const pay = aPay();
    await callGateway(app.url, PAY, pay);
    const res = await callGateway(app.url, PAY, { ...pay, trans_amount: '10.01' });
    assert.equal(res.envelope.response.error, 'CONTEXT_INCONSISTENT');
  });

  it('a closed trade replayed is TRADE_HAS_CLOSE', async () => {
    const pay = aPay();
    await callGateway(app.url, PAY, pay);
    await callGateway(app.url, 'alipay.acquire.cancel', {
      out_trade_no: pay.partner_trans_id!,
      timestamp: '1764129600000',
    });
    const res = await callGateway(app.url, PAY, pay);
    assert.equal(res.envelope.response.error, 'TRADE_HAS_CLOSE');
  });

  it('a payment above the buyer balance is BUYER_BALANCE_NOT_ENOUGH and leaves no trade', async () => {
    const pay = aPay({ buyer_identity_code: '281111111111111111', trans_amount: '5000.00' });
    const res = await callGateway(app.url, PAY, pay);
    assert.deepEqual(
      { ...res.envelope.response },
      { error: 'BUYER_BALANCE_NOT_ENOUGH', result_code: 'FAILED' },
    );
    assert.equal(await app.store.getTrade(DEMO, { partnerTransId: pay.partner_trans_id! }), undefined);
  });

  it('JPY takes integers only: 1000 pays, 1000.5 is INVALID_PARAMETER', async () => {
    const ok = await callGateway(app.url, PAY, aPay({ currency: 'JPY', trans_amount: '1000' }));
    assert.equal(ok.envelope.response.trans_amount, '1000');
    const bad = await callGateway(app.url, PAY, aPay({ currency: 'JPY', trans_amount: '1000.5' }));
    assert.equal(bad.envelope.response.error, 'INVALID_PARAMETER');
    assert.equal(bad.envelope.response.result_code, 'FAILED');
  });

  for (const [name, overrides] of [
    ['three decimals', { trans_amount: '1.001' }],
    ['amount zero', { trans_amount: '0.00' }],
    ['amount above 100000000.00', { trans_amount: '100000000.01' }],
    ['unknown currency', { currency: 'XXX' }],
    ['seller id other than partner', { alipay_seller_id: '2088000000000000' }],
    ['bad buyer code', { buyer_identity_code: '123456' }],
    ['identity_code_type other than barcode', { identity_code_type: 'qrcode' }],
  ] as const) {
    it(`refuses ${name} with INVALID_PARAMETER`, async () => {
      const res = await callGateway(app.url, PAY, aPay(overrides));
      assert.equal(res.envelope.isSuccess, 'T');
      assert.equal(res.envelope.response.error, 'INVALID_PARAMETER');
    });
  }

  for (const [name, params] of [
    ['missing trans_name', { trans_name: '' }],
    ['non-numeric amount', { trans_amount: '1,00' }],
    ['over-long partner_trans_id', { partner_trans_id: 'x'.repeat(65) }],
    ['extend_info that is not JSON', { extend_info: '{oops' }],
  ] as const) {
    it(`refuses ${name} with the gateway error ILLEGAL_ARGUMENT`, async () => {
      const res = await callGateway(app.url, PAY, aPay(params));
      assert.equal(res.envelope.isSuccess, 'F');
      assert.equal(res.envelope.error, 'ILLEGAL_ARGUMENT');
    });
  }

  it('an HKD merchant answers with payment_inst in query and no CNY fields', async () => {
    const pay = aPay({
      alipay_seller_id: DEMO_HK_MERCHANT.partner,
      currency: 'HKD',
      buyer_identity_code: '282222222222222222',
    });
    const opts = { partner: DEMO_HK_MERCHANT.partner, key: DEMO_HK_MERCHANT.md5Key };
    const paid = await callGateway(app.url, PAY, pay, opts);
    assert.equal(paid.envelope.response.result_code, 'SUCCESS');
    assert.equal(paid.envelope.response.exchange_rate, undefined);
    const q = await callGateway(
      app.url,
      'alipay.acquire.overseas.query',
      { partner_trans_id: pay.partner_trans_id! },
      opts,
    );
    assert.equal(q.envelope.response.payment_inst, 'ALIPAYHK');
    assert.equal(q.envelope.response.alipay_buyer_login_id, '852-****0654');
  });

  it('pricing in another currency converts: trans_currency CNY settles in USD', async () => {
    const pay = aPay({ currency: 'USD', trans_currency: 'CNY', trans_amount: '71.23' });
    const paid = await callGateway(app.url, PAY, pay);
    assert.equal(paid.envelope.response.result_code, 'SUCCESS');
    const q = await callGateway(app.url, 'alipay.acquire.overseas.query', {
      partner_trans_id: pay.partner_trans_id!,
    });
    assert.equal(q.envelope.response.trans_amount, '71.23');
    assert.equal(q.envelope.response.forex_total_fee, '10.00');
    assert.equal(q.envelope.response.trans_amount_cny, '71.23');
  });

  it('state survives a restart of the process on a file store', async () => {
    const db = `sqlite:${join(mkdtempSync(join(tmpdir(), 'am-')), 'ledger.db')}`;
    const first = await startTestApp({ db });
    const pay = aPay();
    await callGateway(first.url, PAY, pay);
    await callGateway(first.url, 'alipay.acquire.overseas.spot.refund', {
      partner_trans_id: pay.partner_trans_id!,
      partner_refund_id: `R${pay.partner_trans_id!}`,
      refund_amount: '2.50',
      currency: 'USD',
    });
    await first.close();
    const second = await startTestApp({ db });
    try {
      const q = await callGateway(second.url, 'alipay.acquire.overseas.query', {
        partner_trans_id: pay.partner_trans_id!,
      });
      assert.equal(q.envelope.response.alipay_trans_status, 'TRADE_SUCCESS');
      assert.equal(q.envelope.response.refund_amount_cny, '17.81');
      const trade = await second.store.getTrade(DEMO, { partnerTransId: pay.partner_trans_id! });
      assert.equal(trade?.refundedMinor, 250);
    } finally {
      await second.close();
    }
  });
});
