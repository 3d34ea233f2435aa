import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteDialect, type DialectAdapter, type Driver } from 'kysely';
import {
  beginImmediate,
  GroupCommitSqliteAdapter,
  type CachedStatement,
  GroupCommitSqliteDriver,
  type StatementSource,
} from './group-commit-driver.js';
import type { StoreDialect } from './store-dialect.js';
import { FALLBACK_AUTOCHECKPOINT_BYTES, startWalCheckpoints } from './wal-checkpoints.js';

/** How long a statement waits for another process's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5_000;

/** Location given after `sqlite:` that means an in-memory database. */
export const SQLITE_MEMORY = ':memory:';

/** How many prepared statements the cache keeps (SQL texts; the hot path uses about a dozen). */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * The database's statements, memoised by SQL text. The driver prepares every statement it runs and
 * better-sqlite3 caches nothing, so without this each query pays for SQLite compiling it again (3–4 ×
 * a cached run, docs/performance-history.md). Safe because the driver runs one statement at a time on its
 * single connection, each to its end (StatementSource). Least recently used texts go first past
 * `size` (queries built per call, like the console's filtered lists, have one text per shape).
 */
export function cachingDatabase(
  db: Database.Database,
  size = STATEMENT_CACHE_SIZE,
  closeDb: () => void | Promise<void> = () => {
    db.close();
  },
): StatementSource {
  // Each text's statement and when it was last handed out. A hit only stamps its entry: moving it to
  // the end of the Map (delete and set again) made V8 replace the Map's table every few dozen hits, in
  // a chain of replaced tables that the collector had to promote (docs/performance-history.md).
  const statements = new Map<string, CachedStatement & { used: number }>();
  let clock = 0;
  return {
    close: () => {
      statements.clear();
      return closeDb();
    },
    statement(sql: string): CachedStatement {
      const cached = statements.get(sql);
      if (cached !== undefined) {
        cached.used = ++clock;
        return cached;
      }
      const stmt = db.prepare(sql);
      const entry = { stmt, reader: stmt.reader, readonly: stmt.readonly, names: undefined, used: ++clock };
      if (statements.size >= size) forgetLeastRecent(statements);
      statements.set(sql, entry);
      return entry;
    },
  };
}

/** Drops the entry handed out longest ago: a walk over the cache, only when a new text would overflow it. */
function forgetLeastRecent(statements: Map<string, { used: number }>): void {
  let oldest: string | undefined;
  let oldestUse = Infinity;
  for (const [sql, { used }] of statements) {
    if (used < oldestUse) {
      oldest = sql;
      oldestUse = used;
    }
  }
  if (oldest !== undefined) statements.delete(oldest);
}

// Kysely's own SQLite driver opens each transaction with a plain (deferred) BEGIN and commits each
// on its own; GroupCommitSqliteDriver commits the transactions of one event-loop turn together and
// opens write batches with BEGIN IMMEDIATE, so transactions of several processes on one file wait for
// each other (up to busy_timeout) instead of failing with SQLITE_BUSY_SNAPSHOT.
class GroupCommitSqliteDialect extends SqliteDialect {
  // One driver: the adapter runs precompiled statements on it directly (precompiled-query.ts).
  readonly #driver: GroupCommitSqliteDriver;
  constructor(raw: Database.Database, closeRaw: () => void | Promise<void>) {
    // Kysely's own driver, which would use `database`, is never created (createDriver below).
    super({ database: raw });
    this.#driver = new GroupCommitSqliteDriver(
      raw,
      cachingDatabase(raw, STATEMENT_CACHE_SIZE, closeRaw),
      BUSY_TIMEOUT_MS,
    );
  }
  override createDriver(): Driver {
    return this.#driver;
  }
  override createAdapter(): DialectAdapter {
    return new GroupCommitSqliteAdapter(this.#driver);
  }
  writeEpoch(): number | undefined {
    return this.#driver.writeEpoch();
  }
}

function openDatabase(location: string): Database.Database {
  if (location === SQLITE_MEMORY) return new Database(':memory:');
  mkdirSync(dirname(location), { recursive: true });
  const db = new Database(location);
  // WAL lets readers run beside the writer; NORMAL is durable across application crashes in WAL
  // mode and only risks the last commits on power loss, which a sandbox can afford.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // A transaction's savepoints keep what they would roll back in a statement journal; past 64 KiB
  // (a batch of pays) SQLite moves it to a temporary file, created and deleted every commit.
  db.pragma('temp_store = MEMORY');
  return db;
}

/**
 * Moves the checkpoints of a file's write-ahead log to a thread of their own (wal-checkpoints.ts):
 * SQLite otherwise runs one inside the commit that crosses 1 000 pages, on the thread that commits.
 * Returns what closes the handle and stops that thread.
 */
function checkpointInBackground(db: Database.Database, location: string): () => Promise<void> {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.pragma(`wal_autocheckpoint = ${Math.max(1, Math.floor(FALLBACK_AUTOCHECKPOINT_BYTES / pageSize))}`);
  const checkpoints = startWalCheckpoints(location);
  return async () => {
    // The thread first: the store's connection, closing last, checkpoints and removes the -wal.
    await checkpoints.stop();
    db.close();
  };
}

function isSqliteUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * The SQLite dialect over better-sqlite3, for a file path or SQLITE_MEMORY; backgroundCheckpoints
 * moves a file's WAL checkpoints off this thread (the store's file: its commits answer requests,
 * docs/deployment.md).
 */
