import type { Kysely } from 'kysely';
import { ALIPAY_TRANS_ID_SEQUENCE } from '../ledger/alipay-trans-id.js';
import type { Payer, PayNewTradeOutcome, UnnumberedTrade } from '../ledger/ledger-store.js';
import { numberTrade } from '../ledger/number-trade.js';
import { adjustBalanceRow, debitBalanceRowReturning, selectPayerForCode } from './buyer-queries.js';
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
 *
 * A payer's balance in a currency is debited by the first pay of the batch that uses it, which learns
 * what is left; the batch's next pays from it are checked against that and debited in memory, and
 * written as one statement when the batch is done (a statement a pay fewer, docs/performance-history.md).
 * Nothing else writes the balance meanwhile: the transaction holds SQLite's write lock.
 */
export async function payNewTradesSteps(
  db: Kysely<Database>,
  trades: readonly UnnumberedTrade[],
): Promise<PayNewTradeOutcome[]> {
  const payers = new Map<string, Payer | undefined>();
  const purses = new Map<string, Purse>();
  const outcomes: PayNewTradeOutcome[] = [];
  for (const trade of trades) {
    const code = trade.buyerIdentityCode;
    let payer = payers.get(code);
    if (payer === undefined && !payers.has(code)) {
      payer = await selectPayerForCode(db, code);
      payers.set(code, payer);
    }
    outcomes.push(await payOne(db, trade, payer, purses));
  }
  await writePurses(db, purses);
  return outcomes;
}

/** One payer's balance in one currency during a batch: what is left, and what is yet to be taken. */
interface Purse {
  userId: string;
  currency: string;
  left: number;
  /** Taken in memory since the balance's row was debited; written by writePurses (negative: given back). */
  unwritten: number;
}

async function payOne(
  db: Kysely<Database>,
  trade: UnnumberedTrade,
  payer: Payer | undefined,
  purses: Map<string, Purse>,
): Promise<PayNewTradeOutcome> {
  if (!payer) return { kind: 'no-buyer' };
  const purse = await debit(db, purses, payer.userId, trade);
  if (purse === false) {
    // Nothing has been taken. A replay is answered as one whatever the balance.
    const existing = await foundTrade(db, trade);
    return existing ? { kind: 'exists', trade: existing } : { kind: 'insufficient' };
  }
  const number = await nextSequenceValue(db, ALIPAY_TRANS_ID_SEQUENCE);
  const paid = numberTrade(trade, payer, number);
  if (await insertTradeRow(db, paid)) return { kind: 'paid', trade: paid };
  giveBackTradeNumber(db, number);
  if (purse !== undefined) {
    purse.left += trade.amountMinor;
    purse.unwritten -= trade.amountMinor;
  }
  const existing = await foundTrade(db, trade);
  if (!existing) throw new Error(`trade ${trade.partnerTransId} refused as a duplicate, then not found`);
  return { kind: 'exists', trade: existing };
}

/**
 * Takes the trade's amount from its payer's balance: from the row for the batch's first pay of that
 * balance, else from what that left. Returns the purse it was taken from (undefined for an amount of
 * zero, which takes nothing), or false when the balance is missing or too low.
 */
async function debit(
  db: Kysely<Database>,
  purses: Map<string, Purse>,
  userId: string,
  trade: UnnumberedTrade,
): Promise<Purse | undefined | false> {
  const amount = trade.amountMinor;
  if (!Number.isSafeInteger(amount) || amount < 0)
    throw new RangeError(`amount must be a whole number ≥ 0, got ${amount}`);
  if (amount === 0) return undefined;
  const key = `${userId}\u0000${trade.transCurrency}`;
  const purse = purses.get(key);
  if (purse === undefined) {
    const left = await debitBalanceRowReturning(db, userId, trade.transCurrency, amount);
    if (left === undefined) return false;
    const taken: Purse = { userId, currency: trade.transCurrency, left, unwritten: 0 };
    purses.set(key, taken);
    return taken;
  }
  if (purse.left < amount) return false;
  purse.left -= amount;
  purse.unwritten += amount;
  return purse;
}

/** Writes what the batch took from each balance in memory (or gave back): one statement a balance. */
async function writePurses(db: Kysely<Database>, purses: ReadonlyMap<string, Purse>): Promise<void> {
  for (const { userId, currency, unwritten } of purses.values()) {
    if (unwritten === 0) continue;
    if (!(await adjustBalanceRow(db, userId, currency, -unwritten)))
      throw new Error(`the balance of ${userId} in ${currency} changed during a batch of pays`);
  }
}

/** The trade the pay's partner_trans_id already has, if any. */
function foundTrade(db: Kysely<Database>, trade: UnnumberedTrade) {
  return selectTrade(db, trade.partner, { partnerTransId: trade.partnerTransId });
}
