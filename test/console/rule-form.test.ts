import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RULE_SCHEMA } from '../../src/rules/rule-schema.js';
import { DEFAULT_RULES } from '../../src/rules/default-rules.js';
import { newRuleValues, ruleValues, validateRuleForm } from '../../src/console/rule-form.js';
import { priorityChanges } from '../../src/domain/custom-rules.js';

const PARTNER = '2088101122136241';
const PAY = 'alipay.acquire.overseas.spot.pay';

test('the form of "spot pay of 12.34 → BUYER_BALANCE_NOT_ENOUGH" validates to that rule', () => {
  const values = {
    ...newRuleValues(PAY),
    name: 'decline 12.34',
    'when.0.value': '12.34',
    'then.business.error': 'BUYER_BALANCE_NOT_ENOUGH',
    // Untouched controls of other outcome types and optional groups are ignored.
    'then.gateway_error.code': 'ILLEGAL_SIGN',
    'then.business.notify.mode': '',
    'then.business.resolve.to': '',
  };
  const result = validateRuleForm(values, PARTNER);
  assert.equal(result.ok, true);
  if (!result.ok) return;
  assert.deepEqual(result.rule.when, [{ field: 'trans_amount', op: 'eq', value: '12.34' }]);
  assert.deepEqual(result.rule.then, {
    type: 'business',
    result_code: 'FAILED',
    error: 'BUYER_BALANCE_NOT_ENOUGH',
  });
  assert.equal(result.rule.partner, PARTNER);
  assert.equal(result.rule.enabled, true);
});

test('each problem is keyed by the form field it belongs to', () => {
  const result = validateRuleForm(
    {
      service: 'alipay.acquire.overseas.query',
      name: '',
      priority: 'high',
      'when.0.field': '',
      'when.0.op': 'eq',
      'when.0.value': '',
      'when.3.field': 'trans_amount',
      'when.3.op': 'gt',
      'when.3.value': 'ten',
      'then.type': 'business',
      'then.business.result_code': 'FAILED',
      'then.business.error': 'lower case',
      'then.business.fields': 'not a pair',
    },
    PARTNER,
  );
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual([...result.errors.keys()].sort(), [
    'name',
    'priority',
    'then.business.error',
    'then.business.fields',
    'when.3.value',
  ]);
  assert.equal(result.errors.get('name'), 'required');
});

test("a result code of another service's spelling is shown on the result code", () => {
  const result = validateRuleForm(
    { ...newRuleValues('alipay.acquire.overseas.query'), name: 'q', 'then.business.result_code': 'FAILED' },
    PARTNER,
  );
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual([...result.errors.keys()], ['then.business.result_code']);
  assert.match(result.errors.get('then.business.result_code') ?? '', /another service's spelling/);
});

test('errors inside a sequence step and a nested delay point at that step', () => {
  const result = validateRuleForm(
    {
      service: PAY,
      name: 'flaky',
      enabled: 'on',
      'then.type': 'sequence',
      'then.sequence.steps.0.type': 'business',
      'then.sequence.steps.0.business.result_code': 'FAILED',
      'then.sequence.steps.0.business.error': 'SYSTEM_ERROR',
      'then.sequence.steps.4.type': 'normal',
      'then.sequence.steps.4.normal.delay.type': 'fixed',
      'then.sequence.steps.4.normal.delay.fixed.ms': '999999',
    },
    PARTNER,
  );
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual([...result.errors.keys()], ['then.sequence.steps.1.normal.delay.fixed.ms']);
});

test('every default rule, shown in the editor and read back, is the same rule (the form covers every outcome)', () => {
  for (const rule of DEFAULT_RULES) {
    const values = ruleValues(rule);
    const result = validateRuleForm(values, PARTNER);
    assert.equal(result.ok, true, `${rule.id}: ${result.ok ? '' : JSON.stringify([...result.errors])}`);
    if (!result.ok) continue;
    assert.deepEqual(result.rule.then, rule.then, rule.id);
    assert.deepEqual(result.rule.when, rule.when, rule.id);
  }
});

test('rules with every optional part survive the editor unchanged', () => {
  const samples = [
    {
      then: {
        type: 'business',
        result_code: 'UNKNOW',
        effect: 'pending',
        resolve: { to: 'paid', afterSeconds: 20, afterQueries: 3 },
        fields: { detail_error_des: 'declined {{partner_trans_id}} at {{now:yyyyMMddHHmmss}}' },
        delay: { type: 'lognormal', medianMs: 2000, sigma: 0.8 },
        notify: { mode: 'delay', delaySeconds: 30 },
      },
      when: [
        { field: 'currency', op: 'in', value: ['HKD', 'USD'] },
        { field: 'memo', op: 'absent' },
      ],
      times: 3,
      expiresAt: '2027-01-01T00:00:00.000Z',
    },
    { then: { type: 'broken', kind: 'html_error', status: 503, effect: 'create_trade' } },
    {
      then: {
        type: 'fault',
        fault: 'reset',
        effect: 'create_trade',
        delay: { type: 'uniform', minMs: 10, maxMs: 20 },
      },
    },
    {
      then: {
        type: 'sequence',
        loop: true,
        steps: [{ type: 'gateway_error', code: 'ILLEGAL_SIGN' }, { type: 'normal' }],
      },
    },
  ];
  for (const sample of samples) {
    const rule = RULE_SCHEMA.parse({
      partner: PARTNER,
      service: PAY,
      name: 'sample',
      priority: 7,
      enabled: false,
      ...sample,
    });
    const result = validateRuleForm(ruleValues(rule), PARTNER);
    assert.equal(result.ok, true, result.ok ? '' : JSON.stringify([...result.errors]));
    if (result.ok) assert.deepEqual(result.rule, rule);
  }
});

test('reordering changes as few priorities as possible and leaves no tie', () => {
  assert.deepEqual(
    priorityChanges([
      { id: 'a', priority: 5 },
      { id: 'b', priority: 3 },
    ]),
    [],
  );
  // b moved above a (both priority 0): b must beat a.
  assert.deepEqual(
    priorityChanges([
      { id: 'b', priority: 0 },
      { id: 'a', priority: 0 },
    ]),
    [{ id: 'b', priority: 1 }],
  );
  assert.deepEqual(
    priorityChanges([
      { id: 'c', priority: 1 },
      { id: 'a', priority: 10 },
      { id: 'b', priority: 0 },
    ]),
    [{ id: 'c', priority: 11 }],
  );
});
