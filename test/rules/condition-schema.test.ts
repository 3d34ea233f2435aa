import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RULE_SCHEMA, formatZodIssues, type IssueText } from '../../src/rules/rule-schema.js';

function problems(when: unknown[]): IssueText[] {
  const result = RULE_SCHEMA.safeParse({
    partner: '2088101122136241',
    service: 'alipay.acquire.overseas.spot.pay',
    name: 'r',
    when,
    then: { type: 'normal' },
  });
  assert.equal(result.success, false);
  return result.success ? [] : formatZodIssues(result.error);
}

test('a regex that does not compile is refused with the compiler message at when[i].value', () => {
  const [issue] = problems([{ field: 'memo', op: 'regex', value: '([a-z' }]);
  assert.equal(issue?.path, 'when[0].value');
  assert.match(issue?.message ?? '', /^not a valid regular expression \(RE2 syntax\): /);
});

test('a regex longer than 200 characters is refused', () => {
  const [issue] = problems([{ field: 'memo', op: 'regex', value: 'a'.repeat(201) }]);
  assert.equal(issue?.path, 'when[0].value');
  assert.match(issue?.message ?? '', /limited to 200 characters/);
});

test('an unknown operator is refused at when[i].op, listing the valid ones', () => {
  const [issue] = problems([{ field: 'memo', op: 'contains', value: 'x' }]);
  assert.equal(issue?.path, 'when[0].op');
  assert.match(issue?.message ?? '', /"eq"/);
});

test('op in needs a list of strings', () => {
  const [issue] = problems([{ field: 'currency', op: 'in', value: 'USD' }]);
  assert.deepEqual(issue, {
    path: 'when[0].value',
    message: 'op "in" takes a list of strings, e.g. ["HKD", "USD"]',
  });
});

test('exists and absent take no value', () => {
  const [issue] = problems([{ field: 'memo', op: 'exists', value: 'x' }]);
  assert.deepEqual(issue, { path: 'when[0].value', message: 'op "exists" takes no value' });
});

test('ordering operators need a decimal number', () => {
  const [issue] = problems([{ field: 'trans_amount', op: 'gt', value: 'ten' }]);
  assert.equal(issue?.path, 'when[0].value');
  assert.match(issue?.message ?? '', /compares decimal amounts/);
});

test('eq without a value is refused', () => {
  const [issue] = problems([{ field: 'memo', op: 'eq' }]);
  assert.deepEqual(issue, { path: 'when[0].value', message: 'op "eq" takes one string value' });
});

test('a field must be a parameter name or a dotted path into one', () => {
  const [issue] = problems([{ field: 'extend_info..store_id', op: 'exists' }]);
  assert.equal(issue?.path, 'when[0].field');
});

test('a number where a string value belongs is refused with a plain message', () => {
  const [issue] = problems([{ field: 'trans_amount', op: 'eq', value: 12.34 }]);
  assert.deepEqual(issue, {
    path: 'when[0].value',
    message: 'value must be a string, or a list of strings for op "in"',
  });
});
