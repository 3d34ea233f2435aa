import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonNumber, jsonLeafText, parseJsonText } from '../../src/rules/json-text.js';

test('numbers keep the text they were written with', () => {
  const v = parseJsonText('{"a": 1.10, "b": 20880000000000000001, "c": -0.5e3}');
  assert.ok(v instanceof Map);
  assert.deepEqual(v.get('a'), new JsonNumber('1.10'));
  assert.equal(jsonLeafText(v.get('b') ?? null), '20880000000000000001');
  assert.equal(jsonLeafText(v.get('c') ?? null), '-0.5e3');
});

test('strings are decoded, other leaves are compact JSON text', () => {
  const v = parseJsonText('{"s":"a\\u00e9\\"b","t":true,"n":null,"o":{"x":[1, "y"]}}');
  assert.ok(v instanceof Map);
  assert.equal(jsonLeafText(v.get('s') ?? null), 'aé"b');
  assert.equal(jsonLeafText(v.get('t') ?? null), 'true');
  assert.equal(jsonLeafText(v.get('o') ?? null), '{"x":[1,"y"]}');
});

test('a key named __proto__ is plain data', () => {
  const v = parseJsonText('{"__proto__": {"polluted": 1}}');
  assert.ok(v instanceof Map);
  assert.ok(v.has('__proto__'));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('invalid JSON gives undefined instead of throwing', () => {
  for (const text of ['', '{', '{"a":}', '{"a":1} x', "{'a':1}", '[1,]', '01', '"\u0001"']) {
    assert.equal(parseJsonText(text), undefined, text);
  }
});

test('absurdly deep nesting is refused rather than overflowing the stack', () => {
  assert.equal(parseJsonText('['.repeat(10_000) + ']'.repeat(10_000)), undefined);
  assert.ok(parseJsonText('['.repeat(10) + ']'.repeat(10)));
});
