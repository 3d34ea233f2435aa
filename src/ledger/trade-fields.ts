import { formatAmount } from './money.js';
import { convertMinor, toCnyMinor } from './rates.js';
import { formatBeijingCompact } from './beijing-time.js';
import { maskLoginId } from './mask-login.js';
import type { Trade } from './model.js';

/** Business fields of `<response><alipay>`; undefined fields are left out. */
export type ResponseFields = Record<string, string | undefined>;

/**
 * HKD-settled trades answer like the real HK captures: `payment_inst` and no CNY fields;
 * other currencies answer like the USD sandbox capture: rates and CNY amounts (§14.2–§14.4).
 */
export function isHkStyle(trade: Trade): boolean {
  return trade.currency === 'HKD';
}

/** The masked buyer login; undefined while a QR-code trade has no buyer yet (docs/protocol.md §12). */
export function maskedBuyerLogin(trade: Trade): string | undefined {
  return trade.buyerLoginId === '' ? undefined : maskLoginId(trade.buyerLoginId);
}

/** The buyer fields shared by pay and query responses. */
export function buyerFields(trade: Trade): ResponseFields {
  return {
    alipay_buyer_login_id: maskedBuyerLogin(trade),
    alipay_buyer_user_id: trade.buyerUserId || undefined,
  };
}

/** An amount of the trade's transaction currency in its settlement currency, at the trade's fixed rate. */
export function settlementMinor(trade: Trade, minor: number): number {
  return convertMinor(minor, trade.transCurrency, trade.currency, trade.transForexRate);
}

/** Amount of the trade in CNY minor units, at the rate fixed when it was created. */
export function cnyMinor(trade: Trade, minor: number): number {
  return toCnyMinor(settlementMinor(trade, minor), trade.currency, trade.exchangeRate);
}

// The builders below list the buyer fields instead of spreading buyerFields(): an object literal
// that continues after a spread is built property by property on a slow path, several times the
// cost of the rest of the answer (docs/performance-history.md).

/** Fields a query returns for a trade (docs/reference/alipay-mapi-protocol.md §6.2), in any order: the envelope sorts. */
export function queryFields(trade: Trade): ResponseFields {
  const hk = isHkStyle(trade);
  return {
    alipay_buyer_login_id: maskedBuyerLogin(trade),
    alipay_buyer_user_id: trade.buyerUserId || undefined,
    alipay_pay_time: trade.paidAt ? formatBeijingCompact(trade.paidAt) : undefined,
    alipay_trans_id: trade.alipayTransId,
    alipay_trans_status: trade.status,
    currency: trade.currency,
    exchange_rate: hk ? undefined : trade.exchangeRate,
    forex_total_fee: hk ? undefined : formatAmount(settlementMinor(trade, trade.amountMinor), trade.currency),
    out_trade_no: trade.partnerTransId,
    partner_trans_id: trade.partnerTransId,
    payment_inst: hk ? trade.paymentInst : undefined,
    refund_amount_cny:
      hk || trade.refundedMinor === 0 ? undefined : formatAmount(cnyMinor(trade, trade.refundedMinor), 'CNY'),
    result_code: 'SUCCESS',
    trans_amount: formatAmount(trade.amountMinor, trade.transCurrency),
    trans_amount_cny: hk ? undefined : formatAmount(cnyMinor(trade, trade.amountMinor), 'CNY'),
    trans_forex_rate: hk ? undefined : trade.transForexRate,
  };
}

/** Fields of a successful (or replayed) spot pay (docs/reference/alipay-mapi-protocol.md §3.2). */
export function payFields(trade: Trade): ResponseFields {
  const hk = isHkStyle(trade);
  return {
    alipay_buyer_login_id: maskLoginId(trade.buyerLoginId),
    alipay_buyer_user_id: trade.buyerUserId,
    alipay_pay_time: trade.paidAt ? formatBeijingCompact(trade.paidAt) : undefined,
    alipay_trans_id: trade.alipayTransId,
    currency: trade.currency,
    exchange_rate: hk ? undefined : trade.exchangeRate,
    partner_trans_id: trade.partnerTransId,
    result_code: 'SUCCESS',
    trans_amount: formatAmount(trade.amountMinor, trade.transCurrency),
    trans_amount_cny: hk ? undefined : formatAmount(cnyMinor(trade, trade.amountMinor), 'CNY'),
  };
}
