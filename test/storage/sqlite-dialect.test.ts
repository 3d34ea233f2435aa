// The SQLite store's file keeps a transaction's statement journal in memory: a batch of pays shares
// one savepoint, whose journal passes SQLite's 64 KiB spill point, and without temp_store = MEMORY
// SQLite then created and deleted a temporary file on every such commit (docs/performance-history.md).
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import { test } from 'node:test';
import { Kysely, sql } from 'kysely';
import { createSqliteDialect } from '../../src/storage/sqlite-dialect.js';
import { tempSqlitePath } from '../helpers/store-matrix.js';

/** Files this process holds open that have no name any more: SQLite's temporary files (O_TMPFILE). */
function unnamedOpenFiles(): string[] {
  const links = readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return []; // closed since the listing (the listing's own descriptor)
    }
  });
  return links.filter((link) => link.endsWith('(deleted)'));
}

test(
  'a transaction writing past 64 KiB opens no temporary file',
  { skip: process.platform !== 'linux' && 'reads /proc/self/fd' },
  async () => {
    const file = await tempSqlitePath();
    const db = new Kysely<Record<string, { x: string }>>({ dialect: createSqliteDialect(file.path).dialect });
    try {
      await sql`create table t (x text)`.execute(db);
      // 100 rows of 4 000 bytes: about 400 KiB of pages, which exist before the transaction below.
      for (let i = 0; i < 100; i++) await sql`insert into t values (${'x'.repeat(4000)})`.execute(db);
      const before = unnamedOpenFiles();
      let during: string[] = [];
      await db.transaction().execute(async (trx) => {
        // Every page changes in the transaction's savepoint: each page's old content is kept for a rollback.
        await sql`update t set x = ${'y'.repeat(3000)}`.execute(trx);
        during = unnamedOpenFiles();
      });
      assert.deepEqual(during, before);
      const { rows } = await sql<{ n: number }>`select count(*) as n from t where x like 'y%'`.execute(db);
      assert.equal(rows[0]?.n, 100);
    } finally {
      await db.destroy();
      await file.remove();
    }
  },
);
