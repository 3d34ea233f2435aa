import type { Kysely, Selectable } from 'kysely';
import { toFlag, toMillis } from './columns.js';
import type { Database, RefundsTable } from './schema.js';
import type { Refund } from '../ledger/model.js';

function rowToRefund(row: Selectable<RefundsTable>): Refund {
  return {
    partner: row.partner,
    partnerRefundId: row.partner_refund_id,
    alipayTransId: row.alipay_trans_id,
    partnerTransId: row.partner_trans_id,
    amountMinor: row.amount_minor,
    currency: row.currency,
    reason: row.reason,
    isSync: row.is_sync === 1,
    notifyUrl: row.notify_url,
    createdAt: new Date(row.created_at),
  };
}

/** The refund with this key, if any. */
export async function selectRefund(
  db: Kysely<Database>,
  partner: string,
  partnerRefundId: string,
): Promise<Refund | undefined> {
  const row = await db
    .selectFrom('refunds')
    .selectAll()
    .where('partner', '=', partner)
    .where('partner_refund_id', '=', partnerRefundId)
    .executeTakeFirst();
  return row && rowToRefund(row);
}

/** Refunds of one trade, oldest first. */
export async function selectRefunds(db: Kysely<Database>, alipayTransId: string): Promise<Refund[]> {
  const rows = await db
    .selectFrom('refunds')
    .selectAll()
    .where('alipay_trans_id', '=', alipayTransId)
    .orderBy('created_at')
    .orderBy('partner_refund_id')
    .execute();
  return rows.map(rowToRefund);
}

/** Inserts the refund unless (partner, partnerRefundId) exists; true when inserted. */
export async function insertRefundRow(db: Kysely<Database>, r: Refund): Promise<boolean> {
  const result = await db
    .insertInto('refunds')
    .values({
      partner: r.partner,
      partner_refund_id: r.partnerRefundId,
      alipay_trans_id: r.alipayTransId,
      partner_trans_id: r.partnerTransId,
      amount_minor: r.amountMinor,
      currency: r.currency,
      reason: r.reason,
      is_sync: toFlag(r.isSync),
      notify_url: r.notifyUrl,
      created_at: toMillis(r.createdAt),
    })
    .onConflict((oc) => oc.columns(['partner', 'partner_refund_id']).doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}
