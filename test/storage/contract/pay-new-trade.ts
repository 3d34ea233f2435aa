import assert from 'node:assert/strict';
import { it } from 'node:test';
import { makeAlipayTransId } from '../../../src/ledger/alipay-trans-id.js';
import { numberTrade } from '../../../src/ledger/number-trade.js';
import type { NewBuyer, Payer, UnnumberedTrade } from '../../../src/ledger/ledger-store.js';
import type { Trade } from '../../../src/ledger/model.js';
import type { Store } from '../../../src/storage/store.js';
import { aBuyer, anUnnumberedTrade } from '../../helpers/store-builders.js';
import type { ContractContext } from './context.js';

function payerOf(buyer: NewBuyer): Payer {
  const { balances: _, ...payer } = buyer;
  return { ...payer, createdAt: new Date(0), updatedAt: new Date(0) };
}

/** What a pay may change besides the id sequence: the trades of a partner and a buyer's balances. */
async function ledgerState(store: Store, partner: string, userId: string) {
  return { trades: await store.listTrades({ partner }), balances: (await store.getBuyer(userId))?.balances };
}

/** Pays 0.01 for buyer and returns the sequence value its trade was numbered with. */
async function nextNumber(store: Store, buyer: NewBuyer): Promise<number> {
  const outcome = await store.payNewTrade(
    anUnnumberedTrade({ buyerIdentityCode: buyer.paymentCode!, amountMinor: 1 }),
  );
  assert.equal(outcome.kind, 'paid');
  return outcome.kind === 'paid' ? Number(outcome.trade.alipayTransId.slice(-10)) : NaN;
}

/** The trade every store must insert and answer, field by field: numberTrade's, as JavaScript makes it. */
function expectedTrade(trade: UnnumberedTrade, buyer: NewBuyer, sequence: number): Trade {
  return numberTrade(trade, payerOf(buyer), sequence);
}

