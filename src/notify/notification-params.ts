import { formatAmount } from '../ledger/money.js';
import { formatBeijing } from '../ledger/beijing-time.js';
import { buyerFields, cnyMinor, isHkStyle, settlementMinor } from '../ledger/trade-fields.js';
import type { Refund, Trade } from '../ledger/model.js';
import type { NotifyAction } from '../ports/notification-outbox.js';

// The parameters of asynchronous notifications (docs/reference/alipay-mapi-protocol.md §12, docs/notifications.md). The
// documented MAPI list names notify_time, notify_type, notify_id, notify_action_type, out_trade_no,
// subject, trade_no, trade_status, total_fee, buyer ids, times and currency amounts; the in-store
// names (partner_trans_id, alipay_trans_id, …) are sent beside the generic ones so integrations
// written against either find theirs. notify_id is added when queued; notify_time, sign_type and
// sign at every attempt.

/** Notification parameters before notify_id, notify_time and the signature; undefined values are not sent. */
export type NotificationParams = Record<string, string>;

/**
 * Which notification a change of trade status causes, if any: paid (from nothing or from
 * WAIT_BUYER_PAY), closed unpaid (cancel, timeout, a rule's resolution, an operator) or reversed (a
 * same-day cancel of a paid trade). A trade closed by a full refund is notified by the refund.
 */
export function tradeNotifyAction(before: Trade | null, after: Trade): NotifyAction | null {
  if (after.notifyUrl === null || before?.status === after.status) return null;
  if (after.status === 'TRADE_SUCCESS') {
    return before === null || before.status === 'WAIT_BUYER_PAY' ? 'payByAccountAction' : null;
  }
  if (after.status !== 'TRADE_CLOSED' || after.closeReason === 'refund') return null;
  return after.closeReason === 'cancel' && after.cancelAction === 'refund'
    ? 'reverseAction'
    : 'closeTradeAction';
}

function beijing(date: Date | null): string | undefined {
  return date === null ? undefined : formatBeijing(date);
}

function present(params: Record<string, string | undefined>): NotificationParams {
  const out: NotificationParams = {};
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== '') out[name] = value;
  return out;
}

/** The trade part shared by every notification: ids, status, amounts, buyer, times. */
function tradeParams(trade: Trade, action: NotifyAction): Record<string, string | undefined> {
  const hk = isHkStyle(trade);
  const buyer = buyerFields(trade);
  return {
    notify_type: 'trade_status_sync',
    notify_action_type: action,
    out_trade_no: trade.partnerTransId,
    partner_trans_id: trade.partnerTransId,
    trade_no: trade.alipayTransId,
    alipay_trans_id: trade.alipayTransId,
    trade_status: trade.status,
    subject: trade.transName,
    seller_id: trade.partner,
    total_fee: formatAmount(trade.amountMinor, trade.transCurrency),
    trans_amount: formatAmount(trade.amountMinor, trade.transCurrency),
    currency: trade.currency,
    trans_currency: trade.transCurrency === trade.currency ? undefined : trade.transCurrency,
    forex_total_fee: hk ? undefined : formatAmount(settlementMinor(trade, trade.amountMinor), trade.currency),
    exchange_rate: hk ? undefined : trade.exchangeRate,
    trans_amount_cny: hk ? undefined : formatAmount(cnyMinor(trade, trade.amountMinor), 'CNY'),
    payment_inst: hk ? trade.paymentInst : undefined,
    buyer_id: trade.buyerUserId,
    ...buyer,
    gmt_create: beijing(trade.createdAt),
    gmt_payment: beijing(trade.paidAt),
    gmt_close: beijing(trade.closedAt),
  };
}

/** Parameters of a trade notification (paid, closed, reversed). */
export function tradeNotificationParams(trade: Trade, action: NotifyAction): NotificationParams {
  const params = tradeParams(trade, action);
  if (action !== 'reverseAction') return present(params);
  // A cancel of a paid trade gives the buyer back everything not refunded yet (docs/reference/alipay-mapi-protocol.md §4.3).
  const reversedMinor = trade.amountMinor - trade.refundedMinor;
  return present({
    ...params,
    refund_fee: formatAmount(reversedMinor, trade.transCurrency),
    gmt_refund: beijing(trade.closedAt),
  });
}

/** Parameters of a refund notification (a successful refund with is_sync=N); `trade` is after the refund. */
export function refundNotificationParams(trade: Trade, refund: Refund): NotificationParams {
  return present({
    ...tradeParams(trade, 'refundFPAction'),
    partner_refund_id: refund.partnerRefundId,
    refund_amount: formatAmount(refund.amountMinor, refund.currency),
    refund_fee: formatAmount(refund.amountMinor, refund.currency),
    refund_currency: refund.currency,
    refund_amount_cny: isHkStyle(trade)
      ? undefined
      : formatAmount(cnyMinor(trade, refund.amountMinor), 'CNY'),
    refund_reason: refund.reason ?? undefined,
    refund_status: 'REFUND_SUCCESS',
    gmt_refund: beijing(refund.createdAt),
  });
}
