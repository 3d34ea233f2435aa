import type { Kysely, Selectable, Updateable } from 'kysely';
import { toFlag, toMillis } from './columns.js';
import type { Database, MerchantQrCodesTable } from './schema.js';
import type { MerchantQrCode, MerchantQrPatch } from '../ledger/merchant-qr.js';

/** The unique slot of a live code: one per store and fee kind (docs/protocol.md §12.5). */
function slotOf(partner: string, storeId: string, withFee: boolean): string {
  return `${partner}|${withFee ? 'fee' : 'nofee'}|${storeId}`;
}

function rowToCode(row: Selectable<MerchantQrCodesTable>): MerchantQrCode {
  return {
    id: row.id,
    partner: row.partner,
    storeId: row.store_id,
    withFee: row.with_fee === 1,
    status: row.status,
    bizData: row.biz_data,
    storeName: row.store_name,
    currency: row.currency,
    transCurrency: row.trans_currency,
    notifyUrl: row.notify_url,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** The partner's code by id; forUpdate adds FOR UPDATE (only on dialects with row locks). */
export async function selectMerchantQr(
  db: Kysely<Database>,
  partner: string,
  id: string,
  forUpdate = false,
): Promise<MerchantQrCode | undefined> {
  const row = await db
    .selectFrom('merchant_qr_codes')
    .selectAll()
    .where('partner', '=', partner)
    .where('id', '=', id)
    .$if(forUpdate, (q) => q.forUpdate())
    .executeTakeFirst();
  return row && rowToCode(row);
}

/** The live code of a store and fee kind, locked when forUpdate. */
export async function selectStoreMerchantQr(
  db: Kysely<Database>,
  partner: string,
  storeId: string,
  withFee: boolean,
  forUpdate = false,
): Promise<MerchantQrCode | undefined> {
  const row = await db
    .selectFrom('merchant_qr_codes')
    .selectAll()
    .where('slot', '=', slotOf(partner, storeId, withFee))
    .$if(forUpdate, (q) => q.forUpdate())
    .executeTakeFirst();
  return row && rowToCode(row);
}

/** Inserts the code unless its store's slot is taken; true when inserted. */
export async function insertMerchantQrRow(db: Kysely<Database>, c: MerchantQrCode): Promise<boolean> {
  const result = await db
    .insertInto('merchant_qr_codes')
    .values({
      id: c.id,
      partner: c.partner,
      slot: c.status === 'DELETE' ? null : slotOf(c.partner, c.storeId, c.withFee),
      store_id: c.storeId,
      with_fee: toFlag(c.withFee),
      status: c.status,
      biz_data: c.bizData,
      store_name: c.storeName,
      currency: c.currency,
      trans_currency: c.transCurrency,
      notify_url: c.notifyUrl,
      created_at: toMillis(c.createdAt),
      updated_at: toMillis(c.updatedAt),
    })
    .onConflict((oc) => oc.column('slot').doNothing())
    .executeTakeFirst();
  return (result.numInsertedOrUpdatedRows ?? 0n) > 0n;
}

/** Applies the patch; a deleted code gives up its store slot, so the store may create a new one. */
export async function updateMerchantQrRow(
  db: Kysely<Database>,
  partner: string,
  id: string,
  p: MerchantQrPatch,
): Promise<void> {
  const row: Updateable<MerchantQrCodesTable> = {
    status: p.status,
    biz_data: p.bizData,
    store_name: p.storeName,
    currency: p.currency,
    trans_currency: p.transCurrency,
    notify_url: p.notifyUrl,
    updated_at: p.updatedAt && toMillis(p.updatedAt),
  };
  if (p.status === 'DELETE') row.slot = null;
  if (Object.values(row).every((v) => v === undefined)) return;
  await db
    .updateTable('merchant_qr_codes')
    .set(row)
    .where('partner', '=', partner)
    .where('id', '=', id)
    .execute();
}
