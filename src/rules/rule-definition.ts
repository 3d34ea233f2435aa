import type { RulePatch } from './rule-store.js';
import type { Rule } from './rule-schema.js';

/**
 * What defines a rule's behaviour, in any of the shapes a rule travels in: a validated rule, a stored
 * rule, or the admin API's JSON view (lifetimes as null, dates as text).
 */
export interface RuleDefinitionInput {
  partner: string | null;
  service: string;
  name: string;
  priority: number;
  enabled: boolean;
  when: unknown;
  then: unknown;
  times?: number | null | undefined;
  expiresAt?: string | Date | null | undefined;
}

/** JSON with object keys sorted, so that key order never makes two equal values differ. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A text that is equal for two rules exactly when they behave the same (hits and timestamps are not
 * part of it): used to leave unchanged rules alone on reload and import, keeping their counters.
 */
export function ruleDefinitionKey(rule: RuleDefinitionInput): string {
  const expiresAt =
    rule.expiresAt === null || rule.expiresAt === undefined ? null : new Date(rule.expiresAt).toISOString();
  return canonical({
    partner: rule.partner,
    service: rule.service,
    name: rule.name,
    priority: rule.priority,
    enabled: rule.enabled,
    when: rule.when,
    then: rule.then,
    times: rule.times ?? null,
    expiresAt,
  });
}

/** The stored fields of a validated rule (absent lifetimes become null). */
export function ruleStoreFields(rule: Rule): Required<RulePatch> {
  return {
    service: rule.service,
    name: rule.name,
    priority: rule.priority,
    enabled: rule.enabled,
    when: rule.when,
    then: rule.then,
    times: rule.times ?? null,
    expiresAt: rule.expiresAt ? new Date(rule.expiresAt) : null,
  };
}
