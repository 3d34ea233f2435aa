import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { NotifyDirective } from '../rules/outcome-schema.js';
import type { LedgerTx } from '../ledger/ledger-store.js';
import type { NewNotification, NotifyAction } from '../ports/notification-outbox.js';
import type { Trade } from '../ledger/model.js';
import type { TradeEvents } from '../ledger/trade-events.js';
import {
  refundNotificationParams,
  tradeNotificationParams,
  tradeNotifyAction,
  type NotificationParams,
} from './notification-params.js';

/** How long an `out_of_order` notification waits at most for a later one of its trade, by default. */
export const DEFAULT_OUT_OF_ORDER_HOLD_SECONDS = 60;

/** Name of the shared counter that orders notifications across instances. */
const NOTIFICATION_SEQUENCE = 'notification';

/**
 * Queues notifications in the outbox, inside the ledger transaction that caused them, so a
 * notification exists exactly when its ledger change committed (docs/notifications.md).
 */
export interface NotificationQueue extends TradeEvents {
  /** The same queue, applying a mock rule's `notify` to what it queues. */
  withDirective(directive: NotifyDirective | undefined): NotificationQueue;
}

/** A fresh notify_id: 32 lower-case hex digits, as in Alipay's documentation samples. */
export function newNotifyId(): string {
  return randomBytes(16).toString('hex');
}

interface Queued {
  partner: string;
  url: string;
  action: NotifyAction;
  params: NotificationParams;
  trade: Trade;
  partnerRefundId: string | null;
}

/** Creates the queue; `clock` is the process clock, which schedules the first attempt. */
export function createNotificationQueue(clock: Clock, directive?: NotifyDirective): NotificationQueue {
  async function queue(tx: LedgerTx, q: Queued): Promise<void> {
    const mode = directive?.mode ?? 'normal';
    const now = clock.now();
    const holdSeconds =
      mode === 'delay'
        ? (directive?.delaySeconds ?? 0)
        : mode === 'out_of_order'
          ? (directive?.delaySeconds ?? DEFAULT_OUT_OF_ORDER_HOLD_SECONDS)
          : 0;
    const notifyId = newNotifyId();
    const first: NewNotification = {
      id: randomUUID(),
      seq: await tx.nextSequence(NOTIFICATION_SEQUENCE),
      partner: q.partner,
      notifyId,
      url: q.url,
      params: { ...q.params, notify_id: notifyId },
      action: q.action,
      alipayTransId: q.trade.alipayTransId,
      partnerTransId: q.trade.partnerTransId,
      partnerRefundId: q.partnerRefundId,
      mode,
      // A suppressed notification is kept (never sent), so the outbox shows why nothing arrived.
      status: mode === 'suppress' ? 'suppressed' : 'pending',
      nextAttemptAt: new Date(now.getTime() + holdSeconds * 1000),
      held: mode === 'out_of_order',
      copyOf: null,
      createdAt: now,
    };
    await tx.insertNotification(first);
    if (mode === 'duplicate') {
      // The same notification (same notify_id) a second time, right after the first.
      await tx.insertNotification({
        ...first,
        id: randomUUID(),
        seq: await tx.nextSequence(NOTIFICATION_SEQUENCE),
        copyOf: first.id,
      });
    }
  }

  const self: NotificationQueue = {
    async tradeChanged(tx, before, after) {
      const action = tradeNotifyAction(before, after);
      if (action === null || after.notifyUrl === null) return;
      await queue(tx, {
        partner: after.partner,
        url: after.notifyUrl,
        action,
        params: tradeNotificationParams(after, action),
        trade: after,
        partnerRefundId: null,
      });
    },
    async refundSucceeded(tx, tradeAfter, refund) {
      // is_sync=Y never notifies; is_sync=N (or absent) notifies only a successful refund (§5.3, §12).
      if (refund.isSync || refund.notifyUrl === null) return;
      await queue(tx, {
        partner: refund.partner,
        url: refund.notifyUrl,
        action: 'refundFPAction',
        params: refundNotificationParams(tradeAfter, refund),
        trade: tradeAfter,
        partnerRefundId: refund.partnerRefundId,
      });
    },
    withDirective(next) {
      return next === undefined ? self : createNotificationQueue(clock, next);
    },
  };
  return self;
}
