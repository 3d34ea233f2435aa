import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { parseEnvelope } from '../helpers/gateway-call.js';
import { uniqueId } from '../helpers/builders.js';
import { DEMO_MERCHANT } from '../../src/demo-accounts.js';
import { createMapiClient, type MapiClient, type MapiClientOptions } from '../../src/index.js';

const BUYER = '280000000000000001';

function aPayInput(overrides: { transAmount?: string; transName?: string } = {}) {
  return {
    partnerTransId: uniqueId('C'),
    transName: overrides.transName ?? 'Coffee',
    currency: 'USD',
    transAmount: overrides.transAmount ?? '10.00',
    buyerIdentityCode: BUYER,
  };
}

describe('MAPI client against the sandbox (MD5)', () => {
  let app: TestApp;
  let client: MapiClient;
  const clientFor = (opts: Partial<MapiClientOptions> = {}) =>
    createMapiClient({
      gateway: `${app.url}/gateway.do`,
      partner: DEMO_MERCHANT.partner,
      key: DEMO_MERCHANT.md5Key,
      ...opts,
    });

  before(async () => {
    app = await startTestApp();
    client = clientFor();
  });
  after(async () => {
    client.close();
    await app.close();
  });

  it('spotPay answers SUCCESS with a typed view and a verified signature', async () => {
    const input = aPayInput();
    const paid = await client.spotPay(input);
    assert.equal(paid.resultCode, 'SUCCESS');
    assert.equal(paid.signatureVerified, true);
    assert.match(paid.alipayTransId ?? '', /^\d{28}$/);
    assert.equal(paid.partnerTransId, input.partnerTransId);
    assert.equal(paid.transAmount, '10.00');
    assert.equal(paid.fields['result_code'], 'SUCCESS');
    assert.equal(paid.request['alipay_seller_id'], DEMO_MERCHANT.partner);
    assert.equal(paid.request['sign_type'], 'MD5');
  });

  it('query reports the trade status as tradeStatus, values unchanged ("10.00")', async () => {
    const input = aPayInput();
    const paid = await client.spotPay(input);
    const byMerchantId = await client.query({ partnerTransId: input.partnerTransId });
    assert.equal(byMerchantId.resultCode, 'SUCCESS');
    assert.equal(byMerchantId.tradeStatus, 'TRADE_SUCCESS');
    assert.equal(byMerchantId.transAmount, '10.00');
    assert.equal(byMerchantId.signatureVerified, true);
    const byAlipayId = await client.query({ alipayTransId: paid.alipayTransId ?? '' });
    assert.equal(byAlipayId.partnerTransId, input.partnerTransId);
  });

  it('spotRefund refunds in part, then the rest closes the trade', async () => {
    const input = aPayInput({ transAmount: '10.00' });
    await client.spotPay(input);
    const refund = {
      partnerTransId: input.partnerTransId,
      currency: 'USD',
      isSync: true,
    };
    const first = await client.spotRefund({
      ...refund,
      partnerRefundId: uniqueId('R'),
      refundAmount: '4.00',
    });
    assert.equal(first.resultCode, 'SUCCESS');
    assert.equal(first.refundAmount, '4.00');
    assert.equal(first.signatureVerified, true);
    assert.equal(first.request['is_sync'], 'Y');
    const rest = await client.spotRefund({ ...refund, partnerRefundId: uniqueId('R'), refundAmount: '6.00' });
    assert.equal(rest.resultCode, 'SUCCESS');
    const q = await client.query({ partnerTransId: input.partnerTransId });
    assert.equal(q.tradeStatus, 'TRADE_CLOSED');
  });

  it('cancel refunds a paid trade and sends the timestamp in epoch milliseconds', async () => {
    const input = aPayInput();
    await client.spotPay(input);
    const cancelled = await client.cancel({ outTradeNo: input.partnerTransId });
    assert.equal(cancelled.resultCode, 'SUCCESS');
    assert.equal(cancelled.action, 'refund');
    assert.equal(cancelled.retryFlag, 'N');
    assert.match(cancelled.request['timestamp'] ?? '', /^\d{13}$/);
    const q = await client.query({ partnerTransId: input.partnerTransId });
    assert.equal(q.tradeStatus, 'TRADE_CLOSED');
  });

  it('a business failure is a result with resultCode and error, not an exception', async () => {
    const q = await client.query({ partnerTransId: uniqueId('NOPE') });
    assert.equal(q.resultCode, 'FAIL');
    assert.equal(q.error, 'TRADE_NOT_EXIST');
    assert.equal(q.signatureVerified, true);
  });

  it('GBK: Chinese text is signed in GBK and the GBK answer is decoded by its Content-Type charset', async () => {
    const gbk = clientFor({ charset: 'GBK' });
    try {
      const paid = await gbk.spotPay(aPayInput({ transName: '测试商品 test' }));
      assert.equal(paid.resultCode, 'SUCCESS');
      assert.equal(paid.signatureVerified, true);
      const echo = parseEnvelope(paid.xml).request;
      assert.deepEqual(
        echo.find(([name]) => name === 'trans_name'),
        ['trans_name', '测试商品 test'],
      );
    } finally {
      gbk.close();
    }
  });

  it('GET sends every parameter in the query string and gets the same answer', async () => {
    const get = clientFor({ method: 'GET' });
    try {
      const paid = await get.spotPay(aPayInput());
      assert.equal(paid.resultCode, 'SUCCESS');
      assert.equal(paid.signatureVerified, true);
    } finally {
      get.close();
    }
  });

  it('extendInfo is sent as JSON text and extra parameters are sent and signed', async () => {
    const paid = await client.spotPay({
      ...aPayInput(),
      extendInfo: { secondary_merchant_id: 'M1', store_id: 'S1' },
      extra: { terminal_note: 'till 3' },
    });
    assert.equal(paid.resultCode, 'SUCCESS');
    assert.equal(paid.request['extend_info'], '{"secondary_merchant_id":"M1","store_id":"S1"}');
    assert.equal(paid.request['terminal_note'], 'till 3');
  });

  it('notifyVerify answers false for a notify_id the sandbox never sent', async () => {
    assert.equal(await client.notifyVerify('never-sent-0001'), false);
  });

  it('call() reaches any service with raw parameters', async () => {
    const input = aPayInput();
    await client.spotPay(input);
    const raw = await client.call('alipay.acquire.overseas.query', {
      partner_trans_id: input.partnerTransId,
    });
    assert.equal(raw.fields['alipay_trans_status'], 'TRADE_SUCCESS');
  });
});
