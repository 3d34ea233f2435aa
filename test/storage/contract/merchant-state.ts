import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Store } from '../../../src/storage/store.js';
import { aMerchant, aRequestLogEntry, aRule, aStoredRefund, aTrade } from '../../helpers/store-builders.js';
import type { ContractContext } from './context.js';

const [A, B] = ['2088000000000001', '2088000000000002'];

/** Default-rule switches: off per merchant, idempotent both ways. */
export function defaultRuleSwitchContract(ctx: ContractContext): void {
  it('lists the default rules a merchant switched off, sorted, apart from other merchants', async () => {
    const store = ctx.store();
    assert.deepEqual(await store.listDisabledDefaultRules(A), []);
    await store.setDefaultRuleEnabled(A, 'default.pay.b', false);
    await store.setDefaultRuleEnabled(A, 'default.pay.a', false);
    await store.setDefaultRuleEnabled(A, 'default.pay.a', false);
    await store.setDefaultRuleEnabled(B, 'default.pay.c', false);
    assert.deepEqual(await store.listDisabledDefaultRules(A), ['default.pay.a', 'default.pay.b']);
    await store.setDefaultRuleEnabled(A, 'default.pay.a', true);
    await store.setDefaultRuleEnabled(A, 'never-disabled', true);
    assert.deepEqual(await store.listDisabledDefaultRules(A), ['default.pay.b']);
    assert.deepEqual(await store.listDisabledDefaultRules(B), ['default.pay.c']);
  });
}

/** Merchant clocks: set, replace, delete, per merchant. */
export function merchantClockContract(ctx: ContractContext): void {
  it('keeps one clock per merchant until it is set to null', async () => {
    const store = ctx.store();
    assert.equal(await store.getMerchantClock(A), undefined);
    await store.setMerchantClock(A, { offsetMs: 86_400_000 * 400, frozenAt: null });
    await store.setMerchantClock(B, { offsetMs: -5_000, frozenAt: null });
    assert.deepEqual(await store.getMerchantClock(A), { offsetMs: 86_400_000 * 400, frozenAt: null });
    const frozen = { offsetMs: 0, frozenAt: new Date('2027-01-01T00:00:00.007Z') };
    await store.setMerchantClock(A, frozen);
    assert.deepEqual(await store.getMerchantClock(A), frozen);
    await store.setMerchantClock(A, null);
    await store.setMerchantClock(A, null);
    assert.equal(await store.getMerchantClock(A), undefined);
    assert.deepEqual(await store.getMerchantClock(B), { offsetMs: -5_000, frozenAt: null });
  });

  it('refuses an offset that is not a whole number of milliseconds', async () => {
    await assert.rejects(ctx.store().setMerchantClock(A, { offsetMs: 1.5, frozenAt: null }), RangeError);
  });

  it('reads a merchant with its clock in one call, like getMerchant and getMerchantClock', async () => {
    const store = ctx.store();
    assert.equal(await store.getMerchantWithClock(A), undefined);
    // A clock without a merchant does not make one.
    await store.setMerchantClock(B, { offsetMs: 1_000, frozenAt: null });
    assert.equal(await store.getMerchantWithClock(B), undefined);
    await store.createMerchant(aMerchant({ partner: A }));
    const plain = await store.getMerchantWithClock(A);
    assert.deepEqual(plain, { merchant: await store.getMerchant(A), clock: undefined });
    const frozen = { offsetMs: -86_400_000 * 400, frozenAt: new Date('2027-01-01T00:00:00.007Z') };
    await store.setMerchantClock(A, frozen);
    const clocked = await store.getMerchantWithClock(A);
    assert.deepEqual(clocked, { merchant: await store.getMerchant(A), clock: frozen });
    await store.setMerchantClock(A, { offsetMs: 5, frozenAt: null });
    assert.deepEqual((await store.getMerchantWithClock(A))?.clock, { offsetMs: 5, frozenAt: null });
  });
}

/** Everything resetMerchantState must forget, for one merchant. */
async function seedMerchant(store: Store, partner: string) {
  await store.createMerchant(aMerchant({ partner }));
  const trade = aTrade({ partner });
  const refund = aStoredRefund(trade);
  await store.transaction(async (tx) => {
    await tx.insertTrade(trade);
    await tx.insertRefund(refund);
  });
  const rule = await store.createRule(aRule({ partner }));
  await store.nextCounter(`rule:${rule.id}:`);
  await store.setDefaultRuleEnabled(partner, 'default.pay.a', false);
  await store.setMerchantClock(partner, { offsetMs: 1_000, frozenAt: null });
  await store.appendRequestLog([aRequestLogEntry({ partner }), aRequestLogEntry({ partner })]);
  return { trade, rule };
}

/** resetMerchantState: one merchant's state goes, the account and other merchants stay. */
export function merchantResetContract(ctx: ContractContext): void {
  it('forgets one merchant’s trades, refunds, rules, counters, switches, clock and log', async () => {
    const store = ctx.store();
    const a = await seedMerchant(store, A);
    const b = await seedMerchant(store, B);
    await store.appendRequestLog([aRequestLogEntry({ partner: null })]);
    const version = await store.rulesVersion();

    await store.resetMerchantState(A);

    assert.equal(await store.getTrade(A, { alipayTransId: a.trade.alipayTransId }), undefined);
    assert.deepEqual(await store.listRefunds(a.trade.alipayTransId), []);
    assert.deepEqual(await store.listRules({ partner: A }), []);
    assert.equal(await store.nextCounter(`rule:${a.rule.id}:`), 1);
    assert.deepEqual(await store.listDisabledDefaultRules(A), []);
    assert.equal(await store.getMerchantClock(A), undefined);
    assert.equal(await store.countRequestLog({ partner: A }), 0);
    assert.ok((await store.rulesVersion()) > version);
    assert.equal((await store.getMerchant(A))?.partner, A);

    assert.equal((await store.getTrade(B, { alipayTransId: b.trade.alipayTransId }))?.partner, B);
    assert.equal((await store.listRefunds(b.trade.alipayTransId)).length, 1);
    assert.deepEqual(
      (await store.listRules({ partner: B })).map((r) => r.id),
      [b.rule.id],
    );
    assert.equal(await store.nextCounter(`rule:${b.rule.id}:`), 2);
    assert.deepEqual(await store.listDisabledDefaultRules(B), ['default.pay.a']);
    assert.deepEqual(await store.getMerchantClock(B), { offsetMs: 1_000, frozenAt: null });
    assert.equal(await store.countRequestLog({ partner: B }), 2);
    assert.equal(await store.countRequestLog({}), 3);
  });

  it('resets a merchant that has no state without error', async () => {
    await ctx.store().resetMerchantState(A);
    assert.equal(await ctx.store().rulesVersion(), 0);
  });
}
