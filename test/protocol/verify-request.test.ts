import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { normalizeCharset } from '../../src/protocol/charset.js';
import type { RequestParam } from '../../src/protocol/form-decode.js';
import { buildSignString, md5Sign, rsaSign } from '../../src/protocol/sign.js';
import { verifyRequestSignature } from '../../src/protocol/verify-request.js';
import { decodeRequest, pairs } from './decode-request.js';
import { loadClientRequests } from './fixtures.js';

// The old global sandbox test account all recorded client requests are signed with (vectors README).
const MD5_KEY = '760bdzec6y9goq7ctyx96ezkz78287de';
const PARTNER = '2088101122136241';

function signOf(params: RequestParam[]): string {
  return params.find((p) => p.name === 'sign')?.value ?? '';
}

function param(name: string, value: string, source: 'query' | 'body' = 'query'): RequestParam {
  return { name, value, source };
}

for (const { file, index, record } of loadClientRequests()) {
  const label = `${file}#${index + 1} ${record.client} ${record.method} (${record.sign_check})`;

  test(`${label}: decodes to the recorded parameters`, () => {
    const { params, charset } = decodeRequest(record.raw_query, record.raw_body);
    assert.deepEqual(pairs(params), Object.entries(record.params));
    assert.equal(charset, normalizeCharset(record.charset_used));
    assert.equal(params.find((p) => p.name === 'partner')?.value, PARTNER);
  });

  test(`${label}: canonical string equals the recorded string to sign`, () => {
    const { params } = decodeRequest(record.raw_query, record.raw_body);
    assert.equal(buildSignString(params), record.sign_string_drop_empty.replace('<KEY>', ''));
  });

  test(`${label}: signature check gives the recorded outcome`, () => {
    const { params, charset } = decodeRequest(record.raw_query, record.raw_body);
    const result = verifyRequestSignature({
      params,
      signType: 'MD5',
      sign: signOf(params),
      charset,
      md5Key: MD5_KEY,
    });
    const recorded = record.sign_string_drop_empty.replace('<KEY>', '');
    if (record.sign_check === 'MISMATCH') {
      assert.deepEqual(result, { ok: false, convention: null, signString: recorded });
    } else if (record.sign_check.startsWith('match(body-only')) {
      // The vectors README: the matching string leaves out the unsigned `_input_charset` of the URL.
      assert.deepEqual(result, {
        ok: true,
        convention: 'body-only',
        signString: recorded.replace('_input_charset=utf-8&', ''),
      });
    } else {
      assert.equal(record.sign_check, 'match(drop-empty)');
      assert.deepEqual(result, { ok: true, convention: 'drop-empty', signString: recorded });
    }
  });
}

test('a signature over empty values kept as k= verifies with convention keep-empty', () => {
  const params = [param('service', 's'), param('memo', ''), param('partner', PARTNER)];
  const signString = 'memo=&partner=2088101122136241&service=s';
  const sign = md5Sign(signString, MD5_KEY, 'UTF-8');
  assert.deepEqual(
    verifyRequestSignature({ params, signType: 'MD5', sign, charset: 'UTF-8', md5Key: MD5_KEY }),
    {
      ok: true,
      convention: 'keep-empty',
      signString,
    },
  );
});

test('an empty value signed the canonical way still verifies with convention drop-empty', () => {
  const params = [param('service', 's'), param('memo', '')];
  const sign = md5Sign('service=s', MD5_KEY, 'UTF-8');
  const result = verifyRequestSignature({ params, signType: 'MD5', sign, charset: 'UTF-8', md5Key: MD5_KEY });
  assert.equal(result.convention, 'drop-empty');
});

test('the body-only convention is not tried when every parameter came from the query', () => {
  const params = [param('_input_charset', 'utf-8'), param('service', 's')];
  const sign = md5Sign('service=s', MD5_KEY, 'UTF-8');
  const result = verifyRequestSignature({ params, signType: 'MD5', sign, charset: 'UTF-8', md5Key: MD5_KEY });
  assert.deepEqual(result, { ok: false, convention: null, signString: '_input_charset=utf-8&service=s' });
});

test('an MD5 signature in upper-case hex verifies', () => {
  const params = [param('service', 's')];
  const sign = md5Sign('service=s', MD5_KEY, 'UTF-8').toUpperCase();
  assert.equal(
    verifyRequestSignature({ params, signType: 'MD5', sign, charset: 'UTF-8', md5Key: MD5_KEY }).ok,
    true,
  );
});

test('the MD5 check hashes the bytes of the request charset', () => {
  const params = [param('trans_name', '测试')];
  const sign = md5Sign('trans_name=测试', MD5_KEY, 'UTF-8');
  assert.equal(
    verifyRequestSignature({ params, signType: 'MD5', sign, charset: 'GBK', md5Key: MD5_KEY }).ok,
    false,
  );
  assert.equal(
    verifyRequestSignature({ params, signType: 'MD5', sign, charset: 'UTF-8', md5Key: MD5_KEY }).ok,
    true,
  );
});

test('a missing or empty MD5 key never verifies', () => {
  const params = [param('service', 's')];
  const sign = md5Sign('service=s', '', 'UTF-8');
  assert.deepEqual(verifyRequestSignature({ params, signType: 'MD5', sign, charset: 'UTF-8' }), {
    ok: false,
    convention: null,
    signString: 'service=s',
  });
  assert.equal(
    verifyRequestSignature({ params, signType: 'MD5', sign, charset: 'UTF-8', md5Key: '' }).ok,
    false,
  );
});

test('RSA and RSA2 request signatures verify with the merchant public key', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  const params = [param('service', 's'), param('partner', PARTNER), param('memo', '')];
  for (const signType of ['RSA', 'RSA2'] as const) {
    const sign = rsaSign(buildSignString(params), privatePem, signType, 'UTF-8');
    const input = { params, signType, sign, charset: 'UTF-8' as const };
    assert.equal(verifyRequestSignature({ ...input, rsaPublicKeyPem: publicPem }).convention, 'drop-empty');
    assert.equal(verifyRequestSignature({ ...input, rsaPublicKeyPem: null }).ok, false);
    assert.equal(verifyRequestSignature({ ...input, md5Key: MD5_KEY }).ok, false);
  }
});
