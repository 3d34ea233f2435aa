import type { LedgerStore } from '../ledger/ledger-store.js';
import type { Clock } from '../clock.js';
import type { LedgerPolicy } from '../ledger/trade-lifecycle.js';
import { settledTrade } from '../ledger/settle-trade.js';
import { merchantNow } from '../ledger/sandbox-clock.js';
import type { Trade } from '../ledger/model.js';
import type { NotificationQueue } from './notification-queue.js';

/** At most this many unpaid trades are looked at per sweep (they are few: unpaid trades close after minutes). */
const MAX_PAGES = 10;
const PAGE = 500;

/** What settling needs: the ledger, the clocks, the status-machine limits and the outbox. */
export interface SettleContext {
  store: LedgerStore;
  clock: Clock;
  policy: LedgerPolicy;
  notifications: NotificationQueue;
}

function isDue(trade: Trade, now: Date): boolean {
  const at = trade.resolution?.at ?? null;
  return (at !== null && at <= now) || (trade.expiresAt !== null && trade.expiresAt <= now);
}

/**
 * Trades settle lazily when they are read (ledger/settle-trade.ts), but a notification must not
 * wait for a query: this sweep settles unpaid trades with a notify_url whose scripted resolution or
 * auto-close is due on their merchant's sandbox clock. Several instances may sweep at once; the
 * row lock (or SQLite's write lock) makes the second find nothing left to do. Returns how many settled.
 */
export async function settleDueTrades(ctx: SettleContext, onlyPartner?: string): Promise<number> {
  const nowOf = new Map<string, Date>();
  let settled = 0;
  let before: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const trades = await ctx.store.listTrades({
      status: 'WAIT_BUYER_PAY',
      limit: PAGE,
      ...(onlyPartner === undefined ? {} : { partner: onlyPartner }),
      ...(before === undefined ? {} : { before }),
    });
    for (const trade of trades) {
      if (trade.notifyUrl === null) continue;
      let now = nowOf.get(trade.partner);
      if (now === undefined) {
        now = await merchantNow(ctx.store, ctx.clock, trade.partner);
        nowOf.set(trade.partner, now);
      }
      if (!isDue(trade, now)) continue;
      const { store, clock, policy, notifications } = ctx;
      const after = await settledTrade(
        store,
        clock,
        policy,
        trade.partner,
        trade.alipayTransId,
        notifications,
      );
      if (after && after.status !== 'WAIT_BUYER_PAY') settled += 1;
    }
    if (trades.length < PAGE) break;
    before = trades.at(-1)?.alipayTransId;
  }
  return settled;
}
