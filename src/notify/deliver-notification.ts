import type { LedgerStore } from '../ledger/ledger-store.js';
import type { Clock } from '../clock.js';
import { httpExchange, type HttpAgents } from '../client/http-exchange.js';
import type { AlipayKeys } from '../protocol/alipay-keys.js';
import { formatBeijing } from '../ledger/beijing-time.js';
import { encodeForm } from '../protocol/form-encode.js';
import { merchantNow } from '../ledger/sandbox-clock.js';
import type {
  Notification,
  NotificationAttemptResult,
  NotificationOutbox,
} from '../ports/notification-outbox.js';
import { NOTIFY_CHARSET, signNotification } from './sign-notification.js';

/** Stored answers are cut to this many characters. */
export const MAX_STORED_ANSWER = 2000;

/** What one delivery needs. */
export interface DeliveryContext {
  store: NotificationOutbox & Pick<LedgerStore, 'getMerchant' | 'getMerchantClock'>;
  /** The process clock: attempt times and the retry schedule. */
  clock: Clock;
  alipayKeys: AlipayKeys;
  /** Waits between attempts, in ms; after the last one the notification fails. */
  schedule: readonly number[];
  timeoutMs: number;
  agents: HttpAgents;
  /** True once the worker stops: an attempt cut short then is given back, not counted. */
  isClosing(): boolean;
}

/** How a delivery ended for the worker: finished (recorded), given back at shutdown, or claim lost. */
export type DeliveryEnd = 'finished' | 'released' | 'lost';

function isHttpUrl(text: string): URL | null {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/** Where the notification goes after a failed attempt: the next wait of the schedule, or failed. */
function afterFailure(
  ctx: DeliveryContext,
  n: Notification,
  now: Date,
): Pick<NotificationAttemptResult, 'status' | 'nextAttemptAt'> {
  const wait = ctx.schedule[n.attempts];
  return wait === undefined
    ? { status: 'failed', nextAttemptAt: null }
    : { status: 'pending', nextAttemptAt: new Date(now.getTime() + wait) };
}

/**
 * One attempt: sign with notify_time = now on the merchant's sandbox clock, POST the form, and record
 * the attempt. Delivered when the answer's body is exactly `success` (surrounding whitespace ignored),
 * whatever the HTTP status; anything else, a timeout or a connection error schedules the next attempt.
 */
export async function deliverNotification(
  ctx: DeliveryContext,
  n: Notification,
  token: string,
): Promise<DeliveryEnd> {
  const { store, clock } = ctx;
  const merchant = await store.getMerchant(n.partner);
  const url = isHttpUrl(n.url);
  if (!merchant || !url) {
    // Nothing can ever be sent: give up at once rather than retry for hours.
    const ok = await store.finishNotificationAttempt(n.id, token, {
      attempt: {
        at: clock.now(),
        requestBody: '',
        responseStatus: null,
        responseBody: null,
        error: merchant
          ? `notify_url ${n.url} is not an http(s) URL`
          : `merchant ${n.partner} no longer exists`,
        durationMs: 0,
      },
      status: 'failed',
      nextAttemptAt: null,
      now: clock.now(),
    });
    return ok ? 'finished' : 'lost';
  }
  const sentAt = await merchantNow(store, clock, n.partner);
  const params = signNotification(
    { ...n.params, notify_time: formatBeijing(sentAt) },
    merchant,
    ctx.alipayKeys,
    {
      tampered: n.mode === 'bad_signature',
    },
  );
  const body = encodeForm(params, NOTIFY_CHARSET);
  // Before sending: the merchant usually calls notify_verify while handling the notification.
  if (!(await store.markNotificationSent(n.id, token, sentAt))) return 'lost';
  if (ctx.isClosing()) {
    await store.releaseNotificationClaim(n.id, token);
    return 'released';
  }

  const at = clock.now();
  const started = performance.now();
  let status: number | null = null;
  let answer: string | null = null;
  let error: string | null = null;
  try {
    const res = await httpExchange(
      {
        url,
        method: 'POST',
        headers: {
          'content-type': `application/x-www-form-urlencoded; charset=${NOTIFY_CHARSET}`,
          'user-agent': 'Mozilla/4.0 (alipay-mock notification)',
        },
        body: Buffer.from(body, 'latin1'),
        timeoutMs: ctx.timeoutMs,
      },
      ctx.agents,
    );
    status = res.status;
    answer = res.body.toString('utf8');
  } catch (err) {
    if (ctx.isClosing()) {
      await store.releaseNotificationClaim(n.id, token);
      return 'released';
    }
    error = err instanceof Error ? err.message : String(err);
  }
  const now = clock.now();
  const delivered = answer !== null && answer.trim() === 'success';
  const ok = await store.finishNotificationAttempt(n.id, token, {
    attempt: {
      at,
      requestBody: body,
      responseStatus: status,
      responseBody: answer === null ? null : answer.slice(0, MAX_STORED_ANSWER),
      error: error ?? (delivered ? null : 'the answer is not "success"'),
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    },
    ...(delivered ? { status: 'delivered', nextAttemptAt: null } : afterFailure(ctx, n, now)),
    now,
  });
  return ok ? 'finished' : 'lost';
}
