/**
 * "Why did my signature fail?" for the request log: pure, no I/O, run only for requests refused with
 * ILLEGAL_SIGN (never on the success path). For MD5 it recomputes the signature over the variants
 * client code typically gets wrong and names the one that verifies; RSA signatures are only checked
 * for shape, and the answer says which conventions were tried (docs/admin-api.md, "Request log").
 */
import { createHash, createPublicKey } from 'node:crypto';
import { encodeText, isAscii } from './charset.js';
import type { Charset, SignType } from './constants.js';
import { decodeParams, type RawParam, type RequestParam } from './form-decode.js';
import { buildSignString, hexEqual, md5Sign } from './sign.js';

/** The kinds of diagnosis, most specific first. */
export const SIGNATURE_DIAGNOSIS_CODES = [
  'missing_sign',
  'malformed_signature',
  'wrong_charset',
  'unsigned_parameter',
  'unsent_parameter',
  'sign_type_signed',
  'encoded_values',
  'key_placement',
  'undecodable_values',
  'wrong_key',
  'rsa_no_match',
] as const;
export type SignatureDiagnosisCode = (typeof SIGNATURE_DIAGNOSIS_CODES)[number];

/** The likely reason a signature failed, in plain words. */
export interface SignatureDiagnosis {
  code: SignatureDiagnosisCode;
  message: string;
}

/** What the gateway had when the signature failed. */
export interface DiagnoseSignatureInput {
  /** The merged parameters, percent-decoded to bytes (query first, as the gateway verified them). */
  params: readonly RawParam[];
  /** The request as received (latin1 text), for the "signed the percent-encoded values" trial. */
  wire: { query: string; body: string };
  /** The charset the gateway decoded with (`_input_charset`, else the content type, else GBK). */
  charset: Charset;
  signType: SignType;
  md5Key?: string | undefined;
  rsaPublicKeyPem?: string | null | undefined;
}

const HEX32 = /^[0-9a-fA-F]{32}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Dropping each parameter in turn is tried only up to this many (real requests have about 20). */
const MAX_DROP_TRIALS = 60;
const UNSIGNED = new Set(['sign', 'sign_type']);

/** The likely reason the request's signature did not verify. */
export function diagnoseSignature(input: DiagnoseSignatureInput): SignatureDiagnosis {
  const decoded = decodeParams([...input.params], input.charset);
  const sign = decoded.find((p) => p.name === 'sign')?.value ?? '';
  if (sign === '') return { code: 'missing_sign', message: 'the request has no sign parameter' };
  if (input.signType !== 'MD5') return diagnoseRsa(input, decoded, sign);
  if (input.md5Key === undefined || input.md5Key === '') {
    return { code: 'wrong_key', message: 'this merchant has no MD5 key, so no MD5 signature can verify' };
  }
  return diagnoseMd5(input, decoded, sign, input.md5Key);
}

type Trial = () => SignatureDiagnosis | undefined;

function diagnoseMd5(
  input: DiagnoseSignatureInput,
  decoded: RequestParam[],
  sign: string,
  key: string,
): SignatureDiagnosis {
  const canonical = buildSignString(decoded);
  if (!HEX32.test(sign)) return malformedMd5(sign, canonical, key, input.charset);
  const verifies = (text: string, charset: Charset = input.charset) =>
    hexEqual(md5Sign(text, key, charset), sign);
  const trials: Trial[] = [
    () => wrongCharset(input, key, sign),
    () => unsignedParameter(decoded, verifies),
    () => unsentCharset(input, key, sign),
    () => signTypeSigned(decoded, verifies),
    () => encodedValues(input.wire, decoded, verifies),
    () => keyPlacement(canonical, key, sign, input.charset),
  ];
  for (const trial of trials) {
    const found = trial();
    if (found) return found;
  }
  if (decoded.some((p) => p.value.includes('\uFFFD'))) {
    return {
      code: 'undecodable_values',
      message:
        `some parameter values are not valid ${input.charset} bytes, so the sandbox cannot rebuild the ` +
        `string the client signed: send them encoded in the charset that _input_charset declares`,
    };
  }
  const caseNote = /[A-F]/.test(sign) ? ' (upper-case hex is accepted, so the case is not the problem)' : '';
  return {
    code: 'wrong_key',
    message:
      "the string to sign is well-formed; the signature matches none of the accepted conventions with this merchant's " +
      `key — most likely a different key${caseNote}. Tried: empty values dropped and kept, the body ` +
      'parameters alone, another charset, each parameter left out, _input_charset and sign_type signed, ' +
      'percent-encoded values, and the key placed otherwise. Compare your string to sign with ' +
      'signature.signString: if they are equal, the key differs.',
  };
}

