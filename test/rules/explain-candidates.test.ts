import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_RULES } from '../../src/rules/default-rules.js';
import { explainCandidates, type ExplainInput } from '../../src/rules/explain-candidates.js';
import { aStoredRule } from './rule-builders.js';

const PARTNER = '2088101122136241';
const PAY = 'alipay.acquire.overseas.spot.pay';
const NOW = new Date('2026-11-26T04:00:00Z');

function explain(overrides: Partial<ExplainInput>) {
  return explainCandidates({
    rules: DEFAULT_RULES,
    partner: PARTNER,
    service: PAY,
    params: { trans_amount: '10.00' },
    disabledDefaults: [],
    usedUp: new Map(),
    now: NOW,
    ...overrides,
  });
}

describe('explainCandidates', () => {
  it('puts custom rules first (priority, then newest), then the default rules in table order', () => {
    const rules = [
      ...DEFAULT_RULES,
      aStoredRule('old', 1, { priority: 5 }),
      aStoredRule('new', 2, { priority: 5 }),
      aStoredRule('high', 3, { priority: 9 }),
    ];
    const ids = explain({ rules }).map((c) => c.id);
    assert.deepEqual(ids.slice(0, 3), ['high', 'new', 'old']);
    assert.deepEqual(
      ids.slice(3),
      DEFAULT_RULES.filter((r) => r.service === PAY || r.service === '*').map((r) => r.id),
    );
  });

  it('leaves out default rules the merchant switched off, and rules of other services', () => {
    const rules = [
      ...DEFAULT_RULES,
      aStoredRule('query', 1, { service: 'alipay.acquire.overseas.query', then: { type: 'normal' } }),
    ];
    const ids = explain({ rules, disabledDefaults: ['default-pay-9901'] }).map((c) => c.id);
    assert.ok(!ids.includes('default-pay-9901'));
    assert.ok(!ids.includes('query'));
    assert.ok(ids.includes('default-pay-9902'));
  });

  it('gives each failing condition, expiry and used-up lifetime as a reason', () => {
    const rules = [
      aStoredRule('expired', 1, {
        expiresAt: '2026-11-26T11:59:00+08:00',
        when: [{ field: 'trans_amount', op: 'gte', value: '100' }],
      }),
      aStoredRule('spent', 2, { times: 2 }),
      aStoredRule('fits', 3, { when: [{ field: 'trans_amount', op: 'lt', value: '100' }] }),
    ];
    const [fits, spent, expired] = explain({ rules, usedUp: new Map([['spent', 2]]) });
    assert.deepEqual(fits, {
      id: 'fits',
      name: 'test rule',
      kind: 'custom',
      priority: 0,
      matched: true,
      reasons: [],
    });
    assert.deepEqual(spent?.reasons, ['the rule is used up (2 of 2 matches)']);
    assert.equal(spent?.matched, false);
    assert.deepEqual(expired?.reasons, [
      'trans_amount is 10.00, rule wants gte 100',
      'the rule expired at 2026-11-26T11:59:00+08:00',
    ]);
  });
});
