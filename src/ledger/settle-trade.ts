import type { TradeEvents } from './trade-events.js';
import { timeDrivenPatch, type LedgerPolicy } from './trade-lifecycle.js';
import type { LedgerStore, LedgerTx } from './ledger-store.js';
import type { Clock } from '../clock.js';
import { merchantNow } from './sandbox-clock.js';
import type { Trade } from './model.js';

/**
 * Applies what time alone has done to a locked trade (a due mock-rule resolution, auto-close of an
 * unpaid trade, end of the refund period) and returns the trade as it now is. Done lazily on every read, so the sandbox
 * clock, not a background timer, decides. A paid or closed trade queues its notification in the same
 * transaction, with the `notify` of the rule that scripted the resolution.
 */
export async function settleTrade(
  tx: LedgerTx,
  trade: Trade,
  now: Date,
  policy: LedgerPolicy,
  notifications?: TradeEvents,
): Promise<Trade> {
  const queue = notifications?.withDirective(trade.resolution?.notify);
  const resolved = await resolvePending(tx, trade, now);
  if (resolved) {
    await queue?.tradeChanged(tx, trade, resolved);
    return resolved;
  }
  const patch = timeDrivenPatch(trade, now, policy);
  if (!patch) return trade;
  await tx.updateTrade(trade.alipayTransId, patch);
  const settled = { ...trade, ...patch };
  await queue?.tradeChanged(tx, trade, settled);
  return settled;
}

/**
 * The trade as the sandbox clock has it now: applies a due resolution, auto-close or end of the refund
 * window exactly as the next gateway read of the trade would (settleTrade).
 */
export async function settledTrade(
  store: LedgerStore,
  clock: Clock,
  policy: LedgerPolicy,
  partner: string,
  id: string,
  notifications?: TradeEvents,
): Promise<Trade | undefined> {
  const now = await merchantNow(store, clock, partner);
  return store.transaction(async (tx) => {
    const found =
      (await tx.getTradeForUpdate(partner, { alipayTransId: id })) ??
      (await tx.getTradeForUpdate(partner, { partnerTransId: id }));
    return found && settleTrade(tx, found, now, policy, notifications);
  });
}

/**
 * Whether settleTrade would change this trade at `now`. A read that finds nothing to settle needs no
 * transaction; when this says yes, the caller re-reads the trade locked and settles that.
 */
export function needsSettling(trade: Trade, now: Date, policy: LedgerPolicy): boolean {
  return resolutionDue(trade, now) || timeDrivenPatch(trade, now, policy) !== null;
}

/** Whether a pending trade's scripted resolution is due (its time or query count is reached). */
function resolutionDue(trade: Trade, now: Date): boolean {
  const r = trade.resolution;
  if (trade.status !== 'WAIT_BUYER_PAY' || !r) return false;
  return (r.at !== null && r.at <= now) || (r.afterQueries !== null && trade.queryCount >= r.afterQueries);
}

/**
 * Resolves a pending trade created by a mock rule once its time or query count is reached: "paid"
 * debits the buyer (closing the trade if the balance is short), "closed" closes it unpaid.
 */
async function resolvePending(tx: LedgerTx, trade: Trade, now: Date): Promise<Trade | undefined> {
  const r = trade.resolution;
  if (!r || !resolutionDue(trade, now)) return undefined;
  const at = r.at !== null && r.at <= now ? r.at : now;
  const paid =
    r.to === 'paid' && (await tx.adjustBalance(trade.buyerUserId, trade.transCurrency, -trade.amountMinor));
  const patch: Partial<Trade> = paid
    ? { status: 'TRADE_SUCCESS', paidAt: at, expiresAt: null, resolution: null }
    : { status: 'TRADE_CLOSED', closedAt: at, closeReason: 'timeout', expiresAt: null, resolution: null };
  await tx.updateTrade(trade.alipayTransId, patch);
  return { ...trade, ...patch };
}
