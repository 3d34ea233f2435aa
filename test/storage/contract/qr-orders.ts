import { it } from 'node:test';
import assert from 'node:assert/strict';
import { walletPay, type WalletDeps } from '../../../src/domain/wallet.js';
import { makeWalletToken } from '../../../src/ledger/wallet-token.js';
import { PRECREATE } from '../../../src/services/precreate.js';
import type { Merchant } from '../../../src/ledger/model.js';
import { aBuyer, aMerchant, aTrade, anId } from '../../helpers/store-builders.js';
import type { ContractContext } from './context.js';

const POLICY = { unpaidTimeoutMs: 180_000, refundWindowMs: 365 * 86_400_000 };

/** A merchant with a 16-digit partner id, as wallet tokens need. */
async function qrMerchant(ctx: ContractContext): Promise<Merchant> {
  const partner = `2088${String(Date.now()).slice(-8)}${String(Math.floor(Math.random() * 1e4)).padStart(4, '0')}`;
  return ctx.store().createMerchant(aMerchant({ partner, services: ['alipay.acquire.precreate'] }));
}

/** The QR-code services on every store: trades without a buyer, and the wallet's atomic payment. */
export function qrOrderContract(ctx: ContractContext): void {
  const deps = (): WalletDeps => ({ store: ctx.store(), clock: ctx.clock(), policy: POLICY });

  it('keeps a waiting trade without a buyer, and attaches the buyer when it is paid', async () => {
    const merchant = await qrMerchant(ctx);
    const trade = aTrade({
      partner: merchant.partner,
      buyerUserId: '',
      buyerLoginId: '',
      buyerIdentityCode: '',
    });
    await ctx.store().transaction((tx) => tx.insertTrade(trade));
    assert.deepEqual(
      await ctx.store().getTrade(merchant.partner, { alipayTransId: trade.alipayTransId }),
      trade,
    );
    const buyer = await ctx.store().createBuyer(aBuyer());
    const code = makeWalletToken(
      { kind: 'order', partner: merchant.partner, id: trade.alipayTransId },
      merchant.md5Key,
    );
    const paid = await walletPay(deps(), code, buyer.userId);
    assert.equal(paid.ok, true);
    const stored = await ctx.store().getTrade(merchant.partner, { alipayTransId: trade.alipayTransId });
    assert.equal(stored?.status, 'TRADE_SUCCESS');
    assert.equal(stored?.buyerUserId, buyer.userId);
    assert.equal(stored?.buyerLoginId, buyer.loginId);
    assert.equal((await ctx.store().getBuyer(buyer.userId))?.balances['USD'], 90_00);
  });

  it('two buyers paying one order at once: one pays, one is refused, one debit', async () => {
    const merchant = await qrMerchant(ctx);
    const trade = aTrade({
      partner: merchant.partner,
      buyerUserId: '',
      buyerLoginId: '',
      buyerIdentityCode: '',
    });
    await ctx.store().transaction((tx) => tx.insertTrade(trade));
    const a = await ctx.store().createBuyer(aBuyer());
    const b = await ctx.store().createBuyer(aBuyer());
    const code = makeWalletToken(
      { kind: 'order', partner: merchant.partner, id: trade.alipayTransId },
      merchant.md5Key,
    );
    const results = await Promise.all([walletPay(deps(), code, a.userId), walletPay(deps(), code, b.userId)]);
    assert.equal(results.filter((r) => r.ok).length, 1);
    const refused = results.find((r) => !r.ok);
    assert.ok(refused && !refused.ok && ['not_waiting', 'buyer_mismatch'].includes(refused.reason));
    const balances = [
      (await ctx.store().getBuyer(a.userId))?.balances['USD'],
      (await ctx.store().getBuyer(b.userId))?.balances['USD'],
    ].sort((x = 0, y = 0) => x - y);
    assert.deepEqual(balances, [90_00, 100_00]);
  });

  it('concurrent identical precreates make one trade and answer the same QR code', async () => {
    const merchant = await qrMerchant(ctx);
    const now = ctx.clock().now();
    const input = {
      outTradeNo: anId('Q'),
      subject: 'Coffee',
      currency: 'USD',
      transCurrency: 'USD',
      amountMinor: 5_00,
      notifyUrl: null,
      itBPay: '10m',
    };
    const serviceDeps = { store: ctx.store(), policy: POLICY, rates: { USD: '7.10000000' } };
    const answers = await Promise.all(
      [1, 2, 3].map(() => PRECREATE.run(serviceDeps, merchant, input, now, 'http://127.0.0.1:8080')),
    );
    assert.equal(new Set(answers.map((a) => a.fields['qr_code'])).size, 1);
    assert.ok(answers.every((a) => a.fields['result_code'] === 'SUCCESS'));
    const trades = await ctx.store().listTrades({ partner: merchant.partner });
    assert.equal(trades.length, 1);
    assert.equal(trades[0]?.expiresAt?.getTime(), now.getTime() + 600_000);
  });
}
