import assert from 'node:assert/strict';
import { it } from 'node:test';
import { aBuyer, aStoredRefund, aTrade } from '../../helpers/store-builders.js';
import type { ContractContext } from './context.js';

/** Balances: conditional debits, upserting credits. */
export function balanceContract(ctx: ContractContext): void {
  it('refuses a debit beyond the balance and changes nothing', async () => {
    const buyer = aBuyer({ balances: { USD: 100 } });
    await ctx.store().createBuyer(buyer);
    const results = await ctx
      .store()
      .transaction(async (tx) => [
        await tx.adjustBalance(buyer.userId, 'USD', -101),
        await tx.adjustBalance(buyer.userId, 'HKD', -1),
        await tx.adjustBalance(buyer.userId, 'USD', -100),
      ]);
    assert.deepEqual(results, [false, false, true]);
    assert.deepEqual((await ctx.store().getBuyer(buyer.userId))?.balances, { USD: 0 });
  });

  it('credits an existing balance and creates a missing one', async () => {
    const buyer = aBuyer({ balances: { USD: 100 } });
    await ctx.store().createBuyer(buyer);
    await ctx.store().transaction(async (tx) => {
      assert.equal(await tx.adjustBalance(buyer.userId, 'USD', 50), true);
      assert.equal(await tx.adjustBalance(buyer.userId, 'JPY', 7), true);
      assert.equal(await tx.adjustBalance(buyer.userId, 'JPY', 3), true);
    });
    assert.deepEqual((await ctx.store().getBuyer(buyer.userId))?.balances, { USD: 150, JPY: 10 });
  });

  it('refuses to credit a buyer that does not exist', async () => {
    await assert.rejects(ctx.store().transaction((tx) => tx.adjustBalance('2088000000000000', 'USD', 10)));
  });

  it('reads a buyer for update inside a transaction', async () => {
    const buyer = aBuyer();
    await ctx.store().createBuyer(buyer);
    const read = await ctx.store().transaction((tx) => tx.getBuyerForUpdate(buyer.userId));
    assert.equal(read?.userId, buyer.userId);
    assert.deepEqual(read?.balances, buyer.balances);
    assert.equal(await ctx.store().transaction((tx) => tx.getBuyerForUpdate('2088000000000000')), undefined);
  });
}

