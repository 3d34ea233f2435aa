import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { StoreDialect } from '../store-dialect.js';

/** Adds request_log.sandbox_at: the merchant's sandbox time of each request (epoch ms); older rows keep null. */
export async function addRequestLogSandboxAt(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('request_log').addColumn('sandbox_at', 'bigint').execute();
}

/** Drops what addRequestLogSandboxAt added. */
export async function dropRequestLogSandboxAt(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('request_log').dropColumn('sandbox_at').execute();
}

/**
 * The integration check judges time limits on the merchant's sandbox clock (docs/integration-check.md):
 * the request log keeps each request's sandbox time (PostgreSQL here; a SQLite store's log file gets
 * it from migrations/request-log-db.ts).
 */
export function sandboxTimeMigration(kind: StoreDialect['kind']): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (kind === 'postgres') await addRequestLogSandboxAt(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (kind === 'postgres') await dropRequestLogSandboxAt(db);
    },
  };
}
