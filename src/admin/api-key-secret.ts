import { randomBytes } from 'node:crypto';

/** Every merchant API key starts with this, so the auth hook tells keys from the admin token. */
export const API_KEY_PREFIX = 'amk_';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
// Bytes at or above 248 (= 4 × 62) are discarded so that every character is equally likely.
const UNBIASED_LIMIT = 248;

/** `length` uniformly random base62 characters from the system CSPRNG. */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < UNBIASED_LIMIT) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** A new API key secret: `amk_` and 32 base62 characters (about 190 bits). Shown once, stored hashed. */
export function generateApiKeySecret(): string {
  return `${API_KEY_PREFIX}${randomBase62(32)}`;
}

/** A new API key id (public: listed, used in DELETE URLs). */
export function generateApiKeyId(): string {
  return `key_${randomBase62(16)}`;
}
