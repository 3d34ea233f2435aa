import type { createManualClock } from '../../../src/clock.js';
import type { Store } from '../../../src/storage/store.js';

/** A clock the test moves by hand. */
export type ManualClock = ReturnType<typeof createManualClock>;

/** What each contract section reads: the fresh store and clock of the running test. */
export interface ContractContext {
  store(): Store;
  clock(): ManualClock;
}

/** When every contract test's clock starts. */
export const CONTRACT_START = new Date('2026-11-26T04:00:00.000Z');
