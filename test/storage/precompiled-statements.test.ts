// The SQLite statement cache and the queries compiled once (docs/performance-history.md).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Kysely, sql, type DatabaseConnection } from 'kysely';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { precompile } from '../../src/storage/precompiled-query.js';
import type { Database as Schema } from '../../src/storage/schema.js';
import { cachingDatabase, createSqliteDialect, SQLITE_MEMORY } from '../../src/storage/sqlite-dialect.js';

describe('SQLite statement cache', () => {
  let raw: Database.Database;
  beforeEach(() => {
    raw = new Database(':memory:');
    raw.exec('create table t (n integer)');
    raw.exec('insert into t values (1), (2), (3)');
  });
  afterEach(() => {
    if (raw.open) raw.close();
  });

  it('prepares a SQL text once and hands the same statement back', () => {
    const db = cachingDatabase(raw);
    const a = db.statement('select n from t order by n');
    assert.equal(db.statement('select n from t order by n'), a);
    assert.notEqual(db.statement('select n from t order by n desc'), a);
    assert.deepEqual(a.stmt.all([]), [{ n: 1 }, { n: 2 }, { n: 3 }]);
    assert.deepEqual(db.statement('select n from t order by n').stmt.all([]), [{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('reads once whether a statement returns rows and whether it writes', () => {
    const db = cachingDatabase(raw);
    const read = db.statement('select n from t');
    const write = db.statement('insert into t values (?)');
    const returning = db.statement('update t set n = n + 1 where n = ? returning n');
    assert.deepEqual([read.reader, read.readonly], [true, true]);
    assert.deepEqual([write.reader, write.readonly], [false, false]);
    assert.deepEqual([returning.reader, returning.readonly], [true, false]);
    assert.deepEqual(
      [read, write, returning].map((c) => [c.stmt.reader, c.stmt.readonly]),
      [
        [true, true],
        [false, false],
        [true, false],
      ],
    );
  });

  it('forgets the least recently used text past its size', () => {
    const db = cachingDatabase(raw, 2);
    const one = db.statement('select 1');
    const two = db.statement('select 2');
    assert.equal(db.statement('select 1'), one); // now `select 2` is the least recent
    db.statement('select 3');
    assert.equal(db.statement('select 1'), one);
    assert.notEqual(db.statement('select 2'), two);
  });

  it('closes the database', async () => {
    const db = cachingDatabase(raw);
    db.statement('select 1');
    await db.close();
    assert.equal(raw.open, false);
  });
});

describe('precompile', () => {
  let db: Kysely<Schema>;
  beforeEach(async () => {
    const dialect = createSqliteDialect(SQLITE_MEMORY);
    db = new Kysely<Schema>({ dialect: dialect.dialect });
    await migrateToLatest(db, dialect);
    await db
      .insertInto('sequences')
      .values([
        { name: 'a', value: 1 },
        { name: 'b', value: 2 },
        { name: 'c', value: 3 },
      ])
      .execute();
  });
  afterEach(async () => db.destroy());

  it('runs with each call’s values, a parameter used twice and the query’s own constants', async () => {
    const query = precompile(['name', 'min'], (k, p: { name: string; min: number }) =>
      k
        .selectFrom('sequences')
        .select('name')
        .where((eb) => eb.or([eb('name', '=', p.name), eb('value', '>=', p.min)]))
        .orderBy((eb) => eb.case().when('name', '=', p.name).then(0).else(1).end())
        .orderBy('name')
        .limit(2),
    );
    const names = async (name: string, min: number) =>
      (await query.execute(db, { name, min })).rows.map((r) => r.name);
    assert.deepEqual(await names('c', 1), ['c', 'a']);
    assert.deepEqual(await names('a', 3), ['a', 'c']);
    assert.deepEqual(await names('x', 2), ['b', 'c']);
    // The same query in a transaction, which shares the database's dialect.
    await db.transaction().execute(async (trx) => {
      assert.deepEqual((await query.execute(trx, { name: 'b', min: 9 })).rows, [{ name: 'b' }]);
    });
  });

  it('refuses a build that does not use a parameter as a plain value', async () => {
    const transformed = precompile(['name'], (k, p: { name: string }) =>
      k.selectFrom('sequences').select('value').where('name', '=', p.name.toUpperCase()),
    );
    await assert.rejects(transformed.execute(db, { name: 'a' }), /not a plain value/);
    const spliced = precompile(['name'], (k, p: { name: string }) =>
      k.selectFrom('sequences').select('value').where('name', '=', sql.lit(p.name)),
    );
    await assert.rejects(spliced.execute(db, { name: 'a' }), /spliced into the SQL/);
  });

  it('runs without Kysely’s executor: outside a transaction with no connection, inside one on the transaction’s', async () => {
    const query = precompile(['name'], (k, p: { name: string }) =>
      k.selectFrom('sequences').select('value').where('name', '=', p.name),
    );
    const insertSequence = precompile(['name'], (k, p: { name: string }) =>
      k.insertInto('sequences').values({ name: p.name, value: 1 }),
    );
    const store = createSqliteDialect(SQLITE_MEMORY);
    // The dialect's one driver, its connection requests counted.
    const driver = store.dialect.createDriver();
    let acquired = 0;
    // Statements Kysely's executor sent to a connection it was given.
    let throughKysely = 0;
    const counting = new WeakSet<DatabaseConnection>();
    const acquire = driver.acquireConnection.bind(driver);
    driver.acquireConnection = async () => {
      acquired += 1;
      const connection = await acquire();
      // The same object (the driver knows its connections by identity, and lends them again), its
      // statements counted once.
      if (counting.has(connection)) return connection;
      counting.add(connection);
      const execute = connection.executeQuery.bind(connection);
      connection.executeQuery = (query) => {
        throughKysely += 1;
        return execute(query);
      };
      return connection;
    };
    const counted = new Kysely<Schema>({ dialect: store.dialect });
    try {
      await migrateToLatest(counted, store);
      await counted.insertInto('sequences').values({ name: 'b', value: 2 }).execute();
      acquired = 0;
      throughKysely = 0;
      assert.deepEqual((await query.execute(counted, { name: 'b' })).rows, [{ value: 2 }]);
      assert.equal(acquired, 0);
      await counted.transaction().execute(async (trx) => {
        await trx.updateTable('sequences').set({ value: 5 }).where('name', '=', 'b').execute();
        // The transaction's own uncommitted write: the statement ran inside it.
        assert.deepEqual((await query.execute(trx, { name: 'b' })).rows, [{ value: 5 }]);
      });
      assert.equal(acquired, 1);
      assert.equal(throughKysely, 1, 'only the update went through Kysely');
      // Undone with the transaction it ran in.
      await assert.rejects(
        counted.transaction().execute(async (trx) => {
          await insertSequence.execute(trx, { name: 'z' });
          throw new Error('undo');
        }),
        /undo/,
      );
      assert.deepEqual((await query.execute(counted, { name: 'z' })).rows, []);
      // A transaction used after it ended holds nothing: refused, not run outside it.
      let leaked: Kysely<Schema> | undefined;
      await counted.transaction().execute(async (trx) => {
        leaked = trx;
        await Promise.resolve();
      });
      await assert.rejects(query.execute(leaked as Kysely<Schema>, { name: 'b' }), /no transaction holds/);
    } finally {
      await counted.destroy();
    }
  });

  it('builds the query afresh under plugins', async () => {
    const query = precompile(['name'], (k, p: { name: string }) =>
      k.selectFrom('sequences').select('value').where('name', '=', p.name),
    );
    const withPlugin = db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: (args) => Promise.resolve({ ...args.result, rows: [{ value: 42 }] }),
    });
    assert.deepEqual((await query.execute(withPlugin, { name: 'a' })).rows, [{ value: 42 }]);
    assert.deepEqual((await query.execute(db, { name: 'a' })).rows, [{ value: 1 }]);
  });
});
