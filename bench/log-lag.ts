import Database from 'better-sqlite3';
import { quantile } from './quantile.js';

/** The bound docs/deployment.md gives: an entry is in the log, for every reader, this soon after its answer. */
export const LOG_VISIBLE_WITHIN_MS = 250;

/** How long the request log's entries took to become visible over a measured window. */
export interface LogLag {
  /** Per poll that found new entries, the age of the oldest of them: its 99th percentile. */
  p99Ms: number;
  maxMs: number;
  /** Polls that found new entries. */
  polls: number;
}

/** A running watch of a SQLite request log file; stop() ends it and says what it saw. */
export interface LogLagWatch {
  stop(): LogLag | undefined;
}

/**
 * Polls the request log file every `everyMs` from a read-only connection of its own, as a second
 * instance or any other reader of the file sees it, and notes, each time entries have appeared since
 * the last poll, how old the oldest of them is: how long it took to become visible, plus at most one
 * poll's interval (the entries of the bench's scenarios are answered within milliseconds of being
 * received). An instance's own admin API would not do: it hands its buffer over before it reads.
 * A pause without requests (wrk starting) adds nothing, as only entries that appeared are timed.
 */
export function watchLogLag(file: string, everyMs = 25): LogLagWatch {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const appeared = db.prepare('select max(id) as id, min(received_at) as at from request_log where id > ?');
  let seen = (db.prepare('select max(id) from request_log').pluck().get() as number | null) ?? 0;
  const ages: number[] = [];
  const timer = setInterval(() => {
    const now = Date.now();
    const row = appeared.get(seen) as { id: number | null; at: number | null };
    if (row.id === null || row.at === null) return;
    ages.push(now - row.at);
    seen = row.id;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      db.close();
      if (ages.length === 0) return undefined;
      const sorted = ages.sort((x, y) => x - y);
      return { p99Ms: quantile(sorted, 0.99), maxMs: quantile(sorted, 1), polls: sorted.length };
    },
  };
}
