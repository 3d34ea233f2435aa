import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { StoreDialect } from '../store-dialect.js';
import { createSqliteRequestLog } from './request-log-db.js';

/**
 * SQLite only: the request log moves to a file of its own, written by a worker thread
 * (src/storage/request-log-thread.ts), so the store's file drops its request_log table and the
 * entries an earlier version logged in it. PostgreSQL keeps its table.
 */
export function requestLogApartMigration(kind: StoreDialect['kind']): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if (kind === 'sqlite') await db.schema.dropTable('request_log').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      if (kind === 'sqlite') await createSqliteRequestLog(db);
    },
  };
}
