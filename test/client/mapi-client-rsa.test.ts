import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomInt } from 'node:crypto';
import { startTestApp, type TestApp } from '../helpers/start-test-app.js';
import { uniqueId } from '../helpers/builders.js';
import { createMapiClient, MapiGatewayError, type MapiClientOptions } from '../../src/index.js';

/**
 * The sandbox's "Alipay" public key, which verifies its RSA answers, as the admin API shows it. The
 * bare Base64 form is the one Alipay's portal shows, so the client must accept it as it is.
 */
async function alipayPublicKey(app: TestApp): Promise<string> {
  const res = await fetch(`${app.url}/api/alipay-public-key`);
  assert.equal(res.status, 200);
  return ((await res.json()) as { base64: string }).base64;
}

/** Creates a merchant with an RSA public key through the admin API. */
async function createRsaMerchant(app: TestApp, publicKeyPem: string): Promise<string> {
  const partner = `2088${String(randomInt(1e11, 1e12))}`;
  const res = await fetch(`${app.url}/api/merchants`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ partner, rsaPublicKey: publicKeyPem }),
  });
  assert.equal(res.status, 201, await res.text());
  return partner;
}

describe('MAPI client against the sandbox (RSA2)', () => {
  let app: TestApp;
  let base: MapiClientOptions;
  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });

  before(async () => {
    app = await startTestApp();
    const partner = await createRsaMerchant(app, keys.publicKey);
    base = {
      gateway: `${app.url}/gateway.do`,
      partner,
      signType: 'RSA2',
      privateKey: keys.privateKey,
      alipayPublicKey: await alipayPublicKey(app),
    };
  });
  after(async () => app.close());

  it('pays, queries, refunds and cancels with RSA2, every answer verified with the Alipay public key', async () => {
    const client = createMapiClient({ ...base, strictSignature: true });
    try {
      const partnerTransId = uniqueId('RSA');
      const paid = await client.spotPay({
        partnerTransId,
        transName: 'Tea',
        currency: 'USD',
        transAmount: '5.00',
        buyerIdentityCode: '280000000000000001',
      });
      assert.equal(paid.resultCode, 'SUCCESS');
      assert.equal(paid.signatureVerified, true);
      assert.equal(paid.request['sign_type'], 'RSA2');

      const q = await client.query({ partnerTransId });
      assert.equal(q.tradeStatus, 'TRADE_SUCCESS');
      assert.equal(q.signatureVerified, true);

      const refunded = await client.spotRefund({
        partnerTransId,
        partnerRefundId: uniqueId('R'),
        refundAmount: '1.00',
        currency: 'USD',
        isSync: true,
      });
      assert.equal(refunded.resultCode, 'SUCCESS');
      assert.equal(refunded.signatureVerified, true);

      const other = uniqueId('RSA');
      await client.spotPay({
        partnerTransId: other,
        transName: 'Tea',
        currency: 'USD',
        transAmount: '5.00',
        buyerIdentityCode: '280000000000000001',
      });
      const cancelled = await client.cancel({ outTradeNo: other });
      assert.equal(cancelled.resultCode, 'SUCCESS');
      assert.equal(cancelled.signatureVerified, true);
    } finally {
      client.close();
    }
  });

  it('without the Alipay public key an RSA answer reports signatureVerified null', async () => {
    const { alipayPublicKey: _unused, ...withoutKey } = base;
    const client = createMapiClient(withoutKey);
    try {
      const q = await client.query({ partnerTransId: uniqueId('NONE') });
      assert.equal(q.resultCode, 'FAIL');
      assert.equal(q.signatureVerified, null);
    } finally {
      client.close();
    }
  });

  it('a wrong Alipay public key reports signatureVerified false', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    }) as string;
    const client = createMapiClient({ ...base, alipayPublicKey: stranger });
    try {
      const q = await client.query({ partnerTransId: uniqueId('NONE') });
      assert.equal(q.signatureVerified, false);
    } finally {
      client.close();
    }
  });

  it('a request signed with another private key is refused with ILLEGAL_SIGN', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    const client = createMapiClient({ ...base, privateKey: other });
    try {
      await assert.rejects(client.query({ partnerTransId: uniqueId('X') }), (err: unknown) => {
        assert.ok(err instanceof MapiGatewayError);
        assert.equal(err.code, 'ILLEGAL_SIGN');
        return true;
      });
    } finally {
      client.close();
    }
  });
});
