import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { narrowOldDefaultServices, widenOldDefaultServices } from './default-services-upgrade.js';

// Same portable types as 001-ledger.ts: times are epoch-millisecond BIGINTs, flags INTEGER 0/1.

/** The services a merchant got by default before the merchant QR code services, in their stored order. */
const OLD_DEFAULT = [
  'alipay.acquire.overseas.spot.pay',
  'alipay.acquire.cancel',
  'alipay.acquire.overseas.spot.refund',
  'alipay.acquire.overseas.query',
  'alipay.acquire.precreate',
  'alipay.acquire.create',
];
/** The merchant QR code services (docs/protocol.md §12.5). */
const MERCHANT_QR_SERVICES = [
  'alipay.commerce.qrcode.create',
  'alipay.commerce.qrcode.modify',
  'alipay.commerce.qrcode.modifyStatus',
];

/**
 * Static merchant QR codes. `slot` holds partner, fee kind and store id while the code lives and is
 * NULL once it is deleted: its unique key keeps one live code per store and fee kind, atomically, on
 * every instance (both dialects allow many NULLs under a unique key). Merchants stored with the old
 * default six services get the three new ones, as migration 011 did for precreate and create.
 */
export const merchantQrCodesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('merchant_qr_codes')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('partner', 'text', (c) => c.notNull())
      .addColumn('slot', 'text', (c) => c.unique())
      .addColumn('store_id', 'text', (c) => c.notNull())
      .addColumn('with_fee', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('biz_data', 'text', (c) => c.notNull())
      .addColumn('store_name', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('trans_currency', 'text', (c) => c.notNull())
      .addColumn('notify_url', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('merchant_qr_codes_partner_idx')
      .on('merchant_qr_codes')
      .columns(['partner', 'id'])
      .execute();
    await widenOldDefaultServices(db, OLD_DEFAULT, MERCHANT_QR_SERVICES);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await narrowOldDefaultServices(db, OLD_DEFAULT, MERCHANT_QR_SERVICES);
    await db.schema.dropTable('merchant_qr_codes').execute();
  },
};
