import { setTimeout as sleep } from 'node:timers/promises';
import type { NotificationWorker } from '../notify/notification-worker.js';
import type { Store } from '../storage/store.js';
import type {
  Notification,
  NotificationAttempt,
  NotificationStatus,
  NotifyAction,
} from '../ports/notification-outbox.js';

/** Which notifications a test looks at; every given criterion must hold. */
export interface NotificationFilterInput {
  partnerTransId?: string;
  /** `payByAccountAction`, `closeTradeAction`, `reverseAction`, `refundFPAction`. */
  action?: NotifyAction;
  /** The `trade_status` parameter. */
  tradeStatus?: string;
  partnerRefundId?: string;
  notifyId?: string;
}

/** A notification in the outbox, with its attempts. */
export interface SandboxNotification extends Notification {
  attemptLog: NotificationAttempt[];
}

/** One attempt as the merchant saw it: what the sandbox sent, and what the merchant answered. */
export interface ReceivedNotification {
  notificationId: string;
  notifyId: string;
  url: string;
  action: NotifyAction;
  partnerTransId: string;
  partnerRefundId: string | null;
  /** 1 for the first attempt. */
  attempt: number;
  /** Process time of the attempt. */
  at: Date;
  /** The form parameters sent, `sign_type` and `sign` included. */
  params: Record<string, string>;
  /** null when no HTTP answer came. */
  responseStatus: number | null;
  responseBody: string | null;
  /** Why the attempt did not count as delivered (timeout, connection refused, another answer). */
  error: string | null;
  /** True when the merchant answered `success`. */
  delivered: boolean;
}

/** What `waitFor` waits for: a first attempt (default), delivery, failure for good, or either of the last two. */
export type WaitUntil = 'attempted' | 'delivered' | 'failed' | 'finished';

/** The sandbox's notifications to its merchant. */
export interface SandboxNotifications {
  /** Every attempt made, oldest first: the parameters sent and the merchant's answer. */
  received(filter?: NotificationFilterInput): Promise<ReceivedNotification[]>;
  /** The outbox (queued, retrying, delivered, failed, suppressed), oldest first, with attempts. */
  list(filter?: NotificationFilterInput & { status?: NotificationStatus }): Promise<SandboxNotification[]>;
  /**
   * Waits until a matching notification got that far (default: its first attempt was made), making the
   * delivery worker look at once; throws after `timeoutMs` (default 5000) listing the outbox.
   */
  waitFor(
    filter?: NotificationFilterInput,
    opts?: { until?: WaitUntil; timeoutMs?: number },
  ): Promise<SandboxNotification>;
  /** Delivers what is due now (and settles due unpaid trades) instead of waiting for the next poll. */
  deliverDue(): Promise<void>;
}

function matches(n: Notification, f: NotificationFilterInput): boolean {
  return (
    (f.partnerTransId === undefined || n.partnerTransId === f.partnerTransId) &&
    (f.action === undefined || n.action === f.action) &&
    (f.tradeStatus === undefined || n.params['trade_status'] === f.tradeStatus) &&
    (f.partnerRefundId === undefined || n.partnerRefundId === f.partnerRefundId) &&
    (f.notifyId === undefined || n.notifyId === f.notifyId)
  );
}

function reached(n: SandboxNotification, until: WaitUntil): boolean {
  switch (until) {
    case 'attempted':
      return n.attempts > 0 || n.status === 'delivered' || n.status === 'failed';
    case 'finished':
      return n.status === 'delivered' || n.status === 'failed';
    default:
      return n.status === until;
  }
}

function formParams(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

/** The outbox view of one merchant. */
export function sandboxNotifications(
  store: Store,
  worker: NotificationWorker,
  partner: string,
): SandboxNotifications {
  async function list(filter: NotificationFilterInput & { status?: NotificationStatus } = {}) {
    const items = await store.listNotifications({ partner, status: filter.status, limit: 500 });
    const chosen = items.filter((n) => matches(n, filter)).reverse();
    const attempts = await store.listNotificationAttempts(chosen.map((n) => n.id));
    return chosen.map((n) => ({ ...n, attemptLog: attempts.filter((a) => a.notificationId === n.id) }));
  }

  return {
    list,
    async received(filter = {}) {
      const out: ReceivedNotification[] = [];
      for (const n of await list(filter)) {
        for (const a of n.attemptLog) {
          if (a.requestBody === '') continue; // given up before sending (no merchant, bad URL)
          out.push({
            notificationId: n.id,
            notifyId: n.notifyId,
            url: n.url,
            action: n.action,
            partnerTransId: n.partnerTransId,
            partnerRefundId: n.partnerRefundId,
            attempt: a.attempt,
            at: a.at,
            params: formParams(a.requestBody),
            responseStatus: a.responseStatus,
            responseBody: a.responseBody,
            error: a.error,
            delivered: a.error === null,
          });
        }
      }
      return out.sort((x, y) => x.at.getTime() - y.at.getTime());
    },
    async waitFor(filter = {}, opts = {}) {
      const until = opts.until ?? 'attempted';
      const deadline = Date.now() + (opts.timeoutMs ?? 5000);
      for (;;) {
        worker.kick();
        const found = (await list(filter)).find((n) => reached(n, until));
        if (found) return found;
        if (Date.now() >= deadline) {
          const outbox = (await list()).map(
            (n) =>
              `  ${n.action} ${n.partnerTransId} trade_status=${n.params['trade_status'] ?? ''} ` +
              `${n.status}, ${n.attempts} attempt(s)${n.attemptLog.at(-1)?.error ? `: ${n.attemptLog.at(-1)?.error}` : ''}`,
          );
          throw new Error(
            `no notification matching ${JSON.stringify(filter)} was ${until} within ${opts.timeoutMs ?? 5000} ms; ` +
              (outbox.length ? `the outbox:\n${outbox.join('\n')}` : 'the outbox is empty'),
          );
        }
        await sleep(20);
      }
    },
    deliverDue: () => worker.runOnce(),
  };
}
