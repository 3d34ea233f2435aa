import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Same portable types as 001-ledger.ts: times are epoch-millisecond BIGINTs.

/**
 * Per-merchant admin API keys (the secret is never stored, only its SHA-256 hex, unique so a key
 * resolves to one merchant), and the request log's signature diagnosis for ILLEGAL_SIGN refusals.
 */
export const apiKeysMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('api_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('partner', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .execute();
    await db.schema.createIndex('api_keys_partner_idx').on('api_keys').column('partner').execute();
    await db.schema.alterTable('request_log').addColumn('diagnosis', 'text').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('request_log').dropColumn('diagnosis').execute();
    await db.schema.dropTable('api_keys').execute();
  },
};
