import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeParams, findAscii, mergeParams, splitForm } from '../../src/protocol/form-decode.js';
import type { RawParam } from '../../src/protocol/form-decode.js';

function split(raw: string, source: 'query' | 'body' = 'query'): RawParam[] {
  const result = splitForm(raw, source);
  if (!result.ok) throw new Error(result.reason);
  return result.params;
}

function rejection(raw: string, maxParams?: number): string {
  const result = splitForm(raw, 'body', { maxParams });
  assert.equal(result.ok, false, 'expected ILLEGAL_ARGUMENT');
  if (result.ok) return '';
  assert.equal(result.code, 'ILLEGAL_ARGUMENT');
  return result.reason;
}

function texts(params: RawParam[]): Array<[string, string]> {
  return params.map((p) => [p.name, p.value]);
}

test('splitForm keeps arrival order and tags the source', () => {
  const params = split('service=a&partner=2088&_input_charset=utf-8', 'body');
  assert.deepEqual(texts(params), [
    ['service', 'a'],
    ['partner', '2088'],
    ['_input_charset', 'utf-8'],
  ]);
  assert.ok(params.every((p) => p.source === 'body'));
});

test('splitForm decodes both + and %20 as a space', () => {
  assert.deepEqual(texts(split('a=x+y&b=x%20y')), [
    ['a', 'x y'],
    ['b', 'x y'],
  ]);
});

test('splitForm keeps %2B as a literal plus', () => {
  assert.deepEqual(texts(split('sign=ab%2Bcd%3D')), [['sign', 'ab+cd=']]);
});

test('splitForm produces the percent-decoded bytes, not text', () => {
  const [param] = split('trans_name=%B2%e2%CA%d4');
  assert.equal(param?.value, Buffer.from([0xb2, 0xe2, 0xca, 0xd4]).toString('latin1'));
});

test('splitForm decodes only once (a doubly encoded value keeps one level, §9.1)', () => {
  assert.deepEqual(texts(split('notify_url=http%253A%252F%252Falipay.com')), [
    ['notify_url', 'http%3A%2F%2Falipay.com'],
  ]);
});

test('splitForm splits on the first = only', () => {
  assert.deepEqual(texts(split('biz_data=a=b=c')), [['biz_data', 'a=b=c']]);
});

test('splitForm reads a segment without = as a name with an empty value', () => {
  assert.deepEqual(texts(split('memo&partner=1&note=')), [
    ['memo', ''],
    ['partner', '1'],
    ['note', ''],
  ]);
});

test('splitForm skips empty segments', () => {
  assert.deepEqual(texts(split('&&a=1&&b=2&')), [
    ['a', '1'],
    ['b', '2'],
  ]);
  assert.deepEqual(split(''), []);
});

test('splitForm takes each character of the raw text as one byte (latin1)', () => {
  const raw = Buffer.from([0x61, 0x3d, 0xb2, 0xe2]).toString('latin1');
  assert.equal(split(raw)[0]?.value, Buffer.from([0xb2, 0xe2]).toString('latin1'));
});

test('splitForm takes characters above U+00FF as UTF-8', () => {
  assert.equal(split('a=测\u{1F600}')[0]?.value, Buffer.from('测\u{1F600}', 'utf8').toString('latin1'));
});

test('splitForm rejects a non-hex escape', () => {
  assert.match(rejection('a=1&b=%zz'), /invalid percent escape "%zz" in parameter b/);
});

test('splitForm rejects a truncated escape', () => {
  assert.match(rejection('a=%4'), /invalid percent escape "%4"/);
  assert.match(rejection('a=%'), /invalid percent escape "%"/);
  assert.match(rejection('a=%4&b=1'), /invalid percent escape "%4" in parameter a/);
});

test('splitForm rejects an invalid escape in a name', () => {
  assert.match(rejection('a%g1=1'), /invalid percent escape "%g1" in a parameter name/);
});

test('splitForm rejects names that are not ASCII identifiers', () => {
  for (const raw of ['1a=1', 'a+b=1', 'a%20b=1', '%E6%B5%8B=1', 'a[]=1', '=value', 'a/b=1']) {
    assert.match(rejection(raw), /^invalid parameter name /, raw);
  }
});

test('splitForm accepts names with digits, dots, dashes and underscores', () => {
  assert.deepEqual(
    split('_input_charset=1&a.b-c_9=2&sendFormat=3').map((p) => p.name),
    ['_input_charset', 'a.b-c_9', 'sendFormat'],
  );
});

test('splitForm rejects a name longer than 64 characters', () => {
  assert.equal(split(`${'a'.repeat(64)}=1`).length, 1);
  assert.match(rejection(`${'a'.repeat(65)}=1`), /^invalid parameter name /);
});

