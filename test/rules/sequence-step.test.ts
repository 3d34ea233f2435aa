import { test } from 'node:test';
import assert from 'node:assert/strict';
import { currentStep, sequenceScope, sequenceStep } from '../../src/rules/sequence-step.js';
import type { SequenceOutcome } from '../../src/rules/rule-schema.js';
import { aRule } from './rule-builders.js';

const fail = { type: 'business', result_code: 'FAILED', error: 'SYSTEM_ERROR' } as const;
const normal = { type: 'normal' } as const;

test('sequence steps are used in turn, then the last step is kept', () => {
  const seq: SequenceOutcome = { type: 'sequence', steps: [fail, fail, normal] };
  assert.deepEqual(
    [0, 1, 2, 3, 10].map((n) => sequenceStep(seq, n).type),
    ['business', 'business', 'normal', 'normal', 'normal'],
  );
});

test('a looping sequence starts again after its last step', () => {
  const seq: SequenceOutcome = { type: 'sequence', steps: [fail, normal], loop: true };
  assert.deepEqual(
    [0, 1, 2, 3].map((n) => sequenceStep(seq, n).type),
    ['business', 'normal', 'business', 'normal'],
  );
});

test('currentStep passes a plain outcome through', () => {
  assert.deepEqual(currentStep(normal, 5), normal);
});

test('custom rules share one sequence counter; default rules count per partner and transaction', () => {
  const params = { partner: '2088101122136241', partner_refund_id: 'MOCK_REFUND_RETRY-1' };
  const refund = 'alipay.acquire.overseas.spot.refund';
  assert.equal(sequenceScope(aRule({ service: refund, then: normal }), refund, params), '');
  const scope = sequenceScope(aRule({ partner: null, service: refund, then: normal }), refund, params);
  assert.equal(scope, '2088101122136241/MOCK_REFUND_RETRY-1');
});

test('a query without partner_trans_id is scoped by alipay_trans_id', () => {
  const query = 'alipay.acquire.overseas.query';
  const rule = aRule({ partner: null, service: query, then: normal });
  assert.equal(sequenceScope(rule, query, { partner: 'P', alipay_trans_id: 'A1' }), 'P/A1');
});
