import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { SYSTEM_CLOCK } from '../../src/clock.js';
import { createKyselyStore } from '../../src/storage/kysely-store.js';
import { kyselyRequestLog } from '../../src/storage/request-log-store.js';
import { entryToRow } from '../../src/storage/request-log-queries.js';
import { migrationsFor, staticMigrationProvider } from '../../src/storage/migrations/index.js';
import { REQUEST_LOG_DB_MIGRATIONS } from '../../src/storage/migrations/request-log-db.js';
import type { Database as Schema } from '../../src/storage/schema.js';
import { createSqliteDialect } from '../../src/storage/sqlite-dialect.js';
import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/store.js';
import { aMerchant, aRequestLogEntry, aRule } from '../helpers/store-builders.js';
import {
  TEST_PG_URL,
  dropSchema,
  freshSchemaName,
  postgresSkipReason,
  tempSqlitePath,
} from '../helpers/store-matrix.js';

/** Two instances on one database share rule lifetimes, rule numbering, counters and the rules version. */
async function assertInstancesShareRules(first: Store, second: Store): Promise<void> {
  const older = await first.createRule(aRule({ times: 1 }));
  const newer = await second.createRule(aRule());
  assert.ok(newer.seq > older.seq);
  assert.equal(await first.rulesVersion(), 2);
  assert.equal(await second.rulesVersion(), 2);
  const hits = await Promise.all(
    Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? first : second).consumeRule(older.id)),
  );
  assert.deepEqual(
    hits.filter((h) => h !== null),
    [1],
  );
  assert.deepEqual([await first.nextCounter('shared'), await second.nextCounter('shared')], [1, 2]);
}

/** Runs fn with the path of a SQLite file in a fresh folder (not created yet), removed afterwards. */
async function withTempSqlite(fn: (path: string) => Promise<void>): Promise<void> {
  const file = await tempSqlitePath();
  try {
    await fn(file.path);
  } finally {
    await file.remove();
  }
}

/**
 * The merchants in the SQLite file at path as its main file alone holds them, without its -wal file:
 * what a checkpoint has copied there.
 */
function partnersInFileAlone(path: string): string[] {
  const copy = `${path}-alone.db`;
  copyFileSync(path, copy);
  try {
    return readSqlite(copy, (db) =>
      db
        .prepare('select partner from merchants')
        .all()
        .map((row) => (row as { partner: string }).partner),
    );
  } catch {
    // Copied while the checkpoint wrote it, or before the table reached the file.
    return [];
  } finally {
    rmSync(copy, { force: true });
  }
}

/** The -wal and -shm files of the SQLite file at path that are still there. */
function walFilesOf(path: string): string[] {
  return readdirSync(dirname(path)).filter(
    (name) => name === `${basename(path)}-wal` || name === `${basename(path)}-shm`,
  );
}

/**
 * Runs `body` as a script of its own process, after `const store = await openStore(...)` on the
 * SQLite file at path: how a process that uses the store behaves when nothing else holds it.
 */
async function runWithStore(path: string, name: string, body: string) {
  const storeModule = new URL('../../src/storage/open-store.js', import.meta.url).href;
  const script = `${path}-${name}.mjs`;
  await mkdir(dirname(script), { recursive: true });
  await writeFile(
    script,
    `const { openStore } = await import(${JSON.stringify(storeModule)});
    const store = await openStore(${JSON.stringify(`sqlite:${path}`)});
    ${body}`,
  );
  return spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 20_000 });
}

/** Whether check() became true within 5 s, tried every 20 ms. */
async function eventually(check: () => boolean): Promise<boolean> {
  for (const end = Date.now() + 5_000; Date.now() < end;) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return check();
}

