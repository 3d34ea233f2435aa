import { randomUUID } from 'node:crypto';
import { DEFAULT_RULES } from '../rules/default-rules.js';
import type { RuleEngine } from '../rules/rule-engine.js';
import { ruleStoreFields } from '../rules/rule-definition.js';
import type { Rule } from '../rules/rule-schema.js';
import type { RulePatch, RuleStore } from '../rules/rule-store.js';
import type { StoredRule } from '../rules/stored-rule.js';

/** A validated custom rule: one that belongs to a merchant. */
export type CustomRule = Rule & { partner: string };

/**
 * Creates a custom rule (a random id unless it names one) and makes the engine reload.
 * @throws StoreConflictError when the id exists
 */
export async function createCustomRule(
  store: RuleStore,
  engine: RuleEngine,
  rule: CustomRule,
): Promise<StoredRule> {
  const created = await store.createRule({
    id: rule.id ?? randomUUID(),
    partner: rule.partner,
    ...ruleStoreFields(rule),
  });
  engine.invalidate();
  return created;
}

/** Replaces a custom rule's definition (id and partner stay); undefined when it does not exist. */
export async function replaceCustomRule(
  store: RuleStore,
  engine: RuleEngine,
  id: string,
  rule: Rule,
): Promise<StoredRule | undefined> {
  const updated = await store.updateRule(id, ruleStoreFields(rule));
  engine.invalidate();
  return updated;
}

/** Changes some stored fields of a custom rule (enabled, priority …) and makes the engine reload. */
export async function patchCustomRule(
  store: RuleStore,
  engine: RuleEngine,
  id: string,
  patch: RulePatch,
): Promise<StoredRule | undefined> {
  const updated = await store.updateRule(id, patch);
  engine.invalidate();
  return updated;
}

/** Deletes a custom rule; false when it did not exist. */
export async function deleteCustomRule(store: RuleStore, engine: RuleEngine, id: string): Promise<boolean> {
  const deleted = await store.deleteRule(id);
  if (deleted) engine.invalidate();
  return deleted;
}

/** Zeroes a rule's hits and sequence progress. */
export async function resetCustomRule(store: RuleStore, engine: RuleEngine, id: string): Promise<boolean> {
  const done = await store.resetRuleHits(id);
  engine.invalidate();
  return done;
}

/** True when a built-in default rule has this id. */
export function isDefaultRuleId(id: string): boolean {
  return DEFAULT_RULES.some((r) => r.id === id);
}

/** Switches one default rule on or off for one merchant; false when no default rule has this id. */
export async function switchDefaultRule(
  store: RuleStore,
  engine: RuleEngine,
  partner: string,
  id: string,
  enabled: boolean,
): Promise<boolean> {
  if (!isDefaultRuleId(id)) return false;
  await store.setDefaultRuleEnabled(partner, id, enabled);
  engine.invalidate();
  return true;
}

/**
 * New priorities that make `ordered` (highest precedence first) the precedence order, changing as few
 * rules as possible: going up from the last rule, each must beat the one below it. Ties are broken
 * by creation order in the engine, which a person cannot change, so every rule ends strictly above
 * the next. Returns only the rules whose priority changes.
 */
export function priorityChanges(
  ordered: ReadonlyArray<{ id: string; priority: number }>,
): Array<{ id: string; priority: number }> {
  const changes: Array<{ id: string; priority: number }> = [];
  let below: number | undefined;
  for (let i = ordered.length - 1; i >= 0; i -= 1) {
    const rule = ordered[i]!;
    const priority = below === undefined || rule.priority > below ? rule.priority : below + 1;
    if (priority !== rule.priority) changes.push({ id: rule.id, priority });
    below = priority;
  }
  return changes.reverse();
}
