import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { StoreDialect } from '../store-dialect.js';

/** Adds request_log.request_id (the `X-Request-Id` of the answer) and its index; older rows keep null. */
export async function addRequestLogRequestId(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('request_log').addColumn('request_id', 'text').execute();
  await db.schema.createIndex('request_log_request_id_idx').on('request_log').column('request_id').execute();
}

/** Drops what addRequestLogRequestId added. */
export async function dropRequestLogRequestId(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('request_log_request_id_idx').execute();
  await db.schema.alterTable('request_log').dropColumn('request_id').execute();
}

/**
 * The request log keeps each gateway request's id, so the `X-Request-Id` a client saw finds its entry.
 * PostgreSQL only: a SQLite store keeps its log in a journal of its own (request-journal.ts).
 */
export function requestLogRequestIdMigration(kind: StoreDialect['kind']): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (kind === 'postgres') await addRequestLogRequestId(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (kind === 'postgres') await dropRequestLogRequestId(db);
    },
  };
}
