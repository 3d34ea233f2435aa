import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRule, matches } from '../../src/rules/compile-rule.js';
import { aRule, ruleWhen } from './rule-builders.js';

function hit(
  field: string,
  op: string,
  value: string | string[] | undefined,
  params: Record<string, string>,
): boolean {
  return matches(compileRule(ruleWhen(field, op, value)), params);
}

test('eq compares amounts numerically: 9901 matches 9901.00 and the other way round', () => {
  assert.equal(hit('trans_amount', 'eq', '9901', { trans_amount: '9901.00' }), true);
  assert.equal(hit('trans_amount', 'eq', '9901.00', { trans_amount: '9901' }), true);
  assert.equal(hit('trans_amount', 'eq', '9901', { trans_amount: '9901.01' }), false);
});

test('eq compares other text exactly, so 007 is not 7', () => {
  assert.equal(hit('partner_trans_id', 'eq', '7', { partner_trans_id: '007' }), false);
  assert.equal(hit('currency', 'eq', 'USD', { currency: 'usd' }), false);
  assert.equal(hit('currency', 'eq', 'USD', { currency: 'USD' }), true);
});

test('ne holds for a different value and for an absent field', () => {
  assert.equal(hit('currency', 'ne', 'USD', { currency: 'HKD' }), true);
  assert.equal(hit('currency', 'ne', 'USD', {}), true);
  assert.equal(hit('trans_amount', 'ne', '10', { trans_amount: '10.00' }), false);
});

test('in matches any listed text, and listed amounts numerically', () => {
  assert.equal(hit('currency', 'in', ['HKD', 'USD'], { currency: 'USD' }), true);
  assert.equal(hit('currency', 'in', ['HKD', 'USD'], { currency: 'EUR' }), false);
  assert.equal(hit('trans_amount', 'in', ['1', '2.5'], { trans_amount: '2.50' }), true);
});

test('prefix matches the start of the value', () => {
  assert.equal(hit('partner_trans_id', 'prefix', 'MOCK_', { partner_trans_id: 'MOCK_1' }), true);
  assert.equal(hit('partner_trans_id', 'prefix', 'MOCK_', { partner_trans_id: 'X_MOCK_1' }), false);
});

test('regex searches the value (anchors are up to the rule)', () => {
  assert.equal(hit('trans_name', 'regex', 'coffee', { trans_name: 'iced coffee' }), true);
  assert.equal(hit('trans_name', 'regex', '^coffee$', { trans_name: 'iced coffee' }), false);
});

test('a regex RE2 refuses (a rule stored before patterns were checked) never matches, and compiles without throwing', () => {
  // The schema refuses lookbehind, so the stored rule is built past it.
  const stored = {
    ...ruleWhen('trans_name', 'regex', 'b'),
    when: [{ field: 'trans_name', op: 'regex', value: '(?<=a)b' }],
  };
  const compiled = compileRule(stored as ReturnType<typeof ruleWhen>);
  assert.equal(matches(compiled, { trans_name: 'ab' }), false);
  assert.equal(matches(compiled, { trans_name: 'ab' }), false, 'the second test uses the same refusal');
  assert.equal(matches(compiled, {}), false);
});

test('gt, gte, lt and lte compare decimal amounts exactly: 10.5 > 9.99', () => {
  assert.equal(hit('trans_amount', 'gt', '9.99', { trans_amount: '10.5' }), true);
  assert.equal(hit('trans_amount', 'lt', '9.99', { trans_amount: '10.5' }), false);
  assert.equal(hit('trans_amount', 'gte', '10.50', { trans_amount: '10.5' }), true);
  assert.equal(hit('trans_amount', 'lte', '0.29', { trans_amount: '0.3' }), false);
});

test('ordering operators never hold for text that is not a number, nor for an absent field', () => {
  assert.equal(hit('trans_amount', 'gt', '1', { trans_amount: 'abc' }), false);
  assert.equal(hit('trans_amount', 'lt', '1', {}), false);
});

test('exists and absent look at presence; an empty value counts as absent', () => {
  assert.equal(hit('memo', 'exists', undefined, { memo: 'x' }), true);
  assert.equal(hit('memo', 'exists', undefined, { memo: '' }), false);
  assert.equal(hit('memo', 'absent', undefined, {}), true);
  assert.equal(hit('memo', 'absent', undefined, { memo: '' }), true);
});

test('every condition of a rule must hold', () => {
  const rule = compileRule(
    aRule({
      when: [
        { field: 'currency', op: 'eq', value: 'USD' },
        { field: 'trans_amount', op: 'gt', value: '100' },
      ],
    }),
  );
  assert.equal(matches(rule, { currency: 'USD', trans_amount: '50' }), false);
  assert.equal(matches(rule, { currency: 'USD', trans_amount: '150' }), true);
});

test('a rule without conditions matches every request', () => {
  assert.equal(matches(compileRule(aRule({ when: [] })), {}), true);
});

test('inherited object keys are never mistaken for parameters', () => {
  assert.equal(hit('constructor', 'exists', undefined, {}), false);
  assert.equal(hit('toString', 'absent', undefined, {}), true);
});
