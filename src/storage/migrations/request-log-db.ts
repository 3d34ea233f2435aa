import type { Kysely, Migration } from 'kysely';
import { createRequestLog } from './003-rules-and-request-log.js';

/**
 * Migrations of a SQLite store's request-log file (src/storage/request-log-worker.ts), apart from the
 * store's own: the file holds only request_log, in the shape migrations 003 and 006 gave it. Append only.
 */
export const REQUEST_LOG_DB_MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001-request-log': {
    async up(db: Kysely<unknown>): Promise<void> {
      await createRequestLog(db, 'sqlite');
      await db.schema.alterTable('request_log').addColumn('diagnosis', 'text').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('request_log').execute();
    },
  },
};