/** Trades: idempotent insert, lookup by either key, update, newest-first listing with a cursor. */
export function tradeContract(ctx: ContractContext): void {
  it('round-trips every field of a trade, found by either key', async () => {
    const trade = aTrade({
      notifyUrl: 'https://merchant.example/notify',
      paidAt: new Date('2026-11-26T04:00:01.999Z'),
      amountMinor: 5_000_000_000_01, // beyond 32 bits: BIGINT must come back as an exact number
    });
    assert.equal(await ctx.store().transaction((tx) => tx.insertTrade(trade)), true);
    const { partner, alipayTransId, partnerTransId } = trade;
    assert.deepEqual(await ctx.store().getTrade(partner, { partnerTransId }), trade);
    assert.deepEqual(await ctx.store().getTrade(partner, { alipayTransId }), trade);
    assert.deepEqual(
      await ctx.store().transaction((tx) => tx.getTradeForUpdate(partner, { partnerTransId })),
      trade,
    );
  });

  it('round-trips a pending resolution and the query count through insert, update and list', async () => {
    const resolution = { to: 'paid', at: new Date('2026-11-26T04:00:30.001Z'), afterQueries: null } as const;
    const trade = aTrade({ resolution, queryCount: 1 });
    await ctx.store().transaction((tx) => tx.insertTrade(trade));
    const key = { alipayTransId: trade.alipayTransId };
    assert.deepEqual(await ctx.store().getTrade(trade.partner, key), trade);
    const patch = { resolution: { to: 'closed', at: null, afterQueries: 3 }, queryCount: 2 } as const;
    await ctx.store().transaction((tx) => tx.updateTrade(trade.alipayTransId, patch));
    assert.deepEqual(await ctx.store().listTrades({ partner: trade.partner }), [{ ...trade, ...patch }]);
    await ctx.store().transaction((tx) => tx.updateTrade(trade.alipayTransId, { resolution: null }));
    assert.deepEqual(await ctx.store().transaction((tx) => tx.getTradeForUpdate(trade.partner, key)), {
      ...trade,
      ...patch,
      resolution: null,
    });
  });

  it('prefers alipayTransId over partnerTransId and keeps trades within their partner', async () => {
    const trade = aTrade();
    const other = aTrade();
    await ctx.store().transaction(async (tx) => [await tx.insertTrade(trade), await tx.insertTrade(other)]);
    const mixed = { alipayTransId: trade.alipayTransId, partnerTransId: other.partnerTransId };
    assert.equal((await ctx.store().getTrade(trade.partner, mixed))?.alipayTransId, trade.alipayTransId);
    assert.equal(
      await ctx.store().getTrade('2088000000000000', { alipayTransId: trade.alipayTransId }),
      undefined,
    );
    assert.equal(
      await ctx
        .store()
        .getTrade(trade.partner, { alipayTransId: 'nope', partnerTransId: trade.partnerTransId }),
      undefined,
    );
    assert.equal(await ctx.store().getTrade(trade.partner, {}), undefined);
  });

  it('inserts a (partner, partnerTransId) once and keeps the first trade', async () => {
    const first = aTrade();
    const again = aTrade({ partnerTransId: first.partnerTransId, amountMinor: 999 });
    const elsewhere = aTrade({ partnerTransId: first.partnerTransId, partner: '2088000000000001' });
    assert.equal(await ctx.store().transaction((tx) => tx.insertTrade(first)), true);
    assert.equal(await ctx.store().transaction((tx) => tx.insertTrade(again)), false);
    assert.equal(await ctx.store().transaction((tx) => tx.insertTrade(elsewhere)), true);
    assert.deepEqual(
      await ctx.store().getTrade(first.partner, { partnerTransId: first.partnerTransId }),
      first,
    );
  });

  it('applies a partial update and leaves other fields alone', async () => {
    const trade = aTrade();
    await ctx.store().transaction((tx) => tx.insertTrade(trade));
    const patch = {
      status: 'TRADE_CLOSED',
      refundedMinor: 10_00,
      closedAt: new Date('2026-11-26T04:05:00.000Z'),
      expiresAt: null,
      closeReason: 'cancel',
      cancelAction: 'refund',
    } as const;
    await ctx.store().transaction((tx) => tx.updateTrade(trade.alipayTransId, patch));
    await ctx.store().transaction((tx) => tx.updateTrade(trade.alipayTransId, {}));
    assert.deepEqual(await ctx.store().getTrade(trade.partner, { alipayTransId: trade.alipayTransId }), {
      ...trade,
      ...patch,
    });
  });

  it('lists trades newest first, filtered, limited and paged with a cursor', async () => {
    const partner = '2088000000000002';
    const at = (minute: number) => new Date(Date.UTC(2026, 10, 26, 4, minute));
    const trades = [0, 1, 2, 3, 4].map((m) =>
      aTrade({ partner, createdAt: at(m), status: m === 2 ? 'TRADE_SUCCESS' : 'WAIT_BUYER_PAY' }),
    );
    await ctx.store().transaction(async (tx) => {
      for (const t of [...trades, aTrade()]) await tx.insertTrade(t);
    });
    const ids = (list: { alipayTransId: string }[]) => list.map((t) => t.alipayTransId);
    const newestFirst = ids([...trades].reverse());
    assert.deepEqual(ids(await ctx.store().listTrades({ partner })), newestFirst);
    assert.equal((await ctx.store().listTrades({})).length, 6);
    assert.deepEqual(ids(await ctx.store().listTrades({ partner, status: 'TRADE_SUCCESS' })), [
      trades[2]?.alipayTransId,
    ]);
    // The unpaid status takes another path (a literal, for the partial index of unpaid trades).
    const unpaid = newestFirst.filter((id) => id !== trades[2]?.alipayTransId);
    assert.deepEqual(ids(await ctx.store().listTrades({ partner, status: 'WAIT_BUYER_PAY' })), unpaid);
    assert.deepEqual(
      ids(await ctx.store().listTrades({ status: 'WAIT_BUYER_PAY', limit: 2, before: unpaid[0] })),
      unpaid.slice(1, 3),
    );
    const page1 = await ctx.store().listTrades({ partner, limit: 2 });
    assert.deepEqual(ids(page1), newestFirst.slice(0, 2));
    const page2 = await ctx.store().listTrades({ partner, limit: 2, before: page1.at(-1)?.alipayTransId });
    assert.deepEqual(ids(page2), newestFirst.slice(2, 4));
    assert.deepEqual(await ctx.store().listTrades({ partner, before: 'unknown-cursor' }), []);
  });

  it('pages through trades created in the same millisecond without loss or repeat', async () => {
    const partner = '2088000000000003';
    const trades = Array.from({ length: 5 }, () => aTrade({ partner }));
    await ctx.store().transaction(async (tx) => {
      for (const t of trades) await tx.insertTrade(t);
    });
    const seen: string[] = [];
    let before: string | undefined;
    for (let page = 0; page < 5; page += 1) {
      const list = await ctx
        .store()
        .listTrades({ partner, limit: 2, ...(before === undefined ? {} : { before }) });
      seen.push(...list.map((t) => t.alipayTransId));
      before = list.at(-1)?.alipayTransId;
      if (list.length < 2) break;
    }
    assert.deepEqual([...seen].sort(), trades.map((t) => t.alipayTransId).sort());
  });

  it('returns 50 trades by default and never more than 500', async () => {
    const partner = '2088000000000004';
    await ctx.store().transaction(async (tx) => {
      for (let i = 0; i < 60; i += 1) await tx.insertTrade(aTrade({ partner }));
    });
    assert.equal((await ctx.store().listTrades({ partner })).length, 50);
    assert.equal((await ctx.store().listTrades({ partner, limit: 10_000 })).length, 60);
  });
}

