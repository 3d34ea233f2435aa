import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  RULE_FILE_SCHEMA,
  RULE_SCHEMA,
  formatZodIssues,
  type IssueText,
} from '../../src/rules/rule-schema.js';

function problemsOf(rule: Record<string, unknown>): IssueText[] {
  const result = RULE_SCHEMA.safeParse({ partner: '2088101122136241', name: 'r', ...rule });
  return result.success ? [] : formatZodIssues(result.error);
}

test('the example rule of the issue parses, with defaults for enabled and when', () => {
  const rule = RULE_SCHEMA.parse({
    partner: '2088101122136241',
    service: 'alipay.acquire.overseas.spot.pay',
    name: 'decline 12.34',
    priority: 10,
    when: [{ field: 'trans_amount', op: 'eq', value: '12.34' }],
    then: { type: 'business', result_code: 'FAILED', error: 'BUYER_BALANCE_NOT_ENOUGH' },
    times: 3,
  });
  assert.equal(rule.enabled, true);
  assert.equal(rule.priority, 10);
  assert.equal(rule.times, 3);
});

test('priority defaults to 0, enabled to true, when to no conditions', () => {
  const rule = RULE_SCHEMA.parse({ partner: null, service: '*', name: 'all', then: { type: 'normal' } });
  assert.deepEqual([rule.priority, rule.enabled, rule.when], [0, true, []]);
});

test('result codes are checked against the spelling of the rule service', () => {
  const query = problemsOf({
    service: 'alipay.acquire.overseas.query',
    then: { type: 'business', result_code: 'FAILED' },
  });
  assert.equal(query[0]?.path, 'then.result_code');
  assert.match(query[0]?.message ?? '', /SUCCESS, FAIL;/);
  const cancel = problemsOf({
    service: 'alipay.acquire.cancel',
    then: { type: 'business', result_code: 'UNKNOW' },
  });
  assert.equal(cancel[0]?.path, 'then.result_code');
});

test('result codes inside sequence steps are checked too', () => {
  const then = { type: 'sequence', steps: [{ type: 'normal' }, { type: 'business', result_code: 'FAIL' }] };
  const issues = problemsOf({ service: 'alipay.acquire.overseas.spot.refund', then });
  assert.equal(issues[0]?.path, 'then.steps[1].result_code');
});

test('trade effects are only allowed on spot pay rules', () => {
  const then = { type: 'fault', fault: 'hang', effect: 'create_trade' };
  assert.equal(problemsOf({ service: 'alipay.acquire.cancel', then })[0]?.path, 'then.effect');
  assert.equal(problemsOf({ service: '*', then })[0]?.path, 'then.effect');
  assert.deepEqual(problemsOf({ service: 'alipay.acquire.overseas.spot.pay', then }), []);
});

test('a cancel retry_flag is Y or N', () => {
  const then = {
    type: 'business',
    result_code: 'FAIL',
    error: 'SYSTEM_ERROR',
    fields: { retry_flag: 'yes' },
  };
  assert.equal(problemsOf({ service: 'alipay.acquire.cancel', then })[0]?.path, 'then.fields.retry_flag');
});

test('partner is a 16-digit PID or null, service one of the four or *', () => {
  const then = { type: 'normal' };
  assert.equal(problemsOf({ partner: '2088', service: '*', then })[0]?.path, 'partner');
  assert.equal(problemsOf({ service: 'alipay.trade.pay', then })[0]?.path, 'service');
});

test('name, times and expiresAt are validated', () => {
  const base = { service: '*', then: { type: 'normal' } };
  assert.equal(problemsOf({ ...base, name: ' ' })[0]?.path, 'name');
  assert.equal(problemsOf({ ...base, times: 0 })[0]?.path, 'times');
  assert.equal(problemsOf({ ...base, expiresAt: 'tomorrow' })[0]?.path, 'expiresAt');
  assert.deepEqual(problemsOf({ ...base, expiresAt: '2030-01-01T00:00:00+08:00' }), []);
});

test('a rule file has version 1 and unique ids, with paths into the file', () => {
  const rule = { id: 'a', partner: null, service: '*', name: 'r', then: { type: 'normal' } };
  const result = RULE_FILE_SCHEMA.safeParse({ version: 1, rules: [rule, rule] });
  assert.equal(result.success, false);
  assert.deepEqual(result.success ? [] : formatZodIssues(result.error), [
    { path: 'rules[1].id', message: 'id "a" is used twice' },
  ]);
  assert.equal(RULE_FILE_SCHEMA.safeParse({ version: 2, rules: [] }).success, false);
});

test('issue paths of deep errors read like code', () => {
  const bad = {
    id: 'a',
    partner: null,
    service: '*',
    name: 'r',
    when: [{ field: 'x', op: 'regex', value: '(' }],
    then: { type: 'normal' },
  };
  const result = RULE_FILE_SCHEMA.safeParse({ version: 1, rules: [bad] });
  assert.equal(result.success ? '' : formatZodIssues(result.error)[0]?.path, 'rules[0].when[0].value');
});
