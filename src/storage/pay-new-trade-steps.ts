import type { Kysely } from 'kysely';
import { ALIPAY_TRANS_ID_SEQUENCE } from '../ledger/alipay-trans-id.js';
import type { PayNewTradeOutcome, UnnumberedTrade } from '../ledger/ledger-store.js';
import { numberTrade } from '../ledger/number-trade.js';
import { adjustBalanceRow, selectPayerForCode } from './buyer-queries.js';
import type { Database } from './schema.js';
import { nextSequenceValue } from './sequence-queries.js';
import { insertTradeRow, selectTrade } from './trade-queries.js';

/**
 * LedgerStore.payNewTrade on SQLite, where a statement costs microseconds and has no data-modifying
 * CTEs: the same steps as the PostgreSQL statement, one query each. Run it in a transaction: SQLite's
 * write lock then keeps every other pay out from the first step to the commit.
 */
export async function payNewTradeSteps(
  db: Kysely<Database>,
  trade: UnnumberedTrade,
): Promise<PayNewTradeOutcome> {
  const payer = await selectPayerForCode(db, trade.buyerIdentityCode);
  if (!payer) return { kind: 'no-buyer' };
  const existing = await selectTrade(db, trade.partner, { partnerTransId: trade.partnerTransId });
  if (existing) return { kind: 'exists', trade: existing };
  // The debit first: when the balance is short, nothing has been written.
  if (!(await adjustBalanceRow(db, payer.userId, trade.transCurrency, -trade.amountMinor))) {
    return { kind: 'insufficient' };
  }
  const paid = numberTrade(trade, payer, await nextSequenceValue(db, ALIPAY_TRANS_ID_SEQUENCE));
  // Under the write lock no other pay can have inserted this key since the read above.
  if (!(await insertTradeRow(db, paid))) throw new Error(`trade ${trade.partnerTransId} appeared mid-pay`);
  return { kind: 'paid', trade: paid };
}
