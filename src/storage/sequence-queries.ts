import { sql, type Kysely } from 'kysely';
import { ALIPAY_TRANS_ID_SEQUENCE } from '../ledger/alipay-trans-id.js';
import type { BatchCounters } from './group-commit-driver.js';
import { precompile } from './precompiled-query.js';
import type { Database } from './schema.js';

// Named counters in `sequences`, shared by every instance. The store's own counters live under
// `store:` so that they meet neither Store.nextCounter's rule counters (`rule:<id>:…`) nor the
// ledger's sequences.

/** Source of StoredRule.seq. */
export const RULE_SEQ_COUNTER = 'store:rule-seq';
/** Bumped on every change of rule definitions or default-rule switches (Store.rulesVersion). */
export const RULES_VERSION_COUNTER = 'store:rules-version';

/** Atomically increments the named counter (creating it at 1) and returns the new value. */
export async function nextSequenceValue(db: Kysely<Database>, name: string): Promise<number> {
  const drawn = name === ALIPAY_TRANS_ID_SEQUENCE ? drawInBatch(db, name) : undefined;
  if (drawn !== undefined) return drawn;
  const row = (await NEXT_SEQUENCE_VALUE.execute(db, { name })).rows[0];
  if (row === undefined) throw new Error(`sequence ${name} returned no value`);
  return row.value;
}

// Compiled once: every spot pay on SQLite numbers its trade with it.
const NEXT_SEQUENCE_VALUE = precompile(['name'], (db, p: { name: string }) =>
  db
    .insertInto('sequences')
    .values({ name: p.name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('sequences.value', '+', 1) })))
    .returning('value'),
);

// An upsert: the batch's first draw may have created the row in a transaction that then rolled back.
const SET_SEQUENCE_VALUE = precompile(['name', 'value'], (db, p: { name: string; value: number }) =>
  db
    .insertInto('sequences')
    .values({ name: p.name, value: p.value })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))),
);

/**
 * The trade numbers of a SQLite write batch (every spot pay draws one) after its first come from
 * memory, and the batch stores the last before it commits (GroupCommitSqliteDriver.drawInBatch): one
 * statement a batch instead of one a pay, about 3.5 µs of a pay's 36 in the store (docs/performance-history.md).
 * Only the trade numbers: nothing reads them but a draw, whereas the rules version, say, is read back,
 * and a read in the same batch would see the stored value, not the one drawn. Undefined outside a
 * transaction of a SQLite write batch.
 */
function drawInBatch(db: Kysely<Database>, name: string): number | undefined {
  return batchCounters(db)?.drawInBatch?.(
    name,
    () => NEXT_SEQUENCE_VALUE.compiled(db, { name }),
    (value) => SET_SEQUENCE_VALUE.compiled(db, { name, value }),
  );
}

/** The adapter's batch counters inside a transaction (the SQLite group-commit adapter has them). */
function batchCounters(db: Kysely<Database>): Partial<BatchCounters> | undefined {
  return db.isTransaction ? (db.getExecutor().adapter as Partial<BatchCounters>) : undefined;
}

/**
 * Gives back the trade number a SQLite pay drew and did not use (it found its trade when it inserted
 * it), so that a replay leaves no gap; false where that is not possible (PostgreSQL, or a later
 * number drawn), and the number then stays unused.
 */
export function giveBackTradeNumber(db: Kysely<Database>, value: number): boolean {
  return batchCounters(db)?.giveBackInBatch?.(ALIPAY_TRANS_ID_SEQUENCE, value) ?? false;
}

/** The counter's current value, 0 when it was never incremented. */
export async function selectSequenceValue(db: Kysely<Database>, name: string): Promise<number> {
  const row = await db.selectFrom('sequences').select('value').where('name', '=', name).executeTakeFirst();
  return row?.value ?? 0;
}

/** Prefix of the counters that belong to one rule (sequence progress, see src/rules/sequence-step.ts). */
export function ruleCounterPrefix(ruleId: string): string {
  return `rule:${ruleId}:`;
}

/** Deletes the counters of these rules; returns how many went away. */
export async function deleteRuleCounters(db: Kysely<Database>, ruleIds: readonly string[]): Promise<number> {
  if (ruleIds.length === 0) return 0;
  // A prefix compare, not LIKE: ids may hold `_` (a LIKE wildcard) and SQLite's LIKE ignores case.
  // substr and length count characters on both dialects; the length is passed as a number so that
  // PostgreSQL needs no type for it.
  const result = await db
    .deleteFrom('sequences')
    .where((eb) =>
      eb.or(
        ruleIds.map((id) => {
          const prefix = ruleCounterPrefix(id);
          return eb(sql<string>`substr(name, 1, ${[...prefix].length})`, '=', prefix);
        }),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
