import type { Kysely, Selectable, Updateable } from 'kysely';
import { parseList, toMillis } from './columns.js';
import type { Database, MerchantsTable } from './schema.js';
import type { NewMerchant } from '../ledger/ledger-store.js';
import type { Merchant } from '../ledger/model.js';

/** Fields of a merchant that updateMerchant may change. */
export type MerchantPatch = Partial<Omit<NewMerchant, 'partner'>>;

/** A merchants row as the domain Merchant. */
export function rowToMerchant(row: Selectable<MerchantsTable>): Merchant {
  return {
    partner: row.partner,
    name: row.name,
    md5Key: row.md5_key,
    rsaPublicKey: row.rsa_public_key,
    signTypes: parseList(row.sign_types),
    currencies: parseList(row.currencies),
    services: parseList(row.services),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

// Undefined fields are left out: Kysely skips undefined values in SET.
function patchToRow(patch: MerchantPatch): Updateable<MerchantsTable> {
  return {
    name: patch.name,
    md5_key: patch.md5Key,
    rsa_public_key: patch.rsaPublicKey,
    sign_types: patch.signTypes && JSON.stringify(patch.signTypes),
    currencies: patch.currencies && JSON.stringify(patch.currencies),
    services: patch.services && JSON.stringify(patch.services),
  };
}

/** The merchant with this partner id, if any. */
export async function selectMerchant(db: Kysely<Database>, partner: string): Promise<Merchant | undefined> {
  const row = await db.selectFrom('merchants').selectAll().where('partner', '=', partner).executeTakeFirst();
  return row && rowToMerchant(row);
}

/** Every merchant, oldest first. */
export async function selectMerchants(db: Kysely<Database>): Promise<Merchant[]> {
  const rows = await db
    .selectFrom('merchants')
    .selectAll()
    .orderBy('created_at')
    .orderBy('partner')
    .execute();
  return rows.map(rowToMerchant);
}

/** Inserts a merchant; a duplicate partner surfaces as the dialect's unique violation. */
export async function insertMerchant(
  db: Kysely<Database>,
  merchant: NewMerchant,
  now: Date,
): Promise<Merchant> {
  const row: MerchantsTable = {
    partner: merchant.partner,
    name: merchant.name,
    md5_key: merchant.md5Key,
    rsa_public_key: merchant.rsaPublicKey,
    sign_types: JSON.stringify(merchant.signTypes),
    currencies: JSON.stringify(merchant.currencies),
    services: JSON.stringify(merchant.services),
    created_at: toMillis(now),
    updated_at: toMillis(now),
  };
  await db.insertInto('merchants').values(row).execute();
  return rowToMerchant(row);
}

/** Applies patch to the merchant and returns it, or undefined when there is no such merchant. */
export async function updateMerchantRow(
  db: Kysely<Database>,
  partner: string,
  patch: MerchantPatch,
  now: Date,
): Promise<Merchant | undefined> {
  const row = await db
    .updateTable('merchants')
    .set({ ...patchToRow(patch), updated_at: toMillis(now) })
    .where('partner', '=', partner)
    .returningAll()
    .executeTakeFirst();
  return row && rowToMerchant(row);
}

/** Deletes the merchant (never its trades); true when a row went away. */
export async function deleteMerchantRow(db: Kysely<Database>, partner: string): Promise<boolean> {
  const result = await db.deleteFrom('merchants').where('partner', '=', partner).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
