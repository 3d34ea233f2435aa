import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { normalizeCharset } from '../../src/protocol/charset.js';
import type { Charset, SignType } from '../../src/protocol/constants.js';
import { diagnoseSignature, type SignatureDiagnosis } from '../../src/protocol/diagnose-signature.js';
import { encodeForm } from '../../src/protocol/form-encode.js';
import { findAscii, mergeParams, splitForm } from '../../src/protocol/form-decode.js';
import { buildSignString, md5Sign, rsaSign } from '../../src/protocol/sign.js';
import { verifyRequestSignature } from '../../src/protocol/verify-request.js';
import { decodeParams } from '../../src/protocol/form-decode.js';

const KEY = '760bdzec6y9goq7ctyx96ezkz78287de';
const QUERY_PARAMS = {
  service: 'alipay.acquire.overseas.query',
  partner: '2088101122136241',
  partner_trans_id: 'D1001',
};

/** Sends `params` (plus sign and sign_type) as a GET query in `wireCharset`, then diagnoses it. */
function diagnose(
  sent: Record<string, string>,
  sign: string,
  opts: { wireCharset?: Charset; signType?: SignType; rsaPublicKeyPem?: string; query?: string } = {},
): SignatureDiagnosis {
  const query =
    opts.query ??
    encodeForm({ ...sent, sign, sign_type: opts.signType ?? 'MD5' }, opts.wireCharset ?? 'UTF-8');
  const split = splitForm(query, 'query');
  assert.ok(split.ok);
  const merged = mergeParams(split.params, []);
  assert.ok(merged.ok);
  const charset = normalizeCharset(findAscii(merged.params, '_input_charset'));
  assert.ok(charset);
  const input = {
    params: merged.params,
    wire: { query, body: '' },
    charset,
    signType: opts.signType ?? 'MD5',
    md5Key: KEY,
    rsaPublicKeyPem: opts.rsaPublicKeyPem ?? null,
  } as const;
  // The diagnosis only runs for signatures the gateway refused.
  const params = decodeParams(merged.params, charset);
  const verdict = verifyRequestSignature({
    ...input,
    params,
    sign: params.find((p) => p.name === 'sign')?.value ?? '',
  });
  assert.equal(verdict.ok, false, 'the test request must fail the signature check');
  return diagnoseSignature(input);
}

const md5 = (text: string, charset: Charset = 'UTF-8', key = KEY) => md5Sign(text, key, charset);

