import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareDecimal, parseDecimal, plainDecimalKey } from '../../src/rules/decimal.js';

function cmp(a: string, b: string): number {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  assert.ok(x && y, `${a} and ${b} parse`);
  return Math.sign(compareDecimal(x, y));
}

test('a whole amount and the same amount with zero cents have the same key', () => {
  assert.equal(plainDecimalKey('9901'), '9901');
  assert.equal(plainDecimalKey('9901.00'), '9901');
  assert.equal(plainDecimalKey('12.340'), '12.34');
});

test('values with a redundant leading zero are not plain decimals, so ids like 007 stay text', () => {
  assert.equal(plainDecimalKey('007'), undefined);
  assert.equal(plainDecimalKey('0.10'), '0.1');
  assert.equal(plainDecimalKey('1e3'), undefined);
  assert.equal(plainDecimalKey('abc'), undefined);
});

test('decimals compare exactly, digit by digit, never as floats', () => {
  assert.equal(cmp('10.5', '9.99'), 1);
  assert.equal(cmp('9.99', '10.5'), -1);
  assert.equal(cmp('0.10', '0.1'), 0);
  assert.equal(cmp('100000000.01', '100000000.009'), 1);
  assert.equal(cmp('12345678901234567890.01', '12345678901234567890.02'), -1);
});

test('negative numbers order below positive ones and -0 equals 0', () => {
  assert.equal(cmp('-1', '0.5'), -1);
  assert.equal(cmp('-2', '-1.5'), -1);
  assert.equal(cmp('-0', '0.00'), 0);
});

test('the ordering parser accepts leading zeros and refuses other text', () => {
  assert.equal(cmp('007', '7'), 0);
  assert.equal(parseDecimal('1,000'), undefined);
  assert.equal(parseDecimal(''), undefined);
  assert.equal(parseDecimal('9'.repeat(65)), undefined);
  for (const text of ['-', '.5', '1.', '1.2.3', '+1', ' 1', '1 ', '1e3', '١٢'])
    assert.equal(parseDecimal(text), undefined, text);
});

test('the ordering parser drops leading and trailing zeros, and -0 is not negative', () => {
  assert.deepEqual(parseDecimal('-007.50'), { negative: true, int: '7', frac: '5' });
  assert.deepEqual(parseDecimal('000'), { negative: false, int: '0', frac: '' });
  assert.deepEqual(parseDecimal('-0.000'), { negative: false, int: '0', frac: '' });
  assert.deepEqual(parseDecimal('0.010'), { negative: false, int: '0', frac: '01' });
});
