import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { callGateway, parseEnvelope, rawRequest } from '../helpers/gateway-call.js';
import { SERVICES } from '../../src/protocol/constants.js';
import { api } from '../helpers/admin-call.js';

interface Recorded {
  client: string;
  method: string;
  path: string;
  raw_query: string;
  raw_body: string;
  headers: Array<[string, string]>;
  params: Record<string, string>;
  sign_check: string;
}

const VECTORS = new URL('../../../test/fixtures/vectors/', import.meta.url);
const FOUR: ReadonlySet<string> = new Set(SERVICES);

function load(file: string): Recorded[] {
  return readFileSync(new URL(file, VECTORS), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Recorded);
}

describe('requests recorded from real client libraries, replayed byte for byte', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.close());

  for (const file of [
    'php-client-requests.jsonl',
    'node-client-requests.jsonl',
    'ruby-client-requests.jsonl',
    'python-client-requests.jsonl',
  ]) {
    for (const [i, rec] of load(file).entries()) {
      const service = rec.params.service ?? '';
      const expectation = !FOUR.has(service)
        ? 'ILLEGAL_SERVICE'
        : rec.sign_check === 'MISMATCH'
          ? 'ILLEGAL_SIGN'
          : 'accepted';
      it(`${file} #${i} ${rec.client} ${service}: ${expectation}`, async () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of rec.headers) {
          if (!/^(host|content-length|connection|keep-alive)$/i.test(k)) headers[k] = v;
        }
        const res = await rawRequest(app.url, {
          method: rec.method,
          path: `${rec.path}${rec.raw_query ? `?${rec.raw_query}` : ''}`,
          body: rec.method === 'POST' ? rec.raw_body : undefined,
          headers,
        });
        assert.equal(res.status, 200);
        const env = parseEnvelope(res.text);
        if (expectation === 'accepted') {
          assert.equal(env.isSuccess, 'T', res.text);
          // The echo holds every received parameter, decoded (Chinese included, through GBK).
          const echo = Object.fromEntries(env.request);
          for (const [k, v] of Object.entries(rec.params)) assert.equal(echo[k], v, `echo of ${k}`);
          assert.ok(env.response.result_code, 'a business result_code');
        } else {
          assert.equal(env.isSuccess, 'F');
          assert.equal(env.error, expectation);
        }
      });
    }
  }

  it('after the PHP client paid and then cancelled, its query finds the trade closed', async () => {
    const [pay, query] = load('php-client-requests.jsonl').filter((r) => r.client === 'yurun-php');
    assert.ok(pay && query);
    const res = await rawRequest(app.url, { path: `${query.path}?${query.raw_query}` });
    const env = parseEnvelope(res.text);
    assert.equal(env.response.alipay_trans_status, 'TRADE_CLOSED');
    assert.equal(env.response.partner_trans_id, pay.params.partner_trans_id);
  });

  it("the PHP client's merchant QR code, modified, stopped and restarted, takes a payment; its orders wait", async () => {
    const recorded = load('php-client-requests.jsonl').filter((r) => r.client === 'yurun-php-qr');
    const byService = (service: string) => recorded.filter((r) => r.params.service === service);
    const [status] = byService('alipay.commerce.qrcode.modifyStatus').slice(-1);
    assert.equal(status?.params.status, 'RESTART');
    const paid = await api(app.url, 'POST', '/api/wallet/pay', {
      qrCode: status.params.qrcode,
      amount: '12.30',
    });
    assert.equal(paid.status, 200, JSON.stringify(paid.json));
    const modify = byService('alipay.commerce.qrcode.modify')[0];
    const biz = JSON.parse(modify?.params.biz_data ?? '{}') as Record<string, string>;
    assert.equal(paid.json['transName'], biz['store_name']);
    for (const order of [...byService('alipay.acquire.precreate'), ...byService('alipay.acquire.create')]) {
      const res = await callGateway(app.url, 'alipay.acquire.overseas.query', {
        partner_trans_id: order.params.out_trade_no ?? '',
      });
      assert.equal(res.envelope.response.alipay_trans_status, 'WAIT_BUYER_PAY');
    }
  });
});
