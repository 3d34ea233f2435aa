import type { Settings } from '../ports/settings.js';
import { generateKeyPairSync } from 'node:crypto';

const SETTING = 'alipay_rsa_keys';

/** The sandbox's own "Alipay" RSA key pair: signs RSA/RSA2 responses; merchants verify with the public key. */
export interface AlipayKeys {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** A fresh 2048-bit key pair for the sandbox's "Alipay" (PKCS#8 and SPKI PEM). */
export function generateAlipayKeys(): AlipayKeys {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/**
 * The sandbox's "Alipay" RSA key pair, which signs RSA/RSA2 responses. Created once and kept in
 * the store, so answers verify across restarts and every instance signs with the same key.
 * `generate` makes the pair for an empty store (in-process sandboxes pass a cached one: 2048-bit
 * generation takes about half a second).
 */
export async function loadAlipayKeys(
  store: Settings,
  generate: () => AlipayKeys | Promise<AlipayKeys> = generateAlipayKeys,
): Promise<AlipayKeys> {
  const existing = await store.getSetting(SETTING);
  if (existing) return JSON.parse(existing) as AlipayKeys;
  const stored = await store.putSettingIfAbsent(SETTING, JSON.stringify(await generate()));
  return JSON.parse(stored) as AlipayKeys;
}
