import { timeDrivenPatch, type LedgerPolicy } from '../ledger/trade-lifecycle.js';
import type { LedgerTx } from '../storage/store.js';
import type { Trade } from '../storage/types.js';

/**
 * Applies what time alone has done to a locked trade (auto-close of an unpaid trade, end of the
 * refund period) and returns the trade as it now is. Done lazily on every read, so the sandbox
 * clock, not a background timer, decides.
 */
export async function settleTrade(
  tx: LedgerTx,
  trade: Trade,
  now: Date,
  policy: LedgerPolicy,
): Promise<Trade> {
  const patch = timeDrivenPatch(trade, now, policy);
  if (!patch) return trade;
  await tx.updateTrade(trade.alipayTransId, patch);
  return { ...trade, ...patch };
}
