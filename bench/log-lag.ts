import { folderSegments } from '../src/storage/log-segments.js';
import { requestJournal } from '../src/storage/request-journal.js';
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

/** A running watch of a SQLite store's request log; stop() ends it and says what it saw. */
export interface LogLagWatch {
  /**
   * What it saw since the last take() (or its start), forgotten here: a watch kept over several
   * measured slices gives each slice what became visible since the previous one ended.
   */
  take(): LogLag | undefined;
  stop(): LogLag | undefined;
}

/**
 * Polls the request log's folder (its journal) every `everyMs` through a reader of its own, as a
 * second instance of the store sees it, and notes, each time entries have appeared since
 * the last poll, how old the oldest of them is: how long it took to become visible, plus at most one
 * poll's interval (the entries of the bench's scenarios are answered within milliseconds of being
 * received). An instance's own admin API would not do: it hands its buffer over before it reads.
 * A pause without requests (wrk starting) adds nothing, as only entries that appeared are timed.
 */
export function watchLogLag(folder: string, everyMs = 25): LogLagWatch {
  const journal = requestJournal(folderSegments(folder));
  // The first read indexes the whole log, which takes this process up to a second after a warm-up;
  // what arrived meanwhile is read again at once, so that no poll times this reader's own start.
  journal.newestId();
  let seen = journal.newestId();
  const ages: number[] = [];
  const timer = setInterval(() => {
    const now = Date.now();
    const appeared = journal.newerThan(seen);
    if (appeared.length === 0) return;
    ages.push(now - Math.min(...appeared.map((e) => e.receivedAt)));
    seen = (appeared.at(-1) as { id: number }).id;
  }, everyMs);
  const take = (): LogLag | undefined => {
    if (ages.length === 0) return undefined;
    const sorted = ages.splice(0).sort((x, y) => x - y);
    return { p99Ms: quantile(sorted, 0.99), maxMs: quantile(sorted, 1), polls: sorted.length };
  };
  return {
    take,
    stop() {
      clearInterval(timer);
      journal.close();
      return take();
    },
  };
}
