import type { ConsoleAccounts } from '../ports/console-accounts.js';

/** At most this many sign-in attempts per key (IP address, email) in one window. */
export const LOGIN_ATTEMPTS_PER_WINDOW = 5;
/** The window: one minute. */
export const LOGIN_WINDOW_MS = 60_000;

/** An attempt that may go ahead, or how long to wait. */
export type LoginAttempt =
  { allowed: true; windowStart: number } | { allowed: false; retryAfterSeconds: number };

/**
 * Counts a sign-in attempt for each key before the password is checked (so concurrent guesses are
 * counted too), in the store, so every instance shares the counters. Over the limit on any key, the
 * attempt is refused without checking the password.
 */
export async function countLoginAttempt(
  store: Pick<ConsoleAccounts, 'addLoginAttempts'>,
  now: Date,
  keys: readonly string[],
): Promise<LoginAttempt> {
  const windowStart = Math.floor(now.getTime() / LOGIN_WINDOW_MS) * LOGIN_WINDOW_MS;
  let over = false;
  for (const key of keys) {
    const count = await store.addLoginAttempts(key, windowStart, 1, windowStart - LOGIN_WINDOW_MS);
    if (count > LOGIN_ATTEMPTS_PER_WINDOW) over = true;
  }
  if (!over) return { allowed: true, windowStart };
  return {
    allowed: false,
    retryAfterSeconds: Math.ceil((windowStart + LOGIN_WINDOW_MS - now.getTime()) / 1000),
  };
}

/** A successful sign-in does not count against its keys: only failures use up the allowance. */
export async function forgiveLoginAttempt(
  store: Pick<ConsoleAccounts, 'addLoginAttempts'>,
  windowStart: number,
  keys: readonly string[],
): Promise<void> {
  for (const key of keys) await store.addLoginAttempts(key, windowStart, -1, windowStart - LOGIN_WINDOW_MS);
}
