// Group commit on SQLite: one transaction per event-loop turn, nothing answered before it is stored.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Kysely, SqliteIntrospector, SqliteQueryCompiler, sql, type Dialect } from 'kysely';
import {
  BatchRolledBackError,
  GroupCommitSqliteAdapter,
  GroupCommitSqliteDriver,
} from '../../src/storage/group-commit-driver.js';
import { cachingDatabase } from '../../src/storage/sqlite-dialect.js';
import { tempSqlitePath } from '../helpers/store-matrix.js';

interface Schema {
  t: { n: number };
}

const BUSY_TIMEOUT_MS = 300;

function groupCommitDialect(raw: Database.Database): Dialect {
  const driver = new GroupCommitSqliteDriver(raw, cachingDatabase(raw), BUSY_TIMEOUT_MS);
  return {
    createAdapter: () => new GroupCommitSqliteAdapter(driver),
    createDriver: () => driver,
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

const insert = (db: Kysely<Schema>, n: number) => db.insertInto('t').values({ n }).execute();

describe('GroupCommitSqliteDriver', () => {
  let file: { path: string; remove: () => Promise<void> };
  let db: Kysely<Schema>;
  /** A second connection to the same file: it sees only what has committed. */
  let other: Database.Database;

  const committed = () =>
    (other.prepare('select n from t order by n').all() as { n: number }[]).map((r) => r.n);

  beforeEach(async () => {
    file = await tempSqlitePath();
    mkdirSync(dirname(file.path), { recursive: true });
    const raw = new Database(file.path);
    raw.pragma('journal_mode = WAL');
    raw.exec('create table t (n integer primary key)');
    db = new Kysely<Schema>({ dialect: groupCommitDialect(raw) });
    other = new Database(file.path);
  });
  afterEach(async () => {
    other.close();
    await db.destroy();
    await file.remove();
  });

  it('commits the transactions of one turn together, each answered once it is stored', async () => {
    other.pragma('wal_checkpoint(TRUNCATE)');
    const seenWhenAnswered: boolean[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db
          .transaction()
          .execute((trx) => insert(trx, i))
          .then(() => seenWhenAnswered.push(committed().includes(i))),
      ),
    );
    assert.deepEqual(seenWhenAnswered, Array<boolean>(20).fill(true));
    // One commit of one table page, where a commit each would have written at least 20 WAL frames.
    const [{ log }] = other.pragma('wal_checkpoint(PASSIVE)') as [{ log: number }];
    assert.ok(log < 5, `${log} WAL frames for 20 inserts`);
  });

  it('rolls back a failing transaction alone', async () => {
    const results = await Promise.allSettled([
      db.transaction().execute((trx) => insert(trx, 1)),
      db.transaction().execute(async (trx) => {
        await insert(trx, 2);
        throw new Error('changed my mind');
      }),
      db.transaction().execute((trx) => insert(trx, 3)),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'rejected', 'fulfilled'],
    );
    assert.match(String((results[1] as PromiseRejectedResult).reason), /changed my mind/);
    assert.deepEqual(committed(), [1, 3]);
  });

  it('answers a statement that ran in a write batch only once the batch is stored', async () => {
    const writing = db.transaction().execute((trx) => insert(trx, 5));
    const rows = await db.selectFrom('t').select('n').execute();
    assert.deepEqual(rows, [{ n: 5 }]);
    assert.deepEqual(committed(), [5], 'the row read was stored before the read was answered');
    await writing;
  });

  it('answers reads of one turn from one snapshot, each with rows of its own', async () => {
    await insert(db, 1);
    const read = () => db.selectFrom('t').select('n').execute();
    const [first, second] = await Promise.all([read(), read()]);
    assert.deepEqual(first, [{ n: 1 }]);
    first[0]!.n = 99;
    assert.deepEqual(second, [{ n: 1 }], 'one caller changing its rows changes no other’s');
  });

  it('lets a read after a write of the same turn see the write', async () => {
    const before = db.selectFrom('t').select('n').execute();
    const writing = insert(db, 4);
    const after = db.selectFrom('t').select('n').execute();
    assert.deepEqual(await before, []);
    assert.deepEqual(await after, [{ n: 4 }]);
    await writing;
  });

  it('fails every transaction of a lost batch, then goes on', async () => {
    const [first, second] = await Promise.allSettled([
      db.transaction().execute((trx) => insert(trx, 1)),
      // What a fatal error (disk full, I/O) does to SQLite: the whole transaction rolled back.
      db.transaction().execute((trx) => sql`rollback`.execute(trx)),
    ]);
    assert.ok(first.status === 'rejected' && first.reason instanceof BatchRolledBackError);
    assert.equal(second.status, 'rejected');
    assert.deepEqual(committed(), []);

    await db.transaction().execute((trx) => insert(trx, 2));
    assert.deepEqual(committed(), [2]);
  });

  it('waits for another connection’s write lock without stopping the event loop', async () => {
    other.exec('begin immediate');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const writing = db.transaction().execute((trx) => insert(trx, 7));
    await new Promise((resolve) => setTimeout(resolve, 60));
    other.exec('commit');
    await writing;
    clearInterval(timer);
    assert.ok(ticks >= 3, `the event loop ran ${ticks} timer ticks while the write waited`);
    assert.deepEqual(committed(), [7]);
  });

  it('gives up with SQLITE_BUSY once the busy timeout has passed', async () => {
    other.exec('begin immediate');
    try {
      const started = Date.now();
      await assert.rejects(
        db.transaction().execute((trx) => insert(trx, 8)),
        (err: { code?: string }) => err.code === 'SQLITE_BUSY',
      );
      assert.ok(Date.now() - started >= BUSY_TIMEOUT_MS);
    } finally {
      other.exec('rollback');
    }
    await db.transaction().execute((trx) => insert(trx, 9));
    assert.deepEqual(committed(), [9]);
  });
});
