import type { Charset, SignType } from './constants.js';
import type { RequestParam } from './form-decode.js';
import { buildSignString, hexEqual, md5Sign, rsaVerify } from './sign.js';

/**
 * Which string-to-sign convention a request signature matched (docs/reference/alipay-mapi-protocol.md §15), recorded in the
 * request log: the canonical one, empty values kept as `k=`, or the POST body parameters alone.
 */
export type SignConvention = 'drop-empty' | 'keep-empty' | 'body-only';

/** Input of verifyRequestSignature: decoded parameters (query + body union), the claimed signature, the keys. */
export interface VerifyRequestInput {
  params: RequestParam[];
  signType: SignType;
  sign: string;
  charset: Charset;
  md5Key?: string;
  rsaPublicKeyPem?: string | null;
}

/** Outcome of verifyRequestSignature: `signString` is the string that matched, else the canonical one. */
export interface VerifyRequestResult {
  ok: boolean;
  convention: SignConvention | null;
  signString: string;
}

/**
 * Verifies a request signature under the conventions accepted by this sandbox (§15), in order:
 * (1) canonical string over all parameters, empty values dropped (§9.3); (2) if some value is empty,
 * the same with empty values kept (Ruby gem, Python package, §10.3); (3) if parameters came from both
 * the URL query and the body, the body parameters alone (Node callers leaving `_input_charset`
 * unsigned in the URL, §10.3). A missing key for the sign type never verifies.
 */
export function verifyRequestSignature(input: VerifyRequestInput): VerifyRequestResult {
  const { params } = input;
  const canonical = signStringOf(params, 'drop-empty');
  const check = checkerFor(input);
  if (check === null) return { ok: false, convention: null, signString: canonical };
  if (check(canonical)) return { ok: true, convention: 'drop-empty', signString: canonical };

  if (params.some((p) => p.value === '' && p.name !== 'sign' && p.name !== 'sign_type')) {
    const keepEmpty = signStringOf(params, 'keep-empty');
    if (check(keepEmpty)) return { ok: true, convention: 'keep-empty', signString: keepEmpty };
  }

  // mergeParams keeps the first (URL) copy of a parameter sent in both places, so a body-only string
  // built here lacks such duplicates; the clients of §10.3 that need this variant never duplicate.
  if (params.some((p) => p.source === 'body') && params.some((p) => p.source === 'query')) {
    const bodyOnly = signStringOf(params, 'body-only');
    if (check(bodyOnly)) return { ok: true, convention: 'body-only', signString: bodyOnly };
  }
  return { ok: false, convention: null, signString: canonical };
}

/**
 * The string to sign of the parameters under a convention; null (no convention matched) is the
 * canonical one. What verifyRequestSignature reports as `signString` is this of its `convention`.
 */
export function signStringOf(params: RequestParam[], convention: SignConvention | null): string {
  switch (convention) {
    case 'keep-empty':
      return buildSignString(params, { keepEmpty: true });
    case 'body-only':
      return buildSignString(params.filter((p) => p.source === 'body'));
    default:
      return buildSignString(params);
  }
}

/** The comparison for the sign type, or null when the partner has no key of that type. */
function checkerFor(input: VerifyRequestInput): ((signString: string) => boolean) | null {
  const { signType, sign, charset, md5Key, rsaPublicKeyPem } = input;
  if (signType === 'MD5') {
    if (md5Key === undefined || md5Key === '') return null;
    return (s) => hexEqual(md5Sign(s, md5Key, charset), sign);
  }
  if (rsaPublicKeyPem === undefined || rsaPublicKeyPem === null || rsaPublicKeyPem === '') return null;
  return (s) => rsaVerify(s, sign, rsaPublicKeyPem, signType, charset);
}
