/**
 * Request and response signatures: the canonical string to sign, MD5 / RSA (SHA1withRSA) / RSA2
 * (SHA256withRSA), and normalisation of the RSA keys merchants upload (docs/reference/alipay-mapi-protocol.md §9.3, §9.4).
 */
import { createPrivateKey, createPublicKey, hash, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Charset } from './constants.js';
import { encodeText, hashInput } from './charset.js';

type NamedValues = ReadonlyArray<{ name: string; value: string }> | Record<string, string>;

/**
 * Canonical string to sign (§9.3): drop `sign` and `sign_type`, drop empty values unless keepEmpty
 * (the Ruby gem and the Python package sign them as `k=`, §10.3), sort names byte-wise, join
 * `name=value` with '&' over the raw (percent-decoded) values.
 */
export function buildSignString(params: NamedValues, opts?: { keepEmpty?: boolean }): string {
  const keepEmpty = opts?.keepEmpty ?? false;
  const list = isList(params) ? params : Object.entries(params).map(([name, value]) => ({ name, value }));
  const kept = list.filter(
    (p) => p.name !== 'sign' && p.name !== 'sign_type' && (keepEmpty || p.value !== ''),
  );
  // Code-unit order equals byte order for the ASCII names of the protocol (Java compareTo, PHP ksort).
  kept.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return kept.map((p) => `${p.name}=${p.value}`).join('&');
}

/** MD5 signature (§9.3): lower-case hex md5 of the bytes of `signString + key` in the charset. */
export function md5Sign(signString: string, key: string, charset: Charset): string {
  // One-shot crypto.hash (Node 20.12): no Hash stream object per signature, on every request twice.
  return hash('md5', hashInput(signString + key, charset), 'hex');
}

/** RSA (SHA1withRSA) or RSA2 (SHA256withRSA) PKCS#1 v1.5 signature in Base64 (§9.3). Throws on a bad key. */
export function rsaSign(
  signString: string,
  privateKeyPem: string,
  signType: 'RSA' | 'RSA2',
  charset: Charset,
): string {
  return sign(digestOf(signType), encodeText(signString, charset), privateKeyPem).toString('base64');
}

/**
 * Verifies an RSA / RSA2 signature; never throws (a bad key or signature is just false). Spaces are
 * turned back into '+' first: clients forget to percent-encode '+' in a Base64 `sign` (§9.1).
 */
export function rsaVerify(
  signString: string,
  signature: string,
  publicKeyPem: string,
  signType: 'RSA' | 'RSA2',
  charset: Charset,
): boolean {
  try {
    const base64 = signature.replace(/ /g, '+');
    if (!BASE64.test(base64.replace(/[\r\n]/g, ''))) return false;
    return verify(
      digestOf(signType),
      encodeText(signString, charset),
      publicKeyPem,
      Buffer.from(base64, 'base64'),
    );
  } catch {
    return false;
  }
}

/** Constant-time, case-insensitive comparison of hex strings (§9.3: MD5 hex compared case-insensitively). */
export function hexEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  // Compared code unit by code unit with A-Z lowered, without a branch on the text: no lower-cased
  // copies and no Buffers, on every request (docs/performance-history.md). No other character lowers to a
  // hex digit, so this says what comparing the lower-cased strings said.
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= asciiLower(a.charCodeAt(i)) ^ asciiLower(b.charCodeAt(i));
  return diff === 0;
}

/** The code unit with A-Z lowered: 32 is added exactly when 64 < c < 91 (both differences negative). */
function asciiLower(c: number): number {
  return c + (((64 - c) & (c - 91)) >>> 31) * 32;
}

/**
 * Normalises an uploaded RSA public key to SPKI PEM. Accepts SPKI PEM (`BEGIN PUBLIC KEY`), PKCS#1 PEM
 * (`BEGIN RSA PUBLIC KEY`) or bare Base64 DER as the Alipay portals show it; null if it is not an RSA key.
 */
export function normalizeRsaPublicKey(input: string): string | null {
  const key = parseKey(input, PUBLIC_LABELS, ['spki', 'pkcs1'], (der, type) =>
    createPublicKey({ key: der, format: 'der', type }),
  );
  return key === null ? null : (key.export({ type: 'spki', format: 'pem' }) as string);
}

/**
 * Normalises a merchant RSA private key to PKCS#8 PEM. Accepts PKCS#8 PEM (`BEGIN PRIVATE KEY`), PKCS#1
 * PEM (`BEGIN RSA PRIVATE KEY`) or bare Base64 PKCS#8 DER; null if it is not an unencrypted RSA key.
 */
export function normalizeRsaPrivateKey(input: string): string | null {
  const key = parseKey(input, PRIVATE_LABELS, ['pkcs8', 'pkcs1'], (der, type) =>
    createPrivateKey({ key: der, format: 'der', type }),
  );
  return key === null ? null : (key.export({ type: 'pkcs8', format: 'pem' }) as string);
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const PEM = /^-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----$/;
const PUBLIC_LABELS: Readonly<Record<string, 'spki' | 'pkcs1'>> = {
  'PUBLIC KEY': 'spki',
  'RSA PUBLIC KEY': 'pkcs1',
};
const PRIVATE_LABELS: Readonly<Record<string, 'pkcs8' | 'pkcs1'>> = {
  'PRIVATE KEY': 'pkcs8',
  'RSA PRIVATE KEY': 'pkcs1',
};

function isList(params: NamedValues): params is ReadonlyArray<{ name: string; value: string }> {
  return Array.isArray(params);
}

function digestOf(signType: 'RSA' | 'RSA2'): 'sha1' | 'sha256' {
  return signType === 'RSA' ? 'sha1' : 'sha256';
}

/**
 * Reads a PEM block with one of the given labels, or bare Base64 DER tried as each of `bareTypes`.
 * Going through DER also accepts PEM bodies pasted as a single line, which OpenSSL's PEM reader refuses.
 */
function parseKey<T extends string>(
  input: string,
  labels: Readonly<Record<string, T>>,
  bareTypes: readonly T[],
  load: (der: Buffer, type: T) => KeyObject,
): KeyObject | null {
  const text = input.trim();
  const pem = PEM.exec(text);
  let body = text;
  let types = bareTypes;
  if (pem !== null) {
    const type = labels[pem[1] ?? ''];
    if (type === undefined) return null;
    body = pem[2] ?? '';
    types = [type];
  } else if (text.startsWith('-----')) {
    return null;
  }
  const base64 = body.replace(/\s+/g, '');
  if (!BASE64.test(base64)) return null;
  const der = Buffer.from(base64, 'base64');
  for (const type of types) {
    try {
      const key = load(der, type);
      if (key.asymmetricKeyType === 'rsa') return key;
    } catch {
      // not this encoding: try the next one
    }
  }
  return null;
}
