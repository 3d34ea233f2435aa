import { beijingDay } from './beijing-time.js';
import type { Refund, Trade } from './model.js';

/** Time limits of the status machine, from configuration. */
export interface LedgerPolicy {
  /** An unpaid (WAIT_BUYER_PAY) trade closes after this long (docs' example: 3 minutes). */
  unpaidTimeoutMs: number;
  /** A paid trade becomes TRADE_FINISHED, and no longer refundable, this long after payment. */
  refundWindowMs: number;
}

/** Changes to a trade that the passing of time alone causes, or null when there are none. */
export function timeDrivenPatch(trade: Trade, now: Date, policy: LedgerPolicy): Partial<Trade> | null {
  if (trade.status === 'WAIT_BUYER_PAY' && trade.expiresAt && trade.expiresAt <= now) {
    return { status: 'TRADE_CLOSED', closedAt: trade.expiresAt, closeReason: 'timeout' };
  }
  if (trade.status === 'TRADE_SUCCESS' && trade.paidAt) {
    const end = new Date(trade.paidAt.getTime() + policy.refundWindowMs);
    if (end <= now) return { status: 'TRADE_FINISHED' };
  }
  return null;
}

/** What a pay request with an existing partner_trans_id gets (docs/reference/alipay-mapi-protocol.md §15). */
export type PayReplayDecision =
  | { kind: 'replay' }
  | { kind: 'error'; error: 'TRADE_BUYER_NOT_MATCH' | 'CONTEXT_INCONSISTENT' | 'TRADE_HAS_CLOSE' };

/** Decides a pay replay: same buyer, amount and currency replays; anything else is refused. */
export function decidePayReplay(
  trade: Trade,
  request: { buyerIdentityCode: string; amountMinor: number; currency: string; transCurrency: string },
): PayReplayDecision {
  if (trade.buyerIdentityCode !== request.buyerIdentityCode)
    return { kind: 'error', error: 'TRADE_BUYER_NOT_MATCH' };
  if (
    trade.amountMinor !== request.amountMinor ||
    trade.currency !== request.currency ||
    trade.transCurrency !== request.transCurrency
  ) {
    return { kind: 'error', error: 'CONTEXT_INCONSISTENT' };
  }
  if (trade.status === 'TRADE_CLOSED') return { kind: 'error', error: 'TRADE_HAS_CLOSE' };
  return { kind: 'replay' };
}

/** What a cancel does to a trade (docs/reference/alipay-mapi-protocol.md §4.3, §6.3). */
export type CancelDecision =
  | { kind: 'close' }
  | { kind: 'refund' }
  | { kind: 'replay'; action: 'close' | 'refund' }
  | { kind: 'error'; error: 'REFUND_AMT_NOT_EQUAL_TOTAL' | 'TRADE_STATUS_ERROR' | 'TRADE_HAS_FINISHED' };

/** Decides a cancel: close an unpaid trade, refund a paid one on its Beijing pay day, else refuse. */
export function decideCancel(trade: Trade, now: Date): CancelDecision {
  switch (trade.status) {
    case 'WAIT_BUYER_PAY':
      return { kind: 'close' };
    case 'TRADE_SUCCESS':
      if (trade.refundedMinor > 0) return { kind: 'error', error: 'REFUND_AMT_NOT_EQUAL_TOTAL' };
      if (!trade.paidAt || beijingDay(trade.paidAt) !== beijingDay(now)) {
        return { kind: 'error', error: 'TRADE_STATUS_ERROR' };
      }
      return { kind: 'refund' };
    case 'TRADE_CLOSED':
      // A cancel is idempotent: a trade already cancelled (or closed unpaid) answers SUCCESS again.
      if (trade.closeReason === 'cancel') return { kind: 'replay', action: trade.cancelAction ?? 'close' };
      if (trade.closeReason === 'timeout') return { kind: 'replay', action: 'close' };
      return { kind: 'error', error: 'TRADE_STATUS_ERROR' };
    case 'TRADE_FINISHED':
      return { kind: 'error', error: 'TRADE_HAS_FINISHED' };
  }
}

/** Business errors a refund can meet once the trade is found (docs/reference/alipay-mapi-protocol.md §7.3). */
export type RefundError =
  | 'TRADE_STATUS_ERROR'
  | 'TRADE_HAS_CLOSE'
  | 'REFUNDMENT_VALID_DATE_EXCEED'
  | 'CURRENCY_NOT_SAME'
  | 'REQUEST_AMOUNT_EXCEED'
  | 'RETURN_AMOUNT_EXCEED';

/** Checks a new refund against the trade; null when it may proceed. */
export function checkRefund(trade: Trade, amountMinor: number, currency: string): RefundError | null {
  if (trade.status === 'WAIT_BUYER_PAY') return 'TRADE_STATUS_ERROR';
  if (trade.status === 'TRADE_CLOSED') return 'TRADE_HAS_CLOSE';
  if (trade.status === 'TRADE_FINISHED') return 'REFUNDMENT_VALID_DATE_EXCEED';
  if (currency !== trade.transCurrency) return 'CURRENCY_NOT_SAME';
  if (amountMinor > trade.amountMinor) return 'REQUEST_AMOUNT_EXCEED';
  if (trade.refundedMinor + amountMinor > trade.amountMinor) return 'RETURN_AMOUNT_EXCEED';
  return null;
}

/** True when a repeated partner_refund_id carries the same content as the stored refund (§15). */
export function isSameRefund(
  refund: Refund,
  request: { partnerTransId: string; amountMinor: number; currency: string },
): boolean {
  return (
    refund.partnerTransId === request.partnerTransId &&
    refund.amountMinor === request.amountMinor &&
    refund.currency === request.currency
  );
}

/** The trade after a successful refund: fully refunded trades close (docs/reference/alipay-mapi-protocol.md §5.3). */
export function applyRefund(trade: Trade, amountMinor: number, now: Date): Partial<Trade> {
  const refundedMinor = trade.refundedMinor + amountMinor;
  if (refundedMinor < trade.amountMinor) return { refundedMinor };
  return { refundedMinor, status: 'TRADE_CLOSED', closedAt: now, closeReason: 'refund' };
}
