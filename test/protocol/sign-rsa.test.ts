import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import {
  normalizeRsaPrivateKey,
  normalizeRsaPublicKey,
  rsaSign,
  rsaVerify,
} from '../../src/protocol/sign.js';

const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherPublicPem = other.publicKey.export({ type: 'spki', format: 'pem' }) as string;

const SIGN_STRING =
  '_input_charset=utf-8&partner=2088101122136241&partner_trans_id=RSA1&service=alipay.acquire.overseas.query&trans_name=测试';

/** Bare Base64 of a PEM body, as the Alipay portals show keys. */
function bareBase64(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
}

/** A signature of SIGN_STRING that contains a '+', so the space tolerance is really exercised. */
function signatureWithPlus(signType: 'RSA' | 'RSA2'): { signString: string; signature: string } {
  for (let i = 0; ; i++) {
    const signString = `${SIGN_STRING}&n=${i}`;
    const signature = rsaSign(signString, privatePem, signType, 'UTF-8');
    if (signature.includes('+')) return { signString, signature };
  }
}

for (const signType of ['RSA', 'RSA2'] as const) {
  test(`${signType}: a signature verifies with the matching public key`, () => {
    const signature = rsaSign(SIGN_STRING, privatePem, signType, 'UTF-8');
    assert.equal(rsaVerify(SIGN_STRING, signature, publicPem, signType, 'UTF-8'), true);
  });

  test(`${signType}: a signature whose '+' arrived as spaces still verifies`, () => {
    const { signString, signature } = signatureWithPlus(signType);
    const mangled = signature.replace(/\+/g, ' ');
    assert.equal(rsaVerify(signString, mangled, publicPem, signType, 'UTF-8'), true);
  });

  test(`${signType}: a tampered signature does not verify`, () => {
    const signature = rsaSign(SIGN_STRING, privatePem, signType, 'UTF-8');
    const tampered = (signature.startsWith('A') ? 'B' : 'A') + signature.slice(1);
    assert.equal(rsaVerify(SIGN_STRING, tampered, publicPem, signType, 'UTF-8'), false);
  });

  test(`${signType}: a tampered string does not verify`, () => {
    const signature = rsaSign(SIGN_STRING, privatePem, signType, 'UTF-8');
    assert.equal(rsaVerify(`${SIGN_STRING}x`, signature, publicPem, signType, 'UTF-8'), false);
  });

  test(`${signType}: another key pair does not verify`, () => {
    const signature = rsaSign(SIGN_STRING, privatePem, signType, 'UTF-8');
    assert.equal(rsaVerify(SIGN_STRING, signature, otherPublicPem, signType, 'UTF-8'), false);
  });
}

test('RSA and RSA2 signatures are not interchangeable', () => {
  const signature = rsaSign(SIGN_STRING, privatePem, 'RSA', 'UTF-8');
  assert.equal(rsaVerify(SIGN_STRING, signature, publicPem, 'RSA2', 'UTF-8'), false);
});

test('rsaSign signs the bytes of the charset', () => {
  const signature = rsaSign(SIGN_STRING, privatePem, 'RSA2', 'GBK');
  assert.equal(rsaVerify(SIGN_STRING, signature, publicPem, 'RSA2', 'GBK'), true);
  assert.equal(rsaVerify(SIGN_STRING, signature, publicPem, 'RSA2', 'UTF-8'), false);
});

test('rsaVerify returns false instead of throwing on garbage', () => {
  const signature = rsaSign(SIGN_STRING, privatePem, 'RSA2', 'UTF-8');
  assert.equal(rsaVerify(SIGN_STRING, signature, 'not a key', 'RSA2', 'UTF-8'), false);
  assert.equal(rsaVerify(SIGN_STRING, '', publicPem, 'RSA2', 'UTF-8'), false);
  assert.equal(rsaVerify(SIGN_STRING, '%%%not base64%%%', publicPem, 'RSA2', 'UTF-8'), false);
  assert.equal(rsaVerify(SIGN_STRING, 'AAAA', publicPem, 'RSA2', 'UTF-8'), false);
});

test('normalizeRsaPublicKey returns SPKI PEM for an SPKI PEM', () => {
  assert.equal(normalizeRsaPublicKey(publicPem), publicPem);
});

test('normalizeRsaPublicKey converts a PKCS#1 PEM to SPKI PEM', () => {
  const pkcs1 = pair.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  assert.match(pkcs1, /BEGIN RSA PUBLIC KEY/);
  assert.equal(normalizeRsaPublicKey(pkcs1), publicPem);
});

test('normalizeRsaPublicKey accepts bare Base64 DER, on one line or wrapped', () => {
  const bare = bareBase64(publicPem);
  assert.equal(normalizeRsaPublicKey(bare), publicPem);
  assert.equal(normalizeRsaPublicKey(`\n${bare.replace(/(.{64})/g, '$1\r\n')}\n`), publicPem);
});

test('normalizeRsaPublicKey accepts a PEM whose body was pasted on one line', () => {
  assert.equal(
    normalizeRsaPublicKey(`-----BEGIN PUBLIC KEY-----${bareBase64(publicPem)}-----END PUBLIC KEY-----`),
    publicPem,
  );
});

test('normalizeRsaPublicKey output is usable by node:crypto', () => {
  const normalized = normalizeRsaPublicKey(bareBase64(publicPem));
  assert.ok(normalized !== null);
  assert.equal(createPublicKey(normalized).asymmetricKeyType, 'rsa');
});

test('normalizeRsaPublicKey rejects garbage', () => {
  for (const input of [
    '',
    'hello',
    'AAAA',
    '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----',
    '%%%',
  ]) {
    assert.equal(normalizeRsaPublicKey(input), null, input);
  }
});

test('normalizeRsaPublicKey rejects an EC key', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = ec.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  assert.equal(normalizeRsaPublicKey(pem), null);
  assert.equal(normalizeRsaPublicKey(bareBase64(pem)), null);
});

test('normalizeRsaPublicKey rejects a private key given as a public key', () => {
  assert.equal(normalizeRsaPublicKey(privatePem), null);
});

test('normalizeRsaPrivateKey returns PKCS#8 PEM for PKCS#8, PKCS#1 and bare Base64 input', () => {
  const pkcs1 = pair.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
  assert.equal(normalizeRsaPrivateKey(privatePem), privatePem);
  assert.equal(normalizeRsaPrivateKey(pkcs1), privatePem);
  assert.equal(normalizeRsaPrivateKey(bareBase64(privatePem)), privatePem);
});

test('normalizeRsaPrivateKey rejects garbage, public keys, EC keys and encrypted keys', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const encrypted = pair.privateKey.export({
    type: 'pkcs8',
    format: 'pem',
    cipher: 'aes-256-cbc',
    passphrase: 'secret',
  }) as string;
  assert.equal(normalizeRsaPrivateKey('garbage'), null);
  assert.equal(normalizeRsaPrivateKey(publicPem), null);
  assert.equal(
    normalizeRsaPrivateKey(ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string),
    null,
  );
  assert.equal(normalizeRsaPrivateKey(encrypted), null);
});
