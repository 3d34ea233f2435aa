/**
 * The checkpoints of a SQLite store's write-ahead log (started by wal-checkpoints.ts): its own
 * connection copies committed pages from the -wal file into the database file and syncs it, every
 * few milliseconds, so the gateway's thread never does. A checkpoint inside a commit held that
 * commit, and every answer waiting on it, for 8–60 ms on this project's bench (docs/performance.md).
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { WAL_CHECKPOINT_INTERVAL_MS } from './wal-checkpoints.js';

const port = parentPort;
if (port === null) throw new Error('wal-checkpoint-worker runs only as a worker thread');
const { location } = workerData as { location: string };

const db = new Database(location, { fileMustExist: true });
// PASSIVE never waits for a lock; a busy database is simply tried again at the next tick.
db.pragma('busy_timeout = 0');
const checkpoint = db.prepare('pragma wal_checkpoint(PASSIVE)');

const timer = setInterval(() => {
  try {
    checkpoint.run();
  } catch {
    // SQLITE_BUSY (another instance's checkpoint on the same file): the next tick tries again.
  }
}, WAL_CHECKPOINT_INTERVAL_MS);

port.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  port.close();
});
