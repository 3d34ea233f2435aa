// PostgreSQL's spot pays: the function of migration 016, and the store's batches of it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kysely, sql } from 'kysely';
import { ALIPAY_TRANS_ID_SEQUENCE, makeAlipayTransId } from '../../src/ledger/alipay-trans-id.js';
import type { NewBuyer, PayNewTradeOutcome } from '../../src/ledger/ledger-store.js';
import { insertBuyer } from '../../src/storage/buyer-queries.js';
import { migrateToLatest } from '../../src/storage/migrate.js';
import { openStore } from '../../src/storage/open-store.js';
import { payNewTradesCall } from '../../src/storage/pay-new-trades-call.js';
import { createPostgresDialect } from '../../src/storage/postgres-dialect.js';
import type { Database } from '../../src/storage/schema.js';
import type { Store } from '../../src/storage/store.js';
import { aBuyer, anUnnumberedTrade } from '../helpers/store-builders.js';
import { TEST_PG_URL, dropSchema, freshSchemaName, postgresSkipReason } from '../helpers/store-matrix.js';

const skip = postgresSkipReason();

function kinds(outcomes: PayNewTradeOutcome[]): string[] {
  return outcomes.map((o) => o.kind);
}

describe('pay_new_trades on PostgreSQL', { skip }, () => {
  const schema = freshSchemaName();
  let db: Kysely<Database>;
  before(async () => {
    const dialect = createPostgresDialect(TEST_PG_URL, { poolSize: 2, schema });
    db = new Kysely<Database>({ dialect: dialect.dialect });
    await migrateToLatest(db, dialect);
  });
  after(async () => {
    await db?.destroy();
    await dropSchema(schema);
  });
  const addBuyer = (buyer: NewBuyer) =>
    db.transaction().execute((trx) => insertBuyer(trx, buyer, new Date(0)));

  it('numbers a trade as makeAlipayTransId does, for every day, user id and sequence value', async () => {
    const times = [
      new Date('2026-11-26T04:00:00.000Z'),
      // 16:00 UTC is midnight in Beijing: the next day's date.
      new Date('2026-12-31T15:59:59.999Z'),
      new Date('2026-12-31T16:00:00.000Z'),
    ];
    const userIds = [
      '2088102122524333',
      '2088u0123456789abcdef',
      '42',
      '',
      '208810212252433',
      '20881021225243339',
    ];
    const sequences = [1, 42, 9_999_999_999, 10_000_000_000, 10_000_000_001, 123_456_789_012_345];
    for (const userId of userIds) {
      const buyer = aBuyer({ userId, balances: { USD: 1_000_00 } });
      await addBuyer(buyer);
      for (const at of times) {
        for (const sequence of sequences) {
          // Numbers modulo 10^10 meet again: the id of an earlier pay would be taken.
          await db.deleteFrom('trades').execute();
          await sql`insert into sequences (name, value) values (${ALIPAY_TRANS_ID_SEQUENCE}, ${sequence - 1})
            on conflict (name) do update set value = excluded.value`.execute(db);
          const trade = anUnnumberedTrade({
            buyerIdentityCode: buyer.paymentCode!,
            createdAt: at,
            amountMinor: 1,
          });
          const [outcome] = await payNewTradesCall(db, [trade]);
          assert.equal(
            outcome?.kind === 'paid' && outcome.trade.alipayTransId,
            makeAlipayTransId(at, userId, sequence),
            `${at.toISOString()} ${userId} ${sequence}`,
          );
        }
      }
    }
  });

  it('runs the pays of a call in order, each seeing what those before it did', async () => {
    const rich = aBuyer({ balances: { USD: 10_00 } });
    const poor = aBuyer({ balances: { USD: 1_00 } });
    for (const buyer of [rich, poor]) {
      await addBuyer(buyer);
    }
    const first = anUnnumberedTrade({ buyerIdentityCode: rich.paymentCode!, amountMinor: 6_00 });
    const outcomes = await payNewTradesCall(db, [
      first,
      // the same key again: the trade the first one inserted, in this very transaction
      first,
      // what is left of the balance after the first
      anUnnumberedTrade({ buyerIdentityCode: rich.paymentCode!, amountMinor: 5_00 }),
      anUnnumberedTrade({ buyerIdentityCode: rich.paymentCode!, amountMinor: 4_00 }),
      anUnnumberedTrade({ buyerIdentityCode: poor.paymentCode!, amountMinor: 1_00 }),
      anUnnumberedTrade({ buyerIdentityCode: poor.paymentCode!, amountMinor: 1 }),
    ]);
    assert.deepEqual(kinds(outcomes), ['paid', 'exists', 'insufficient', 'paid', 'paid', 'insufficient']);
    assert.deepEqual(outcomes[1], outcomes[0] && { ...outcomes[0], kind: 'exists' });
    const numbers = outcomes.flatMap((o) =>
      o.kind === 'paid' ? [Number(o.trade.alipayTransId.slice(-10))] : [],
    );
    assert.deepEqual(numbers, [numbers[0]!, numbers[0]! + 1, numbers[0]! + 2]);
    const balances = await db
      .selectFrom('buyer_balances')
      .select(['user_id', 'amount_minor'])
      .where('user_id', 'in', [rich.userId, poor.userId])
      .execute();
    assert.deepEqual(Object.fromEntries(balances.map((b) => [b.user_id, b.amount_minor])), {
      [rich.userId]: 0,
      [poor.userId]: 0,
    });
  });
});

