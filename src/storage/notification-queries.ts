import { sql, type ExpressionBuilder, type Insertable, type Kysely, type Selectable } from 'kysely';
import { fromMillisOrNull, toFlag, toMillis } from './columns.js';
import type { Database, NotificationAttemptsTable, NotificationsTable } from './schema.js';
import type {
  NewNotification,
  Notification,
  NotificationAttempt,
  NotificationAttemptResult,
  NotificationFilter,
  NotificationStatus,
  NotifyAction,
  NotifyMode,
} from '../ports/notification-outbox.js';

// Every change of a claimed notification is conditional on its claim token, so an instance whose
// lease ran out (and whose notification another instance took over) can no longer write to it.

/** Page size of listNotifications when none is given, and the most it returns. */
export const DEFAULT_NOTIFICATION_LIMIT = 50;
export const MAX_NOTIFICATION_LIMIT = 500;

function rowToNotification(row: Selectable<NotificationsTable>): Notification {
  return {
    id: row.id,
    seq: row.seq,
    partner: row.partner,
    notifyId: row.notify_id,
    url: row.url,
    params: JSON.parse(row.params_json) as Record<string, string>,
    action: row.action as NotifyAction,
    alipayTransId: row.alipay_trans_id,
    partnerTransId: row.partner_trans_id,
    partnerRefundId: row.partner_refund_id,
    mode: row.mode as NotifyMode,
    status: row.status as NotificationStatus,
    attempts: row.attempts,
    nextAttemptAt: new Date(row.next_attempt_at),
    held: row.held === 1,
    copyOf: row.copy_of,
    createdAt: new Date(row.created_at),
    deliveredAt: fromMillisOrNull(row.delivered_at),
    lastSentAt: fromMillisOrNull(row.last_sent_at),
  };
}

function rowToAttempt(row: Selectable<NotificationAttemptsTable>): NotificationAttempt {
  return {
    notificationId: row.notification_id,
    attempt: row.attempt,
    at: new Date(row.at),
    requestBody: row.request_body,
    responseStatus: row.response_status,
    responseBody: row.response_body,
    error: row.error,
    durationMs: row.duration_ms,
  };
}

/** Queues a notification (inside the ledger transaction that caused it). */
export async function insertNotificationRow(db: Kysely<Database>, n: NewNotification): Promise<void> {
  const row: Insertable<NotificationsTable> = {
    id: n.id,
    seq: n.seq,
    partner: n.partner,
    notify_id: n.notifyId,
    url: n.url,
    params_json: JSON.stringify(n.params),
    action: n.action,
    alipay_trans_id: n.alipayTransId,
    partner_trans_id: n.partnerTransId,
    partner_refund_id: n.partnerRefundId,
    mode: n.mode,
    status: n.status,
    attempts: 0,
    next_attempt_at: toMillis(n.nextAttemptAt),
    held: toFlag(n.held),
    claimed_until: null,
    claim_token: null,
    copy_of: n.copyOf,
    created_at: toMillis(n.createdAt),
    delivered_at: null,
    last_sent_at: null,
  };
  await db.insertInto('notifications').values(row).execute();
}

/** Due, pending and not claimed by a live lease: what a delivery round may claim. */
function claimableAt(now: number) {
  return (eb: ExpressionBuilder<Database, 'notifications'>) =>
    eb.and([
      eb('status', '=', 'pending'),
      eb('next_attempt_at', '<=', now),
      eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]),
    ]);
}

/**
 * Claims up to `limit` due notifications for one delivery round, in queueing order, but no more of one
 * merchant than brings its live claims (deliveries in flight on any instance) to `perPartner`: one
 * merchant's stuck receivers then hold at most that many workers. The UPDATE re-checks every condition
 * on each row, so of several instances racing for the same notification exactly one gets it (two
 * instances claiming in the same instant may each give a merchant its share).
 */
export async function claimDueNotificationRows(
  db: Kysely<Database>,
  opts: { now: Date; leaseUntil: Date; token: string; limit: number; perPartner?: number | undefined },
): Promise<Notification[]> {
  const now = toMillis(opts.now);
  const share = opts.perPartner ?? Number.MAX_SAFE_INTEGER;
  const claimable = claimableAt(now);
  const ranked = db
    .selectFrom('notifications')
    .where(claimable)
    .select([
      'id',
      'partner',
      'next_attempt_at',
      'seq',
      sql<number>`row_number() over (partition by partner order by next_attempt_at, seq)`.as('turn'),
    ]);
  const busy = db
    .selectFrom('notifications')
    .select((eb) => ['partner', eb.fn.countAll().as('live')])
    .where('status', '=', 'pending')
    .where('claimed_until', '>=', now)
    .groupBy('partner');
  const picked = db
    .selectFrom(ranked.as('r'))
    .leftJoin(busy.as('b'), 'b.partner', 'r.partner')
    .select('r.id')
    .where(sql<number>`r.turn + coalesce(b.live, 0)`, '<=', share)
    .orderBy('r.next_attempt_at')
    .orderBy('r.seq')
    .limit(opts.limit);
  await db
    .updateTable('notifications')
    .set({ claimed_until: toMillis(opts.leaseUntil), claim_token: opts.token })
    .where('id', 'in', picked)
    .where(claimable)
    .execute();
  const rows = await db
    .selectFrom('notifications')
    .selectAll()
    .where('claim_token', '=', opts.token)
    .orderBy('next_attempt_at')
    .orderBy('seq')
    .execute();
  return rows.map(rowToNotification);
}

