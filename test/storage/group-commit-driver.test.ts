// Group commit on SQLite: one transaction per event-loop turn, nothing answered before it is stored.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteIntrospector, SqliteQueryCompiler, sql, type Dialect } from 'kysely';
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

describe('GroupCommitSqliteDriver.drawInBatch', () => {
  let file: { path: string; remove: () => Promise<void> };
  let raws: Database.Database[];

  /** A Kysely on its own connection to the file, with the counter table `c`. */
  function connect(): Kysely<Schema> {
    const raw = new Database(file.path);
    raw.pragma('journal_mode = WAL');
    raw.exec('create table if not exists c (name text primary key, value integer not null)');
    raws.push(raw);
    return new Kysely<Schema>({ dialect: groupCommitDialect(raw) });
  }

  /** Draws the counter `n` in trx as the sequences of the store do (sequence-queries.ts). */
  function draw(
    trx: Kysely<Schema>,
    store = 'insert into c values (?, ?) on conflict (name) do update set value = excluded.value',
  ): number | undefined {
    const adapter = trx.getExecutor().adapter as GroupCommitSqliteAdapter;
    return adapter.drawInBatch(
      'n',
      () =>
        CompiledQuery.raw(
          'insert into c values (?, 1) on conflict (name) do update set value = value + 1 returning value',
          ['n'],
        ),
      (value) => CompiledQuery.raw(store, ['n', value]),
    );
  }

  const stored = (): number | undefined =>
    (raws[0]!.prepare('select value from c where name = ?').get('n') as { value: number } | undefined)?.value;

  beforeEach(async () => {
    file = await tempSqlitePath();
    mkdirSync(dirname(file.path), { recursive: true });
    raws = [];
  });
  afterEach(async () => {
    await file.remove();
  });

  it('draws the values of one batch with one statement, and stores the last before the commit', async () => {
    const db = connect();
    try {
      const drawn = await Promise.all(
        Array.from({ length: 5 }, () => db.transaction().execute((trx) => Promise.resolve(draw(trx)))),
      );
      assert.deepEqual(drawn, [1, 2, 3, 4, 5]);
      assert.equal(stored(), 5);
      // A later batch starts from what was stored.
      assert.equal(await db.transaction().execute((trx) => Promise.resolve(draw(trx))), 6);
      assert.equal(stored(), 6);
    } finally {
      await db.destroy();
    }
  });

  it('leaves a value unused when its transaction rolls back, and reuses none', async () => {
    const db = connect();
    try {
      const undone = () =>
        db.transaction().execute((trx) => {
          draw(trx);
          return Promise.reject(new Error('changed my mind'));
        });
      const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
      // The batch's only draw undone, with the counter's row it made: the next batch draws 1 again.
      await assert.rejects(undone(), /changed my mind/);
      await nextTurn();
      assert.equal(stored(), undefined);
      const results = await Promise.allSettled([
        db.transaction().execute((trx) => Promise.resolve(draw(trx))),
        undone(),
        db.transaction().execute((trx) => Promise.resolve(draw(trx))),
      ]);
      assert.deepEqual(
        results.map((r) => (r.status === 'fulfilled' ? r.value : 'rejected')),
        [1, 'rejected', 3],
      );
      assert.equal(stored(), 3);
      // A batch whose first draw (the row's creation) is undone stores the later ones all the same.
      await nextTurn();
      raws[0]!.exec('delete from c');
      const mixed = await Promise.allSettled([
        undone(),
        db.transaction().execute((trx) => Promise.resolve(draw(trx))),
      ]);
      assert.deepEqual(
        mixed.map((r) => (r.status === 'fulfilled' ? r.value : 'rejected')),
        ['rejected', 2],
      );
      assert.equal(stored(), 2);
    } finally {
      await db.destroy();
    }
  });

  it('takes back the last value drawn, to hand it out again, and stores the one before it', async () => {
    const db = connect();
    const giveBack = (trx: Kysely<Schema>, value: number | undefined) =>
      (trx.getExecutor().adapter as GroupCommitSqliteAdapter).giveBackInBatch('n', value ?? NaN);
    try {
      // The batch's only draw given back: the stored value is the one before it.
      const alone = await db.transaction().execute((trx) => {
        const first = draw(trx);
        return Promise.resolve([first, giveBack(trx, first)]);
      });
      assert.deepEqual(alone, [1, true]);
      assert.equal(stored(), 0);
      const results = await Promise.all([
        db.transaction().execute((trx) => Promise.resolve(draw(trx))),
        db.transaction().execute((trx) => {
          const taken = draw(trx);
          return Promise.resolve([taken, giveBack(trx, taken), draw(trx)]);
        }),
        // Not the last value drawn: it stays drawn.
        db.transaction().execute((trx) => {
          const taken = draw(trx);
          draw(trx);
          return Promise.resolve([taken, giveBack(trx, taken)]);
        }),
      ]);
      assert.deepEqual(results, [1, [2, true, 2], [3, false]]);
      assert.equal(stored(), 4);
      // Outside a batch's transaction there is nothing to give back.
      assert.equal(await db.transaction().execute((trx) => Promise.resolve(giveBack(trx, 4))), false);
    } finally {
      await db.destroy();
    }
  });

  it('numbers uniquely across connections to one file', async () => {
    const dbs = [connect(), connect()];
    try {
      const drawn = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          dbs[i % 2]!.transaction().execute((trx) => Promise.resolve(draw(trx))),
        ),
      );
      assert.deepEqual(
        [...drawn].sort((x, y) => x! - y!),
        Array.from({ length: 40 }, (_, i) => i + 1),
      );
      assert.equal(stored(), 40);
    } finally {
      await Promise.all(dbs.map((d) => d.destroy()));
    }
  });

  it('fails the batch when the last value cannot be stored, and answers nothing of it', async () => {
    const db = connect();
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 2 }, () =>
          db
            .transaction()
            .execute((trx) => Promise.resolve(draw(trx, 'insert into no_such_table values (?, ?)'))),
        ),
      );
      assert.ok(results.every((r) => r.status === 'rejected' && r.reason instanceof BatchRolledBackError));
      assert.equal(stored(), undefined);
    } finally {
      await db.destroy();
    }
  });

  it('draws nothing outside a transaction', async () => {
    const db = connect();
    try {
      assert.equal(draw(db), undefined);
      assert.equal(stored(), undefined);
    } finally {
      await db.destroy();
    }
  });
});
