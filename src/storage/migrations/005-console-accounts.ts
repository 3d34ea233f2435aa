import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Same portable types as 001-ledger.ts: times are epoch-millisecond BIGINTs.

/**
 * The web console's logins (email → merchant, scrypt hash of the password), its server-side sessions
 * (only a SHA-256 of the session id is kept, so a copy of the database opens no session) and the
 * login attempt counters that rate-limit sign-in across every instance (docs/console.md).
 */
export const consoleAccountsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('console_accounts')
      .addColumn('email', 'text', (c) => c.primaryKey())
      .addColumn('partner', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('console_accounts_partner_idx')
      .on('console_accounts')
      .column('partner')
      .execute();

    await db.schema
      .createTable('console_sessions')
      .addColumn('id_hash', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('partner', 'text')
      .addColumn('email', 'text')
      .addColumn('operator_ref', 'text')
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('console_sessions_expires_idx')
      .on('console_sessions')
      .column('expires_at')
      .execute();
    await db.schema
      .createIndex('console_sessions_email_idx')
      .on('console_sessions')
      .column('email')
      .execute();

    await db.schema
      .createTable('console_login_attempts')
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('console_login_attempts_pk', ['key', 'window_start'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['console_login_attempts', 'console_sessions', 'console_accounts']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
