import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSignString, hexEqual, md5Sign } from '../../src/protocol/sign.js';
import { verifyRequestSignature } from '../../src/protocol/verify-request.js';
import { decodeRequest } from './decode-request.js';
import { loadMd5UrlVectors } from './fixtures.js';

const GEM_KEY_1 = `1${'0'.repeat(31)}`;
const GEM_KEY_2 = `2${'0'.repeat(31)}`;

const file = loadMd5UrlVectors();

for (const vector of file.vectors) {
  test(`md5 URL vector ${vector.test}: string to sign, sign and verification`, () => {
    const query = vector.url.slice(vector.url.indexOf('?') + 1);
    const { params, charset } = decodeRequest(query);
    const signString = buildSignString(params);
    assert.equal(signString, vector.sign_string_without_key);
    assert.equal(md5Sign(signString, file.md5_key, charset), vector.expected_sign);
    const sign = params.find((p) => p.name === 'sign')?.value ?? '';
    assert.deepEqual(
      verifyRequestSignature({ params, signType: 'MD5', sign, charset, md5Key: file.md5_key }),
      {
        ok: true,
        convention: 'drop-empty',
        signString: vector.sign_string_without_key,
      },
    );
  });
}

test('md5Sign matches the gem vector partner=123&service=test with key 1 + 31 zeros', () => {
  assert.equal(md5Sign('partner=123&service=test', GEM_KEY_1, 'UTF-8'), 'bbd13b52823b576291595f472ebcfbc2');
});

test('md5Sign matches the gem vector partner=123&service=test with key 2 + 31 zeros', () => {
  assert.equal(md5Sign('partner=123&service=test', GEM_KEY_2, 'UTF-8'), '6d581af270c023fdaaca6880491e9bf7');
});

test('md5Sign matches the §9.3 query vector', () => {
  const signString =
    '_input_charset=utf-8&partner=1000000000000000&partner_trans_id=2010121000000002&service=alipay.acquire.overseas.query';
  assert.equal(md5Sign(signString, GEM_KEY_1, 'UTF-8'), '2a7f598bbb13d02f7de819ae689f80ba');
});

test('md5Sign hashes the bytes of the charset', () => {
  assert.notEqual(md5Sign('trans_name=测试', 'k', 'GBK'), md5Sign('trans_name=测试', 'k', 'UTF-8'));
  assert.equal(md5Sign('trans_name=测试', 'k', 'GBK'), md5Sign('trans_name=测试', 'k', 'GB2312'));
});

test('buildSignString drops sign and sign_type', () => {
  assert.equal(buildSignString({ sign: 'x', sign_type: 'MD5', partner: '1' }), 'partner=1');
});

test('buildSignString drops empty values unless keepEmpty', () => {
  const params = [
    { name: 'b', value: '' },
    { name: 'a', value: '1' },
  ];
  assert.equal(buildSignString(params), 'a=1');
  assert.equal(buildSignString(params, { keepEmpty: true }), 'a=1&b=');
});

test('buildSignString sorts names byte-wise: upper case, then _, then lower case', () => {
  assert.equal(
    buildSignString({ service: 's', _input_charset: 'u', Zeta: 'z', a: '1' }),
    'Zeta=z&_input_charset=u&a=1&service=s',
  );
});

test('buildSignString joins raw values without encoding them', () => {
  assert.equal(
    buildSignString({ url: 'https://e.com/n?a=1&b=2', name: '测试 x' }),
    'name=测试 x&url=https://e.com/n?a=1&b=2',
  );
});

test('hexEqual compares case-insensitively', () => {
  assert.equal(hexEqual('2a7f598bbb13d02f7de819ae689f80ba', '2A7F598BBB13D02F7DE819AE689F80BA'), true);
});

test('hexEqual is false for a different value or length', () => {
  assert.equal(hexEqual('2a7f', '2a7e'), false);
  assert.equal(hexEqual('2a7f', '2a7f0'), false);
  assert.equal(hexEqual('', '2a7f'), false);
});

test('hexEqual folds only A–Z: no other character passes for a hex digit', () => {
  // 0x10 | 0x20 is '0', '@' | 0x20 is '`': folding by bit would take them for other characters.
  assert.equal(hexEqual('0a', '\u0010a'), false);
  assert.equal(hexEqual('`a', '@a'), false);
  assert.equal(hexEqual('0f', '0F'), true);
});

test('hexEqual does not confuse characters above U+00FF with hex digits', () => {
  // U+0161 and U+0162 have the low bytes of 'a' and 'b' (0x61, 0x62).
  assert.equal(hexEqual('\u0161\u0162', 'ab'), false);
});
