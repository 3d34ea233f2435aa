import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { callGateway, rawRequest } from '../helpers/gateway-call.js';
import { api } from '../helpers/admin-call.js';
import { aCancel, aPay, aRefund } from '../helpers/builders.js';
import { buildSignString, md5Sign } from '../../src/protocol/sign.js';
import { responseSignString } from '../../src/protocol/envelope.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const QUERY = 'alipay.acquire.overseas.query';
const REFUND = 'alipay.acquire.overseas.spot.refund';
const DEMO = '2088101122136241';

/** A GET that reports transport trouble instead of throwing, with a client-side timeout. */
function tryGet(
  url: string,
  timeoutMs: number,
): Promise<{ kind: 'answer' | 'timeout' | 'error'; code?: string; status?: number }> {
  return new Promise((resolve) => {
    const req = request(url, (res) => {
      res.resume();
      res.on('end', () => resolve({ kind: 'answer', status: res.statusCode ?? 0 }));
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ kind: 'error', code: e.code ?? e.message }));
    });
    req.setTimeout(timeoutMs, () => {
      req.destroy();
      resolve({ kind: 'timeout' });
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ kind: 'error', code: e.code ?? e.message }));
    req.end();
  });
}

function signedPayUrl(base: string, params: Record<string, string>): string {
  const all = { service: PAY, partner: DEMO, _input_charset: 'utf-8', ...params };
  const sign = md5Sign(buildSignString(all), '760bdzec6y9goq7ctyx96ezkz78287de', 'UTF-8');
  return `${base}/gateway.do?${new URLSearchParams({ ...all, sign, sign_type: 'MD5' }).toString()}`;
}

