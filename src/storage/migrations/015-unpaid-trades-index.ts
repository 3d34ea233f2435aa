import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * The index of unpaid trades holds only those (WAIT_BUYER_PAY), not every trade's status. It serves
 * one query, the delivery worker's sweep of unpaid trades (notify/settle-due-trades.ts), which
 * filters on that status written as a literal (selectTrades): both dialects use a partial index
 * only when the query's WHERE implies the index's. Every spot pay inserted an entry into the whole
 * index, and every commit wrote its page: about 1.5 µs of a SQLite pay's 40 (docs/performance-history.md).
 */
export const unpaidTradesIndexMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('trades_status_idx').execute();
    await sql`create index trades_unpaid_idx on trades (created_at, alipay_trans_id)
      where status = 'WAIT_BUYER_PAY'`.execute(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('trades_unpaid_idx').execute();
    await db.schema.createIndex('trades_status_idx').on('trades').column('status').execute();
  },
};
