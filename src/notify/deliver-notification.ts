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
import type { NotifyAllow } from './notify-allow.js';
import { checkNotifyTarget } from './notify-target.js';
import { NOTIFY_CHARSET, signNotification } from './sign-notification.js';

/** Of a receiver's answer, at most this many bytes are read; the connection is closed past them. */
export const MAX_ANSWER_BYTES = 4096;

/** Of the answer read, the first this many characters are stored and shown on the notification. */
export const MAX_STORED_ANSWER = 512;

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
  /** Hosts and addresses notifications may go to (--notify-allow). */
  allow: NotifyAllow;
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

/** Records an attempt that could never succeed and fails the notification at once, rather than retry for hours. */
async function giveUp(
  ctx: DeliveryContext,
  n: Notification,
  token: string,
  reason: string,
): Promise<DeliveryEnd> {
  const ok = await ctx.store.finishNotificationAttempt(n.id, token, {
    attempt: {
      at: ctx.clock.now(),
      requestBody: '',
      responseStatus: null,
      responseBody: null,
      error: reason,
      durationMs: 0,
    },
    status: 'failed',
    nextAttemptAt: null,
    now: ctx.clock.now(),
  });
  return ok ? 'finished' : 'lost';
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
  if (!merchant) return giveUp(ctx, n, token, `merchant ${n.partner} no longer exists`);
  if (!url) return giveUp(ctx, n, token, `notify_url ${n.url} is not an http(s) URL`);
  const target = await checkNotifyTarget(url, ctx.allow);
  if ('refused' in target) return giveUp(ctx, n, token, target.refused);
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
    // A host that does not resolve may resolve later: an attempt failed like a refused connection.
    if (!target.ok) throw new Error(target.unresolved);
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
        maxBodyBytes: MAX_ANSWER_BYTES,
        ...(target.ok && target.lookup ? { lookup: target.lookup } : {}),
      },
      ctx.agents,
    );
    status = res.status;
    answer = res.body.toString('utf8');
    if (res.truncated) error = `the answer is longer than ${MAX_ANSWER_BYTES} bytes (the rest was not read)`;
  } catch (err) {
    if (ctx.isClosing()) {
      await store.releaseNotificationClaim(n.id, token);
      return 'released';
    }
    error = err instanceof Error ? err.message : String(err);
  }
  const now = clock.now();
  const delivered = error === null && answer !== null && answer.trim() === 'success';
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
