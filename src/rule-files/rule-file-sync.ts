import type { LedgerStore } from '../ledger/ledger-store.js';
import type { NewRule, RuleStore } from '../rules/rule-store.js';
import { StoreConflictError } from '../ports/store-conflict-error.js';
import type { StoredRule } from '../rules/stored-rule.js';
import { ruleDefinitionKey, ruleStoreFields } from '../rules/rule-definition.js';
import { FILE_RULE_ID_PREFIX, storedFileRuleId, type FileRule } from './rule-file.js';

/** What one load of a rule file changed in the store (stored ids, `file:…`). */
export interface FileRuleSyncReport {
  created: string[];
  updated: string[];
  deleted: string[];
  unchanged: number;
  /** Partners named by the file that are no merchant (yet): their rules match nothing until one exists. */
  unknownPartners: string[];
}

function toNewRule(rule: FileRule): NewRule {
  return { id: storedFileRuleId(rule.id), partner: rule.partner, ...ruleStoreFields(rule) };
}

/** Replaces a stored rule's definition; a changed rule starts afresh (hits and sequence progress). */
async function replace(
  store: RuleStore & Pick<LedgerStore, 'getMerchant'>,
  existing: StoredRule,
  next: NewRule,
): Promise<void> {
  if (existing.partner !== next.partner) {
    // The partner of a stored rule cannot change: delete it and create the new one.
    await store.deleteRule(existing.id);
    await store.createRule(next);
    return;
  }
  const { id: _id, partner: _partner, ...patch } = next;
  await store.updateRule(existing.id, patch);
  await store.resetRuleHits(existing.id);
}

/**
 * Makes the store's `file:` rules what the file says: creates new ones, replaces changed ones, deletes
 * those no longer in the file, and leaves unchanged ones alone (their hit counters stay). Rules are
 * created in file order, so among new rules of equal priority the later one in the file wins.
 */
export async function syncFileRules(
  store: RuleStore & Pick<LedgerStore, 'getMerchant'>,
  rules: readonly FileRule[],
): Promise<FileRuleSyncReport> {
  const owned = new Map(
    (await store.listRules()).filter((r) => r.id.startsWith(FILE_RULE_ID_PREFIX)).map((r) => [r.id, r]),
  );
  const report: FileRuleSyncReport = {
    created: [],
    updated: [],
    deleted: [],
    unchanged: 0,
    unknownPartners: [],
  };
  const inFile = new Set<string>();
  for (const rule of rules) {
    const next = toNewRule(rule);
    inFile.add(next.id);
    let existing = owned.get(next.id);
    if (existing === undefined) {
      try {
        await store.createRule(next);
        report.created.push(next.id);
        continue;
      } catch (err) {
        // Another instance loading the same file created it first: treat it as existing.
        if (!(err instanceof StoreConflictError)) throw err;
        existing = await store.getRule(next.id);
        if (existing === undefined) throw err;
      }
    }
    if (ruleDefinitionKey(existing) === ruleDefinitionKey(next)) {
      report.unchanged += 1;
      continue;
    }
    await replace(store, existing, next);
    report.updated.push(next.id);
  }
  for (const id of owned.keys()) {
    if (!inFile.has(id) && (await store.deleteRule(id))) report.deleted.push(id);
  }
  for (const partner of new Set(rules.map((r) => r.partner))) {
    if (!(await store.getMerchant(partner))) report.unknownPartners.push(partner);
  }
  return report;
}
