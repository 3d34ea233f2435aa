import type { StoredRule } from './stored-rule.js';

/** Fields a caller supplies to create a rule; hits, seq and timestamps are set by the store. */
export type NewRule = Omit<StoredRule, 'hits' | 'seq' | 'createdAt' | 'updatedAt'>;
/** Fields of a rule that may be replaced. */
export type RulePatch = Partial<Omit<NewRule, 'id' | 'partner'>>;
/** Custom rules, their hit counters and sequences, and the default-rule switches of each merchant. */
export interface RuleStore {
  listRules(filter?: { partner?: string | undefined }): Promise<StoredRule[]>;
  getRule(id: string): Promise<StoredRule | undefined>;
  /** @throws StoreConflictError when the id exists */
  createRule(rule: NewRule): Promise<StoredRule>;
  updateRule(id: string, patch: RulePatch): Promise<StoredRule | undefined>;
  deleteRule(id: string): Promise<boolean>;
  /** Sets hits back to 0 and forgets sequence progress (counters named `rule:<id>:…`). */
  resetRuleHits(id: string): Promise<boolean>;
  /**
   * Counts one match of a rule atomically: returns the new hit count, or null when the rule is
   * gone, disabled or its `times` lifetime is used up (two callers never both get the last one).
   */
  consumeRule(id: string): Promise<number | null>;
  /** Increments a named counter shared by every instance and returns its new value (1 first). */
  nextCounter(name: string): Promise<number>;
  /** Bumped on every rule or default-rule switch change, so instances know when to reload. */
  rulesVersion(): Promise<number>;
  /** Default rules this merchant switched off (ids). */
  listDisabledDefaultRules(partner: string): Promise<string[]>;
  setDefaultRuleEnabled(partner: string, ruleId: string, enabled: boolean): Promise<void>;
}
