import { sql, type Kysely, type Selectable, type Updateable } from 'kysely';
import { fromMillisOrNull, toMillis, toMillisOrNull } from './columns.js';
import { precompile } from './precompiled-query.js';
import type { Database, TradesTable } from './schema.js';
import type { TradeFilter, TradeKey, UnnumberedTrade } from '../ledger/ledger-store.js';
import type { Trade, TradeResolution } from '../ledger/model.js';

/** Fields of a trade that updateTrade may change. */
export type TradePatch = Partial<Omit<Trade, 'alipayTransId' | 'partner'>>;

/** Page size of listTrades when none is given, and the most it returns. */
export const DEFAULT_TRADE_LIMIT = 50;
export const MAX_TRADE_LIMIT = 500;

/** The resolution column: JSON text with `at` in epoch milliseconds, like every other time. */
interface ResolutionJson {
  to: TradeResolution['to'];
  at: number | null;
  afterQueries: number | null;
  notify?: TradeResolution['notify'];
}

function resolutionText(r: TradeResolution | null): string | null {
  if (r === null) return null;
  const json: ResolutionJson = { to: r.to, at: toMillisOrNull(r.at), afterQueries: r.afterQueries };
  if (r.notify) json.notify = r.notify;
  return JSON.stringify(json);
}

function parseResolution(text: string | null): TradeResolution | null {
  if (text === null) return null;
  const json = JSON.parse(text) as ResolutionJson;
  const resolution: TradeResolution = {
    to: json.to,
    at: fromMillisOrNull(json.at),
    afterQueries: json.afterQueries,
  };
  if (json.notify) resolution.notify = json.notify;
  return resolution;
}

/** A `trades` row as the ledger's Trade. */
export function rowToTrade(row: Selectable<TradesTable>): Trade {
  return {
    alipayTransId: row.alipay_trans_id,
    partner: row.partner,
    partnerTransId: row.partner_trans_id,
    status: row.status,
    buyerUserId: row.buyer_user_id,
    buyerLoginId: row.buyer_login_id,
    buyerIdentityCode: row.buyer_identity_code,
    paymentInst: row.payment_inst,
    currency: row.currency,
    transCurrency: row.trans_currency,
    amountMinor: row.amount_minor,
    refundedMinor: row.refunded_minor,
    exchangeRate: row.exchange_rate,
    transForexRate: row.trans_forex_rate,
    transName: row.trans_name,
    notifyUrl: row.notify_url,
    createdAt: new Date(row.created_at),
    paidAt: fromMillisOrNull(row.paid_at),
    closedAt: fromMillisOrNull(row.closed_at),
    expiresAt: fromMillisOrNull(row.expires_at),
    closeReason: row.close_reason,
    cancelAction: row.cancel_action,
    resolution: parseResolution(row.resolution),
    queryCount: row.query_count,
  };
}

// Undefined fields are left out: Kysely skips undefined values in SET.
function patchToRow(p: TradePatch): Updateable<TradesTable> {
  const millis = (d: Date | null | undefined) => (d === undefined ? undefined : toMillisOrNull(d));
  return {
    partner_trans_id: p.partnerTransId,
    status: p.status,
    buyer_user_id: p.buyerUserId,
    buyer_login_id: p.buyerLoginId,
    buyer_identity_code: p.buyerIdentityCode,
    payment_inst: p.paymentInst,
    currency: p.currency,
    trans_currency: p.transCurrency,
    amount_minor: p.amountMinor,
    refunded_minor: p.refundedMinor,
    exchange_rate: p.exchangeRate,
    trans_forex_rate: p.transForexRate,
    trans_name: p.transName,
    notify_url: p.notifyUrl,
    created_at: p.createdAt && toMillis(p.createdAt),
    paid_at: millis(p.paidAt),
    closed_at: millis(p.closedAt),
    expires_at: millis(p.expiresAt),
    close_reason: p.closeReason,
    cancel_action: p.cancelAction,
    resolution: p.resolution === undefined ? undefined : resolutionText(p.resolution),
    query_count: p.queryCount,
  };
}

// selectTrade's four shapes (by either id, with or without FOR UPDATE), compiled once: every query
// and pay reads a trade.
function tradeBy(column: 'alipay_trans_id' | 'partner_trans_id') {
  const shape = (forUpdate: boolean) =>
    precompile(['partner', 'id'], (db, p: { partner: string; id: string }) =>
      db
        .selectFrom('trades')
        .selectAll()
        .where('partner', '=', p.partner)
        .where(column, '=', p.id)
        .$if(forUpdate, (q) => q.forUpdate()),
    );
  return { plain: shape(false), locked: shape(true) };
}
const TRADE_BY_ALIPAY_ID = tradeBy('alipay_trans_id');
const TRADE_BY_PARTNER_ID = tradeBy('partner_trans_id');

/**
 * The partner's trade by alipayTransId when given (it wins), else by partnerTransId; forUpdate
 * adds FOR UPDATE (pass it only on dialects with row locks).
 */
export async function selectTrade(
  db: Kysely<Database>,
  partner: string,
  key: TradeKey,
  forUpdate = false,
): Promise<Trade | undefined> {
  const id = key.alipayTransId ?? key.partnerTransId;
  if (id === undefined) return undefined;
  const by = key.alipayTransId !== undefined ? TRADE_BY_ALIPAY_ID : TRADE_BY_PARTNER_ID;
  const row = (await (forUpdate ? by.locked : by.plain).execute(db, { partner, id })).rows[0];
  return row && rowToTrade(row);
}

