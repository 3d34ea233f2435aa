import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffSignStrings, sentOrderString } from '../../src/console/sign-diff.js';

const only = (tokens: Array<{ text: string; status: string }>) =>
  tokens.filter((t) => t.status === 'only').map((t) => t.text);

test('identical strings have no pair of their own', () => {
  const d = diffSignStrings('a=1&b=2', 'a=1&b=2');
  assert.equal(d.identical, true);
  assert.deepEqual(only(d.expected), []);
  assert.deepEqual(only(d.received), []);
});

test('a changed value and an extra parameter are marked on their side', () => {
  const d = diffSignStrings('a=1&b=2&c=3', 'a=1&b=20&c=3&d=4');
  assert.deepEqual(only(d.expected), ['b=2']);
  assert.deepEqual(only(d.received), ['b=20', 'd=4']);
  assert.equal(d.identical, false);
  assert.equal(d.sameSetOtherOrder, false);
});

test('the same pairs in another order mark nothing (the string to sign is sorted anyway)', () => {
  const d = diffSignStrings('a=1&b=2&c=3', 'c=3&a=1&b=2');
  assert.equal(d.sameSetOtherOrder, true);
  assert.deepEqual(only(d.expected), []);
  assert.deepEqual(only(d.received), []);
});

test('a pair sent twice is marked once', () => {
  const d = diffSignStrings('a=1&b=2', 'a=1&b=2&a=1');
  assert.deepEqual(only(d.received), ['a=1']);
});

test('the sent-order string leaves sign and sign_type out and keeps empty values', () => {
  const s = sentOrderString([
    { name: 'service', value: 'x' },
    { name: 'sign', value: 'abc' },
    { name: 'memo', value: '' },
    { name: 'sign_type', value: 'MD5' },
  ]);
  assert.equal(s, 'service=x&memo=');
});