test('splitForm quotes an offending name truncated and in printable ASCII only', () => {
  const reason = rejection(`%00%1B[31m${'x'.repeat(500)}%E6%B5"=1`);
  assert.ok(reason.length < 100, reason);
  assert.match(reason, /^[\x20-\x7E]+$/);
  assert.match(reason, /\.\.\./);
});

test('splitForm shows control characters of an offending name as ?', () => {
  assert.equal(rejection('a%00%0Ab=1'), 'invalid parameter name "a??b"');
});

test('splitForm rejects more than maxParams parameters', () => {
  assert.equal(split(Array.from({ length: 500 }, (_, i) => `p${i}=1`).join('&')).length, 500);
  assert.match(rejection(Array.from({ length: 501 }, (_, i) => `p${i}=1`).join('&')), /too many parameters/);
  assert.match(rejection('a=1&b=2&c=3', 2), /more than 2/);
});

test('splitForm rejects 100 000 parameters in about 1 MiB', () => {
  const raw = Array.from({ length: 100_000 }, (_, i) => `p${i}=abc`).join('&');
  assert.ok(raw.length > 1024 * 1024);
  assert.match(rejection(raw), /too many parameters \(more than 500\)/);
});

test('splitForm stops reading once the parameter count is exceeded', () => {
  // Segments after the 501st are malformed: the reason shows that they were never decoded.
  const valid = Array.from({ length: 501 }, (_, i) => `p${i}=1`).join('&');
  const raw = `${valid}&${'bad=%zz&'.repeat(100_000)}`;
  assert.match(rejection(raw), /too many parameters/);
});

test('mergeParams returns the union in arrival order, query first', () => {
  const merged = mergeParams(split('_input_charset=utf-8', 'query'), split('service=s&partner=p', 'body'));
  assert.ok(merged.ok);
  assert.deepEqual(
    merged.params.map((p) => [p.name, p.source]),
    [
      ['_input_charset', 'query'],
      ['service', 'body'],
      ['partner', 'body'],
    ],
  );
});

test('mergeParams keeps a parameter repeated with the same value once, first occurrence', () => {
  const merged = mergeParams(split('a=1&b=2', 'query'), split('b=2&c=3&a=1', 'body'));
  assert.ok(merged.ok);
  assert.deepEqual(
    merged.params.map((p) => `${p.name}:${p.source}`),
    ['a:query', 'b:query', 'c:body'],
  );
});

test('mergeParams compares _input_charset case-insensitively and keeps the URL copy', () => {
  const merged = mergeParams(
    split('_input_charset=utf-8', 'query'),
    split('_input_charset=UTF-8&a=1', 'body'),
  );
  assert.ok(merged.ok);
  assert.deepEqual(texts(merged.params), [
    ['_input_charset', 'utf-8'],
    ['a', '1'],
  ]);
});

test('mergeParams rejects _input_charset with two different charsets', () => {
  const merged = mergeParams(split('_input_charset=utf-8', 'query'), split('_input_charset=gbk', 'body'));
  assert.deepEqual(merged, {
    ok: false,
    code: 'ILLEGAL_ARGUMENT',
    reason: 'duplicate parameter _input_charset with different values',
  });
});

test('mergeParams compares other values byte for byte', () => {
  const merged = mergeParams(split('partner=abc', 'query'), split('partner=ABC', 'body'));
  assert.deepEqual(merged, {
    ok: false,
    code: 'ILLEGAL_ARGUMENT',
    reason: 'duplicate parameter partner with different values',
  });
});

test('mergeParams rejects a name repeated with different values inside one source', () => {
  const merged = mergeParams(split('a=1&a=2', 'query'), []);
  assert.equal(merged.ok, false);
});

test('findAscii reads the first value of a name as latin1', () => {
  const params = split('service=alipay.acquire.cancel&sign_type=MD5&x=%B2%E2');
  assert.equal(findAscii(params, 'sign_type'), 'MD5');
  assert.equal(findAscii(params, 'x'), '\u00b2\u00e2');
  assert.equal(findAscii(params, 'partner'), undefined);
});

test('decodeParams decodes GBK-encoded Chinese with charset GBK', () => {
  const params = decodeParams(split('_input_charset=gbk&trans_name=%B2%E2%CA%D4+test'), 'GBK');
  assert.deepEqual(
    params.map((p) => [p.name, p.value, p.source]),
    [
      ['_input_charset', 'gbk', 'query'],
      ['trans_name', '测试 test', 'query'],
    ],
  );
});

test('decodeParams decodes UTF-8-encoded Chinese with charset UTF-8', () => {
  const [param] = decodeParams(split('trans_name=%E6%B5%8B%E8%AF%95'), 'UTF-8');
  assert.equal(param?.value, '测试');
});

test('decodeParams turns UTF-8 bytes read as GBK into different text (the signature then fails)', () => {
  const [param] = decodeParams(split('trans_name=%E6%B5%8B%E8%AF%95'), 'GBK');
  assert.notEqual(param?.value, '测试');
});