function malformedMd5(sign: string, canonical: string, key: string, charset: Charset): SignatureDiagnosis {
  const digest = createHash('md5')
    .update(encodeText(canonical + key, charset))
    .digest('base64');
  if (sign === digest) {
    return {
      code: 'malformed_signature',
      message: 'the signature is the right MD5 digest written in Base64; MD5 signatures are 32 hex digits',
    };
  }
  const rsaLike = BASE64.test(sign) && sign.length >= 172;
  return {
    code: 'malformed_signature',
    message: rsaLike
      ? 'the signature looks like an RSA signature (Base64) but sign_type is MD5'
      : `an MD5 signature is 32 hex digits; this one has ${sign.length} characters` +
        (/[^0-9a-fA-F]/.test(sign) ? ' and characters that are not hex digits' : ''),
  };
}

const CHARSET_NAMES: Record<Charset, string> = { 'UTF-8': 'UTF-8', GBK: 'GBK', GB2312: 'GBK' };

/** Decoded with one charset and hashed over another: only meaningful when some value is not ASCII. */
function wrongCharset(
  input: DiagnoseSignatureInput,
  key: string,
  sign: string,
): SignatureDiagnosis | undefined {
  if (input.params.every((p) => isAscii(p.value))) return undefined;
  const declared = CHARSET_NAMES[input.charset];
  const stated = input.params.some((p) => p.name === '_input_charset')
    ? `_input_charset declares ${input.charset}`
    : `_input_charset is missing, so the request was read as ${input.charset}`;
  for (const read of ['UTF-8', 'GBK'] as const) {
    const text = buildSignString(decodeParams([...input.params], read));
    for (const hashed of ['UTF-8', 'GBK'] as const) {
      if (read === declared && hashed === declared) continue;
      if (!hexEqual(md5Sign(text, key, hashed), sign)) continue;
      const message =
        read === hashed
          ? `the signature verifies when the request is read and signed as ${read}, but ${stated}: ` +
            `send _input_charset=${read.toLowerCase()} or sign and send ${declared} bytes`
          : `the values were sent as ${read} but the MD5 was computed over the ${hashed} bytes of the string ` +
            `to sign; sign the bytes of the charset the request declares (${stated})`;
      return { code: 'wrong_charset', message };
    }
  }
  return undefined;
}

/** Each non-empty parameter left out in turn, with empty values dropped and kept. */
function unsignedParameter(
  decoded: RequestParam[],
  verifies: (text: string) => boolean,
): SignatureDiagnosis | undefined {
  const signed = decoded.filter((p) => !UNSIGNED.has(p.name) && p.value !== '');
  if (signed.length > MAX_DROP_TRIALS) return undefined;
  for (const left of signed) {
    const rest = decoded.filter((p) => p !== left);
    if (!verifies(buildSignString(rest)) && !verifies(buildSignString(rest, { keepEmpty: true }))) continue;
    const where = left.source === 'query' ? 'in the URL' : 'in the body';
    return {
      code: 'unsigned_parameter',
      message:
        `the signature verifies without ${left.name}: the client sent ${left.name} (${where}) but did not ` +
        `sign it — add it to the string to sign, or stop sending it` +
        (left.name === '_input_charset' ? ' (the sandbox, like Alipay’s SDK, signs _input_charset)' : ''),
    };
  }
  return undefined;
}

/** `_input_charset` signed but not sent (then the sandbox read the request as GBK). */
function unsentCharset(
  input: DiagnoseSignatureInput,
  key: string,
  sign: string,
): SignatureDiagnosis | undefined {
  if (input.params.some((p) => p.name === '_input_charset')) return undefined;
  for (const value of ['utf-8', 'UTF-8', 'gbk', 'GBK', 'gb2312', 'GB2312']) {
    const charset: Charset = value.toLowerCase() === 'utf-8' ? 'UTF-8' : 'GBK';
    const params = [
      ...decodeParams([...input.params], charset),
      { name: '_input_charset', value, source: 'query' as const },
    ];
    if (!hexEqual(md5Sign(buildSignString(params), key, charset), sign)) continue;
    return {
      code: 'unsent_parameter',
      message: `the signature verifies with _input_charset=${value}, which the client signed but did not send`,
    };
  }
  return undefined;
}

function signTypeSigned(
  decoded: RequestParam[],
  verifies: (text: string) => boolean,
): SignatureDiagnosis | undefined {
  const signType = decoded.find((p) => p.name === 'sign_type');
  if (!signType) return undefined;
  if (!verifies(signedWith(decoded, signType, false)) && !verifies(signedWith(decoded, signType, true)))
    return undefined;
  return {
    code: 'sign_type_signed',
    message:
      'the signature verifies when sign_type is part of the string to sign; leave sign and sign_type out',
  };
}

/** The canonical string with sign_type included at its sorted place (buildSignString always drops it). */
function signedWith(decoded: RequestParam[], signType: RequestParam, keepEmpty: boolean): string {
  const kept = decoded.filter(
    (p) => p.name !== 'sign' && p.name !== 'sign_type' && (keepEmpty || p.value !== ''),
  );
  const all = [...kept, signType].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return all.map((p) => `${p.name}=${p.value}`).join('&');
}

