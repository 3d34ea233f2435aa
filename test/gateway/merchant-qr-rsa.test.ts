// The merchant QR code services signed with RSA and RSA2: the sandbox verifies the request with the
// merchant's uploaded public key and signs its answer with the sandbox's Alipay private key, which the
// merchant verifies with the Alipay public key (docs/protocol.md §9, §12.5).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { parseEnvelope, rawRequest, type Envelope } from '../helpers/gateway-call.js';
import { api } from '../helpers/admin-call.js';
import { aMerchantQr } from '../helpers/builders.js';
import { buildSignString, rsaSign, rsaVerify } from '../../src/protocol/sign.js';
import { encodeForm } from '../../src/protocol/form-encode.js';
import { responseSignString } from '../../src/protocol/envelope.js';

const PARTNER = '2088000000000919';
const CREATE = 'alipay.commerce.qrcode.create';
const MODIFY = 'alipay.commerce.qrcode.modify';
const STATUS = 'alipay.commerce.qrcode.modifyStatus';

describe('merchant QR code services signed with RSA and RSA2 (sqlite)', () => {
  let app: TestApp;
  let merchantKey: string;
  let otherKey: string;
  let alipayPublicKey: string;
  before(async () => {
    app = await startTestApp();
    const pem = () => {
      const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
      return {
        pub: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        priv: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      };
    };
    const mine = pem();
    merchantKey = mine.priv;
    otherKey = pem().priv;
    const created = await api(app.url, 'POST', '/api/merchants', {
      partner: PARTNER,
      rsaPublicKey: mine.pub,
      signTypes: ['RSA', 'RSA2'],
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const stored = (await app.store.getSetting('alipay_rsa_keys'))!;
    alipayPublicKey = (JSON.parse(stored) as { publicKeyPem: string }).publicKeyPem;
  });
  after(async () => app.close());

  const call = async (
    service: string,
    signType: 'RSA' | 'RSA2',
    params: Record<string, string>,
    key = merchantKey,
  ): Promise<Envelope> => {
    const all = { service, partner: PARTNER, _input_charset: 'utf-8', ...params };
    const sign = rsaSign(buildSignString(all), key, signType, 'UTF-8');
    const res = await rawRequest(app.url, {
      path: `/gateway.do?${encodeForm({ ...all, sign, sign_type: signType }, 'UTF-8')}`,
    });
    assert.equal(res.status, 200);
    return parseEnvelope(res.text);
  };
  const verified = (env: Envelope, signType: 'RSA' | 'RSA2') => {
    assert.equal(env.signType, signType);
    assert.ok(env.sign, 'the answer is signed');
    return rsaVerify(responseSignString(env.response), env.sign, alipayPublicKey, signType, 'UTF-8');
  };

  for (const signType of ['RSA', 'RSA2'] as const) {
    it(`${signType}: create, modify, STOP and RESTART succeed, each answer verifies with the Alipay public key`, async () => {
      const storeId = `RSA-STORE-${signType}`;
      const created = await call(CREATE, signType, aMerchantQr({ store_id: storeId }));
      assert.equal(created.isSuccess, 'T');
      assert.equal(created.response.result_code, 'SUCCESS', JSON.stringify(created.response));
      assert.match(created.response.qrcode ?? '', new RegExp(`/wallet/m${PARTNER}ocx\\d{10}x[0-9a-f]{12}$`));
      assert.ok(verified(created, signType), 'create answer signature');
      const qrcode = created.response.qrcode!;

      const modified = await call(MODIFY, signType, {
        ...aMerchantQr({ store_id: storeId, store_name: 'Signed Corner' }),
        qrcode,
      });
      assert.equal(modified.response.result_code, 'SUCCESS', JSON.stringify(modified.response));
      assert.equal(modified.response.qrcode, qrcode);
      assert.ok(verified(modified, signType), 'modify answer signature');

      for (const status of ['STOP', 'RESTART']) {
        const changed = await call(STATUS, signType, {
          timestamp: '2026-11-26 12:00:00',
          biz_type: 'OVERSEASHOPQRCODE',
          qrcode,
          status,
        });
        assert.equal(changed.response.result_code, 'SUCCESS', JSON.stringify(changed.response));
        assert.equal(changed.response.qrcode, qrcode);
        assert.ok(verified(changed, signType), `modifyStatus ${status} answer signature`);
      }
      // A tampered answer does not verify: the check above is not vacuous.
      const tampered = { ...created, response: { ...created.response, qrcode: `${qrcode}0` } };
      assert.equal(verified(tampered, signType), false);
    });

    it(`${signType}: a request signed with another key is ILLEGAL_SIGN and creates nothing`, async () => {
      const seq = (env: Envelope) => Number(/ocx(\d{10})x/.exec(env.response.qrcode ?? '')?.[1]);
      const store = (name: string) => aMerchantQr({ store_id: `RSA-${signType}-${name}` });
      const first = seq(await call(CREATE, signType, store('A')));
      const forged = await call(CREATE, signType, store('B'), otherKey);
      assert.equal(forged.isSuccess, 'F');
      assert.equal(forged.error, 'ILLEGAL_SIGN');
      // Had the forged request made B's code, C would not be the next one and B would be older than C.
      assert.equal(seq(await call(CREATE, signType, store('C'))), first + 1);
      assert.equal(seq(await call(CREATE, signType, store('B'))), first + 2);
    });
  }
});
