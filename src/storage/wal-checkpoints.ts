import { Worker } from 'node:worker_threads';

/** How often the background connection checkpoints the write-ahead log. */
export const WAL_CHECKPOINT_INTERVAL_MS = 100;

/**
 * Bytes of write-ahead log past which the background connection restarts it (wal-checkpoint-worker.ts):
 * about a second of sustained pays, so that the writer syncs the log's header about once a second.
 */
export const RESTART_PAST_BYTES = 4 * 1024 * 1024;

/**
 * How long a restart may wait for the write lock, then for readers to leave the log (the checkpoint
 * connection's busy timeout): a turn of the store's writer lasts a few milliseconds.
 */
export const RESTART_WAIT_MS = 10;

/**
 * Bytes of write-ahead log after which the file's own connection checkpoints in a commit, as SQLite
 * does by default past 1 000 pages: only if the background thread has stopped or fallen far behind.
 * 32 MiB are 8 192 of the store's 4 KiB pages and 512 of the request log's 64 KiB ones.
 */
export const FALLBACK_AUTOCHECKPOINT_BYTES = 32 * 1024 * 1024;

/** The running checkpoint thread of one database file. */
export interface WalCheckpoints {
  /**
   * Stops the thread after its current checkpoint; resolves once it has closed its connection and
   * exited, so that nothing of it touches the files afterwards (a folder removed right after a
   * close found a -wal file the thread's last connection was still checkpointing).
   */
  stop(): Promise<void>;
}

/**
 * Starts a thread that checkpoints the SQLite database at `location` (in WAL mode) every
 * WAL_CHECKPOINT_INTERVAL_MS (wal-checkpoint-worker.ts). It never keeps the process alive; should it
 * fail, the store's connection checkpoints by itself past FALLBACK_AUTOCHECKPOINT_BYTES of log.
 */
export function startWalCheckpoints(location: string): WalCheckpoints {
  const worker = new Worker(new URL('./wal-checkpoint-worker.js', import.meta.url), {
    name: 'wal-checkpoint',
    workerData: { location },
  });
  worker.unref();
  // A failed checkpoint thread costs speed, not data: the fallback above takes over.
  worker.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    stop: () => {
      // Held while it stops: a close awaited last would otherwise let the process end first, an
      // unsettled top-level await (status 13) instead of a clean exit.
      worker.ref();
      worker.postMessage('stop');
      return exited;
    },
  };
}
