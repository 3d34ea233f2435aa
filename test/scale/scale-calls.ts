import { callGateway } from '../helpers/gateway-call.js';

/** Service names of the gateway. */
export const PAY = 'alipay.acquire.overseas.spot.pay';
export const QUERY = 'alipay.acquire.overseas.query';
export const REFUND = 'alipay.acquire.overseas.spot.refund';
export const CANCEL = 'alipay.acquire.cancel';

/** What a client learned from one gateway call. */
export interface Answer {
  /** result_code SUCCESS. */
  success: boolean;
  /** is_success=F code, business error, or `transport: …` when no answer arrived. */
  error: string | undefined;
  fields: Record<string, string>;
}

/** Signs (demo merchant) and sends one request; a lost connection is an answer too, not a throw. */
export async function send(
  baseUrl: string,
  service: string,
  params: Record<string, string>,
  method: 'GET' | 'POST' = 'POST',
): Promise<Answer> {
  try {
    const { envelope } = await callGateway(baseUrl, service, params, { method });
    if (envelope.isSuccess !== 'T') return { success: false, error: envelope.error ?? 'F', fields: {} };
    const fields = envelope.response;
    return { success: fields.result_code === 'SUCCESS', error: fields.error, fields };
  } catch (err) {
    return { success: false, error: `transport: ${(err as Error).message}`, fields: {} };
  }
}

/** Minor units of a decimal amount with two places ("12.34" → 1234). */
export function minor(amount: string): number {
  const [whole = '0', cents = ''] = amount.split('.');
  return Number(whole) * 100 + Number(cents.padEnd(2, '0'));
}

/** "12.34" from 1234. */
export function decimal(minorUnits: number): string {
  return `${Math.floor(minorUnits / 100)}.${String(minorUnits % 100).padStart(2, '0')}`;
}

/** Waits ms milliseconds. */
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
