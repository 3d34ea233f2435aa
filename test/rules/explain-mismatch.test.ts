import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRule, explainMismatch } from '../../src/rules/compile-rule.js';
import { aRule, ruleWhen } from './rule-builders.js';

test('a failing eq says what was sent and what the rule wants', () => {
  const rule = compileRule(ruleWhen('trans_amount', 'eq', '12.34'));
  assert.deepEqual(explainMismatch(rule, { trans_amount: '10.00' }), [
    'trans_amount is 10.00, rule wants eq 12.34',
  ]);
});

test('only failing conditions are explained, and a match explains nothing', () => {
  const rule = compileRule(
    aRule({
      when: [
        { field: 'currency', op: 'in', value: ['HKD', 'USD'] },
        { field: 'memo', op: 'exists' },
      ],
    }),
  );
  assert.deepEqual(explainMismatch(rule, { currency: 'USD' }), ['memo is absent, rule wants it present']);
  assert.deepEqual(explainMismatch(rule, { currency: 'EUR', memo: 'm' }), [
    'currency is EUR, rule wants in [HKD, USD]',
  ]);
  assert.deepEqual(explainMismatch(rule, { currency: 'USD', memo: 'm' }), []);
});

test('absent, non-numeric and invalid-JSON values are named as such', () => {
  assert.deepEqual(explainMismatch(compileRule(ruleWhen('memo', 'absent')), { memo: 'x' }), [
    'memo is x, rule wants it absent',
  ]);
  assert.deepEqual(
    explainMismatch(compileRule(ruleWhen('trans_amount', 'gt', '1')), { trans_amount: 'abc' }),
    ['trans_amount is abc (not a number), rule wants gt 1'],
  );
  assert.deepEqual(
    explainMismatch(compileRule(ruleWhen('extend_info.store_id', 'eq', 'S1')), { extend_info: '{' }),
    ['extend_info.store_id is absent (extend_info is not valid JSON), rule wants eq S1'],
  );
});

test('long values are shortened in explanations', () => {
  const [reason] = explainMismatch(compileRule(ruleWhen('memo', 'eq', 'x')), { memo: 'y'.repeat(500) });
  assert.ok(reason !== undefined && reason.length < 150);
});
