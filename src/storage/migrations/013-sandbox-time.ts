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
 * the request log keeps each request's sandbox time (PostgreSQL here; a SQLite store's journal keeps
 * every column of the row), and a check run keeps how it arms its scenarios (`keyed_by`:
 * `prefix` or `amount`; runs started before keep null, read as `prefix`).
 */
export function sandboxTimeMigration(kind: StoreDialect['kind']): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (kind === 'postgres') await addRequestLogSandboxAt(db);
      await db.schema.alterTable('check_runs').addColumn('keyed_by', 'text').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('check_runs').dropColumn('keyed_by').execute();
      if (kind === 'postgres') await dropRequestLogSandboxAt(db);
    },
  };
}
