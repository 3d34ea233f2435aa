import type { Kysely, Selectable, Updateable } from 'kysely';
import { fromMillisOrNull, toFlag, toMillis, toMillisOrNull } from './columns.js';
import type { Database, RulesTable } from './schema.js';
import {
  deleteRuleCounters,
  nextSequenceValue,
  RULE_SEQ_COUNTER,
  RULES_VERSION_COUNTER,
} from './sequence-queries.js';
import type { NewRule, RulePatch } from '../rules/rule-store.js';
import type { StoredRule } from '../rules/stored-rule.js';

// Every function that changes a definition bumps RULES_VERSION_COUNTER; the ones that change
// several rows or bump a counter take the handle of an open transaction (the caller opens it).

/** JSON text of a rule's `when` or `then`; `undefined` (not JSON) is stored as null. */
function toJsonText(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

function rowToRule(row: Selectable<RulesTable>): StoredRule {
  return {
    id: row.id,
    partner: row.partner,
    service: row.service,
    name: row.name,
    priority: row.priority,
    enabled: row.enabled === 1,
    // Written only after validation against RULE_SCHEMA (rules/rule-definition.ts), so trusted here.
    when: JSON.parse(row.when_json) as StoredRule['when'],
    then: JSON.parse(row.then_json) as StoredRule['then'],
    times: row.times,
    hits: row.hits,
    expiresAt: fromMillisOrNull(row.expires_at),
    seq: row.seq,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

// Undefined fields are left out: Kysely skips undefined values in SET.
function patchToRow(p: RulePatch): Updateable<RulesTable> {
  return {
    service: p.service,
    name: p.name,
    priority: p.priority,
    enabled: p.enabled === undefined ? undefined : toFlag(p.enabled),
    when_json: p.when === undefined ? undefined : toJsonText(p.when),
    then_json: p.then === undefined ? undefined : toJsonText(p.then),
    times: p.times,
    expires_at: p.expiresAt === undefined ? undefined : toMillisOrNull(p.expiresAt),
  };
}

/** Rules of one partner (or all), by partner, then priority and creation order, highest first. */
export async function selectRules(db: Kysely<Database>, partner: string | undefined): Promise<StoredRule[]> {
  const rows = await db
    .selectFrom('rules')
    .selectAll()
    .$if(partner !== undefined, (q) => q.where('partner', '=', partner as string))
    .orderBy('partner')
    .orderBy('priority', 'desc')
    .orderBy('seq', 'desc')
    .execute();
  return rows.map(rowToRule);
}

/** The rule with this id, if any. */
export async function selectRule(db: Kysely<Database>, id: string): Promise<StoredRule | undefined> {
  const row = await db.selectFrom('rules').selectAll().where('id', '=', id).executeTakeFirst();
  return row && rowToRule(row);
}

/** Inserts a rule numbered from the shared sequence; a duplicate id raises the dialect's unique violation. */
export async function insertRule(trx: Kysely<Database>, rule: NewRule, now: Date): Promise<StoredRule> {
  const row: RulesTable = {
    id: rule.id,
    partner: rule.partner,
    service: rule.service,
    name: rule.name,
    priority: rule.priority,
    enabled: toFlag(rule.enabled),
    when_json: toJsonText(rule.when),
    then_json: toJsonText(rule.then),
    times: rule.times,
    hits: 0,
    expires_at: toMillisOrNull(rule.expiresAt),
    seq: await nextSequenceValue(trx, RULE_SEQ_COUNTER),
    created_at: toMillis(now),
    updated_at: toMillis(now),
  };
  await trx.insertInto('rules').values(row).execute();
  await nextSequenceValue(trx, RULES_VERSION_COUNTER);
  return rowToRule(row);
}

/** Applies patch to the rule and returns it, or undefined when there is no such rule. */
export async function updateRuleRow(
  trx: Kysely<Database>,
  id: string,
  patch: RulePatch,
  now: Date,
): Promise<StoredRule | undefined> {
  const row = await trx
    .updateTable('rules')
    .set({ ...patchToRow(patch), updated_at: toMillis(now) })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) return undefined;
  await nextSequenceValue(trx, RULES_VERSION_COUNTER);
  return rowToRule(row);
}

/** Deletes the rule and its counters (a new rule with the same id starts afresh). */
export async function deleteRuleRow(trx: Kysely<Database>, id: string): Promise<boolean> {
  const result = await trx.deleteFrom('rules').where('id', '=', id).executeTakeFirst();
  if (result.numDeletedRows === 0n) return false;
  await deleteRuleCounters(trx, [id]);
  await nextSequenceValue(trx, RULES_VERSION_COUNTER);
  return true;
}

/** Sets hits to 0 and deletes the rule's counters; hits are no definition, so no version bump. */
export async function resetRuleHitsRow(trx: Kysely<Database>, id: string): Promise<boolean> {
  const result = await trx.updateTable('rules').set({ hits: 0 }).where('id', '=', id).executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  await deleteRuleCounters(trx, [id]);
  return true;
}

/**
 * Counts one match in a single conditional statement, so concurrent callers (on any instance)
 * can never together exceed `times`: the new hit count, or null when nothing was left to take.
 */
export async function consumeRuleRow(db: Kysely<Database>, id: string): Promise<number | null> {
  const row = await db
    .updateTable('rules')
    .set((eb) => ({ hits: eb('hits', '+', 1) }))
    .where('id', '=', id)
    .where('enabled', '=', 1)
    .where((eb) => eb.or([eb('times', 'is', null), eb('hits', '<', eb.ref('times'))]))
    .returning('hits')
    .executeTakeFirst();
  return row?.hits ?? null;
}
