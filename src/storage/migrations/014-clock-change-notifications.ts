import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { StoreDialect } from '../store-dialect.js';

/**
 * PostgreSQL only: a change of a merchant's sandbox clock notifies the other instances as a change of
 * merchants (the function of migration 007), so that their merchant caches (merchant-cache.ts) forget
 * it. SQLite has no NOTIFY and caches nothing.
 */
export function clockChangeNotificationsMigration(kind: StoreDialect['kind']): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (kind !== 'postgres') return;
      await sql`
        create trigger merchant_clocks_notify
        after insert or update or delete on merchant_clocks for each statement
        execute function alipay_mock_notify_change('merchants')`.execute(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (kind !== 'postgres') return;
      await sql`drop trigger if exists merchant_clocks_notify on merchant_clocks`.execute(db);
    },
  };
}
