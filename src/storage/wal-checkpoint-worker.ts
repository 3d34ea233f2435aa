/**
 * The checkpoints of a SQLite store's write-ahead log (started by wal-checkpoints.ts): its own
 * connection copies committed pages from the -wal file into the database file and syncs it, every
 * few milliseconds, so the gateway's thread never does. A checkpoint inside a commit held that
 * commit, and every answer waiting on it, for 8–60 ms on this project's bench (docs/performance-history.md).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { RESTART_PAST_BYTES, RESTART_WAIT_MS, WAL_CHECKPOINT_INTERVAL_MS } from './wal-checkpoints.js';

const port = parentPort;
if (port === null) throw new Error('wal-checkpoint-worker runs only as a worker thread');
const { location } = workerData as { location: string };

const db = new Database(location, { fileMustExist: true });
db.pragma(`busy_timeout = ${RESTART_WAIT_MS}`);
// PASSIVE waits for nothing: it copies what is committed while the writer goes on.
const passive = db.prepare('pragma wal_checkpoint(PASSIVE)');
// RESTART takes the write lock in a gap between the writer's transactions, copies the rest and waits
// for readers to leave the log, so that the writer's next transaction starts the -wal file over.
const restart = db.prepare('pragma wal_checkpoint(RESTART)');
const restartPastFrames = Math.ceil(
  RESTART_PAST_BYTES / (db.pragma('page_size', { simple: true }) as number),
);

/**
 * A passive checkpoint at every tick, and a restart once the log holds more than RESTART_PAST_BYTES.
 * SQLite starts the log over only when a transaction begins with every frame already copied: with a
 * writer that begins one in nearly every turn (sustained pays), passive checkpoints alone let the
 * log grow to the fallback, and the writer's own checkpoint then copied 32 MiB inside a commit. A
 * restart at every tick would make the writer sync the log's header inside a commit ten times a
 * second; past a few MiB it does so about once a second (docs/performance-history.md). A restart that finds
 * the lock or the readers busy for RESTART_WAIT_MS does what a passive checkpoint does.
 */
function checkpoint(): void {
  const { log } = passive.get() as { log: number };
  if (log > restartPastFrames) restart.get();
}

const timer = setInterval(() => {
  try {
    checkpoint();
  } catch {
    // SQLITE_BUSY (another connection's checkpoint on the same file): the next tick tries again.
  }
}, WAL_CHECKPOINT_INTERVAL_MS);

port.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  port.close();
});
