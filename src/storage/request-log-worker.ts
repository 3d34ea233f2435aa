/**
 * The request log's own thread (started by request-log-thread.ts): it owns the log's SQLite database
 * and runs every call the gateway's thread sends it, in order, so an append is visible to the next
 * read. Writing here instead of on the gateway's thread keeps SQLite's work and file writes for the
 * log off the path of every answer (docs/performance.md).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type Sqlite from 'better-sqlite3';
import { Kysely } from 'kysely';
import { migrateToLatest } from './migrate.js';
import { REQUEST_LOG_DB_MIGRATIONS } from './migrations/request-log-db.js';
import { kyselyRequestLog, type RequestLogStore } from './request-log-store.js';
import { REQUEST_LOG_COLUMNS, REQUEST_LOG_INSERT_SQL, REQUEST_LOG_PRUNE_SQL } from './request-log-queries.js';
import { readRows, type WrittenRows } from './row-buffer.js';
import type { Database } from './schema.js';
import { createSqliteDialect } from './sqlite-dialect.js';
import type { RequestLogCall, RequestLogReply } from './request-log-thread.js';

const port = parentPort;
if (port === null) throw new Error('request-log-worker runs only as a worker thread');
const { location } = workerData as { location: string };

/** The log's calls as the worker takes them: append's entries arrive as request_log rows in bytes. */
type WorkerLog = Omit<RequestLogStore, 'append' | 'newBatch'> & {
  append: (rows: WrittenRows, maxEntries?: number) => Promise<void>;
};

/**
 * Log rows are a few KB each (request, answer, decoded parameters): 64 KiB pages take a batch of them
 * in far fewer pages, and so in far fewer WAL frames and write calls, than 4 KiB ones.
 */
const LOG_PAGE_SIZE = 65_536;

/** Opening fails here once, and every call then answers with that failure. */
const opened: Promise<{ db: Kysely<Database>; log: WorkerLog }> = (async () => {
  // Checkpoints on a thread of their own: SQLite's own, inside the commit that crosses 1 000 of these
  // pages (64 MiB of log), held every batch behind it for 350–470 ms under load, longer than an
  // entry may take to be visible (docs/performance.md).
  const dialect = createSqliteDialect(location, { pageSize: LOG_PAGE_SIZE, backgroundCheckpoints: true });
  const db = new Kysely<Database>({ dialect: dialect.dialect });
  await migrateToLatest(db, dialect, REQUEST_LOG_DB_MIGRATIONS);
  // append receives the batch's rows as bytes (request-log-thread.ts, row-buffer.ts), all committed
  // together by one prepared statement, without the query builder: its cost per row was a third of
  // the worker's (docs/performance.md).
  let insert: Sqlite.Statement | undefined;
  let prune: Sqlite.Statement | undefined;
  return {
    db,
    log: {
      ...kyselyRequestLog(db),
      append: (rows: WrittenRows, maxEntries?: number) =>
        dialect.writeDirect((raw) => {
          const statement = (insert ??= raw.prepare(REQUEST_LOG_INSERT_SQL));
          readRows(rows, REQUEST_LOG_COLUMNS.length, (values) => statement.run(values));
          // Pruned in the same commit: the index pages both change are written once, not twice
          // (20–30 µs of this thread per entry, about 10 % less; docs/performance.md).
          if (maxEntries !== undefined) (prune ??= raw.prepare(REQUEST_LOG_PRUNE_SQL)).run(maxEntries);
        }),
    },
  };
})();
opened.catch(() => undefined);

// Calls run one at a time, in the order they came: the worker holds one connection.
let queue: Promise<void> = Promise.resolve();
port.on('message', (call: RequestLogCall) => {
  queue = queue.then(() => answer(call));
});

async function answer(call: RequestLogCall): Promise<void> {
  let reply: RequestLogReply;
  try {
    if (call.method === 'close') {
      // A log that never opened has nothing to close.
      await (await opened.catch(() => undefined))?.db.destroy();
      port?.postMessage({ id: call.id, value: undefined } satisfies RequestLogReply);
      return;
    }
    const { log } = await opened;
    const method = log[call.method] as (...args: unknown[]) => Promise<unknown>;
    reply = { id: call.id, value: await method(...call.args) };
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply = { id: call.id, error: { message: e.message, code: (e as { code?: unknown }).code } };
  }
  port?.postMessage(reply);
}
