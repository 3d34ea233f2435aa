import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { callGateway } from '../helpers/gateway-call.js';
import { api } from '../helpers/admin-call.js';
import { aPrecreate } from '../helpers/builders.js';
import { DEFAULT_QR_RULES } from '../../src/rules/default-qr-rules.js';

const PRECREATE = 'alipay.acquire.precreate';
const CREATE = 'alipay.acquire.create';
const QUERY = 'alipay.acquire.overseas.query';
const PARTNER = '2088101122136241';
const DEFAULT_BUYER = '2088622937243084';
const OTHER_BUYER = '2088000000000101';

describe('alipay.acquire.create and the mock rules of the QR services', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.close());

  const query = async (outTradeNo: string) =>
    (await callGateway(app.url, QUERY, { partner_trans_id: outTradeNo })).envelope.response;

  it('create makes a waiting trade of a known buyer, which only that buyer pays in the wallet', async () => {
    const params = aPrecreate({ buyer_id: OTHER_BUYER, total_fee: '2.00' });
    const r = (await callGateway(app.url, CREATE, params)).envelope.response;
    assert.equal(r.result_code, 'SUCCESS');
    assert.equal(r.out_trade_no, params.out_trade_no);
    assert.match(r.trade_no ?? '', /^\d{28}$/);
    const q = await query(params.out_trade_no!);
    assert.equal(q.alipay_trans_status, 'WAIT_BUYER_PAY');
    assert.equal(q.alipay_buyer_user_id, OTHER_BUYER);
    const wrong = await api(app.url, 'POST', '/api/wallet/pay', {
      partner: PARTNER,
      trade: params.out_trade_no,
      buyer: DEFAULT_BUYER,
    });
    assert.equal(wrong.status, 409);
    const paid = await api(app.url, 'POST', '/api/wallet/pay', { partner: PARTNER, trade: r.trade_no });
    assert.equal(paid.status, 200, JSON.stringify(paid.json));
    assert.equal((await query(params.out_trade_no!)).alipay_trans_status, 'TRADE_SUCCESS');
  });

  it('create for an unknown buyer is FAIL / BUYER_NOT_EXIST; without a buyer ILLEGAL_ARGUMENT', async () => {
    const unknown = await callGateway(app.url, CREATE, aPrecreate({ buyer_email: 'nobody@example.test' }));
    assert.equal(unknown.envelope.response.result_code, 'FAIL');
    assert.equal(unknown.envelope.response.detail_error_code, 'BUYER_NOT_EXIST');
    const none = await callGateway(app.url, CREATE, aPrecreate());
    assert.equal(none.envelope.error, 'ILLEGAL_ARGUMENT');
  });

  it('default rule MOCK_PRECREATE_<CODE>-: FAIL with detail_error_code and no trade', async () => {
    const params = aPrecreate({ out_trade_no: `MOCK_PRECREATE_SYSTEM_ERROR-${Date.now()}` });
    const r = (await callGateway(app.url, PRECREATE, params)).envelope.response;
    assert.equal(r.result_code, 'FAIL');
    assert.equal(r.detail_error_code, 'SYSTEM_ERROR');
    assert.equal(r.error, undefined);
    assert.equal(r.out_trade_no, params.out_trade_no);
    assert.equal((await query(params.out_trade_no!)).result_code, 'FAIL');
  });

  it('default rule MOCK_PRECREATE_NEVER_SCANNED-: a QR code no buyer can pay, closed at its timeout', async () => {
    const params = aPrecreate({ out_trade_no: `MOCK_PRECREATE_NEVER_SCANNED-${Date.now()}`, it_b_pay: '2m' });
    const r = (await callGateway(app.url, PRECREATE, params)).envelope.response;
    assert.equal(r.result_code, 'SUCCESS');
    assert.ok(r.qr_code?.includes('/wallet/'));
    const pay = await api(app.url, 'POST', '/api/wallet/pay', { qrCode: r.qr_code });
    assert.equal(pay.status, 409);
    assert.match(String(pay.json['detail']), /rule_owned/);
    app.clock.advance(121_000);
    assert.equal((await query(params.out_trade_no!)).alipay_trans_status, 'TRADE_CLOSED');
  });

  it('a custom precreate rule answers its failure; a spelling of another service is refused', async () => {
    const rule = await api(app.url, 'POST', '/api/rules', {
      partner: PARTNER,
      service: PRECREATE,
      name: 'big orders refused',
      when: [{ field: 'total_fee', op: 'eq', value: '3.33' }],
      then: { type: 'business', result_code: 'FAIL', error: 'TOTAL_FEE_EXCEED' },
    });
    assert.equal(rule.status, 201, JSON.stringify(rule.json));
    const params = aPrecreate({ total_fee: '3.33' });
    const r = (await callGateway(app.url, PRECREATE, params)).envelope.response;
    assert.equal(r.detail_error_code, 'TOTAL_FEE_EXCEED');
    assert.equal(r.detail_error_des, '订单总金额超过限额');
    const bad = await api(app.url, 'POST', '/api/rules', {
      partner: PARTNER,
      service: PRECREATE,
      name: 'wrong spelling',
      then: { type: 'business', result_code: 'FAILED', error: 'SYSTEM_ERROR' },
    });
    assert.equal(bad.status, 400);
  });

  for (const rule of DEFAULT_QR_RULES) {
    it(`${rule.id}: ${rule.name}`, async () => {
      const condition = rule.when[0];
      const service = rule.service;
      const step = rule.then;
      assert.ok(condition && step.type === 'business');
      const extra: Record<string, string> = service === CREATE ? { buyer_id: DEFAULT_BUYER } : {};
      const params = aPrecreate({ ...extra, out_trade_no: `${String(condition.value)}${Date.now()}` });
      const r = (await callGateway(app.url, service, params)).envelope.response;
      assert.equal(r.result_code, step.result_code);
      assert.equal(r.detail_error_code, step.error);
      assert.equal(r.out_trade_no, params.out_trade_no);
      const status = (await query(params.out_trade_no!)).alipay_trans_status;
      assert.equal(status, step.effect === 'pending' ? 'WAIT_BUYER_PAY' : undefined);
    });
  }
});