/** fn's answer about the SQLite database at path, opened read-only and closed again. */
function readSqlite<T>(path: string, fn: (db: Database.Database) => T): T {
  const db = new Database(path, { readonly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** The request-log file of the store at path as a version before the journal left it: migrated up to (and with) the log migration named. */
async function logFileAt(path: string, migration: string): Promise<Kysely<Schema>> {
  await mkdir(dirname(path), { recursive: true });
  const db = new Kysely<Schema>({ dialect: createSqliteDialect(`${path}-requests`).dialect });
  const migrator = new Migrator({ db, provider: staticMigrationProvider(REQUEST_LOG_DB_MIGRATIONS) });
  assert.equal((await migrator.migrateTo(migration)).error, undefined);
  return db;
}

/** Whether the SQLite database at path has a request_log table. */
function hasRequestLogTable(path: string): boolean {
  return readSqlite(
    path,
    (db) =>
      db.prepare(`select 1 from sqlite_master where type = 'table' and name = 'request_log'`).get() !==
      undefined,
  );
}

describe('openStore URLs', () => {
  it('refuses an unknown scheme without echoing the rest of the URL', async () => {
    await assert.rejects(openStore('mysql://root:secret@db/x'), (err: Error) => {
      assert.match(err.message, /unsupported store URL scheme mysql:/);
      assert.doesNotMatch(err.message, /secret/);
      return true;
    });
  });

  it('refuses sqlite: without a path', async () => {
    await assert.rejects(openStore('sqlite:'), /needs a file path/);
  });

  it('refuses sqlite:// URLs, which would silently name an absolute path', async () => {
    await assert.rejects(openStore('sqlite://data/x.db'), /not sqlite:\/\//);
  });

  it('refuses a PostgreSQL schema name that is not a plain identifier', async () => {
    await assert.rejects(
      openStore(TEST_PG_URL, { schema: 'x"; drop table y' }),
      /invalid PostgreSQL schema name/,
    );
  });
});

describe('sqlite file store', () => {
  it('creates the parent folder and keeps data across close and reopen', () =>
    withTempSqlite(async (path) => {
      const merchant = aMerchant();
      const first = await openStore(`sqlite:${path}`);
      assert.equal(first.kind, 'sqlite');
      await first.createMerchant(merchant);
      await first.transaction((tx) => tx.nextSequence('trade'));
      await first.close();
      assert.ok(existsSync(path));

      const second = await openStore(`sqlite:${path}`);
      assert.equal((await second.getMerchant(merchant.partner))?.md5Key, merchant.md5Key);
      assert.equal(await second.transaction((tx) => tx.nextSequence('trade')), 2);
      await second.close();
    }));

  it('lets two instances on one file share rules and counters', () =>
    withTempSqlite(async (path) => {
      const stores = [await openStore(`sqlite:${path}`), await openStore(`sqlite:${path}`)] as const;
      await assertInstancesShareRules(...stores);
      await Promise.all(stores.map((s) => s.close()));
    }));

  it('copies commits into the database file from a thread of its own, and stops it on close', () =>
    withTempSqlite(async (path) => {
      const store = await openStore(`sqlite:${path}`);
      const merchant = aMerchant({ partner: '2088000000000011' });
      await store.createMerchant(merchant);
      // A commit this small stays in the -wal file until a checkpoint: SQLite's own happens only
      // past 1 000 pages (the store's connection: 8 192), so the file alone shows the thread's work.
      const found = await eventually(() => partnersInFileAlone(path).includes(merchant.partner));
      assert.ok(found, 'the merchant reached the database file without another write or a close');
      await store.close();
      // The thread's connection has closed by the time close() resolves: the store's, closing last,
      // removed the -wal and -shm files, so a folder removed right after finds nothing new in it.
      assert.deepEqual(walFilesOf(path), [], 'no connection left open on the file once close() resolved');
    }));

  it('starts the write-ahead log over under a steady writer, so it stays small', () =>
    withTempSqlite(async (path) => {
      const store = await openStore(`sqlite:${path}`);
      // A connection that writes as the store's own does under sustained pays: a transaction in
      // nearly every turn, about a millisecond apart. SQLite starts the log over only when a
      // transaction begins with all of it copied, which passive checkpoints alone never achieve
      // here: the log grew by every commit. Its own checkpoint is off, as the store's comes only past
      // 32 MiB, so only the background thread can keep the log small.
      const writer = new Database(path);
      try {
        writer.pragma('busy_timeout = 5000');
        writer.pragma('wal_autocheckpoint = 0');
        writer.exec('create table load (body blob)');
        const insert = writer.prepare('insert into load (body) values (randomblob(1000))');
        const turn = writer.transaction(() => {
          for (let i = 0; i < 50; i++) insert.run();
        });
        let turns = 0;
        for (const end = Date.now() + 1_500; Date.now() < end; turns++) {
          turn.immediate();
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
        // The -wal file is reused from its start, never shrunk: its size is the most it ever held.
        const walBytes = statSync(`${path}-wal`).size;
        const written = turns * 50 * 1_000;
        assert.ok(written > 24 * 2 ** 20, `the writer wrote ${written} bytes, enough to tell`);
        assert.ok(walBytes < 16 * 2 ** 20, `the log reached ${walBytes} bytes over ${turns} turns`);
      } finally {
        writer.close();
        await store.close();
      }
    }));
});

describe('sqlite request log file', () => {
  it('keeps the log in <file>-requests.d, apart from the ledger, across close and reopen', () =>
    withTempSqlite(async (path) => {
      const first = await openStore(`sqlite:${path}`);
      await first.appendRequestLog([aRequestLogEntry({ partner: '2088000000000001' })]);
      await first.close();
      assert.equal(hasRequestLogTable(path), false, 'the ledger file has no request_log table');
      assert.deepEqual(readdirSync(`${path}-requests.d`).sort(), ['0000000000000001.log', 'lock']);
      assert.equal(existsSync(`${path}-requests`), false, 'no log file of the versions before');

      const second = await openStore(`sqlite:${path}`);
      const [entry] = await second.listRequestLog({ partner: '2088000000000001' });
      assert.equal(entry?.partner, '2088000000000001');
      assert.equal(entry?.id, 1);
      await second.appendRequestLog([aRequestLogEntry({ partner: '2088000000000001' })]);
      assert.deepEqual(
        (await second.listRequestLog({ partner: '2088000000000001' })).map((e) => e.id),
        [2, 1],
        'numbers on after a reopen',
      );
      await second.close();
    }));

  it('moves a store of an earlier version: drops the old request_log table, keeps the ledger', () =>
    withTempSqlite(async (path) => {
      // The store as version 007 left it: request_log inside the ledger file, with an entry.
      const dialect = createSqliteDialect(path);
      const db = new Kysely<Schema>({ dialect: dialect.dialect });
      const migrator = new Migrator({ db, provider: staticMigrationProvider(migrationsFor('sqlite')) });
      assert.equal((await migrator.migrateTo('007-change-notifications')).error, undefined);
      const old = createKyselyStore(db, dialect, SYSTEM_CLOCK, kyselyRequestLog(db));
      await old.createMerchant(aMerchant({ partner: '2088000000000004' }));
      // That version's columns: all of today's but request_id (migration 009 and the log file's 002)
      // and sandbox_at (migration 013 and the log file's 003).
      const {
        request_id: _,
        sandbox_at: __,
        ...oldRow
      } = entryToRow(aRequestLogEntry({ partner: '2088000000000004' }));
      await db.insertInto('request_log').values(oldRow).execute();
      assert.equal(await old.countRequestLog({}), 1);
      await old.close();

      const store = await openStore(`sqlite:${path}`);
      assert.deepEqual(await store.checkReady?.(), { ready: true });
      assert.equal((await store.getMerchant('2088000000000004'))?.partner, '2088000000000004');
      assert.equal(await store.countRequestLog({}), 0);
      await store.close();
      assert.equal(hasRequestLogTable(path), false);
    }));

  it('moves the entries of a log file of an earlier version into the journal, with their ids, and removes the file', () =>
    withTempSqlite(async (path) => {
      // The log file as the last version before the journal left it, with entries 1, 2 and 4.
      const db = await logFileAt(path, '005-partial-rule-id-index');
      const partner = '2088000000000005';
      const old = kyselyRequestLog(db);
      await old.append([
        aRequestLogEntry({ partner, alipayTransId: 'T1', rawQuery: 'a=1' }),
        aRequestLogEntry({ partner, ruleId: 'r1', rawQuery: 'a=2' }),
        aRequestLogEntry({ partner, partnerTransId: 'T3', rawQuery: 'a=3' }),
        aRequestLogEntry({ partner, requestId: 'req-4', rawQuery: 'a=4' }),
      ]);
      await db.deleteFrom('request_log').where('id', '=', 3).execute();
      const before = await old.list({ partner });
      await db.destroy();

      const store = await openStore(`sqlite:${path}`);
      assert.deepEqual(await store.listRequestLog({ partner }), before);
      assert.deepEqual(
        (await store.listRequestLog({ tradeId: 'T1' })).map((e) => e.rawQuery),
        ['a=1'],
      );
      assert.equal(await store.countRequestLog({ ruleId: 'r1' }), 1);
      assert.equal((await store.getRequestLogEntry(4))?.requestId, 'req-4');
      await store.appendRequestLog([aRequestLogEntry({ partner })]);
      assert.equal((await store.listRequestLog({ partner, limit: 1 }))[0]?.id, 5, 'numbers on after them');
      await store.close();
      assert.deepEqual(
        readdirSync(dirname(path)).filter((name) => name.startsWith(`${basename(path)}-requests`)),
        [`${basename(path)}-requests.d`],
        'the old file and its -wal and -shm are gone',
      );
    }));

  it('cuts a record a writer left half written when it died, and numbers on after the whole ones', () =>
    withTempSqlite(async (path) => {
      const first = await openStore(`sqlite:${path}`);
      await first.appendRequestLog([aRequestLogEntry({ partner: '2088000000000007' })]);
      await first.close();
      // The start of a record whose rows never came: a process killed in the middle of its write.
      const segment = `${path}-requests.d/0000000000000001.log`;
      const whole = statSync(segment).size;
      appendFileSync(segment, readFileSync(segment).subarray(0, 40));

      const second = await openStore(`sqlite:${path}`);
      assert.equal(await second.countRequestLog({}), 1, 'a reader stops at the half record');
      await second.appendRequestLog([aRequestLogEntry({ partner: '2088000000000007' })]);
      assert.deepEqual(
        (await second.listRequestLog({})).map((e) => e.id),
        [2, 1],
      );
      await second.close();
      assert.ok(statSync(segment).size > whole);
      const third = await openStore(`sqlite:${path}`);
      assert.deepEqual(
        (await third.listRequestLog({})).map((e) => e.id),
        [2, 1],
      );
      await third.close();
    }));

  it('starts a new segment past 32 MiB and removes the oldest once all its entries are pruned', () =>
    withTempSqlite(async (path) => {
      const store = await openStore(`sqlite:${path}`);
      const big = 'x'.repeat(64 * 1024);
      const batch = Array.from({ length: 100 }, () => aRequestLogEntry({ rawBody: big }));
      // 6.4 MiB a batch: the sixth crosses 32 MiB, so the seventh starts a segment.
      for (let i = 0; i < 7; i++) await store.appendRequestLog(batch, { maxEntries: 1_000 });
      const folder = `${path}-requests.d`;
      assert.deepEqual(
        readdirSync(folder).filter((n) => n.endsWith('.log')),
        ['0000000000000001.log', '0000000000000601.log'],
      );
      // Pruned to the newest 50: every entry of the first segment is gone, and so is the segment.
      assert.equal(await store.pruneRequestLog({ maxEntries: 50 }), 650);
      await store.appendRequestLog([aRequestLogEntry()], { maxEntries: 50 });
      assert.deepEqual(
        readdirSync(folder).filter((n) => n.endsWith('.log')),
        ['0000000000000601.log'],
      );
      assert.equal(await store.countRequestLog({}), 50);
      assert.equal((await store.listRequestLog({ limit: 1 }))[0]?.id, 701);
      await store.close();
    }));

  it('lets two instances on one file log into one request log', () =>
    withTempSqlite(async (path) => {
      const [first, second] = [await openStore(`sqlite:${path}`), await openStore(`sqlite:${path}`)];
      await first.appendRequestLog([aRequestLogEntry({ partner: '2088000000000002' })]);
      await second.appendRequestLog([aRequestLogEntry({ partner: '2088000000000002' })]);
      assert.equal(await first.countRequestLog({ partner: '2088000000000002' }), 2);
      await Promise.all([first.close(), second.close()]);
    }));

  it('numbers every entry once when two instances append at the same time', () =>
    withTempSqlite(async (path) => {
      const [first, second] = [await openStore(`sqlite:${path}`), await openStore(`sqlite:${path}`)];
      // Each instance's worker is a thread of its own: their appends meet only at the journal's lock.
      const appends = (store: Store, partner: string) =>
        Array.from({ length: 40 }, () =>
          store.appendRequestLog(
            Array.from({ length: 25 }, () => aRequestLogEntry({ partner })),
            { maxEntries: 10_000 },
          ),
        );
      await Promise.all([...appends(first, '2088000000000008'), ...appends(second, '2088000000000009')]);
      for (const store of [first, second]) {
        assert.equal(await store.countRequestLog({ partner: '2088000000000008' }), 1_000);
        assert.equal(await store.countRequestLog({ partner: '2088000000000009' }), 1_000);
      }
      const ids = (await first.listRequestLog({ limit: 500 })).map((e) => e.id);
      assert.deepEqual(
        ids,
        Array.from({ length: 500 }, (_, i) => 2_000 - i),
        'ids 2000 down, none twice',
      );
      await Promise.all([first.close(), second.close()]);
    }));

  it('fails log calls with the reason when the log file cannot be opened, and the ledger works on', () =>
    withTempSqlite(async (path) => {
      // A file where the log's folder should be.
      await mkdir(dirname(path), { recursive: true });
      await writeFile(`${path}-requests.d`, 'not a folder');
      const store = await openStore(`sqlite:${path}`);
      await assert.rejects(store.appendRequestLog([aRequestLogEntry()]), /EEXIST|ENOTDIR/);
      await assert.rejects(store.countRequestLog({}), /EEXIST|ENOTDIR/);
      await store.createMerchant(aMerchant({ partner: '2088000000000003' }));
      assert.equal((await store.getMerchant('2088000000000003'))?.partner, '2088000000000003');
      await store.close();
    }));

  it('does not keep a process alive that forgot to close its store', () =>
    withTempSqlite(async (path) => {
      const run = await runWithStore(
        path,
        'forgets-to-close',
        `await store.appendRequestLog([]);
        console.log(await store.countRequestLog({}));`,
      );
      assert.equal(run.signal, null, 'the process ended by itself');
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout.trim(), '0', 'the count came back before the process ended');
    }));

  it('lets a process that closes its store last wait for the close', () =>
    withTempSqlite(async (path) => {
      // Nothing else keeps this process alive while the close waits for the store's threads to end:
      // the close must, or the process ends first, with an unsettled top-level await (status 13).
      const run = await runWithStore(
        path,
        'closes-last',
        `await store.close();
        console.log('closed');`,
      );
      assert.equal(run.signal, null, 'the process ended by itself');
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout.trim(), 'closed', 'close() resolved before the process ended');
    }));
});

describe('postgres store', { skip: postgresSkipReason() }, () => {
  it('lets several instances start on one empty schema at once', async () => {
    const schema = freshSchemaName();
    try {
      const stores = await Promise.all(
        [1, 2, 3, 4].map(() => openStore(TEST_PG_URL, { schema, poolSize: 2 })),
      );
      await stores[0]?.createMerchant(aMerchant({ partner: '2088000000000009' }));
      for (const store of stores)
        assert.equal((await store.getMerchant('2088000000000009'))?.partner, '2088000000000009');
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await dropSchema(schema);
    }
  });

  it('lets two instances on one schema share rules and counters', async () => {
    const schema = freshSchemaName();
    try {
      const stores = [
        await openStore(TEST_PG_URL, { schema, poolSize: 3 }),
        await openStore(TEST_PG_URL, { schema, poolSize: 3 }),
      ] as const;
      await assertInstancesShareRules(...stores);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await dropSchema(schema);
    }
  });

  it('keeps stores in different schemas apart', async () => {
    const [a, b] = [freshSchemaName(), freshSchemaName()];
    try {
      const storeA = await openStore(TEST_PG_URL, { schema: a });
      const storeB = await openStore(TEST_PG_URL, { schema: b });
      await storeA.createMerchant(aMerchant());
      assert.equal(storeA.kind, 'postgres');
      assert.equal(await storeB.isEmpty(), true);
      await Promise.all([storeA.close(), storeB.close()]);
    } finally {
      await Promise.all([dropSchema(a), dropSchema(b)]);
    }
  });

  it('fails with a clear error when the server cannot be reached', async () => {
    await assert.rejects(openStore('postgres://postgres@127.0.0.1:1/test'), /ECONNREFUSED|connect/);
  });
});
