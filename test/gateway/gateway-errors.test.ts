import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { callGateway, parseEnvelope, rawRequest } from '../helpers/gateway-call.js';
import { aPay } from '../helpers/builders.js';
import { buildSignString, md5Sign, rsaSign, rsaVerify } from '../../src/protocol/sign.js';
import { encodeForm } from '../../src/protocol/form-encode.js';
import { responseSignString } from '../../src/protocol/envelope.js';

const PAY = 'alipay.acquire.overseas.spot.pay';
const QUERY = 'alipay.acquire.overseas.query';
const ERROR_ENVELOPE = (code: string) =>
  `<?xml version="1.0" encoding="GBK"?><alipay><is_success>F</is_success><error>${code}</error></alipay>`;

async function adminPost(app: TestApp, path: string, body: unknown) {
  const res = await fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('gateway errors, in the documented order', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(async () => app.close());

  it('an unknown service is ILLEGAL_SERVICE, unsigned, HTTP 200, GBK', async () => {
    const res = await callGateway(app.url, 'single_trade_query', { out_trade_no: '1' });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/xml; charset=GBK');
    assert.equal(res.text, ERROR_ENVELOPE('ILLEGAL_SERVICE'));
  });

  it('an unknown partner is ILLEGAL_PARTNER (checked before the signature)', async () => {
    const res = await callGateway(app.url, QUERY, { partner_trans_id: '1' }, { partner: '2088999999999999' });
    assert.equal(res.text, ERROR_ENVELOPE('ILLEGAL_PARTNER'));
  });

  it('an unknown charset is ILLEGAL_CHARSET', async () => {
    const res = await rawRequest(app.url, {
      path: '/gateway.do?service=alipay.acquire.overseas.query&partner=2088101122136241&_input_charset=latin9&partner_trans_id=1&sign_type=MD5&sign=x',
    });
    assert.equal(res.text, ERROR_ENVELOPE('ILLEGAL_CHARSET'));
  });

  it('an unsupported sign type is ILLEGAL_SIGN_TYPE', async () => {
    const res = await rawRequest(app.url, {
      path: '/gateway.do?service=alipay.acquire.overseas.query&partner=2088101122136241&partner_trans_id=1&sign_type=DSA&sign=x',
    });
    assert.equal(res.text, ERROR_ENVELOPE('ILLEGAL_SIGN_TYPE'));
  });

  it('RSA without an uploaded public key is ILLEGAL_SECURITY_PROFILE', async () => {
    const res = await rawRequest(app.url, {
      path: '/gateway.do?service=alipay.acquire.overseas.query&partner=2088101122136241&partner_trans_id=1&sign_type=RSA2&sign=x',
    });
    assert.equal(res.text, ERROR_ENVELOPE('ILLEGAL_SECURITY_PROFILE'));
  });

  it('a service not enabled for the merchant is ILLEGAL_PARTNER_EXTERFACE', async () => {
    const created = await adminPost(app, '/api/merchants', {
      partner: '2088000000000555',
      md5Key: 'k'.repeat(32),
      services: ['alipay.acquire.overseas.query'],
    });
    assert.equal(created.status, 201);
    const res = await callGateway(app.url, PAY, aPay({ alipay_seller_id: '2088000000000555' }), {
      partner: '2088000000000555',
      key: 'k'.repeat(32),
    });
    assert.equal(res.text, ERROR_ENVELOPE('ILLEGAL_PARTNER_EXTERFACE'));
  });

  it('a wrong key is ILLEGAL_SIGN; so is a missing sign', async () => {
    const res = await callGateway(app.url, QUERY, { partner_trans_id: '1' }, { key: '0'.repeat(32) });
    assert.equal(res.text, ERROR_ENVELOPE('ILLEGAL_SIGN'));
    const unsigned = await rawRequest(app.url, {
      path: '/gateway.do?service=alipay.acquire.overseas.query&partner=2088101122136241&partner_trans_id=1&sign_type=MD5',
    });
    assert.equal(unsigned.text, ERROR_ENVELOPE('ILLEGAL_SIGN'));
  });

  it('a tampered parameter after signing is ILLEGAL_SIGN', async () => {
    const params = { service: QUERY, partner: '2088101122136241', partner_trans_id: 'A1' };
    const sign = md5Sign(buildSignString(params), '760bdzec6y9goq7ctyx96ezkz78287de', 'GBK');
    const res = await rawRequest(app.url, {
      path: `/gateway.do?${encodeForm({ ...params, partner_trans_id: 'A2', sign, sign_type: 'MD5' }, 'GBK')}`,
    });
    assert.equal(res.text, ERROR_ENVELOPE('ILLEGAL_SIGN'));
  });

  it('a query with neither id is ILLEGAL_ARGUMENT', async () => {
    const res = await callGateway(app.url, QUERY, {});
    assert.equal(res.text, ERROR_ENVELOPE('ILLEGAL_ARGUMENT'));
  });

  it('answers a POST form and a GET alike, and a POST with parameters in the URL', async () => {
    const pay = aPay();
    const viaPost = await callGateway(app.url, PAY, pay, { method: 'POST' });
    assert.equal(viaPost.envelope.response.result_code, 'SUCCESS');
    const query = { service: QUERY, partner: '2088101122136241', partner_trans_id: pay.partner_trans_id! };
    const sign = md5Sign(buildSignString(query), '760bdzec6y9goq7ctyx96ezkz78287de', 'GBK');
    const res = await rawRequest(app.url, {
      method: 'POST',
      path: `/gateway.do?${encodeForm({ ...query, sign, sign_type: 'MD5' }, 'GBK')}`,
      body: '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(parseEnvelope(res.text).response.alipay_trans_status, 'TRADE_SUCCESS');
  });

  it('signs the response with MD5 over the sorted business fields and the merchant key', async () => {
    const res = await callGateway(app.url, PAY, aPay());
    const expected = md5Sign(
      responseSignString(res.envelope.response),
      '760bdzec6y9goq7ctyx96ezkz78287de',
      'UTF-8',
    );
    assert.equal(res.envelope.sign, expected);
    assert.equal(res.envelope.signType, 'MD5');
  });

  it('verifies RSA2 requests with the uploaded key and signs the answer with the sandbox key', async () => {
    const merchantKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pub = merchantKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const priv = merchantKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const created = await adminPost(app, '/api/merchants', {
      partner: '2088000000000777',
      rsaPublicKey: pub,
    });
    assert.equal(created.status, 201);
    for (const signType of ['RSA', 'RSA2'] as const) {
      const params = {
        service: QUERY,
        partner: '2088000000000777',
        _input_charset: 'UTF-8',
        partner_trans_id: 'NONE',
      };
      const sign = rsaSign(buildSignString(params), priv, signType, 'UTF-8');
      const res = await rawRequest(app.url, {
        path: `/gateway.do?${encodeForm({ ...params, sign, sign_type: signType }, 'UTF-8')}`,
      });
      const env = parseEnvelope(res.text);
      assert.equal(env.response.error, 'TRADE_NOT_EXIST');
      const alipayPub = (await app.store.getSetting('alipay_rsa_keys'))!;
      const { publicKeyPem } = JSON.parse(alipayPub) as { publicKeyPem: string };
      assert.ok(rsaVerify(responseSignString(env.response), env.sign!, publicKeyPem, signType, 'UTF-8'));
    }
  });
});
