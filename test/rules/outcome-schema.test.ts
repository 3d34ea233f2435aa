import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RULE_SCHEMA, formatZodIssues, type IssueText } from '../../src/rules/rule-schema.js';

function problemsOf(then: unknown, service = 'alipay.acquire.overseas.spot.pay'): IssueText[] {
  const result = RULE_SCHEMA.safeParse({ partner: '2088101122136241', service, name: 'r', then });
  return result.success ? [] : formatZodIssues(result.error);
}

const normal = { type: 'normal' };

test('a sequence inside a sequence is refused at its step, in plain words', () => {
  const issues = problemsOf({ type: 'sequence', steps: [normal, { type: 'sequence', steps: [normal] }] });
  assert.deepEqual(issues, [
    { path: 'then.steps[1].type', message: 'a sequence step cannot itself be a sequence' },
  ]);
});

test('a sequence has 1 to 50 steps', () => {
  assert.equal(problemsOf({ type: 'sequence', steps: [] })[0]?.path, 'then.steps');
  assert.equal(problemsOf({ type: 'sequence', steps: Array(51).fill(normal) })[0]?.path, 'then.steps');
  assert.deepEqual(problemsOf({ type: 'sequence', steps: Array(50).fill(normal), loop: true }), []);
});

test('an unknown outcome type is refused at then.type', () => {
  assert.equal(problemsOf({ type: 'teapot' })[0]?.path, 'then.type');
});

test('no delay may exceed 120 000 ms', () => {
  assert.equal(
    problemsOf({ type: 'normal', delay: { type: 'fixed', ms: 120_001 } })[0]?.path,
    'then.delay.ms',
  );
  assert.deepEqual(problemsOf({ type: 'normal', delay: { type: 'fixed', ms: 120_000 } }), []);
});

test('a uniform delay needs minMs ≤ maxMs', () => {
  const issues = problemsOf({ type: 'normal', delay: { type: 'uniform', minMs: 10, maxMs: 5 } });
  assert.deepEqual(issues, [{ path: 'then.delay.maxMs', message: 'minMs must not exceed maxMs' }]);
});

test('status belongs to html_error only', () => {
  const issues = problemsOf({ type: 'broken', kind: 'malformed_xml', status: 503 });
  assert.deepEqual(issues, [{ path: 'then.status', message: 'status only applies to kind "html_error"' }]);
  assert.deepEqual(problemsOf({ type: 'broken', kind: 'html_error', status: 503 }), []);
});

test('fault delay needs a delay, fault hang takes none', () => {
  assert.equal(problemsOf({ type: 'fault', fault: 'delay' })[0]?.path, 'then.delay');
  assert.equal(
    problemsOf({ type: 'fault', fault: 'hang', delay: { type: 'fixed', ms: 1 } })[0]?.path,
    'then.delay',
  );
});

test('fault delay and truncate run the request normally, so they take no effect', () => {
  const issues = problemsOf({ type: 'fault', fault: 'truncate', effect: 'create_trade' });
  assert.equal(issues[0]?.path, 'then.effect');
});

test('resolve only goes with effect pending, and needs a time or a query count', () => {
  const resolve = { to: 'paid', afterSeconds: 30 };
  assert.equal(problemsOf({ type: 'business', result_code: 'UNKNOW', resolve })[0]?.path, 'then.resolve');
  const noTrigger = { type: 'business', result_code: 'UNKNOW', effect: 'pending', resolve: { to: 'paid' } };
  assert.equal(problemsOf(noTrigger)[0]?.path, 'then.resolve');
});

test('response field templates must use {{param}} or {{now:format}}', () => {
  const fields = {
    memo: 'at {{now}}',
    detail_error_des: '{{ partner }}',
    trade_no: '{{now:yyyyMMddHHmmss}}',
  };
  const issues = problemsOf({ type: 'business', result_code: 'FAILED', fields });
  assert.deepEqual(
    issues.map((i) => i.path),
    ['then.fields.memo', 'then.fields.detail_error_des'],
  );
});

test('result_code and error are set on the outcome, not in fields', () => {
  const issues = problemsOf({ type: 'business', result_code: 'FAILED', fields: { result_code: 'SUCCESS' } });
  assert.deepEqual(issues, [
    { path: 'then.fields.result_code', message: 'set result_code on the outcome itself, not in fields' },
  ]);
});

test('a gateway error code must be one of the gateway codes', () => {
  assert.equal(problemsOf({ type: 'gateway_error', code: 'BUYER_NOT_EXIST' })[0]?.path, 'then.code');
  assert.deepEqual(problemsOf({ type: 'gateway_error', code: 'ILLEGAL_SIGN' }), []);
});

test('unknown keys are refused, so a typo does not silently do nothing', () => {
  const issues = problemsOf({ type: 'business', result_code: 'FAILED', eror: 'SYSTEM_ERROR' });
  assert.deepEqual(issues, [{ path: 'then.eror', message: 'unknown field' }]);
});
