import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Types are chosen to mean the same on SQLite and PostgreSQL: `text`, `integer` for 0/1 flags,
// `bigint` for money (minor units) and times (epoch milliseconds). There is deliberately no
// foreign key from trades to merchants: deleting a merchant must keep its ledger.

async function createMerchantsAndBuyers(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('merchants')
    .addColumn('partner', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('md5_key', 'text', (c) => c.notNull())
    .addColumn('rsa_public_key', 'text')
    .addColumn('sign_types', 'text', (c) => c.notNull())
    .addColumn('currencies', 'text', (c) => c.notNull())
    .addColumn('services', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('buyers')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('login_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('wallet', 'text', (c) => c.notNull())
    // NULLs never collide in a UNIQUE constraint on either dialect, so many buyers may lack a code.
    .addColumn('payment_code', 'text', (c) => c.unique())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('buyer_balances')
    .addColumn('user_id', 'text', (c) => c.notNull().references('buyers.user_id').onDelete('cascade'))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('buyer_balances_pk', ['user_id', 'currency'])
    // A last line of defence: adjustBalance already refuses debits below zero.
    .addCheckConstraint('buyer_balances_non_negative', sql`amount_minor >= 0`)
    .execute();
}

async function createLedger(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('trades')
    .addColumn('alipay_trans_id', 'text', (c) => c.primaryKey())
    .addColumn('partner', 'text', (c) => c.notNull())
    .addColumn('partner_trans_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('buyer_user_id', 'text', (c) => c.notNull())
    .addColumn('buyer_login_id', 'text', (c) => c.notNull())
    .addColumn('buyer_identity_code', 'text', (c) => c.notNull())
    .addColumn('payment_inst', 'text', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('trans_currency', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('refunded_minor', 'bigint', (c) => c.notNull())
    .addColumn('exchange_rate', 'text', (c) => c.notNull())
    .addColumn('trans_forex_rate', 'text', (c) => c.notNull())
    .addColumn('trans_name', 'text', (c) => c.notNull())
    .addColumn('notify_url', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('paid_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('expires_at', 'bigint')
    .addColumn('close_reason', 'text')
    .addColumn('cancel_action', 'text')
    // Idempotency of spot pay is this key, not a read-then-write.
    .addUniqueConstraint('trades_partner_trans_id_uq', ['partner', 'partner_trans_id'])
    .execute();
  await db.schema
    .createIndex('trades_partner_created_at_idx')
    .on('trades')
    .columns(['partner', 'created_at'])
    .execute();

  await db.schema
    .createTable('refunds')
    .addColumn('partner', 'text', (c) => c.notNull())
    .addColumn('partner_refund_id', 'text', (c) => c.notNull())
    .addColumn('alipay_trans_id', 'text', (c) => c.notNull())
    .addColumn('partner_trans_id', 'text', (c) => c.notNull())
    .addColumn('amount_minor', 'bigint', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('is_sync', 'integer', (c) => c.notNull())
    .addColumn('notify_url', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('refunds_pk', ['partner', 'partner_refund_id'])
    .execute();
  await db.schema
    .createIndex('refunds_alipay_trans_id_idx')
    .on('refunds')
    .column('alipay_trans_id')
    .execute();

  await db.schema
    .createTable('sequences')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();
}

/** Initial schema: merchants, buyers and balances, trades, refunds, sequences. */
export const ledgerMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await createMerchantsAndBuyers(db);
    await createLedger(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['sequences', 'refunds', 'trades', 'buyer_balances', 'buyers', 'merchants']) {
      await db.schema.dropTable(table).execute();
    }
  },
};
