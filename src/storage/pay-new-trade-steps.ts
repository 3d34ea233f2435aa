import type { Kysely } from 'kysely';
import { ALIPAY_TRANS_ID_SEQUENCE } from '../ledger/alipay-trans-id.js';
import type { PayNewTradeOutcome, UnnumberedTrade } from '../ledger/ledger-store.js';
import { numberTrade } from '../ledger/number-trade.js';
import { adjustBalanceRow, selectPayerForCode } from './buyer-queries.js';
import type { Database } from './schema.js';
import { nextSequenceValue } from './sequence-queries.js';
import { insertTradeRow, selectTrade } from './trade-queries.js';

/**
 * Thrown by payNewTradeSteps when the trade's partner_trans_id already has a trade: its transaction
 * is then rolled back (the debit and the number drawn with it), and the caller reads the trade found
 * (foundTrade).
 */
export class TradeFoundError extends Error {
  constructor(partnerTransId: string) {
    super(`trade ${partnerTransId} exists`);
    this.name = 'TradeFoundError';
  }
}

/**
 * LedgerStore.payNewTrade on SQLite, where a statement costs microseconds and has no data-modifying
 * CTEs: the steps of the PostgreSQL statement, one query each. Run it in a transaction: SQLite's
 * write lock then keeps every other pay out from the first step to the commit. A replay (a
 * partner_trans_id that has a trade) is found by the trade's unique key when it is inserted, not by
 * a read before: a new pay, the common case, saves a statement (about 2.5 µs, docs/performance.md),
 * and a replay throws TradeFoundError, which undoes its writes with the transaction.
 */
export async function payNewTradeSteps(
  db: Kysely<Database>,
  trade: UnnumberedTrade,
): Promise<PayNewTradeOutcome> {
  const payer = await selectPayerForCode(db, trade.buyerIdentityCode);
  if (!payer) return { kind: 'no-buyer' };
  if (!(await adjustBalanceRow(db, payer.userId, trade.transCurrency, -trade.amountMinor))) {
    // Nothing has been written. A replay is answered as one whatever the balance.
    const existing = await foundTrade(db, trade);
    return existing ? { kind: 'exists', trade: existing } : { kind: 'insufficient' };
  }
  const paid = numberTrade(trade, payer, await nextSequenceValue(db, ALIPAY_TRANS_ID_SEQUENCE));
  if (!(await insertTradeRow(db, paid))) throw new TradeFoundError(trade.partnerTransId);
  return { kind: 'paid', trade: paid };
}

/** The trade the pay's partner_trans_id already has, if any. */
export function foundTrade(db: Kysely<Database>, trade: UnnumberedTrade) {
  return selectTrade(db, trade.partner, { partnerTransId: trade.partnerTransId });
}