describe('mock rules end to end', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.close());

  it('the seed sample (trans_amount=9901) answers FAILED / SYSTEM_ERROR with the full echo, signed', async () => {
    const key = 's'.repeat(32);
    assert.equal(
      (await api(app.url, 'POST', '/api/merchants', { partner: '2088621880270354', md5Key: key })).status,
      201,
    );
    const sample: Array<[string, string]> = [
      ['client_info', '{"client_ip":"10.20.30.40"}'],
      ['identity_code_type', 'barcode'],
      ['memo', 'nomemo'],
      ['trans_amount', '9901'],
      ['sign_type', 'MD5'],
      ['trans_name', 'xxxzgl'],
      ['buyer_identity_code', '288888888888888888'],
      ['partner_trans_id', '8567745904202380'],
      ['password', 'SJV88po0XvIptqWGM4rxP5EQ'],
      ['sendFormat', 'normal'],
      ['currency', 'USD'],
      ['agreement_info', '{"agreement_no":"123"}'],
      ['trans_currency', 'USD'],
      ['biz_product', 'OVERSEAS_MBARCODE_PAY'],
      ['service', PAY],
      ['format_type', 'xml'],
      ['quantity', '1'],
      ['partner', '2088621880270354'],
    ];
    const sign = md5Sign(buildSignString(Object.fromEntries(sample)), key, 'GBK');
    const withSign = [...sample.slice(0, 11), ['sign', sign] as [string, string], ...sample.slice(11)];
    const query = withSign.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
    const res = await rawRequest(app.url, { path: `/gateway.do?${query}` });
    const expectedSign = md5Sign('error=SYSTEM_ERROR&result_code=FAILED', key, 'GBK');
    const echo = withSign.map(([k, v]) => `<param name="${k}">${v.replace(/"/g, '&quot;')}</param>`).join('');
    assert.equal(
      res.text,
      `<?xml version="1.0" encoding="GBK"?><alipay><is_success>T</is_success><request>${echo}</request>` +
        `<response><alipay><error>SYSTEM_ERROR</error><result_code>FAILED</result_code></alipay></response>` +
        `<sign>${expectedSign}</sign><sign_type>MD5</sign_type></alipay>`,
    );
    const count = await api(app.url, 'GET', '/api/requests/count?ruleId=default-pay-9901');
    assert.equal(count.json.count, 1);
  });

  it('a custom rule answers its decline `times` times, then the normal behaviour returns', async () => {
    const created = await api(app.url, 'POST', '/api/rules', {
      partner: DEMO,
      service: PAY,
      name: 'decline 12.34',
      priority: 10,
      when: [{ field: 'trans_amount', op: 'eq', value: '12.34' }],
      then: { type: 'business', result_code: 'FAILED', error: 'BUYER_BALANCE_NOT_ENOUGH' },
      times: 2,
    });
    assert.equal(created.status, 201);
    const answers = [];
    for (let i = 0; i < 3; i++)
      answers.push((await callGateway(app.url, PAY, aPay({ trans_amount: '12.34' }))).envelope.response);
    assert.deepEqual(
      answers.map((a) => a.error ?? a.result_code),
      ['BUYER_BALANCE_NOT_ENOUGH', 'BUYER_BALANCE_NOT_ENOUGH', 'SUCCESS'],
    );
    const rule = await api(app.url, 'GET', `/api/rules/${String(created.json.id)}`);
    assert.equal(rule.json.hits, 2);
    assert.equal(rule.json.remaining, 0);
  });

  it('a times:1 rule answers exactly once under 12 concurrent requests', async () => {
    await api(app.url, 'POST', '/api/rules', {
      partner: DEMO,
      service: PAY,
      name: 'once',
      when: [{ field: 'trans_amount', op: 'eq', value: '23.45' }],
      then: { type: 'business', result_code: 'FAILED', error: 'BUYER_NOT_EXIST' },
      times: 1,
    });
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => callGateway(app.url, PAY, aPay({ trans_amount: '23.45' }))),
    );
    assert.equal(answers.filter((a) => a.envelope.response.error === 'BUYER_NOT_EXIST').length, 1);
  });

  it('a sequence: the refund fails twice, then succeeds, and the ledger refunds once', async () => {
    const pay = aPay();
    await callGateway(app.url, PAY, pay);
    await api(app.url, 'POST', '/api/rules', {
      partner: DEMO,
      service: REFUND,
      name: 'refund fails twice then succeeds',
      when: [{ field: 'partner_trans_id', op: 'eq', value: pay.partner_trans_id }],
      then: {
        type: 'sequence',
        steps: [
          { type: 'business', result_code: 'FAILED', error: 'SYSTEM_ERROR' },
          { type: 'business', result_code: 'FAILED', error: 'SYSTEM_ERROR' },
          { type: 'normal' },
        ],
      },
    });
    const refund = aRefund(pay.partner_trans_id!, { refund_amount: '3.00' });
    const codes = [];
    for (let i = 0; i < 3; i++)
      codes.push((await callGateway(app.url, REFUND, refund)).envelope.response.result_code);
    assert.deepEqual(codes, ['FAILED', 'FAILED', 'SUCCESS']);
    const trade = await app.store.getTrade(DEMO, { partnerTransId: pay.partner_trans_id! });
    assert.equal(trade?.refundedMinor, 300);
  });

  it('default 9941: UNKNOW, then the trade is paid on the second query', async () => {
    const pay = aPay({ trans_amount: '9941' });
    const first = await callGateway(app.url, PAY, pay);
    assert.equal(first.envelope.response.result_code, 'UNKNOW');
    assert.match(first.envelope.response.alipay_trans_id ?? '', /^\d{28}$/);
    const q1 = await callGateway(app.url, QUERY, { partner_trans_id: pay.partner_trans_id! });
    assert.equal(q1.envelope.response.alipay_trans_status, 'WAIT_BUYER_PAY');
    const q2 = await callGateway(app.url, QUERY, { partner_trans_id: pay.partner_trans_id! });
    assert.equal(q2.envelope.response.alipay_trans_status, 'TRADE_SUCCESS');
  });

  it('default 9942 with the sandbox clock: advancing 31 s closes the pending trade', async () => {
    const pay = aPay({ trans_amount: '9942' });
    assert.equal((await callGateway(app.url, PAY, pay)).envelope.response.result_code, 'UNKNOW');
    const moved = await api(app.url, 'POST', `/api/merchants/${DEMO}/clock`, { advanceSeconds: 31 });
    assert.equal(moved.status, 200);
    const q = await callGateway(app.url, QUERY, { partner_trans_id: pay.partner_trans_id! });
    assert.equal(q.envelope.response.alipay_trans_status, 'TRADE_CLOSED');
    await api(app.url, 'DELETE', `/api/merchants/${DEMO}/clock`);
  });

  it('default 9945: the client times out, yet query shows it paid and cancel refunds it', async () => {
    const pay = aPay({ trans_amount: '9945' });
    const attempt = await tryGet(signedPayUrl(app.url, pay), 500);
    assert.equal(attempt.kind, 'timeout');
    const q = await callGateway(app.url, QUERY, { partner_trans_id: pay.partner_trans_id! });
    assert.equal(q.envelope.response.alipay_trans_status, 'TRADE_SUCCESS');
    const c = await callGateway(app.url, 'alipay.acquire.cancel', aCancel(pay.partner_trans_id!));
    assert.equal(c.envelope.response.action, 'refund');
  });

  it('default 9947: the client sees a connection reset', async () => {
    const attempt = await tryGet(signedPayUrl(app.url, aPay({ trans_amount: '9947' })), 2000);
    assert.equal(attempt.kind, 'error');
    assert.equal(attempt.code, 'ECONNRESET');
  });

  it('default 9961: the response signature does not verify', async () => {
    const res = await callGateway(app.url, PAY, aPay({ trans_amount: '9961' }));
    const expected = md5Sign(
      responseSignString(res.envelope.response),
      '760bdzec6y9goq7ctyx96ezkz78287de',
      'UTF-8',
    );
    assert.notEqual(res.envelope.sign, expected);
  });

  it('default 9964: an HTML 502 page', async () => {
    const attempt = await tryGet(signedPayUrl(app.url, aPay({ trans_amount: '9964' })), 2000);
    assert.deepEqual(attempt, { kind: 'answer', status: 502 });
  });

  it('a merchant can switch a default rule off: 9901 then pays normally', async () => {
    const off = await api(app.url, 'PUT', `/api/merchants/${DEMO}/default-rules/default-pay-9901`, {
      enabled: false,
    });
    assert.equal(off.status, 200);
    const res = await callGateway(app.url, PAY, aPay({ trans_amount: '9901' }));
    assert.equal(res.envelope.response.result_code, 'SUCCESS');
    await api(app.url, 'PUT', `/api/merchants/${DEMO}/default-rules/default-pay-9901`, { enabled: true });
    const again = await callGateway(app.url, PAY, aPay({ trans_amount: '9901' }));
    assert.equal(again.envelope.response.error, 'SYSTEM_ERROR');
  });

  it('an invalid rule is refused with problem+json naming the field', async () => {
    const res = await api(app.url, 'POST', '/api/rules', {
      partner: DEMO,
      service: PAY,
      name: 'bad',
      when: [{ field: 'trans_amount', op: 'regex', value: '(' }],
      then: { type: 'business', result_code: 'FAILED' },
    });
    assert.equal(res.status, 400);
    assert.match(res.contentType ?? '', /^application\/problem\+json/);
    assert.equal(res.json.code, 'invalid_request');
    assert.match(String(res.json.detail), /when/);
  });
});
