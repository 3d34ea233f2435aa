import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { callGateway } from '../helpers/gateway-call.js';
import { aCancel, aPay, aRefund } from '../helpers/builders.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const QUERY = 'alipay.acquire.overseas.query';
const REFUND = 'alipay.acquire.overseas.spot.refund';
const CANCEL = 'alipay.acquire.cancel';

describe('the life of a trade', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.close());

  it('pay → query → partial refund → refund the rest → query shows TRADE_CLOSED', async () => {
    const pay = aPay({ trans_amount: '10.00' });
    const paid = await callGateway(app.url, PAY, pay);
    assert.equal(paid.envelope.isSuccess, 'T');
    assert.equal(paid.envelope.response.result_code, 'SUCCESS');
    assert.match(paid.envelope.response.alipay_trans_id ?? '', /^\d{28}$/);

    const q1 = await callGateway(app.url, QUERY, { partner_trans_id: pay.partner_trans_id! });
    assert.equal(q1.envelope.response.alipay_trans_status, 'TRADE_SUCCESS');
    assert.equal(q1.envelope.response.trans_amount, '10.00');

    const r1 = await callGateway(app.url, REFUND, aRefund(pay.partner_trans_id!, { refund_amount: '4.00' }));
    assert.equal(r1.envelope.response.result_code, 'SUCCESS');
    assert.equal(r1.envelope.response.refund_amount, '4.00');
    const q2 = await callGateway(app.url, QUERY, { partner_trans_id: pay.partner_trans_id! });
    assert.equal(q2.envelope.response.alipay_trans_status, 'TRADE_SUCCESS');

    const r2 = await callGateway(app.url, REFUND, aRefund(pay.partner_trans_id!, { refund_amount: '6.00' }));
    assert.equal(r2.envelope.response.result_code, 'SUCCESS');
    const q3 = await callGateway(app.url, QUERY, { partner_trans_id: pay.partner_trans_id! });
    assert.equal(q3.envelope.response.alipay_trans_status, 'TRADE_CLOSED');
  });

  it('pay → cancel the same day → TRADE_CLOSED with action refund', async () => {
    const pay = aPay();
    await callGateway(app.url, PAY, pay);
    const c = await callGateway(app.url, CANCEL, aCancel(pay.partner_trans_id!));
    assert.equal(c.envelope.response.result_code, 'SUCCESS');
    assert.equal(c.envelope.response.action, 'refund');
    assert.equal(c.envelope.response.retry_flag, 'N');
    const q = await callGateway(app.url, QUERY, { partner_trans_id: pay.partner_trans_id! });
    assert.equal(q.envelope.response.alipay_trans_status, 'TRADE_CLOSED');
  });

  it('a repeated cancel answers SUCCESS again (idempotent)', async () => {
    const pay = aPay();
    await callGateway(app.url, PAY, pay);
    await callGateway(app.url, CANCEL, aCancel(pay.partner_trans_id!));
    const again = await callGateway(app.url, CANCEL, aCancel(pay.partner_trans_id!));
    assert.equal(again.envelope.response.result_code, 'SUCCESS');
    assert.equal(again.envelope.response.action, 'refund');
  });

  it('cancel on the next Beijing day is refused with TRADE_STATUS_ERROR', async () => {
    const pay = aPay();
    await callGateway(app.url, PAY, pay);
    app.clock.advance(24 * 60 * 60 * 1000);
    const c = await callGateway(app.url, CANCEL, aCancel(pay.partner_trans_id!));
    assert.equal(c.envelope.response.result_code, 'FAIL');
    assert.equal(c.envelope.response.error, 'TRADE_STATUS_ERROR');
    assert.equal(c.envelope.response.retry_flag, 'N');
  });

  it('cancel of a partly refunded trade is refused with REFUND_AMT_NOT_EQUAL_TOTAL', async () => {
    const pay = aPay();
    await callGateway(app.url, PAY, pay);
    await callGateway(app.url, REFUND, aRefund(pay.partner_trans_id!));
    const c = await callGateway(app.url, CANCEL, aCancel(pay.partner_trans_id!));
    assert.equal(c.envelope.response.error, 'REFUND_AMT_NOT_EQUAL_TOTAL');
  });

  it('cancel of an unknown trade answers FAIL / TRADE_NOT_EXIST / retry N', async () => {
    const c = await callGateway(app.url, CANCEL, aCancel('NO-SUCH-TRADE'));
    assert.deepEqual(
      { ...c.envelope.response },
      { error: 'TRADE_NOT_EXIST', out_trade_no: 'NO-SUCH-TRADE', result_code: 'FAIL', retry_flag: 'N' },
    );
  });

  it('query of an unknown trade answers FAIL / TRADE_NOT_EXIST', async () => {
    const q = await callGateway(app.url, QUERY, { partner_trans_id: 'NO-SUCH-TRADE' });
    assert.deepEqual({ ...q.envelope.response }, { error: 'TRADE_NOT_EXIST', result_code: 'FAIL' });
  });

  it('refund of an unknown trade answers FAILED / TRADE_NOT_EXIST', async () => {
    const r = await callGateway(app.url, REFUND, aRefund('NO-SUCH-TRADE'));
    assert.deepEqual({ ...r.envelope.response }, { error: 'TRADE_NOT_EXIST', result_code: 'FAILED' });
  });

  it('a refund above the remaining amount is refused and changes nothing', async () => {
    const pay = aPay({ trans_amount: '5.00' });
    await callGateway(app.url, PAY, pay);
    await callGateway(app.url, REFUND, aRefund(pay.partner_trans_id!, { refund_amount: '3.00' }));
    const over = await callGateway(
      app.url,
      REFUND,
      aRefund(pay.partner_trans_id!, { refund_amount: '2.01' }),
    );
    assert.equal(over.envelope.response.error, 'RETURN_AMOUNT_EXCEED');
    const tooBig = await callGateway(
      app.url,
      REFUND,
      aRefund(pay.partner_trans_id!, { refund_amount: '5.01' }),
    );
    assert.equal(tooBig.envelope.response.error, 'REQUEST_AMOUNT_EXCEED');
    const trade = await app.store.getTrade('2088101122136241', { partnerTransId: pay.partner_trans_id! });
    assert.equal(trade?.refundedMinor, 300);
  });

  it('a refund in another currency is refused with CURRENCY_NOT_SAME', async () => {
    const pay = aPay();
    await callGateway(app.url, PAY, pay);
    const r = await callGateway(app.url, REFUND, aRefund(pay.partner_trans_id!, { currency: 'EUR' }));
    assert.equal(r.envelope.response.error, 'CURRENCY_NOT_SAME');
  });

  it('a replayed refund id with the same content replays; different content is DISCORDANT_REPEAT_REQUEST', async () => {
    const pay = aPay();
    await callGateway(app.url, PAY, pay);
    const refund = aRefund(pay.partner_trans_id!, { refund_amount: '2.00' });
    const first = await callGateway(app.url, REFUND, refund);
    const again = await callGateway(app.url, REFUND, refund);
    assert.deepEqual(again.envelope.response, first.envelope.response);
    const changed = await callGateway(app.url, REFUND, { ...refund, refund_amount: '3.00' });
    assert.equal(changed.envelope.response.error, 'DISCORDANT_REPEAT_REQUEST');
    const trade = await app.store.getTrade('2088101122136241', { partnerTransId: pay.partner_trans_id! });
    assert.equal(trade?.refundedMinor, 200);
  });

  it('a fully refunded trade cannot be refunded again: TRADE_HAS_CLOSE', async () => {
    const pay = aPay({ trans_amount: '1.00' });
    await callGateway(app.url, PAY, pay);
    await callGateway(app.url, REFUND, aRefund(pay.partner_trans_id!, { refund_amount: '1.00' }));
    const r = await callGateway(app.url, REFUND, aRefund(pay.partner_trans_id!, { refund_amount: '0.01' }));
    assert.equal(r.envelope.response.error, 'TRADE_HAS_CLOSE');
  });

  it('after the refund window a paid trade is TRADE_FINISHED and refunds are refused', async () => {
    const pay = aPay();
    await callGateway(app.url, PAY, pay);
    app.clock.advance(366 * 24 * 60 * 60 * 1000);
    const q = await callGateway(app.url, QUERY, { partner_trans_id: pay.partner_trans_id! });
    assert.equal(q.envelope.response.alipay_trans_status, 'TRADE_FINISHED');
    const r = await callGateway(app.url, REFUND, aRefund(pay.partner_trans_id!));
    assert.equal(r.envelope.response.error, 'REFUNDMENT_VALID_DATE_EXCEED');
    const c = await callGateway(app.url, CANCEL, aCancel(pay.partner_trans_id!));
    assert.equal(c.envelope.response.error, 'TRADE_HAS_FINISHED');
  });
});
