import type { ServiceResult } from './service-definition.js';

/**
 * Thrown inside a store transaction to roll it back and answer with a business result
 * (e.g. insufficient balance after the trade row was written).
 */
export class AbortWith extends Error {
  override readonly name = 'AbortWith';
  constructor(readonly result: ServiceResult) {
    super('transaction aborted with a business result');
  }
}

/** Thrown inside a transaction when a concurrent request won a unique key; the caller retries. */
export class LostRace extends Error {
  override readonly name = 'LostRace';
}

/** Runs a transactional step, turning AbortWith into its result and retrying lost races a few times. */
export async function runLedgerStep(step: () => Promise<ServiceResult>): Promise<ServiceResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (err instanceof AbortWith) return err.result;
      if (err instanceof LostRace && attempt < 3) continue;
      throw err;
    }
  }
}
