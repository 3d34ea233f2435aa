import { sql, type Kysely, type Selectable } from 'kysely';
import { ALIPAY_TRANS_ID_SEQUENCE, alipayTransIdPrefix } from '../ledger/alipay-trans-id.js';
import type { PayNewTradeOutcome, UnnumberedTrade } from '../ledger/ledger-store.js';
import { precompile } from './precompiled-query.js';
import type { Database, TradesTable } from './schema.js';
import { rowToTrade, unnumberedTradeToRow } from './trade-queries.js';

/** A row of pay_new_trades: the outcome of the pay at index `ord` of the call. */
interface PayRow {
  ord: number;
  outcome: PayNewTradeOutcome['kind'];
  /** The trade paid or found, as JSON (pg parses it); null for the other outcomes. */
  trade: Selectable<TradesTable> | null;
}

interface PayParams {
  /** The trades' columns and each one's `id_prefix`, as a JSON array. */
  pays: string;
  sequence: string;
}

// The function of migration 016, which holds the pay's SQL and says how it locks.
const PAY_NEW_TRADES = precompile(['pays', 'sequence'], (db, p: PayParams) =>
  db
    .selectFrom(sql<PayRow>`pay_new_trades(${p.pays}::jsonb, ${p.sequence})`.as('pay'))
    .select(['pay.ord', 'pay.outcome', 'pay.trade']),
);

function toOutcome(row: PayRow): PayNewTradeOutcome {
  if (row.outcome === 'paid' || row.outcome === 'exists') {
    if (row.trade === null) throw new Error(`pay_new_trades answered ${row.outcome} without its trade`);
    return { kind: row.outcome, trade: rowToTrade(row.trade) };
  }
  return { kind: row.outcome };
}

/**
 * LedgerStore.payNewTrade on PostgreSQL for several trades at once, in their order: one call of
 * pay_new_trades, one round trip, and with no transaction around it, one transaction of its own.
 */
export async function payNewTradesCall(
  db: Kysely<Database>,
  trades: readonly UnnumberedTrade[],
): Promise<PayNewTradeOutcome[]> {
  const pays = trades.map((trade) => ({
    ...unnumberedTradeToRow(trade),
    id_prefix: alipayTransIdPrefix(trade.createdAt),
  }));
  const params = { pays: JSON.stringify(pays), sequence: ALIPAY_TRANS_ID_SEQUENCE };
  const { rows } = await PAY_NEW_TRADES.execute(db, params);
  const outcomes = trades.map((): PayNewTradeOutcome | undefined => undefined);
  for (const row of rows) outcomes[row.ord] = toOutcome(row);
  if (rows.length !== trades.length || outcomes.includes(undefined))
    throw new Error(`pay_new_trades answered ${rows.length} rows for ${trades.length} pays`);
  return outcomes as PayNewTradeOutcome[];
}
