import type { Dialect, IsolationLevel } from 'kysely';
import type { StoreChange } from '../ports/change-feed.js';

/**
 * What differs between SQLite and PostgreSQL, kept in one small object so the queries in the
 * *-queries.ts files stay the same for both.
 */
export interface StoreDialect {
  readonly kind: 'sqlite' | 'postgres';
  /** The Kysely dialect (owns the database handle or pool; closed by Kysely.destroy). */
  readonly dialect: Dialect;
  /** Whether SELECT … FOR UPDATE exists; SQLite locks the whole file for a write transaction instead. */
  readonly rowLocks: boolean;
  /** Isolation level for ledger transactions, when the dialect lets us choose one. */
  readonly isolationLevel: IsolationLevel | undefined;
  /** True when err is this dialect's unique-key (or primary-key) violation. */
  isUniqueViolation(err: unknown): boolean;
  /**
   * Runs fn while holding a lock that serialises migrations across processes; fn receives the
   * schema that holds the migration tables (undefined: the dialect has no schemas).
   */
  withMigrationLock<T>(fn: (schema: string | undefined) => Promise<T>): Promise<T>;
  /**
   * Starts hearing changes committed by any instance (PostgreSQL LISTEN); absent when the dialect
   * has no such feed (SQLite).
   */
  listenForChanges?(onChange: (change: StoreChange) => void): {
    ready: Promise<void>;
    close(): Promise<void>;
  };
  /**
   * True when another connection (another instance on the same file) has committed to the database
   * since the previous call: SQLite's `PRAGMA data_version`, asked once per event-loop turn (later
   * calls of the same turn say false: the first one's answer stands for the turn). This connection's
   * own commits do not count. Absent on PostgreSQL, whose change feed says more (listenForChanges).
   */
  changedByOthers?(): boolean;
  /**
   * A number that changes whenever this connection may begin to change the database, undefined while
   * it may hold changes not yet committed (GroupCommitSqliteDriver.writeEpoch). With changedByOthers,
   * it tells when rows read earlier may be kept in memory (trade-cache.ts). Absent on PostgreSQL.
   */
  writeEpoch?(): number | undefined;
}
