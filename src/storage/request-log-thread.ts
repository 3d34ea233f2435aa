import { Worker } from 'node:worker_threads';
import { SQLITE_MEMORY } from './sqlite-dialect.js';
import { entryToJournalRow, journalRowValues, REQUEST_LOG_COLUMNS } from './request-log-queries.js';
import type { RequestLogStore } from './request-log-store.js';
import type { NewRequestLogEntry, RequestLogBatch } from '../ports/request-log.js';
import { RowBufferWriter } from './row-buffer.js';

/**
 * A batch of the worker's log: each entry becomes its request_log row's bytes as it is added
 * (row-buffer.ts), so the gateway's heap holds none of the requests' objects until the hand-over.
 */
class RowBatch implements RequestLogBatch {
  readonly rows: RowBufferWriter;
  constructor(buffer: Buffer | undefined) {
    this.rows = new RowBufferWriter(buffer);
  }
  add(entry: NewRequestLogEntry): void {
    this.rows.addRow(journalRowValues(entryToJournalRow(entry)), REQUEST_LOG_COLUMNS);
  }
  get size(): number {
    return this.rows.rows;
  }
}

/** A call to the request log's worker: a RequestLogStore method and its arguments. */
export type RequestLogCall =
  | { id: number; method: Exclude<keyof RequestLogStore, 'close' | 'newBatch'>; args: unknown[] }
  | { id: number; method: 'close' };

/** The worker's answer to the call with the same id. */
export type RequestLogReply =
  { id: number; value: unknown } | { id: number; error: { message: string; code: unknown } };

/**
 * The folder of a SQLite store's request log (its journal's segments, request-journal.ts): beside the
 * store's file, named like SQLite's own -wal and -shm files, so `alipay-mock.db*` is the whole
 * sandbox. An in-memory store keeps its log in memory too (SQLITE_MEMORY).
 */
export function requestLogLocation(storeLocation: string): string {
  return storeLocation === SQLITE_MEMORY ? SQLITE_MEMORY : `${storeLocation}-requests.d`;
}

/** The SQLite file in which versions before the journal kept the log: its entries move into the journal. */
function legacyRequestLogFile(storeLocation: string): string | null {
  return storeLocation === SQLITE_MEMORY ? null : `${storeLocation}-requests`;
}

/**
 * The request log of a SQLite store, kept by a worker thread (request-log-worker.ts): the gateway's
 * thread only hands batches over. Calls are answered in order, so what an append wrote is there for
 * the next read. The worker starts on the first call; while no call is waiting it does not keep the
 * process alive. When it dies, waiting calls fail and the next call starts a new one.
 */
export function requestLogThread(storeLocation: string): RequestLogStore {
  const location = requestLogLocation(storeLocation);
  let worker: Worker | undefined;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  function failAll(err: Error): void {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  }

  function start(): Worker {
    // The name is the OS thread's too (Node 24), so `top -H` and the bench's split by thread show it.
    const w = new Worker(new URL('./request-log-worker.js', import.meta.url), {
      name: 'request-log',
      workerData: {
        location: location === SQLITE_MEMORY ? null : location,
        legacy: legacyRequestLogFile(storeLocation),
      },
    });
    w.unref();
    w.on('message', (reply: RequestLogReply) => {
      const call = waiting.get(reply.id);
      if (call === undefined) return;
      waiting.delete(reply.id);
      if (waiting.size === 0) w.unref();
      if ('error' in reply) {
        const err = new Error(reply.error.message) as Error & { code?: unknown };
        if (reply.error.code !== undefined) err.code = reply.error.code;
        call.reject(err);
      } else {
        call.resolve(reply.value);
      }
    });
    w.on('error', (err: Error) =>
      failAll(new Error(`request log worker failed: ${err.message}`, { cause: err })),
    );
    w.on('exit', (code) => {
      if (worker === w) worker = undefined;
      failAll(new Error(`request log worker stopped (exit code ${code})`));
    });
    return w;
  }

  function call<T>(method: RequestLogCall['method'], args: unknown[] = []): Promise<T> {
    worker ??= start();
    const w = worker;
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      // A waiting call keeps the process alive until its answer comes.
      w.ref();
      w.postMessage(method === 'close' ? { id, method } : { id, method, args });
    });
  }

  // Buffers of batches the worker has written, for the next ones: the same memory, batch after batch.
  const spare: Buffer[] = [];
  return {
    newBatch: () => new RowBatch(spare.pop()),
    append: (entries, maxEntries) => {
      let batch: RequestLogBatch;
      if (Array.isArray(entries)) {
        batch = new RowBatch(spare.pop());
        for (const e of entries as readonly NewRequestLogEntry[]) batch.add(e);
      } else batch = entries as RequestLogBatch;
      if (!(batch instanceof RowBatch)) throw new TypeError('a request log batch of another store');
      // The worker reads the shared memory itself; it is free again once the worker has answered.
      const { rows } = batch;
      const written = call<void>('append', [rows.written(), maxEntries]);
      return written.finally(() => {
        if (spare.length < 2) spare.push(rows.release());
      });
    },
    list: (filter) => call('list', [filter]),
    get: (id) => call('get', [id]),
    count: (filter) => call('count', [filter]),
    prune: (opts) => call('prune', [opts]),
    deleteOf: (partner) => call('deleteOf', [partner]),
    async close() {
      const w = worker;
      if (w === undefined) return;
      await call<void>('close');
      worker = undefined;
      await w.terminate();
    },
  };
}
