import type { LedgerStore } from '../ledger/ledger-store.js';
import type { Clock } from '../clock.js';

import type { TradeEvents } from '../ledger/trade-events.js';
import { merchantNow } from '../ledger/sandbox-clock.js';
import type { Trade } from '../ledger/model.js';

/** The states a tester may force a trade into. */
export const FORCED_TRADE_STATES = ['TRADE_SUCCESS', 'TRADE_CLOSED', 'TRADE_FINISHED'] as const;

/** One of FORCED_TRADE_STATES. */
export type ForcedTradeState = (typeof FORCED_TRADE_STATES)[number];

/** What forcing a trade's state did. */
export type ForceTradeStateResult =
  { ok: true; trade: Trade } | { ok: false; reason: 'not_found' | 'balance_too_low' };

/** A merchant's trade by Alipay's id or by the merchant's own id (partner_trans_id). */
export async function findTrade(store: LedgerStore, partner: string, id: string): Promise<Trade | undefined> {
  return (
    (await store.getTrade(partner, { alipayTransId: id })) ??
    (await store.getTrade(partner, { partnerTransId: id }))
  );
}

class BalanceTooLow extends Error {}

/**
 * Forces a trade into a final state (docs/admin-api.md, "Trades"): paying a pending trade debits the
 * buyer like the buyer's confirmation would, closing records the time, and either notifies like the
 * real transition would (docs/notifications.md). The one implementation behind
 * POST /api/merchants/:partner/trades/:id/state and the console's "resolve" buttons.
 */
export async function forceTradeState(
  store: LedgerStore,
  clock: Clock,
  partner: string,
  id: string,
  status: ForcedTradeState,
  notifications?: TradeEvents,
): Promise<ForceTradeStateResult> {
  const now = await merchantNow(store, clock, partner);
  try {
    const trade = await store.transaction(async (tx) => {
      const found =
        (await tx.getTradeForUpdate(partner, { alipayTransId: id })) ??
        (await tx.getTradeForUpdate(partner, { partnerTransId: id }));
      if (!found) return undefined;
      const patch: Partial<Trade> = { status, resolution: null, expiresAt: null };
      if (status === 'TRADE_SUCCESS' && found.status === 'WAIT_BUYER_PAY') {
        if (!(await tx.adjustBalance(found.buyerUserId, found.transCurrency, -found.amountMinor))) {
          throw new BalanceTooLow();
        }
        patch.paidAt = now;
      }
      if (status === 'TRADE_CLOSED' && found.status !== 'TRADE_CLOSED') {
        patch.closedAt = now;
        patch.closeReason = 'timeout';
      }
      await tx.updateTrade(found.alipayTransId, patch);
      await notifications?.tradeChanged(tx, found, { ...found, ...patch });
      return { ...found, ...patch };
    });
    return trade ? { ok: true, trade } : { ok: false, reason: 'not_found' };
  } catch (err) {
    if (err instanceof BalanceTooLow) return { ok: false, reason: 'balance_too_low' };
    throw err;
  }
}
