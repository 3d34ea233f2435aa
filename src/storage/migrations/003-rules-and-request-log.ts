import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { StoreDialect } from '../store-dialect.js';

// Same portable types as 001-ledger.ts. The only dialect-specific column is request_log.id: it must
// grow in insertion order and never be reused (log paging and pruning rely on it), which is
// INTEGER PRIMARY KEY AUTOINCREMENT on SQLite (plain rowids may reuse the largest deleted id) and
// BIGSERIAL on PostgreSQL.

async function extendTrades(db: Kysely<unknown>): Promise<void> {
  // SQLite adds one column per ALTER TABLE.
  await db.schema.alterTable('trades').addColumn('resolution', 'text').execute();
  await db.schema
    .alterTable('trades')
    .addColumn('query_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

async function createRules(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partner', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('when_json', 'text', (c) => c.notNull())
    .addColumn('then_json', 'text', (c) => c.notNull())
    .addColumn('times', 'integer')
    .addColumn('hits', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'bigint')
    // From the shared `sequences` table, so it grows across instances.
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rules_partner_idx').on('rules').column('partner').execute();

  await db.schema
    .createTable('default_rule_switches')
    .addColumn('partner', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('default_rule_switches_pk', ['partner', 'rule_id'])
    .execute();

  await db.schema
    .createTable('merchant_clocks')
    .addColumn('partner', 'text', (c) => c.primaryKey())
    .addColumn('offset_ms', 'bigint', (c) => c.notNull())
    .addColumn('frozen_at', 'bigint')
    .execute();
}

/** The request_log table as this migration made it (also the first schema of a SQLite store's log file). */
export async function createRequestLog(db: Kysely<unknown>, kind: StoreDialect['kind']): Promise<void> {
  await db.schema
    .createTable('request_log')
    .addColumn('id', kind === 'sqlite' ? 'integer' : sql`bigserial`, (c) =>
      kind === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
    )
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('partner', 'text')
    .addColumn('service', 'text')
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('raw_query', 'text', (c) => c.notNull())
    .addColumn('raw_body', 'text', (c) => c.notNull())
    .addColumn('params_json', 'text', (c) => c.notNull())
    .addColumn('charset', 'text')
    .addColumn('signature_json', 'text')
    .addColumn('gateway_error', 'text')
    .addColumn('result_code', 'text')
    .addColumn('error', 'text')
    .addColumn('reason', 'text')
    .addColumn('rule_id', 'text')
    .addColumn('rule_name', 'text')
    .addColumn('alipay_trans_id', 'text')
    .addColumn('partner_trans_id', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('response_status', 'integer', (c) => c.notNull())
    .addColumn('response_body', 'text', (c) => c.notNull())
    // REAL affinity on SQLite, float8 on PostgreSQL.
    .addColumn('duration_ms', 'double precision', (c) => c.notNull())
    .execute();
  const indexes: Array<[string, string[]]> = [
    ['request_log_partner_id_idx', ['partner', 'id']],
    ['request_log_alipay_trans_id_idx', ['alipay_trans_id']],
    ['request_log_partner_trans_id_idx', ['partner_trans_id']],
    ['request_log_rule_id_idx', ['rule_id']],
    // Pruning by age and the since/until filters.
    ['request_log_received_at_idx', ['received_at']],
  ];
  for (const [name, columns] of indexes) {
    await db.schema.createIndex(name).on('request_log').columns(columns).execute();
  }
}

/** Custom rules, default-rule switches, merchant clocks, the request log, pending trade resolutions. */
export function rulesAndRequestLogMigration(kind: StoreDialect['kind']): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await extendTrades(db);
      await createRules(db);
      await createRequestLog(db, kind);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of ['request_log', 'merchant_clocks', 'default_rule_switches', 'rules']) {
        await db.schema.dropTable(table).execute();
      }
      await db.schema.alterTable('trades').dropColumn('query_count').execute();
      await db.schema.alterTable('trades').dropColumn('resolution').execute();
    },
  };
}