/** Refunds: idempotent insert, lookup and listing per trade. */
export function refundContract(ctx: ContractContext): void {
  it('inserts a (partner, partnerRefundId) once and lists refunds of a trade oldest first', async () => {
    const trade = aTrade();
    const first = aStoredRefund(trade, { reason: 'broken cup', notifyUrl: 'https://merchant.example/r' });
    const second = aStoredRefund(trade, {
      isSync: false,
      createdAt: new Date(first.createdAt.getTime() + 1),
    });
    const store = ctx.store();
    const inserted = await store.transaction(async (tx) => [
      await tx.insertRefund(second),
      await tx.insertRefund(first),
      await tx.insertRefund({ ...first, amountMinor: 999 }),
    ]);
    assert.deepEqual(inserted, [true, true, false]);
    assert.deepEqual(
      await store.transaction((tx) => tx.getRefund(first.partner, first.partnerRefundId)),
      first,
    );
    assert.equal(await store.transaction((tx) => tx.getRefund(first.partner, 'unknown')), undefined);
    assert.deepEqual(await store.listRefunds(trade.alipayTransId), [first, second]);
    assert.deepEqual(await store.listRefunds('unknown'), []);
  });
}

/** Sequences and transactions. */
export function transactionContract(ctx: ContractContext): void {
  it('counts each named sequence from 1, across transactions', async () => {
    const store = ctx.store();
    assert.deepEqual(
      await store.transaction(async (tx) => [await tx.nextSequence('a'), await tx.nextSequence('a')]),
      [1, 2],
    );
    assert.equal(await store.transaction((tx) => tx.nextSequence('b')), 1);
    assert.equal(await store.transaction((tx) => tx.nextSequence('a')), 3);
  });

  it('returns what the function returns when it commits', async () => {
    assert.equal(await ctx.store().transaction(() => Promise.resolve('done')), 'done');
  });

  it('rolls back everything and rethrows the same error when the function throws', async () => {
    const store = ctx.store();
    const buyer = aBuyer({ balances: { USD: 100 } });
    await store.createBuyer(buyer);
    const trade = aTrade();
    const boom = new Error('boom');
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.insertTrade(trade);
        await tx.insertRefund(aStoredRefund(trade));
        await tx.adjustBalance(buyer.userId, 'USD', -60);
        await tx.nextSequence('rolled-back');
        throw boom;
      }),
      (err) => err === boom,
    );
    assert.equal(await store.getTrade(trade.partner, { alipayTransId: trade.alipayTransId }), undefined);
    assert.deepEqual(await store.listRefunds(trade.alipayTransId), []);
    assert.deepEqual((await store.getBuyer(buyer.userId))?.balances, { USD: 100 });
    assert.equal(await store.transaction((tx) => tx.nextSequence('rolled-back')), 1);
  });
}
