// The query service answers from a plain read and opens a transaction only when the query changes
// the trade (a counted query, a due resolution, auto-close, end of the refund window).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { QUERY, type QueryInput } from '../../src/services/query.js';
import type { ServiceDeps } from '../../src/services/service-definition.js';
import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/store.js';
import type { Merchant, Trade } from '../../src/ledger/model.js';
import { aBuyer, aMerchant, aTrade } from '../helpers/store-builders.js';

const NOW = new Date('2026-11-26T04:05:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

describe('query: transactions only when something changes', () => {
  let store: Store;
  let transactions = 0;
  let deps: ServiceDeps;
  let merchant: Merchant;

  beforeEach(async () => {
    const opened = await openStore('sqlite::memory:');
    transactions = 0;
    // Counts Store.transaction calls; everything else goes straight through.
    store = new Proxy(opened, {
      get(target, prop, receiver): unknown {
        if (prop === 'transaction') {
          return (fn: Parameters<Store['transaction']>[0]) => {
            transactions += 1;
            return target.transaction(fn);
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    merchant = await store.createMerchant(aMerchant({ partner: '2088101122136241' }));
    await store.createBuyer(aBuyer({ userId: '2088102122524333', balances: { USD: 100_00 } }));
    const config = loadConfig({ db: 'sqlite::memory:' }, {});
    deps = {
      store,
      rates: config.rates,
      policy: { unpaidTimeoutMs: 15 * 60 * 1000, refundWindowMs: 365 * DAY },
    };
  });
  afterEach(async () => store.close());

  async function insert(trade: Trade): Promise<Trade> {
    await store.transaction((tx) => tx.insertTrade(trade));
    transactions = 0;
    return trade;
  }

  function query(input: Partial<QueryInput>, now = NOW) {
    const full: QueryInput = { partnerTransId: undefined, alipayTransId: undefined, ...input };
    return QUERY.run(deps, merchant, full, now);
  }

  it('answers a paid trade by either id without a transaction, and an unknown one likewise', async () => {
    const paidAt = new Date('2026-11-26T04:00:00.000Z');
    const trade = await insert(aTrade({ status: 'TRADE_SUCCESS', paidAt, expiresAt: null }));
    const byPartnerId = await query({ partnerTransId: trade.partnerTransId });
    assert.equal(byPartnerId.fields['alipay_trans_status'], 'TRADE_SUCCESS');
    assert.equal(byPartnerId.alipayTransId, trade.alipayTransId);
    const byAlipayId = await query({ alipayTransId: trade.alipayTransId, partnerTransId: 'not-this-one' });
    assert.deepEqual(byAlipayId, byPartnerId);
    const unknown = await query({ partnerTransId: 'nothing-here' });
    assert.equal(unknown.fields['error'], 'TRADE_NOT_EXIST');
    assert.equal(transactions, 0);
  });

  it('finishes a paid trade once the refund window is over, in a transaction, and keeps it finished', async () => {
    const paidAt = new Date('2026-11-26T04:00:00.000Z');
    const trade = await insert(aTrade({ status: 'TRADE_SUCCESS', paidAt, expiresAt: null }));
    const later = new Date(paidAt.getTime() + 365 * DAY);
    const r = await query({ partnerTransId: trade.partnerTransId }, later);
    assert.equal(r.fields['alipay_trans_status'], 'TRADE_FINISHED');
    assert.equal(transactions, 1);
    assert.equal((await store.getTrade(merchant.partner, trade))?.status, 'TRADE_FINISHED');
    await query({ partnerTransId: trade.partnerTransId }, later);
    assert.equal(transactions, 1);
  });

  it('closes an unpaid trade past its expiry in a transaction; before it, a query only reads', async () => {
    const trade = await insert(aTrade());
    const before = await query({ partnerTransId: trade.partnerTransId });
    assert.equal(before.fields['alipay_trans_status'], 'WAIT_BUYER_PAY');
    assert.equal(transactions, 0);
    const r = await query({ partnerTransId: trade.partnerTransId }, new Date('2026-11-26T04:15:00.123Z'));
    assert.equal(r.fields['alipay_trans_status'], 'TRADE_CLOSED');
    assert.equal(transactions, 1);
    assert.equal((await store.getTrade(merchant.partner, trade))?.closeReason, 'timeout');
  });

  it('counts every query of a trade that resolves after N queries, and pays it at the Nth', async () => {
    const resolution = { to: 'paid' as const, at: null, afterQueries: 2 };
    const trade = await insert(aTrade({ resolution, expiresAt: null }));
    const first = await query({ partnerTransId: trade.partnerTransId });
    assert.equal(first.fields['alipay_trans_status'], 'WAIT_BUYER_PAY');
    assert.equal((await store.getTrade(merchant.partner, trade))?.queryCount, 1);
    const second = await query({ partnerTransId: trade.partnerTransId });
    assert.equal(second.fields['alipay_trans_status'], 'TRADE_SUCCESS');
    assert.equal(transactions, 2);
    const stored = await store.getTrade(merchant.partner, trade);
    assert.equal(stored?.status, 'TRADE_SUCCESS');
    assert.equal(stored?.queryCount, 2);
    assert.equal((await store.getBuyer('2088102122524333'))?.balances['USD'], 90_00);
    // Paid now: later queries read only and count nothing.
    await query({ partnerTransId: trade.partnerTransId });
    assert.equal(transactions, 2);
    assert.equal((await store.getTrade(merchant.partner, trade))?.queryCount, 2);
  });

  it('resolves a pending trade whose time has come, in a transaction', async () => {
    const resolution = {
      to: 'closed' as const,
      at: new Date('2026-11-26T04:01:00.000Z'),
      afterQueries: null,
    };
    const trade = await insert(aTrade({ resolution, expiresAt: null }));
    const early = await query({ partnerTransId: trade.partnerTransId }, new Date('2026-11-26T04:00:30.000Z'));
    assert.equal(early.fields['alipay_trans_status'], 'WAIT_BUYER_PAY');
    assert.equal(transactions, 0);
    const r = await query({ partnerTransId: trade.partnerTransId });
    assert.equal(r.fields['alipay_trans_status'], 'TRADE_CLOSED');
    assert.equal(transactions, 1);
    assert.equal((await store.getTrade(merchant.partner, trade))?.resolution, null);
  });
});
