import type { Charset, SignType } from '../protocol/constants.js';
import { responseSignString } from '../protocol/envelope.js';
import { hexEqual, md5Sign, rsaVerify } from '../protocol/sign.js';
import type { MapiEnvelope } from './parse-envelope.js';

/** What verifying an answer needs: the request's sign type and charset, and the matching key. */
export interface ResponseVerifier {
  signType: SignType;
  charset: Charset;
  /** MD5 key of the merchant. */
  key?: string | undefined;
  /** Alipay's RSA public key (SPKI PEM); without it RSA answers are not checked. */
  alipayPublicKey?: string | undefined;
}

/**
 * Checks the signature of an `is_success=T` answer (docs/reference/alipay-mapi-protocol.md §9.4): the business fields sorted,
 * empty values dropped, `k=v&…`, MD5 with the merchant key or RSA/RSA2 with Alipay's public key, in the
 * request charset. Returns null when it cannot be checked (no key for it, or nothing signed at all).
 */
export function verifyResponse(envelope: MapiEnvelope, verifier: ResponseVerifier): boolean | null {
  if (envelope.sign === undefined || envelope.sign === '') return envelope.fields === null ? null : false;
  // The answer is signed with the request's sign type (§9.4); accepting another would let a forged
  // answer pick the weakest check.
  if (envelope.signType !== undefined && envelope.signType !== verifier.signType) return false;
  // Without <response>, Alipay's SDK verifies `error=<code>` (§9.4).
  const text = responseSignString(envelope.fields ?? { error: envelope.error });
  if (verifier.signType === 'MD5') {
    if (verifier.key === undefined) return null;
    return hexEqual(md5Sign(text, verifier.key, verifier.charset), envelope.sign);
  }
  if (verifier.alipayPublicKey === undefined) return null;
  return rsaVerify(text, envelope.sign, verifier.alipayPublicKey, verifier.signType, verifier.charset);
}
