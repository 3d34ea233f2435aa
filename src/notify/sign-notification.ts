import type { SignType } from '../protocol/constants.js';
import { buildSignString, md5Sign, rsaSign } from '../protocol/sign.js';
import type { AlipayKeys } from '../protocol/alipay-keys.js';
import type { Merchant } from '../ledger/model.js';

/** Notifications are form-encoded and signed in UTF-8 (docs/notifications.md). */
export const NOTIFY_CHARSET = 'UTF-8';

/**
 * The sign type of a merchant's notifications: MD5 with its key when the merchant allows MD5;
 * otherwise RSA2 (or RSA) with the sandbox's Alipay private key, which the merchant verifies with
 * the Alipay public key (docs/reference/alipay-mapi-protocol.md §12).
 */
export function notifySignType(merchant: Pick<Merchant, 'signTypes'>): SignType {
  if (merchant.signTypes.includes('MD5')) return 'MD5';
  return merchant.signTypes.includes('RSA2') ? 'RSA2' : 'RSA';
}

/**
 * Adds `sign_type` and `sign` (docs/reference/alipay-mapi-protocol.md §9.3: every parameter except sign and sign_type,
 * empty values dropped, sorted, `k=v&…`). With `tampered` the signature is well formed but made
 * over other content, so a merchant that verifies notifications rejects it.
 */
export function signNotification(
  params: Record<string, string>,
  merchant: Pick<Merchant, 'signTypes' | 'md5Key'>,
  keys: AlipayKeys,
  opts: { tampered?: boolean } = {},
): Record<string, string> {
  const signType = notifySignType(merchant);
  const text = buildSignString(params) + (opts.tampered ? '&tampered=true' : '');
  const sign =
    signType === 'MD5'
      ? md5Sign(text, merchant.md5Key, NOTIFY_CHARSET)
      : rsaSign(text, keys.privateKeyPem, signType, NOTIFY_CHARSET);
  return { ...params, sign_type: signType, sign };
}
