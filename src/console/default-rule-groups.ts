import type { DefaultRule } from '../rules/default-rules.js';

/** The outcome groups of the default-rule list, in the order the mock service page shows them. */
export const DEFAULT_RULE_GROUPS = [
  { key: 'declines', label: 'Business failures' },
  { key: 'unknown', label: 'Unknown results' },
  { key: 'success', label: 'Successes and normal answers' },
  { key: 'sequences', label: 'Sequences: transient failures and retries' },
  { key: 'gateway', label: 'Gateway errors' },
  { key: 'broken', label: 'Broken replies' },
  { key: 'faults', label: 'Transport faults' },
] as const;

/** One group's key. */
export type DefaultRuleGroupKey = (typeof DEFAULT_RULE_GROUPS)[number]['key'];

/** Which group a rule's outcome belongs to. */
function groupOf(rule: DefaultRule): DefaultRuleGroupKey {
  const then = rule.then;
  switch (then.type) {
    case 'business':
      if (then.result_code === 'SUCCESS') return 'success';
      return then.result_code?.startsWith('UNKNOW') ? 'unknown' : 'declines';
    case 'normal':
      return 'success';
    case 'sequence':
      return 'sequences';
    case 'gateway_error':
      return 'gateway';
    case 'broken':
      return 'broken';
    default:
      return 'faults';
  }
}

/** Default rules grouped by outcome, in table order within each group; empty groups left out. */
export function groupDefaultRules(
  rules: readonly DefaultRule[],
): Array<{ key: DefaultRuleGroupKey; label: string; rules: DefaultRule[] }> {
  return DEFAULT_RULE_GROUPS.map((g) => ({ ...g, rules: rules.filter((r) => groupOf(r) === g.key) })).filter(
    (g) => g.rules.length > 0,
  );
}
