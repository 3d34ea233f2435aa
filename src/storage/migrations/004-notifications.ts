import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// Same portable types as 001-ledger.ts: times are epoch-millisecond BIGINTs, flags INTEGER 0/1.
// next_attempt_at, claimed_until, created_at, delivered_at and attempt times are process time;
// last_sent_at is the merchant's sandbox time (notify_verify compares it with the sandbox clock).

async function createNotifications(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // From the shared `sequences` table: the order notifications were queued in, across instances.
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('partner', 'text', (c) => c.notNull())
    .addColumn('notify_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('params_json', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('alipay_trans_id', 'text', (c) => c.notNull())
    .addColumn('partner_trans_id', 'text', (c) => c.notNull())
    .addColumn('partner_refund_id', 'text')
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0))
    // A delivering instance's lease: another instance may take the notification over once it passed.
    .addColumn('claimed_until', 'bigint')
    .addColumn('claim_token', 'text')
    .addColumn('copy_of', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .addColumn('last_sent_at', 'bigint')
    .execute();
  const indexes: Array<[string, string[]]> = [
    // The delivery worker's claim: pending and due.
    ['notifications_due_idx', ['status', 'next_attempt_at', 'seq']],
    ['notifications_partner_seq_idx', ['partner', 'seq']],
    ['notifications_partner_notify_id_idx', ['partner', 'notify_id']],
    ['notifications_trade_idx', ['partner', 'alipay_trans_id']],
  ];
  for (const [name, columns] of indexes) {
    await db.schema.createIndex(name).on('notifications').columns(columns).execute();
  }
  // The delivery worker looks for unpaid trades whose resolution or auto-close is due (it settles them,
  // so their notifications go out without waiting for a query); WAIT_BUYER_PAY trades are few.
  await db.schema.createIndex('trades_status_idx').on('trades').column('status').execute();
}

async function createAttempts(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notification_attempts')
    .addColumn('notification_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('request_body', 'text', (c) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_attempts_pk', ['notification_id', 'attempt'])
    .execute();
}

/** The notification outbox and its delivery attempts (docs/notifications.md). */
export const notificationsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await createNotifications(db);
    await createAttempts(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('trades_status_idx').execute();
    await db.schema.dropTable('notification_attempts').execute();
    await db.schema.dropTable('notifications').execute();
  },
};
