import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  startNotifyApp,
  startNotifyTarget,
  type NotifyApp,
  type NotifyTarget,
} from '../notify/notify-helpers.js';
import { callGateway } from '../helpers/gateway-call.js';
import { api } from '../helpers/admin-call.js';
import { aPrecreate, aCancel, aRefund } from '../helpers/builders.js';

const PRECREATE = 'alipay.acquire.precreate';
const QUERY = 'alipay.acquire.overseas.query';
const CANCEL = 'alipay.acquire.cancel';
const REFUND = 'alipay.acquire.overseas.spot.refund';
const LOW_BALANCE_BUYER = '2088000000000101';

describe('alipay.acquire.precreate and the wallet', () => {
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

  const query = async (outTradeNo: string) =>
    (await callGateway(app.url, QUERY, { partner_trans_id: outTradeNo })).envelope.response;

  it('answers SUCCESS with a wallet URL of this sandbox, its images, trade_no and voucher_type', async () => {
    const params = aPrecreate();
    const res = await callGateway(app.url, PRECREATE, params);
    const r = res.envelope.response;
    assert.equal(res.envelope.isSuccess, 'T');
    assert.equal(r.result_code, 'SUCCESS');
    assert.equal(r.out_trade_no, params.out_trade_no);
    assert.match(r.trade_no ?? '', /^\d{28}$/);
    assert.ok(r.qr_code?.startsWith(`${app.url}/wallet/o2088101122136241`), r.qr_code);
    assert.equal(r.pic_url, `${r.qr_code}/qr.svg?size=M`);
    assert.equal(r.small_pic_url, `${r.qr_code}/qr.svg?size=S`);
    assert.equal(r.big_pic_url, `${r.qr_code}/qr.svg?size=L`);
    assert.equal(r.voucher_type, 'qrcode');
    assert.deepEqual(res.envelope.responseOrder, [...res.envelope.responseOrder].sort());
  });

  it('a query shows the unscanned trade WAIT_BUYER_PAY without buyer fields', async () => {
    const params = aPrecreate({ total_fee: '0.01' });
    await callGateway(app.url, PRECREATE, params);
    const q = await query(params.out_trade_no!);
    assert.equal(q.result_code, 'SUCCESS');
    assert.equal(q.alipay_trans_status, 'WAIT_BUYER_PAY');
    assert.equal(q.out_trade_no, params.out_trade_no);
    assert.equal(q.trans_amount, '0.01');
    assert.equal(q.alipay_buyer_user_id, undefined);
    assert.equal(q.alipay_buyer_login_id, undefined);
  });

  it('paid through the wallet API: query turns TRADE_SUCCESS and the notification arrives', async () => {
    const params = aPrecreate({ notify_url: target.url });
    const r = (await callGateway(app.url, PRECREATE, params)).envelope.response;
    const paid = await api(app.url, 'POST', '/api/wallet/pay', { qrCode: r.qr_code });
    assert.equal(paid.status, 200, JSON.stringify(paid.json));
    assert.equal(paid.json['status'], 'TRADE_SUCCESS');
    const q = await query(params.out_trade_no!);
    assert.equal(q.alipay_trans_status, 'TRADE_SUCCESS');
    assert.equal(q.alipay_buyer_user_id, '2088622937243084');
    assert.match(q.alipay_pay_time ?? '', /^\d{14}$/);
    await app.deliver();
    const mine = target.received.filter((n) => n.params['out_trade_no'] === params.out_trade_no);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]?.params['trade_status'], 'TRADE_SUCCESS');
    assert.equal(mine[0]?.params['trade_no'], r.trade_no);
  });

  it('a repeat of the same order answers the same QR code; once paid, TRADE_HAS_SUCCESS (EX-P)', async () => {
    const params = aPrecreate();
    const first = (await callGateway(app.url, PRECREATE, params)).envelope.response;
    const again = (await callGateway(app.url, PRECREATE, params)).envelope.response;
    assert.deepEqual(again, first);
    const changed = (await callGateway(app.url, PRECREATE, { ...params, total_fee: '11.00' })).envelope
      .response;
    assert.equal(changed.result_code, 'FAIL');
    assert.equal(changed.detail_error_code, 'CONTEXT_INCONSISTENT');
    await api(app.url, 'POST', '/api/wallet/pay', { qrCode: first.qr_code });
    const done = (await callGateway(app.url, PRECREATE, params)).envelope.response;
    assert.equal(done.result_code, 'FAIL');
    assert.equal(done.detail_error_code, 'TRADE_HAS_SUCCESS');
    assert.equal(done.detail_error_des, '交易已经支付');
    assert.equal(done.out_trade_no, params.out_trade_no);
  });

  it('an unpaid order closes at its it_b_pay on the sandbox clock and notifies the close', async () => {
    const params = aPrecreate({ it_b_pay: '5m', notify_url: target.url });
    const r = (await callGateway(app.url, PRECREATE, params)).envelope.response;
    await api(app.url, 'POST', '/api/merchants/2088101122136241/clock', { advanceSeconds: 299 });
    assert.equal((await query(params.out_trade_no!)).alipay_trans_status, 'WAIT_BUYER_PAY');
    await api(app.url, 'POST', '/api/merchants/2088101122136241/clock', { advanceSeconds: 2 });
    assert.equal((await query(params.out_trade_no!)).alipay_trans_status, 'TRADE_CLOSED');
    const late = await api(app.url, 'POST', '/api/wallet/pay', { qrCode: r.qr_code });
    assert.equal(late.status, 409);
    assert.equal(late.json['code'], 'conflict');
    await app.deliver();
    const mine = target.received.filter((n) => n.params['out_trade_no'] === params.out_trade_no);
    assert.equal(mine.at(-1)?.params['trade_status'], 'TRADE_CLOSED');
    await api(app.url, 'DELETE', '/api/merchants/2088101122136241/clock');
  });

  it('cancel closes a waiting order; a paid one is refunded by spot refund', async () => {
    const waiting = aPrecreate();
    await callGateway(app.url, PRECREATE, waiting);
    const c = (await callGateway(app.url, CANCEL, aCancel(waiting.out_trade_no!))).envelope.response;
    assert.equal(c.result_code, 'SUCCESS');
    assert.equal(c.action, 'close');
    assert.equal((await query(waiting.out_trade_no!)).alipay_trans_status, 'TRADE_CLOSED');

    const paid = aPrecreate({ total_fee: '8.00' });
    const r = (await callGateway(app.url, PRECREATE, paid)).envelope.response;
    await api(app.url, 'POST', '/api/wallet/pay', { qrCode: r.qr_code });
    const refund = await callGateway(app.url, REFUND, aRefund(paid.out_trade_no!, { refund_amount: '8.00' }));
    assert.equal(refund.envelope.response.result_code, 'SUCCESS');
    assert.equal((await query(paid.out_trade_no!)).alipay_trans_status, 'TRADE_CLOSED');
  });

  it('decline keeps the order waiting with its buyer; another buyer is refused; expire closes it', async () => {
    const params = aPrecreate({ total_fee: '5.00' });
    const r = (await callGateway(app.url, PRECREATE, params)).envelope.response;
    const declined = await api(app.url, 'POST', '/api/wallet/decline', {
      qrCode: r.qr_code,
      buyer: LOW_BALANCE_BUYER,
    });
    assert.equal(declined.status, 200, JSON.stringify(declined.json));
    const q = await query(params.out_trade_no!);
    assert.equal(q.alipay_trans_status, 'WAIT_BUYER_PAY');
    assert.equal(q.alipay_buyer_user_id, LOW_BALANCE_BUYER);
    const other = await api(app.url, 'POST', '/api/wallet/pay', {
      qrCode: r.qr_code,
      buyer: '2088622937243084',
    });
    assert.equal(other.status, 409);
    assert.match(String(other.json['detail']), /buyer_mismatch/);
    const expired = await api(app.url, 'POST', '/api/wallet/expire', { qrCode: r.qr_code });
    assert.equal(expired.json['status'], 'TRADE_CLOSED');
    assert.equal((await query(params.out_trade_no!)).alipay_trans_status, 'TRADE_CLOSED');
  });

  it('a buyer short of money is refused and the order keeps waiting', async () => {
    const params = aPrecreate({ total_fee: '500.00' });
    const r = (await callGateway(app.url, PRECREATE, params)).envelope.response;
    const res = await api(app.url, 'POST', '/api/wallet/pay', {
      qrCode: r.qr_code,
      buyer: LOW_BALANCE_BUYER,
    });
    assert.equal(res.status, 409);
    assert.match(String(res.json['detail']), /balance_too_low/);
    assert.equal((await query(params.out_trade_no!)).alipay_trans_status, 'WAIT_BUYER_PAY');
  });

  it('a forged or unknown code is not found (problem+json)', async () => {
    const params = aPrecreate();
    const r = (await callGateway(app.url, PRECREATE, params)).envelope.response;
    const forged = (r.qr_code ?? '').replace(/x[0-9a-f]{12}$/, 'x000000000000');
    const res = await api(app.url, 'POST', '/api/wallet/pay', { qrCode: forged });
    assert.equal(res.status, 404);
    assert.equal(res.json['code'], 'not_found');
    const bad = await api(app.url, 'POST', '/api/wallet/pay', {});
    assert.equal(bad.status, 400);
  });

  it('bad parameters: missing ones are ILLEGAL_ARGUMENT, unacceptable ones FAIL / INVALID_PARAMETER', async () => {
    const missing = await callGateway(app.url, PRECREATE, {
      out_trade_no: 'X1',
      subject: 'A',
      currency: 'USD',
    });
    assert.equal(missing.envelope.isSuccess, 'F');
    assert.equal(missing.envelope.error, 'ILLEGAL_ARGUMENT');
    const cases: Array<Record<string, string>> = [
      { it_b_pay: '1.5h' },
      { price: '3.00', quantity: '3' },
      { seller_id: '2088000000000000' },
    ];
    for (const bad of cases) {
      const res = await callGateway(app.url, PRECREATE, aPrecreate(bad));
      assert.equal(res.envelope.response.result_code, 'FAIL', JSON.stringify(bad));
      assert.equal(res.envelope.response.detail_error_code, 'INVALID_PARAMETER');
    }
  });
});
