import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/store.js';
import type { Trade } from '../../src/ledger/model.js';
import { aBuyer, aMerchant, aTrade } from '../helpers/store-builders.js';
import { tempSqlitePath } from '../helpers/store-matrix.js';
import { createTradeCache, type TradeCache } from '../../src/storage/trade-cache.js';

describe('createTradeCache', () => {
  const partner = '2088101122136241';
  const key = { partnerTransId: 'P-1' };

  /** A load the test finishes when it likes, and how many times loads were called. */
  function loads() {
    const pending: ((trade: Trade) => void)[] = [];
    let calls = 0;
    return {
      load: () => {
        calls += 1;
        return new Promise<Trade | undefined>((resolve) => pending.push(resolve));
      },
      finish: (trade: Trade) => pending.shift()!(trade),
      calls: () => calls,
    };
  }

  /** A get whose load the test finishes at once, with a new trade. */
  async function getFinished(cache: TradeCache, from: ReturnType<typeof loads>): Promise<void> {
    const got = cache.get(partner, key, from.load);
    from.finish(aTrade());
    await got;
  }

  it('keeps nothing while the connection may hold changes not committed', async () => {
    const cache = createTradeCache(() => undefined);
    const from = loads();
    await getFinished(cache, from);
    await getFinished(cache, from);
    assert.equal(from.calls(), 2);
  });

  it('answers a load that outlived a change of the write epoch, but does not keep it', async () => {
    let epoch: number | undefined = 1;
    const cache = createTradeCache(() => epoch);
    const old = aTrade({ queryCount: 1 });
    const current = aTrade({ queryCount: 2 });
    let finishOld!: (trade: Trade) => void;
    const slow = cache.get(partner, key, () => new Promise((resolve) => (finishOld = resolve)));
    // A write batch opens and commits while the first load is out; a read after it finishes first.
    epoch = undefined;
    epoch = 2;
    assert.equal(await cache.get(partner, key, () => Promise.resolve(current)), current);
    finishOld(old);
    assert.equal(await slow, old);
    assert.equal(await cache.get(partner, key, () => Promise.reject(new Error('not kept'))), current);
  });

  it('does not keep a load that an invalidation overtook', async () => {
    const cache = createTradeCache(() => 1);
    const from = loads();
    const slow = cache.get(partner, key, from.load);
    cache.invalidate();
    from.finish(aTrade());
    await slow;
    await getFinished(cache, from);
    assert.equal(from.calls(), 2);
  });
});

describe('the trade cache on SQLite, two stores on one file', () => {
  let file: Awaited<ReturnType<typeof tempSqlitePath>>;
  let writer: Store;
  let reader: Store;
  let partner: string;

  /** A trade inserted through `store`, committed. */
  async function storedTrade(store: Store, overrides: Partial<Trade> = {}): Promise<Trade> {
    const trade = aTrade({ partner, ...overrides });
    await store.transaction((tx) => tx.insertTrade(trade));
    return trade;
  }

  before(async () => {
    file = await tempSqlitePath();
    writer = await openStore(`sqlite:${file.path}`);
    reader = await openStore(`sqlite:${file.path}`);
    ({ partner } = await writer.createMerchant(aMerchant()));
  });
  after(async () => {
    await Promise.all([writer.close(), reader.close()]);
    await file.remove();
  });

  it('serves a trade from memory, by either id, until another connection commits to the file', async () => {
    const trade = await storedTrade(writer);
    await nextTurn();
    const byPartnerId = await reader.getTrade(partner, { partnerTransId: trade.partnerTransId });
    assert.equal(byPartnerId?.status, 'WAIT_BUYER_PAY');
    // The same object: not read again, as nothing was committed by anyone since.
    assert.equal(await reader.getTrade(partner, { partnerTransId: trade.partnerTransId }), byPartnerId);
    const byAlipayId = await reader.getTrade(partner, { alipayTransId: trade.alipayTransId });
    assert.equal(await reader.getTrade(partner, { alipayTransId: trade.alipayTransId }), byAlipayId);
    // Any commit of another connection, even one that leaves trades alone, makes it read again.
    await writer.createBuyer(aBuyer());
    await nextTurn();
    const again = await reader.getTrade(partner, { partnerTransId: trade.partnerTransId });
    assert.notEqual(again, byPartnerId);
    assert.deepEqual(again, byPartnerId);
  });

  it("sees another instance's change of a trade on its very next turn", async () => {
    const trade = await storedTrade(writer);
    await nextTurn();
    assert.equal((await reader.getTrade(partner, { alipayTransId: trade.alipayTransId }))?.queryCount, 0);
    await writer.transaction((tx) => tx.updateTrade(trade.alipayTransId, { queryCount: 3 }));
    await nextTurn();
    assert.equal((await reader.getTrade(partner, { alipayTransId: trade.alipayTransId }))?.queryCount, 3);
  });

  it('reads its own change on the very next call', async () => {
    const trade = await storedTrade(reader);
    const key = { partnerTransId: trade.partnerTransId };
    assert.equal((await reader.getTrade(partner, key))?.status, 'WAIT_BUYER_PAY');
    await reader.transaction((tx) =>
      tx.updateTrade(trade.alipayTransId, { status: 'TRADE_CLOSED', closeReason: 'cancel' }),
    );
    assert.equal((await reader.getTrade(partner, key))?.status, 'TRADE_CLOSED');
  });

  it('keeps nothing read while a change of its own is not committed, even one rolled back', async () => {
    const trade = await storedTrade(reader);
    const key = { alipayTransId: trade.alipayTransId };
    await nextTurn();
    // In one turn: a transaction that changes the trade and then fails, and a read beside it.
    const failed = reader.transaction(async (tx) => {
      await tx.updateTrade(trade.alipayTransId, { queryCount: 7 });
      throw new Error('changed my mind');
    });
    const beside = reader.getTrade(partner, key);
    await assert.rejects(failed, /changed my mind/);
    const seenBeside = await beside;
    assert.equal(seenBeside?.queryCount, 0);
    await nextTurn();
    const after = await reader.getTrade(partner, key);
    assert.equal(after?.queryCount, 0);
    // Read again, not kept from the turn of the write: then kept from here on.
    assert.notEqual(after, seenBeside);
    assert.equal(await reader.getTrade(partner, key), after);
  });

  it('asks the file once per event-loop turn: a commit made during the turn is seen from the next one', async () => {
    const trade = await storedTrade(writer);
    await nextTurn();
    const key = { partnerTransId: trade.partnerTransId };
    assert.equal((await reader.getTrade(partner, key))?.queryCount, 0);
    await nextTurn();
    assert.equal((await reader.getTrade(partner, key))?.queryCount, 0);
    // A third connection commits synchronously, within the turn of the read above.
    const other = new Database(file.path);
    try {
      other.prepare('update trades set query_count = 5 where alipay_trans_id = ?').run(trade.alipayTransId);
    } finally {
      other.close();
    }
    assert.equal((await reader.getTrade(partner, key))?.queryCount, 0);
    await nextTurn();
    assert.equal((await reader.getTrade(partner, key))?.queryCount, 5);
  });

  it('finds a trade inserted by another instance after a read that found none', async () => {
    const trade = aTrade({ partner });
    const key = { partnerTransId: trade.partnerTransId };
    assert.equal(await reader.getTrade(partner, key), undefined);
    await writer.transaction((tx) => tx.insertTrade(trade));
    await nextTurn();
    assert.equal((await reader.getTrade(partner, key))?.alipayTransId, trade.alipayTransId);
  });
});
