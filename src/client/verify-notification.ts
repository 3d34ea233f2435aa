import type { Charset } from '../protocol/constants.js';
import { buildSignString, hexEqual, md5Sign, normalizeRsaPublicKey, rsaVerify } from '../protocol/sign.js';

/** The keys that verify a notification: the merchant's MD5 key, or Alipay's RSA public key. */
export interface NotificationVerifier {
  /** MD5 key of the merchant, for `sign_type=MD5`. */
  key?: string;
  /** Alipay's RSA public key (PEM or bare Base64), for `sign_type=RSA` / `RSA2`. */
  alipayPublicKey?: string;
  /** The charset the notification was signed in; default UTF-8 (what the sandbox sends). */
  charset?: Charset;
}

/**
 * Checks the signature of an asynchronous notification (docs/reference/alipay-mapi-protocol.md §12, §9.3): every parameter
 * except `sign` and `sign_type`, empty values dropped, sorted, `k=v&…`; MD5 with the merchant key or
 * RSA/RSA2 with Alipay's public key. False when it does not verify or the needed key is missing.
 * A merchant should also ask `notifyVerify(notify_id)` before trusting a notification.
 */
export function verifyNotificationSignature(
  params: Readonly<Record<string, string>>,
  verifier: NotificationVerifier,
): boolean {
  const sign = params['sign'];
  const signType = params['sign_type'];
  if (!sign || !signType) return false;
  const charset = verifier.charset ?? 'UTF-8';
  const text = buildSignString(params);
  if (signType === 'MD5') {
    return verifier.key !== undefined && hexEqual(md5Sign(text, verifier.key, charset), sign);
  }
  if (signType !== 'RSA' && signType !== 'RSA2') return false;
  const pem = verifier.alipayPublicKey === undefined ? null : normalizeRsaPublicKey(verifier.alipayPublicKey);
  return pem !== null && rsaVerify(text, sign, pem, signType, charset);
}
