import type { LedgerStore } from '../ports/ledger-store.js';
import type { NotificationOutbox } from '../ports/notification-outbox.js';
import type { Clock } from '../clock.js';
import type { GatewayOutcome } from '../gateway/gateway-outcome.js';
import type { GatewayReply } from '../gateway/render-reply.js';
import { decodeParams, findAscii, type RawParam } from '../protocol/form-decode.js';
import { merchantNow } from '../sandbox-clock.js';

/** The `service` value of the authenticity check (docs/reference/alipay-mapi-protocol.md §12); not one of the four services. */
export const NOTIFY_VERIFY_SERVICE = 'notify_verify';

/** Answers whether a notify_id is genuine for a partner. */
export type NotifyVerifier = (partner: string, notifyId: string) => Promise<boolean>;

/**
 * notify_verify is true for a notify_id the sandbox sent to that partner, while its validity lasts
 * on the partner's sandbox clock, counted from the latest attempt (every retry renews it). A queued
 * notification that was never sent (delayed, suppressed) is not genuine yet.
 */
export function createNotifyVerifier(
  store: NotificationOutbox & Pick<LedgerStore, 'getMerchantClock'>,
  clock: Clock,
  validitySeconds: number,
): NotifyVerifier {
  return async (partner, notifyId) => {
    const sent = await store.listNotifications({ partner, notifyId, limit: 10 });
    const times = sent.flatMap((n) => (n.lastSentAt ? [n.lastSentAt.getTime()] : []));
    if (times.length === 0) return false;
    const now = (await merchantNow(store, clock, partner)).getTime();
    return now - Math.max(...times) <= validitySeconds * 1000;
  };
}

function plainText(text: string): GatewayReply {
  return { statusCode: 200, contentType: 'text/plain; charset=UTF-8', body: Buffer.from(text, 'utf8') };
}

/**
 * The gateway's notify_verify branch: plain text `true` or `false`, never an XML envelope and never
 * a signature check (Alipay's demo calls it unsigned, §12). A missing partner or notify_id is `false`.
 */
export async function answerNotifyVerify(
  verify: NotifyVerifier,
  params: RawParam[],
  outcome: GatewayOutcome,
): Promise<GatewayReply> {
  const partner = findAscii(params, 'partner');
  const notifyId = findAscii(params, 'notify_id');
  outcome.partner = partner;
  outcome.params = decodeParams(params, 'UTF-8');
  const genuine = partner !== undefined && notifyId !== undefined && (await verify(partner, notifyId));
  outcome.resultCode = String(genuine);
  if (!genuine)
    outcome.reason = notifyId ? 'notify_id not sent to this partner, or expired' : 'notify_id is missing';
  return plainText(String(genuine));
}
