import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { setImmediate as nextTurn } from 'node:timers/promises';
import pg from 'pg';
import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/store.js';
import { aBuyer, aMerchant } from '../helpers/store-builders.js';
import {
  TEST_PG_URL,
  dropSchema,
  freshSchemaName,
  postgresSkipReason,
  tempSqlitePath,
} from '../helpers/store-matrix.js';

/** Reads until check() holds, for up to 5 s: a change reaches another instance asynchronously. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A store's own changes of a merchant, its clock, a reset and a deletion, each seen on its very next
 * read; ready() runs once the merchant exists and has been read (PostgreSQL: its feed then listens).
 */
async function readsOwnChanges(store: Store, ready: () => Promise<void> = async () => {}): Promise<void> {
  const { partner } = await store.createMerchant(aMerchant({ md5Key: 'c'.repeat(32) }));
  await ready();
  assert.equal((await store.getMerchantWithClock(partner))?.merchant.md5Key, 'c'.repeat(32));
  await store.updateMerchant(partner, { md5Key: 'd'.repeat(32) });
  assert.equal((await store.getMerchantWithClock(partner))?.merchant.md5Key, 'd'.repeat(32));
  await store.setMerchantClock(partner, { offsetMs: 60_000, frozenAt: null });
  assert.equal((await store.getMerchantWithClock(partner))?.clock?.offsetMs, 60_000);
  await store.resetMerchantState(partner);
  assert.equal((await store.getMerchantWithClock(partner))?.clock, undefined);
  await store.deleteMerchant(partner);
  assert.equal(await store.getMerchantWithClock(partner), undefined);
}

describe('the merchant cache on PostgreSQL', { skip: postgresSkipReason() }, () => {
  const schema = freshSchemaName();
  let writer: Store;
  let reader: Store;
  let sql: pg.Client;

  before(async () => {
    writer = await openStore(TEST_PG_URL, { schema, poolSize: 2 });
    reader = await openStore(TEST_PG_URL, { schema, poolSize: 2 });
    sql = new pg.Client({ connectionString: TEST_PG_URL });
    await sql.connect();
  });
  after(async () => {
    await Promise.all([writer.close(), reader.close(), sql.end()]);
    await dropSchema(schema);
  });

  /** The reader's change feed listens (the cache is used only then). */
  async function readerListens(): Promise<void> {
    const subscription = reader.onChange?.(() => undefined);
    assert.ok(subscription);
    await subscription.ready;
    subscription.unsubscribe();
  }

  it('serves a merchant from memory while the feed listens, and forgets it when a change is notified', async () => {
    const { partner } = await writer.createMerchant(aMerchant({ name: 'Before' }));
    await reader.getMerchantWithClock(partner);
    await readerListens();
    assert.equal((await reader.getMerchantWithClock(partner))?.merchant.name, 'Before');
    // Changed behind the feed's back (its trigger off): the reader still answers from memory.
    await sql.query(`alter table "${schema}".merchants disable trigger merchants_notify`);
    await sql.query(`update "${schema}".merchants set name = 'Behind' where partner = $1`, [partner]);
    await sql.query(`alter table "${schema}".merchants enable trigger merchants_notify`);
    assert.equal((await reader.getMerchantWithClock(partner))?.merchant.name, 'Before');
    // The notification the trigger would have sent: the reader reads the row again.
    await sql.query(`select pg_notify('alipay_mock_changes', $1)`, [`${schema}:merchants`]);
    const seen = await eventually(
      () => reader.getMerchantWithClock(partner),
      (found) => found?.merchant.name === 'Behind',
    );
    assert.equal(seen?.merchant.name, 'Behind');
  });

  it("hears another instance's change of a merchant and of its clock", async () => {
    const { partner } = await writer.createMerchant(aMerchant({ md5Key: 'a'.repeat(32) }));
    await readerListens();
    assert.equal((await reader.getMerchantWithClock(partner))?.merchant.md5Key, 'a'.repeat(32));
    assert.equal((await reader.getMerchantWithClock(partner))?.clock, undefined);

    await writer.updateMerchant(partner, { md5Key: 'b'.repeat(32) });
    const rekeyed = await eventually(
      () => reader.getMerchantWithClock(partner),
      (found) => found?.merchant.md5Key === 'b'.repeat(32),
    );
    assert.equal(rekeyed?.merchant.md5Key, 'b'.repeat(32));

    await writer.setMerchantClock(partner, { offsetMs: 3_600_000, frozenAt: null });
    const moved = await eventually(
      () => reader.getMerchantWithClock(partner),
      (found) => found?.clock?.offsetMs === 3_600_000,
    );
    assert.equal(moved?.clock?.offsetMs, 3_600_000);

    await writer.deleteMerchant(partner);
    const gone = await eventually(
      () => reader.getMerchantWithClock(partner),
      (found) => found === undefined,
    );
    assert.equal(gone, undefined);
  });

  it('reads its own change on the very next call, without waiting for the feed', () =>
    readsOwnChanges(reader, readerListens));
});

