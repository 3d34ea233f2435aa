import type { Clock } from '../clock.js';
import { countLoginAttempt } from '../ops/login-rate-limit.js';
import type { Store } from '../storage/store.js';
import { Problem } from './problem.js';

/** Most addresses remembered as blocked; beyond it the expired ones are forgotten first. */
const MAX_BLOCKED = 10_000;

/** Throttles wrong admin tokens and unknown API keys per client address, as the console's sign-in is. */
export interface CredentialThrottle {
  /** Throws 429 `too_many_requests` while the address is over its allowance, before any credential is checked. */
  assertAllowed(address: string): void;
  /** Counts one wrong credential; throws 429 once the address is over its allowance. */
  failed(address: string): Promise<void>;
}

function tooMany(seconds: number): Problem {
  return new Problem(
    'too_many_requests',
    `too many wrong admin tokens or API keys from this address: wait ${seconds} s`,
    undefined,
    seconds,
  );
}

/**
 * Wrong credentials are counted in the store with the console's sign-in limiter (5 a minute per
 * address, shared by every instance). An address over the limit is also remembered here, so that
 * while it is blocked even the right token is refused unchecked: otherwise a guesser would tell the
 * right token by its answer, whatever the limit.
 */
export function createCredentialThrottle(store: Store, clock: Clock): CredentialThrottle {
  const blockedUntil = new Map<string, number>();
  return {
    assertAllowed(address) {
      const until = blockedUntil.get(address);
      if (until === undefined) return;
      const left = until - clock.now().getTime();
      if (left > 0) throw tooMany(Math.ceil(left / 1000));
      blockedUntil.delete(address);
    },
    async failed(address) {
      const now = clock.now();
      const attempt = await countLoginAttempt(store, now, [`admin-api ip:${address}`]);
      if (attempt.allowed) return;
      if (blockedUntil.size >= MAX_BLOCKED) {
        for (const [key, until] of blockedUntil) if (until <= now.getTime()) blockedUntil.delete(key);
        if (blockedUntil.size >= MAX_BLOCKED) blockedUntil.clear();
      }
      blockedUntil.set(address, now.getTime() + attempt.retryAfterSeconds * 1000);
      throw tooMany(attempt.retryAfterSeconds);
    },
  };
}