/** Records the sandbox time an attempt starts, while the claim holds; false when it was lost. */
export async function markNotificationSentRow(
  db: Kysely<Database>,
  id: string,
  token: string,
  sentAt: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('notifications')
    .set({ last_sent_at: toMillis(sentAt) })
    .where('id', '=', id)
    .where('claim_token', '=', token)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Records a finished attempt and moves the notification on (run in a transaction). When it is
 * finished for good, notifications of the same trade held back by `out_of_order` become due.
 */
export async function finishNotificationAttemptRows(
  trx: Kysely<Database>,
  id: string,
  token: string,
  result: NotificationAttemptResult,
): Promise<boolean> {
  const now = toMillis(result.now);
  const updated = await trx
    .updateTable('notifications')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      status: result.status,
      next_attempt_at:
        result.status === 'pending' && result.nextAttemptAt ? toMillis(result.nextAttemptAt) : now,
      delivered_at: result.status === 'delivered' ? now : null,
      claimed_until: null,
      claim_token: null,
    }))
    .where('id', '=', id)
    .where('claim_token', '=', token)
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) return false;
  const row = await trx
    .selectFrom('notifications')
    .select(['attempts', 'partner', 'alipay_trans_id'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  const a = result.attempt;
  await trx
    .insertInto('notification_attempts')
    .values({
      notification_id: id,
      attempt: row.attempts,
      at: toMillis(a.at),
      request_body: a.requestBody,
      response_status: a.responseStatus,
      response_body: a.responseBody,
      error: a.error,
      duration_ms: a.durationMs,
    })
    .execute();
  if (result.status !== 'pending') {
    await trx
      .updateTable('notifications')
      .set({ held: 0, next_attempt_at: now })
      .where('partner', '=', row.partner)
      .where('alipay_trans_id', '=', row.alipay_trans_id)
      .where('held', '=', 1)
      .where('status', '=', 'pending')
      .where('id', '<>', id)
      .execute();
  }
  return true;
}

/** Gives a claimed notification back untouched (the instance stops before the attempt finished). */
export async function releaseNotificationClaimRow(
  db: Kysely<Database>,
  id: string,
  token: string,
): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ claimed_until: null, claim_token: null })
    .where('id', '=', id)
    .where('claim_token', '=', token)
    .execute();
}

/** One merchant's notifications, newest first. */
export async function selectNotifications(
  db: Kysely<Database>,
  filter: NotificationFilter,
): Promise<Notification[]> {
  const requested = Math.trunc(filter.limit ?? DEFAULT_NOTIFICATION_LIMIT);
  const limit = Number.isNaN(requested)
    ? DEFAULT_NOTIFICATION_LIMIT
    : Math.min(Math.max(requested, 1), MAX_NOTIFICATION_LIMIT);
  const { tradeId, notifyId, status } = filter;
  const rows = await db
    .selectFrom('notifications')
    .selectAll()
    .where('partner', '=', filter.partner)
    .$if(tradeId !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('alipay_trans_id', '=', tradeId as string),
          eb('partner_trans_id', '=', tradeId as string),
        ]),
      ),
    )
    .$if(notifyId !== undefined, (q) => q.where('notify_id', '=', notifyId as string))
    .$if(status !== undefined, (q) => q.where('status', '=', status as string))
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map(rowToNotification);
}

/** One notification of one merchant. */
export async function selectNotification(
  db: Kysely<Database>,
  partner: string,
  id: string,
): Promise<Notification | undefined> {
  const row = await db
    .selectFrom('notifications')
    .selectAll()
    .where('partner', '=', partner)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && rowToNotification(row);
}

/** The attempts of these notifications, by notification and attempt number. */
export async function selectNotificationAttempts(
  db: Kysely<Database>,
  ids: readonly string[],
): Promise<NotificationAttempt[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('notification_attempts')
    .selectAll()
    .where('notification_id', 'in', ids)
    .orderBy('notification_id')
    .orderBy('attempt')
    .execute();
  return rows.map(rowToAttempt);
}

/** Makes a notification due now again, whatever its status (an admin's resend). */
export async function resendNotificationRow(
  db: Kysely<Database>,
  partner: string,
  id: string,
  now: Date,
): Promise<Notification | undefined> {
  await db
    .updateTable('notifications')
    .set({ status: 'pending', next_attempt_at: toMillis(now), held: 0 })
    .where('partner', '=', partner)
    .where('id', '=', id)
    .execute();
  return selectNotification(db, partner, id);
}

/** Deletes all but the newest maxEntries finished notifications (and their attempts); returns how many. */
export async function pruneNotificationRows(trx: Kysely<Database>, maxEntries: number): Promise<number> {
  const cutoff = await trx
    .selectFrom('notifications')
    .select('seq')
    .where('status', '<>', 'pending')
    .orderBy('seq', 'desc')
    .offset(maxEntries)
    .limit(1)
    .executeTakeFirst();
  if (cutoff === undefined) return 0;
  const old = trx
    .selectFrom('notifications')
    .select('id')
    .where('status', '<>', 'pending')
    .where('seq', '<=', cutoff.seq);
  await trx.deleteFrom('notification_attempts').where('notification_id', 'in', old).execute();
  const deleted = await trx
    .deleteFrom('notifications')
    .where('status', '<>', 'pending')
    .where('seq', '<=', cutoff.seq)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

/** Deletes one merchant's notifications and their attempts (merchant reset). */
export async function deleteNotificationsOf(trx: Kysely<Database>, partner: string): Promise<void> {
  await trx
    .deleteFrom('notification_attempts')
    .where(
      'notification_id',
      'in',
      trx.selectFrom('notifications').select('id').where('partner', '=', partner),
    )
    .execute();
  await trx.deleteFrom('notifications').where('partner', '=', partner).execute();
}