describe('the merchant cache on SQLite, two stores on one file', () => {
  let file: Awaited<ReturnType<typeof tempSqlitePath>>;
  let writer: Store;
  let reader: Store;

  before(async () => {
    file = await tempSqlitePath();
    writer = await openStore(`sqlite:${file.path}`);
    reader = await openStore(`sqlite:${file.path}`);
  });
  after(async () => {
    await Promise.all([writer.close(), reader.close()]);
    await file.remove();
  });

  it('serves a merchant from memory until another connection commits to the file', async () => {
    const { partner } = await writer.createMerchant(aMerchant());
    const first = await reader.getMerchantWithClock(partner);
    assert.ok(first);
    // The same object: not read again, as nothing was committed by anyone else since.
    assert.equal(await reader.getMerchantWithClock(partner), first);
    // Any commit of another connection, even one that leaves merchants alone, makes it read again.
    await writer.createBuyer(aBuyer());
    const again = await reader.getMerchantWithClock(partner);
    assert.notEqual(again, first);
    assert.deepEqual(again, first);
  });

  it("sees another instance's change of a merchant and of its clock on its very next call", async () => {
    const { partner } = await writer.createMerchant(aMerchant({ md5Key: 'a'.repeat(32) }));
    assert.equal((await reader.getMerchantWithClock(partner))?.merchant.md5Key, 'a'.repeat(32));
    assert.equal((await reader.getMerchantWithClock(partner))?.clock, undefined);
    await writer.updateMerchant(partner, { md5Key: 'b'.repeat(32) });
    assert.equal((await reader.getMerchantWithClock(partner))?.merchant.md5Key, 'b'.repeat(32));
    await writer.setMerchantClock(partner, { offsetMs: 3_600_000, frozenAt: null });
    assert.equal((await reader.getMerchantWithClock(partner))?.clock?.offsetMs, 3_600_000);
    await writer.deleteMerchant(partner);
    assert.equal(await reader.getMerchantWithClock(partner), undefined);
  });

  it('reads its own change on the very next call', () => readsOwnChanges(reader));

  it('asks the file once per event-loop turn: a commit made during the turn is seen from the next one', async () => {
    const { partner } = await writer.createMerchant(aMerchant({ md5Key: 'e'.repeat(32) }));
    await nextTurn();
    assert.equal((await reader.getMerchantWithClock(partner))?.merchant.md5Key, 'e'.repeat(32));
    await nextTurn();
    // From memory: the file is asked, nothing changed, and no read of the file opens a snapshot.
    assert.equal((await reader.getMerchantWithClock(partner))?.merchant.md5Key, 'e'.repeat(32));
    // A third connection commits synchronously, within the turn of the read above.
    const other = new Database(file.path);
    try {
      other.prepare('update merchants set md5_key = ? where partner = ?').run('f'.repeat(32), partner);
    } finally {
      other.close();
    }
    assert.equal((await reader.getMerchantWithClock(partner))?.merchant.md5Key, 'e'.repeat(32));
    await nextTurn();
    assert.equal((await reader.getMerchantWithClock(partner))?.merchant.md5Key, 'f'.repeat(32));
  });
});
