import { RULE_SCHEMA, type Rule, type RuleInput } from '../../src/rules/rule-schema.js';
import type { IndexedRule } from '../../src/rules/rule-index.js';

/** A valid custom rule for merchant 2088101122136241 on spot pay; override what the test is about. */
export function aRule(overrides: Partial<RuleInput> = {}): Rule {
  return RULE_SCHEMA.parse({
    partner: '2088101122136241',
    service: 'alipay.acquire.overseas.spot.pay',
    name: 'test rule',
    then: { type: 'business', result_code: 'FAILED', error: 'SYSTEM_ERROR' },
    ...overrides,
  });
}

/** A rule as the store hands it to the index: with an id and a creation sequence number. */
export function aStoredRule(id: string, seq: number, overrides: Partial<RuleInput> = {}): IndexedRule {
  return { ...aRule(overrides), id, seq };
}

/** A one-condition rule, compiled-ready. */
export function ruleWhen(field: string, op: string, value?: string | string[]): Rule {
  return aRule({ when: [value === undefined ? { field, op } : { field, op, value }] as RuleInput['when'] });
}
