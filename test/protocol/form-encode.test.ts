import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeForm } from '../../src/protocol/form-encode.js';
import { decodeRequest, pairs } from './decode-request.js';

test('encodeForm encodes a space as %20 and leaves unreserved characters alone', () => {
  assert.equal(encodeForm([['a', 'x y-_.~Z9']], 'UTF-8'), 'a=x%20y-_.~Z9');
});

test('encodeForm percent-encodes reserved characters with upper-case hex', () => {
  assert.equal(
    encodeForm({ url: 'https://e.com/n?a=1&b=+' }, 'UTF-8'),
    'url=https%3A%2F%2Fe.com%2Fn%3Fa%3D1%26b%3D%2B',
  );
});

test('encodeForm encodes the bytes of the value in the charset', () => {
  assert.equal(encodeForm([['trans_name', '测试']], 'GBK'), 'trans_name=%B2%E2%CA%D4');
  assert.equal(encodeForm([['trans_name', '测试']], 'UTF-8'), 'trans_name=%E6%B5%8B%E8%AF%95');
});

test('encodeForm keeps the order of an entry list, including repeated names', () => {
  assert.equal(
    encodeForm(
      [
        ['b', '1'],
        ['a', '2'],
        ['b', '1'],
      ],
      'UTF-8',
    ),
    'b=1&a=2&b=1',
  );
});

test('encodeForm output decodes back to the same parameters', () => {
  const params: Array<[string, string]> = [
    ['_input_charset', 'gbk'],
    ['trans_name', '测试商品 test & more'],
    ['extend_info', '{"k":"v+w"}'],
    ['memo', ''],
  ];
  assert.deepEqual(pairs(decodeRequest(encodeForm(params, 'GBK')).params), params);
});
