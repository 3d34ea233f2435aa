import { DEMO_MERCHANT } from '../src/demo-accounts.js';
import { encodeForm } from '../src/protocol/form-encode.js';
import { buildSignString, md5Sign } from '../src/protocol/sign.js';

/** One request, ready to send (signed beforehand). */
export interface BenchRequest {
  method: 'GET' | 'POST';
  /** Path and query, e.g. `/gateway.do?…`. */
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
}

/** The merchant whose MD5 key signs a request. */
export interface SigningMerchant {
  partner: string;
  md5Key: string;
}

/**
 * A request signed with MD5 ahead of time, so the load generator only sends bytes: GET with everything
 * in the query string, or a form POST as the client sends it (docs/reference/alipay-mapi-protocol.md §9.1).
 */
export function signedRequest(
  service: string,
  business: Record<string, string>,
  method: 'GET' | 'POST',
  merchant: SigningMerchant = DEMO_MERCHANT,
): BenchRequest {
  const params = { service, partner: merchant.partner, _input_charset: 'UTF-8', ...business };
  const sign = md5Sign(buildSignString(params), merchant.md5Key, 'UTF-8');
  const form = encodeForm({ ...params, sign, sign_type: 'MD5' }, 'UTF-8');
  if (method === 'GET') return { method, path: `/gateway.do?${form}` };
  return {
    method,
    path: '/gateway.do?_input_charset=UTF-8',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' },
    body: Buffer.from(form, 'latin1'),
  };
}
