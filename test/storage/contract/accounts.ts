import assert from 'node:assert/strict';
import { it } from 'node:test';
import { StoreConflictError } from '../../../src/ports/store-conflict-error.js';
import { aBuyer, aMerchant, aTrade } from '../../helpers/store-builders.js';
import { CONTRACT_START, type ContractContext } from './context.js';

const anUnknownUser = '2088000000000000';

/** Merchants: create, read, list, update, delete, conflicts. */
export function merchantContract(ctx: ContractContext): void {
  it('returns a created merchant with its lists and timestamps', async () => {
    const merchant = aMerchant({
      rsaPublicKey: '-----BEGIN PUBLIC KEY-----\nAAA\n-----END PUBLIC KEY-----\n',
    });
    const created = await ctx.store().createMerchant(merchant);
    const expected = { ...merchant, createdAt: CONTRACT_START, updatedAt: CONTRACT_START };
    assert.deepEqual(created, expected);
    assert.deepEqual(await ctx.store().getMerchant(merchant.partner), expected);
  });

  it('refuses a second merchant with the same partner id', async () => {
    const merchant = aMerchant();
    await ctx.store().createMerchant(merchant);
    await assert.rejects(ctx.store().createMerchant({ ...merchant, name: 'Other' }), StoreConflictError);
    assert.equal((await ctx.store().getMerchant(merchant.partner))?.name, merchant.name);
  });

  it('lists merchants oldest first', async () => {
    const first = aMerchant();
    const second = aMerchant();
    await ctx.store().createMerchant(first);
    ctx.clock().advance(1_000);
    await ctx.store().createMerchant(second);
    const partners = (await ctx.store().listMerchants()).map((m) => m.partner);
    assert.deepEqual(partners, [first.partner, second.partner]);
  });

  it('updates only the given fields and moves updatedAt', async () => {
    const merchant = aMerchant();
    await ctx.store().createMerchant(merchant);
    ctx.clock().advance(60_000);
    const updated = await ctx
      .store()
      .updateMerchant(merchant.partner, { name: 'Renamed', signTypes: ['RSA'] });
    assert.deepEqual(updated, {
      ...merchant,
      name: 'Renamed',
      signTypes: ['RSA'],
      createdAt: CONTRACT_START,
      updatedAt: new Date(CONTRACT_START.getTime() + 60_000),
    });
    assert.deepEqual(await ctx.store().getMerchant(merchant.partner), updated);
  });

  it('answers undefined when updating or reading an unknown merchant', async () => {
    assert.equal(await ctx.store().updateMerchant(anUnknownUser, { name: 'x' }), undefined);
    assert.equal(await ctx.store().getMerchant(anUnknownUser), undefined);
  });

  it('deletes a merchant but keeps its trades', async () => {
    const merchant = aMerchant();
    await ctx.store().createMerchant(merchant);
    const trade = aTrade({ partner: merchant.partner });
    await ctx.store().transaction((tx) => tx.insertTrade(trade));
    assert.equal(await ctx.store().deleteMerchant(merchant.partner), true);
    assert.equal(await ctx.store().deleteMerchant(merchant.partner), false);
    assert.equal(await ctx.store().getMerchant(merchant.partner), undefined);
    assert.deepEqual(
      await ctx.store().getTrade(merchant.partner, { alipayTransId: trade.alipayTransId }),
      trade,
    );
  });

  it('is empty until the first merchant exists', async () => {
    assert.equal(await ctx.store().isEmpty(), true);
    await ctx.store().createMerchant(aMerchant());
    assert.equal(await ctx.store().isEmpty(), false);
  });
}

