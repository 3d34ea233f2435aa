import { ALIPAY_TRANS_ID_SEQUENCE, makeAlipayTransId } from '../ledger/alipay-trans-id.js';
import { merchantNow } from '../ledger/sandbox-clock.js';
import type { MerchantQrCode } from '../ledger/merchant-qr.js';
import { parseAmount } from '../ledger/money.js';
import { DEFAULT_CNY_RATES, tradeRates } from '../ledger/rates.js';
import type { Buyer, Merchant, Trade } from '../ledger/model.js';
import type { WalletDeps, WalletResult } from './wallet-outcome.js';

/** Amounts a buyer may enter: 0.01 to 100000000.00 of the code's pricing currency, its decimals. */
const MAX_HUNDREDTHS = 10_000_000_000;

/**
 * The trade of one payment by a merchant QR code, paid at once. Its `partner_trans_id` is its own
 * `alipay_trans_id` (**Decision**, docs/protocol.md §12.6: the merchant sent no order id), its name the
 * code's store name, its notifications go to the code's notify_url.
 */
function paidTrade(
  deps: WalletDeps,
  code: MerchantQrCode,
  buyer: Buyer,
  id: string,
  amountMinor: number,
  now: Date,
): Trade {
  return {
    alipayTransId: id,
    partner: code.partner,
    partnerTransId: id,
    status: 'TRADE_SUCCESS',
    buyerUserId: buyer.userId,
    buyerLoginId: buyer.loginId,
    // Empty: no payment code was scanned; the buyer scanned the merchant's code.
    buyerIdentityCode: '',
    paymentInst: buyer.wallet,
    currency: code.currency,
    transCurrency: code.transCurrency,
    amountMinor,
    refundedMinor: 0,
    ...tradeRates(code.currency, code.transCurrency, deps.rates ?? DEFAULT_CNY_RATES),
    transName: code.storeName,
    notifyUrl: code.notifyUrl,
    createdAt: now,
    paidAt: now,
    closedAt: null,
    expiresAt: null,
    closeReason: null,
    cancelAction: null,
    resolution: null,
    queryCount: 0,
  };
}

/**
 * A buyer scans a merchant QR code, enters an amount and pays (docs/protocol.md §12.6): in one ledger
 * transaction the buyer is debited and a new TRADE_SUCCESS trade of the merchant is created, with its
 * paid notification queued. A stopped or deleted code, a missing or malformed amount, an unknown buyer
 * or a short balance is refused and changes nothing.
 */
export async function payMerchantCode(
  deps: WalletDeps,
  merchant: Merchant,
  codeId: string,
  buyerUserId: string | undefined,
  amount: string | undefined,
): Promise<WalletResult> {
  const now = await merchantNow(deps.store, deps.clock, merchant.partner);
  // Read before the transaction: on SQLite a statement outside it would wait for it to end.
  const defaultId = buyerUserId ?? (await deps.store.findBuyerForCode(''))?.userId;
  return deps.store.transaction(async (tx): Promise<WalletResult> => {
    const code = await tx.getMerchantQrForUpdate(merchant.partner, codeId);
    if (!code) return { ok: false, reason: 'not_found' };
    if (code.status === 'STOP') return { ok: false, reason: 'code_stopped' };
    if (code.status === 'DELETE') return { ok: false, reason: 'code_deleted' };
    if (amount === undefined || amount.trim() === '') return { ok: false, reason: 'amount_required' };
    const parsed = parseAmount(amount.trim(), code.transCurrency, MAX_HUNDREDTHS);
    if (!parsed.ok) return { ok: false, reason: 'amount_invalid' };
    const buyer = defaultId === undefined ? undefined : await tx.getBuyerForUpdate(defaultId);
    if (!buyer) return { ok: false, reason: 'buyer_not_found' };
    // The debit first: when it fails nothing was written.
    if (!(await tx.adjustBalance(buyer.userId, code.transCurrency, -parsed.minor)))
      return { ok: false, reason: 'balance_too_low' };
    const id = makeAlipayTransId(now, buyer.userId, await tx.nextSequence(ALIPAY_TRANS_ID_SEQUENCE));
    const trade = paidTrade(deps, code, buyer, id, parsed.minor, now);
    if (!(await tx.insertTrade(trade))) throw new Error(`trade ${id} already exists`);
    await deps.notifications?.tradeChanged(tx, null, trade);
    return { ok: true, trade, merchant };
  });
}

/** The merchant QR code a wallet page shows, when it exists (stopped and deleted ones too). */
export function viewMerchantCode(
  deps: WalletDeps,
  merchant: Merchant,
  codeId: string,
): Promise<MerchantQrCode | undefined> {
  return deps.store.getMerchantQr(merchant.partner, codeId);
}
