import type { RequestLogEntry } from '../ports/request-log.js';
import type { NotificationAttempt, NotifyMode } from '../ports/notification-outbox.js';

/** The part of a request log entry the check reads. */
export type CheckEntry = Pick<
  RequestLogEntry,
  | 'id'
  | 'receivedAt'
  | 'sandboxAt'
  | 'service'
  | 'params'
  | 'signature'
  | 'gatewayError'
  | 'outcome'
  | 'partnerTransId'
  | 'responseBody'
>;

/** One attempt to deliver a notification of a trade, with the merchant's answer. */
export type CheckDelivery = Pick<
  NotificationAttempt,
  'notificationId' | 'attempt' | 'at' | 'responseStatus' | 'responseBody'
> & {
  partnerTransId: string;
  /** What a mock rule did to the notification (`bad_signature`: it was sent mis-signed). */
  mode: NotifyMode;
};

/**
 * When the request came, on the clock time limits are judged by: the merchant's sandbox time
 * (moved, set or frozen through the admin API), or the process clock for an entry that has none
 * (logged before the merchant was known, or before the log kept it).
 */
export function checkTime(entry: CheckEntry): number {
  return (entry.sandboxAt ?? entry.receivedAt).getTime();
}

/** The value of a request parameter as the POS sent it (the first, when sent twice). */
export function paramOf(entry: CheckEntry, name: string): string | undefined {
  return entry.params.find((p) => p.name === name)?.value;
}

/** The value of one business field of the answer's XML (`<name>value</name>`), if present. */
export function answerField(entry: CheckEntry, name: string): string | undefined {
  // The answer was rendered by this sandbox (docs/protocol.md §4.2): flat elements, no attributes.
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(entry.responseBody);
  return m?.[1];
}
