import type Database from 'better-sqlite3';
import type { DirectStatements } from './precompiled-query.js';
import {
  SqliteAdapter,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';

/**
 * A prepared statement with what the driver asks of it on every run, read once. better-sqlite3's
 * `reader`, `readonly` and `busy` are getters of its native addon: each read is a call into it that
 * V8 cannot inline, about 1 µs, and a spot pay read them about ten times (docs/performance-history.md).
 */
export interface CachedStatement {
  readonly stmt: Database.Statement;
  /** It returns rows (`all`), not only a change count (`run`). */
  readonly reader: boolean;
  /** It writes nothing. */
  readonly readonly: boolean;
  /** A reader's column names, set when it is switched to array rows (namesOf). */
  names: readonly string[] | undefined;
}

/**
 * What the driver needs of the database: memoised statements (cachingDatabase) and `close`. The
 * driver runs each statement to its end (`run`, `all`) before it runs another, and never iterates
 * one (Kysely's streamQuery goes through executeQuery), so a statement it is handed is never busy.
 */
export interface StatementSource {
  statement(sql: string): CachedStatement;
  close(): void | Promise<void>;
}

/**
 * The SQLite transaction the statements of one event-loop turn share. A write batch holds the
 * file's write lock; whatever ran in it is answered only once it has committed (`done`).
 */
interface Batch {
  readonly writes: boolean;
  /** A read batch's answers by statement and parameters: one snapshot answers a repeated read alike. */
  readonly answered: Map<CachedStatement, Map<string, unknown[][]>>;
  /** A write batch's counters drawn in memory (drawInBatch), by name; made at the first. */
  counters: Map<string, BatchCounter> | undefined;
  readonly done: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

function newBatch(writes: boolean): Batch {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Settled whether or not anyone waits on it (a read batch nobody waits for): never unhandled.
  done.catch(() => {});
  return { writes, answered: new Map(), counters: undefined, done, resolve, reject };
}

/** What an adapter offers that draws counters in memory for a write batch (GroupCommitSqliteAdapter). */
export interface BatchCounters {
  drawInBatch(
    name: string,
    bump: () => CompiledQuery,
    store: (value: number) => CompiledQuery,
  ): number | undefined;
  giveBackInBatch(name: string, value: number): boolean;
}

/** A counter of a write batch: the last value drawn, the one the database holds, how to store one. */
interface BatchCounter {
  last: number;
  stored: number;
  readonly store: (value: number) => CompiledQuery;
}

/** Runs one SQL text on the handle, its rows (if any) unread. */
export type RunSql = (sql: string) => void;

/**
 * BEGIN IMMEDIATE without SQLite's busy handler, which would sleep the whole thread: false when
 * another connection holds the write lock. That connection may be this process's own (a second
 * store on the file), which can only commit if this thread goes on.
 */
function tryBeginImmediate(run: RunSql, busyTimeoutMs: number): boolean {
  run('pragma busy_timeout = 0');
  try {
    run('begin immediate');
    return true;
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'SQLITE_BUSY') throw err;
    return false;
  } finally {
    run(`pragma busy_timeout = ${busyTimeoutMs}`);
  }
}

/**
 * BEGIN IMMEDIATE, retried while another connection holds the write lock, yielding to the event
 * loop in between (a turn first, then pauses of 1 ms doubling to 50 ms), for up to busyTimeoutMs.
 */
export async function beginImmediate(run: RunSql, busyTimeoutMs: number): Promise<void> {
  const deadline = Date.now() + busyTimeoutMs;
  for (let pause = 0; !tryBeginImmediate(run, busyTimeoutMs); pause = Math.min(Math.max(1, pause * 2), 50)) {
    if (Date.now() >= deadline) {
      throw Object.assign(new Error(`database is locked (waited ${busyTimeoutMs} ms)`), {
        code: 'SQLITE_BUSY',
      });
    }
    await new Promise((resolve) => (pause === 0 ? setImmediate(resolve) : setTimeout(resolve, pause)));
  }
}

/** Connections kept for reuse; past this many at once (a burst of statements waiting their turn), the rest are dropped. */
const MAX_IDLE_CONNECTIONS = 64;

/** The column names of a reading statement, switching it to raw (array) rows the first time. */
function namesOf(cached: CachedStatement): readonly string[] {
  let names = cached.names;
  if (names === undefined) {
    names = cached.stmt.columns().map((c) => c.name);
    cached.stmt.raw(true);
    cached.names = names;
  }
  return names;
}

/** Array rows as fresh objects: every caller may keep or change its own. */
function asObjects(names: readonly string[], rows: readonly unknown[][]): Record<string, unknown>[] {
  return rows.map((values) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) row[names[i]!] = values[i];
    return row;
  });
}

