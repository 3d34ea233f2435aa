import type { LedgerStore } from './ledger-store.js';
import type { Clock } from '../clock.js';
import type { MerchantClock } from './model.js';

/**
 * Each merchant's sandbox time: the process clock plus the merchant's offset, or the instant it
 * was frozen at. Kept in the store, so every instance agrees and it survives restarts.
 */
export async function merchantNow(
  store: Pick<LedgerStore, 'getMerchantClock'>,
  clock: Clock,
  partner: string,
): Promise<Date> {
  return sandboxNow(clock, await store.getMerchantClock(partner));
}

/** The sandbox time of a merchant whose stored clock is `own` (undefined: it runs on real time). */
export function sandboxNow(clock: Clock, own: MerchantClock | undefined): Date {
  if (!own) return clock.now();
  if (own.frozenAt) return own.frozenAt;
  return new Date(clock.now().getTime() + own.offsetMs);
}

/** A change of a merchant's sandbox clock: set an instant, advance, freeze or unfreeze (in that order). */
export interface MerchantClockChange {
  set?: Date | undefined;
  advanceSeconds?: number | undefined;
  freeze?: boolean | undefined;
}

/** Applies a clock change (admin API, in-process sandbox) and returns the merchant's new sandbox time. */
export async function changeMerchantClock(
  store: Pick<LedgerStore, 'getMerchantClock' | 'setMerchantClock'>,
  clock: Clock,
  partner: string,
  change: MerchantClockChange,
): Promise<Date> {
  let now = change.set ?? (await merchantNow(store, clock, partner));
  now = new Date(now.getTime() + (change.advanceSeconds ?? 0) * 1000);
  const own = await store.getMerchantClock(partner);
  const frozen = change.freeze ?? Boolean(own?.frozenAt);
  await store.setMerchantClock(partner, {
    offsetMs: now.getTime() - clock.now().getTime(),
    frozenAt: frozen ? now : null,
  });
  return now;
}
