import { createCustomRule, deleteCustomRule } from '../domain/custom-rules.js';
import type { RuleEngine } from '../rules/rule-engine.js';
import { formatZodIssues, RULE_SCHEMA, type RuleInput } from '../rules/rule-schema.js';
import type { Store } from '../storage/store.js';
import type { StoredRule } from '../rules/stored-rule.js';

/** A custom rule for the sandbox's merchant: as in docs/rules.md, `partner` optional. */
export type SandboxRuleInput = Omit<RuleInput, 'partner'> & { partner?: string };

/** The custom mock rules of the sandbox's merchant. */
export interface SandboxRules {
  /** Validates and adds a rule (it answers the very next request); throws a TypeError naming the problem. */
  add(rule: SandboxRuleInput): Promise<StoredRule>;
  /** The merchant's rules, with their hit counts. */
  list(): Promise<StoredRule[]>;
  remove(id: string): Promise<boolean>;
  /** Deletes every rule of the merchant. */
  clear(): Promise<void>;
}

/** Rules of one merchant, validated with the same schema as the admin API and rule files. */
export function sandboxRules(store: Store, engine: RuleEngine, partner: string): SandboxRules {
  return {
    async add(input) {
      const parsed = RULE_SCHEMA.safeParse({ ...input, partner: input.partner ?? partner });
      if (!parsed.success) {
        const first = formatZodIssues(parsed.error)[0];
        throw new TypeError(`rule is invalid: ${first?.path ?? ''}: ${first?.message ?? 'invalid'}`);
      }
      return createCustomRule(store, engine, { ...parsed.data, partner: parsed.data.partner ?? partner });
    },
    list: () => store.listRules({ partner }),
    async remove(id) {
      if ((await store.getRule(id))?.partner !== partner) return false;
      return deleteCustomRule(store, engine, id);
    },
    async clear() {
      for (const rule of await store.listRules({ partner })) await deleteCustomRule(store, engine, rule.id);
    },
  };
}
