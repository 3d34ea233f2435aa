import { MAX_DELAY_MS, type Delay } from './outcome-schema.js';

/** A standard normal sample by the Box–Muller transform (1 − u keeps the logarithm finite). */
function standardNormal(random: () => number): number {
  const u1 = 1 - random();
  const u2 = random();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** Draws a delay in whole milliseconds, never negative and never above 120 000. */
export function pickDelayMs(delay: Delay, random: () => number = Math.random): number {
  let ms: number;
  switch (delay.type) {
    case 'fixed':
      ms = delay.ms;
      break;
    case 'uniform':
      ms = delay.minMs + random() * (delay.maxMs - delay.minMs);
      break;
    case 'lognormal':
      ms = delay.medianMs * Math.exp(delay.sigma * standardNormal(random));
      break;
  }
  if (!Number.isFinite(ms)) return MAX_DELAY_MS;
  return Math.min(MAX_DELAY_MS, Math.max(0, Math.round(ms)));
}