/**
 * A reading statement's rows as objects. better-sqlite3 builds an object row by looking up every
 * column name in V8's string table again; an array row with the names looked up once is about half
 * the cost of a 28-column trade row (docs/performance-history.md).
 */
function rowsOf(cached: CachedStatement, parameters: readonly unknown[]): Record<string, unknown>[] {
  const names = namesOf(cached);
  return asObjects(names, cached.stmt.all(parameters) as unknown[][]);
}

/**
 * A read outside any transaction, in a read batch: the batch's snapshot gives the same rows to the
 * same statement and parameters until it ends, so a repeated read (every request of a merchant in
 * one turn reads the merchant) is answered from the first one.
 */
function readInSnapshot(
  batch: Batch,
  cached: CachedStatement,
  parameters: readonly unknown[],
): QueryResult<unknown> {
  const key = parameters.every((p) => p === null || typeof p === 'string' || typeof p === 'number')
    ? JSON.stringify(parameters)
    : undefined;
  if (key === undefined) return { rows: rowsOf(cached, parameters) };
  // Before the first run: it switches the statement to array rows.
  const names = namesOf(cached);
  let byParameters = batch.answered.get(cached);
  if (byParameters === undefined) {
    byParameters = new Map();
    batch.answered.set(cached, byParameters);
  }
  let rows = byParameters.get(key);
  if (rows === undefined) {
    rows = cached.stmt.all(parameters) as unknown[][];
    byParameters.set(key, rows);
  }
  return { rows: asObjects(names, rows) };
}

/** The batch was lost: what the transactions that shared it see instead of their result. */
export class BatchRolledBackError extends Error {
  constructor(cause: unknown) {
    super('the SQLite transaction this change shared with others was rolled back', { cause });
    this.name = 'BatchRolledBackError';
  }
}

/**
 * Kysely's SQLite adapter for GroupCommitSqliteDriver. Kysely's own says SQLite has one connection,
 * and Kysely then lets one transaction run at a time, so the next one could only begin after the
 * previous one's batch had committed: no two would ever share a commit. The driver hands out one
 * connection per transaction and orders their statements itself.
 */
export class GroupCommitSqliteAdapter extends SqliteAdapter implements DirectStatements, BatchCounters {
  readonly #driver: GroupCommitSqliteDriver;

  constructor(driver: GroupCommitSqliteDriver) {
    super();
    this.#driver = driver;
  }

  override get supportsMultipleConnections(): boolean {
    return true;
  }

  runStatement(query: CompiledQuery): Promise<QueryResult<unknown>> {
    return this.#driver.runStatement(query);
  }

  runInTransaction(query: CompiledQuery): Promise<QueryResult<unknown>> {
    return this.#driver.runInTransaction(query);
  }

  drawInBatch(
    name: string,
    bump: () => CompiledQuery,
    store: (value: number) => CompiledQuery,
  ): number | undefined {
    return this.#driver.drawInBatch(name, bump, store);
  }

  giveBackInBatch(name: string, value: number): boolean {
    return this.#driver.giveBackInBatch(name, value);
  }
}

