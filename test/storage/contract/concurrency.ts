import assert from 'node:assert/strict';
import { it } from 'node:test';
import { aBuyer, aRule, aTrade } from '../../helpers/store-builders.js';
import type { ContractContext } from './context.js';

/** Concurrent transactions: no overdraft, one winner per idempotency key. */
export function concurrencyContract(ctx: ContractContext): void {
  it('lets exactly 10 of 20 concurrent debits of 10 through a balance of 100', async () => {
    const store = ctx.store();
    const buyer = aBuyer({ balances: { USD: 100 } });
    await store.createBuyer(buyer);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        store.transaction(async (tx) => {
          // Read-then-debit, as spot pay does: the lock (or the conditional UPDATE) must still hold.
          const locked = await tx.getBuyerForUpdate(buyer.userId);
          assert.ok(locked);
          return tx.adjustBalance(buyer.userId, 'USD', -10);
        }),
      ),
    );
    assert.equal(outcomes.filter(Boolean).length, 10);
    assert.deepEqual((await store.getBuyer(buyer.userId))?.balances, { USD: 0 });
  });

  it('inserts only one of 10 concurrent trades with the same partnerTransId', async () => {
    const store = ctx.store();
    const partnerTransId = aTrade().partnerTransId;
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => store.transaction((tx) => tx.insertTrade(aTrade({ partnerTransId })))),
    );
    assert.equal(outcomes.filter(Boolean).length, 1);
    assert.equal((await store.listTrades({})).length, 1);
  });

  it('hands out distinct sequence values to concurrent transactions', async () => {
    const store = ctx.store();
    const values = await Promise.all(
      Array.from({ length: 20 }, () => store.transaction((tx) => tx.nextSequence('trade'))),
    );
    assert.deepEqual(
      [...values].sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });
}

/** Concurrent callers of the conditional rule and counter statements (real concurrency on PostgreSQL). */
export function ruleConcurrencyContract(ctx: ContractContext): void {
  it('gives the last use of a rule to exactly one of 20 concurrent callers', async () => {
    const store = ctx.store();
    const rule = aRule({ times: 1 });
    await store.createRule(rule);
    const hits = await Promise.all(Array.from({ length: 20 }, () => store.consumeRule(rule.id)));
    assert.deepEqual(
      hits.filter((h) => h !== null),
      [1],
    );
    assert.equal((await store.getRule(rule.id))?.hits, 1);
  });

  it('lets exactly `times` of 20 concurrent callers consume a rule', async () => {
    const store = ctx.store();
    const rule = aRule({ times: 7 });
    await store.createRule(rule);
    const hits = await Promise.all(Array.from({ length: 20 }, () => store.consumeRule(rule.id)));
    const taken = hits.filter((h): h is number => h !== null).sort((a, b) => a - b);
    assert.deepEqual(taken, [1, 2, 3, 4, 5, 6, 7]);
  });

  it('hands out distinct counter values to 20 concurrent callers', async () => {
    const store = ctx.store();
    const values = await Promise.all(Array.from({ length: 20 }, () => store.nextCounter('rule:x:')));
    assert.deepEqual(
      [...values].sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });

  it('numbers 10 concurrently created rules with distinct seqs', async () => {
    const store = ctx.store();
    const created = await Promise.all(Array.from({ length: 10 }, () => store.createRule(aRule())));
    assert.equal(new Set(created.map((r) => r.seq)).size, 10);
    assert.equal(await store.rulesVersion(), 10);
  });
}
