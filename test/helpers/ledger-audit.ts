import { openStore } from '../../src/storage/open-store.js';
import type { Store } from '../../src/storage/store.js';
import type { Refund, Trade } from '../../src/ledger/model.js';
import type { SharedStore } from './sandbox-process.js';
import { TEST_PG_URL } from './store-matrix.js';

/** A trade with its refunds, as the ledger holds them. */
export interface AuditedTrade {
  trade: Trade;
  refunds: Refund[];
}

/** Opens the store the instances share, from the test process (a small pool on PostgreSQL). */
export function openShared(shared: SharedStore & { path?: string; schema?: string }): Promise<Store> {
  if (shared.path !== undefined) return openStore(`sqlite:${shared.path}`);
  return openStore(TEST_PG_URL, { schema: shared.schema, poolSize: 2 });
}

/** Every trade of a merchant with its refunds (pages through listTrades). */
export async function readLedger(store: Store, partner: string): Promise<AuditedTrade[]> {
  const trades: Trade[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await store.listTrades({ partner, limit: 500, ...(before ? { before } : {}) });
    trades.push(...page);
    if (page.length < 500) break;
    before = page[page.length - 1]?.alipayTransId;
  }
  const audited: AuditedTrade[] = [];
  for (const trade of trades) audited.push({ trade, refunds: await store.listRefunds(trade.alipayTransId) });
  return audited;
}

/**
 * What is wrong with one trade's ledger entry (empty when it is consistent): refunds add up to
 * refundedMinor, never above the amount, and the status agrees with the amounts.
 */
export function tradeProblems({ trade, refunds }: AuditedTrade): string[] {
  const problems: string[] = [];
  const say = (what: string) => problems.push(`${trade.partnerTransId} (${trade.status}): ${what}`);
  const refunded = refunds.reduce((sum, r) => sum + r.amountMinor, 0);
  if (refunded !== trade.refundedMinor)
    say(`refunds add up to ${refunded}, refundedMinor is ${trade.refundedMinor}`);
  if (trade.refundedMinor > trade.amountMinor)
    say(`refunded ${trade.refundedMinor} > amount ${trade.amountMinor}`);
  if (refunds.some((r) => r.currency !== trade.transCurrency)) say('a refund in another currency');
  const fullyRefunded = trade.amountMinor > 0 && trade.refundedMinor === trade.amountMinor;
  const closedByRefund = trade.status === 'TRADE_CLOSED' && trade.closeReason === 'refund';
  if (closedByRefund !== fullyRefunded)
    say(`closed by refund: ${closedByRefund}, fully refunded: ${fullyRefunded}`);
  switch (trade.status) {
    case 'WAIT_BUYER_PAY':
      if (trade.refundedMinor !== 0 || trade.paidAt !== null) say('unpaid but refunded or paid');
      break;
    case 'TRADE_SUCCESS':
      if (trade.paidAt === null || trade.closedAt !== null) say('paid without paidAt, or with closedAt');
      break;
    case 'TRADE_CLOSED':
      if (trade.closedAt === null || trade.closeReason === null) say('closed without closedAt or reason');
      if (trade.closeReason === 'cancel' && refunds.length > 0) say('cancelled but has refunds');
      break;
    case 'TRADE_FINISHED':
      break;
  }
  return problems;
}

/** Every problem of every trade. */
export function ledgerProblems(ledger: readonly AuditedTrade[]): string[] {
  return ledger.flatMap(tradeProblems);
}
