/**
 * The request log's own thread (started by request-log-thread.ts): it keeps the log's journal
 * (request-journal.ts) and runs every call the gateway's thread sends it, in order, so an append is
 * visible to the next read. Writing here instead of on the gateway's thread keeps the log's file
 * writes off the path of every answer (docs/performance-history.md).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { importLegacyRequestLog } from './legacy-request-log.js';
import { folderSegments, memorySegments } from './log-segments.js';
import type { RequestLogStore } from './request-log-store.js';
import { requestJournal, type RequestJournal } from './request-journal.js';
import type { WrittenRows } from './row-buffer.js';
import type { RequestLogCall, RequestLogReply } from './request-log-thread.js';

const port = parentPort;
if (port === null) throw new Error('request-log-worker runs only as a worker thread');
const { location, legacy } = workerData as { location: string | null; legacy: string | null };

/** The log's calls as the worker takes them: append's entries arrive as rows in bytes. */
type WorkerLog = {
  [K in Exclude<keyof RequestLogStore, 'append' | 'newBatch' | 'close'>]: (
    ...args: Parameters<RequestLogStore[K]>
  ) => Awaited<ReturnType<RequestLogStore[K]>>;
} & { append: (rows: WrittenRows, maxEntries?: number) => void };

/** Opening fails here once, and every call then answers with that failure. */
let opened: { journal: RequestJournal; log: WorkerLog } | Error;
try {
  const journal = requestJournal(location === null ? memorySegments() : folderSegments(location));
  if (legacy !== null) importLegacyRequestLog(legacy, journal);
  opened = {
    journal,
    log: {
      // The rows are read from the gateway's shared memory and written before the answer frees it.
      append: ({ memory, length, rows }, maxEntries) =>
        journal.append({ bytes: new Uint8Array(memory, 0, length), count: rows }, maxEntries),
      list: (filter) => journal.list(filter),
      get: (id) => journal.get(id),
      count: (filter) => journal.count(filter),
      prune: (opts) => journal.prune(opts),
      deleteOf: (partner) => journal.deleteOf(partner),
    },
  };
} catch (err) {
  opened = err instanceof Error ? err : new Error(String(err));
}

// Calls run one at a time, in the order they came.
port.on('message', (call: RequestLogCall) => {
  let reply: RequestLogReply;
  try {
    if (call.method === 'close') {
      // A log that never opened has nothing to close.
      if (!(opened instanceof Error)) opened.journal.close();
      reply = { id: call.id, value: undefined };
    } else {
      if (opened instanceof Error) throw opened;
      const method = opened.log[call.method] as (...args: unknown[]) => unknown;
      reply = { id: call.id, value: method(...call.args) };
    }
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    reply = { id: call.id, error: { message: e.message, code: (e as { code?: unknown }).code } };
  }
  port.postMessage(reply);
});
