import type { Clock } from './clock.js';
import type { Store } from './storage/store.js';

/**
 * Each merchant's sandbox time: the process clock plus the merchant's offset, or the instant it
 * was frozen at. Kept in the store, so every instance agrees and it survives restarts.
 */
export async function merchantNow(store: Store, clock: Clock, partner: string): Promise<Date> {
  const own = await store.getMerchantClock(partner);
  if (!own) return clock.now();
  if (own.frozenAt) return own.frozenAt;
  return new Date(clock.now().getTime() + own.offsetMs);
}
