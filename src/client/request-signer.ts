import type { Charset, SignType } from '../protocol/constants.js';
import { buildSignString, md5Sign, normalizeRsaPrivateKey, rsaSign } from '../protocol/sign.js';

/** Key material of a signer; which one is needed depends on the sign type. */
export interface RequestSignerOptions {
  signType: SignType;
  /** MD5 key, for `MD5`. */
  key?: string | undefined;
  /** Merchant RSA private key (PKCS#8 or PKCS#1 PEM, or bare Base64), for `RSA` / `RSA2`. */
  privateKey?: string | undefined;
  /** The bytes signed are those of the text in this charset (docs/reference/alipay-mapi-protocol.md §9.3). */
  charset: Charset;
}

/** Signs request parameters with one fixed key and sign type. */
export interface RequestSigner {
  readonly signType: SignType;
  /** The canonical string to sign (§9.3) and its signature. */
  sign(params: Record<string, string>): { signString: string; sign: string };
}

/**
 * Builds a request signer over the protocol's canonical string (protocol/sign.ts). Throws a TypeError
 * at once when the key material does not fit the sign type, rather than on the first payment.
 */
export function createRequestSigner(opts: RequestSignerOptions): RequestSigner {
  const { signType, charset } = opts;
  if (signType === 'MD5') {
    const key = opts.key;
    if (key === undefined || key === '') throw new TypeError('sign type MD5 needs an MD5 key');
    return { signType, sign: (params) => withSign(params, (text) => md5Sign(text, key, charset)) };
  }
  if (opts.privateKey === undefined) throw new TypeError(`sign type ${signType} needs an RSA private key`);
  const pem = normalizeRsaPrivateKey(opts.privateKey);
  if (pem === null) throw new TypeError('the private key is not an unencrypted RSA private key');
  return { signType, sign: (params) => withSign(params, (text) => rsaSign(text, pem, signType, charset)) };
}

function withSign(params: Record<string, string>, signText: (text: string) => string) {
  const signString = buildSignString(params);
  return { signString, sign: signText(signString) };
}
