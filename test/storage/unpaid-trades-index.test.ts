// The partial index of unpaid trades (migration 015) is the one the delivery worker's sweep uses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompiledQuery, Kysely, sql } from 'kysely';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { createPostgresDialect } from '../../src/storage/postgres-dialect.js';
import type { Database } from '../../src/storage/schema.js';
import { createSqliteDialect, SQLITE_MEMORY } from '../../src/storage/sqlite-dialect.js';
import type { StoreDialect } from '../../src/storage/store-dialect.js';
import { selectTrades } from '../../src/storage/trade-queries.js';
import { TEST_PG_URL, dropSchema, freshSchemaName, postgresSkipReason } from '../helpers/store-matrix.js';

/** A migrated database whose queries built through Kysely are kept in `sent`. */
async function openLogged(dialect: StoreDialect) {
  const sent: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: dialect.dialect,
    log: (event) => {
      if (event.level === 'query') sent.push(event.query);
    },
  });
  await migrateToLatest(db, dialect);
  return { db, sent };
}

/** The delivery worker's sweep of unpaid trades (settle-due-trades.ts), as selectTrades sends it. */
async function sweepQuery(db: Kysely<Database>, sent: CompiledQuery[]): Promise<CompiledQuery> {
  sent.length = 0;
  await selectTrades(db, { status: 'WAIT_BUYER_PAY', limit: 500 });
  const query = sent.at(-1);
  assert.ok(query, 'selectTrades sent no query');
  assert.match(query.sql, /"status" = 'WAIT_BUYER_PAY'/);
  return query;
}

describe('the partial index of unpaid trades', () => {
  it('on SQLite: holds only unpaid trades, and the sweep of unpaid trades searches it', async () => {
    const { db, sent } = await openLogged(createSqliteDialect(SQLITE_MEMORY));
    try {
      const indexes = await sql<{ name: string; sql: string }>`
        select name, sql from sqlite_master where type = 'index' and tbl_name = 'trades'`.execute(db);
      assert.ok(!indexes.rows.some((r) => r.name === 'trades_status_idx'));
      const unpaid = indexes.rows.find((r) => r.name === 'trades_unpaid_idx');
      assert.match(unpaid?.sql ?? '', /where status = 'WAIT_BUYER_PAY'/);
      const sweep = await sweepQuery(db, sent);
      const plan = await db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${sweep.sql}`, [...sweep.parameters]),
      );
      const details = plan.rows.map((r) => r.detail);
      assert.ok(
        details.some((d) => d.includes('trades_unpaid_idx')),
        details.join('; '),
      );
    } finally {
      await db.destroy();
    }
  });

  it(
    'on PostgreSQL: holds only unpaid trades, and the sweep of unpaid trades can search it',
    {
      skip: postgresSkipReason(),
    },
    async () => {
      const schema = freshSchemaName();
      const { db, sent } = await openLogged(createPostgresDialect(TEST_PG_URL, { schema, poolSize: 1 }));
      try {
        const indexes = await sql<{ indexname: string; indexdef: string }>`
        select indexname, indexdef from pg_indexes where schemaname = ${schema} and tablename = 'trades'`.execute(
          db,
        );
        assert.ok(!indexes.rows.some((r) => r.indexname === 'trades_status_idx'));
        const unpaid = indexes.rows.find((r) => r.indexname === 'trades_unpaid_idx');
        assert.match(unpaid?.indexdef ?? '', /WHERE \(status = 'WAIT_BUYER_PAY'::text\)/);
        // An empty table is scanned whatever its indexes; without scans, the plan shows which index fits.
        const plan = await db.transaction().execute(async (trx) => {
          await sql`set local enable_seqscan = off`.execute(trx);
          const sweep = await sweepQuery(trx, sent);
          return trx.executeQuery<{ 'QUERY PLAN': string }>(
            CompiledQuery.raw(`explain ${sweep.sql}`, [...sweep.parameters]),
          );
        });
        const lines = plan.rows.map((r) => r['QUERY PLAN']);
        assert.ok(
          lines.some((l) => l.includes('trades_unpaid_idx')),
          lines.join('\n'),
        );
      } finally {
        await db.destroy();
        await dropSchema(schema);
      }
    },
  );
});
