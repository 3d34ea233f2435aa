import type { GatewayOutcome } from './gateway-outcome.js';
import type { GatewayReply } from './render-reply.js';
import { decodeParams, findAscii, type RawParam } from '../protocol/form-decode.js';

/** Answers whether a notify_id is genuine for a partner. */
export type NotifyVerifier = (partner: string, notifyId: string) => Promise<boolean>;

/** text: ASCII (`true` or `false`), its own bytes in UTF-8. */
function plainText(text: string): GatewayReply {
  return { statusCode: 200, contentType: 'text/plain; charset=UTF-8', body: text };
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
