import {
  makeWalletToken,
  parseWalletToken,
  tokenOfQrCode,
  walletTokenValid,
} from '../ledger/wallet-token.js';
import { payMerchantCode } from './merchant-qr-wallet.js';
import type { WalletDeps, WalletResult } from './wallet-outcome.js';
import { merchantNow } from '../ledger/sandbox-clock.js';
import { settleTrade } from '../ledger/settle-trade.js';
import type { Buyer, Merchant, Trade } from '../ledger/model.js';
import type { LedgerStore, LedgerTx } from '../ledger/ledger-store.js';

export { WALLET_REFUSALS, type WalletDeps, type WalletRefusal, type WalletResult } from './wallet-outcome.js';

/** The merchant and trade an order QR code names, when its token is genuine (docs/protocol.md §12.6). */
export async function resolveOrderCode(
  store: LedgerStore,
  qrCode: string,
): Promise<{ merchant: Merchant; alipayTransId: string } | undefined> {
  const parsed = parseWalletToken(tokenOfQrCode(qrCode));
  if (!parsed || parsed.kind !== 'order') return undefined;
  const merchant = await store.getMerchant(parsed.partner);
  if (!merchant || !walletTokenValid(parsed, merchant.md5Key)) return undefined;
  return { merchant, alipayTransId: parsed.id };
}

/** The merchant and code id a merchant QR code names, when its token is genuine (docs/protocol.md §12.6). */
export async function resolveMerchantCode(
  store: LedgerStore,
  qrCode: string,
): Promise<{ merchant: Merchant; codeId: string } | undefined> {
  const parsed = parseWalletToken(tokenOfQrCode(qrCode));
  if (!parsed || parsed.kind !== 'merchant') return undefined;
  const merchant = await store.getMerchant(parsed.partner);
  if (!merchant || !walletTokenValid(parsed, merchant.md5Key)) return undefined;
  return { merchant, codeId: parsed.id };
}

/** Who pays: the named buyer, else the order's own buyer, else the default buyer. */
function pickBuyer(tx: LedgerTx, trade: Trade, userId: string | undefined, defaultId: string | undefined) {
  const id = userId ?? (trade.buyerUserId || defaultId);
  return id === undefined ? undefined : tx.getBuyerForUpdate(id);
}

type Step = (
  tx: LedgerTx,
  trade: Trade,
  buyer: Buyer | undefined,
  now: Date,
) => Promise<WalletResult | Partial<Trade>>;

/** Runs one wallet action on a waiting order, in one ledger transaction, after settling what time did. */
async function act(
  deps: WalletDeps,
  qrCode: string,
  buyerUserId: string | undefined,
  needsBuyer: boolean,
  step: Step,
): Promise<WalletResult> {
  const code = await resolveOrderCode(deps.store, qrCode);
  if (!code) {
    const merchantCode = await resolveMerchantCode(deps.store, qrCode);
    return { ok: false, reason: merchantCode ? 'no_order' : 'not_found' };
  }
  const { merchant } = code;
  const now = await merchantNow(deps.store, deps.clock, merchant.partner);
  // Read before the transaction: on SQLite a statement outside it would wait for it to end.
  const defaultId = needsBuyer ? (await deps.store.findBuyerForCode(''))?.userId : undefined;
  return deps.store.transaction(async (tx): Promise<WalletResult> => {
    const found = await tx.getTradeForUpdate(merchant.partner, { alipayTransId: code.alipayTransId });
    if (!found) return { ok: false, reason: 'not_found' };
    const trade = await settleTrade(tx, found, now, deps.policy, deps.notifications);
    if (trade.status !== 'WAIT_BUYER_PAY') return { ok: false, reason: 'not_waiting', trade };
    let buyer: Buyer | undefined;
    if (needsBuyer) {
      // A spot-pay trade (a scanned payment code) or one a rule parked is not the wallet's to pay.
      if (trade.buyerIdentityCode !== '' || trade.resolution)
        return { ok: false, reason: 'rule_owned', trade };
      buyer = await pickBuyer(tx, trade, buyerUserId, defaultId);
      if (!buyer) return { ok: false, reason: 'buyer_not_found', trade };
      // The first buyer who scans an order is its buyer (create names one up front): §12.6.
      if (trade.buyerUserId !== '' && trade.buyerUserId !== buyer.userId)
        return { ok: false, reason: 'buyer_mismatch', trade };
    }
    const patch = await step(tx, trade, buyer, now);
    if ('ok' in patch) return patch;
    await tx.updateTrade(trade.alipayTransId, patch);
    const after = { ...trade, ...patch };
    await deps.notifications?.tradeChanged(tx, trade, after);
    return { ok: true, trade: after, merchant };
  });
}