/** Buyers: create, read, update (balances replace the map), delete, lookup by code, conflicts. */
export function buyerContract(ctx: ContractContext): void {
  it('returns a created buyer with balances and timestamps', async () => {
    const buyer = aBuyer({ balances: { USD: 100_00, HKD: 5 } });
    const expected = { ...buyer, createdAt: CONTRACT_START, updatedAt: CONTRACT_START };
    assert.deepEqual(await ctx.store().createBuyer(buyer), expected);
    assert.deepEqual(await ctx.store().getBuyer(buyer.userId), expected);
    assert.deepEqual(await ctx.store().listBuyers(), [expected]);
  });

  it('refuses a duplicate user id or payment code, but allows many buyers without a code', async () => {
    const buyer = aBuyer();
    await ctx.store().createBuyer(buyer);
    await assert.rejects(ctx.store().createBuyer(aBuyer({ userId: buyer.userId })), StoreConflictError);
    await assert.rejects(
      ctx.store().createBuyer(aBuyer({ paymentCode: buyer.paymentCode })),
      StoreConflictError,
    );
    await ctx.store().createBuyer(aBuyer({ paymentCode: null }));
    await ctx.store().createBuyer(aBuyer({ paymentCode: null }));
    assert.equal((await ctx.store().listBuyers()).length, 3);
  });

  it('replaces the whole balance map when balances are given, and keeps it otherwise', async () => {
    const buyer = aBuyer({ balances: { USD: 100, HKD: 200 } });
    await ctx.store().createBuyer(buyer);
    const renamed = await ctx.store().updateBuyer(buyer.userId, { name: 'Renamed' });
    assert.deepEqual(renamed?.balances, { USD: 100, HKD: 200 });
    const replaced = await ctx.store().updateBuyer(buyer.userId, { balances: { JPY: 7 } });
    assert.deepEqual(replaced?.balances, { JPY: 7 });
    assert.deepEqual((await ctx.store().getBuyer(buyer.userId))?.balances, { JPY: 7 });
  });

  it('refuses to give a buyer a payment code another buyer holds', async () => {
    const holder = aBuyer();
    const other = aBuyer();
    await ctx.store().createBuyer(holder);
    await ctx.store().createBuyer(other);
    await assert.rejects(
      ctx.store().updateBuyer(other.userId, { paymentCode: holder.paymentCode }),
      StoreConflictError,
    );
    assert.equal((await ctx.store().getBuyer(other.userId))?.paymentCode, other.paymentCode);
  });

  it('deletes a buyer with its balances', async () => {
    const buyer = aBuyer({ balances: { USD: 100 } });
    await ctx.store().createBuyer(buyer);
    assert.equal(await ctx.store().deleteBuyer(buyer.userId), true);
    assert.equal(await ctx.store().deleteBuyer(buyer.userId), false);
    assert.equal(await ctx.store().getBuyer(buyer.userId), undefined);
    const again = await ctx.store().createBuyer({ ...buyer, balances: {} });
    assert.deepEqual(again.balances, {});
    assert.equal(await ctx.store().updateBuyer(anUnknownUser, { name: 'x' }), undefined);
  });

  it('finds the holder of a payment code first, else the default buyer, else nobody', async () => {
    const holder = aBuyer();
    assert.equal(await ctx.store().findBuyerForCode(holder.paymentCode ?? ''), undefined);
    await ctx.store().createBuyer(holder);
    assert.equal(await ctx.store().findBuyerForCode('289999999999999999'), undefined);
    const fallback = aBuyer({ paymentCode: null, isDefault: true });
    await ctx.store().createBuyer(fallback);
    assert.equal((await ctx.store().findBuyerForCode(holder.paymentCode ?? ''))?.userId, holder.userId);
    const found = await ctx.store().findBuyerForCode('289999999999999999');
    assert.equal(found?.userId, fallback.userId);
    assert.equal(found?.isDefault, true);
    assert.deepEqual(found?.balances, fallback.balances);
  });

  it('finds the payer of a code in a transaction like findBuyerForCode, without the balances', async () => {
    const findPayer = (code: string) => ctx.store().transaction((tx) => tx.findPayerForCode(code));
    const holder = aBuyer();
    assert.equal(await findPayer(holder.paymentCode ?? ''), undefined);
    await ctx.store().createBuyer(holder);
    assert.equal(await findPayer('289999999999999999'), undefined);
    // Two default buyers: the lower user id answers, as for findBuyerForCode.
    const fallbacks = [
      aBuyer({ userId: '2088000000000992', paymentCode: null, isDefault: true }),
      aBuyer({ userId: '2088000000000991', paymentCode: null, isDefault: true }),
    ];
    for (const b of fallbacks) await ctx.store().createBuyer(b);
    for (const code of [holder.paymentCode ?? '', '289999999999999999']) {
      const buyer = await ctx.store().findBuyerForCode(code);
      const payer = await findPayer(code);
      assert.ok(buyer && payer);
      const { balances: _balances, ...expected } = buyer;
      assert.deepEqual(payer, expected);
      assert.equal('balances' in payer, false);
    }
    assert.equal((await findPayer(holder.paymentCode ?? ''))?.userId, holder.userId);
    assert.equal((await findPayer('289999999999999999'))?.userId, '2088000000000991');
  });
}

/** Settings: first writer wins. */
export function settingContract(ctx: ContractContext): void {
  it('keeps the first value put under a name', async () => {
    assert.equal(await ctx.store().getSetting('sandbox.rsa'), undefined);
    assert.equal(await ctx.store().putSettingIfAbsent('sandbox.rsa', 'first'), 'first');
    assert.equal(await ctx.store().putSettingIfAbsent('sandbox.rsa', 'second'), 'first');
    assert.equal(await ctx.store().getSetting('sandbox.rsa'), 'first');
  });
}
