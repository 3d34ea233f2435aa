import type { Insertable, Kysely } from 'kysely';
import {
  countRequestLogRows,
  deleteRequestLogOf,
  entryToRow,
  insertRequestLogRows,
  pruneRequestLogRows,
  REQUEST_LOG_COLUMNS,
  REQUEST_LOG_INSERT_CHUNK,
  selectRequestLog,
  selectRequestLogEntry,
} from './request-log-queries.js';
import type { Database, RequestLogTable } from './schema.js';
import type { NewRequestLogEntry, RequestLogBatch, RequestLogFilter } from '../ports/request-log.js';
import type { RequestLogEntry } from '../ports/request-log.js';

/**
 * Where the request log lives: the store's own database (PostgreSQL), or a SQLite file of its own
 * written by a worker thread (request-log-thread.ts), so that logging costs the gateway's thread
 * next to nothing (docs/performance-history.md).
 */
export interface RequestLogStore {
  // Function properties, not methods: the worker calls them by name, detached from the object.
  /** Appends entries (or a batch of newBatch's); with maxEntries, prunes to it in the same transaction. */
  append: (entries: readonly NewRequestLogEntry[] | RequestLogBatch, maxEntries?: number) => Promise<void>;
  /** An empty batch of this log's own kind. */
  newBatch: () => RequestLogBatch;
  list: (filter: RequestLogFilter) => Promise<RequestLogEntry[]>;
  get: (id: number) => Promise<RequestLogEntry | undefined>;
  count: (filter: RequestLogFilter) => Promise<number>;
  prune: (opts: { maxEntries: number; olderThan?: Date | undefined }) => Promise<number>;
  /** Deletes one merchant's entries (a merchant reset). */
  deleteOf: (partner: string) => Promise<void>;
  close: () => Promise<void>;
}

/** A batch that keeps its entries as they are (the request log in the store's own database). */
class EntryBatch implements RequestLogBatch {
  readonly entries: NewRequestLogEntry[] = [];
  add(entry: NewRequestLogEntry): void {
    this.entries.push(entry);
  }
  get size(): number {
    return this.entries.length;
  }
}

/** The entries of a list, or of a batch this log made; a batch of another kind is a programming error. */
export function batchEntries(
  entries: readonly NewRequestLogEntry[] | RequestLogBatch,
): readonly NewRequestLogEntry[] {
  if (Array.isArray(entries)) return entries as readonly NewRequestLogEntry[];
  if (entries instanceof EntryBatch) return entries.entries;
  throw new TypeError('a request log batch of another store');
}

/**
 * The row with every U+0000 of its text as U+FFFD. This append writes a PostgreSQL store's log (a
 * SQLite file's is written by its worker's own statement), and PostgreSQL's text cannot hold U+0000:
 * one raw request with a NUL byte would fail its whole batch. Parameters are JSON text, where a NUL
 * is escaped and kept.
 */
function withoutNul(row: Insertable<RequestLogTable>): Insertable<RequestLogTable> {
  let copy: Record<string, unknown> | undefined;
  for (const column of REQUEST_LOG_COLUMNS) {
    const value = row[column];
    if (typeof value === 'string' && value.includes('\0')) {
      copy ??= { ...row };
      copy[column] = value.replaceAll('\0', '\uFFFD');
    }
  }
  return (copy as Insertable<RequestLogTable> | undefined) ?? row;
}

/** The request log in a Kysely database's request_log table; `close` leaves the database open. */
export function kyselyRequestLog(db: Kysely<Database>): RequestLogStore {
  return {
    newBatch: () => new EntryBatch(),
    // One statement needs no transaction; several chunks, or a prune, commit together.
    append: (entries, maxEntries) => {
      const rows = batchEntries(entries).map((entry) => withoutNul(entryToRow(entry)));
      if (rows.length <= REQUEST_LOG_INSERT_CHUNK && maxEntries === undefined)
        return insertRequestLogRows(db, rows);
      return db.transaction().execute(async (trx) => {
        await insertRequestLogRows(trx, rows);
        if (maxEntries !== undefined) await pruneRequestLogRows(trx, maxEntries, undefined);
      });
    },
    list: (filter) => selectRequestLog(db, filter),
    get: (id) => selectRequestLogEntry(db, id),
    count: (filter) => countRequestLogRows(db, filter),
    prune: ({ maxEntries, olderThan }) => pruneRequestLogRows(db, maxEntries, olderThan),
    deleteOf: (partner) => deleteRequestLogOf(db, partner),
    close: () => Promise.resolve(),
  };
}