function buyerPatch(buyer: Buyer): Partial<Trade> {
  return { buyerUserId: buyer.userId, buyerLoginId: buyer.loginId, paymentInst: buyer.wallet };
}

/**
 * A buyer scans the order's QR code and pays it: the debit, TRADE_SUCCESS and its notification. A
 * merchant QR code needs the `amount` the buyer enters, and each payment is a new trade.
 */
export async function walletPay(
  deps: WalletDeps,
  qrCode: string,
  buyerUserId?: string,
  amount?: string,
): Promise<WalletResult> {
  const merchantCode = await resolveMerchantCode(deps.store, qrCode);
  if (merchantCode)
    return payMerchantCode(deps, merchantCode.merchant, merchantCode.codeId, buyerUserId, amount);
  return act(deps, qrCode, buyerUserId, true, async (tx, trade, buyer, now) => {
    if (!buyer) return { ok: false, reason: 'buyer_not_found' };
    if (!(await tx.adjustBalance(buyer.userId, trade.transCurrency, -trade.amountMinor)))
      return { ok: false, reason: 'balance_too_low', trade };
    return { ...buyerPatch(buyer), status: 'TRADE_SUCCESS', paidAt: now, expiresAt: null };
  });
}

/**
 * A buyer scans the code and backs out: the order keeps waiting, now with its buyer (as the sandbox
 * query sample EX-Q3 shows a waiting trade with buyer fields, docs/protocol.md §14.4).
 */
export function walletDecline(deps: WalletDeps, qrCode: string, buyerUserId?: string): Promise<WalletResult> {
  return act(deps, qrCode, buyerUserId, true, (_tx, _trade, buyer) =>
    Promise.resolve(buyer ? buyerPatch(buyer) : { ok: false, reason: 'buyer_not_found' }),
  );
}

/** Nobody pays in time: the order closes now as if its timeout had passed, and notifies the close. */
export function walletExpire(deps: WalletDeps, qrCode: string): Promise<WalletResult> {
  return act(deps, qrCode, undefined, false, (_tx, _trade, _buyer, now) =>
    Promise.resolve({
      status: 'TRADE_CLOSED',
      closedAt: now,
      closeReason: 'timeout',
      expiresAt: null,
      resolution: null,
    }),
  );
}

/** The order a code names as the sandbox clock has it now, for the wallet page. */
export async function viewOrderCode(
  deps: WalletDeps,
  qrCode: string,
): Promise<{ merchant: Merchant; trade: Trade } | undefined> {
  const code = await resolveOrderCode(deps.store, qrCode);
  if (!code) return undefined;
  const now = await merchantNow(deps.store, deps.clock, code.merchant.partner);
  const trade = await deps.store.transaction(async (tx) => {
    const found = await tx.getTradeForUpdate(code.merchant.partner, { alipayTransId: code.alipayTransId });
    return found && settleTrade(tx, found, now, deps.policy, deps.notifications);
  });
  return trade && { merchant: code.merchant, trade };
}

/**
 * The wallet token of a merchant's trade by either of its ids: how a tester reaches an
 * alipay.acquire.create trade, whose answer has no QR code (docs/protocol.md §12.2).
 */
export async function orderTokenOf(
  store: LedgerStore,
  partner: string,
  tradeId: string,
): Promise<string | undefined> {
  const merchant = await store.getMerchant(partner);
  const trade =
    merchant &&
    ((await store.getTrade(partner, { alipayTransId: tradeId })) ??
      (await store.getTrade(partner, { partnerTransId: tradeId })));
  if (!merchant || !trade) return undefined;
  return makeWalletToken({ kind: 'order', partner, id: trade.alipayTransId }, merchant.md5Key);
}

/** The wallet's three actions by name (admin API, wallet page, toolkit); expire ignores the buyer. */
export const WALLET_ACTIONS = {
  pay: (deps: WalletDeps, qrCode: string, buyerUserId?: string, amount?: string) =>
    walletPay(deps, qrCode, buyerUserId, amount),
  decline: (deps: WalletDeps, qrCode: string, buyerUserId?: string, _amount?: string) =>
    walletDecline(deps, qrCode, buyerUserId),
  expire: (deps: WalletDeps, qrCode: string, _buyerUserId?: string, _amount?: string) =>
    walletExpire(deps, qrCode),
} as const;

/** One of the wallet's actions. */
export type WalletAction = keyof typeof WALLET_ACTIONS;
