import { explainMismatch, isExpired } from './compile-rule.js';
import { candidates, createRuleIndex, type IndexedRule } from './rule-index.js';

/** One rule the engine would try for a request, and whether it matches now. */
export interface CandidateExplanation {
  id: string;
  name: string;
  kind: 'custom' | 'default';
  priority: number;
  /** True when every condition holds and the rule is neither expired nor used up. */
  matched: boolean;
  /** Why it does not match, one plain sentence per failing condition or lifetime. */
  reasons: string[];
}

/** What explainCandidates needs: the rules as the engine loads them, and the request. */
export interface ExplainInput {
  /** Default rules and this merchant's custom rules (the engine's index input). */
  rules: readonly IndexedRule[];
  partner: string;
  service: string;
  /** Request parameters, empty values left out as the gateway does before matching. */
  params: Readonly<Record<string, string>>;
  /** Default rules this merchant switched off. */
  disabledDefaults: readonly string[];
  /** Custom rules whose `times` lifetime is used up, with their hit counts. */
  usedUp: ReadonlyMap<string, number>;
  now: Date;
}

/**
 * "Why did nothing match": every candidate in the engine's order (custom rules for this service and
 * '*', then the default rules left on), each with the reasons it does not match. Disabled rules and
 * rules of other services are not candidates. Only run when asked (GET /api/requests/:id/explain):
 * it builds an index of its own rather than touch the engine's cache.
 */
export function explainCandidates(input: ExplainInput): CandidateExplanation[] {
  const index = createRuleIndex(input.rules, {
    disabledDefaults: new Map([[input.partner, new Set(input.disabledDefaults)]]),
  });
  return candidates(index, input.partner, input.service).map((compiled) => {
    const rule = compiled.rule;
    const reasons = explainMismatch(compiled, input.params);
    if (isExpired(compiled, input.now)) reasons.push(`the rule expired at ${rule.expiresAt ?? ''}`);
    const hits = input.usedUp.get(rule.id);
    if (hits !== undefined) reasons.push(`the rule is used up (${hits} of ${rule.times ?? hits} matches)`);
    return {
      id: rule.id,
      name: rule.name,
      kind: rule.partner === null ? 'default' : 'custom',
      priority: rule.priority,
      matched: reasons.length === 0,
      reasons,
    };
  });
}
