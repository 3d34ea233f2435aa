import type { LedgerStore } from '../ledger/ledger-store.js';
import type { Clock } from '../clock.js';
import { changeMerchantClock, merchantNow, type MerchantClockChange } from '../ledger/sandbox-clock.js';

/** A merchant's sandbox clock as the admin API and the console show it. */
export interface MerchantClockView {
  /** Sandbox time now, ISO 8601. */
  now: string;
  offsetMs: number;
  frozen: boolean;
}

/** The merchant's sandbox clock now (GET /api/merchants/:partner/clock, the console). */
export async function readMerchantClock(
  store: LedgerStore,
  clock: Clock,
  partner: string,
): Promise<MerchantClockView> {
  const own = await store.getMerchantClock(partner);
  return {
    now: (await merchantNow(store, clock, partner)).toISOString(),
    offsetMs: own?.offsetMs ?? 0,
    frozen: Boolean(own?.frozenAt),
  };
}

/** Applies a change (sandbox-clock.ts) and returns the clock as it now is. */
export async function updateMerchantClock(
  store: LedgerStore,
  clock: Clock,
  partner: string,
  change: MerchantClockChange,
): Promise<MerchantClockView> {
  await changeMerchantClock(store, clock, partner, change);
  return readMerchantClock(store, clock, partner);
}

/** Puts a merchant's sandbox clock back on real time. */
export async function resetMerchantClock(
  store: LedgerStore,
  clock: Clock,
  partner: string,
): Promise<MerchantClockView> {
  await store.setMerchantClock(partner, null);
  return readMerchantClock(store, clock, partner);
}