/** The values as they travelled (still percent-encoded), as some clients sign them by mistake. */
function encodedValues(
  wire: DiagnoseSignatureInput['wire'],
  decoded: RequestParam[],
  verifies: (text: string) => boolean,
): SignatureDiagnosis | undefined {
  const raw = wireValues(wire);
  const changed = decoded.filter((p) => !UNSIGNED.has(p.name) && raw.get(p.name) !== p.value);
  if (changed.length === 0) return undefined;
  const asSent = decoded.map((p) => ({ name: p.name, value: raw.get(p.name) ?? p.value }));
  const reEncoded = decoded.map((p) => ({ name: p.name, value: encodeURIComponent(p.value) }));
  if (!verifies(buildSignString(asSent)) && !verifies(buildSignString(reEncoded))) return undefined;
  const example = changed[0];
  return {
    code: 'encoded_values',
    message:
      'the signature verifies over the still percent-encoded values' +
      (example ? ` (e.g. ${example.name}=${raw.get(example.name) ?? ''})` : '') +
      ': sign the decoded values and percent-encode only when sending',
  };
}

/** name → value text exactly as received, first occurrence wins (as when the gateway merges). */
function wireValues(wire: DiagnoseSignatureInput['wire']): Map<string, string> {
  const values = new Map<string, string>();
  for (const text of [wire.query, wire.body]) {
    for (const segment of text.split('&')) {
      if (segment === '') continue;
      const eq = segment.indexOf('=');
      const name = eq === -1 ? segment : segment.slice(0, eq);
      if (!values.has(name)) values.set(name, eq === -1 ? '' : segment.slice(eq + 1));
    }
  }
  return values;
}

/** md5(key + string), md5(string + '&key=' + key) and md5(string + '&' + key) instead of md5(string + key). */
function keyPlacement(
  canonical: string,
  key: string,
  sign: string,
  charset: Charset,
): SignatureDiagnosis | undefined {
  const variants: Array<[string, string]> = [
    [key + canonical, 'the key in front of the string'],
    [`${canonical}&key=${key}`, '"&key=<key>" appended (the WeChat Pay convention)'],
    [`${canonical}&${key}`, '"&<key>" appended'],
  ];
  for (const [text, how] of variants) {
    const hex = createHash('md5').update(encodeText(text, charset)).digest('hex');
    if (hexEqual(hex, sign)) {
      return {
        code: 'key_placement',
        message: `the signature verifies with ${how}; Alipay appends the key directly: md5(string + key)`,
      };
    }
  }
  return undefined;
}

function diagnoseRsa(
  input: DiagnoseSignatureInput,
  decoded: RequestParam[],
  sign: string,
): SignatureDiagnosis {
  const base64 = sign.replace(/ /g, '+').replace(/[\r\n]/g, '');
  if (HEX32.test(sign)) {
    return {
      code: 'malformed_signature',
      message: `the signature looks like an MD5 signature (32 hex digits) but sign_type is ${input.signType}`,
    };
  }
  if (!BASE64.test(base64)) {
    return {
      code: 'malformed_signature',
      message: `${input.signType} signatures are Base64; this one is not`,
    };
  }
  const size = modulusBytes(input.rsaPublicKeyPem);
  const bytes = Buffer.from(base64, 'base64').length;
  if (size !== undefined && bytes !== size) {
    return {
      code: 'malformed_signature',
      message:
        `the signature has ${bytes} bytes but the merchant's RSA key makes ${size}-byte signatures: ` +
        'it was made with another key (or the Base64 was cut or mangled on the way)',
    };
  }
  const tried = ['the canonical string (empty values dropped)'];
  if (decoded.some((p) => p.value === '' && !UNSIGNED.has(p.name))) tried.push('empty values kept');
  const body = decoded.filter((p) => p.source === 'body');
  if (body.length > 0 && body.length < decoded.length) tried.push('the body parameters alone');
  const digest = input.signType === 'RSA' ? 'SHA1withRSA' : 'SHA256withRSA';
  return {
    code: 'rsa_no_match',
    message:
      `the signature matches none of the accepted conventions with the merchant's uploaded RSA public key ` +
      `(${digest}; tried ${tried.join(', ')}). Most likely the private key does not belong to the uploaded ` +
      `public key, ${input.signType === 'RSA' ? 'RSA2 (SHA-256)' : 'RSA (SHA-1)'} was used instead of ` +
      `${input.signType}, or another string was signed: compare yours with signature.signString. ` +
      'No other variants are tried for RSA.',
  };
}

function modulusBytes(pem: string | null | undefined): number | undefined {
  if (!pem) return undefined;
  try {
    const bits = createPublicKey(pem).asymmetricKeyDetails?.modulusLength;
    return bits === undefined ? undefined : Math.ceil(bits / 8);
  } catch {
    return undefined;
  }
}
