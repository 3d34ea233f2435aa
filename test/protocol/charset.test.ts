import { test } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { decodeBytes, encodeText, isAscii, normalizeCharset } from '../../src/protocol/charset.js';

test('normalizeCharset defaults to GBK when _input_charset is absent or empty', () => {
  assert.equal(normalizeCharset(undefined), 'GBK');
  assert.equal(normalizeCharset(''), 'GBK');
});

test('normalizeCharset accepts the three charsets in any case, trimmed', () => {
  assert.equal(normalizeCharset('utf-8'), 'UTF-8');
  assert.equal(normalizeCharset('UTF-8'), 'UTF-8');
  assert.equal(normalizeCharset('utf8'), 'UTF-8');
  assert.equal(normalizeCharset(' Utf-8 '), 'UTF-8');
  assert.equal(normalizeCharset('gbk'), 'GBK');
  assert.equal(normalizeCharset('GBK'), 'GBK');
  assert.equal(normalizeCharset('gb2312'), 'GB2312');
});

test('normalizeCharset rejects other charsets', () => {
  for (const value of ['latin1', 'ISO-8859-1', 'gb18030', 'utf-16', 'big5', 'utf_8']) {
    assert.equal(normalizeCharset(value), null, value);
  }
});

test('decodeBytes decodes GBK Chinese', () => {
  assert.equal(decodeBytes(Buffer.from([0xb2, 0xe2, 0xca, 0xd4]), 'GBK'), '测试');
});

test('decodeBytes decodes GB2312 as GBK', () => {
  assert.equal(decodeBytes(iconv.encode('测试商品', 'gbk'), 'GB2312'), '测试商品');
});

test('decodeBytes decodes UTF-8 Chinese', () => {
  assert.equal(decodeBytes(Buffer.from('测试商品', 'utf8'), 'UTF-8'), '测试商品');
});

test('decodeBytes turns invalid UTF-8 into U+FFFD instead of throwing', () => {
  assert.equal(decodeBytes(Buffer.from([0x41, 0xb2, 0xe2, 0x42]), 'UTF-8'), 'A\uFFFD\uFFFDB');
});

test('decodeBytes turns an invalid GBK sequence into U+FFFD instead of throwing', () => {
  assert.equal(decodeBytes(Buffer.from([0x41, 0xff, 0x42]), 'GBK'), 'A\uFFFDB');
  assert.equal(decodeBytes(Buffer.from([0x41, 0xb2]), 'GBK'), 'A\uFFFD');
});

test('decodeBytes keeps a UTF-8 byte order mark, so the signature sees the bytes that were sent', () => {
  assert.equal(decodeBytes(Buffer.from([0xef, 0xbb, 0xbf, 0x41]), 'UTF-8'), '\uFEFFA');
});

test('encodeText encodes in the charset', () => {
  assert.deepEqual(encodeText('测试', 'GBK'), Buffer.from([0xb2, 0xe2, 0xca, 0xd4]));
  assert.deepEqual(encodeText('测试', 'GB2312'), Buffer.from([0xb2, 0xe2, 0xca, 0xd4]));
  assert.deepEqual(encodeText('测试', 'UTF-8'), Buffer.from([0xe6, 0xb5, 0x8b, 0xe8, 0xaf, 0x95]));
  assert.deepEqual(encodeText('a=b', 'GBK'), Buffer.from('a=b'));
});

test('GBK text survives decodeBytes then encodeText unchanged', () => {
  const bytes = iconv.encode('退款 reason 毛毛 常炜买家', 'gbk');
  assert.deepEqual(encodeText(decodeBytes(bytes, 'GBK'), 'GBK'), bytes);
});

test('isAscii is true only for 7-bit text', () => {
  assert.equal(isAscii(''), true);
  assert.equal(isAscii('partner=2088&x=\u007f'), true);
  assert.equal(isAscii('caf\u00e9'), false);
  assert.equal(isAscii('测试'), false);
  assert.equal(isAscii('\u{1F600}'), false);
  // Code units whose low byte is ASCII, and lone surrogates, are not ASCII either.
  assert.equal(isAscii('\u0141'), false);
  assert.equal(isAscii('a\uD800b'), false);
  assert.equal(isAscii('\uDC00'), false);
});
