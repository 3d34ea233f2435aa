import type { Kysely } from 'kysely';
import { ALIPAY_TRANS_ID_SEQUENCE } from '../ledger/alipay-trans-id.js';
import type { Payer, PayNewTradeOutcome, UnnumberedTrade } from '../ledger/ledger-store.js';
import { numberTrade } from '../ledger/number-trade.js';
import { adjustBalanceRow, selectPayerForCode } from './buyer-queries.js';
import type { Database } from './schema.js';
import { giveBackTradeNumber, nextSequenceValue } from './sequence-queries.js';
import { insertTradeRow, selectTrade } from './trade-queries.js';

/**
 * LedgerStore.payNewTrade on SQLite for several trades at once, in their order, one query a step:
 * what the PostgreSQL function pay_new_trades does (migration 016), where a statement costs
 * microseconds. Run it in a transaction: SQLite's write lock then keeps every other pay out until
 * the commit, and the pays of a batch share its savepoint, their payers' reads and the turn's commit.
 * A replay (a partner_trans_id that has a trade) is found by the trade's unique key when it is
 * inserted, not by a read before: a new pay, the common case, saves a statement; a replay then gives
 * back its debit and its number.
 */
export async function payNewTradesSteps(
  db: Kysely<Database>,
  trades: readonly UnnumberedTrade[],
): Promise<PayNewTradeOutcome[]> {
  const payers = new Map<string, Payer | undefined>();
  const outcomes: PayNewTradeOutcome[] = [];
  for (const trade of trades) {
    const code = trade.buyerIdentityCode;
    let payer = payers.get(code);
    if (payer === undefined && !payers.has(code)) {
      payer = await selectPayerForCode(db, code);
      payers.set(code, payer);
    }
    outcomes.push(await payOne(db, trade, payer));
  }
  return outcomes;
}

async function payOne(
  db: Kysely<Database>,
  trade: UnnumberedTrade,
  payer: Payer | undefined,
): Promise<PayNewTradeOutcome> {
  if (!payer) return { kind: 'no-buyer' };
  if (!(await adjustBalanceRow(db, payer.userId, trade.transCurrency, -trade.amountMinor))) {
    // Nothing has been written. A replay is answered as one whatever the balance.
    const existing = await foundTrade(db, trade);
    return existing ? { kind: 'exists', trade: existing } : { kind: 'insufficient' };
  }
  const number = await nextSequenceValue(db, ALIPAY_TRANS_ID_SEQUENCE);
  const paid = numberTrade(trade, payer, number);
  if (await insertTradeRow(db, paid)) return { kind: 'paid', trade: paid };
  giveBackTradeNumber(db, number);
  await adjustBalanceRow(db, payer.userId, trade.transCurrency, trade.amountMinor);
  const existing = await foundTrade(db, trade);
  if (!existing) throw new Error(`trade ${trade.partnerTransId} refused as a duplicate, then not found`);
  return { kind: 'exists', trade: existing };
}

/** The trade the pay's partner_trans_id already has, if any. */
function foundTrade(db: Kysely<Database>, trade: UnnumberedTrade) {
  return selectTrade(db, trade.partner, { partnerTransId: trade.partnerTransId });
}
