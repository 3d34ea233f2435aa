import { generateKeyPairSync } from 'node:crypto';
import type { Store } from './storage/store.js';
import type { AlipayKeys } from './gateway/render-reply.js';

const SETTING = 'alipay_rsa_keys';

/**
 * The sandbox's "Alipay" RSA key pair, which signs RSA/RSA2 responses. Created once and kept in
 * the store, so answers verify across restarts and every instance signs with the same key.
 */
export async function loadAlipayKeys(store: Store): Promise<AlipayKeys> {
  const existing = await store.getSetting(SETTING);
  if (existing) return JSON.parse(existing) as AlipayKeys;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const stored = await store.putSettingIfAbsent(
    SETTING,
    JSON.stringify({ privateKeyPem: privateKey, publicKeyPem: publicKey }),
  );
  return JSON.parse(stored) as AlipayKeys;
}
