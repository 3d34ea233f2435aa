// The PostgreSQL pay statement numbers trades in SQL; makeAlipayTransId is the format's one definition.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kysely, sql } from 'kysely';
import { alipayTransIdPrefix, makeAlipayTransId } from '../../src/ledger/alipay-trans-id.js';
import { alipayTransIdSql } from '../../src/storage/alipay-trans-id-sql.js';
import { createPostgresDialect } from '../../src/storage/postgres-dialect.js';
import type { Database } from '../../src/storage/schema.js';
import { postgresSkipReason, TEST_PG_URL } from '../helpers/store-matrix.js';

const TIMES = [
  new Date('2026-11-26T04:00:00.000Z'),
  // 16:00 UTC is midnight in Beijing: the next day's date.
  new Date('2026-12-31T15:59:59.999Z'),
  new Date('2026-12-31T16:00:00.000Z'),
];
const USER_IDS = [
  '2088102122524333',
  '2088u0123456789abcdef',
  '42',
  '',
  '208810212252433',
  '20881021225243339',
];
const SEQUENCES = [1, 42, 9_999_999_999, 10_000_000_000, 10_000_000_001, 123_456_789_012_345];

describe('alipayTransIdSql on PostgreSQL', { skip: postgresSkipReason() }, () => {
  let db: Kysely<Database>;
  before(() => {
    db = new Kysely<Database>({ dialect: createPostgresDialect(TEST_PG_URL, { poolSize: 1 }).dialect });
  });
  after(async () => db?.destroy());

  it('builds the id makeAlipayTransId builds, for every day, user id and sequence', async () => {
    for (const at of TIMES) {
      for (const userId of USER_IDS) {
        for (const sequence of SEQUENCES) {
          const id = alipayTransIdSql(sql.val(alipayTransIdPrefix(at)), sql.val(userId), sql.val(sequence));
          const { rows } = await sql<{ id: string }>`select ${id} as id`.execute(db);
          assert.equal(
            rows[0]?.id,
            makeAlipayTransId(at, userId, sequence),
            `${at.toISOString()} ${userId} ${sequence}`,
          );
        }
      }
    }
  });
});