/** LedgerStore.payNewTrade: one atomic pay, whatever the store does inside it. */
export function payNewTradeContract(ctx: ContractContext): void {
  it('pays a new trade: debits the payer and inserts the trade numbered as makeAlipayTransId does', async () => {
    const store = ctx.store();
    const buyer = aBuyer({ wallet: 'ALIPAYHK', balances: { USD: 30_00, HKD: 5_00 } });
    await store.createBuyer(buyer);
    const trade = anUnnumberedTrade({ buyerIdentityCode: buyer.paymentCode!, amountMinor: 12_34 });
    const first = await store.payNewTrade(trade);
    assert.deepEqual(first, { kind: 'paid', trade: expectedTrade(trade, buyer, 1) });
    assert.deepEqual(await store.getTrade(trade.partner, trade), expectedTrade(trade, buyer, 1));
    assert.deepEqual((await store.getBuyer(buyer.userId))?.balances, { USD: 17_66, HKD: 5_00 });
    const second = anUnnumberedTrade({ buyerIdentityCode: buyer.paymentCode!, amountMinor: 1 });
    assert.deepEqual(await store.payNewTrade(second), {
      kind: 'paid',
      trade: expectedTrade(second, buyer, 2),
    });
  });

  it('numbers a trade from the Beijing day of its time and the payer of any user id', async () => {
    const store = ctx.store();
    // 16:30 UTC is the next day in Beijing; a short user id is padded as makeAlipayTransId pads it.
    const buyer = aBuyer({ userId: '42', balances: { USD: 10_00 } });
    await store.createBuyer(buyer);
    const at = new Date('2026-12-31T16:30:00.000Z');
    const trade = anUnnumberedTrade({ buyerIdentityCode: buyer.paymentCode!, createdAt: at, paidAt: at });
    const outcome = await store.payNewTrade(trade);
    assert.equal(outcome.kind === 'paid' && outcome.trade.alipayTransId, makeAlipayTransId(at, '42', 1));
    assert.match(makeAlipayTransId(at, '42', 1), /^20270101220014/);
  });

  it('lets the default buyer pay for a code nobody holds, and the holder of a code pay for it', async () => {
    const store = ctx.store();
    const fallback = aBuyer({ paymentCode: null, isDefault: true, balances: { USD: 10_00 } });
    const holder = aBuyer({ balances: { USD: 10_00 } });
    await store.createBuyer(fallback);
    await store.createBuyer(holder);
    const anyCode = anUnnumberedTrade({ buyerIdentityCode: '289999999999999999', amountMinor: 1_00 });
    const heldCode = anUnnumberedTrade({ buyerIdentityCode: holder.paymentCode!, amountMinor: 2_00 });
    assert.deepEqual(await store.payNewTrade(anyCode), {
      kind: 'paid',
      trade: expectedTrade(anyCode, fallback, 1),
    });
    assert.deepEqual(await store.payNewTrade(heldCode), {
      kind: 'paid',
      trade: expectedTrade(heldCode, holder, 2),
    });
    assert.deepEqual((await store.getBuyer(fallback.userId))?.balances, { USD: 9_00 });
    assert.deepEqual((await store.getBuyer(holder.userId))?.balances, { USD: 8_00 });
  });

  it('answers no-buyer without a buyer for the code nor a default one, even for a known trade', async () => {
    const store = ctx.store();
    const buyer = aBuyer();
    await store.createBuyer(buyer);
    const paid = anUnnumberedTrade({ buyerIdentityCode: buyer.paymentCode! });
    assert.equal((await store.payNewTrade(paid)).kind, 'paid');
    const before = await ledgerState(store, paid.partner, buyer.userId);
    assert.deepEqual(
      await store.payNewTrade(anUnnumberedTrade({ buyerIdentityCode: '289999999999999999' })),
      {
        kind: 'no-buyer',
      },
    );
    // The buyer is looked for first, as a pay always has: a replay with an unknown code is no-buyer too.
    const replay = { ...paid, buyerIdentityCode: '289999999999999999' };
    assert.deepEqual(await store.payNewTrade(replay), { kind: 'no-buyer' });
    assert.deepEqual(await ledgerState(store, paid.partner, buyer.userId), before);
    assert.equal(await nextNumber(store, buyer), 2);
  });

  it('answers exists with the trade as stored, and changes nothing', async () => {
    const store = ctx.store();
    const buyer = aBuyer();
    await store.createBuyer(buyer);
    const trade = anUnnumberedTrade({ buyerIdentityCode: buyer.paymentCode! });
    const paid = await store.payNewTrade(trade);
    assert.equal(paid.kind, 'paid');
    const before = await ledgerState(store, trade.partner, buyer.userId);
    const again = await store.payNewTrade({ ...trade, amountMinor: 1, createdAt: new Date() });
    assert.deepEqual(again, { kind: 'exists', trade: expectedTrade(trade, buyer, 1) });
    // Whatever the replay's amount: one the balance could not pay finds the trade too.
    const beyond = await store.payNewTrade({ ...trade, amountMinor: 1_000_000_00 });
    assert.deepEqual(beyond, { kind: 'exists', trade: expectedTrade(trade, buyer, 1) });
    assert.deepEqual(await ledgerState(store, trade.partner, buyer.userId), before);
    assert.equal(await nextNumber(store, buyer), 2);
  });

  it('answers insufficient when the balance is short or missing, and changes nothing', async () => {
    const store = ctx.store();
    const buyer = aBuyer({ balances: { USD: 9_99 } });
    await store.createBuyer(buyer);
    const before = await ledgerState(store, '2088101122136241', buyer.userId);
    const short = anUnnumberedTrade({ buyerIdentityCode: buyer.paymentCode!, amountMinor: 10_00 });
    assert.deepEqual(await store.payNewTrade(short), { kind: 'insufficient' });
    const missing = anUnnumberedTrade({ buyerIdentityCode: buyer.paymentCode!, transCurrency: 'HKD' });
    assert.deepEqual(await store.payNewTrade(missing), { kind: 'insufficient' });
    assert.deepEqual(await ledgerState(store, '2088101122136241', buyer.userId), before);
    assert.equal(await nextNumber(store, buyer), 1);
  });

  it('commits what alsoCommit writes with the pay, and nothing of the pay when it throws', async () => {
    const store = ctx.store();
    const buyer = aBuyer({ balances: { USD: 100_00 } });
    await store.createBuyer(buyer);
    const trade = anUnnumberedTrade({ buyerIdentityCode: buyer.paymentCode! });
    const seen: Trade[] = [];
    const outcome = await store.payNewTrade(trade, async (tx, paid) => {
      seen.push(paid);
      await tx.updateTrade(paid.alipayTransId, { transName: 'Tea' });
    });
    assert.deepEqual(outcome, { kind: 'paid', trade: expectedTrade(trade, buyer, 1) });
    assert.deepEqual(seen, [expectedTrade(trade, buyer, 1)]);
    assert.equal((await store.getTrade(trade.partner, trade))?.transName, 'Tea');

    const before = await ledgerState(store, trade.partner, buyer.userId);
    const failing = anUnnumberedTrade({ buyerIdentityCode: buyer.paymentCode! });
    await assert.rejects(
      store.payNewTrade(failing, () => Promise.reject(new Error('queue broken'))),
      /queue broken/,
    );
    assert.deepEqual(await ledgerState(store, trade.partner, buyer.userId), before);
    assert.equal(await nextNumber(store, buyer), 2);
  });
}

