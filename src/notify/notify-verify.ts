import type { LedgerStore } from '../ledger/ledger-store.js';
import type { NotificationOutbox } from '../ports/notification-outbox.js';
import type { Clock } from '../clock.js';
import { merchantNow } from '../ledger/sandbox-clock.js';

/**
 * notify_verify is true for a notify_id the sandbox sent to that partner, while its validity lasts
 * on the partner's sandbox clock, counted from the latest attempt (every retry renews it). A queued
 * notification that was never sent (delayed, suppressed) is not genuine yet.
 */
export function createNotifyVerifier(
  store: NotificationOutbox & Pick<LedgerStore, 'getMerchantClock'>,
  clock: Clock,
  validitySeconds: number,
): (partner: string, notifyId: string) => Promise<boolean> {
  return async (partner, notifyId) => {
    const sent = await store.listNotifications({ partner, notifyId, limit: 10 });
    const times = sent.flatMap((n) => (n.lastSentAt ? [n.lastSentAt.getTime()] : []));
    if (times.length === 0) return false;
    const now = (await merchantNow(store, clock, partner)).getTime();
    return now - Math.max(...times) <= validitySeconds * 1000;
  };
}