/**
 * Kysely's driver for one better-sqlite3 handle, with group commit. Every transaction, and every
 * statement outside one, that starts in the same event-loop turn runs inside one SQLite transaction,
 * committed once at the end of the turn (setImmediate); each Kysely transaction is a savepoint in it,
 * so a transaction that fails rolls back alone. A commit costs SQLite several lock calls and a write
 * per page it touched, and the ledger rows of concurrent requests share pages, so one commit for
 * many requests costs far less than one each (docs/performance-history.md). Nothing is answered before it is
 * stored: a transaction's commit, and a statement that ran in a write batch (it may have seen the
 * batch's changes), resolve only after the batch has committed; if the batch is lost, all of them
 * fail with BatchRolledBackError.
 *
 * Reads alone share a deferred (read) transaction, which spares each its own lock round trip; a
 * write ends it first and opens an IMMEDIATE one, because upgrading a read snapshot fails with
 * SQLITE_BUSY_SNAPSHOT when another process wrote in between. One connection runs statements at a
 * time: a transaction from its BEGIN to its COMMIT, a statement outside one for its own run; the
 * others wait in order.
 */
export class GroupCommitSqliteDriver implements Driver {
  readonly #raw: Database.Database;
  readonly #db: StatementSource;
  #batch: Batch | undefined;
  #endScheduled = false;
  /** The batch's end came while a transaction was running: it ends when that one is done. */
  #endWhenFree = false;
  /** The connection (or closing store) whose statements run now. */
  #owner: object | undefined;
  readonly #waiting: (() => void)[] = [];
  /**
   * Connections given back, for the next acquisitions. Kysely remembers every connection a driver
   * hands out (a WeakSet): a new object for every statement cost that bookkeeping, and the collector
   * its weak entries, on every query (docs/performance-history.md).
   */
  readonly #idle: GroupConnection[] = [];
  readonly #busyTimeoutMs: number;
  readonly #runSql: RunSql = (sql) => this.#run(sql);
  /** Write batches begun, and writes run in a transaction not the driver's: writeEpoch. */
  #writesBegun = 0;

  /** busyTimeoutMs: how long a write batch waits for another connection's write lock. */
  constructor(raw: Database.Database, db: StatementSource, busyTimeoutMs: number) {
    this.#raw = raw;
    this.#db = db;
    this.#busyTimeoutMs = busyTimeoutMs;
  }

  async init(): Promise<void> {}

  acquireConnection(): Promise<DatabaseConnection> {
    return Promise.resolve(this.#lend());
  }

  /** A connection is given back once its statement or transaction is over: it owns nothing then. */
  releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (connection instanceof GroupConnection) this.#takeBack(connection);
    return Promise.resolve();
  }