export function createSqliteDialect(
  location: string,
  opts?: { backgroundCheckpoints?: boolean },
): StoreDialect {
  const db = openDatabase(location);
  const close =
    opts?.backgroundCheckpoints === true && location !== SQLITE_MEMORY
      ? checkpointInBackground(db, location)
      : () => {
          db.close();
        };
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // Off by default in SQLite; buyer_balances relies on ON DELETE CASCADE.
  db.pragma('foreign_keys = ON');
  // The migration lock's transaction, begun on the handle itself: the driver's write epoch cannot
  // see it, and what is read in it may not be kept (writeEpoch below).
  let inOwnTransaction = false;
  async function immediate<T>(fn: () => Promise<T> | T): Promise<T> {
    // A batch of the driver's still open (something ran earlier in this turn) ends at the turn's end.
    while (db.inTransaction) await new Promise((resolve) => setImmediate(resolve));
    await beginImmediate((text) => db.exec(text), BUSY_TIMEOUT_MS);
    inOwnTransaction = true;
    try {
      const result = await fn();
      db.exec('commit');
      return result;
    } catch (err) {
      if (db.inTransaction) db.exec('rollback');
      throw err;
    } finally {
      inOwnTransaction = false;
    }
  }
  // Another connection's commit changes it; this connection's own commits and passive checkpoints do not.
  const dataVersion = db.prepare('pragma data_version').pluck();
  let seenVersion = dataVersion.get();
  // Asked once per event-loop turn: outside a transaction the pragma takes the file's read lock, about
  // 1.5 µs of a rule hit's CPU when asked by every request (docs/performance-history.md). The requests of one
  // turn share the answer, as they share the turn's read snapshot (group-commit-driver.ts).
  let askedThisTurn = false;
  const nextTurn = () => {
    askedThisTurn = false;
  };
  const dialect = new GroupCommitSqliteDialect(db, close);
  return {
    kind: 'sqlite',
    dialect,
    writeEpoch: () => (inOwnTransaction ? undefined : dialect.writeEpoch()),
    changedByOthers() {
      if (askedThisTurn) return false;
      askedThisTurn = true;
      setImmediate(nextTurn);
      const version = dataVersion.get();
      if (version === seenVersion) return false;
      seenVersion = version;
      return true;
    },
    rowLocks: false,
    isolationLevel: undefined,
    isUniqueViolation: isSqliteUniqueViolation,
    // Kysely runs SQLite migrations without a transaction and without a lock. Wrapping them in one
    // IMMEDIATE transaction on the shared handle makes them atomic (SQLite DDL is transactional)
    // and makes a second process starting on the same file wait, then find nothing to do.
    withMigrationLock: (fn) => immediate(() => fn(undefined)),
  };
}
