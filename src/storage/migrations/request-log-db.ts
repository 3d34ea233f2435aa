import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { createRequestLog } from './003-rules-and-request-log.js';
import { addRequestLogRequestId, dropRequestLogRequestId } from './009-request-log-request-id.js';
import { addRequestLogSandboxAt, dropRequestLogSandboxAt } from './013-sandbox-time.js';

/** SQLite's request_log as migrations 003 and 006 left it: the log file's schema, and 008's way back. */
export async function createSqliteRequestLog(db: Kysely<unknown>): Promise<void> {
  await createRequestLog(db, 'sqlite');
  await db.schema.alterTable('request_log').addColumn('diagnosis', 'text').execute();
}

/**
 * Migrations of a SQLite store's request-log file (src/storage/request-log-worker.ts), apart from the
 * store's own: the file holds only request_log, in the shape migrations 003, 006, 009 and 013 gave it.
 * Append only.
 */
export const REQUEST_LOG_DB_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001-request-log': {
    up: createSqliteRequestLog,
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('request_log').execute();
    },
  },
  '002-request-id': { up: addRequestLogRequestId, down: dropRequestLogRequestId },
  '003-sandbox-at': { up: addRequestLogSandboxAt, down: dropRequestLogSandboxAt },
};
