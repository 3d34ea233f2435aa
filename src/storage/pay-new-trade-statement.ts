import { sql, type Kysely, type Selectable } from 'kysely';
import { ALIPAY_TRANS_ID_SEQUENCE, alipayTransIdPrefix } from '../ledger/alipay-trans-id.js';
import type { PayNewTradeOutcome, UnnumberedTrade } from '../ledger/ledger-store.js';
import { alipayTransIdSql } from './alipay-trans-id-sql.js';
import { payerRowForCode } from './buyer-queries.js';
import { precompile } from './precompiled-query.js';
import type { Database, TradesTable } from './schema.js';
import {
  rowToTrade,
  selectTrade,
  TRADE_COLUMNS,
  unnumberedTradeToRow,
  type UnnumberedTradeRow,
} from './trade-queries.js';

/** The unique constraint that makes (partner, partner_trans_id) the pay's idempotency key (migration 001). */
const IDEMPOTENCY_KEY = 'trades_partner_trans_id_uq';

/**
 * True when err is PostgreSQL refusing a pay's trade because a concurrent pay of the same
 * partner_trans_id committed first: the whole statement (debit, sequence and all) was undone.
 */
export function isLostPayRace(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e?.code === '23505' && e.constraint === IDEMPOTENCY_KEY;
}

/** The trade's columns that the statement fills in from the payer (numberTrade's fields). */
const FROM_PAYER = {
  buyer_user_id: 'payer.user_id',
  buyer_login_id: 'payer.login_id',
  payment_inst: 'payer.wallet',
} as const;

type PayParams = UnnumberedTradeRow & { id_prefix: string };

/** The trade's columns the caller gives (all but the id and FROM_PAYER), and the id's prefix. */
const PARAMS: (keyof PayParams)[] = [
  ...TRADE_COLUMNS.filter(
    (column): column is keyof UnnumberedTradeRow => column !== 'alipay_trans_id' && !(column in FROM_PAYER),
  ),
  'id_prefix',
];

/**
 * LedgerStore.payNewTrade as one statement of data-modifying CTEs: one round trip, and with no
 * transaction around it, its own transaction. Its parts share one snapshot and run in no defined
 * order, so each writes only what the one before it returned: `debit` only for the `payer` when
 * `existing` is empty, `seq` only when `debit` took the money, `paid` (the trade) only from `debit`
 * and `seq`. The trade's INSERT has no ON CONFLICT: a concurrent pay of the same partner_trans_id that
 * committed first makes it fail with a unique violation, which undoes the whole statement, debit
 * included (isLostPayRace). Locks: the balance row, then the sequence row, then the trade's key, held
 * until the commit. Every transaction that takes a balance and a sequence row takes the balance first
 * (the wallet's pay of a merchant QR code, a resolution's debit before its notification), so none
 * waits in a circle with a pay.
 */
const PAY_NEW_TRADE = precompile(PARAMS, (db, p: PayParams) =>
  db
    .with('payer', (qc) => payerRowForCode(qc, p.buyer_identity_code))
    .with('existing', (qc) =>
      qc
        .selectFrom('trades')
        .selectAll()
        .where('partner', '=', p.partner)
        .where('partner_trans_id', '=', p.partner_trans_id),
    )
    .with('debit', (qc) =>
      qc
        .updateTable('buyer_balances')
        .set((eb) => ({ amount_minor: eb('amount_minor', '-', p.amount_minor) }))
        .where('user_id', '=', (eb) => eb.selectFrom('payer').select('payer.user_id'))
        .where('currency', '=', p.trans_currency)
        .where((eb) => eb(eb('amount_minor', '-', p.amount_minor), '>=', sql.lit(0)))
        .where((eb) => eb.not(eb.exists(eb.selectFrom('existing').select(sql.lit(1).as('one')))))
        .returning('buyer_balances.user_id'),
    )
    .with('seq', (qc) =>
      qc
        .insertInto('sequences')
        .columns(['name', 'value'])
        .expression((eb) =>
          eb
            .selectFrom('debit')
            .select([sql.lit(ALIPAY_TRANS_ID_SEQUENCE).as('name'), sql.lit(1).as('value')]),
        )
        .onConflict((oc) =>
          oc.column('name').doUpdateSet((eb) => ({ value: eb('sequences.value', '+', sql.lit(1)) })),
        )
        .returning('sequences.value'),
    )
    .with('paid', (qc) =>
      qc
        .insertInto('trades')
        .columns(TRADE_COLUMNS)
        .expression((eb) =>
          eb.selectFrom(['payer', 'debit', 'seq']).select(
            TRADE_COLUMNS.map((column) => {
              if (column === 'alipay_trans_id') {
                const id = alipayTransIdSql(
                  eb.val(p.id_prefix),
                  sql.ref('payer.user_id'),
                  sql.ref('seq.value'),
                );
                return id.as(column);
              }
              if (column in FROM_PAYER)
                return sql.ref(FROM_PAYER[column as keyof typeof FROM_PAYER]).as(column);
              return eb.val(p[column as keyof UnnumberedTradeRow]).as(column);
            }),
          ),
        )
        .returningAll(),
    )
    // One row whatever happened: whether there is a payer, and the trade paid or found, if any.
    .selectFrom(sql<{ one: number }>`(select 1)`.as('one'))
    .leftJoin('payer', (join) => join.onTrue())
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('paid')
          .selectAll()
          .select(sql.lit('paid').as('outcome'))
          .unionAll(eb.selectFrom('existing').selectAll().select(sql.lit('exists').as('outcome')))
          .as('trade'),
      (join) => join.onTrue(),
    )
    .selectAll('trade')
    .select('payer.user_id as payer_user_id'),
);

/** LedgerStore.payNewTrade on PostgreSQL (PAY_NEW_TRADE); inside a transaction or as one of its own. */
export async function payNewTradeStatement(
  db: Kysely<Database>,
  trade: UnnumberedTrade,
): Promise<PayNewTradeOutcome> {
  const params = { ...unnumberedTradeToRow(trade), id_prefix: alipayTransIdPrefix(trade.createdAt) };
  const row = (await PAY_NEW_TRADE.execute(db, params)).rows[0];
  if (row === undefined || row.payer_user_id === null) return { kind: 'no-buyer' };
  if (row.outcome === 'paid' || row.outcome === 'exists') {
    const { outcome, payer_user_id: _, ...columns } = row;
    return { kind: outcome, trade: rowToTrade(columns as Selectable<TradesTable>) };
  }
  // The debit may have waited for a concurrent pay of the same buyer and then seen its balance, but
  // this statement's snapshot cannot see that pay's trade. A new statement sees what has committed:
  // when it was a pay of this very partner_trans_id, the answer is its replay, as it would have been
  // had this pay come second. Only refused pays pay for this read.
  const committed = await selectTrade(db, trade.partner, { partnerTransId: trade.partnerTransId });
  return committed ? { kind: 'exists', trade: committed } : { kind: 'insufficient' };
}