describe('diagnoseSignature (MD5)', () => {
  it('blames a different key when the string is right but the key is not', () => {
    const params = { _input_charset: 'utf-8', ...QUERY_PARAMS };
    const d = diagnose(params, md5(buildSignString(params), 'UTF-8', 'another-key-0123456789abcdef0000'));
    assert.equal(d.code, 'wrong_key');
    assert.match(d.message, /the string to sign is well-formed/);
    assert.match(d.message, /most likely a different key/);
    assert.doesNotMatch(d.message, /upper-case/);
  });

  it('says upper-case hex is not the problem when a wrong-key signature is in upper case', () => {
    const params = { _input_charset: 'utf-8', ...QUERY_PARAMS };
    const d = diagnose(params, md5(buildSignString(params), 'UTF-8', 'x'.repeat(32)).toUpperCase());
    assert.equal(d.code, 'wrong_key');
    assert.match(d.message, /upper-case hex is accepted, so the case is not the problem/);
  });

  // Three characters: nine UTF-8 bytes that do not survive a GBK decode and encode (six would).
  it('finds UTF-8 bytes sent and signed while _input_charset declares GBK', () => {
    const params = { _input_charset: 'gbk', ...QUERY_PARAMS, trans_name: '咖啡店' };
    const d = diagnose(params, md5(buildSignString(params), 'UTF-8'), { wireCharset: 'UTF-8' });
    assert.equal(d.code, 'wrong_charset');
    assert.match(d.message, /read and signed as UTF-8, but _input_charset declares GBK/);
  });

  it('finds UTF-8 sent without any _input_charset (which means GBK)', () => {
    const params = { ...QUERY_PARAMS, trans_name: '咖啡店' };
    const d = diagnose(params, md5(buildSignString(params), 'UTF-8'), { wireCharset: 'UTF-8' });
    assert.equal(d.code, 'wrong_charset');
    assert.match(d.message, /_input_charset is missing, so the request was read as GBK/);
  });

  it('finds an MD5 computed over GBK bytes of a request that declares and sends UTF-8', () => {
    const params = { _input_charset: 'utf-8', ...QUERY_PARAMS, trans_name: '咖啡' };
    const d = diagnose(params, md5(buildSignString(params), 'GBK'), { wireCharset: 'UTF-8' });
    assert.equal(d.code, 'wrong_charset');
    assert.match(d.message, /computed over the GBK bytes/);
  });

  it('names a parameter that was sent but not signed', () => {
    const signed = { _input_charset: 'utf-8', ...QUERY_PARAMS };
    const d = diagnose({ ...signed, memo: 'added later' }, md5(buildSignString(signed)));
    assert.equal(d.code, 'unsigned_parameter');
    assert.match(d.message, /without memo: the client sent memo \(in the URL\) but did not sign it/);
  });

  it('names _input_charset sent in the URL of a GET but left out of the signature', () => {
    const d = diagnose({ _input_charset: 'utf-8', ...QUERY_PARAMS }, md5(buildSignString(QUERY_PARAMS)));
    assert.equal(d.code, 'unsigned_parameter');
    assert.match(d.message, /without _input_charset/);
  });

  it('finds _input_charset signed but not sent', () => {
    const signed = { _input_charset: 'utf-8', ...QUERY_PARAMS };
    const d = diagnose(QUERY_PARAMS, md5(buildSignString(signed)));
    assert.equal(d.code, 'unsent_parameter');
    assert.match(d.message, /_input_charset=utf-8, which the client signed but did not send/);
  });

  it('finds sign_type inside the string to sign', () => {
    const params = { _input_charset: 'utf-8', ...QUERY_PARAMS };
    const withType = Object.entries({ ...params, sign_type: 'MD5' })
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const d = diagnose(params, md5(withType));
    assert.equal(d.code, 'sign_type_signed');
    assert.match(d.message, /leave sign and sign_type out/);
  });

  it('finds a signature over the still percent-encoded values', () => {
    const params = { _input_charset: 'utf-8', ...QUERY_PARAMS, notify_url: 'http://shop.example/n?a=1' };
    const encoded = { ...params, notify_url: encodeURIComponent(params.notify_url) };
    const d = diagnose(params, md5(buildSignString(encoded)));
    assert.equal(d.code, 'encoded_values');
    assert.match(d.message, /still percent-encoded values \(e\.g\. notify_url=http%3A%2F%2F/);
  });

  it('finds the key appended as "&key=" instead of directly', () => {
    const params = { _input_charset: 'utf-8', ...QUERY_PARAMS };
    const sign = createHash('md5')
      .update(`${buildSignString(params)}&key=${KEY}`)
      .digest('hex');
    const d = diagnose(params, sign);
    assert.equal(d.code, 'key_placement');
    assert.match(d.message, /"&key=<key>" appended/);
  });

  it('recognises the right digest written in Base64', () => {
    const params = { _input_charset: 'utf-8', ...QUERY_PARAMS };
    const sign = createHash('md5')
      .update(`${buildSignString(params)}${KEY}`)
      .digest('base64');
    const d = diagnose(params, sign);
    assert.equal(d.code, 'malformed_signature');
    assert.match(d.message, /right MD5 digest written in Base64/);
  });

  it('says an MD5 signature is 32 hex digits when it is not', () => {
    const d = diagnose({ _input_charset: 'utf-8', ...QUERY_PARAMS }, 'abc123');
    assert.equal(d.code, 'malformed_signature');
    assert.match(d.message, /32 hex digits; this one has 6 characters/);
  });

  it('reports a missing sign', () => {
    const query = encodeForm({ _input_charset: 'utf-8', ...QUERY_PARAMS, sign_type: 'MD5' }, 'UTF-8');
    const split = splitForm(query, 'query');
    assert.ok(split.ok);
    const d = diagnoseSignature({
      params: split.params,
      wire: { query, body: '' },
      charset: 'UTF-8',
      signType: 'MD5',
      md5Key: KEY,
    });
    assert.equal(d.code, 'missing_sign');
  });
});

describe('diagnoseSignature (RSA)', () => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const otherPrivate = other.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const smallPrivate = small.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const params = { _input_charset: 'utf-8', ...QUERY_PARAMS, memo: '' };

  it('names the conventions tried and does not try MD5-style variants', () => {
    const sign = rsaSign(buildSignString(params), otherPrivate, 'RSA2', 'UTF-8');
    const d = diagnose(params, sign, { signType: 'RSA2', rsaPublicKeyPem: publicPem });
    assert.equal(d.code, 'rsa_no_match');
    assert.match(
      d.message,
      /SHA256withRSA; tried the canonical string \(empty values dropped\), empty values kept\)/,
    );
    assert.match(d.message, /No other variants are tried for RSA/);
  });

  it('spots a signature made with a key of another size', () => {
    const sign = rsaSign(buildSignString(params), smallPrivate, 'RSA', 'UTF-8');
    const d = diagnose(params, sign, { signType: 'RSA', rsaPublicKeyPem: publicPem });
    assert.equal(d.code, 'malformed_signature');
    assert.match(d.message, /128 bytes but the merchant's RSA key makes 256-byte signatures/);
  });

  it('spots an MD5 signature sent with sign_type RSA2', () => {
    const d = diagnose(params, md5(buildSignString(params)), {
      signType: 'RSA2',
      rsaPublicKeyPem: publicPem,
    });
    assert.equal(d.code, 'malformed_signature');
    assert.match(d.message, /looks like an MD5 signature/);
  });
});