/** Trades matching filter, newest first, strictly older than the `before` cursor when given. */
export async function selectTrades(db: Kysely<Database>, filter: TradeFilter): Promise<Trade[]> {
  const requested = Math.trunc(filter.limit ?? DEFAULT_TRADE_LIMIT);
  const limit = Number.isNaN(requested)
    ? DEFAULT_TRADE_LIMIT
    : Math.min(Math.max(requested, 1), MAX_TRADE_LIMIT);
  let query = db.selectFrom('trades').selectAll();
  if (filter.partner !== undefined) query = query.where('partner', '=', filter.partner);
  // An unknown status simply matches nothing; the admin API validates it before it gets here. The
  // unpaid status is written into the SQL: the partial index of unpaid trades (migration 015) serves a
  // query only when its WHERE says so itself, not through a bound parameter.
  if (filter.status === 'WAIT_BUYER_PAY') query = query.where('status', '=', sql.lit('WAIT_BUYER_PAY'));
  else if (filter.status !== undefined)
    query = query.where('status', '=', filter.status as TradesTable['status']);
  if (filter.before !== undefined) {
    const cursor = await db
      .selectFrom('trades')
      .select(['created_at', 'alipay_trans_id'])
      .where('alipay_trans_id', '=', filter.before)
      .executeTakeFirst();
    // An unknown cursor has nothing "before" it; returning page one again would loop a pager.
    if (cursor === undefined) return [];
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', cursor.created_at),
        eb.and([
          eb('created_at', '=', cursor.created_at),
          eb('alipay_trans_id', '<', cursor.alipay_trans_id),
        ]),
      ]),
    );
  }
  // alipay_trans_id breaks ties between trades created in the same millisecond, keeping pages stable.
  const rows = await query
    .orderBy('created_at', 'desc')
    .orderBy('alipay_trans_id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(rowToTrade);
}

/** Inserts the trade unless (partner, partnerTransId) exists; true when inserted. */
export async function insertTradeRow(db: Kysely<Database>, t: Trade): Promise<boolean> {
  const result = await INSERT_TRADE.execute(db, tradeToRow(t));
  return (result.numAffectedRows ?? 0n) > 0n;
}

function tradeToRow(t: Trade): TradesTable {
  return {
    alipay_trans_id: t.alipayTransId,
    buyer_user_id: t.buyerUserId,
    buyer_login_id: t.buyerLoginId,
    payment_inst: t.paymentInst,
    ...unnumberedTradeToRow(t),
  };
}

/** The columns of a trade that LedgerStore.payNewTrade is given (it chooses the payer and the id). */
export type UnnumberedTradeRow = Omit<
  TradesTable,
  'alipay_trans_id' | 'buyer_user_id' | 'buyer_login_id' | 'payment_inst'
>;

/** An UnnumberedTrade as the values of its columns. */
export function unnumberedTradeToRow(t: UnnumberedTrade): UnnumberedTradeRow {
  return {
    partner: t.partner,
    partner_trans_id: t.partnerTransId,
    status: t.status,
    buyer_identity_code: t.buyerIdentityCode,
    currency: t.currency,
    trans_currency: t.transCurrency,
    amount_minor: t.amountMinor,
    refunded_minor: t.refundedMinor,
    exchange_rate: t.exchangeRate,
    trans_forex_rate: t.transForexRate,
    trans_name: t.transName,
    notify_url: t.notifyUrl,
    created_at: toMillis(t.createdAt),
    paid_at: toMillisOrNull(t.paidAt),
    closed_at: toMillisOrNull(t.closedAt),
    expires_at: toMillisOrNull(t.expiresAt),
    close_reason: t.closeReason,
    cancel_action: t.cancelAction,
    resolution: resolutionText(t.resolution),
    query_count: t.queryCount,
  };
}

/** Every column of `trades`, the parameters of INSERT_TRADE (the type makes sure none is missing). */
export const TRADE_COLUMNS = Object.keys({
  alipay_trans_id: true,
  partner: true,
  partner_trans_id: true,
  status: true,
  buyer_user_id: true,
  buyer_login_id: true,
  buyer_identity_code: true,
  payment_inst: true,
  currency: true,
  trans_currency: true,
  amount_minor: true,
  refunded_minor: true,
  exchange_rate: true,
  trans_forex_rate: true,
  trans_name: true,
  notify_url: true,
  created_at: true,
  paid_at: true,
  closed_at: true,
  expires_at: true,
  close_reason: true,
  cancel_action: true,
  resolution: true,
  query_count: true,
} satisfies Record<keyof TradesTable, true>) as (keyof TradesTable)[];

const INSERT_TRADE = precompile(TRADE_COLUMNS, (db, row: TradesTable) =>
  db
    .insertInto('trades')
    .values(row)
    // Only the idempotency key is a "duplicate"; a clash on alipay_trans_id is a bug and must throw.
    .onConflict((oc) => oc.columns(['partner', 'partner_trans_id']).doNothing()),
);

/** Applies patch to the trade; a no-op for an empty patch or an unknown id. */
export async function updateTradeRow(
  db: Kysely<Database>,
  alipayTransId: string,
  patch: TradePatch,
): Promise<void> {
  const row = patchToRow(patch);
  if (Object.values(row).every((v) => v === undefined)) return;
  await db.updateTable('trades').set(row).where('alipay_trans_id', '=', alipayTransId).execute();
}