  #lend(): GroupConnection {
    return this.#idle.pop() ?? new GroupConnection(this);
  }

  #takeBack(connection: GroupConnection): void {
    if (this.#idle.length < MAX_IDLE_CONNECTIONS) this.#idle.push(connection);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#take(connection);
    try {
      await this.#join(true);
      this.#run('savepoint kysely_unit');
    } catch (err) {
      this.#give();
      throw err;
    }
  }

  async commitTransaction(_connection: DatabaseConnection): Promise<void> {
    const batch = this.#batch;
    this.#run('release kysely_unit');
    // Past here a failure is the batch's, not this transaction's: rollbackTransaction has nothing to undo.
    this.#give();
    if (batch) await batch.done;
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    // An executor that throws rejects the promise.
    return new Promise((resolve) => {
      if (this.#owner === connection) {
        try {
          // A fatal error (disk full, I/O) may already have rolled back the whole batch.
          if (this.#raw.inTransaction) {
            this.#run('rollback to kysely_unit');
            this.#run('release kysely_unit');
          }
        } finally {
          this.#give();
        }
      }
      resolve();
    });
  }

  async destroy(): Promise<void> {
    await this.#take(this);
    try {
      this.#end();
      await this.#db.close();
    } finally {
      this.#give();
    }
  }

  /** Runs a statement of the connection that owns the handle: inside its transaction. */
  runOwned(query: CompiledQuery): QueryResult<unknown> {
    return this.#execute(this.#db.statement(query.sql), query.parameters);
  }

  /**
   * A statement of the Kysely transaction whose callback runs now, without Kysely's executor: that
   * transaction's connection owns the handle from its BEGIN to its COMMIT, and no other runs
   * statements in between (precompiled-query.ts). A failure rejects (the promise's executor catches it).
   */
  runInTransaction(query: CompiledQuery): Promise<QueryResult<unknown>> {
    return new Promise((resolve) => {
      if (!(this.#owner instanceof GroupConnection))
        throw new Error('no transaction holds the SQLite handle');
      resolve(this.runOwned(query));
    });
  }

  /**
   * The next value of a counter, for the Kysely transaction whose callback runs now; undefined outside
   * one. The write batch's first draw runs `bump` (which increments the stored counter and returns its
   * new value); the later ones count on in memory, and the batch stores the last value drawn (`store`)
   * just before it commits. No other connection can draw in between: the batch holds the file's write
   * lock from its first statement to its commit. A draw whose transaction rolls back leaves its value
   * unused, a gap in the numbers (none when it was the batch's only draw: the bump is undone with it);
   * a batch that rolls back forgets its counters.
   */
  drawInBatch(
    name: string,
    bump: () => CompiledQuery,
    store: (value: number) => CompiledQuery,
  ): number | undefined {
    const batch = this.#batch;
    if (!(this.#owner instanceof GroupConnection) || batch === undefined || !batch.writes) return undefined;
    const counter = batch.counters?.get(name);
    if (counter !== undefined) return ++counter.last;
    const value = Number((this.runOwned(bump()).rows[0] as { value?: unknown } | undefined)?.value);
    if (!Number.isSafeInteger(value)) throw new Error(`counter ${name} returned no value`);
    (batch.counters ??= new Map()).set(name, { last: value, stored: value, store });
    return value;
  }

  /**
   * Gives back `value` of a counter when it is the last one drawn in this write batch (a pay that
   * found its trade when it inserted it): the next draw hands it out again, and the batch stores the
   * value before it. False when it cannot: a later value was drawn, or none in this batch.
   */
  giveBackInBatch(name: string, value: number): boolean {
    const counter = this.#batch?.counters?.get(name);
    if (!(this.#owner instanceof GroupConnection) || counter === undefined || counter.last !== value)
      return false;
    counter.last -= 1;
    return true;
  }

  /** Runs a statement outside any transaction: in the turn's batch, answered once that is stored. */
  async runAlone(connection: GroupConnection, query: CompiledQuery): Promise<QueryResult<unknown>> {
    await this.#take(connection);
    let batch: Batch | undefined;
    let result: QueryResult<unknown>;
    try {
      const cached = this.#db.statement(query.sql);
      batch = await this.#join(!cached.readonly);
      result =
        batch !== undefined && !batch.writes && cached.reader
          ? readInSnapshot(batch, cached, query.parameters)
          : this.#execute(cached, query.parameters);
    } finally {
      this.#give();
    }
    if (batch?.writes) await batch.done;
    return result;
  }

  /**
   * A statement outside any transaction, as Kysely would run it on a connection of its own (runAlone),
   * without Kysely's executor around it: precompiled-query.ts sends the gateway's hot reads here.
   */
  async runStatement(query: CompiledQuery): Promise<QueryResult<unknown>> {
    const connection = this.#lend();
    try {
      return await this.runAlone(connection, query);
    } finally {
      this.#takeBack(connection);
    }
  }

  /**
   * Changes whenever this connection may begin to change the database (a write batch opens, a write
   * runs in a transaction not the driver's, such as the migration lock's); undefined while a write
   * batch is open, which may hold changes not yet committed. While the handle is in a transaction
   * begun on it directly, whoever began it says so instead (sqlite-dialect.ts: asking the handle is a
   * call into the addon, on every read of the trade cache). A read made while it stays the same
   * number saw only committed rows that this connection has not touched since: what an in-memory
   * copy may keep (trade-cache.ts). Other connections' commits are not counted (changedByOthers).
   */
  writeEpoch(): number | undefined {
    return this.#batch?.writes === true ? undefined : this.#writesBegun;
  }

  isOwner(connection: GroupConnection): boolean {
    return this.#owner === connection;
  }

  /** Waits until no other connection runs statements, then makes `owner` the one that does. */
  #take(owner: object): Promise<void> | undefined {
    if (this.#owner === undefined) {
      this.#owner = owner;
      return undefined;
    }
    return new Promise((resolve) =>
      this.#waiting.push(() => {
        this.#owner = owner;
        resolve();
      }),
    );
  }

  #give(): void {
    this.#owner = undefined;
    if (this.#endWhenFree) {
      this.#endWhenFree = false;
      this.#end();
    }
    this.#waiting.shift()?.();
  }

  /** The batch a statement runs in, opened if needed; undefined inside a transaction not ours. */
  #join(writes: boolean): Batch | undefined | Promise<Batch> {
    const open = this.#batch;
    if (open !== undefined) {
      if (open.writes || !writes) return open;
      this.#end();
    } else if (this.#raw.inTransaction) {
      // Someone began a transaction on the handle itself (the migration lock): run inside it.
      return undefined;
    }
    if (!writes) {
      this.#run('begin');
      return this.#opened(false);
    }
    if (tryBeginImmediate(this.#runSql, this.#busyTimeoutMs)) return this.#opened(true);
    return beginImmediate(this.#runSql, this.#busyTimeoutMs).then(() => this.#opened(true));
  }

  #opened(writes: boolean): Batch {
    if (writes) this.#writesBegun += 1;
    const batch = newBatch(writes);
    this.#batch = batch;
    if (!this.#endScheduled) {
      this.#endScheduled = true;
      setImmediate(() => {
        this.#endScheduled = false;
        if (this.#owner === undefined) this.#end();
        else this.#endWhenFree = true;
      });
    }
    return batch;
  }

  /** Commits the open batch and settles what waits on it. */
  #end(): void {
    const batch = this.#batch;
    if (batch === undefined) return;
    this.#batch = undefined;
    try {
      for (const counter of batch.counters?.values() ?? []) {
        if (counter.last === counter.stored) continue;
        const query = counter.store(counter.last);
        this.#execute(this.#db.statement(query.sql), query.parameters);
      }
      this.#run('commit');
      batch.resolve();
    } catch (err) {
      if (this.#raw.inTransaction) this.#raw.exec('rollback');
      batch.reject(new BatchRolledBackError(err));
    }
  }

  #run(sql: string): void {
    this.#execute(this.#db.statement(sql), []);
  }

  #execute(cached: CachedStatement, parameters: readonly unknown[]): QueryResult<unknown> {
    try {
      if (cached.reader) return { rows: rowsOf(cached, parameters) };
      if (this.#batch === undefined && !cached.readonly) this.#writesBegun += 1;
      const { changes, lastInsertRowid } = cached.stmt.run(parameters);
      return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
    } catch (err) {
      // Some errors (disk full, I/O) roll back the whole transaction: everyone in the batch has lost.
      const batch = this.#batch;
      if (batch !== undefined && !this.#raw.inTransaction) {
        this.#batch = undefined;
        batch.reject(new BatchRolledBackError(err));
      }
      throw err;
    }
  }
}

/** One acquisition of the handle; the driver tells its statements from other connections' by it. */
class GroupConnection implements DatabaseConnection {
  readonly #driver: GroupCommitSqliteDriver;

  constructor(driver: GroupCommitSqliteDriver) {
    this.#driver = driver;
  }

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const driver = this.#driver;
    if (driver.isOwner(this)) return Promise.resolve(driver.runOwned(query) as QueryResult<R>);
    return driver.runAlone(this, query) as Promise<QueryResult<R>>;
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(query);
    for (const row of rows) yield { rows: [row] };
  }
}
