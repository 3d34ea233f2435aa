import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { StoreDialect } from '../store-dialect.js';
import { RULES_VERSION_COUNTER } from '../sequence-queries.js';

/** The PostgreSQL channel every instance LISTENs on (src/storage/postgres-change-listener.ts). */
export const CHANGES_CHANNEL = 'alipay_mock_changes';

// PostgreSQL only: triggers send NOTIFY alipay_mock_changes, '<schema>:<topic>' in the transaction that
// changes rules, default-rule switches (both bump the rules version) or merchants. NOTIFY is delivered
// at commit and dropped on rollback, so other instances hear of exactly the committed changes, and no
// code path that bumps the version can forget to notify. The payload names the schema because the
// channel is shared by every schema of the database. SQLite has no NOTIFY: instances poll instead.

async function createTriggers(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function alipay_mock_notify_change() returns trigger language plpgsql as $$
    begin
      perform pg_notify(${sql.lit(CHANGES_CHANNEL)}, tg_table_schema || ':' || tg_argv[0]);
      return null;
    end
    $$`.execute(db);
  // Row level with WHEN: the ledger's own counters (trade ids …) pay for a cheap comparison only.
  await sql`
    create trigger sequences_rules_version_notify
    after insert or update on sequences for each row
    when (new.name = ${sql.lit(RULES_VERSION_COUNTER)})
    execute function alipay_mock_notify_change('rules')`.execute(db);
  await sql`
    create trigger merchants_notify
    after insert or update or delete on merchants for each statement
    execute function alipay_mock_notify_change('merchants')`.execute(db);
}

/** Change notifications for other instances (PostgreSQL triggers; nothing on SQLite). */
export function changeNotificationsMigration(kind: StoreDialect['kind']): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (kind === 'postgres') await createTriggers(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (kind !== 'postgres') return;
      await sql`drop trigger if exists merchants_notify on merchants`.execute(db);
      await sql`drop trigger if exists sequences_rules_version_notify on sequences`.execute(db);
      await sql`drop function if exists alipay_mock_notify_change()`.execute(db);
    },
  };
}