describe('PostgreSQL spot pays through the store', { skip }, () => {
  const schema = freshSchemaName();
  let stores: Store[] = [];
  before(async () => {
    // Two instances on one schema, as two sandboxes on one database.
    stores = [await openStore(TEST_PG_URL, { schema }), await openStore(TEST_PG_URL, { schema })];
  });
  after(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await dropSchema(schema);
  });

  it('pays concurrent pays of many buyers from two instances, each paid once, no money lost', async () => {
    const [one, two] = stores as [Store, Store];
    const buyers = Array.from({ length: 6 }, () => aBuyer({ balances: { USD: 100_00 } }));
    for (const buyer of buyers) await one.createBuyer(buyer);
    // Each instance pays the buyers in another order, so that their batches touch the same
    // balances in opposite orders, 20 rounds of 12 pays each.
    const rounds = Array.from({ length: 20 }, () =>
      Promise.all([
        ...buyers.map((b) =>
          one.payNewTrade(anUnnumberedTrade({ buyerIdentityCode: b.paymentCode!, amountMinor: 1_00 })),
        ),
        ...[...buyers]
          .reverse()
          .map((b) =>
            two.payNewTrade(anUnnumberedTrade({ buyerIdentityCode: b.paymentCode!, amountMinor: 1_00 })),
          ),
      ]),
    );
    const outcomes = (await Promise.all(rounds)).flat();
    // No batch was refused: none waited for the other instance's in a circle (PostgreSQL would have
    // broken the circle by failing one, and its pays would have run again one at a time).
    assert.deepEqual([one.payBatchesSplit?.(), two.payBatchesSplit?.()], [0, 0]);
    assert.equal(outcomes.length, 240);
    assert.ok(
      outcomes.every((o) => o.kind === 'paid'),
      kinds(outcomes).join(),
    );
    const ids = outcomes.map((o) => (o.kind === 'paid' ? o.trade.alipayTransId.slice(-10) : ''));
    assert.equal(new Set(ids).size, 240);
    for (const buyer of buyers)
      assert.deepEqual((await two.getBuyer(buyer.userId))?.balances, { USD: 100_00 - 40 * 1_00 });
  });

  it('fails only the pay the database refuses; the others of its batch are paid', async () => {
    const store = stores[0]!;
    const buyer = aBuyer({ balances: { USD: 10_00 } });
    await store.createBuyer(buyer);
    const good = () => anUnnumberedTrade({ buyerIdentityCode: buyer.paymentCode!, amountMinor: 1_00 });
    // NOT NULL: a trade the store cannot insert (no caller of the store makes one).
    const bad = anUnnumberedTrade({
      buyerIdentityCode: buyer.paymentCode!,
      amountMinor: 1_00,
      transName: null as never,
    });
    const splitBefore = store.payBatchesSplit?.() ?? NaN;
    const results = await Promise.allSettled([good(), bad, good()].map((t) => store.payNewTrade(t)));
    assert.equal(store.payBatchesSplit?.(), splitBefore + 1);
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value.kind : 'rejected')),
      ['paid', 'rejected', 'paid'],
    );
    assert.deepEqual((await store.getBuyer(buyer.userId))?.balances, { USD: 8_00 });
  });
});