/** Concurrent pays (real concurrency on PostgreSQL): one trade and one debit per partnerTransId. */
export function payNewTradeConcurrencyContract(ctx: ContractContext): void {
  it('pays one of 20 concurrent pays of one partnerTransId; the others find it or lost the race', async () => {
    const store = ctx.store();
    const buyer = aBuyer({ balances: { USD: 100_00 } });
    await store.createBuyer(buyer);
    const trade = anUnnumberedTrade({ buyerIdentityCode: buyer.paymentCode!, amountMinor: 5_00 });
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => store.payNewTrade(trade)));
    const kinds = outcomes.map((o) => o.kind);
    assert.equal(kinds.filter((k) => k === 'paid').length, 1, kinds.join());
    assert.ok(
      kinds.every((k) => k === 'paid' || k === 'exists' || k === 'lost-race'),
      kinds.join(),
    );
    assert.equal((await store.listTrades({ partner: trade.partner })).length, 1);
    assert.deepEqual((await store.getBuyer(buyer.userId))?.balances, { USD: 95_00 });
  });

  it('answers exists, not insufficient, when it waited for a pay of its partnerTransId that took the balance', async () => {
    const store = ctx.store();
    const buyer = aBuyer({ balances: { USD: 5_00 } });
    await store.createBuyer(buyer);
    const trade = anUnnumberedTrade({ buyerIdentityCode: buyer.paymentCode!, amountMinor: 5_00 });
    const first = expectedTrade(trade, buyer, 7);
    // The first pay, as a transaction that holds its debit's lock while the second pay starts and waits.
    let second: ReturnType<Store['payNewTrade']> | undefined;
    await store.transaction(async (tx) => {
      assert.ok(await tx.adjustBalance(buyer.userId, 'USD', -5_00));
      assert.ok(await tx.insertTrade(first));
      second = store.payNewTrade(trade);
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    assert.deepEqual(await second, { kind: 'exists', trade: first });
    assert.deepEqual((await store.getBuyer(buyer.userId))?.balances, { USD: 0 });
  });

  it('answers a replay among the pays of a turn with its trade, taking neither money nor a number', async () => {
    const store = ctx.store();
    const buyer = aBuyer({ balances: { USD: 100 } });
    await store.createBuyer(buyer);
    const first = anUnnumberedTrade({ buyerIdentityCode: buyer.paymentCode!, amountMinor: 10 });
    const second = anUnnumberedTrade({ buyerIdentityCode: buyer.paymentCode!, amountMinor: 20 });
    const outcomes = await Promise.all([first, first, second, first].map((t) => store.payNewTrade(t)));
    const paidFirst = { kind: 'paid', trade: expectedTrade(first, buyer, 1) };
    assert.deepEqual(outcomes, [
      paidFirst,
      { ...paidFirst, kind: 'exists' },
      { kind: 'paid', trade: expectedTrade(second, buyer, 2) },
      { ...paidFirst, kind: 'exists' },
    ]);
    assert.deepEqual((await store.getBuyer(buyer.userId))?.balances, { USD: 70 });
    assert.equal(await nextNumber(store, buyer), 3);
  });

  it('gives back the debit of a replay that opens a turn, and the pays after it see the balance as it was', async () => {
    const store = ctx.store();
    const buyer = aBuyer({ balances: { USD: 100 } });
    await store.createBuyer(buyer);
    const earlier = anUnnumberedTrade({ buyerIdentityCode: buyer.paymentCode!, amountMinor: 30 });
    assert.equal((await store.payNewTrade(earlier)).kind, 'paid');
    // 70 left: the replay's 30 come back, the next pay takes all 70, the last finds nothing left.
    const pays = [earlier, 70, 1].map((t) =>
      typeof t === 'number'
        ? store.payNewTrade(anUnnumberedTrade({ buyerIdentityCode: buyer.paymentCode!, amountMinor: t }))
        : store.payNewTrade(t),
    );
    assert.deepEqual(
      (await Promise.all(pays)).map((o) => o.kind),
      ['exists', 'paid', 'insufficient'],
    );
    assert.deepEqual((await store.getBuyer(buyer.userId))?.balances, { USD: 0 });
    // Less taken after the replay than it had taken: what is written back is a credit.
    await store.updateBuyer(buyer.userId, { balances: { USD: 50 } });
    const again = await Promise.all([
      store.payNewTrade(earlier),
      store.payNewTrade(anUnnumberedTrade({ buyerIdentityCode: buyer.paymentCode!, amountMinor: 10 })),
    ]);
    assert.deepEqual(
      again.map((o) => o.kind),
      ['exists', 'paid'],
    );
    assert.deepEqual((await store.getBuyer(buyer.userId))?.balances, { USD: 40 });
  });

  it('lets exactly 10 of 20 concurrent pays of 10 through a balance of 100, numbered 1 to 10', async () => {
    const store = ctx.store();
    const buyer = aBuyer({ balances: { USD: 100 } });
    await store.createBuyer(buyer);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        store.payNewTrade(anUnnumberedTrade({ buyerIdentityCode: buyer.paymentCode!, amountMinor: 10 })),
      ),
    );
    const paid = outcomes.flatMap((o) => (o.kind === 'paid' ? [o.trade] : []));
    assert.equal(paid.length, 10);
    assert.equal(outcomes.filter((o) => o.kind === 'insufficient').length, 10);
    assert.deepEqual(
      paid.map((t) => Number(t.alipayTransId.slice(-10))).sort((a, b) => a - b),
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
    assert.equal((await store.listTrades({ partner: paid[0]!.partner })).length, 10);
    assert.deepEqual((await store.getBuyer(buyer.userId))?.balances, { USD: 0 });
  });
}
