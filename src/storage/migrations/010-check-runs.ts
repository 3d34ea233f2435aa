import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Same portable types as 001-ledger.ts: times are epoch-millisecond BIGINTs, lists and reports JSON text.

/**
 * Integration check runs (docs/integration-check.md). `running_partner` is the partner while the run
 * lasts and NULL after: its unique key lets each merchant have one running run, atomically, on every
 * instance (both dialects allow many NULLs under a unique key).
 */
export const checkRunsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('check_runs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('partner', 'text', (c) => c.notNull())
      .addColumn('running_partner', 'text', (c) => c.unique())
      .addColumn('scenarios', 'text', (c) => c.notNull())
      .addColumn('rule_ids', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('ended_at', 'bigint')
      .addColumn('report', 'text')
      .execute();
    await db.schema
      .createIndex('check_runs_partner_idx')
      .on('check_runs')
      .columns(['partner', 'started_at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('check_runs').execute();
  },
};
