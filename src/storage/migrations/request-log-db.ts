import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { createRequestLog } from './003-rules-and-request-log.js';
import { addRequestLogRequestId, dropRequestLogRequestId } from './009-request-log-request-id.js';
import { addRequestLogSandboxAt, dropRequestLogSandboxAt } from './013-sandbox-time.js';

/** SQLite's request_log as migrations 003 and 006 left it: the log file's schema, and 008's way back. */
export async function createSqliteRequestLog(db: Kysely<unknown>): Promise<void> {
  await createRequestLog(db, 'sqlite');
  await db.schema.alterTable('request_log').addColumn('diagnosis', 'text').execute();
}

/** The indexes on the trade ids that migration 003 gave request_log. */
const TRADE_ID_INDEXES: Array<[string, string]> = [
  ['request_log_alipay_trans_id_idx', 'alipay_trans_id'],
  ['request_log_partner_trans_id_idx', 'partner_trans_id'],
];

/**
 * The log file drops the indexes on the trade ids. Every lookup by trade id of the console, the admin
 * API and the toolkit names the merchant too, and SQLite's planner then walks the merchant's entries
 * (request_log_partner_id_idx) and never used them, while keeping them up cost the log's worker
 * 3–9 µs per entry on the server's core: a trade id repeated over time (a trade queried again and
 * again, 1 000 ids in turn in the bench) lands all over the index, and each commit wrote every 64 KiB
 * page it touched (docs/performance-history.md). An operator's lookup by trade id across all merchants now
 * reads the whole log, as a merchant's lookup read all of that merchant's entries before.
 */
async function dropTradeIdIndexes(db: Kysely<unknown>): Promise<void> {
  for (const [name] of TRADE_ID_INDEXES) await db.schema.dropIndex(name).ifExists().execute();
}

async function createTradeIdIndexes(db: Kysely<unknown>): Promise<void> {
  for (const [name, column] of TRADE_ID_INDEXES)
    await db.schema.createIndex(name).ifNotExists().on('request_log').column(column).execute();
}

const RULE_ID_INDEX = 'request_log_rule_id_idx';

/**
 * The log file's index on rule_id keeps only the entries a rule answered. Most entries have none, and
 * SQLite indexes NULLs too: keeping them cost the log's worker about 1 µs of its 14 per entry
 * (docs/performance-history.md). A lookup by rule id (`rule_id = ?`, which implies NOT NULL) still uses it.
 */
async function partialRuleIdIndex(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex(RULE_ID_INDEX).ifExists().execute();
  await db.schema
    .createIndex(RULE_ID_INDEX)
    .on('request_log')
    .column('rule_id')
    .where(sql.ref('rule_id'), 'is not', null)
    .execute();
}

async function fullRuleIdIndex(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex(RULE_ID_INDEX).ifExists().execute();
  await db.schema.createIndex(RULE_ID_INDEX).on('request_log').column('rule_id').execute();
}

/**
 * Migrations of the SQLite file in which versions before the journal kept a SQLite store's request
 * log (`<store>-requests`): the file held only request_log, in the shape migrations 003, 006, 009 and
 * 013 gave it, less the indexes on trade ids, with the one on rule ids partial. They no longer run:
 * such a file is moved into the journal at the first start (legacy-request-log.ts); the tests build
 * one with them.
 */
export const REQUEST_LOG_DB_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001-request-log': {
    up: createSqliteRequestLog,
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('request_log').execute();
    },
  },
  '002-request-id': { up: addRequestLogRequestId, down: dropRequestLogRequestId },
  '003-sandbox-at': { up: addRequestLogSandboxAt, down: dropRequestLogSandboxAt },
  '004-no-trade-id-indexes': { up: dropTradeIdIndexes, down: createTradeIdIndexes },
  '005-partial-rule-id-index': { up: partialRuleIdIndex, down: fullRuleIdIndex },
};
