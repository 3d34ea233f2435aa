import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// scrypt (RFC 7914) from node:crypto with N = 2^14, r = 8, p = 1 (node's defaults): 16 MiB and about
// 100–250 ms a check, so a guess is expensive while a sign-in stays quick. The parameters are stored
// with each hash, so they can grow without invalidating existing logins.
const COST = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must exceed 128 * N * r bytes; stored hashes may use up to N = 2^16.
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { ...opts, maxmem: 80 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$<salt base64>$<key base64>`: what the store keeps instead of a console password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when the password matches the stored hash; a malformed hash never matches. Constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (!N || !r || !p || N > 2 ** 16 || r > 8 || p > 4) return false;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const expected = Buffer.from(parts[5] ?? '', 'base64');
  if (expected.length !== KEY_LENGTH) return false;
  const key = await derive(password, salt, { N, r, p });
  return timingSafeEqual(key, expected);
}

/**
 * A hash no password matches (its key is random and unknown): checked against when the email is
 * unknown, so a sign-in takes the same time whether the login exists or not.
 */
export const DECOY_PASSWORD_HASH =
  'scrypt$16384$8$1$FFwCgKR2hsevO9i7nEuwyQ==$IkUynWPoLb/tW3oR1AxOiQ30cdq+I5gHaEve2Y4tyIk=';
